# SPDX-License-Identifier: GPL-2.0-or-later
"""The demo lab, run inside the lab VM by lab/demo.sh.

Two sites, a and b, joined by an underlay link with 20 ms of delay each
way; FRR with tunneld in each.  An operator configures a tunnel on a
through vtysh, saves it, restarts FRR, and looks at what tunneld shows.
Everything printed comes from the real vtysh of the lab.
"""

import os
import sys

sys.path.insert(0, "/src/tests/system")
import lablib  # noqa: E402

DAEMONS = ["bfdd", "ospfd", "bgpd", "tunneld"]

OPERATOR = [
    "configure",
    "tunnel-profile calm",
    "smoothing alpha 0.1",
    "hysteresis dwell 300",
    "exit",
    "tunnel gre-ab",
    "kind gre",
    "description to site b",
    "underlay source 192.0.2.1",
    "underlay destination 192.0.2.2",
    "ip address 10.255.0.1/30",
    "mtu auto",
    "profile calm",
    "bfd",
    "ospf dynamic-cost",
    "bgp route-map TUNNELD-AB",
    "exit",
]


def banner(text):
    print(f"\n\033[1m=== {text}\033[0m", flush=True)


def show(site, cmd):
    print(f"{site.name}# {cmd}", flush=True)
    print(site.vtysh(cmd).rstrip(), flush=True)


def main():
    with lablib.Lab(name="demo") as lab:
        banner("two sites, a and b, each an FRR instance with tunneld")
        a = lab.site("a", daemons=DAEMONS)
        b = lab.site("b", daemons=DAEMONS)
        lab.link(a, b, "192.0.2.1/30", "192.0.2.2/30", delay_ms=20)
        a.start()
        b.start()
        rtt = a.ping("192.0.2.2", count=3)
        print(f"a: ping 192.0.2.2 over the underlay: {rtt['received']}/"
              f"{rtt['sent']} replies, rtt avg {rtt['avg']:.1f} ms")
        show(a, "show version")

        banner("the operator configures a tunnel on a through vtysh")
        prompt = "a#"
        for cmd in OPERATOR:
            print(f"{prompt} {cmd}")
            if cmd.startswith("tunnel-profile "):
                prompt = "a(config-tunnel-profile)#"
            elif cmd.startswith("tunnel "):
                prompt = "a(config-tunnel)#"
            else:
                prompt = "a(config)#" if cmd in ("configure", "exit") else prompt
        a.vtysh(*OPERATOR)

        banner("mgmtd validated it against frr-tunneld.yang; a bad value is refused")
        print("a(config-tunnel-profile)# smoothing alpha 7")
        print(a.vtysh("configure", "tunnel-profile calm", "smoothing alpha 7",
                      check=False).strip())
        print("a(config-tunnel)# underlay destination 2001:db8::2")
        print(a.vtysh("configure", "tunnel gre-ab",
                      "underlay destination 2001:db8::2", check=False).strip())

        banner("saved with write memory, then FRR restarts")
        show(a, "write memory")
        a.restart()
        show(a, "show running-config")

        banner("what tunneld reports (the interface itself is not created yet)")
        show(a, "show tunnel")
        show(a, "show tunnel gre-ab json")
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
