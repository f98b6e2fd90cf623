# SPDX-License-Identifier: GPL-2.0-or-later
"""tunneld creates, adopts, changes and removes tunnel interfaces.

Two sites, a and b, joined by an underlay link (IPv4 and IPv6, 5 ms each
way).  Each kind is configured through vtysh on both sites; the kernel's
interface (ip -d link, wg show) and a ping over the overlay prove it.  The
tests run in file order and build on each other.
"""

import grp
import json
import os
import pwd
import re
import signal
import time
import types

import pytest

import lablib

DAEMONS = ["tunneld"]
A4, B4 = "192.0.2.1", "192.0.2.2"
A6, B6 = "2001:db8:12::1", "2001:db8:12::2"


@pytest.fixture(scope="module")
def lab():
    with lablib.Lab(name="tunnels") as lab:
        a = lab.site("a", daemons=DAEMONS)
        b = lab.site("b", daemons=DAEMONS)
        link = lab.link(a, b, [f"{A4}/30", f"{A6}/64"], [f"{B4}/30", f"{B6}/64"],
                        delay_ms=5)
        a.start()
        b.start()
        for site in (a, b):
            site.vtysh("configure", "debug tunnel netlink", "debug tunnel zebra")
        # IPv6 DAD on the underlay must finish before it carries tunnels.
        lablib.wait_until(lambda: "tentative" not in a.sh("ip -6 addr show dev to-b")
                          + b.sh("ip -6 addr show dev to-a"), timeout=20,
                          what="IPv6 DAD on the underlay")
        yield types.SimpleNamespace(lab=lab, a=a, b=b, link=link)


def configure(site, name, *lines):
    site.vtysh("configure", f"tunnel {name}", *lines)


def tunnel(site, name):
    return site.vtysh_json(f"show tunnel {name} json").get(name, {})


def wait_in_sync(site, name, timeout=30):
    last = {}

    def ok():
        last.update(tunnel(site, name))
        if last.get("lastError"):
            raise lablib.WaitAbort(f"{site.name}/{name}: {last['lastError']}")
        return last.get("inSync") and last.get("operStatus") != "absent"
    try:
        lablib.wait_until(ok, timeout=timeout, what=f"{site.name}/{name} in sync")
    except lablib.LabError as exc:
        raise lablib.LabError(f"{exc}\nshow tunnel {name}: {json.dumps(last)}") from None
    return tunnel(site, name)


def link_details(site, name):
    return json.loads(site.sh(f"ip -d -j link show dev {name}"))[0]


def ping_over(site, dst, count=3, extra=()):
    res = site.ping(dst, count=count, wait=2, check=False, extra=extra)
    assert res["received"] > 0, res["output"]
    return res


def test_gre_is_created_and_carries_traffic(lab):
    configure(lab.a, "gre-ab", "kind gre", f"underlay source {A4}",
              f"underlay destination {B4}", "ip address 10.255.0.1/30")
    configure(lab.b, "gre-ab", "kind gre", f"underlay source {B4}",
              f"underlay destination {A4}", "ip address 10.255.0.2/30")
    t = wait_in_sync(lab.a, "gre-ab")
    wait_in_sync(lab.b, "gre-ab")
    d = link_details(lab.a, "gre-ab")
    assert d["linkinfo"]["info_kind"] == "gre"
    assert d["linkinfo"]["info_data"]["local"] == A4
    assert d["linkinfo"]["info_data"]["remote"] == B4
    assert d["ifalias"].startswith("tunneld:")
    assert t["owned"] is True and t["ifindex"] == d["ifindex"]
    # mtu auto: the veth's 1500 less GRE over IPv4 (24).
    assert t["mtuSource"] == "auto" and d["mtu"] == 1476 and t["mtu"] == 1476
    ping_over(lab.a, "10.255.0.2")


def test_gre_changes_in_place(lab):
    before = link_details(lab.a, "gre-ab")["ifindex"]
    configure(lab.a, "gre-ab", "gre key 77", "gre ttl 64", "mtu 1400")
    configure(lab.b, "gre-ab", "gre key 77", "gre ttl 64", "mtu 1400")
    lablib.wait_until(lambda: link_details(lab.a, "gre-ab")["mtu"] == 1400, timeout=20,
                      what="the new MTU")
    d = link_details(lab.a, "gre-ab")
    assert d["ifindex"] == before, "changed by re-creating, not in place"
    info = d["linkinfo"]["info_data"]
    assert info["ttl"] == 64
    assert str(info.get("ikey")) in ("77", "0.0.0.77") and str(info.get("okey")) in ("77", "0.0.0.77")
    wait_in_sync(lab.a, "gre-ab")
    wait_in_sync(lab.b, "gre-ab")
    ping_over(lab.a, "10.255.0.2")


