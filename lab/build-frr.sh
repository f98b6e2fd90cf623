#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build FRR 10.3 with tunneld grafted in, inside the Debian 13 root, and
# install it into the stage that the lab VM overlays on that root.
# Prints the stage's path.
#
# Caches under $CACHE: the root (lab/mkroot.sh), Debian's frr source,
# the build tree (reused while the patch series is unchanged) and ccache.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
CACHE=${CACHE:-/var/cache/frr-tunneld}
JOBS=${JOBS:-$(nproc)}

log() { echo "build-frr: $*" >&2; }

# stdout carries only the stage's path (callers capture it); everything
# the build prints goes to stderr.
exec 3>&1 1>&2

root=$("$here/mkroot.sh")
rootkey=${root##*/root-}
src=$CACHE/frr-src-$rootkey
build=$CACHE/build
stage=$CACHE/stage
mkdir -p "$CACHE/ccache" "$build"

exec 8>"$CACHE/.build.lock"
flock 8

in_root() {
	"$here/chroot.sh" "$root" --bind "$build:/build" --bind "$CACHE/ccache:/ccache" \
		--bind "$src:/frr-src" --bind "$stage.new:/stage" -- "$@"
}

# Debian's frr source package, Debian's own patches applied.
if [ ! -e "$src/.complete" ]; then
	log "fetching Debian's frr source"
	rm -rf "$src" && mkdir -p "$src" "$stage.new"
	in_root /bin/sh -ec 'cd /frr-src && apt-get source -q frr >/dev/null'
	touch "$src/.complete"
fi
srcdir=$(cd "$src" && ls -d frr-*/ | head -n1)
srcdir=${srcdir%/}

# The build tree: pristine source plus our series, rebuilt from scratch
# only when the series (or the source) changes.
tree=$build/frr
mkdir -p "$stage.new"
if [ -e "$tree/.tunneld-src" ] && [ "$(cat "$tree/.tunneld-src")" != "$rootkey/$srcdir" ]; then
	rm -rf "$tree"
fi
if [ -d "$tree" ]; then
	set +e
	"$top/graft/graft.sh" "$tree"
	rc=$?
	set -e
	if [ $rc -eq 3 ]; then
		log "patch series changed: starting from a pristine tree"
		rm -rf "$tree"
	elif [ $rc -ne 0 ]; then
		exit $rc
	fi
fi
if [ ! -d "$tree" ]; then
	cp -a "$src/$srcdir" "$tree.tmp"
	echo "$rootkey/$srcdir" >"$tree.tmp/.tunneld-src"
	"$top/graft/graft.sh" "$tree.tmp"
	mv "$tree.tmp" "$tree"
fi

# Debian's own choices where they matter to users (file modes, paths);
# daemons the lab does not run are left out to keep the build short.
CONFIGURE_FLAGS="--prefix=/usr --sysconfdir=/etc --localstatedir=/var
	--sbindir=/usr/lib/frr --enable-multipath=64 --disable-doc
	--enable-user=frr --enable-group=frr --enable-vty-group=frrvty
	--enable-configfile-mask=0640 --enable-logfile-mask=0640
	--disable-ripd --disable-ripngd --disable-isisd --disable-fabricd
	--disable-pimd --disable-pim6d --disable-ldpd --disable-nhrpd
	--disable-eigrpd --disable-babeld --disable-pbrd --disable-vrrpd
	--disable-pathd --disable-snmp --disable-rpki --disable-bgp-vnc
	--disable-scripting"
flags_id=$(echo $CONFIGURE_FLAGS | sha256sum | cut -c1-16)
if [ ! -e "$tree/config.status" ] || [ "$(cat "$tree/.tunneld-configure" 2>/dev/null)" != "$flags_id" ]; then
	log "configuring"
	in_root /bin/sh -ec "cd /build/frr && ./bootstrap.sh >/dev/null 2>&1 &&
		./configure -q CC='ccache gcc' $(echo $CONFIGURE_FLAGS)"
	echo "$flags_id" >"$tree/.tunneld-configure"
fi

log "building with $JOBS jobs"
in_root /bin/sh -ec "cd /build/frr && make -j$JOBS -s ${MAKE_ARGS:-} >/dev/null"

log "installing into the stage"
rm -rf "$stage.new" && mkdir -p "$stage.new"
in_root /bin/sh -ec 'cd /build/frr && make -s install DESTDIR=/stage >/dev/null'
rm -rf "$stage.old"
[ ! -e "$stage" ] || mv "$stage" "$stage.old"
mv "$stage.new" "$stage"
rm -rf "$stage.old"
echo "$stage" >&3
