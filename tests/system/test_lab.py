# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks of the lab itself, on stock FRR daemons from the stage.

Two sites joined by a veth link with 20 ms of netem delay each way.  The
sites are started once for the module (starting FRR costs seconds under
TCG) and the tests run in file order.
"""

import os
import re
import stat
import types

import pytest

import lablib

SITE_CONF = """\
router bgp {asn}
 bgp router-id {rid}
 no bgp ebgp-requires-policy
 timers bgp 3 9
 neighbor {peer} remote-as {peer_asn}
 neighbor {peer} timers connect 2
 address-family ipv4 unicast
  network {net}
 exit-address-family
exit
"""


@pytest.fixture(scope="module")
def pair():
    with lablib.Lab(name="test_lab") as lab:
        s1 = lab.site("s1", daemons=["bgpd", "bfdd"], config=SITE_CONF.format(
            asn=65001, rid="10.0.0.1", peer="10.0.0.2", peer_asn=65002,
            net="192.0.2.1/32") + "interface lo\n ip address 192.0.2.1/32\n")
        s2 = lab.site("s2", daemons=["bgpd", "bfdd"], config=SITE_CONF.format(
            asn=65002, rid="10.0.0.2", peer="10.0.0.1", peer_asn=65001,
            net="192.0.2.2/32") + "interface lo\n ip address 192.0.2.2/32\n")
        link = lab.link(s1, s2, ["10.0.0.1/30", "fd00:12::1/64"],
                        ["10.0.0.2/30", "fd00:12::2/64"], delay_ms=20)
        s1.start()
        s2.start()
        yield types.SimpleNamespace(lab=lab, s1=s1, s2=s2, link=link)


def _same_netns(pid, name):
    return (os.stat(f"/proc/{pid}/ns/net").st_ino
            == os.stat(os.path.join(lablib.NETNS_DIR, name)).st_ino)


def test_daemons_run_in_site_netns(pair):
    for site in (pair.s1, pair.s2):
        for daemon in site.daemons + ["watchfrr"]:
            pid = site.daemon_pid(daemon)
            assert pid, f"{site.name}: {daemon} not running"
            assert _same_netns(pid, site.name), \
                f"{site.name}: {daemon} is not in netns {site.name}"
        assert "FRRouting" in site.vtysh("show version")
        assert f"hostname {site.name}" in site.running_config()


def test_ping_rtt_follows_netem(pair):
    res = pair.s1.ping(pair.link.ip_b, count=10)
    assert res["received"] >= 9, res["output"]
    # netem delays at least 20 ms each way; TCG adds a little on top.
    assert 39.5 <= res["min"] and res["avg"] < 80, res["output"]
    res6 = pair.s1.ping("fd00:12::2", count=3)
    assert res6["min"] >= 39.5, res6["output"]


def test_impairment_change_shows_in_rtt(pair):
    pair.link.impair(delay_ms=60)
    try:
        res = pair.s1.ping(pair.link.ip_b, count=5)
        assert 119.5 <= res["min"] and res["avg"] < 170, res["output"]
    finally:
        pair.link.impair(delay_ms=20)
    res = pair.s1.ping(pair.link.ip_b, count=5)
    assert 39.5 <= res["min"] and res["avg"] < 80, res["output"]


def test_cut_and_restore(pair):
    pair.link.cut()
    try:
        res = pair.s1.ping(pair.link.ip_b, count=3, wait=1, check=False)
        assert res["received"] == 0, res["output"]
    finally:
        pair.link.restore()
    # Interfaces stayed up: the first echo after the restore gets through.
    lablib.wait_until(lambda: pair.s1.ping(pair.link.ip_b, count=1,
                                           check=False)["received"],
                      timeout=10, what="ping after restore")


def test_bgp_session_over_the_link(pair):
    def established():
        peers = pair.s1.vtysh_json("show bgp ipv4 unicast summary json")
        return peers["peers"]["10.0.0.2"]["state"] == "Established"
    lablib.wait_until(established, timeout=60, interval=1,
                      what="BGP s1-s2 Established")
    routes = lablib.wait_until(
        lambda: pair.s1.vtysh_json("show ip route 192.0.2.2/32 json"),
        timeout=30, what="s2's prefix at s1")
    assert routes["192.0.2.2/32"][0]["protocol"] == "bgp"
    # zebra runs in the site's netns, so the route is in that kernel table
    # and only there.
    kernel = pair.s1.sh("ip route show 192.0.2.2")
    assert "via 10.0.0.2" in kernel and "proto bgp" in kernel, kernel


def _kernel_has_static(site):
    out = site.sh("ip route show 10.99.0.0/24")
    # 196 is zebra's RTPROT_STATIC; Debian's package names it "static" in
    # /etc/iproute2/rt_protos.d, an upstream `make install` does not.
    return "via 10.0.0.2" in out and re.search(r"proto (static|196)\b", out)


def test_static_route_via_vtysh(pair):
    s1 = pair.s1
    s1.vtysh("configure terminal", "ip route 10.99.0.0/24 10.0.0.2")
    assert "ip route 10.99.0.0/24 10.0.0.2" in s1.running_config()
    lablib.wait_until(lambda: _kernel_has_static(s1), timeout=10,
                      what="static route in the kernel")
    assert lablib.run(["ip", "route", "show", "10.99.0.0/24"]).stdout == "", \
        "route leaked into the VM's root namespace"


def test_write_memory_survives_restart(pair):
    s1 = pair.s1
    s1.vtysh("write memory")
    with open(s1.config_file) as f:
        saved = f.read()
    assert "ip route 10.99.0.0/24 10.0.0.2" in saved
    assert "hostname s1" in saved
    st = os.stat(s1.config_file)
    # vtysh writes it with the build's --enable-configfile-mask: 0600
    # upstream, 0640 in Debian's package.  Never readable by others.
    assert stat.S_IMODE(st.st_mode) in (0o600, 0o640), oct(st.st_mode)
    assert (st.st_uid, st.st_gid) == (lablib.pwd.getpwnam("frr").pw_uid,
                                      lablib.grp.getgrnam("frr").gr_gid)

    old = s1.daemon_pid("zebra")
    s1.restart()
    assert s1.daemon_pid("zebra") not in (None, old)
    assert "ip route 10.99.0.0/24 10.0.0.2" in s1.running_config()
    lablib.wait_until(lambda: _kernel_has_static(s1), timeout=20,
                      what="static route back in the kernel")
    assert not s1.crashes()


def test_gre_tunnel_carries_ping(pair):
    # The host kernel cannot make GRE links; the guest's must.
    for site, local, remote, addr in (
            (pair.s1, "10.0.0.1", "10.0.0.2", "172.16.0.1/30"),
            (pair.s2, "10.0.0.2", "10.0.0.1", "172.16.0.2/30")):
        site.sh(f"ip link add gre-lab type gre local {local} remote {remote} "
                f"ttl 64 && ip addr add {addr} dev gre-lab && "
                "ip link set gre-lab up")
    try:
        res = pair.s1.ping("172.16.0.2", count=3)
        assert res["received"] >= 2, res["output"]
        assert res["min"] >= 39.5, "GRE did not cross the netem link"
    finally:
        for site in (pair.s1, pair.s2):
            site.sh("ip link del gre-lab", check=False)


def test_lab_cleans_up_after_failure():
    with pytest.raises(RuntimeError, match="boom"):
        with lablib.Lab(name="cleanup-check") as lab:
            x = lab.site("x1")
            y = lab.site("y1")
            lab.link(x, y, delay_ms=5)
            raise RuntimeError("boom")
    for name in ("x1", "y1"):
        assert not os.path.exists(os.path.join(lablib.NETNS_DIR, name))
        assert not os.path.exists(os.path.join(lablib.ETC_FRR, name))
    # The failure was dumped for diagnosis; this one was on purpose.
    assert lab.dumped_to and os.path.isdir(os.path.join(lab.dumped_to, "x1"))
    lablib.shutil.rmtree(lab.dumped_to)
