#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Create the Debian 13 (trixie) root that both builds FRR with tunneld and
# boots as the lab VM's filesystem.  Prints the root's path.
#
# The root is a cache under $CACHE, keyed by a hash of this script (which
# holds the package lists), so a changed recipe gives a new root and an
# unchanged one is reused.  It is built in a temporary directory and renamed
# only when complete: an interrupted run never leaves a half-made root.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
CACHE=${CACHE:-/var/cache/frr-tunneld}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SUITE=trixie

# Build dependencies beyond `apt-get build-dep frr`, and what the lab needs.
BUILD_PKGS="ccache libmnl-dev libcmocka-dev libzmq3-dev libyang3-tools
	devscripts fakeroot lintian clang libclang-rt-19-dev"
LAB_PKGS="linux-image-amd64 initramfs-tools iproute2 wireguard-tools
	iputils-ping procps kmod psmisc python3-pytest jq tcpdump
	less nano logrotate tshark python3-scapy"

key=$(sha256sum <"$0" | cut -c1-12)
root=$CACHE/root-$key
if [ -e "$root/.complete" ]; then
	echo "$root"
	exit 0
fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.mkroot.lock"
flock 9
if [ -e "$root/.complete" ]; then
	echo "$root"
	exit 0
fi

log() { echo "mkroot: $*" >&2; }

if ! command -v debootstrap >/dev/null; then
	log "installing debootstrap on the host"
	apt-get install -y -q --no-install-recommends debootstrap >&2
fi

tmp=$CACHE/.root-$key.tmp
rm -rf "$tmp"
log "debootstrap $SUITE into $tmp"
debootstrap --variant=minbase "$SUITE" "$tmp" "$MIRROR" >&2

cat >"$tmp/etc/apt/sources.list" <<SRC
deb $MIRROR $SUITE main
deb-src $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb-src $MIRROR $SUITE-updates main
SRC
# Never start services while installing into the root.
printf '#!/bin/sh\nexit 101\n' >"$tmp/usr/sbin/policy-rc.d"
chmod +x "$tmp/usr/sbin/policy-rc.d"
echo 'APT::Install-Recommends "false";' >"$tmp/etc/apt/apt.conf.d/90norecommends"

log "installing build dependencies and lab packages"
"$here/chroot.sh" "$tmp" /bin/sh -ec "
	apt-get update -q
	apt-get build-dep -y -q frr
	apt-get install -y -q $(echo $BUILD_PKGS $LAB_PKGS)
	apt-get clean
" >&2

# FRR's users and groups, as Debian's frr.postinst makes them.
"$here/chroot.sh" "$tmp" /bin/sh -ec '
	addgroup --system frr
	addgroup --system frrvty
	adduser --system --ingroup frr --home /nonexistent --no-create-home \
		--gecos "FRR suite" --shell /usr/sbin/nologin frr
	adduser frr frrvty
' >&2

# An initramfs that mounts a 9p root: the lab VM boots the root itself.
log "building the 9p initramfs"
"$here/chroot.sh" "$tmp" /bin/sh -ec '
	rm -rf /etc/initramfs-9p
	cp -a /etc/initramfs-tools /etc/initramfs-9p
	sed -i -e "s/^MODULES=.*/MODULES=list/" -e "s/^COMPRESS=.*/COMPRESS=gzip/" \
		/etc/initramfs-9p/initramfs.conf
	printf "%s\n" 9pnet 9pnet_virtio 9p virtio_pci virtio_net overlay \
		>/etc/initramfs-9p/modules
	kver=$(ls /lib/modules | sort -V | tail -n1)
	mkinitramfs -d /etc/initramfs-9p -o /boot/initrd-9p.img "$kver"
	ln -sf "vmlinuz-$kver" /boot/vmlinuz-lab
' >&2

# The VM's init is a stub that runs lab/guest-init from the project's own
# 9p share, so changing the lab never invalidates this root.
cat >"$tmp/sbin/lab-init" <<'STUB'
#!/bin/sh
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,ro src /src
exec /bin/sh /src/lab/guest-init "$@"
STUB
chmod 0755 "$tmp/sbin/lab-init"
mkdir -p "$tmp/src" "$tmp/results" "$tmp/stage" "$tmp/ccache" "$tmp/build"
touch "$tmp/.complete"
mv "$tmp" "$root"
# Older roots are other recipes' caches; drop them to bound the disk used.
for old in "$CACHE"/root-*; do
	[ "$old" = "$root" ] || rm -rf "$old"
done
log "root ready: $root"
echo "$root"
