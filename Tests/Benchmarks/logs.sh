#!/usr/bin/env bash
# What a detached container's output costs its monitor, which copies it into the json-file log: the monitor's CPU
# (user + system) per MiB of output, and the log's size on disk with its default cap. Two kinds of output: 80-byte
# lines (`yes` of a long word), and newlines alone, the worst case (one log entry a byte).
#   usage: logs.sh SANDBOX_BINARY ROOTFS_DIR        (as root)
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 SANDBOX_BINARY ROOTFS_DIR" >&2; exit 2; }
sandbox=$(realpath -- "$1") rootfs=$(realpath -- "$2")
name=bench-logs-$$
lines_mib=${SANDBOX_BENCH_LINES_MIB:-64} newlines_mib=${SANDBOX_BENCH_NEWLINES_MIB:-4}
ticks=$(getconf CLK_TCK)
trap '"$sandbox" rm -f "$name" >/dev/null 2>&1 || true' EXIT

# The monitor's CPU seconds so far: fields 14 and 15 of its stat (after the command's parenthesis).
cpu() { awk -v ticks="$ticks" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / ticks }' "/proc/$1/stat"; }

# Runs `sh -c SCRIPT`, which writes MiB mebibytes, then becomes `sleep`; prints the monitor's CPU seconds and the
# log's bytes once the log stops growing.
measure() {
    local script=$1
    "$sandbox" rm -f "$name" >/dev/null 2>&1 || true
    "$sandbox" run -d --name "$name" --rootfs "$rootfs" -- sh -c "$script; exec sleep 1000" >/dev/null
    local pid monitor log size=-1 now
    pid=$("$sandbox" inspect -f '{{.State.Pid}}' "$name")
    monitor=$(ps -o ppid= -p "$pid" | tr -d ' ')
    log=$("$sandbox" inspect -f '{{.LogPath}}' "$name")
    until [ "$(cat "/proc/$pid/comm")" = sleep ]; do sleep 0.1; done
    while now=$(cat "$log"* | wc -c) && [ "$now" != "$size" ]; do size=$now; sleep 0.3; done
    echo "$(cpu "$monitor") $size"
}

baseline=$(measure 'true')
read -r base_cpu _ <<<"$baseline"
printf '%-34s %10s %14s %14s\n' "output" "MiB" "monitor CPU s" "CPU ms / MiB"
for kind in lines newlines; do
    if [ "$kind" = lines ]; then
        mib=$lines_mib script="yes 0123456789012345678901234567890123456789012345678901234567890123456789012345678 | head -c $((lines_mib << 20))"
    else
        mib=$newlines_mib script="head -c $((newlines_mib << 20)) /dev/zero | tr '\\0' '\\n'"
    fi
    read -r spent bytes <<<"$(measure "$script")"
    cpu=$(awk -v a="$spent" -v b="$base_cpu" 'BEGIN { printf "%.2f", a - b }')
    printf '%-34s %10s %14s %14.0f   log on disk: %s MB\n' "$kind ($([ "$kind" = lines ] && echo '80 bytes each' || echo 'an entry a byte'))" \
        "$mib" "$cpu" "$(awk -v c="$cpu" -v m="$mib" 'BEGIN { print c * 1000 / m }')" "$((bytes / 1000000))"
done
