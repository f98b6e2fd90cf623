# SPDX-License-Identifier: GPL-2.0-or-later
"""The demo lab, run inside the lab VM by lab/demo.sh.

Two sites, a and b, joined by two underlay links (20 ms and 25 ms each
way); FRR with tunneld and OSPF in each, each site announcing its LAN.  An
operator configures a GRE tunnel over the first link and a WireGuard tunnel
over the second through vtysh; tunneld makes the interfaces, measures them
and sets their OSPF costs, so a's route to b's LAN takes GRE.  The demo
worsens the GRE link: the measured figures move and the route moves to
WireGuard at once; the link is restored and the route comes back after the
dwell time.  Then the configuration is saved, FRR restarts, an interface
deleted by hand comes back.  Everything printed comes from the lab's real
vtysh and kernel.
"""

import grp
import os
import pwd
import sys
import time

sys.path.insert(0, "/src/tests/system")
import lablib  # noqa: E402

DAEMONS = ["bfdd", "ospfd", "bgpd", "tunneld"]


DWELL = 30


def ospf_config(n):
    """frr.conf of site n: OSPF over both tunnels and the site's LAN."""
    lines = ["router ospf", f" ospf router-id 10.0.0.{n}", " timers throttle spf 0 50 1000",
             " network 10.255.0.0/16 area 0", f" network 10.{n}.0.0/24 area 0",
             " passive-interface lan0", "exit"]
    for ifname in ("gre-ab", "wg-ab"):
        lines += [f"interface {ifname}", " ip ospf network point-to-point",
                  " ip ospf hello-interval 1", " ip ospf dead-interval 4", "exit"]
    return "\n".join(lines) + "\n"


def operator(site, peer, gre_addr, wg_addr, wg_peer_pub, wg_key_file):
    """What the operator types on one site: a profile, a GRE tunnel and a
    WireGuard tunnel to the other site."""
    return [
        "configure",
        "tunnel-profile demo",
        "probe interval 200",
        f"hysteresis dwell {DWELL}",
        "health recovery-time 10",
        "exit",
        "tunnel gre-ab",
        "kind gre",
        f"description to site {peer.name}",
        f"underlay source {site.underlay}",
        f"underlay destination {peer.underlay}",
        f"ip address {gre_addr}",
        "mtu auto",
        "profile demo",
        "ospf dynamic-cost",
        "bgp route-map TUNNELD-AB",
        "exit",
        "tunnel wg-ab",
        "kind wireguard",
        f"wireguard private-key-file {wg_key_file}",
        "wireguard listen-port 51820",
        f"wireguard peer {wg_peer_pub} endpoint {peer.underlay2} port 51820",
        f"wireguard peer {wg_peer_pub} allowed-ips 0.0.0.0/0",
        f"ip address {wg_addr}",
        "profile demo",
        "ospf dynamic-cost",
        "exit",
    ]


def make_key(site):
    """A WireGuard key pair; the private key in a file only frr can read."""
    path = f"{site.etc_dir}/wg-ab.key"
    key = site.sh("wg genkey").strip()
    with open(path, "w") as f:
        f.write(key + "\n")
    os.chown(path, pwd.getpwnam("frr").pw_uid, grp.getgrnam("frr").gr_gid)
    os.chmod(path, 0o600)
    return path, site.sh("wg pubkey", input=key + "\n").strip()


def banner(text):
    print(f"\n\033[1m=== {text}\033[0m", flush=True)


def show(site, cmd):
    print(f"{site.name}# {cmd}", flush=True)
    print(site.vtysh(cmd).rstrip(), flush=True)


def print_typed(site, cmds):
    prompt = f"{site.name}#"
    for cmd in cmds:
        print(f"{prompt} {cmd}")
        if cmd.startswith("tunnel-profile "):
            prompt = f"{site.name}(config-tunnel-profile)#"
        elif cmd.startswith("tunnel "):
            prompt = f"{site.name}(config-tunnel)#"
        elif cmd in ("configure", "exit"):
            prompt = f"{site.name}(config)#"


def route(site, dst):
    """The kernel's route: 'via NEXTHOP dev IFNAME'."""
    out = site.sh(f"ip route get {dst}").split("\n")[0]
    return out.split(" uid")[0]


def route_dev(site, dst):
    return route(site, dst).split(" dev ")[1].split()[0]


def quality_line(site, name):
    q = site.vtysh_json(f"show tunnel {name} quality json")
    d = site.vtysh_json("show tunnel decisions json")["tunnels"].get(name, {})
    rtt, jit, loss = q.get("rttMs") or {}, q.get("jitterMs") or {}, q.get("lossPct") or {}
    cost = (d.get("ospfCost") or {})
    return (f"{site.name}: {name:7} rtt {rtt.get('smoothed', 0):6.1f} ms  jitter "
            f"{jit.get('smoothed', 0):5.1f} ms  loss {loss.get('smoothed', 0):4.1f} %  "
            f"OSPF cost target {cost.get('target')} applied {cost.get('applied')} "
            f"(held by {cost.get('heldBy')}, {cost.get('reason')})")


def wait_in_sync(site, name):
    def ok():
        t = site.vtysh_json(f"show tunnel {name} json").get(name, {})
        return t.get("inSync") and t.get("operStatus") == "up"
    # Loading the WireGuard module runs crypto self-tests: slow under TCG.
    lablib.wait_until(ok, timeout=120, what=f"{site.name}: {name} to be made")


