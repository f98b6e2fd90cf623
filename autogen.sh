#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Prepare a fresh Debian 12 or 13 host (as root): install the few host
# tools the build drives, then generate ./configure.  Everything else
# (compilers, libraries, FRR's build dependencies) lives in the Debian 13
# root that lab/mkroot.sh creates.
set -e
cd "$(dirname "$0")"

need=""
command -v autoreconf >/dev/null 2>&1 || need="$need autoconf"
command -v automake >/dev/null 2>&1 || need="$need automake"
command -v make >/dev/null 2>&1 || need="$need make"
command -v rsync >/dev/null 2>&1 || need="$need rsync"
command -v qemu-system-x86_64 >/dev/null 2>&1 || need="$need qemu-system-x86"
[ -x /usr/sbin/debootstrap ] || need="$need debootstrap"
if [ -n "$need" ]; then
	echo "autogen: installing host tools:$need"
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $need
fi

autoreconf -fi
