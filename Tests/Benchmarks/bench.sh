#!/usr/bin/env bash
# `make bench`: sandbox against crun (and, for the start alone, unshare, bubblewrap and runc) starting /bin/true
# from the same busybox rootfs, in one run, printed as ratios to crun: start time, 100 starts in a row, 1 to 32
# at once, peak RSS, the cost of volumes, tmpfs mounts and a 1,000-rule seccomp profile, and the start beside 50
# running containers. Tests/Benchmarks/bench.py measures; this script readies the machine and cleans up.
#   usage: bench.sh SANDBOX_BINARY ROOTFS_DIR        (as root; `make bench` calls it; a few minutes)
set -euo pipefail

usage() { echo "usage: $0 SANDBOX_BINARY ROOTFS_DIR" >&2; exit 2; }
die() { echo "bench: $*" >&2; exit 1; }
[ $# -eq 2 ] || usage
# Why absolute: an OCI bundle resolves a relative root.path against the bundle directory, not our cwd.
sandbox=$(realpath -- "$1") rootfs=$(realpath -- "$2")
[ "$(id -u)" -eq 0 ] || die "must run as root (crun, runc and the namespaces need it)"
[ -x "$sandbox" ] || die "$sandbox is not an executable"
[ -x "$rootfs/bin/true" ] || die "$rootfs/bin/true is missing: build the rootfs with rootfs-scripts/busybox.sh"
for tool in crun runc bwrap unshare chroot python3; do
    command -v "$tool" >/dev/null || die "$tool is not on PATH (make bench installs crun runc bubblewrap time)"
done
# Why: only GNU time reports a child's peak RSS as its waits saw it; the shell keyword `time` does not.
[ -x /usr/bin/time ] || die "GNU time is missing (apt-get install time)"

# Why: crun 1.8 refuses a hybrid cgroup layout (v1 controllers plus a cgroup2 at /sys/fs/cgroup/unified). We re-run
# this script once in a private mount namespace and unmount the cgroup2 there, so every tool, not only crun, runs
# under the same conditions and no wrapper's cost lands on crun alone. The unmount dies with the namespace.
if [ -z "${SANDBOX_BENCH_IN_MOUNT_NS:-}" ]; then
    exec unshare --mount --propagation private env SANDBOX_BENCH_IN_MOUNT_NS=1 "$0" "$@"
fi
if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified; fi

work=$(mktemp -d /tmp/sandbox-bench.XXXXXX)
prefix="sandbox-bench-$$"
cleanup() {
    trap - EXIT INT TERM
    # Why here and not in bench.py: an interrupt or a failure there must not leave a container running.
    if [ -s "$work/detached" ]; then
        xargs "$sandbox" rm -f <"$work/detached" >/dev/null 2>&1 || true
    fi
    # Why `|| true`: under pipefail a grep that finds nothing would end this function before the rm.
    { crun list -q 2>/dev/null | grep "^$prefix-" || true; } | while read -r id; do crun delete -f "$id" >/dev/null 2>&1 || true; done
    { runc list -q 2>/dev/null | grep "^$prefix-" || true; } | while read -r id; do runc delete -f "$id" >/dev/null 2>&1 || true; done
    umount "$work"/*-ro 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM
# Why: sandbox and crun each re-execute themselves from a read-only handle on their binary (CVE-2019-5736) unless
# they run from a read-only mount already; bound here read-only (in this mount namespace), they do not, and
# bench.py measures the difference.
for binary in "$sandbox" "$(command -v crun)"; do
    copy="$work/$(basename -- "$binary")-ro"
    touch "$copy" && mount --bind "$binary" "$copy" && mount -o remount,bind,ro "$copy"
done

echo "machine: $(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | sort -u | head -1)), Linux $(uname -r);" \
     "load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
echo "sandbox: every default on (8 namespaces, root remapped to 100000 on an idmapped overlay, Docker's caps and seccomp"
echo "profile, a cgroup in every hierarchy); crun, runc: \`crun spec\` with a user namespace mapping root to 100000, a"
echo "cgroup namespace and, for crun, a time namespace; bwrap, unshare: root mapped to root, no cgroup."
echo
python3 "$(dirname -- "$0")/bench.py" "$work" "$sandbox" "$rootfs" "$prefix"
echo
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
