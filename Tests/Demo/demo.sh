#!/usr/bin/env bash
# make demo: one container, looked at from inside and from the host; then Docker's walk-through of a detached one.
# The test suite runs it too (ContainerTests' Demo), with a name of its own as the third argument.
set -euo pipefail
sandbox=$1 rootfs=$2 name=${3:-sandbox-demo}
image=$name:demo
volume=$(mktemp -d /tmp/sandbox-demo.XXXXXX)
trap '"$sandbox" rm -f "$name" >/dev/null 2>&1 || true; "$sandbox" rmi -f "$image" >/dev/null 2>&1 || true; rm -rf "$volume"' EXIT
chmod 777 "$volume"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "Inside: sandbox run --rootfs $rootfs -v $volume:/data -- sh -c '...'"
"$sandbox" run --rootfs "$rootfs" -v "$volume:/data" -- sh -c '
    echo "id:        $(id)"
    echo "uid_map:  $(cat /proc/self/uid_map)"
    echo "pid:       $$ (processes visible: $(ls -d /proc/[0-9]* | wc -l))"
    echo "hostname:  $(hostname)"
    echo "network:   $(ls /sys/class/net | tr "\n" " ")"
    touch /data/made-inside'

say "From the host: the file container root made in the volume"
ls -ln "$volume/made-inside"

say "From the host: the container's pid 1, seen in the host's process table"
"$sandbox" run --rootfs "$rootfs" -- sleep 2 &
sleep 0.5
ps -o user:12,uid,pid,args --ppid $! | sed 's/^/  /'
wait

say "Host user sandbox's range, in /etc/subuid"
grep '^sandbox:' /etc/subuid

say "Capabilities: Docker's 14 for root; none for user 1000, but what --cap-add names, made ambient"
"$sandbox" run --rootfs "$rootfs" -- grep CapEff /proc/self/status
"$sandbox" run --rootfs "$rootfs" --user 1000 -- sh -c 'grep CapEff /proc/self/status; ip link add v0 type veth peer name v1 || true'
"$sandbox" run --rootfs "$rootfs" --user 1000 --cap-add NET_ADMIN -- sh -c \
    'grep CapEff /proc/self/status; ip link add v0 type veth peer name v1 && echo "user $(id -u) made a veth pair"'

say "Seccomp: Docker's default profile denies unshare; sandbox seccomp test shows each denial"
"$sandbox" seccomp test default --rootfs "$rootfs" -- sh -c 'unshare -U true; mkdir /tmp/ok && echo mkdir allowed'

say "sandbox probe, inside a container with every capability dropped"
"$sandbox" run --cap-drop ALL -v "$(dirname "$sandbox"):/mnt:ro" -- "/mnt/$(basename "$sandbox")" probe | grep -E '^(uid |caps|no_new|seccomp|namespace (net|user))' 

say "The busybox root filesystem made an image of the store: sandbox import $rootfs $image"
"$sandbox" import "$rootfs" "$image"
"$sandbox" images "$name"

say "Detached, as Docker's walk-through: sandbox run -d --name $name --user 1000 --memory 64m $image sleep 1000"
"$sandbox" rm -f "$name" >/dev/null 2>&1 || true
"$sandbox" run -d --name "$name" --user 1000 --memory 64m -v "$(dirname "$sandbox"):/mnt:ro" "$image" sleep 1000
"$sandbox" ps

say "sandbox exec $name ps aux; id; probe: user 1000 holds no capability"
"$sandbox" exec "$name" ps aux
"$sandbox" exec "$name" id
"$sandbox" exec "$name" "/mnt/$(basename "$sandbox")" probe | grep -E '^(caps (permitted|effective)|seccomp|cgroup (memory|cpu) )'

say "sandbox update --cpus 0.5 --memory 128m $name: the live cgroup changes"
"$sandbox" update --cpus 0.5 --memory 128m "$name"
"$sandbox" stats --no-stream "$name"
"$sandbox" exec "$name" "/mnt/$(basename "$sandbox")" probe | grep -E '^cgroup (memory|cpu) '

say "sandbox stop -t 1 $name (sleep as pid 1 ignores SIGTERM: SIGKILL a second later), then rm"
"$sandbox" stop -t 1 "$name"
"$sandbox" ps -a
"$sandbox" rm "$name"
"$sandbox" rmi "$image"
