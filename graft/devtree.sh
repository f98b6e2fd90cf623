#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Work on the patch series as git commits.
#
#   graft/devtree.sh init     make $CACHE/dev/frr: Debian's frr source as a
#                             'pristine' commit, our series on top (git am)
#   graft/devtree.sh export   write the commits after 'pristine' back into
#                             graft/patches/ (one patch per commit) and series
#
# Edit in the dev tree, commit (or 'git commit --fixup' plus an autosquash
# rebase onto the pristine tag), then export.  lab/build-frr.sh notices the
# new series and rebuilds from a pristine tree.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
CACHE=${CACHE:-/var/cache/frr-tunneld}
dev=$CACHE/dev/frr
git_id=(-c user.name=frr-tunneld -c user.email=frr-tunneld@localhost)

case ${1:-} in
init)
	"$here/../lab/build-frr.sh" >/dev/null # fetches Debian's source too
	src=$(ls -d "$CACHE"/frr-src-*/frr-*/ | head -n1)
	rm -rf "$dev" && mkdir -p "$(dirname "$dev")"
	cp -a "$src" "$dev"
	cd "$dev"
	git init -q && git add -A && git "${git_id[@]}" commit -qm pristine
	git tag pristine
	while read -r p; do
		git "${git_id[@]}" am -q "$here/patches/$p"
	done <"$here/patches/series"
	git log --oneline pristine..
	;;
export)
	cd "$dev"
	rm -f "$here"/patches/*.patch
	git format-patch -q --no-signature --zero-commit -N pristine..HEAD -o "$here/patches"
	(cd "$here/patches" && ls ./*.patch | sed 's|^\./||' >series)
	cat "$here/patches/series"
	;;
*)
	sed -n '3,12s/^# \{0,1\}//p' "$0" >&2
	exit 2
	;;
esac