def test_ip6gre_over_ipv6(lab):
    configure(lab.a, "gre6-ab", "kind ip6gre", f"underlay source {A6}",
              f"underlay destination {B6}", "ip address 10.255.6.1/30",
              "ipv6 address fd00:6::1/64")
    configure(lab.b, "gre6-ab", "kind ip6gre", f"underlay source {B6}",
              f"underlay destination {A6}", "ip address 10.255.6.2/30",
              "ipv6 address fd00:6::2/64")
    t = wait_in_sync(lab.a, "gre6-ab")
    wait_in_sync(lab.b, "gre6-ab")
    d = link_details(lab.a, "gre6-ab")
    assert d["linkinfo"]["info_kind"] == "ip6gre"
    assert d["linkinfo"]["info_data"]["remote"] == B6
    assert t["mtu"] == 1500 - 44
    ping_over(lab.a, "10.255.6.2")


def sa(site, src, dst, spi_out, spi_in, mark=None, if_id=None):
    """Manual ESP SAs and policies (what strongSwan would install): src is
    this site, dst the far end; each direction has its own SPI."""
    sel = f"mark {mark} mask 0xffffffff" if mark else f"if_id {if_id}"
    key = "0x" + "11" * 20
    enc = "0x" + "22" * 16
    for s, d, spi in ((src, dst, spi_out), (dst, src, spi_in)):
        site.sh(f"ip xfrm state add src {s} dst {d} proto esp spi {spi} mode tunnel "
                f"{sel} auth-trunc 'hmac(sha1)' {key} 96 enc 'cbc(aes)' {enc}")
    site.sh(f"ip xfrm policy add dir out src 0.0.0.0/0 dst 0.0.0.0/0 {sel} "
            f"tmpl src {src} dst {dst} proto esp mode tunnel")
    site.sh(f"ip xfrm policy add dir in src 0.0.0.0/0 dst 0.0.0.0/0 {sel} "
            f"tmpl src {dst} dst {src} proto esp mode tunnel")


def esp_packets(site):
    out = site.sh("ip -s xfrm state")
    return sum(int(n) for n in re.findall(r"(\d+)\(packets\)", out))


def test_vti_with_ipsec(lab):
    configure(lab.a, "vti-ab", "kind vti", f"underlay source {A4}",
              f"underlay destination {B4}", "vti ikey 10 okey 10",
              "ip address 10.255.10.1/30")
    configure(lab.b, "vti-ab", "kind vti", f"underlay source {B4}",
              f"underlay destination {A4}", "vti ikey 10 okey 10",
              "ip address 10.255.10.2/30")
    wait_in_sync(lab.a, "vti-ab")
    wait_in_sync(lab.b, "vti-ab")
    d = link_details(lab.a, "vti-ab")
    assert d["linkinfo"]["info_kind"] == "vti"
    sa(lab.a, A4, B4, 0x100, 0x101, mark=10)
    sa(lab.b, B4, A4, 0x101, 0x100, mark=10)
    before = esp_packets(lab.a)
    ping_over(lab.a, "10.255.10.2")
    assert esp_packets(lab.a) > before, "the ping did not go through ESP"


def test_xfrm_with_ipsec(lab):
    configure(lab.a, "xfrm-ab", "kind xfrm", f"underlay destination {B4}",
              "underlay device to-b", "xfrm if-id 20", "ip address 10.255.20.1/30")
    configure(lab.b, "xfrm-ab", "kind xfrm", f"underlay destination {A4}",
              "underlay device to-a", "xfrm if-id 20", "ip address 10.255.20.2/30")
    wait_in_sync(lab.a, "xfrm-ab")
    wait_in_sync(lab.b, "xfrm-ab")
    d = link_details(lab.a, "xfrm-ab")
    assert d["linkinfo"]["info_kind"] == "xfrm"
    assert d["linkinfo"]["info_data"]["if_id"] in (20, "0x14")
    sa(lab.a, A4, B4, 0x200, 0x201, if_id=20)
    sa(lab.b, B4, A4, 0x201, 0x200, if_id=20)
    before = esp_packets(lab.a)
    ping_over(lab.a, "10.255.20.2")
    assert esp_packets(lab.a) > before


