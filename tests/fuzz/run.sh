#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the libFuzzer target of the probe codecs with clang in the Debian 13
# build root, replay the checked-in corpus, then fuzz for a bounded time.
#
# usage: [FUZZ_SECONDS=60] [FUZZ_BUILDDIR=DIR] tests/fuzz/run.sh
#
# tests/fuzz/corpus/ holds inputs that must always pass: the seeds that
# `FUZZ_STAMP_SEEDS=DIR fuzz_stamp` writes, and any crash once it is fixed.
# The working corpus, crash artifacts and logs stay in FUZZ_BUILDDIR.
# Exits non-zero on a build failure, a crash, a leak or a sanitizer report
# (libFuzzer's status), and prints libFuzzer's run counts.
set -euo pipefail

if [ "${1:-}" != --inside ]; then
	top=$(cd "$(dirname "$0")/../.." && pwd)
	build=${FUZZ_BUILDDIR:-${CACHE:-/var/cache/frr-tunneld}/fuzz-build}
	seconds=${FUZZ_SECONDS:-60}
	case $seconds in
	# 0 would be -max_total_time=0: no limit at all.
	'' | *[!0-9]* | 0*) echo "FUZZ_SECONDS must be a whole number > 0" >&2; exit 2 ;;
	esac
	root=$("$top/lab/mkroot.sh")
	mkdir -p "$build"
	# The root's env is cleared: pass what the inner half needs as arguments.
	exec "$top/lab/chroot.sh" "$root" --bind "$top:/src" --bind "$build:/build" -- \
		/bin/bash /src/tests/fuzz/run.sh --inside "$seconds" "$build"
fi

# Inside the root: the sources are at /src, the outputs at /build (host: $3).
seconds=$2
host_build=$3
src=/src
fuzz=/build/fuzz_stamp
corpus=/build/corpus
artifacts=/build/artifacts/
log=/build/fuzz.log

# Only the two codecs: the target must not depend on the rest of core/.
clang -std=c11 -g -O1 -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes \
	-Wstrict-prototypes -Wbad-function-cast -Wwrite-strings -Wundef \
	-Wimplicit-fallthrough -Wswitch-enum -Wcast-qual -Wformat-nonliteral \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -I"$src/core" -o "$fuzz" \
	"$src/tests/fuzz/fuzz_stamp.c" "$src/core/tunnel_stamp.c" "$src/core/tunnel_icmp.c"

mkdir -p "$corpus" "$artifacts"
opts=(-timeout=5 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts")

# Regressions first: every checked-in input once, no mutation.
echo "== replaying $src/tests/fuzz/corpus"
set +e
"$fuzz" "${opts[@]}" -runs=0 "$src/tests/fuzz/corpus" 2>&1 | tee /build/replay.log
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
	echo "fuzz_stamp: the checked-in corpus FAILED (status $status)" >&2
	exit "$status"
fi

# The working corpus keeps what earlier runs found; refresh its seeds.
FUZZ_STAMP_SEEDS=$corpus "$fuzz"
cp "$src"/tests/fuzz/corpus/* "$corpus"/

echo "== fuzzing for $seconds s"
set +e
"$fuzz" "${opts[@]}" -max_total_time="$seconds" "$corpus" 2>&1 | tee "$log" | \
	grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE) '
status=${PIPESTATUS[0]}
set -e
echo "== result (log: $host_build/fuzz.log)"
grep -E '^(Done [0-9]+ runs|stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb))' \
	"$log" || true
if [ "$status" -ne 0 ]; then
	echo "fuzz_stamp FAILED (status $status); the input is in $host_build/artifacts/" >&2
	exit "$status"
fi
echo "fuzz_stamp passed"
