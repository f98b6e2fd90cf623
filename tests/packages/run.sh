#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Package tests: install the .debs of lab/build-deb.sh on a clean Debian 13
# root, and upgrade Debian's own frr to them, inside the lab VM.
#
# usage: tests/packages/run.sh [--debs DIR] [--results DIR] [--timeout SECS]
#                              [PYTEST ARGS...]
#
# DIR defaults to the output of lab/build-deb.sh (built if needed).  PYTEST
# ARGS go to pytest (e.g. -k upgrade, -x).  The last line is pytest's
# summary; the exit status is non-zero on any failure (124: the VM timed
# out, 125: it never reported).
#
# The VM has no network, so what apt needs comes with it.  On the host, and
# cached under $CACHE/pkgtest (default /var/cache/frr-tunneld/pkgtest):
#   clean-KEY/root  a Debian 13 base system made by debootstrap (its default
#                   variant: Priority required and important, so systemd,
#                   cron, logrotate and iproute2 are there as on any Debian
#                   router; minbase lacks them, and installing them under
#                   TCG takes 8 minutes): the "router" (KEY: a hash of its
#                   recipe below)
#   repo-KEY/       the Debian packages that installing ours, and Debian's
#                   own frr and frr-pythontools, pull into that root: collected
#                   with apt-get --download-only in a throw-away copy of it
#                   and indexed as a flat apt repository (KEY: a hash of the
#                   clean root's KEY and our packages' relationship fields)
# The VM boots the lab root (lab/mkroot.sh) as usual; its stage is our frr
# packages unpacked (so the VM has an FRR, as lab/vm.sh requires) plus
# pkgtest/{clean,repo,debs}.  Each test mounts a fresh overlay of the clean
# root (a tmpfs on top) and works in it with chroot, in a network namespace
# of its own, as an administrator would on a router: apt from a file:
# source, frrinit.sh (there is no systemd in the VM), vtysh.
set -euo pipefail

here=$(cd "$(dirname "$(realpath "$0")")" && pwd)
repo_top=$(cd "$here/../.." && pwd)
CACHE=${CACHE:-/var/cache/frr-tunneld}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SUITE=trixie
pkgcache=$CACHE/pkgtest

log() { echo "packages: $*" >&2; }
die() { echo "packages: $*" >&2; exit 2; }

debs='' results='' timeout=${LAB_TIMEOUT:-900}
while [ $# -gt 0 ]; do
	case $1 in
	--debs) debs=${2:?}; shift 2 ;;
	--results) results=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	-h|--help) sed -n '3,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
	--) shift; break ;;
	*) break ;;
	esac
done

t0=$SECONDS
[ -n "$debs" ] || debs=$("$repo_top/lab/build-deb.sh")
debs=$(realpath "$debs")
ls "$debs"/frr_*.deb "$debs"/frr-tunneld_*.deb >/dev/null 2>&1 ||
	die "no frr and frr-tunneld .debs in $debs"
root=$("$repo_top/lab/mkroot.sh")
mkdir -p "$pkgcache"
exec 6>"$pkgcache/.lock"
flock 6

# 1. The clean root.  Its recipe is these lines: change them, get a new one.
recipe="debootstrap $SUITE $MIRROR; sources $SUITE $SUITE-updates; v1"
ckey=$(echo "$recipe" | sha256sum | cut -c1-12)
clean=$pkgcache/clean-$ckey
if [ ! -e "$clean/.complete" ]; then
	command -v debootstrap >/dev/null ||
		apt-get install -y -q --no-install-recommends debootstrap >&2
	log "debootstrap $SUITE into $clean"
	rm -rf "$clean" && mkdir -p "$clean"
	debootstrap "$SUITE" "$clean/root" "$MIRROR" >"$clean/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$clean/debootstrap.log" >&2; die "debootstrap failed"; }
	cat >"$clean/root/etc/apt/sources.list" <<-SRC
	deb $MIRROR $SUITE main
	deb $MIRROR $SUITE-updates main
	SRC
	rm -rf "$clean/root/var/cache/apt/archives/"*.deb "$clean/root/var/lib/apt/lists/"*
	touch "$clean/.complete"
	for old in "$pkgcache"/clean-*; do
		[ "$old" = "$clean" ] || rm -rf "$old"
	done
fi

