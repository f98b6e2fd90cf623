# SPDX-License-Identifier: GPL-2.0-or-later
"""tunneld's configuration through vtysh and mgmtd, and the daemon's life
under watchfrr.

Two sites joined by a link.  Site a is configured through vtysh as an
operator would; the tests run in file order and build on each other.
"""

import os
import pwd
import signal
import types

import pytest

import lablib

DAEMONS = ["bfdd", "tunneld"]

# What the operator types (in this order) and what show running-config
# must then hold.
CONFIG_CMDS = [
    "configure",
    "tunnel-profile calm",
    "smoothing alpha 0.1",
    "hysteresis dwell 300",
    "ospf-cost mode composite",
    "exit",
    "tunnel gre-ab",
    "kind gre",
    "description to site b",
    "underlay source 10.0.0.1",
    "underlay destination 10.0.0.2",
    "ip address 10.255.0.1/30",
    "ipv6 address fd00:ab::1/64",
    "gre key 42",
    "mtu 1400",
    "profile calm",
    "probe interval 200",
    "bfd profile fast",
    "ospf dynamic-cost",
    "bgp route-map TUNNELD-AB sequence 20",
    "exit",
    "tunnel wg-ab",
    "kind wireguard",
    "wireguard private-key-file /etc/frr/wg-ab.key",
    "wireguard listen-port 51820",
    "wireguard peer xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg= endpoint 10.0.0.2 port 51821",
    "wireguard peer xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg= allowed-ips 10.255.1.0/30",
    "ip address 10.255.1.1/30",
    "exit",
    "tunneld change-budget 30",
    "debug tunnel zebra",
]

EXPECTED_LINES = [
    "tunneld change-budget 30",
    "debug tunnel zebra",
    "tunnel-profile calm",
    " smoothing alpha 0.1",
    " hysteresis dwell 300",
    " ospf-cost mode composite",
    "tunnel gre-ab",
    " kind gre",
    " description to site b",
    " underlay source 10.0.0.1",
    " underlay destination 10.0.0.2",
    " ip address 10.255.0.1/30",
    " ipv6 address fd00:ab::1/64",
    " gre key 42",
    " mtu 1400",
    " profile calm",
    " probe interval 200",
    " bfd profile fast",
    " ospf dynamic-cost",
    " bgp route-map TUNNELD-AB sequence 20",
    "tunnel wg-ab",
    " kind wireguard",
    " wireguard private-key-file /etc/frr/wg-ab.key",
    " wireguard listen-port 51820",
    " wireguard peer xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg= endpoint 10.0.0.2 port 51821",
    " wireguard peer xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg= allowed-ips 10.255.1.0/30",
    " ip address 10.255.1.1/30",
]


def tunneld_config(site):
    """The lines of show running-config that are tunneld's: global
    'tunneld' and 'debug tunnel' lines and the tunnel and tunnel-profile
    blocks, in order."""
    keep = []
    in_block = False
    for line in site.running_config().splitlines():
        line = line.rstrip()
        if line.startswith(("tunnel ", "tunnel-profile ")):
            in_block = True
        if in_block or line.startswith(("tunneld ", "debug tunnel")):
            keep.append(line)
        if line == "exit":
            in_block = False
    return keep


def assert_has_lines(text_lines, expected):
    missing = [l for l in expected if l not in text_lines]
    assert not missing, "missing from running-config: %r\nhave:\n%s" % (
        missing, "\n".join(text_lines))


@pytest.fixture(scope="module")
def lab():
    with lablib.Lab(name="tunneld_config") as lab:
        a = lab.site("a", daemons=DAEMONS)
        b = lab.site("b", daemons=DAEMONS)
        link = lab.link(a, b, "10.0.0.1/30", "10.0.0.2/30", delay_ms=5)
        a.start()
        b.start()
        yield types.SimpleNamespace(lab=lab, a=a, b=b, link=link)


def test_tunneld_runs_as_frr_with_only_its_capabilities(lab):
    pid = lab.a.daemon_pid("tunneld")
    assert pid, "tunneld is not running"
    status = dict(line.split(":\t", 1) for line in
                  open(f"/proc/{pid}/status").read().splitlines()
                  if ":\t" in line)
    uid = int(status["Uid"].split()[0])
    assert uid == pwd.getpwnam("frr").pw_uid
    # CAP_NET_BIND_SERVICE (10), CAP_NET_ADMIN (12), CAP_NET_RAW (13).
    assert int(status["CapPrm"], 16) == (1 << 10) | (1 << 12) | (1 << 13)
    assert int(status["CapEff"], 16) & ~((1 << 10) | (1 << 12) | (1 << 13)) == 0


