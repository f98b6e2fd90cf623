#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run the demo lab (lab/demo.py) in the lab VM on the current stage.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
CACHE=${CACHE:-/var/cache/frr-tunneld}
root=$("$here/mkroot.sh")
stage=${STAGE:-$CACHE/stage}
results=$CACHE/results-demo
rm -rf "$results" && mkdir -p "$results"
exec "$here/vm.sh" --root "$root" --stage "$stage" --results "$results" \
	--timeout 600 -- python3 /src/lab/demo.py
