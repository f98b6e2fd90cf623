#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The stage the lab VM overlays on its root, made from the Debian packages
# users install (lab/build-deb.sh): frr, frr-pythontools and frr-tunneld,
# unpacked.  System tests and the demo run on it, so they test what users
# install.  Prints the stage's path; cached per package build.
#
# The packages are unpacked, not installed: the lab root already has the
# frr user and groups their maintainer scripts would make, and each lab
# site writes its own /etc/frr/SITE.
set -euo pipefail

here=$(cd "$(dirname "$(realpath "$0")")" && pwd)
CACHE=${CACHE:-/var/cache/frr-tunneld}

debs=$("$here/build-deb.sh")
stage=$CACHE/stage-deb-${debs##*/out-}
if [ ! -e "$stage/.complete" ]; then
	rm -rf "$stage.tmp" && mkdir -p "$stage.tmp"
	for pkg in frr frr-pythontools frr-tunneld; do
		deb=$(ls "$debs"/${pkg}_*.deb)
		dpkg-deb -x "$deb" "$stage.tmp"
	done
	touch "$stage.tmp/.complete"
	rm -rf "$stage" && mv "$stage.tmp" "$stage"
	# Stages of older package builds are not used again.
	for old in "$CACHE"/stage-deb-*; do
		[ "$old" = "$stage" ] || rm -rf "$old"
	done
fi
echo "$stage"
