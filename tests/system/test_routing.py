# SPDX-License-Identifier: GPL-2.0-or-later
"""tunneld turns quality into routing: OSPF costs and BGP local-preference.

Three sites, a, b and c, meshed by GRE tunnels over underlay links with
netem; each announces its LAN (a dummy interface).  First OSPF runs over
the tunnels with tunneld driving 'ip ospf cost'; then OSPF is removed and
eBGP (one AS per site) runs with tunneld's route-maps inbound.  Each phase
worsens the a-b underlay and watches a's route to b's LAN move via c in the
kernel FIB, and move back only after dwell.  The profile is shortened
(dwell 30 s, recovery 10 s, probes every 200 ms) so the tests take minutes.
"""

import json
import re
import time
import types

import pytest

import lablib

SITES = {"a": 1, "b": 2, "c": 3}
# Underlay /30s and overlay /30s per pair: (net, first, second).
PAIRS = {("a", "b"): ("192.0.2.0", "10.255.1.0"), ("a", "c"): ("192.0.2.4", "10.255.2.0"),
         ("b", "c"): ("192.0.2.8", "10.255.3.0")}
# One-way underlay delays: a-b is the best path from a to b's LAN (RTT 10 ms)
# and the detour via c clearly worse (20 + 20 ms), so each protocol has one
# best path and the tests see it move.
DELAY = {("a", "b"): 5, ("a", "c"): 10, ("b", "c"): 10}
DWELL = 30
PROFILE = [
    "tunnel-profile quick", "probe interval 200", "probe timeout 1000",
    f"hysteresis dwell {DWELL}", "health recovery-time 10", "exit",
]
BFD_CONFIG = """\
bfd
 profile fast
  receive-interval 100
  transmit-interval 100
  detect-multiplier 3
 exit
exit
"""


def addr(net, host):
    parts = net.split(".")
    return ".".join(parts[:3] + [str(int(parts[3]) + host)])


def ospf_config(site):
    n = SITES[site]
    lines = [BFD_CONFIG, "router ospf", f" ospf router-id 10.0.0.{n}",
             " timers throttle spf 0 50 1000",
             " network 10.255.0.0/16 area 0", f" network 10.{n}.0.0/24 area 0",
             " passive-interface lan0", "exit"]
    for (x, y) in PAIRS:
        if site in (x, y):
            other = y if site == x else x
            lines += [f"interface t-{min(site, other)}{max(site, other)}",
                      " ip ospf network point-to-point", " ip ospf hello-interval 1",
                      " ip ospf dead-interval 4", "exit"]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def lab():
    with lablib.Lab(name="routing") as lab:
        sites = {s: lab.site(s, daemons=["tunneld", "bfdd", "ospfd", "bgpd"],
                             config=ospf_config(s)) for s in SITES}
        links = {}
        for (x, y), (under, _) in PAIRS.items():
            links[(x, y)] = lab.link(sites[x], sites[y], f"{addr(under, 1)}/30",
                                     f"{addr(under, 2)}/30", delay_ms=DELAY[(x, y)])
        for s, n in SITES.items():
            sites[s].sh(f"ip link add lan0 type dummy && ip addr add 10.{n}.0.1/24 dev lan0"
                        " && ip link set lan0 up")
            sites[s].start()
        for (x, y), (under, over) in PAIRS.items():
            name = f"t-{x}{y}"
            for me, peer, h in ((x, y, 1), (y, x, 2)):
                ph = 3 - h
                sites[me].vtysh("configure", *PROFILE, f"tunnel {name}", "kind gre",
                                f"underlay source {addr(under, h)}",
                                f"underlay destination {addr(under, ph)}",
                                f"ip address {addr(over, h)}/30", "profile quick",
                                "ospf dynamic-cost", "gre ttl 255")
        ns = types.SimpleNamespace(lab=lab, links=links, **sites)
        wait_route(ns.a, "10.2.0.1", "t-ab", timeout=120)
        wait_route(ns.a, "10.3.0.1", "t-ac", timeout=60)
        yield ns


def route_dev(site, dst):
    out = site.sh(f"ip -j route get {dst}", check=False)
    try:
        return json.loads(out)[0].get("dev")
    except (ValueError, IndexError):
        return None


def wait_route(site, dst, dev, timeout=60, interval=0.5):
    lablib.wait_until(lambda: route_dev(site, dst) == dev, timeout=timeout, interval=interval,
                      what=f"{site.name}: route to {dst} via {dev}")


def decisions(site, name):
    return site.vtysh_json("show tunnel decisions json")["tunnels"][name]


def ospf_cost(site, ifname):
    js = site.vtysh_json(f"show ip ospf interface {ifname} json")
    return js["interfaces"][ifname]["cost"]


