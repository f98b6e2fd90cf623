#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Graft tunneld into an FRR 10.3 source tree: apply our patch series (once;
# the tree remembers which series it carries) and copy our directories in,
# flat, as FRR's tunneld/ (plus the YANG module into yang/).
#
# usage: graft.sh FRR_TREE
# Exit status 3 means the tree carries another series: start from pristine.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
tree=$1

series_id=$(cd "$here/patches" && cat series $(cat series) | sha256sum | cut -c1-16)
stamp=$tree/.tunneld-series
if [ ! -e "$stamp" ]; then
	while read -r p; do
		[ -n "$p" ] || continue
		echo "graft: applying $p" >&2
		patch -d "$tree" -p1 --forward --quiet --no-backup-if-mismatch <"$here/patches/$p"
	done <"$here/patches/series"
	echo "$series_id" >"$stamp"
elif [ "$(cat "$stamp")" != "$series_id" ]; then
	echo "graft: $tree carries another patch series" >&2
	exit 3
fi

# Sources only: build products next to them (objects, generated clippy
# files) stay, so an unchanged file is not rebuilt.
mkdir -p "$tree/tunneld"
rsync -a --delete --exclude='*_clippy.c' --include='*.c' --include='*.h' \
	--include='subdir.am' --include='Makefile' --exclude='*' \
	"$top/frr-module/" "$top/zapi-client/" "$top/core/" "$top/vtysh-cmds/" \
	"$tree/tunneld/"
rsync -a "$top/yang/frr-tunneld.yang" "$tree/yang/frr-tunneld.yang"
