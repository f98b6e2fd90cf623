# SPDX-License-Identifier: GPL-2.0-or-later
"""A small lab for system tests of frr-tunneld, run inside the lab VM.

A ``Lab`` owns everything it creates: FRR instances ("sites", one network
namespace each, run by FRR's own frrinit.sh with its pathspace support),
veth links between sites with netem impairments, and processes spawned in
the namespaces.  Leaving the ``with`` block (or calling ``close()``) tears
all of it down, also when the test failed.

    with Lab() as lab:
        a = lab.site("a", daemons=["bgpd"], config="router bgp 65001\\n")
        b = lab.site("b")
        link = lab.link(a, b, "10.0.0.1/30", "10.0.0.2/30", delay_ms=20)
        a.start(); b.start()
        print(a.ping("10.0.0.2"))
        a.vtysh("conf t", "ip route 10.9.0.0/24 10.0.0.2")

Every wait here is bounded.  This module refuses to run outside the lab
VM (FRR_LAB=1 is set by lab/guest-init): it creates namespaces, links and
qdiscs, which must never happen on a developer's or CI's host.
"""

import datetime
import glob
import grp
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import time

FRR_SBIN = "/usr/lib/frr"
FRRINIT = os.path.join(FRR_SBIN, "frrinit.sh")
VTYSH = "/usr/bin/vtysh"
ETC_FRR = "/etc/frr"
RUN_FRR = "/var/run/frr"
LOG_FRR = "/var/log/frr"
LIB_FRR = "/var/lib/frr"
NETNS_DIR = "/var/run/netns"
RESULTS = os.environ.get("LAB_RESULTS", "/results")

# frrcommon.sh always starts these three; other daemons are opt-in.
BASE_DAEMONS = ("zebra", "mgmtd", "staticd")
# Extra per-daemon command line options (before the lab's own).
DAEMON_EXTRA_OPTIONS = {
    # Debian's default: a big netlink receive buffer for route bursts.
    "zebra": "-s 90000000",
}


class LabError(Exception):
    """A lab operation failed; the message says what and shows output."""


class WaitAbort(LabError):
    """Raised inside a wait_until() condition: stop waiting, it cannot
    succeed any more."""


def in_lab_vm():
    """True inside the lab VM (set by lab/guest-init)."""
    return os.environ.get("FRR_LAB") == "1"


def _require_lab_vm():
    if not in_lab_vm():
        raise LabError(
            "lablib only runs inside the lab VM (FRR_LAB=1); "
            "use tests/system/run.sh, which boots it")


def _now():
    return datetime.datetime.now().strftime("%H:%M:%S.%f")[:-3]


def log(msg):
    """Progress line; pytest shows it for failing tests (-s shows all)."""
    print(f"[lab {_now()}] {msg}", flush=True)


def run(argv, check=True, timeout=60, input=None, preexec_fn=None, env=None):
    """Run argv (a list) and return the CompletedProcess (text, captured).

    Never used for commands that leave daemons behind: those would hold the
    pipes open.  Raises LabError on failure (if check) or timeout.
    """
    try:
        proc = subprocess.run(
            argv, input=input, capture_output=True, text=True,
            errors="replace", timeout=timeout, preexec_fn=preexec_fn,
            env=env)
    except subprocess.TimeoutExpired as exc:
        raise LabError(f"timed out after {timeout}s: {_fmt(argv)}\n"
                       f"{_out(exc.stdout)}{_out(exc.stderr)}") from None
    if check and proc.returncode != 0:
        raise LabError(f"exit {proc.returncode}: {_fmt(argv)}\n"
                       f"{proc.stdout}{proc.stderr}")
    return proc


def _out(data):
    if data is None:
        return ""
    if isinstance(data, bytes):
        data = data.decode(errors="replace")
    return data


def _fmt(argv):
    return " ".join(argv) if isinstance(argv, (list, tuple)) else str(argv)


def wait_until(fn, timeout=30.0, interval=0.5, what=None):
    """Call fn() until it returns a true value, which is returned.

    Exceptions from fn count as "not yet", except WaitAbort, which ends
    the wait at once.  After `timeout` seconds raise LabError naming `what`
    and the last value or exception seen.
    """
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            value = fn()
            if value:
                return value
            last = value
        except WaitAbort:
            raise
        except Exception as exc:  # pylint: disable=broad-except
            last = exc
        if time.monotonic() >= deadline:
            name = what or getattr(fn, "__name__", "condition")
            raise LabError(f"timed out after {timeout}s waiting for {name}; "
                           f"last result: {last!r}")
        time.sleep(interval)


