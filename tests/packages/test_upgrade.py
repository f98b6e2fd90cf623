# SPDX-License-Identifier: GPL-2.0-or-later
"""Upgrade from Debian's own frr 10.3 to ours, on a router with a
configuration of its own: /etc/frr and the running configuration are kept,
and tunneld can then be enabled.

The steps run in order on one router and build on each other.
"""

import pkglib

DAEMONS = ["zebra", "mgmtd", "staticd", "bgpd"]

# A router's own configuration, as an administrator would have written it.
FRR_CONF = """\
frr defaults traditional
hostname edge1
log syslog informational
service integrated-vtysh-config
!
ip route 198.51.100.0/24 Null0
!
interface lo
 description loopback of edge1
exit
!
router bgp 65001
 bgp router-id 192.0.2.1
 neighbor 192.0.2.2 remote-as 65002
 neighbor 192.0.2.2 description upstream
exit
!
"""

TUNNEL_CMDS = ["configure", "tunnel gre-up", "kind gre",
               "underlay destination 192.0.2.2", "ip address 10.255.9.1/30",
               "exit"]
TUNNEL_BLOCK = ["tunnel gre-up", " kind gre",
                " underlay destination 192.0.2.2", " ip address 10.255.9.1/30"]

state = {}


def etc_frr(router):
    """The files of /etc/frr and their checksums."""
    out = router.out("cd /etc/frr && sha256sum *")
    return dict(reversed(line.split()) for line in out.strip().split("\n"))


# vtysh shows its own hostname (the system's), not the one in frr.conf;
# "exit" ends every block, the tunnel's too.
WANTED = [l for l in FRR_CONF.split("\n")
          if l.strip() not in ("", "!", "exit") and not l.startswith("hostname")]


def own_config(lines):
    """The lines of FRR_CONF that show up in a running config."""
    return [l for l in lines if l in WANTED]


def test_install_stock(router):
    """Debian's frr and frr-pythontools, from the archive."""
    stock = pkglib.versions()["stock"]
    router.out("apt-get update -q")
    # Without recommends: they add ca-certificates, whose setup takes
    # minutes under TCG, and nothing FRR uses.
    router.apt("install --no-install-recommends frr frr-pythontools")
    assert router.dpkg_version("frr") == stock
    assert router.dpkg_version("frr-pythontools") == stock
    assert "tunneld" not in router.read("/etc/frr/daemons")


def test_stock_runs_own_config(router):
    """The administrator's frr.conf and daemons (bgpd enabled), running."""
    router.write("/etc/frr/frr.conf", FRR_CONF)
    router.set_daemon("bgpd", "yes")
    router.start(DAEMONS)
    running = router.running_config()
    assert set(WANTED) <= set(running), running
    state["running"] = running
    state["etc"] = etc_frr(router)
    state["pids"] = {d: router.pid(d) for d in DAEMONS + ["watchfrr"]}


def test_upgrade_keeps_config(router):
    """apt installs ours over Debian's; /etc/frr is untouched and FRR keeps
    running its configuration (like Debian's frr, no restart on upgrade)."""
    ours = pkglib.versions()["ours"]
    router.apt("install ./frr_*.deb ./frr-pythontools_*.deb ./frr-tunneld_*.deb")
    for pkg in ("frr", "frr-pythontools", "frr-tunneld"):
        assert router.dpkg_version(pkg) == ours, pkg
    # Changed conffiles are kept (the new version lands next to them as
    # NAME.dpkg-dist); the others are unchanged between the versions.
    now = etc_frr(router)
    assert {f: now.get(f) for f in state["etc"]} == state["etc"], now
    assert {d: router.pid(d) for d in state["pids"]} == state["pids"]
    assert router.running_config() == state["running"]


def test_restart_after_upgrade(router):
    """Restarted on our binaries, FRR runs the same configuration."""
    router.restart(DAEMONS)
    assert own_config(router.running_config()) == own_config(state["running"])


def test_enable_tunneld(router):
    """The kept daemons file has no tunneld line: adding tunneld=yes and
    restarting starts tunneld; its config survives a restart, next to the
    router's own."""
    router.set_daemon("tunneld", "yes")
    router.restart(DAEMONS + ["tunneld"])
    assert router.vtysh_json("show tunnel json") == {}
    router.vtysh(*TUNNEL_CMDS)
    router.vtysh("write memory")
    router.restart(DAEMONS + ["tunneld"])
    running = router.running_config()
    start = running.index(TUNNEL_BLOCK[0])
    assert running[start:start + len(TUNNEL_BLOCK)] == TUNNEL_BLOCK, running
    assert own_config(running) == own_config(state["running"])
    assert "gre-up" in router.vtysh_json("show tunnel json")
