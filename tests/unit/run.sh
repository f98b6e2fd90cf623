#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build and run the unit tests in the Debian 13 build root (gcc 14, cmocka).
# usage: tests/unit/run.sh [MAKE TARGET...]   (default: check)
# Exits with make's status.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${UNIT_BUILDDIR:-${CACHE:-/var/cache/frr-tunneld}/unit-build}

root=$("$top/lab/mkroot.sh")
mkdir -p "$build"
exec "$top/lab/chroot.sh" "$root" --bind "$top:/src" --bind "$build:/build" -- \
	make -C /src/tests/unit BUILDDIR=/build "$@"