def test_tunneld_follows_zebra(lab):
    zebra = lab.a.vtysh_json("show tunnel zebra json")
    assert zebra["connected"] is True
    link_if = zebra["interfaces"]["to-b"]
    assert "10.0.0.1/30" in link_if["addresses"]
    assert link_if["state"] == "up"
    # An address added in the kernel reaches tunneld through zebra.
    lab.a.sh("ip addr add 198.51.100.1/32 dev lo")
    lablib.wait_until(
        lambda: "198.51.100.1/32" in lab.a.vtysh_json(
            "show tunnel zebra json")["interfaces"]["lo"]["addresses"],
        timeout=20, what="tunneld to learn lo's new address")


def test_configure_through_vtysh(lab):
    lab.a.vtysh(*CONFIG_CMDS)
    assert_has_lines(tunneld_config(lab.a), EXPECTED_LINES)
    # Profiles are written before the tunnels that name them.
    cfg = tunneld_config(lab.a)
    assert cfg.index("tunnel-profile calm") < cfg.index("tunnel gre-ab")


def test_show_tunnel_json(lab):
    tunnels = lab.a.vtysh_json("show tunnel json")
    assert set(tunnels) == {"gre-ab", "wg-ab"}
    gre = tunnels["gre-ab"]
    assert gre["kind"] == "gre"
    assert gre["adminStatus"] == "up"
    assert gre["configComplete"] is True
    assert gre["underlay"] == {"source": "10.0.0.1", "destination": "10.0.0.2",
                               "vrf": "default"}
    assert gre["addresses"] == ["10.255.0.1/30", "fd00:ab::1/64"]
    assert gre["gre"]["key"] == 42
    assert gre["mtuConfigured"] == "1400"
    assert gre["profile"] == "calm"
    assert gre["probe"]["intervalMs"] == 200  # the tunnel's own
    assert gre["probe"]["window"] == 30  # the profile's (default)
    assert gre["bfd"] == {"enabled": True, "profile": "fast"}
    assert gre["routing"]["bgpRouteMap"] == "TUNNELD-AB"
    assert gre["routing"]["bgpSequence"] == 20
    wg = tunnels["wg-ab"]["wireguard"]
    assert wg["privateKeyFile"] == "/etc/frr/wg-ab.key"
    assert wg["peers"][0]["endpointPort"] == 51821
    assert wg["peers"][0]["allowedIps"] == ["10.255.1.0/30"]
    # One tunnel, by name; an unknown name gives an empty object.
    assert set(lab.a.vtysh_json("show tunnel wg-ab json")) == {"wg-ab"}
    assert lab.a.vtysh_json("show tunnel nosuch json") == {}


def test_complete_tunnel_is_made_and_a_missing_key_file_reported(lab):
    def gre_ready():
        return lab.a.vtysh_json("show tunnel gre-ab json")["gre-ab"]["inSync"]
    lablib.wait_until(gre_ready, timeout=30, what="gre-ab to be created")
    gre = lab.a.vtysh_json("show tunnel gre-ab json")["gre-ab"]
    ifindex = int(lab.a.sh("cat /sys/class/net/gre-ab/ifindex"))
    assert gre["ifindex"] == ifindex and gre["owned"] is True
    assert gre["mtu"] == 1400 and gre["mtuSource"] == "config"
    assert gre["operStatus"] == "up" and gre["lastError"] == ""
    # The key file does not exist: said in show, nothing else disturbed.
    lablib.wait_until(
        lambda: "/etc/frr/wg-ab.key" in lab.a.vtysh_json(
            "show tunnel wg-ab json")["wg-ab"]["lastError"],
        timeout=90, what="wg-ab to report its missing key file")
    assert lab.a.vtysh_json("show tunnel wg-ab json")["wg-ab"]["inSync"] is False


