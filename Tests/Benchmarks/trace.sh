#!/usr/bin/env bash
# Where `sandbox run` spends its time: runs it RUNS times with SANDBOX_TRACE set to the CLOCK_MONOTONIC time of
# its execve, and prints each phase's median and 90th percentile over the runs, with the wall time each run
# took as its caller saw it (execve to reaped).
#   usage: trace.sh SANDBOX_BINARY ROOTFS_DIR [RUNS] [-- RUN_OPTIONS...]     (as root)
# As bench.sh, it runs in a private mount namespace without the hybrid's cgroup2 mount, so that its numbers are
# those of the bench; TRACE_HYBRID=1 keeps the host's cgroup layout as it is.
set -euo pipefail

usage() { echo "usage: $0 SANDBOX_BINARY ROOTFS_DIR [RUNS] [-- RUN_OPTIONS...]" >&2; exit 2; }
[ $# -ge 2 ] || usage
sandbox=$(realpath -- "$1") rootfs=$(realpath -- "$2")
shift 2
runs=30
if [ $# -gt 0 ] && [ "$1" != "--" ]; then runs=$1; shift; fi
if [ $# -gt 0 ]; then [ "$1" = "--" ] || usage; shift; fi

if [ -z "${SANDBOX_BENCH_IN_MOUNT_NS:-}" ] && [ -z "${TRACE_HYBRID:-}" ]; then
    exec unshare --mount --propagation private env SANDBOX_BENCH_IN_MOUNT_NS=1 "$0" "$sandbox" "$rootfs" "$runs" -- "$@"
fi
if [ -z "${TRACE_HYBRID:-}" ] && mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified; fi

# Why python: it reads the clock right before execve, so the first phase is the loader's and the runtime's, and
# it reaps the child itself for the wall time.
python3 - "$runs" "$sandbox" run --rootfs "$rootfs" "$@" true <<'PY'
import os, re, statistics, sys, time
runs, argv = int(sys.argv[1]), sys.argv[2:]
phases, order, walls = {}, [], []
for i in range(runs + 2):
    read, write = os.pipe()
    start = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
    pid = os.fork()
    if pid == 0:
        os.close(read)
        os.dup2(write, 2)
        null = os.open("/dev/null", os.O_RDWR)
        os.dup2(null, 0); os.dup2(null, 1)
        env = dict(os.environ, SANDBOX_TRACE=str(time.clock_gettime_ns(time.CLOCK_MONOTONIC)))
        os.execve(argv[0], argv, env)
    os.close(write)
    output = os.fdopen(read).read()
    _, status = os.waitpid(pid, 0)
    wall = (time.clock_gettime_ns(time.CLOCK_MONOTONIC) - start) / 1e6
    if status != 0:
        sys.exit(f"trace: sandbox failed ({status}):\n{output}")
    if i < 2:
        continue  # warm-up
    walls.append(wall)
    for name, value in re.findall(r"^sandbox trace: (.*) ([0-9.]+) ms$", output, re.M):
        if name not in phases:
            phases[name] = []
            order.append(name)
        phases[name].append(float(value))
def p90(values):
    return sorted(values)[min(len(values) - 1, int(len(values) * 0.9))]
print(f"{'phase':<48}{'median ms':>10}{'p90 ms':>9}")
for name in order:
    print(f"{name:<48}{statistics.median(phases[name]):>10.2f}{p90(phases[name]):>9.2f}")
print(f"{'wall (fork to reaped, as the caller sees it)':<48}{statistics.median(walls):>10.2f}{p90(walls):>9.2f}")
PY
