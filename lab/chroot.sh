#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run a command inside a prepared Debian 13 root.  The mounts live in a
# private mount namespace, so they vanish with the command and can never
# leak into the 9p export that the lab VM boots from.
#
# usage: chroot.sh ROOT [--bind HOSTDIR:GUESTDIR]... [--] CMD [ARGS...]
set -euo pipefail

if [ "${1:-}" != --in-namespace ]; then
	exec unshare --mount --propagation private "$0" --in-namespace "$@"
fi
shift
root=$(realpath "$1")
shift
while [ $# -gt 0 ]; do
	case $1 in
	--bind)
		host=${2%%:*} guest=${2#*:}
		mkdir -p "$root$guest"
		mount --bind "$host" "$root$guest"
		shift 2 ;;
	--) shift; break ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || set -- /bin/bash

mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --rbind /dev "$root/dev"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts" 2>/dev/null || true
mount -t tmpfs tmpfs "$root/dev/shm"
cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
exec chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
	PATH=/usr/lib/ccache:/usr/sbin:/usr/bin:/sbin:/bin \
	CCACHE_DIR=/ccache DEBIAN_FRONTEND=noninteractive "$@"
