# SPDX-License-Identifier: GPL-2.0-or-later
"""tunneld measures its tunnels: STAMP and ICMP probes, BFD, counters.

Two sites, a and b, joined by an underlay with netem; a GRE tunnel between
them, probed every 100 ms (so a test's hundreds of probes take seconds).
The figures are checked against ping over the same tunnel and against the
impairment netem applies; the probes themselves are decoded by scapy's
STAMP layer, an implementation that is not ours.
"""

import json
import re
import socket
import struct
import time
import types

import pytest

import lablib

A4, B4 = "192.0.2.1", "192.0.2.2"
OA, OB = "10.255.0.1", "10.255.0.2"
INTERVAL_MS = 100

BFD_CONFIG = """\
bfd
 profile fast
  receive-interval 100
  transmit-interval 100
  detect-multiplier 3
 exit
exit
"""


@pytest.fixture(scope="module")
def lab():
    with lablib.Lab(name="measure") as lab:
        a = lab.site("a", daemons=["tunneld", "bfdd"], config=BFD_CONFIG)
        b = lab.site("b", daemons=["tunneld", "bfdd"], config=BFD_CONFIG)
        link = lab.link(a, b, f"{A4}/30", f"{B4}/30", delay_ms=5)
        a.start()
        b.start()
        for site, src, dst, addr in ((a, A4, B4, OA), (b, B4, A4, OB)):
            site.vtysh("configure", "debug tunnel probe",
                       "tunnel gre-ab", "kind gre", f"underlay source {src}",
                       f"underlay destination {dst}", f"ip address {addr}/30",
                       f"probe interval {INTERVAL_MS}", "probe timeout 1000",
                       "probe window 100")
        for site in (a, b):
            wait_probing(site)
        yield types.SimpleNamespace(lab=lab, a=a, b=b, link=link)


def quality(site, name="gre-ab"):
    return site.vtysh_json(f"show tunnel {name} quality json")


def wait_probing(site, name="gre-ab", replies=5, timeout=60):
    """Wait until `replies` more probes were answered; return the quality."""
    start = quality(site, name).get("probesReceived", 0)
    last = {}

    def ok():
        last.clear()
        last.update(quality(site, name))
        return last.get("probesReceived", 0) >= start + replies
    try:
        lablib.wait_until(ok, timeout=timeout, what=f"{site.name}/{name} probes answered")
    except lablib.LabError as exc:
        raise lablib.LabError(f"{exc}\nquality: {json.dumps(last)}") from None
    return last


def settle(site, seconds):
    """Let the smoothed figures follow a new impairment."""
    time.sleep(seconds)
    return wait_probing(site)


def test_quality_shows_every_field(lab):
    q = wait_probing(lab.a)
    for key in ("rttMs", "jitterMs", "lossPct"):
        assert set(q[key]) >= {"last", "smoothed", "min", "max"}, (key, q)
    assert q["probe"]["destination"] == OB  # derived from the /30
    assert q["probe"]["state"] == "up" and q["state"] == "up"
    assert q["probesSent"] >= q["probesReceived"] > 0
    assert set(q["throughputBps"]) >= {"rx", "tx"}
    assert q["bfdStatus"] == "disabled"
    # b answered a's probes on the tunnel, so b's reflector counted them.
    qb = quality(lab.b)
    assert qb["reflector"]["reflected"] > 0
    refl = lab.b.vtysh_json("show tunnel reflector json")
    assert refl["reflected"] >= qb["reflector"]["reflected"] and refl["port"] == 862
    text = lab.a.vtysh("show tunnel gre-ab quality")
    assert "RTT" in text and "Loss" in text, text


def test_rtt_matches_ping(lab):
    # RTT 2 x 30 ms with +/- 3 ms of jitter each way.
    lab.link.impair(delay_ms=30, jitter_ms=3)
    settle(lab.a, 8)
    ours = []
    proc = lab.a.spawn(f"ping -n -q -i 0.2 -c 75 {OB}", name="ping-rtt")
    for _ in range(12):
        ours.append(quality(lab.a)["rttMs"]["smoothed"])
        time.sleep(1)
    proc.wait(timeout=60)
    with open(f"{lab.a.log_dir}/ping-rtt.out") as f:
        out = f.read()
    m = re.search(r"= [\d.]+/([\d.]+)/", out)
    assert m, out
    ping_avg = float(m.group(1))
    mean = sum(ours) / len(ours)
    lablib.log(f"smoothed RTT {mean:.2f} ms (samples {ours}), ping {ping_avg:.2f} ms")
    assert abs(mean - ping_avg) <= max(1.0, 0.05 * ping_avg), (mean, ping_avg, out)
    q = quality(lab.a)
    # Jitter is seen (netem's 3 ms each way) and min <= smoothed <= max.
    assert q["jitterMs"]["smoothed"] > 0.3, q["jitterMs"]
    assert q["rttMs"]["min"] <= q["rttMs"]["smoothed"] <= q["rttMs"]["max"]


