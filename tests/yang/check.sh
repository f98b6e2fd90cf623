#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Check yang/frr-tunneld.yang with yanglint, in the Debian 13 root:
# the module compiles, is in yanglint's canonical format (FRR's rule), every
# data file in valid/ is accepted and every one in invalid/ is refused with
# the error its first line names.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
if [ "${1:-}" != --in-root ]; then
	root=$("$top/lab/mkroot.sh")
	exec "$top/lab/chroot.sh" "$root" --bind "$top:/src" -- \
		/bin/bash /src/tests/yang/check.sh --in-root
fi

cd /src
pass=0 fail=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

module=yang/frr-tunneld.yang
if yanglint "$module"; then ok "module compiles"; else bad "module compiles"; fi
if yanglint -f yang "$module" | diff -u <(tail -n +2 "$module") - >/dev/null; then
	ok "module is in canonical format"
else
	bad "module is not in canonical format (yanglint -f yang $module)"
fi

for f in tests/yang/valid/*.json; do
	if out=$(yanglint -t config "$module" "$f" 2>&1); then
		ok "accepted: $f"
	else
		bad "refused: $f: $out"
	fi
done
tmp=$(mktemp --suffix=.json)
trap 'rm -f "$tmp"' EXIT
for f in tests/yang/invalid/*.json; do
	# The expected error text is in the file's "//" first line.
	want=$(head -n1 "$f" | sed 's|^// *||')
	tail -n +2 "$f" >"$tmp"
	if out=$(yanglint -t config "$module" "$tmp" 2>&1); then
		bad "accepted: $f"
	elif grep -qF -- "$want" <<<"$out"; then
		ok "refused: $f"
	else
		bad "refused for another reason: $f: want '$want', got: $out"
	fi
done

echo "yang: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