def test_vti6_with_ipsec(lab):
    configure(lab.a, "vti6-ab", "kind vti6", f"underlay source {A6}",
              f"underlay destination {B6}", "vti ikey 11 okey 11",
              "ipv6 address fd00:11::1/64")
    configure(lab.b, "vti6-ab", "kind vti6", f"underlay source {B6}",
              f"underlay destination {A6}", "vti ikey 11 okey 11",
              "ipv6 address fd00:11::2/64")
    wait_in_sync(lab.a, "vti6-ab")
    wait_in_sync(lab.b, "vti6-ab")
    assert link_details(lab.a, "vti6-ab")["linkinfo"]["info_kind"] == "vti6"
    for site, src, dst, out, inn in ((lab.a, A6, B6, 0x300, 0x301),
                                     (lab.b, B6, A6, 0x301, 0x300)):
        for s_, d_, spi in ((src, dst, out), (dst, src, inn)):
            site.sh(f"ip xfrm state add src {s_} dst {d_} proto esp spi {spi} mode tunnel "
                    f"mark 11 mask 0xffffffff auth-trunc 'hmac(sha1)' 0x{'33' * 20} 96 "
                    f"enc 'cbc(aes)' 0x{'44' * 16}")
        site.sh(f"ip xfrm policy add dir out src ::/0 dst ::/0 mark 11 mask 0xffffffff "
                f"tmpl src {src} dst {dst} proto esp mode tunnel")
        site.sh(f"ip xfrm policy add dir in src ::/0 dst ::/0 mark 11 mask 0xffffffff "
                f"tmpl src {dst} dst {src} proto esp mode tunnel")
    lablib.wait_until(lambda: "tentative" not in lab.a.sh("ip -6 addr show dev vti6-ab"),
                      timeout=20, what="DAD on vti6-ab")
    before = esp_packets(lab.a)
    ping_over(lab.a, "fd00:11::2")
    assert esp_packets(lab.a) > before


def test_overlay_vrf_and_shutdown(lab):
    for site in (lab.a, lab.b):
        site.sh("ip link add blue type vrf table 10 && ip link set blue up")
    configure(lab.a, "gre-v", "kind gre", f"underlay source {A4}",
              f"underlay destination {B4}", "gre key 5", "vrf blue",
              "ip address 10.255.50.1/30")
    configure(lab.b, "gre-v", "kind gre", f"underlay source {B4}",
              f"underlay destination {A4}", "gre key 5", "vrf blue",
              "ip address 10.255.50.2/30")
    t = wait_in_sync(lab.a, "gre-v")
    wait_in_sync(lab.b, "gre-v")
    assert t["vrf"] == "blue"
    assert link_details(lab.a, "gre-v")["master"] == "blue"
    ping_over(lab.a, "10.255.50.2", extra=("-I", "blue"))
    # shutdown: the interface stays, administratively down.
    ifindex = t["ifindex"]
    configure(lab.a, "gre-v", "shutdown")
    lablib.wait_until(lambda: "UP" not in link_details(lab.a, "gre-v")["flags"],
                      timeout=20, what="gre-v to go down")
    t = wait_in_sync(lab.a, "gre-v")
    assert t["adminStatus"] == "down" and t["ifindex"] == ifindex
    configure(lab.a, "gre-v", "no shutdown")
    lablib.wait_until(lambda: "UP" in link_details(lab.a, "gre-v")["flags"],
                      timeout=20, what="gre-v to come back up")
    ping_over(lab.a, "10.255.50.2", extra=("-I", "blue"))
    for site in (lab.a, lab.b):
        site.vtysh("configure", "no tunnel gre-v")


def make_key(site, path, mode="600"):
    key = site.sh("wg genkey").strip()
    with open(path, "w") as f:
        f.write(key + "\n")
    os.chown(path, pwd.getpwnam("frr").pw_uid, grp.getgrnam("frr").gr_gid)
    os.chmod(path, int(mode, 8))
    pub = site.sh("wg pubkey", input=key + "\n").strip()
    return key, pub