def test_oper_state_through_mgmtd(lab):
    data = lab.a.vtysh_json("show mgmt get-data /frr-tunneld:tunneld")
    tree = data["frr-tunneld:tunneld"]
    names = {t["name"]: t for t in tree["tunnel"]}
    assert set(names) == {"gre-ab", "wg-ab"}
    gre = names["gre-ab"]["state"]
    assert gre["oper-status"] == "up"
    assert gre["ifindex"] == int(lab.a.sh("cat /sys/class/net/gre-ab/ifindex"))
    assert gre["mtu"] == 1400
    assert tree["zebra"]["connected"] is True
    assert tree["zebra"]["interfaces"] >= 3


BAD_VALUES = [
    # (commands after "configure", words the error must contain)
    (["tunnel-profile calm", "smoothing alpha 7"], "alpha"),
    (["tunnel-profile calm", "ospf-cost minimum 65535"],
     "maximum OSPF cost"),
    (["tunnel gre-ab", "underlay destination 2001:db8::2"],
     "underlay family must match the kind"),
    (["tunnel gre-ab", "underlay source 2001:db8::1"],
     "one address family"),
    (["tunnel gre-ab", "profile nosuch"], "profile"),
    (["tunnel gre-ab", "xfrm if-id 5"], "xfrm"),
    (["tunnel wg-ab", "underlay destination 10.0.0.2"], "WireGuard"),
    (["tunnel wg-ab", "wireguard peer notakey endpoint 10.0.0.2"],
     "WireGuard key"),
    (["tunnel wg-ab", "wireguard private-key-file relative/path"],
     "absolute path"),
    (["tunnel averyveryverylongname"], "1 to 15 characters"),
]


@pytest.mark.parametrize("cmds,words", BAD_VALUES,
                         ids=[" / ".join(c) for c, _ in BAD_VALUES])
def test_bad_values_are_rejected_and_config_kept(lab, cmds, words):
    before = tunneld_config(lab.a)
    shown = lab.a.vtysh_json("show tunnel json")
    out = lab.a.vtysh("configure", *cmds, check=False)
    assert words.lower() in out.lower(), out
    assert tunneld_config(lab.a) == before
    assert lab.a.vtysh_json("show tunnel json") == shown


def test_incomplete_tunnel_is_accepted_and_reported(lab):
    lab.a.vtysh("configure", "tunnel half", "kind vti")
    half = lab.a.vtysh_json("show tunnel half json")["half"]
    assert half["configComplete"] is False
    assert half["configMissing"] == "underlay destination"
    lab.a.vtysh("configure", "tunnel half", "underlay destination 10.0.0.2")
    half = lab.a.vtysh_json("show tunnel half json")["half"]
    assert half["configMissing"] == "vti key"
    lab.a.vtysh("configure", "no tunnel half")
    assert lab.a.vtysh_json("show tunnel half json") == {}


def test_write_memory_and_restart_keep_the_config(lab):
    before = tunneld_config(lab.a)
    shown = lab.a.vtysh_json("show tunnel json")
    out = lab.a.vtysh("write memory")
    assert "[OK]" in out, out
    saved = open(os.path.join(lab.a.etc_dir, "frr.conf")).read().splitlines()
    assert_has_lines(saved, EXPECTED_LINES)
    lab.a.restart()
    assert tunneld_config(lab.a) == before
    # The same interfaces (same ifindex), found in sync again.
    lablib.wait_until(lambda: lab.a.vtysh_json("show tunnel json") == shown,
                      timeout=60, what="show tunnel to match what it was")


def test_watchfrr_restarts_a_killed_tunneld_with_its_config(lab):
    shown = lab.a.vtysh_json("show tunnel json")
    pid = lab.a.daemon_pid("tunneld")
    os.kill(pid, signal.SIGKILL)
    lablib.wait_until(
        lambda: lab.a.daemon_pid("tunneld") not in (None, pid),
        timeout=60, what="watchfrr to restart tunneld")
    lablib.wait_until(
        lambda: lab.a.vtysh_json("show tunnel json") == shown,
        timeout=60, what="the restarted tunneld to get its config back")


def test_no_tunnel_removes_it(lab):
    lab.a.vtysh("configure", "no tunnel wg-ab")
    assert "tunnel wg-ab" not in tunneld_config(lab.a)
    assert set(lab.a.vtysh_json("show tunnel json")) == {"gre-ab"}


def test_no_daemon_crashed(lab):
    for site in (lab.a, lab.b):
        assert not site.crashes(), site.crashes()
