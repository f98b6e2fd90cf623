# SPDX-License-Identifier: GPL-2.0-or-later
"""The demo lab, run inside the lab VM by lab/demo.sh.

Two sites, a and b, joined by an underlay link with 20 ms of delay each
way; FRR with tunneld in each.  An operator configures a GRE and a
WireGuard tunnel through vtysh; tunneld makes the interfaces and traffic
crosses them; the configuration is saved, FRR restarts, an interface
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


def operator(site, peer, gre_addr, wg_addr, wg_peer_pub, wg_key_file):
    """What the operator types on one site: a profile, a GRE tunnel and a
    WireGuard tunnel to the other site."""
    return [
        "configure",
        "tunnel-profile calm",
        "smoothing alpha 0.1",
        "hysteresis dwell 300",
        "exit",
        "tunnel gre-ab",
        "kind gre",
        f"description to site {peer.name}",
        f"underlay source {site.underlay}",
        f"underlay destination {peer.underlay}",
        f"ip address {gre_addr}",
        "mtu auto",
        "profile calm",
        "bfd",
        "ospf dynamic-cost",
        "bgp route-map TUNNELD-AB",
        "exit",
        "tunnel wg-ab",
        "kind wireguard",
        f"wireguard private-key-file {wg_key_file}",
        "wireguard listen-port 51820",
        f"wireguard peer {wg_peer_pub} endpoint {peer.underlay} port 51820",
        f"wireguard peer {wg_peer_pub} allowed-ips 10.255.1.0/30",
        f"ip address {wg_addr}",
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


def wait_in_sync(site, name):
    def ok():
        t = site.vtysh_json(f"show tunnel {name} json").get(name, {})
        return t.get("inSync") and t.get("operStatus") == "up"
    # Loading the WireGuard module runs crypto self-tests: slow under TCG.
    lablib.wait_until(ok, timeout=120, what=f"{site.name}: {name} to be made")


def main():
    with lablib.Lab(name="demo") as lab:
        banner("two sites, a and b, each an FRR instance with tunneld")
        a = lab.site("a", daemons=DAEMONS)
        b = lab.site("b", daemons=DAEMONS)
        a.underlay, b.underlay = "192.0.2.1", "192.0.2.2"
        link = lab.link(a, b, "192.0.2.1/30", "192.0.2.2/30", delay_ms=20)
        a.start()
        b.start()
        rtt = a.ping("192.0.2.2", count=3)
        print(f"a: ping 192.0.2.2 over the underlay: {rtt['received']}/"
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
        print(a.vtysh("configure", "tunnel-profile calm", "smoothing alpha 7",
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
