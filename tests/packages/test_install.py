# SPDX-License-Identifier: GPL-2.0-or-later
"""Our packages on a clean Debian 13 root: install, enable tunneld, the
tunnel config across restarts, removal and purge.

The steps run in order on one router and build on each other.
"""

import os

import pkglib

DAEMONS = ["zebra", "mgmtd", "staticd"]

TUNNEL_CMDS = [
    "configure",
    "tunnel gre1",
    "kind gre",
    "description to site b",
    "underlay source 192.0.2.1",
    "underlay destination 192.0.2.2",
    "ip address 10.255.0.1/30",
    "exit",
]
TUNNEL_BLOCK = [
    "tunnel gre1",
    " kind gre",
    " description to site b",
    " underlay source 192.0.2.1",
    " underlay destination 192.0.2.2",
    " ip address 10.255.0.1/30",
]

state = {}


def assert_block(lines, block):
    """BLOCK's lines appear in LINES, in order, one after another."""
    start = lines.index(block[0]) if block[0] in lines else -1
    assert start >= 0 and lines[start:start + len(block)] == block, (
        "expected block:\n" + "\n".join(block) + "\nin:\n" + "\n".join(lines))


def test_apt_install(router):
    """`apt install ./frr_*.deb ./frr-tunneld_*.deb` pulls the rest from the
    (offline) Debian archive and succeeds."""
    ours = pkglib.versions()["ours"]
    router.out("apt-get update -q")
    router.out("cd /srv/debs && apt install -y -q ./frr_*.deb ./frr-tunneld_*.deb",
               timeout=900)
    assert router.dpkg_version("frr") == ours
    assert router.dpkg_version("frr-tunneld") == ours
    # Debian's frr-pythontools (recommended by frr) does not know the tunnel
    # blocks; our frr Breaks it, so apt leaves the recommendation out.
    assert router.dpkg_version("frr-pythontools") in (None, ours)

    for path in ("/usr/lib/frr/tunneld", "/usr/share/yang/frr-tunneld.yang",
                 "/usr/share/man/man8/frr-tunneld.8.gz",
                 "/usr/share/doc/frr-tunneld/examples/frr.conf",
                 "/usr/share/doc/frr-tunneld/README.Debian"):
        assert router.exists(path), path
    assert router.out("dpkg -S /usr/lib/frr/tunneld").startswith("frr-tunneld:")
    assert router.out("dpkg -S /usr/share/yang/frr-tunneld.yang").startswith(
        "frr-tunneld:")
    # ZeroMQ is on in this build, and libfrrzmq ships in frr.
    zmq = router.out("dpkg -L frr | grep '/libfrrzmq\\.so\\.'")
    assert "libfrrzmq.so.0" in zmq
    assert "not found" not in router.out("ldd /usr/lib/frr/tunneld")
    # The daemons file of our frr knows tunneld, off by default.
    assert "\ntunneld=no\n" in router.read("/etc/frr/daemons")
    assert "tunneld" in router.read("/usr/lib/frr/frrcommon.sh")
    state["files"] = [
        p for p in router.out("dpkg -L frr-tunneld").split("\n")
        if p.startswith("/") and not os.path.isdir(router.root + p)]

    # Our frr-pythontools installs next to it.  Without recommends: they
    # add ca-certificates, whose setup takes minutes under TCG.
    router.apt("install --no-install-recommends ./frr-pythontools_*.deb")
    assert router.dpkg_version("frr-pythontools") == ours


def test_start_tunneld(router):
    """tunneld=yes plus a (re)start of FRR starts tunneld; it answers."""
    router.set_daemon("tunneld", "yes")
    router.start(DAEMONS + ["tunneld"])
    status = open(f"/proc/{router.pid('tunneld')}/status").read()
    uid = [l for l in status.split("\n") if l.startswith("Uid:")][0].split()[1]
    assert router.out(f"getent passwd {uid}").startswith("frr:")
    assert router.vtysh_json("show tunnel json") == {}
    assert "tunneld" in router.vtysh("show watchfrr")


