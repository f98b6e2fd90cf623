# SPDX-License-Identifier: GPL-2.0-or-later
"""The routing benchmark, run inside the lab VM by lab/bench.sh.

Two sites, a and b, joined by two underlay links (5 ms each way), a GRE
tunnel over each and OSPF over both tunnels; b announces its LAN, which a
reaches over t1 (the cheaper) while both are healthy.  The benchmark
impairs t1's underlay and measures, from the impairment to the kernel FIB
change on a (polled every 50 ms):
  - a step of +50 ms RTT with the default profile and with a fast one;
  - a cut (100 % loss) with BFD at 100 ms x 3;
and counts cost changes under a square wave (period 60 s, default dwell
120 s) over several minutes, scaled to an hour.  It prints the figures;
nothing here is a pass/fail test.
"""

import json
import sys
import time

sys.path.insert(0, "/src/tests/system")
import lablib  # noqa: E402

BFD = """bfd
 profile fast
  receive-interval 100
  transmit-interval 100
  detect-multiplier 3
 exit
exit
"""


def ospf(n):
    lines = [BFD, "router ospf", f" ospf router-id 10.0.0.{n}", " timers throttle spf 0 50 1000",
             " network 10.255.0.0/16 area 0", f" network 10.{n}.0.0/24 area 0",
             " passive-interface lan0", "exit"]
    for ifname in ("t1", "t2"):
        lines += [f"interface {ifname}", " ip ospf network point-to-point",
                  " ip ospf hello-interval 1", " ip ospf dead-interval 4", "exit"]
    return "\n".join(lines) + "\n"


def dev(site):
    out = site.sh("ip -j route get 10.2.0.1", check=False)
    try:
        return json.loads(out)[0].get("dev")
    except (ValueError, IndexError):
        return None


def until_dev(site, want, timeout):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if dev(site) == want:
            return time.time() - t0
        time.sleep(0.05)
    return None


def reset(a, b, link, tunnel_cmds):
    """Back to the baseline: link clean, the tunnel's cost decided afresh."""
    link.impair(delay_ms=5, loss_pct=0)
    if link._cut:
        link.restore()
    # The smoothed RTT first, so the fresh decision is the baseline's.
    lablib.wait_until(lambda: (a.vtysh_json("show tunnel t1 quality json").get("rttMs")
                               or {}).get("smoothed", 99) < 15, timeout=60,
                      what="t1's smoothed RTT back at the baseline")
    for s in (a, b):
        s.vtysh("configure", "tunnel t1", "no ospf dynamic-cost")
        for cmd in tunnel_cmds:
            # 'no profile' with none set is refused; that is fine here.
            s.vtysh("configure", "tunnel t1", cmd, check=False)
        s.vtysh("configure", "tunnel t1", "ospf dynamic-cost")
    lablib.wait_until(lambda: dev(a) == "t1", timeout=120, what="baseline over t1")
    time.sleep(5)


def main():
    results = {}
    with lablib.Lab(name="bench-routing") as lab:
        a = lab.site("a", daemons=["tunneld", "bfdd", "ospfd"], config=ospf(1))
        b = lab.site("b", daemons=["tunneld", "bfdd", "ospfd"], config=ospf(2))
        l1 = lab.link(a, b, "192.0.2.1/30", "192.0.2.2/30", delay_ms=5)
        lab.link(a, b, "198.51.100.1/30", "198.51.100.2/30", delay_ms=10)
        for s, n in ((a, 1), (b, 2)):
            s.sh(f"ip link add lan0 type dummy && ip addr add 10.{n}.0.1/24 dev lan0"
                 " && ip link set lan0 up")
            s.start()
        for s, me, peer in ((a, 1, 2), (b, 2, 1)):
            s.vtysh("configure", "tunnel-profile fast", "smoothing alpha 0.5",
                    "probe interval 200", "exit")
            for t, net in (("t1", "192.0.2"), ("t2", "198.51.100")):
                o = "10.255.1" if t == "t1" else "10.255.2"
                s.vtysh("configure", f"tunnel {t}", "kind gre", f"underlay source {net}.{me}",
                        f"underlay destination {net}.{peer}", f"ip address {o}.{me}/30",
                        "ospf dynamic-cost")
        lablib.wait_until(lambda: dev(a) == "t1", timeout=180, what="a over t1")
        time.sleep(10)

        for name, cmds in (("step +50 ms, default profile", ["no profile"]),
                           ("step +50 ms, fast profile", ["profile fast"])):
            reset(a, b, l1, cmds)
            l1.impair(delay_ms=30)
            results[name] = until_dev(a, "t2", 60)
            lablib.log(f"{name}: {results[name]}")

        # The square wave before the cut: after a cut the tunnel recovers
        # slowly (recovery-time and dwell), by design.
        reset(a, b, l1, ["no profile"])
        before = a.vtysh_json("show tunnel decisions json")["tunnels"]["t1"]["ospfCost"]["changes"]
        minutes = 6
        t0 = time.time()
        while time.time() - t0 < minutes * 60:
            l1.impair(delay_ms=30)
            time.sleep(30)
            l1.impair(delay_ms=5)
            time.sleep(30)
        after = a.vtysh_json("show tunnel decisions json")["tunnels"]["t1"]["ospfCost"]["changes"]
        results["square wave"] = (after - before, minutes)

        name = "cut, BFD 100 ms x 3"
        reset(a, b, l1, ["bfd profile fast"])
        lablib.wait_until(lambda: a.vtysh_json("show tunnel t1 quality json")["bfdStatus"]
                          == "up", timeout=60, what="BFD up")
        l1.cut()
        results[name] = until_dev(a, "t2", 30)
        lablib.log(f"{name}: {results[name]}")

    print("\nrouting benchmark (lab VM, TCG; impairment to kernel FIB change on a):")
    for name in ("step +50 ms, default profile", "step +50 ms, fast profile",
                 "cut, BFD 100 ms x 3"):
        v = results[name]
        print(f"  {name:32} {'not within the limit' if v is None else f'{v:.2f} s'}")
    changes, minutes = results["square wave"]
    print(f"  {'square wave 60 s, dwell 120 s':32} {changes} cost changes in {minutes} min "
          f"= {changes * 60 / minutes:.0f} per hour")
    return 0


if __name__ == "__main__":
    sys.exit(main())
