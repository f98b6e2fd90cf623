#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Boot the lab VM (Debian 13 kernel under qemu TCG) and run one command in it.
#
# usage: vm.sh --root ROOT --stage STAGE --results DIR [--timeout SECS]
#              [--mem SIZE] -- CMD [ARGS...]
#
# The VM sees four 9p shares: ROOT (tag rootfs, read-only, booted as /),
# this repository (tag src, read-only, at /src), a copy of STAGE taken at
# boot (tag stage, read-only, overlaid on / by lab/guest-init) and DIR (tag
# results, read-write, at /results).  CMD runs in /src as root inside the guest.
# It has no network device: all traffic stays in the guest's namespaces.
#
# Files in DIR/vm/: cmd.sh (the command, as the guest runs it), console.log
# (the whole serial console, kernel included), exit-code (written by the
# guest).  stdout shows the console from the point lab/guest-init starts.
# The exit status is CMD's; 124 if the run timed out, 125 if the guest
# never reported a code (boot failure, panic), 2 for bad usage.
set -euo pipefail

usage() {
	# The header comment above is the help text.
	sed -n '3,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0" >&2
	exit "${1:-2}"
}
die() { echo "vm.sh: $*" >&2; exit 2; }

root='' stage='' results='' timeout=600 mem=2G
while [ $# -gt 0 ]; do
	case $1 in
	--root) root=${2:?}; shift 2 ;;
	--stage) stage=${2:?}; shift 2 ;;
	--results) results=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--mem) mem=${2:?}; shift 2 ;;
	--) shift; break ;;
	-h|--help) usage 0 ;;
	*) echo "vm.sh: unknown argument: $1" >&2; usage ;;
	esac
done
[ $# -gt 0 ] || { echo "vm.sh: no command given" >&2; usage; }
[ -n "$root" ] || die "--root is required (the root made by lab/mkroot.sh)"
[ -n "$stage" ] || die "--stage is required (an FRR 'make install DESTDIR=' tree)"
[ -n "$results" ] || die "--results is required"
[[ $timeout =~ ^[0-9]+$ ]] || die "--timeout wants whole seconds, got '$timeout'"

# Refuse early and clearly: a VM booted from a half-made root or without
# FRR only fails later in confusing ways.
[ -e "$root/.complete" ] || die "not a complete lab root: $root (run lab/mkroot.sh)"
kernel=$root/boot/vmlinuz-lab initrd=$root/boot/initrd-9p.img
{ [ -r "$kernel" ] && [ -r "$initrd" ]; } || die "root lacks $kernel or $initrd"
[ -x "$root/sbin/lab-init" ] || die "root lacks /sbin/lab-init"
[ -d "$stage" ] || die "stage directory missing: $stage"
[ -x "$stage/usr/lib/frr/zebra" ] || die "stage has no usr/lib/frr/zebra: $stage"
command -v qemu-system-x86_64 >/dev/null ||
	die "qemu-system-x86_64 not found (apt-get install qemu-system-x86)"

root=$(realpath "$root") stage=$(realpath "$stage")
# The repository is the one holding this script, wherever it was cloned.
src=$(cd "$(dirname "$(realpath "$0")")/.." && pwd)
mkdir -p "$results/vm"
results=$(realpath "$results")
vmdir=$results/vm
# qemu's option syntax splits on commas.
for p in "$root" "$stage" "$src" "$results"; do
	case $p in *,*) die "a path with a comma cannot be exported: $p" ;; esac
done
rm -f "$vmdir/exit-code" "$vmdir/console.log" "$vmdir/qemu.pid"

# The guest sees a private copy of the stage: a `make install` into STAGE
# while the VM runs (other engineers rebuild it often) would otherwise
# change or remove binaries under running tests.  It is small (< 100 MB).
snap=$(mktemp -d "${TMPDIR:-/tmp}/lab-stage.XXXXXX")
cleanup_snap() { rm -rf -- "$snap"; }
cp -a "$stage/." "$snap/" || { cleanup_snap; die "cannot copy the stage $stage"; }
for f in usr/lib/frr/zebra usr/lib/frr/frrinit.sh usr/bin/vtysh; do
	[ -e "$snap/$f" ] || { cleanup_snap; die "stage lacks $f (being rebuilt?): $stage"; }
done

# The command travels as a script: bash's %q quoting keeps every argument
# intact however it is spelled.
{
	echo '#!/bin/bash'
	echo '# Written by lab/vm.sh: the command to run in the guest.'
	echo 'cd /src || exit 125'
	printf 'exec'
	printf ' %q' "$@"
	printf '\n'
} >"$vmdir/cmd.sh"
chmod 0755 "$vmdir/cmd.sh"