def main():
    with lablib.Lab(name="demo") as lab:
        banner("two sites, a and b, each an FRR instance with tunneld and OSPF")
        a = lab.site("a", daemons=DAEMONS, config=ospf_config(1))
        b = lab.site("b", daemons=DAEMONS, config=ospf_config(2))
        a.underlay, b.underlay = "192.0.2.1", "192.0.2.2"
        a.underlay2, b.underlay2 = "198.51.100.1", "198.51.100.2"
        link = lab.link(a, b, "192.0.2.1/30", "192.0.2.2/30", delay_ms=20)
        lab.link(a, b, "198.51.100.1/30", "198.51.100.2/30", delay_ms=25)
        for site, n in ((a, 1), (b, 2)):
            site.sh(f"ip link add lan0 type dummy && ip addr add 10.{n}.0.1/24 dev lan0"
                    " && ip link set lan0 up")
            site.start()
        rtt = a.ping("192.0.2.2", count=3)
        print(f"a: ping 192.0.2.2 over the first underlay link: {rtt['received']}/"
              f"{rtt['sent']} replies, rtt avg {rtt['avg']:.1f} ms")

        banner("the operator configures a GRE and a WireGuard tunnel on each site")
        akey, apub = make_key(a)
        bkey, bpub = make_key(b)
        cmds_a = operator(a, b, "10.255.0.1/30", "10.255.1.1/30", bpub, akey)
        cmds_b = operator(b, a, "10.255.0.2/30", "10.255.1.2/30", apub, bkey)
        print_typed(a, cmds_a)
        a.vtysh(*cmds_a)
        b.vtysh(*cmds_b)
        print("(site b: the same, mirrored)")

        banner("mgmtd validated it against frr-tunneld.yang; a bad value is refused")
        print("a(config-tunnel-profile)# smoothing alpha 7")
        print(a.vtysh("configure", "tunnel-profile demo", "smoothing alpha 7",
                      check=False).strip())
        print("a(config-tunnel)# underlay destination 2001:db8::2")
        print(a.vtysh("configure", "tunnel gre-ab",
                      "underlay destination 2001:db8::2", check=False).strip())

        banner("tunneld made the interfaces; traffic crosses both tunnels")
        for site in (a, b):
            wait_in_sync(site, "gre-ab")
            wait_in_sync(site, "wg-ab")
        print(a.sh("ip -br -d link show type gre; ip -br link show type wireguard").rstrip())
        for dst, via in (("10.255.0.2", "GRE"), ("10.255.1.2", "WireGuard")):
            r = a.ping(dst, count=5)
            print(f"a: ping {dst} over {via}: {r['received']}/{r['sent']} replies, "
                  f"rtt avg {r['avg']:.1f} ms")
        show(a, "show tunnel")

        banner("tunneld measures both tunnels and sets their OSPF costs")
        lablib.wait_until(lambda: route_dev(a, "10.2.0.1") == "gre-ab", timeout=120,
                          what="a's route to b's LAN over GRE")
        for name in ("gre-ab", "wg-ab"):
            print(quality_line(a, name))
        print(f"a: ip route get 10.2.0.1 -> {route(a, '10.2.0.1')}")
        show(a, "show tunnel gre-ab quality")

        banner("the GRE link gets worse: +60 ms each way")
        link.impair(delay_ms=80)
        t0 = time.time()
        lablib.wait_until(lambda: route_dev(a, "10.2.0.1") == "wg-ab", timeout=60,
                          interval=0.25, what="the route to move to WireGuard")
        print(f"a: after {time.time() - t0:.1f} s: ip route get 10.2.0.1 -> "
              f"{route(a, '10.2.0.1')}")
        for name in ("gre-ab", "wg-ab"):
            print(quality_line(a, name))
        print("a: tunneld's log says why:")
        for line in a.logs().get("tunneld.log", "").splitlines():
            if "OSPF cost" in line and "gre-ab" in line:
                print("   " + line.split("] ", 1)[-1])

        banner(f"the GRE link is good again; the route waits out the {DWELL} s dwell")
        link.impair(delay_ms=20)
        t1 = time.time()
        time.sleep(8)
        print(f"a: {time.time() - t1:.0f} s later, still {route(a, '10.2.0.1')}")
        print(quality_line(a, "gre-ab"))
        lablib.wait_until(lambda: route_dev(a, "10.2.0.1") == "gre-ab", timeout=DWELL + 60,
                          what="the route back on GRE")
        print(f"a: after {time.time() - t1:.0f} s: ip route get 10.2.0.1 -> "
              f"{route(a, '10.2.0.1')}")
        show(a, "show tunnel decisions")

        banner("saved with write memory; FRR restarts; the tunnels stay up")
        show(a, "write memory")
        before = a.vtysh_json("show tunnel json")
        a.restart()
        wait_in_sync(a, "gre-ab")
        after = a.vtysh_json("show tunnel json")
        for name in ("gre-ab", "wg-ab"):
            print(f"a: {name} ifindex {before[name]['ifindex']} before the restart, "
                  f"{after[name]['ifindex']} after")
        show(a, "show running-config")

        banner("someone deletes gre-ab by hand; tunneld puts it back")
        print("a# ip link del gre-ab")
        a.sh("ip link del gre-ab")
        wait_in_sync(a, "gre-ab")
        r = a.ping("10.255.0.2", count=3)
        print(f"a: gre-ab is back (ifindex {a.vtysh_json('show tunnel gre-ab json')['gre-ab']['ifindex']}), "
              f"ping {r['received']}/{r['sent']}")

        banner("what tunneld reports")
        show(a, "show tunnel wg-ab quality json")
        show(a, "show tunnel wg-ab json")
        show(a, "show tunnel zebra")
        show(a, "show mgmt get-data /frr-tunneld:tunneld")

        crashes = a.crashes() + b.crashes()
        if crashes:
            print("\n".join(crashes))
            return 1
    banner("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
