#!/usr/bin/env bash
# Times a detached start (`run -d`) and an `exec` into a running container: sandbox's own against podman's with
# crun and with runc, in one hyperfine run each, so all see the same machine state; then prints medians and the
# ratio to podman with crun.
#   usage: lifecycle.sh SANDBOX_BINARY ROOTFS_DIR        (as root)
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 SANDBOX_BINARY ROOTFS_DIR" >&2; exit 2; }
sandbox=$(realpath -- "$1") rootfs=$(realpath -- "$2")
for tool in hyperfine podman crun runc python3; do
    command -v "$tool" >/dev/null || { echo "lifecycle: $tool is not on PATH" >&2; exit 1; }
done
# Why: crun 1.8 refuses a hybrid cgroup layout; as bench.sh, every tool runs in a mount namespace without the
# cgroup2 at /sys/fs/cgroup/unified, so none pays for a wrapper the others do not.
if [ -z "${SANDBOX_BENCH_IN_MOUNT_NS:-}" ]; then
    exec unshare --mount --propagation private env SANDBOX_BENCH_IN_MOUNT_NS=1 "$0" "$@"
fi
if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified; fi
work=$(mktemp -d /tmp/sandbox-lifecycle.XXXXXX)
# Why: podman here has no systemd, and this machine's hard limits are below podman's default ulimits.
podman_crun="podman --runtime $(command -v crun) --cgroup-manager cgroupfs"
podman_runc="podman --runtime $(command -v runc) --cgroup-manager cgroupfs"
podman_run="run -d --network none --ulimit nofile=1024:1024 --ulimit nproc=4096:4096"
cleanup() {
    "$sandbox" rm -f lc-sandbox lc-sandbox-x >/dev/null 2>&1 || true
    $podman_crun rm -f lc-crun lc-crun-x >/dev/null 2>&1 || true
    $podman_runc rm -f lc-runc lc-runc-x >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
cleanup_quiet() { cleanup; work=$(mktemp -d /tmp/sandbox-lifecycle.XXXXXX); }
cleanup_quiet

echo "run -d: a detached sleep, removed between runs (not timed; the shell hyperfine starts is subtracted)"
hyperfine --warmup 2 --runs 20 --export-json "$work/run.json" \
    --prepare "$sandbox rm -f lc-sandbox >/dev/null 2>&1 || true" -n sandbox "$sandbox run -d --name lc-sandbox --rootfs $rootfs sleep 1000" \
    --prepare "$podman_crun rm -f lc-crun >/dev/null 2>&1 || true" -n podman+crun "$podman_crun $podman_run --name lc-crun --rootfs $rootfs sleep 1000" \
    --prepare "$podman_runc rm -f lc-runc >/dev/null 2>&1 || true" -n podman+runc "$podman_runc $podman_run --name lc-runc --rootfs $rootfs sleep 1000" >/dev/null

echo "exec: true in a running container"
"$sandbox" run -d --name lc-sandbox-x --rootfs "$rootfs" sleep 1000 >/dev/null
$podman_crun $podman_run --name lc-crun-x --rootfs $rootfs sleep 1000 >/dev/null
$podman_runc $podman_run --name lc-runc-x --rootfs $rootfs sleep 1000 >/dev/null
hyperfine --warmup 2 --runs 30 --export-json "$work/exec.json" \
    -n sandbox "$sandbox exec lc-sandbox-x true" \
    -n podman+crun "$podman_crun exec lc-crun-x true" \
    -n podman+runc "$podman_runc exec lc-runc-x true" >/dev/null

python3 - "$work/run.json" "$work/exec.json" <<'PY'
import json, sys
print(f"{'':8} {'sandbox':>12} {'podman+crun':>12} {'podman+runc':>12} {'sandbox/podman+crun':>20}")
for label, path in zip(["run -d", "exec"], sys.argv[1:]):
    results = {r["command"]: r["median"] * 1000 for r in json.load(open(path))["results"]}
    s, c, r = results["sandbox"], results["podman+crun"], results["podman+runc"]
    print(f"{label:8} {s:9.1f} ms {c:9.1f} ms {r:9.1f} ms {s / c:20.2f}")
PY
