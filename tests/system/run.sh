#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run the system tests inside the lab VM.
#
# usage: tests/system/run.sh [--root ROOT] [--stage STAGE] [--results DIR]
#                            [--timeout SECS] [PYTEST ARGS...]
#
# ROOT defaults to the output of lab/mkroot.sh (made if missing), STAGE to
# $STAGE or else /var/cache/frr-tunneld/stage (where lab/build-frr.sh
# installs), DIR to a new /var/cache/frr-tunneld/results-XXXXXX.  PYTEST ARGS
# go to pytest (e.g. -k bgp, -x, or test paths under /src/tests/system).
# Exit status: pytest's (non-zero on any failure), or vm.sh's when the VM
# itself failed (124 timeout, 125 no exit code).
set -euo pipefail

here=$(cd "$(dirname "$(realpath "$0")")" && pwd)
repo=$(cd "$here/../.." && pwd)
CACHE=${CACHE:-/var/cache/frr-tunneld}

root='' stage=${STAGE:-$CACHE/stage} results='' timeout=${LAB_TIMEOUT:-2400}
while [ $# -gt 0 ]; do
	case $1 in
	--root) root=${2:?}; shift 2 ;;
	--stage) stage=${2:?}; shift 2 ;;
	--results) results=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--) shift; break ;;
	*) break ;;
	esac
done
[ -d "$stage" ] || {
	echo "run.sh: no stage at '$stage': build one (lab/build-frr.sh), or" \
		"pass --stage DIR / set STAGE to an FRR 'make install DESTDIR=' tree" >&2
	exit 2
}
[ -n "$root" ] || root=$("$repo/lab/mkroot.sh")
if [ -z "$results" ]; then
	mkdir -p "$CACHE"
	# Keep the disk bounded: only the newest 10 automatic result dirs stay.
	# shellcheck disable=SC2012 # names are ours: results-XXXXXX
	ls -1dt "$CACHE"/results-?????? 2>/dev/null | tail -n +10 |
		xargs -r rm -rf -- || true
	results=$(mktemp -d "$CACHE/results-XXXXXX")
fi
mkdir -p "$results"
echo "run.sh: results in $results" >&2

rc=0
"$repo/lab/vm.sh" --root "$root" --stage "$stage" --results "$results" \
	--timeout "$timeout" -- \
	python3 -m pytest -v -p no:cacheprovider \
	--junitxml=/results/junit.xml /src/tests/system "$@" || rc=$?

# pytest's own closing line, last, where a reader (or CI) looks for it.
summary=$(sed 's/\r$//' "$results/vm/console.log" 2>/dev/null |
	grep -E '^=+ .*(passed|failed|error|skipped|deselected|no tests ran).* =+$' |
	tail -n1 || true)
echo "run.sh: results in $results (junit.xml, logs/, vm/console.log)"
if [ -n "$summary" ]; then
	echo "$summary"
else
	echo "run.sh: pytest printed no summary (vm.sh exit $rc)"
fi
if [ "$rc" -eq 0 ] && [ -z "$summary" ]; then
	rc=1
fi
exit "$rc"