@pytest.fixture(scope="module")
def wg_keys(lab):
    keys = {}
    for site in (lab.a, lab.b):
        keys[site.name] = make_key(site, f"{site.etc_dir}/wg-ab.key")
    return keys


def test_wireguard(lab, wg_keys):
    apriv, apub = wg_keys["a"]
    bpriv, bpub = wg_keys["b"]
    configure(lab.a, "wg-ab", "kind wireguard",
              f"wireguard private-key-file {lab.a.etc_dir}/wg-ab.key",
              "wireguard listen-port 51820",
              f"wireguard peer {bpub} endpoint {B4} port 51820",
              f"wireguard peer {bpub} allowed-ips 10.255.30.0/30",
              "ip address 10.255.30.1/30")
    configure(lab.b, "wg-ab", "kind wireguard",
              f"wireguard private-key-file {lab.b.etc_dir}/wg-ab.key",
              "wireguard listen-port 51820",
              f"wireguard peer {apub} endpoint {A4} port 51820",
              f"wireguard peer {apub} allowed-ips 10.255.30.0/30",
              "ip address 10.255.30.2/30")
    # Loading the wireguard module runs crypto self-tests: slow under TCG.
    t = wait_in_sync(lab.a, "wg-ab", timeout=90)
    wait_in_sync(lab.b, "wg-ab", timeout=90)
    assert t["mtu"] == 1440 and t["mtuSource"] == "auto"
    shown = lab.a.sh("wg show wg-ab dump").splitlines()
    assert shown[0].split("\t")[1] == apub  # the device's public key
    assert shown[1].split("\t")[0] == bpub
    ping_over(lab.a, "10.255.30.2")
    wg = tunnel(lab.a, "wg-ab")["wireguard"]
    assert wg["publicKey"] == apub
    peer = wg["peers"][0]
    assert peer["publicKey"] == bpub
    assert peer["latestHandshakeAgeS"] < 60
    assert peer["rxBytes"] > 0 and peer["txBytes"] > 0
    # Measured too: the handshake's age (sampled every second) and probes
    # to the far end of the /30.
    lablib.wait_until(lambda: (lab.a.vtysh_json("show tunnel wg-ab quality json")
                               .get("latestHandshakeAgeS") or 999) < 60,
                      timeout=20, what="wg-ab's handshake age measured")
    q = lab.a.vtysh_json("show tunnel wg-ab quality json")
    assert q["probe"]["destination"] == "10.255.30.2"


def test_remote_and_peer_changes_apply_in_place(lab, wg_keys):
    others = {n: tunnel(lab.a, n)["ifindex"] for n in ("gre-ab", "vti-ab", "xfrm-ab")}
    configure(lab.a, "gre-r", "kind gre", f"underlay source {A4}",
              "underlay destination 192.0.2.9", "ip address 10.255.40.1/30")
    ifindex = wait_in_sync(lab.a, "gre-r")["ifindex"]
    configure(lab.a, "gre-r", "underlay destination 192.0.2.10")
    lablib.wait_until(lambda: link_details(lab.a, "gre-r")["linkinfo"]["info_data"]
                      ["remote"] == "192.0.2.10", timeout=20, what="the new remote")
    assert wait_in_sync(lab.a, "gre-r")["ifindex"] == ifindex
    # A WireGuard peer change: the kernel's peer follows, the session stays.
    bpub = wg_keys["b"][1]
    wg_ifindex = tunnel(lab.a, "wg-ab")["ifindex"]
    configure(lab.a, "wg-ab", f"wireguard peer {bpub} persistent-keepalive 15",
              f"wireguard peer {bpub} allowed-ips 10.255.41.0/24")
    def peer_updated():
        dump = lab.a.sh("wg show wg-ab dump").splitlines()[1].split("\t")
        return dump[7] == "15" and "10.255.41.0/24" in dump[3]
    lablib.wait_until(peer_updated, timeout=30, what="the WireGuard peer change")
    assert wait_in_sync(lab.a, "wg-ab")["ifindex"] == wg_ifindex
    ping_over(lab.a, "10.255.30.2")
    assert {n: tunnel(lab.a, n)["ifindex"] for n in others} == others
    lab.a.vtysh("configure", "no tunnel gre-r")