# quiet + loglevel=3 keep kernel chatter off the console (it is still in
# dmesg); panic=-1 with -no-reboot turns any guest panic, including init
# dying, into qemu exiting rather than a hang.  cache=loose on the read-only
# root lets the guest cache what it reads: without it every exec re-reads
# binaries over 9p and setup takes 15-20 s instead of 3.
append="console=ttyS0 quiet loglevel=3 root=rootfs rootfstype=9p"
append+=" rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose ro"
append+=" init=/sbin/lab-init panic=-1"
# shellcheck disable=SC2054 # commas belong to qemu's option values
qemu=(qemu-system-x86_64 -accel tcg,thread=multi -cpu max -m "$mem" -smp 2
	-nodefaults -no-user-config -display none -no-reboot -nic none
	-serial stdio -pidfile "$vmdir/qemu.pid"
	-kernel "$kernel" -initrd "$initrd" -append "$append")
share() { # share TAG PATH [,readonly=on]
	qemu+=(-virtfs "local,path=$2,mount_tag=$1,id=$1,security_model=passthrough,multidevs=remap${3:-}")
}
share rootfs "$root" ,readonly=on
share src "$src" ,readonly=on
share stage "$snap" ,readonly=on
share results "$results"

# stdout gets the console from guest-init's first line on: BIOS and early
# boot noise go only to console.log.  sed -u keeps it streaming.
show_from_init() {
	sed -u -n -e 's/\r$//' -e 's/.*\r//' \
		-e '/^\[ *[0-9.]*\] \(sysrq: Power Off\|reboot: Power down\)$/d' \
		-e '/^lab: /,$p'
}

# Kill our qemu by the pid it wrote, after checking the pid still is a qemu.
stop_qemu() {
	local pid
	pid=$(cat "$vmdir/qemu.pid" 2>/dev/null) || return 0
	case $(cat "/proc/$pid/comm" 2>/dev/null) in
	qemu-system-*) kill "$pid" 2>/dev/null || true ;;
	esac
	rm -f "$vmdir/qemu.pid"
}
# Ctrl-C or a CI kill must not leave a VM (or the stage copy) behind.
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'stop_qemu; cleanup_snap' EXIT

boot() {
	start=$SECONDS
	echo "vm.sh: booting (timeout ${timeout}s, console log $vmdir/console.log)" >&2
	# Run in the background so `wait` returns at once when a signal arrives.
	set +e
	timeout --kill-after=10 "$timeout" "${qemu[@]}" </dev/null 2>&1 |
		tee "$vmdir/console.log" | show_from_init &
	wait $!
	stop_qemu
	# PIPESTATUS of a background pipeline is not available: the timeout's
	# verdict is judged from the elapsed time and the missing exit code.
	set -e
	elapsed=$((SECONDS - start))
}

boot
# qemu's TCG very rarely faults in the guest kernel's first second (seen
# once in many runs: a double fault in cmpxchg16b).  A guest that died
# before guest-init ran anything is booted once more; a failure of the
# command itself is never retried.
if [ ! -s "$vmdir/exit-code" ] && ! grep -q '^lab: ' "$vmdir/console.log" &&
	[ "$elapsed" -lt "$timeout" ]; then
	mv "$vmdir/console.log" "$vmdir/console-failed-boot.log"
	echo "vm.sh: the guest died while booting; booting again" >&2
	tail -n 5 "$vmdir/console-failed-boot.log" | sed 's/\r$//' >&2
	boot
fi

if [ -s "$vmdir/exit-code" ]; then
	rc=$(tr -dc 0-9 <"$vmdir/exit-code")
	echo "vm.sh: guest command exited with ${rc:-?} after ${elapsed}s" >&2
	if [ "${rc:-125}" = 125 ]; then
		# guest-init's own setup failed: its reason is on the console.
		tail -n 15 "$vmdir/console.log" | sed 's/\r$//' >&2
	fi
	exit "${rc:-125}"
fi
if [ "$elapsed" -ge "$timeout" ]; then
	echo "vm.sh: timed out after ${timeout}s; VM killed" >&2
	rc=124
else
	echo "vm.sh: the guest reported no exit code (boot failure or panic?)" >&2
	rc=125
fi
echo "vm.sh: last console lines:" >&2
tail -n 30 "$vmdir/console.log" | sed 's/\r$//' >&2
exit $rc