def test_loss_over_500_probes(lab):
    # 1 % each way: a round trip is lost with 1 - 0.99^2 = 1.99 %.
    lab.link.impair(delay_ms=5, jitter_ms=0, loss_pct=1)
    settle(lab.a, 2)
    before = quality(lab.a)
    lablib.wait_until(lambda: quality(lab.a)["probesSent"] >= before["probesSent"] + 520,
                      timeout=240, interval=5, what="520 more probes")
    # Let the last ones be answered or time out (timeout 1 s).
    time.sleep(1.5)
    after = quality(lab.a)
    sent = after["probesSent"] - before["probesSent"] - after["probesOutstanding"] \
        + before["probesOutstanding"]
    recv = after["probesReceived"] - before["probesReceived"]
    lost = after["probesLost"] - before["probesLost"]
    loss = 100.0 * lost / (lost + recv)
    lablib.log(f"{sent} probes, {recv} answered, {lost} lost: {loss:.2f} %")
    assert lost + recv >= 500
    assert abs(loss - 1.99) <= 2.0, (loss, before, after)
    # The smoothed loss is near it too, not swung by single losses.
    assert after["lossPct"]["smoothed"] <= 8, after["lossPct"]
    lab.link.impair(loss_pct=0)


def test_icmp_probes(lab):
    lab.a.vtysh("configure", "tunnel gre-ab", "probe icmp")
    try:
        q = wait_probing(lab.a, replies=20)
        assert q["probe"]["mode"] == "icmp"
        assert 9 <= q["rttMs"]["last"] <= 40, q["rttMs"]
    finally:
        lab.a.vtysh("configure", "tunnel gre-ab", "probe stamp")
    wait_probing(lab.a)


def test_cut_seen_by_bfd_and_probes(lab):
    for site in (lab.a, lab.b):
        site.vtysh("configure", "tunnel gre-ab", "bfd profile fast")
    lablib.wait_until(lambda: quality(lab.a)["bfdStatus"] == "up", timeout=60,
                      what="BFD up on gre-ab")
    wait_probing(lab.a)
    t0 = time.time()
    lab.link.cut()
    try:
        lablib.wait_until(lambda: quality(lab.a)["state"].startswith("down"), timeout=20,
                          what="a sees the cut")
        lablib.wait_until(lambda: quality(lab.a)["probe"]["state"] == "down", timeout=20,
                          what="the probes see the cut")
        q = quality(lab.a)
    finally:
        lab.link.restore()
    # tunneld stamps each change with the wall clock (ms); the VM has one.
    bfd_s = q["bfdChangedAtMs"] / 1000.0 - t0
    probe_s = q["probe"]["stateChangedAtMs"] / 1000.0 - t0
    lablib.log(f"cut seen by BFD after {bfd_s * 1000:.0f} ms, "
               f"by probes after {probe_s * 1000:.0f} ms")
    # BFD: detect time 3 x 100 ms; probes: miss-count 3 x 100 ms, noticed at
    # the next probe (+100 ms).  250 ms allow for the emulated CPU and
    # zebra's relay of BFD news.
    assert bfd_s <= 0.300 + 0.250, bfd_s
    assert probe_s <= 0.400 + 0.250, probe_s
    assert q["state"] == "down (BFD)" and q["bfdStatus"] == "down", q
    lablib.wait_until(lambda: quality(lab.a)["state"] == "up", timeout=30,
                      what="a sees the tunnel back")
    for site in (lab.a, lab.b):
        site.vtysh("configure", "tunnel gre-ab", "no bfd")


def test_measurements_follow_recreation(lab):
    before = quality(lab.a)
    ifindex = json.loads(lab.a.sh("ip -j link show dev gre-ab"))[0]["ifindex"]
    lab.a.sh("ip link del gre-ab")
    lablib.wait_until(
        lambda: lab.a.sh("ip -j link show dev gre-ab", check=False).startswith("[")
        and json.loads(lab.a.sh("ip -j link show dev gre-ab"))[0]["ifindex"] != ifindex,
        timeout=30, what="gre-ab re-created")
    after = wait_probing(lab.a, replies=20)
    assert after["probesReceived"] >= before["probesReceived"] + 20
    assert after["interfaceRecreations"] >= 1 + before["interfaceRecreations"]
    assert after["state"] == "up" and after["probe"]["state"] == "up"