def test_private_keys_never_leak(lab, wg_keys):
    for site in (lab.a, lab.b):
        priv = wg_keys[site.name][0]
        texts = [site.running_config(), site.vtysh("show tunnel"),
                 site.vtysh("show tunnel json"),
                 open(os.path.join(site.etc_dir, "frr.conf")).read()
                 if os.path.exists(os.path.join(site.etc_dir, "frr.conf")) else ""]
        texts += list(site.logs().values())
        for text in texts:
            assert priv not in text


def test_world_readable_key_is_refused_and_nothing_else_changes(lab, wg_keys):
    others = {n: tunnel(lab.a, n)["ifindex"] for n in ("gre-ab", "vti-ab", "wg-ab")}
    path = f"{lab.a.etc_dir}/wg-bad.key"
    make_key(lab.a, path, mode="644")
    configure(lab.a, "wg-bad", "kind wireguard", f"wireguard private-key-file {path}",
              "ip address 10.255.31.1/30")
    lablib.wait_until(lambda: "readable" in tunnel(lab.a, "wg-bad").get("lastError", ""),
                      timeout=60, what="the key file error")
    t = tunnel(lab.a, "wg-bad")
    assert path in t["lastError"] and t["inSync"] is False
    assert {n: tunnel(lab.a, n)["ifindex"] for n in others} == others
    lab.a.vtysh("configure", "no tunnel wg-bad")


def test_restart_keeps_interfaces_up(lab):
    ifindex = tunnel(lab.a, "gre-ab")["ifindex"]
    monitor = lab.a.spawn("ip -o monitor link", name="monitor")
    pid = lab.a.daemon_pid("tunneld")
    os.kill(pid, signal.SIGKILL)
    lablib.wait_until(lambda: lab.a.daemon_pid("tunneld") not in (None, pid), timeout=60,
                      what="watchfrr to restart tunneld")
    wait_in_sync(lab.a, "gre-ab", timeout=60)
    assert tunnel(lab.a, "gre-ab")["ifindex"] == ifindex
    time.sleep(2)
    monitor.terminate()
    monitor.wait(timeout=10)
    with open(os.path.join(lab.a.log_dir, "monitor.out")) as f:
        events = f.read()
    for name in ("gre-ab", "vti-ab", "xfrm-ab", "wg-ab"):
        for line in events.splitlines():
            if f": {name}:" in line or f" {name}:" in line:
                assert "Deleted" not in line and "state DOWN" not in line, line
    ping_over(lab.a, "10.255.0.2")


def test_deleted_by_hand_comes_back(lab):
    lab.a.sh("ip link del gre-ab")
    lablib.wait_until(lambda: lab.a.sh("ip link show gre-ab", check=False).strip() != "",
                      timeout=30, what="gre-ab to be re-created")
    wait_in_sync(lab.a, "gre-ab")
    ping_over(lab.a, "10.255.0.2")


def test_foreign_interface_is_left_alone_until_adopted(lab):
    lab.a.sh("ip link add gre-x type gre local 192.0.2.1 remote 192.0.2.9 && "
             "ip link set gre-x up")
    ifindex = link_details(lab.a, "gre-x")["ifindex"]
    configure(lab.a, "gre-x", "kind gre", f"underlay source {A4}",
              "underlay destination 192.0.2.9")
    lablib.wait_until(lambda: "adopt" in tunnel(lab.a, "gre-x").get("lastError", ""),
                      timeout=30, what="the refusal to touch gre-x")
    assert link_details(lab.a, "gre-x")["ifindex"] == ifindex
    assert not link_details(lab.a, "gre-x").get("ifalias")
    configure(lab.a, "gre-x", "adopt")
    t = wait_in_sync(lab.a, "gre-x")
    assert t["owned"] is True and t["ifindex"] == ifindex
    lab.a.vtysh("configure", "no tunnel gre-x")


def test_no_tunnel_removes_the_interface(lab):
    others = {n: tunnel(lab.a, n)["ifindex"] for n in ("gre-ab", "vti-ab")}
    lab.a.vtysh("configure", "no tunnel gre6-ab")
    lablib.wait_until(lambda: lab.a.sh("ip link show gre6-ab", check=False).strip() == "",
                      timeout=20, what="gre6-ab to be deleted")
    assert {n: tunnel(lab.a, n)["ifindex"] for n in others} == others


def test_no_daemon_crashed(lab):
    for site in (lab.a, lab.b):
        assert not site.crashes(), site.crashes()
