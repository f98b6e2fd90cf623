# SPDX-License-Identifier: GPL-2.0-or-later
"""A clean Debian 13 "router" for the package tests, inside the lab VM.

tests/packages/run.sh puts, in the VM's stage (seen at /stage):
  pkgtest/clean/   a minbase Debian 13 root (debootstrap), never written to
  pkgtest/repo/    a flat apt repository of Debian's packages (offline)
  pkgtest/debs/    our .debs
  pkgtest/versions.json  {"ours": VERSION, "stock": VERSION}

A Router is a fresh overlay of pkgtest/clean (tmpfs on top) with proc,
sys, dev, run and tmp mounted, the repository and our .debs bound in, and
a network namespace of its own.  Commands run in it with chroot, the way an
administrator works on a router: apt, frrinit.sh (no systemd here), vtysh.
Every command and its output go to LOGDIR/commands.log.
"""

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import time

PKG = "/stage/pkgtest"
CLEAN = f"{PKG}/clean"
REPO = f"{PKG}/repo"
DEBS = f"{PKG}/debs"

PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# Unattended apt, as on a router managed by scripts: keep the local version
# of a changed conffile (dpkg would otherwise ask on a terminal).
APT = ("apt-get -y -q -o Dpkg::Use-Pty=0 "
       "-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold")


class PkgError(Exception):
    """A command or a wait failed; the message says what and shows why."""


def in_lab_vm():
    return os.environ.get("FRR_LAB") == "1" and os.path.isdir(CLEAN)


def versions():
    with open(f"{PKG}/versions.json") as f:
        return json.load(f)


def _now():
    return time.strftime("%H:%M:%S")


def log(msg):
    print(f"[{_now()}] {msg}", flush=True)


def wait_until(fn, timeout, what, interval=0.5):
    """Call fn until it returns something true; return that."""
    deadline = time.monotonic() + timeout
    while True:
        val = fn()
        if val:
            return val
        if time.monotonic() > deadline:
            raise PkgError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is not alive.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _tail(text, lines=25):
    return "\n".join(text.rstrip("\n").split("\n")[-lines:])