def test_scapy_decodes_our_stamp(lab):
    pcap = "/tmp/stamp-a.pcap"
    proc = lab.a.spawn(f"tcpdump -n -U -i gre-ab -c 20 -w {pcap} udp port 862",
                       name="tcpdump-stamp")
    try:
        proc.wait(timeout=30)
    finally:
        proc.kill()
    script = f"""
import json, sys
from scapy.all import rdpcap, UDP, IP, Raw, Padding
from scapy.contrib.stamp import (STAMPSessionSenderTestUnauthenticated as Tx,
                                 STAMPSessionReflectorTestUnauthenticated as Rx)
reqs, reps = {{}}, []
for p in rdpcap("{pcap}"):
    if Raw in p or Padding in p:
        sys.exit("undecoded bytes: " + p.show(dump=True))
    if Tx in p and p[IP].src == "{OA}":
        reqs[p[Tx].seq] = float(p[Tx].ts)
    elif Rx in p and p[IP].dst == "{OA}":
        r = p[Rx]
        reps.append(dict(seq=r.seq, sseq=r.seq_sender, ts=float(r.ts), rx=float(r.ts_rx),
                         sts=float(r.ts_sender), ttl=r.ttl_sender, len=len(p[UDP].payload)))
print(json.dumps(dict(reqs=reqs, reps=reps)))
"""
    out = json.loads(lab.a.sh("python3 -", input=script))
    reqs = {int(k): v for k, v in out["reqs"].items()}
    reps = out["reps"]
    assert len(reqs) >= 5 and len(reps) >= 5, out
    matched = 0
    for r in reps:
        if r["sseq"] not in reqs:
            continue
        matched += 1
        assert r["seq"] == r["sseq"]  # stateless reflector
        assert abs(r["sts"] - reqs[r["sseq"]]) < 1e-6  # our timestamp echoed
        # One clock in the VM: sent <= reflector received <= reflector sent.
        assert r["sts"] - 0.001 <= r["rx"] <= r["ts"] + 1e-6, r
        assert r["ts"] - r["sts"] < 1.0, r
        assert r["ttl"] in (63, 64, 255), r
        assert r["len"] == 44
    assert matched >= 5, out


def test_bad_stamp_packets_are_counted_and_dropped(lab):
    refl0 = lab.b.vtysh_json("show tunnel reflector json")
    q0 = quality(lab.b)
    # A truncated test packet over the tunnel, and a good one over the
    # underlay (not a managed interface: out of scope).
    script = f"""
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"short", ("{OB}", 862))
s.sendto(struct.pack("!I", 7) + bytes(40), ("{B4}", 862))
"""
    lab.a.sh("python3 -", input=script)
    lablib.wait_until(lambda: lab.b.vtysh_json("show tunnel reflector json")["outOfScope"]
                      > refl0["outOfScope"], timeout=10, what="out-of-scope packet counted")
    refl = lab.b.vtysh_json("show tunnel reflector json")
    assert refl["malformed"] == refl0["malformed"] + 1
    assert quality(lab.b)["reflector"]["malformed"] == q0["reflector"]["malformed"] + 1
    # A reply nobody asked for, to a's STAMP sender port range: it matches
    # no probe (wrong source) and is counted, not used.
    wait_probing(lab.a)


def test_history(lab):
    h = lab.a.vtysh_json("show tunnel gre-ab history json")
    assert h["tunnel"] == "gre-ab"
    samples = h["samples"]
    assert 1 <= len(samples) <= 100
    seqs = [s["seq"] for s in samples]
    assert all(((b - a) & 0xffffffff) == 1 for a, b in zip(seqs, seqs[1:])), seqs
    assert any("rttMs" in s for s in samples)
    text = lab.a.vtysh("show tunnel gre-ab history")
    assert "Sequence" in text


def test_restart_and_no_daemon_crashed(lab):
    # A clean stop too: tunnels, probers and BFD sessions go before the
    # sockets they use.
    lab.a.vtysh("write memory")
    lab.a.restart()
    wait_probing(lab.a)
    for site in (lab.a, lab.b):
        assert not site.crashes(), site.crashes()