def test_costs_follow_latency(lab):
    # RTT 10 ms on every tunnel: cost 5 (half the RTT) everywhere.
    lablib.wait_until(lambda: decisions(lab.a, "t-ab")["ospfCost"]["applied"] is not None,
                      timeout=60, what="a's first cost on t-ab")
    d = decisions(lab.a, "t-ab")
    assert 4 <= d["ospfCost"]["applied"] <= 8, d
    assert ospf_cost(lab.a, "t-ab") == d["ospfCost"]["applied"]
    assert d["state"] == "healthy" and d["score"]["components"]["rtt"] < 0
    text = lab.a.vtysh("show tunnel decisions")
    assert "OSPF cost" in text and "t-ab" in text


def test_ospf_worse_moves_fast_better_waits_dwell(lab):
    ab = lab.links[("a", "b")]
    t0 = time.time()
    ab.impair(delay_ms=85)  # +80 ms each way
    wait_route(lab.a, "10.2.0.1", "t-ac", timeout=60, interval=0.25)
    moved = time.time() - t0
    lablib.log(f"a -> b's LAN moved via c {moved:.1f} s after +80 ms")
    assert moved <= 15, moved
    d = decisions(lab.a, "t-ab")
    assert d["ospfCost"]["applied"] >= 60, d
    log = lab.a.logs()["tunneld.log"]
    assert re.search(r"tunnel t-ab: OSPF cost \d+ -> \d+ \(worse;", log), log[-2000:]

    t1 = time.time()
    ab.impair(delay_ms=5)
    # Held while dwell runs: still via c a while after the path is good.
    time.sleep(DWELL * 0.6)
    assert route_dev(lab.a, "10.2.0.1") == "t-ac"
    assert decisions(lab.a, "t-ab")["ospfCost"]["heldBy"] in ("dwell", "holddown"), \
        decisions(lab.a, "t-ab")
    wait_route(lab.a, "10.2.0.1", "t-ab", timeout=DWELL + 30)
    back = time.time() - t1
    lablib.log(f"moved back {back:.1f} s after the restore (dwell {DWELL} s)")
    assert back >= DWELL, back


def test_ospf_cut_with_bfd_moves_within_2s(lab):
    for s, peer in ((lab.a, "t-ab"), (lab.b, "t-ab")):
        s.vtysh("configure", f"tunnel {peer}", "bfd profile fast")
    lablib.wait_until(
        lambda: lab.a.vtysh_json("show tunnel t-ab quality json")["bfdStatus"] == "up",
        timeout=60, what="BFD up on t-ab")
    wait_route(lab.a, "10.2.0.1", "t-ab", timeout=60)
    ab = lab.links[("a", "b")]
    t0 = time.time()
    ab.cut()
    try:
        wait_route(lab.a, "10.2.0.1", "t-ac", timeout=20, interval=0.05)
        moved = time.time() - t0
    finally:
        ab.restore()
    lablib.log(f"cut a-b: a's route to b's LAN via c after {moved * 1000:.0f} ms")
    assert moved <= 2.0, moved
    d = decisions(lab.a, "t-ab")
    assert d["ospfCost"]["applied"] == 65535, d
    # Recovery is slow: back only after recovery-time and dwell.
    wait_route(lab.a, "10.2.0.1", "t-ab", timeout=120)
    for s in (lab.a, lab.b):
        s.vtysh("configure", "tunnel t-ab", "no bfd")