def test_config_survives_restart(router):
    """A tunnel configured with vtysh is saved and comes back after a
    restart of FRR."""
    router.vtysh(*TUNNEL_CMDS)
    assert "gre1" in router.vtysh_json("show tunnel json")
    router.vtysh("write memory")
    conf = router.read("/etc/frr/frr.conf").split("\n")
    assert_block(conf, TUNNEL_BLOCK)

    router.restart(DAEMONS + ["tunneld"])
    assert_block(router.running_config(), TUNNEL_BLOCK)
    tunnels = router.vtysh_json("show tunnel json")
    assert tunnels.get("gre1", {}).get("kind") == "gre", tunnels
    assert "gre1" in router.vtysh_json("show tunnel gre1 json")


def test_reload_knows_tunnel_blocks(router):
    """Our frr-reload.py parses the tunnel blocks as blocks: frr.conf and
    the running config are the same to it, and a changed line is changed
    inside its tunnel."""
    reload = "/usr/lib/frr/frr-reload.py --test --stdout"
    out = router.out(f"{reload} /etc/frr/frr.conf 2>&1")
    assert "Lines To Delete" not in out and "Lines To Add" not in out, out
    router.out("sed 's/to site b/to site c/' /etc/frr/frr.conf >/tmp/new.conf")
    out = router.out(f"{reload} /tmp/new.conf 2>&1")
    added = out.split("Lines To Add", 1)[-1]
    assert "tunnel gre1\n description to site c" in added, out


def test_remove_stops_only_tunneld(router):
    """Removing frr-tunneld stops tunneld; FRR keeps running, watchfrr does
    not restart it, and the tunnel config stays with mgmtd."""
    tunneld = router.pid("tunneld")
    others = {d: router.pid(d) for d in DAEMONS + ["watchfrr"]}
    assert tunneld and all(others.values()), others
    router.apt("remove frr-tunneld")
    # It has no conffiles: removed, it is not even "rc".
    assert router.dpkg_status("frr-tunneld") in (None, "rc")
    assert not router.exists("/usr/lib/frr/tunneld")
    assert not pkglib._alive(tunneld)
    # watchfrr would restart it within seconds if it still watched it.
    pkglib.time.sleep(12)
    assert not router.pids("tunneld"), "tunneld came back"
    assert {d: router.pid(d) for d in others} == others
    assert "FRRouting" in router.vtysh("show version")
    assert_block(router.running_config(), TUNNEL_BLOCK)


def test_restart_without_tunneld(router):
    """With frr-tunneld gone (and tunneld=yes left in daemons), FRR restarts
    without it and mgmtd still takes the tunnel config from frr.conf."""
    router.restart(DAEMONS)
    assert not router.pids("tunneld")
    assert_block(router.running_config(), TUNNEL_BLOCK)
    assert "not installed" in router.read("/var/log/frrinit.log")


def test_reinstall(router):
    """Installed again, frr-tunneld runs at FRR's next restart (tunneld=yes
    stayed in daemons) with the tunnel config it had.  (Installing starts
    nothing: like Debian's frr, the packages leave starting to the
    administrator.)"""
    router.apt("install ./frr-tunneld_*.deb")
    router.restart(DAEMONS + ["tunneld"])
    assert router.vtysh_json("show tunnel json").get("gre1", {}).get(
        "kind") == "gre"


def test_purge(router):
    """Purging frr-tunneld stops tunneld and leaves none of its files; FRR
    still runs.  Purging frr then removes its configuration."""
    router.apt("purge frr-tunneld")
    assert router.dpkg_status("frr-tunneld") is None
    assert not router.pids("tunneld")
    left = [p for p in state["files"] if router.exists(p)]
    assert not left, left
    assert "FRRouting" in router.vtysh("show version")

    router.stop()
    router.apt("purge frr frr-pythontools")
    assert router.dpkg_status("frr") is None
    for path in ("/etc/frr/daemons", "/etc/frr/frr.conf", "/etc/frr/vtysh.conf",
                 "/usr/lib/frr/zebra", "/var/lib/frr", "/run/frr"):
        assert not router.exists(path), path
    assert not router.pids("watchfrr") and not router.pids("zebra")
