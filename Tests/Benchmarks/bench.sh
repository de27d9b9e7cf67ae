#!/usr/bin/env bash
# Times `sandbox run` against unshare, bubblewrap, crun and runc starting /bin/true from the same busybox rootfs,
# in one hyperfine run so all five see the same machine state, then prints mean, stddev, ratio to crun and peak RSS.
#   usage: bench.sh SANDBOX_BINARY ROOTFS_DIR        (as root; `make bench` calls it)
set -euo pipefail

usage() { echo "usage: $0 SANDBOX_BINARY ROOTFS_DIR" >&2; exit 2; }
die() { echo "bench: $*" >&2; exit 1; }
[ $# -eq 2 ] || usage
# Why absolute: an OCI bundle resolves a relative root.path against the bundle directory, not our cwd.
sandbox=$(realpath -- "$1") rootfs=$(realpath -- "$2")
[ "$(id -u)" -eq 0 ] || die "must run as root (crun, runc and the namespaces need it)"
[ -x "$sandbox" ] || die "$sandbox is not an executable"
[ -x "$rootfs/bin/true" ] || die "$rootfs/bin/true is missing: build the rootfs with rootfs-scripts/busybox.sh"
# Why: hyperfine -N and the RSS loop split each command line on spaces, so paths must not contain any.
[[ "$sandbox$rootfs" != *[[:space:]]* ]] || die "paths must not contain whitespace"
for tool in hyperfine crun runc bwrap unshare chroot python3; do
    command -v "$tool" >/dev/null || die "$tool is not on PATH (make bench installs hyperfine crun runc bubblewrap)"
done
# Why: only GNU time reports a child's peak RSS; the shell keyword `time` does not.
if [ ! -x /usr/bin/time ]; then
    apt-get -y -qq install time >/dev/null || die "could not install GNU time (apt-get install time)"
fi

# Why: crun 1.8 refuses a hybrid cgroup layout (v1 controllers plus a cgroup2 at /sys/fs/cgroup/unified). We re-run
# this script once in a private mount namespace and unmount the cgroup2 there, so every tool, not only crun, runs
# under the same conditions and no wrapper's cost lands on crun alone. The unmount dies with the namespace.
if [ -z "${SANDBOX_BENCH_IN_MOUNT_NS:-}" ]; then
    exec unshare --mount --propagation private env SANDBOX_BENCH_IN_MOUNT_NS=1 "$0" "$@"
fi
if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified; fi

work=$(mktemp -d /tmp/sandbox-bench.XXXXXX)
id="sandbox-bench-$$"
cleanup() {
    # Why: `run` deletes its container when the workload exits, but not if we were interrupted mid-run.
    crun delete -f "$id-crun" >/dev/null 2>&1 || true
    runc delete -f "$id-runc" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# One OCI bundle per runtime, both from `crun spec`, pointing at the shared rootfs. Edits, each for fairness:
# read-only root so no runtime writes the image; /bin/true without a terminal like the others; a user namespace
# mapping container root to host 100000 (as sandbox does by default); a cgroup namespace; and a time namespace
# for crun only, because runc 1.1 rejects the "time" namespace type.
make_bundle() { # DIR EXTRA_NAMESPACES...
    local dir=$1; shift
    mkdir "$dir"
    (cd "$dir" && crun spec)
    python3 - "$dir/config.json" "$rootfs" "$@" <<'PY'
import json, sys
path, rootfs, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
c = json.load(open(path))
c["root"] = {"path": rootfs, "readonly": True}
c["process"]["args"] = ["/bin/true"]
c["process"]["terminal"] = False
have = {n["type"] for n in c["linux"]["namespaces"]}
c["linux"]["namespaces"] += [{"type": t} for t in ["user", "cgroup", *extra] if t not in have]
mapping = [{"containerID": 0, "hostID": 100000, "size": 65536}]
c["linux"]["uidMappings"] = c["linux"]["gidMappings"] = mapping
json.dump(c, open(path, "w"), indent=2)
PY
}
make_bundle "$work/crun" time
make_bundle "$work/runc"

names=(sandbox unshare bwrap crun runc)
commands=(
    "$sandbox run --rootfs $rootfs true"
    # Why: the same eight namespaces sandbox creates; as root --map-root-user maps 0 to 0.
    "unshare --user --map-root-user --pid --fork --net --mount --ipc --uts --cgroup --time chroot $rootfs /bin/true"
    "bwrap --unshare-all --ro-bind $rootfs / --proc /proc --dev /dev /bin/true"
    "crun run --bundle $work/crun $id-crun"
    "runc run --bundle $work/runc $id-runc"
)

# Why: every command must work before we time it, or hyperfine would time a fast failure.
for i in "${!names[@]}"; do
    ${commands[$i]} </dev/null >"$work/check.log" 2>&1 \
        || die "${names[$i]} failed: ${commands[$i]}: $(tail -1 "$work/check.log")"
done

# -N: no shell, so we time the runtime rather than a `sh -c` in front of it.
hyperfine_args=(-N --warmup 3 --runs 30 --export-json "$work/times.json")
for i in "${!names[@]}"; do hyperfine_args+=(--command-name "${names[$i]}" "${commands[$i]}"); done
hyperfine "${hyperfine_args[@]}"

# Peak RSS: the max over 5 runs of GNU time's %M. That is the largest resident set among the processes `time`
# waited for, directly or through their own waits; for crun and runc that is the runtime process itself, since
# the container's /bin/true is far smaller.
for i in "${!names[@]}"; do
    peak=0
    for _ in 1 2 3 4 5; do
        /usr/bin/time -f %M -o "$work/rss" ${commands[$i]} </dev/null >/dev/null 2>&1 \
            || die "${names[$i]} failed while measuring its RSS"
        rss=$(tail -1 "$work/rss")
        [ "$rss" -gt "$peak" ] && peak=$rss
    done
    echo "${names[$i]} $peak" >>"$work/rss.txt"
done

python3 - "$work/times.json" "$work/rss.txt" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
rss = dict(line.split() for line in open(sys.argv[2]))
crun = results["crun"]["mean"]
print(f"\n{'runtime':<10}{'mean ms':>10}{'± ms':>9}{'vs crun':>9}{'peak RSS KiB':>14}")
for name, r in results.items():
    print(f"{name:<10}{r['mean'] * 1e3:>10.2f}{r['stddev'] * 1e3:>9.2f}{r['mean'] / crun:>9.2f}{rss[name]:>14}")
PY
echo "(sandbox, crun, runc: root remapped to host 100000; unshare, bwrap: root mapped to root; bwrap, runc: no time namespace)"