def test_square_wave_changes_at_most_once_per_dwell(lab):
    ab = lab.links[("a", "b")]
    wait_route(lab.a, "10.2.0.1", "t-ab", timeout=90)
    before = decisions(lab.a, "t-ab")["ospfCost"]["changes"]
    period, cycles = 16, 5
    for _ in range(cycles):
        ab.impair(delay_ms=45)
        time.sleep(period / 2)
        ab.impair(delay_ms=5)
        time.sleep(period / 2)
    changes = decisions(lab.a, "t-ab")["ospfCost"]["changes"] - before
    lablib.log(f"square wave {period} s x {cycles}: {changes} cost changes")
    assert 1 <= changes <= -(-(period * cycles) // DWELL), changes


def test_noise_inside_deadband_changes_nothing(lab):
    ab = lab.links[("a", "b")]
    ab.impair(delay_ms=50, jitter_ms=1)
    lablib.wait_until(lambda: decisions(lab.a, "t-ab")["ospfCost"]["applied"] >= 40,
                      timeout=60, what="the cost of a 100 ms RTT")
    time.sleep(5)
    before = decisions(lab.a, "t-ab")["ospfCost"]["changes"]
    time.sleep(40)
    d = decisions(lab.a, "t-ab")
    assert d["ospfCost"]["changes"] == before, d
    ab.impair(delay_ms=5, jitter_ms=0)


def test_ospfd_restart_gets_values_again(lab):
    applied = decisions(lab.a, "t-ac")["ospfCost"]["applied"]
    pid = lab.a.daemon_pid("ospfd")
    lab.a.sh(f"kill -9 {pid}")
    lablib.wait_until(lambda: lab.a.daemon_pid("ospfd") not in (None, pid), timeout=60,
                      what="watchfrr restarts ospfd")
    lablib.wait_until(lambda: f"ip ospf cost {applied}" in lab.a.vtysh(
        "show running-config ospfd"), timeout=60, what="tunneld re-applies the cost")


def test_tunneld_killed_routing_keeps_values(lab):
    # ospfd restarted just before: its adjacencies come back first.
    wait_route(lab.a, "10.3.0.1", "t-ac", timeout=90)
    cost = ospf_cost(lab.a, "t-ac")
    pid = lab.a.daemon_pid("tunneld")
    lab.a.sh(f"kill -9 {pid}")
    time.sleep(1)
    assert ospf_cost(lab.a, "t-ac") == cost
    assert route_dev(lab.a, "10.3.0.1") == "t-ac"
    lablib.wait_until(lambda: lab.a.daemon_pid("tunneld") not in (None, pid), timeout=60,
                      what="watchfrr restarts tunneld")
    lablib.wait_until(lambda: decisions(lab.a, "t-ac")["ospfCost"]["applied"] is not None,
                      timeout=60, what="tunneld drives t-ac again")


def bgp_config(site):
    n = SITES[site]
    lines = ["router bgp 6500%d" % n, f" bgp router-id 10.0.0.{n}",
             " no bgp ebgp-requires-policy", " bgp route-map delay-timer 1",
             " timers bgp 3 9"]
    for (x, y), (_, over) in PAIRS.items():
        if site not in (x, y):
            continue
        peer = y if site == x else x
        ph = 2 if site == x else 1
        lines.append(f" neighbor {addr(over, ph)} remote-as 6500{SITES[peer]}")
    lines += [" address-family ipv4 unicast", f"  network 10.{n}.0.0/24"]
    for (x, y), (_, over) in PAIRS.items():
        if site not in (x, y):
            continue
        ph = 2 if site == x else 1
        lines.append(f"  neighbor {addr(over, ph)} route-map TUNNELD-t-{x}{y} in")
    lines += [" exit-address-family", "exit"]
    return lines


def bgp_best_nexthop(site, prefix):
    js = site.vtysh_json(f"show bgp ipv4 unicast {prefix} json")
    for p in js.get("paths", []):
        if p.get("bestpath", {}).get("overall"):
            return p["nexthops"][0]["ip"], p.get("locPrf")
    return None, None


def test_bgp_local_preference_moves_routes(lab):
    # OSPF off, tunneld's route-maps on, then eBGP.
    for s in SITES:
        site = getattr(lab, s)
        cmds = ["no router ospf"]
        for (x, y) in PAIRS:
            if s in (x, y):
                cmds += [f"tunnel t-{x}{y}", "no ospf dynamic-cost",
                         f"bgp route-map TUNNELD-t-{x}{y}", "exit"]
        site.vtysh("configure", *cmds)
        site.vtysh("configure", *bgp_config(s))
    # The neutral map exists before any decision, then the measured LP.
    lablib.wait_until(lambda: bgp_best_nexthop(lab.a, "10.2.0.0/24")[0] == "10.255.1.2",
                      timeout=120, what="a's best path to b's LAN direct")
    lablib.wait_until(lambda: (decisions(lab.a, "t-ab")["localPreference"]["applied"]
                               or 0) > 150, timeout=60, what="a measured LP on t-ab")
    assert route_dev(lab.a, "10.2.0.1") == "t-ab"
    ab = lab.links[("a", "b")]
    t0 = time.time()
    ab.impair(delay_ms=85)
    lablib.wait_until(lambda: bgp_best_nexthop(lab.a, "10.2.0.0/24")[0] == "10.255.2.2",
                      timeout=60, interval=0.25, what="a's best path to b's LAN via c")
    moved = time.time() - t0
    wait_route(lab.a, "10.2.0.1", "t-ac", timeout=20)
    nh, lp = bgp_best_nexthop(lab.a, "10.2.0.0/24")
    lablib.log(f"BGP: via c after {moved:.1f} s, local-preference {lp}")
    assert moved <= 20, moved
    assert decisions(lab.a, "t-ab")["localPreference"]["applied"] < lp == \
        decisions(lab.a, "t-ac")["localPreference"]["applied"]
    t1 = time.time()
    ab.impair(delay_ms=5)
    lablib.wait_until(lambda: bgp_best_nexthop(lab.a, "10.2.0.0/24")[0] == "10.255.1.2",
                      timeout=DWELL + 40, what="back direct")
    back = time.time() - t1
    assert back >= DWELL, back
    wait_route(lab.a, "10.2.0.1", "t-ab", timeout=20)


def test_no_daemon_crashed(lab):
    for s in SITES:
        site = getattr(lab, s)
        assert not site.crashes(), site.crashes()
