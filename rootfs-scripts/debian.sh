#!/bin/sh
# Builds a Debian root filesystem into DIR with debootstrap (minbase variant): a real distribution image for
# sandbox run --rootfs DIR. Not run by the tests (it downloads ~40 MB); needs root and `apt-get install debootstrap`.
#   usage: debian.sh DIR [SUITE]        (SUITE defaults to bookworm)
set -eu
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 DIR [SUITE]" >&2; exit 2; }
dir=$1 suite=${2:-bookworm}
command -v debootstrap >/dev/null || { echo "$0: debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }
# Built beside DIR and moved into place, so a failed run never leaves a half image at DIR.
rm -rf "$dir.tmp"
debootstrap --variant=minbase "$suite" "$dir.tmp"
rm -rf "$dir"
mv "$dir.tmp" "$dir"