# 2. The offline repository.  Its key covers what apt resolves from: the
# clean root and our packages' relationship fields.
ours=$(cd "$debs" && ls frr_*.deb frr-pythontools_*.deb frr-tunneld_*.deb 2>/dev/null)
rkey=$( {
	echo "$ckey"
	sha256sum "$0" | cut -d' ' -f1
	for d in $ours; do
		dpkg-deb -f "$debs/$d" Package Version Depends Pre-Depends Recommends Breaks Conflicts
	done
} | sha256sum | cut -c1-12)
repo=$pkgcache/repo-$rkey
if [ ! -e "$repo/.complete" ]; then
	log "collecting Debian's packages for the offline repository ($repo)"
	rm -rf "$repo" "$pkgcache/scratch" && mkdir -p "$repo/repo"
	cp -a "$clean/root" "$pkgcache/scratch"
	mkdir -p "$pkgcache/scratch/debs"
	# What an administrator's apt would fetch: ours with and without
	# frr-pythontools, and Debian's own frr for the upgrade test.
	"$repo_top/lab/chroot.sh" "$pkgcache/scratch" --bind "$debs:/debs" -- /bin/sh -ec '
		cd /debs
		apt-get update -q
		dl() { apt-get install -y -q --download-only "$@"; }
		dl ./frr_*.deb ./frr-tunneld_*.deb
		dl ./frr_*.deb ./frr-pythontools_*.deb ./frr-tunneld_*.deb
		dl frr frr-pythontools
		apt-cache policy frr | sed -n "s/^  Candidate: //p" >/var/cache/apt/archives/stock-version
	' >"$repo/collect.log" 2>&1 ||
		{ tail -n 30 "$repo/collect.log" >&2; die "collecting packages failed"; }
	mv "$pkgcache"/scratch/var/cache/apt/archives/*.deb "$repo/repo/"
	mv "$pkgcache/scratch/var/cache/apt/archives/stock-version" "$repo/"
	rm -rf "$pkgcache/scratch"
	# A flat repository: Packages by dpkg-scanpackages (the lab root has
	# dpkg-dev), and a Release that apt accepts with [trusted=yes].
	"$repo_top/lab/chroot.sh" "$root" --bind "$repo/repo:/repo" -- /bin/sh -ec '
		cd /repo && dpkg-scanpackages --multiversion . >Packages 2>/dev/null' ||
		die "dpkg-scanpackages failed"
	{
		echo "Origin: frr-tunneld package tests"
		echo "Label: Debian $SUITE subset"
		echo "Date: $(date -u -R)"
		echo "SHA256:"
		echo " $(sha256sum <"$repo/repo/Packages" | cut -d' ' -f1) $(stat -c %s "$repo/repo/Packages") Packages"
	} >"$repo/repo/Release"
	touch "$repo/.complete"
	for old in "$pkgcache"/repo-*; do
		[ "$old" = "$repo" ] || rm -rf "$old"
	done
fi

# 3. The stage: our frr unpacked (lab/vm.sh wants an FRR in it) and, under
# pkgtest/, what the tests work with.  Hard links: vm.sh copies the stage.
stage=$pkgcache/stage
rm -rf "$stage" && mkdir -p "$stage/pkgtest/debs"
for d in "$debs"/frr_*.deb "$debs"/frr-tunneld_*.deb; do
	dpkg-deb -x "$d" "$stage"
done
cp -al "$clean/root" "$stage/pkgtest/clean"
cp -al "$repo/repo" "$stage/pkgtest/repo"
for d in "$debs"/*.deb; do
	case $d in *-dbgsym_*) ;; *) ln "$d" "$stage/pkgtest/debs/" ;; esac
done
stock=$(cat "$repo/stock-version")
ourver=$(dpkg-deb -f "$debs"/frr_*.deb Version)
printf '{"ours": "%s", "stock": "%s"}\n' "$ourver" "$stock" >"$stage/pkgtest/versions.json"
log "ours $ourver, Debian's $stock; ready in $((SECONDS - t0)) s"

if [ -z "$results" ]; then
	# shellcheck disable=SC2012 # names are ours: results-XXXXXX
	ls -1dt "$pkgcache"/results-?????? 2>/dev/null | tail -n +6 | xargs -r rm -rf -- || true
	results=$(mktemp -d "$pkgcache/results-XXXXXX")
fi
mkdir -p "$results"
log "results in $results"

rc=0
TMPDIR=$pkgcache "$repo_top/lab/vm.sh" --root "$root" --stage "$stage" --results "$results" \
	--timeout "$timeout" -- \
	python3 -m pytest -v -p no:cacheprovider \
	--junitxml=/results/junit.xml /src/tests/packages "$@" || rc=$?
rm -rf "$stage"

summary=$(sed 's/\r$//' "$results/vm/console.log" 2>/dev/null |
	grep -E '^=+ .*(passed|failed|error|skipped|deselected|no tests ran).* =+$' |
	tail -n1 || true)
echo "packages: results in $results (junit.xml, logs/, vm/console.log); $((SECONDS - t0)) s in all"
if [ -n "$summary" ]; then
	echo "$summary"
else
	echo "packages: pytest printed no summary (vm.sh exit $rc)"
fi
if [ "$rc" -eq 0 ] && [ -z "$summary" ]; then
	rc=1
fi
exit "$rc"