class Router:
    """A clean Debian 13 root to install packages into and run FRR in."""

    def __init__(self, name, logdir):
        self.name = name
        self.base = f"/tmp/pkgtest-{name}"
        self.root = f"{self.base}/root"
        self.netns = f"pkg-{name}"[:15]
        self.logdir = logdir
        self.mounts = []
        os.makedirs(logdir, exist_ok=True)
        self._cmdlog = open(os.path.join(logdir, "commands.log"), "a")

    # -- set up and tear down ---------------------------------------------

    def _mount(self, *args):
        target = args[-1]
        subprocess.run(["mount", *args], check=True)
        self.mounts.append(target)

    def setup(self):
        for d in ("upper", "work", "root"):
            os.makedirs(f"{self.base}/{d}", exist_ok=True)
        # 9p lower layer: no index, redirects or metacopy (as guest-init).
        self._mount("-t", "overlay", "-o",
                    f"lowerdir={CLEAN},upperdir={self.base}/upper,"
                    f"workdir={self.base}/work,index=off,redirect_dir=off,"
                    "metacopy=off,xino=off", "overlay", self.root)
        r = self.root
        self._mount("-t", "proc", "proc", f"{r}/proc")
        self._mount("-t", "sysfs", "sys", f"{r}/sys")
        self._mount("--rbind", "/dev", f"{r}/dev")
        self._mount("-t", "tmpfs", "-o", "mode=0755", "run", f"{r}/run")
        self._mount("-t", "tmpfs", "-o", "mode=1777", "tmp", f"{r}/tmp")
        for src, dst in ((REPO, "/srv/repo"), (DEBS, "/srv/debs")):
            os.makedirs(r + dst, exist_ok=True)
            self._mount("--bind", "-o", "ro", src, r + dst)
        os.makedirs(f"{r}/run/lock", exist_ok=True)
        # apt sees only the offline repository: the VM has no network.
        with open(f"{r}/etc/apt/sources.list", "w") as f:
            f.write("deb [trusted=yes] file:/srv/repo ./\n")
        with open(f"{r}/etc/hostname", "w") as f:
            f.write(f"{self.name}\n")
        with open(f"{r}/etc/hosts", "w") as f:
            f.write(f"127.0.0.1\tlocalhost\n127.0.1.1\t{self.name}\n"
                    "::1\tlocalhost ip6-localhost\n")
        subprocess.run(["ip", "netns", "add", self.netns], check=True)
        subprocess.run(["ip", "-n", self.netns, "link", "set", "lo", "up"],
                       check=True)
        log(f"{self.name}: clean root ready at {self.root}")

    def processes(self):
        """PIDs of the processes running in this root."""
        pids = []
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                if os.readlink(f"/proc/{d}/root") == self.root:
                    pids.append(int(d))
            except OSError:
                pass
        return pids

    def close(self):
        try:
            if self.pid("watchfrr"):
                self.sh("/usr/lib/frr/frrinit.sh stop", check=False,
                        timeout=60, quiet=True)
        except Exception as exc:  # pylint: disable=broad-except
            log(f"{self.name}: stopping FRR failed: {exc}")
        for sig in (signal.SIGTERM, signal.SIGKILL):
            pids = self.processes()
            for pid in pids:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            if pids:
                try:
                    wait_until(lambda: not any(_alive(p) for p in pids), 5,
                               "processes to exit")
                except PkgError:
                    pass
        subprocess.run(["umount", "-R", "-l", self.root], check=False)
        subprocess.run(["ip", "netns", "del", self.netns], check=False,
                       stderr=subprocess.DEVNULL)
        shutil.rmtree(self.base, ignore_errors=True)
        self._cmdlog.close()

    # -- commands ------------------------------------------------------------

    def sh(self, cmd, check=True, timeout=300, quiet=False):
        """Run a shell command in the root (and its netns); return
        (exit status, output).

        Output goes through a file, never a pipe: daemons started by the
        command (watchfrr, and through it all of FRR) inherit it and would
        keep a pipe open forever.
        """
        argv = ["nsenter", f"--net=/run/netns/{self.netns}", "chroot",
                self.root, "/usr/bin/env", "-i", f"PATH={PATH}",
                "HOME=/root", "LANG=C.UTF-8", "TERM=dumb",
                "DEBIAN_FRONTEND=noninteractive", "/bin/sh", "-c", cmd]
        outpath = f"{self.base}/cmd.out"
        t0 = time.monotonic()
        with open(outpath, "w+") as out:
            try:
                rc = subprocess.run(argv, stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=subprocess.STDOUT,
                                    timeout=timeout).returncode
            except subprocess.TimeoutExpired:
                rc = None
            out.seek(0)
            text = out.read()
        took = time.monotonic() - t0
        self._cmdlog.write(f"==== [{_now()}] {self.name}$ {cmd}\n{text}"
                           f"==== exit {rc} after {took:.1f}s\n")
        self._cmdlog.flush()
        if not quiet:
            log(f"{self.name}$ {cmd[:100]}  -> {rc} ({took:.1f}s)")
        if rc is None:
            raise PkgError(f"{self.name}: timed out after {timeout}s: "
                           f"{cmd}\n{_tail(text)}")
        if check and rc != 0:
            raise PkgError(f"{self.name}: exit {rc}: {cmd}\n{_tail(text)}")
        return rc, text

    def out(self, cmd, **kw):
        return self.sh(cmd, **kw)[1]

    def apt(self, args, **kw):
        """apt-get ARGS (unattended, keeping changed conffiles); output."""
        kw.setdefault("timeout", 900)
        return self.out(f"cd /srv/debs && {APT} {args}", **kw)

    def exists(self, path):
        return os.path.lexists(self.root + path)

    def read(self, path):
        with open(self.root + path, errors="replace") as f:
            return f.read()

    def write(self, path, text, owner=None, mode=None):
        """Write a file in the root; an existing one keeps its owner and
        mode unless they are given."""
        with open(self.root + path, "w") as f:
            f.write(text)
        if owner:
            self.sh(f"chown {owner} {path}", quiet=True)
        if mode:
            self.sh(f"chmod {mode} {path}", quiet=True)

    def dpkg_version(self, pkg):
        """The installed version of PKG, or None."""
        rc, out = self.sh(f"dpkg-query -W -f '${{db:Status-Abbrev}} "
                          f"${{Version}}' {pkg}", check=False, quiet=True)
        if rc != 0 or not out.startswith("ii"):
            return None
        return out.split()[-1]

    def dpkg_status(self, pkg):
        """dpkg's two-letter status of PKG ("ii", "rc", ...), or None."""
        rc, out = self.sh(f"dpkg-query -W -f '${{db:Status-Abbrev}}' {pkg}",
                          check=False, quiet=True)
        return (out.strip() or None) if rc == 0 else None

    # -- FRR -----------------------------------------------------------------

    def pid(self, daemon):
        try:
            with open(f"{self.root}/run/frr/{daemon}.pid") as f:
                pid = int(f.read().strip())
        except (OSError, ValueError):
            return None
        return pid if _alive(pid) else None

    def pids(self, name):
        """PIDs of processes in this root whose command is NAME."""
        found = []
        for pid in self.processes():
            try:
                with open(f"/proc/{pid}/comm") as f:
                    if f.read().strip() == name:
                        found.append(pid)
            except OSError:
                pass
        return found

    def frrinit(self, action, timeout=240):
        # frrinit.sh's messages go to a log file in the root; watchfrr keeps it.
        return self.sh(f"/usr/lib/frr/frrinit.sh {action} "
                       f">>/var/log/frrinit.log 2>&1", timeout=timeout)

    def _helpers_running(self):
        for pid in self.processes():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    argv = f.read().split(b"\0")
            except OSError:
                continue
            if any(a.endswith(b"watchfrr.sh") for a in argv) or (
                    argv and argv[0].endswith(b"vtysh") and b"-b" in argv):
                return True
        return False

    def wait_up(self, daemons, timeout=180):
        """watchfrr has started DAEMONS and frr.conf has been applied."""
        def up():
            if not self.pid("watchfrr"):
                raise PkgError(f"{self.name}: watchfrr is not running:\n"
                               + _tail(self.read("/var/log/frrinit.log")))
            if not self.exists("/run/frr/watchfrr.started"):
                return False
            if any(not self.pid(d) for d in daemons):
                return False
            return not self._helpers_running()
        t0 = time.monotonic()
        try:
            wait_until(up, timeout, f"FRR ({' '.join(daemons)}) on {self.name}")
        except PkgError as exc:
            missing = [d for d in daemons if not self.pid(d)]
            raise PkgError(f"{exc}; not running: {' '.join(missing)}") from None
        wait_until(lambda: self.sh("vtysh -c 'show version'", check=False,
                                   quiet=True)[0] == 0, 30, "vtysh")
        log(f"{self.name}: FRR up in {time.monotonic() - t0:.1f}s")

    def start(self, daemons):
        self._forget_started()
        self.frrinit("start")
        self.wait_up(daemons)

    def restart(self, daemons):
        self._forget_started()
        self.frrinit("restart")
        self.wait_up(daemons)

    def stop(self):
        self.frrinit("stop")
        wait_until(lambda: not self.pids("watchfrr") and not self.pids("zebra"),
                   30, "FRR to stop")

    def _forget_started(self):
        try:
            os.unlink(f"{self.root}/run/frr/watchfrr.started")
        except FileNotFoundError:
            pass

    def vtysh(self, *cmds, check=True):
        return self.out("vtysh " + " ".join(f"-c {shlex.quote(c)}"
                                            for c in cmds), check=check)

    def vtysh_json(self, cmd):
        text = self.vtysh(cmd)
        try:
            return json.loads(text)
        except ValueError:
            raise PkgError(f"{self.name}: {cmd!r} gave no JSON:\n{text}") \
                from None

    def running_config(self):
        """show running-config without its header lines and separators."""
        lines = []
        for line in self.vtysh("show running-config").split("\n"):
            if (not line.strip() or line.strip() == "!"
                    or line.startswith(("Building configuration",
                                        "Current configuration"))):
                continue
            lines.append(line.rstrip())
        return lines

    def set_daemon(self, daemon, value):
        """daemon=value in /etc/frr/daemons, replacing or appending."""
        text = self.read("/etc/frr/daemons")
        line = f"{daemon}={value}"
        if re.search(rf"^{daemon}=", text, re.M):
            text = re.sub(rf"^{daemon}=.*$", line, text, flags=re.M)
        else:
            text += f"{line}\n"
        self.write("/etc/frr/daemons", text)

    # -- failure reports -----------------------------------------------------

    def dump(self):
        """Copy what explains a failure into LOGDIR."""
        d = self.logdir
        try:
            for path in ("/var/log/frrinit.log", "/var/log/dpkg.log",
                         "/var/log/apt/term.log", "/etc/frr/daemons",
                         "/etc/frr/frr.conf"):
                if self.exists(path):
                    shutil.copy(self.root + path,
                                os.path.join(d, path.strip("/").replace("/", "_")))
            if os.path.exists("/var/log/syslog"):
                shutil.copy("/var/log/syslog", os.path.join(d, "syslog"))
            ps = subprocess.run(["ps", "-o", "pid,user,args", "-p",
                                 ",".join(map(str, self.processes())) or "1"],
                                capture_output=True, text=True).stdout
            with open(os.path.join(d, "ps.txt"), "w") as f:
                f.write(ps)
            if self.pid("watchfrr"):
                for cmd in ("show watchfrr", "show running-config"):
                    rc, text = self.sh(f"vtysh -c '{cmd}'", check=False,
                                       timeout=30, quiet=True)
                    with open(os.path.join(d, cmd.replace(" ", "-") + ".txt"),
                              "w") as f:
                        f.write(text)
        except Exception as exc:  # pylint: disable=broad-except
            log(f"{self.name}: dump incomplete: {exc}")
