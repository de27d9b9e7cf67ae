#!/bin/sh
# Builds a minimal root filesystem from Debian's busybox-static into DIR: busybox and its applet links,
# /etc/passwd and /etc/group with root and a user 1000, and the empty directories a container mounts on.
set -eu
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
dir=$1
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "$0: $busybox is missing: apt-get install busybox-static" >&2; exit 1; }

rm -rf "$dir.tmp"
mkdir -p "$dir.tmp/bin" "$dir.tmp/etc" "$dir.tmp/root" "$dir.tmp/home/user" "$dir.tmp/tmp" \
         "$dir.tmp/proc" "$dir.tmp/sys" "$dir.tmp/dev" "$dir.tmp/run"
cp "$busybox" "$dir.tmp/bin/busybox"
for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$dir.tmp/bin/$applet"
done
mkdir -p "$dir.tmp/usr"
ln -s ../bin "$dir.tmp/usr/bin"
ln -s bin "$dir.tmp/sbin"
cat > "$dir.tmp/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat > "$dir.tmp/etc/group" <<'GROUP'
root:x:0:
tty:x:5:
user:x:1000:
nogroup:x:65534:
GROUP
chmod 1777 "$dir.tmp/tmp"
chown 1000:1000 "$dir.tmp/home/user"
rm -rf "$dir"
mv "$dir.tmp" "$dir"