def _netns_exists(name):
    return os.path.exists(os.path.join(NETNS_DIR, name))


def _netns_pids(name):
    """PIDs of processes whose network namespace is `name`."""
    if not _netns_exists(name):
        return []
    out = run(["ip", "netns", "pids", name], check=False).stdout
    return [int(p) for p in out.split() if p.isdigit()]


def _alive(pid):
    """True if pid exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            # The state follows the parenthesised command name.
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _kill_pids(pids, timeout=5.0):
    """SIGTERM, then SIGKILL what is left; only the given pids."""
    pids = [p for p in pids if _alive(p)]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and any(_alive(p) for p in pids):
            time.sleep(0.1)
        pids = [p for p in pids if _alive(p)]
        if not pids:
            return


def _chown_frr(path, group="frr", mode=None):
    os.chown(path, pwd.getpwnam("frr").pw_uid, grp.getgrnam(group).gr_gid)
    if mode is not None:
        os.chmod(path, mode)


def _write(path, text, group="frr", mode=0o640):
    with open(path, "w") as f:
        f.write(text)
    _chown_frr(path, group, mode)


# What FRR daemons log when they crash or hit an assertion.
CRASH = re.compile(r"Received signal \d+ at|Backtrace for|ASSERTION FAILED|"
                   r"AddressSanitizer|core dumped")
PING_RTT = re.compile(r"= ([\d.]+)/([\d.]+)/([\d.]+)/([\d.]+) ms")
PING_COUNT = re.compile(r"(\d+) packets transmitted, (\d+) received")


class Site:
    """One FRR instance in its own network namespace.  Made by Lab.site()."""

    def __init__(self, lab, name, daemons=(), config="", daemon_options=None,
                 forwarding=True):
        if not re.fullmatch(r"[a-z][a-z0-9_-]{0,11}", name):
            raise LabError(f"site name {name!r}: want [a-z][a-z0-9_-]{{0,11}} "
                           "(it names the netns and interfaces)")
        self.lab = lab
        self.name = name
        self.daemons = list(BASE_DAEMONS) + [
            d for d in daemons if d not in BASE_DAEMONS]
        self.daemon_options = dict(daemon_options or {})
        self.etc_dir = os.path.join(ETC_FRR, name)
        self.run_dir = os.path.join(RUN_FRR, name)
        self.log_dir = os.path.join(LOG_FRR, name)
        self.state_dir = os.path.join(LIB_FRR, name)
        self.config_file = os.path.join(self.etc_dir, "frr.conf")
        self.started = False
        self._procs = []
        self._create_netns(forwarding)
        self._write_files(config)

    def __repr__(self):
        return f"<Site {self.name}>"

    # -- setup -------------------------------------------------------------

    def _create_netns(self, forwarding):
        if _netns_exists(self.name):
            log(f"netns {self.name} left over from an earlier run: removing")
            self.lab._purge_site(self.name)
        run(["ip", "netns", "add", self.name])
        run(["ip", "-n", self.name, "link", "set", "lo", "up"])
        if forwarding:
            # Sites are routers.
            self.sh(["sysctl", "-qw", "net.ipv4.ip_forward=1",
                     "net.ipv6.conf.all.forwarding=1"])

    def daemons_file(self):
        """The text of /etc/frr/NAME/daemons for this site."""
        lines = ["# Written by tests/system/lablib.py"]
        lines += [f"{d}=yes" for d in self.daemons]
        lines.append("vtysh_enable=yes")
        # --netns: watchfrr enters netns NAME and starts every daemon there.
        lines.append(f'watchfrr_options="--netns '
                     f'--log file:{self.log_dir}/watchfrr.log"')
        for d in self.daemons:
            opts = [DAEMON_EXTRA_OPTIONS.get(d, ""), "-A 127.0.0.1",
                    f"--log file:{self.log_dir}/{d}.log",
                    self.daemon_options.get(d, "")]
            opts = " ".join(o for o in opts if o)
            lines.append(f'{d}_options="{opts}"')
        return "\n".join(lines) + "\n"

    def _write_files(self, config):
        for path in (self.etc_dir, self.run_dir, self.log_dir,
                     self.state_dir):
            os.makedirs(path, exist_ok=True)
            _chown_frr(path, mode=0o755)
        _write(os.path.join(self.etc_dir, "daemons"), self.daemons_file())
        _write(os.path.join(self.etc_dir, "vtysh.conf"),
               "service integrated-vtysh-config\n", group="frrvty")
        if not re.search(r"^hostname ", config, re.M):
            config = f"hostname {self.name}\n" + config
        if not re.search(r"^frr defaults ", config, re.M):
            config = "frr defaults traditional\n" + config
        _write(self.config_file, config if config.endswith("\n")
               else config + "\n")

    # -- running FRR -------------------------------------------------------

    def _uts(self):
        """preexec_fn: a UTS namespace whose hostname is the site's name.

        Daemons and vtysh then show `hostname NAME` (vtysh prints its own
        host name in running-config), as on a real router.
        """
        name = self.name

        def enter():
            os.unshare(os.CLONE_NEWUTS)
            socket.sethostname(name)
        return enter

    def _frrinit(self, action, timeout=120):
        """frrinit.sh ACTION NAME, output appended to frrinit.log.

        Its output goes to a file, not a pipe: watchfrr inherits it and
        stays running.
        """
        path = os.path.join(self.log_dir, "frrinit.log")
        with open(path, "a") as out:
            out.write(f"==== {_now()} frrinit.sh {action} {self.name}\n")
            out.flush()
            try:
                rc = subprocess.run(
                    [FRRINIT, action, self.name], stdin=subprocess.DEVNULL,
                    stdout=out, stderr=subprocess.STDOUT, timeout=timeout,
                    preexec_fn=self._uts()).returncode
            except subprocess.TimeoutExpired:
                raise LabError(f"{self.name}: frrinit.sh {action} timed out "
                               f"after {timeout}s; see {path}") from None
        if rc != 0:
            raise LabError(f"{self.name}: frrinit.sh {action} exited {rc}:\n"
                           + _tail(path, 30))

    def _forget_started(self):
        """watchfrr only creates watchfrr.started: drop a stale one."""
        try:
            os.unlink(os.path.join(self.run_dir, "watchfrr.started"))
        except FileNotFoundError:
            pass

    def _helpers_running(self):
        """watchfrr.sh or `vtysh -b` still working for this site?"""
        for pid in _netns_pids(self.name):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    argv = f.read().split(b"\0")
            except OSError:
                continue
            if any(a.endswith(b"watchfrr.sh") for a in argv) or (
                    argv and argv[0].endswith(b"vtysh") and b"-b" in argv):
                return True
        return False

    def _up(self):
        """All daemons running and the startup config applied."""
        if not self.daemon_pid("watchfrr"):
            raise WaitAbort(f"{self.name}: watchfrr is not running")
        if not os.path.exists(os.path.join(self.run_dir, "watchfrr.started")):
            return False
        missing = [d for d in self.daemons if not self.daemon_pid(d)]
        if missing:
            return False
        return not self._helpers_running()

    def _wait_up(self, timeout):
        try:
            wait_until(self._up, timeout=timeout, interval=0.5,
                       what=f"site {self.name} to come up")
        except LabError as exc:
            missing = [d for d in self.daemons if not self.daemon_pid(d)]
            hint = f"\nnot running: {' '.join(missing)}" if missing else ""
            raise LabError(f"{exc}{hint}\n"
                           + _tail(os.path.join(self.log_dir, "frrinit.log"),
                                   20)) from None
        # Answering vtysh is what every test needs next.
        wait_until(lambda: self.vtysh("show version", timeout=20),
                   timeout=30, what=f"vtysh on {self.name}")

    def _check_daemons(self):
        """Fail early on daemons frrinit.sh would silently skip."""
        try:
            with open(os.path.join(FRR_SBIN, "frrcommon.sh")) as f:
                m = re.search(r'^DAEMONS="([^"]*)"', f.read(), re.M)
            known = m.group(1).split() if m else []
        except OSError as exc:
            raise LabError(f"no FRR in this root: {exc}") from None
        for d in self.daemons:
            if not os.access(os.path.join(FRR_SBIN, d), os.X_OK):
                raise LabError(f"{self.name}: daemon {d} is not installed "
                               f"in {FRR_SBIN} (is the stage right?)")
            if d not in known:
                raise LabError(f"{self.name}: frrcommon.sh's DAEMONS does "
                               f"not list {d}, so frrinit.sh never starts it")

    def start(self, timeout=120):
        """Start FRR for this site and wait until its config is applied."""
        self._check_daemons()
        t0 = time.monotonic()
        self._forget_started()
        self.started = True
        self._frrinit("start", timeout)
        self._wait_up(timeout)
        log(f"{self.name}: FRR up in {time.monotonic() - t0:.1f}s "
            f"({' '.join(self.daemons)})")

    def stop(self, timeout=120):
        """Stop FRR for this site; kill whatever of it is left."""
        pids = self._frr_pids()
        try:
            self._frrinit("stop", timeout)
        finally:
            self.started = False
            try:
                wait_until(lambda: not any(_alive(p) for p in pids),
                           timeout=15, what=f"FRR on {self.name} to exit")
            except LabError:
                log(f"{self.name}: FRR did not stop; killing {pids}")
                _kill_pids(pids)

    def restart(self, timeout=150):
        """frrinit.sh restart NAME, then wait until it is up again."""
        t0 = time.monotonic()
        self._forget_started()
        self.started = True
        self._frrinit("restart", timeout)
        self._wait_up(timeout)
        log(f"{self.name}: FRR restarted in {time.monotonic() - t0:.1f}s")

    def _frr_pids(self):
        pids = []
        for path in glob.glob(os.path.join(self.run_dir, "*.pid")):
            try:
                with open(path) as f:
                    pids.append(int(f.read().strip()))
            except (OSError, ValueError):
                pass
        return [p for p in pids if _alive(p)]

    def daemon_pid(self, daemon):
        """PID of a running daemon of this site ("zebra", "watchfrr"), or
        None."""
        try:
            with open(os.path.join(self.run_dir, f"{daemon}.pid")) as f:
                pid = int(f.read().strip())
        except (OSError, ValueError):
            return None
        return pid if _alive(pid) else None

    def vtysh(self, *cmds, check=True, timeout=60):
        """Run `vtysh -N NAME -c CMD...`; return its output.

        Several commands run in one vtysh, so ("conf t", "ip route ...")
        works.  With check, a failing command raises LabError (vtysh exits 1
        on an error reply).
        """
        argv = [VTYSH, "-N", self.name]
        for cmd in cmds:
            argv += ["-c", cmd]
        proc = run(argv, check=False, timeout=timeout, preexec_fn=self._uts())
        out = proc.stdout + proc.stderr
        if check and proc.returncode != 0:
            raise LabError(f"{self.name}: vtysh {list(cmds)} exited "
                           f"{proc.returncode}:\n{out}")
        return out

    def vtysh_json(self, cmd, timeout=60):
        """Run one `show ... json` command and parse its output."""
        out = self.vtysh(cmd, timeout=timeout)
        try:
            return json.loads(out)
        except ValueError:
            raise LabError(f"{self.name}: {cmd!r} gave no JSON:\n{out}") \
                from None

    def running_config(self):
        return self.vtysh("show running-config")

    # -- the namespace -----------------------------------------------------

    def _nsargv(self, cmd):
        if isinstance(cmd, str):
            cmd = ["sh", "-c", cmd]
        return ["ip", "netns", "exec", self.name] + list(cmd)

    def sh(self, cmd, check=True, timeout=60, input=None):
        """Run a command in the site's namespace; return stdout.

        cmd is a shell string (run by sh -c) or an argv list.  Do not start
        background processes with it: use spawn().
        """
        proc = run(self._nsargv(cmd), check=False, timeout=timeout,
                   input=input)
        if check and proc.returncode != 0:
            raise LabError(f"{self.name}: exit {proc.returncode}: "
                           f"{_fmt(cmd)}\n{proc.stdout}{proc.stderr}")
        return proc.stdout

    def spawn(self, cmd, name=None):
        """Start a long-running command in the namespace (tcpdump, iperf).

        Output goes to LOGDIR/NAME.out; the lab kills it on close.
        """
        name = name or re.sub(r"\W+", "_", _fmt(cmd))[:40]
        out = open(os.path.join(self.log_dir, f"{name}.out"), "w")
        proc = subprocess.Popen(self._nsargv(cmd), stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        out.close()
        self._procs.append(proc)
        return proc

    def ping(self, dst, count=5, interval=0.2, wait=2, check=True,
             timeout=60, extra=()):
        """ping dst from this site; return dict(sent, received, min, avg,
        max, mdev, output).  RTTs are in ms (None if nothing came back)."""
        argv = ["ping", "-n", "-q", "-c", str(count), "-i", str(interval),
                "-W", str(wait)] + list(extra) + [dst]
        proc = run(self._nsargv(argv), check=False, timeout=timeout)
        res = {"sent": 0, "received": 0, "min": None, "avg": None,
               "max": None, "mdev": None, "output": proc.stdout + proc.stderr}
        m = PING_COUNT.search(proc.stdout)
        if m:
            res["sent"], res["received"] = int(m.group(1)), int(m.group(2))
        m = PING_RTT.search(proc.stdout)
        if m:
            for key, val in zip(("min", "avg", "max", "mdev"), m.groups()):
                res[key] = float(val)
        if check and res["received"] == 0:
            raise LabError(f"{self.name}: no reply from {dst}:\n"
                           f"{res['output']}")
        return res

    def logs(self):
        """{file name: text} of the site's log directory."""
        logs = {}
        for path in sorted(glob.glob(os.path.join(self.log_dir, "*"))):
            try:
                with open(path, errors="replace") as f:
                    logs[os.path.basename(path)] = f.read()
            except OSError:
                pass
        return logs

    def crashes(self):
        """Log lines telling of a daemon crash or assertion (empty if
        none): assert not site.crashes() at the end of a test."""
        return [f"{fname}: {line}" for fname, text in self.logs().items()
                for line in text.splitlines() if CRASH.search(line)]

    def dump(self, outdir):
        """Write this site's diagnostics into outdir/NAME/; return paths."""
        sdir = os.path.join(outdir, self.name)
        os.makedirs(sdir, exist_ok=True)
        written = []
        for fname, text in self.logs().items():
            written.append(_save(sdir, fname, text))
        cmds = {
            "ip-link.txt": "ip -d link show",
            "ip-addr.txt": "ip addr show",
            "ip-route.txt": "ip route show; ip -6 route show",
            "ip-route-all.txt": "ip route show table all; "
                                "ip -6 route show table all",
            "tc-qdisc.txt": "tc -s qdisc show",
            "ps.txt": "ps -eo pid,ppid,stat,user,args",
        }
        for fname, cmd in cmds.items():
            try:
                text = self.sh(cmd, check=False, timeout=20)
            except LabError as exc:
                text = str(exc)
            written.append(_save(sdir, fname, text))
        if self.daemon_pid("zebra"):
            for fname, cmd in (("running-config.txt", "show running-config"),
                               ("ip-route-frr.txt", "show ip route"),
                               ("watchfrr.txt", "show watchfrr")):
                try:
                    text = self.vtysh(cmd, check=False, timeout=20)
                except LabError as exc:
                    text = str(exc)
                written.append(_save(sdir, fname, text))
        try:
            with open(self.config_file) as f:
                written.append(_save(sdir, "frr.conf", f.read()))
        except OSError:
            pass
        return written

    def _kill_spawned(self):
        for proc in self._procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait(timeout=5)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    try:
                        os.killpg(proc.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    proc.wait(timeout=5)
        self._procs = []


def _save(dirpath, fname, text):
    path = os.path.join(dirpath, fname)
    with open(path, "w") as f:
        f.write(text)
    return path


def _tail(path, lines):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError as exc:
        return f"({path}: {exc})\n"


class Link:
    """A veth pair between two sites, with netem on both ends.

    Made by Lab.link().  Attributes: a, b (sites), ifname_a, ifname_b,
    addrs_a, addrs_b (lists of "addr/len"), ip_a, ip_b (first address of
    each end without its length), netem (current settings).
    """

    def __init__(self, lab, a, b, addr_a, addr_b, ifname_a, ifname_b,
                 netem):
        self.lab, self.a, self.b = lab, a, b
        self.ifname_a, self.ifname_b = ifname_a, ifname_b
        self.addrs_a, self.addrs_b = _addrs(addr_a), _addrs(addr_b)
        self.ip_a = self.addrs_a[0].split("/")[0] if self.addrs_a else None
        self.ip_b = self.addrs_b[0].split("/")[0] if self.addrs_b else None
        self.netem = {"delay_ms": 0, "jitter_ms": 0, "loss_pct": 0,
                      "rate": None}
        self.netem.update({k: v for k, v in netem.items() if v is not None})
        self._cut = False

        run(["ip", "link", "add", ifname_a, "netns", a.name, "type", "veth",
             "peer", "name", ifname_b, "netns", b.name])
        for site, ifname, addrs in ((a, ifname_a, self.addrs_a),
                                    (b, ifname_b, self.addrs_b)):
            for addr in addrs:
                # nodad: an IPv6 address is usable at once.
                extra = ["nodad"] if ":" in addr else []
                run(["ip", "-n", site.name, "addr", "add", addr, "dev",
                     ifname] + extra)
            run(["ip", "-n", site.name, "link", "set", ifname, "up"])
        self._apply()

    def __repr__(self):
        return (f"<Link {self.a.name}:{self.ifname_a} - "
                f"{self.b.name}:{self.ifname_b}>")

    def ends(self):
        return ((self.a, self.ifname_a), (self.b, self.ifname_b))

    def _netem_args(self, settings):
        args = []
        if settings["delay_ms"] or settings["jitter_ms"]:
            args += ["delay", f"{settings['delay_ms']}ms"]
            if settings["jitter_ms"]:
                args.append(f"{settings['jitter_ms']}ms")
        if settings["loss_pct"]:
            args += ["loss", f"{settings['loss_pct']}%"]
        if settings["rate"]:
            args += ["rate", str(settings["rate"])]
        return args

    def _apply(self):
        settings = dict(self.netem)
        if self._cut:
            settings["loss_pct"] = 100
        args = self._netem_args(settings)
        for site, ifname in self.ends():
            if args:
                run(["tc", "-n", site.name, "qdisc", "replace", "dev", ifname,
                     "root", "netem"] + args)
            else:
                # No impairment: back to the default qdisc.
                run(["tc", "-n", site.name, "qdisc", "del", "dev", ifname,
                     "root"], check=False)

    def impair(self, delay_ms=None, jitter_ms=None, loss_pct=None, rate=None):
        """Change netem on both ends while running; None keeps a setting,
        0 (or rate="") clears it."""
        for key, val in (("delay_ms", delay_ms), ("jitter_ms", jitter_ms),
                         ("loss_pct", loss_pct), ("rate", rate)):
            if val is not None:
                self.netem[key] = val
        self._apply()
        log(f"{self}: netem {self._netem_args(self.netem) or 'none'}"
            f"{' (cut)' if self._cut else ''}")

    def cut(self, carrier=False):
        """Break the link.

        By default silently (100 % loss on both ends: interfaces stay up, as
        when a WAN path fails); with carrier=True both ends go down, which
        daemons see at once.
        """
        if carrier:
            for site, ifname in self.ends():
                run(["ip", "-n", site.name, "link", "set", ifname, "down"])
            self._cut = "carrier"
        else:
            self._cut = True
            self._apply()
        log(f"{self}: cut{' (carrier down)' if carrier else ''}")

    def restore(self):
        """Undo cut(); the impairment settings stay as they were."""
        if self._cut == "carrier":
            for site, ifname in self.ends():
                run(["ip", "-n", site.name, "link", "set", ifname, "up"])
        self._cut = False
        self._apply()
        log(f"{self}: restored")


def _addrs(addr):
    if addr is None:
        return []
    if isinstance(addr, str):
        return [addr]
    return list(addr)


# Labs still open: the failure hook in conftest.py dumps them.
active_labs = []


class Lab:
    """Owner of sites, links and namespaces; a context manager.

    name labels dumps.  On an exception leaving the `with` block the lab
    dumps its diagnostics (see dump()) before tearing down.
    """

    def __init__(self, name=None):
        _require_lab_vm()
        self.name = name or _current_test() or "lab"
        self.sites = {}
        self.links = []
        self.dumped_to = None
        active_labs.append(self)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and exc_type is not KeyboardInterrupt:
            try:
                self.dump()
            except Exception as dump_exc:  # pylint: disable=broad-except
                log(f"dump failed: {dump_exc}")
        self.close(raise_errors=exc_type is None)
        return False

    def site(self, name, daemons=(), config="", daemon_options=None,
             forwarding=True):
        """Create a site: netns NAME (lo up, forwarding on) and its FRR
        config files.  FRR is not started: call site.start().

        daemons: daemons besides zebra, mgmtd and staticd (always run).
        config: frr.conf text (hostname NAME is added unless given).
        daemon_options: {daemon: "extra command line options"}.
        """
        if name in self.sites:
            raise LabError(f"site {name} exists already")
        try:
            site = Site(self, name, daemons, config, daemon_options,
                        forwarding)
        except Exception:
            # Half-made: not in self.sites yet, so close() would miss it.
            self._purge_site(name)
            raise
        self.sites[name] = site
        return site

    def link(self, site_a, site_b, addr_a="10.0.0.1/30", addr_b="10.0.0.2/30",
             delay_ms=None, jitter_ms=None, loss_pct=None, rate=None,
             ifname_a=None, ifname_b=None):
        """Connect two sites with a veth pair.

        addr_a/addr_b: "addr/len" or a list of them (IPv4 and/or IPv6), or
        None.  Interfaces are named "to-PEER" (plus "-N" for a second link
        between the same pair) unless given.  delay/jitter/loss/rate become
        netem on both ends, so the RTT is twice delay_ms.
        """
        n = sum(1 for l in self.links if {l.a, l.b} == {site_a, site_b})
        sfx = f"-{n}" if n else ""
        ifname_a = ifname_a or f"to-{site_b.name}{sfx}"
        ifname_b = ifname_b or f"to-{site_a.name}{sfx}"
        for ifname in (ifname_a, ifname_b):
            if len(ifname) > 15:
                raise LabError(f"interface name {ifname!r} is too long")
        link = Link(self, site_a, site_b, addr_a, addr_b, ifname_a, ifname_b,
                    {"delay_ms": delay_ms, "jitter_ms": jitter_ms,
                     "loss_pct": loss_pct, "rate": rate})
        self.links.append(link)
        return link

    def dump(self, outdir=None):
        """Write every site's logs and state under outdir (default
        RESULTS/logs/LABNAME); return the directory."""
        outdir = outdir or os.path.join(RESULTS, "logs",
                                        _safe_name(self.name))
        os.makedirs(outdir, exist_ok=True)
        for site in self.sites.values():
            try:
                site.dump(outdir)
            except Exception as exc:  # pylint: disable=broad-except
                _save(outdir, f"{site.name}-dump-error.txt", repr(exc))
        self.dumped_to = outdir
        return outdir

    def _purge_site(self, name):
        """Remove everything of site `name`: FRR, processes, netns, files."""
        errors = []
        pids = []
        for path in glob.glob(os.path.join(RUN_FRR, name, "*.pid")):
            try:
                with open(path) as f:
                    pids.append(int(f.read().strip()))
            except (OSError, ValueError):
                pass
        pids = [p for p in pids if _alive(p)]
        if pids and os.path.exists(os.path.join(ETC_FRR, name, "daemons")):
            try:
                run([FRRINIT, "stop", name], check=False, timeout=120)
            except LabError as exc:
                errors.append(str(exc))
        # Whatever still runs in the namespace was started by the lab, and so
        # were daemons found by pid file (should --netns not be honoured).
        _kill_pids(_netns_pids(name) + pids)
        if _netns_exists(name):
            proc = run(["ip", "netns", "del", name], check=False)
            if proc.returncode != 0:
                errors.append(f"ip netns del {name}: {proc.stderr}")
        for path in (os.path.join(ETC_FRR, name), os.path.join(RUN_FRR, name),
                     os.path.join(LOG_FRR, name), os.path.join(LIB_FRR, name)):
            shutil.rmtree(path, ignore_errors=True)
        return errors

    def close(self, raise_errors=True):
        """Tear everything down (idempotent).  Errors are collected and
        raised at the end (if raise_errors), never stopping the cleanup."""
        errors = []
        for site in reversed(list(self.sites.values())):
            site._kill_spawned()
            if site.started:
                try:
                    site.stop()
                except Exception as exc:  # pylint: disable=broad-except
                    errors.append(f"stop {site.name}: {exc}")
            # Deleting the namespaces also deletes the veth pairs in them.
            errors += self._purge_site(site.name)
        self.sites = {}
        self.links = []
        if self in active_labs:
            active_labs.remove(self)
        if errors and raise_errors:
            raise LabError("lab cleanup failed:\n" + "\n".join(errors))
        for err in errors:
            log(f"cleanup: {err}")


def _current_test():
    """The running pytest test's name, from PYTEST_CURRENT_TEST."""
    cur = os.environ.get("PYTEST_CURRENT_TEST", "")
    # "tests/system/test_x.py::test_y[param] (call)" -> "test_y[param]"
    return cur.rsplit(" ", 1)[0].split("::")[-1] if cur else None


def _safe_name(name):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "lab"
