#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The benchmarks; each prints its figures.
#  - Probing: 1,000 and 10,000 STAMP sessions on loopback between one sender
#    process and one reflector process, 1 probe/s each, built from
#    tunneld's own code (frr-module/tunnel_bench.c), in the build root: CPU
#    (share of one core) and memory per session.
#  - Routing: in the lab VM (lab/bench_routing.py), the time from an
#    impairment to the kernel FIB change for a step and a cut, and cost
#    changes per hour under a square wave.
#
# usage: lab/bench.sh [SECONDS]   (probing: default 30 per run)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
CACHE=${CACHE:-/var/cache/frr-tunneld}
secs=${1:-30}

"$here/build-frr.sh" >/dev/null
root=$("$here/mkroot.sh")
for n in 1000 10000; do
	"$here/chroot.sh" "$root" --bind "$CACHE/build/frr:/build" -- \
		env LD_LIBRARY_PATH=/build/lib/.libs /build/tunneld/.libs/tunnel_bench "$n" "$secs"
done

# The routing benchmark, in the lab VM on the packages.
stage=$("$here/deb-stage.sh")
results=$CACHE/results-bench
rm -rf "$results" && mkdir -p "$results"
"$here/vm.sh" --root "$root" --stage "$stage" --results "$results" \
	--timeout 1500 -- python3 /src/lab/bench_routing.py
