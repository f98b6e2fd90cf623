# SPDX-License-Identifier: GPL-2.0-or-later
"""pytest glue for the system tests (run inside the lab VM by run.sh).

- Every test here is skipped outside the lab VM: the tests create network
  namespaces, links and qdiscs, which must never happen on a host.
- `lab` fixture: a fresh lablib.Lab per test, torn down afterwards.
- On a failing test, each open lab's sites are dumped (FRR logs, ip link/
  addr/route, tc, running-config) into /results/logs/TESTNAME/ and the tail
  of the interesting files is added to the test's failure report.
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import lablib  # noqa: E402  pylint: disable=wrong-import-position

TAIL_LINES = 15
# Files whose tails go into the failure report (the rest stay on disk).
TAIL_FILES = ("frrinit.log", "watchfrr.log", "zebra.log", "tunneld.log",
              "ip-route.txt", "running-config.txt")


def pytest_collection_modifyitems(config, items):
    if lablib.in_lab_vm():
        return
    skip = pytest.mark.skip(
        reason="system tests run only inside the lab VM: tests/system/run.sh")
    for item in items:
        item.add_marker(skip)


@pytest.fixture
def lab(request):
    """A Lab for one test; cleaned up even when the test fails."""
    with lablib.Lab(name=request.node.name) as the_lab:
        yield the_lab


def _tails(paths):
    parts = []
    for path in paths:
        if os.path.basename(path) not in TAIL_FILES:
            continue
        try:
            with open(path, errors="replace") as f:
                lines = f.readlines()[-TAIL_LINES:]
        except OSError:
            continue
        if not lines:
            continue
        parts.append(f"---- {path} (last {len(lines)} lines)\n"
                     + "".join(lines))
    return "\n".join(parts)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if not rep.failed or rep.when == "teardown" or not lablib.in_lab_vm():
        return
    # Labs still open now belong to this test (fixtures not torn down yet)
    # or to a module-scoped fixture it uses.
    outdir = os.path.join(lablib.RESULTS, "logs",
                          lablib._safe_name(item.name))
    report = []
    for the_lab in list(lablib.active_labs):
        written = []
        try:
            the_lab.dump(outdir)
            for site in the_lab.sites.values():
                sdir = os.path.join(outdir, site.name)
                written += [os.path.join(sdir, f) for f in
                            sorted(os.listdir(sdir))]
        except Exception as exc:  # pylint: disable=broad-except
            report.append(f"dumping lab {the_lab.name} failed: {exc!r}")
        report.append(_tails(written))
    # A `with Lab()` inside the test body has already dumped and closed.
    if not lablib.active_labs and os.path.isdir(outdir):
        for sname in sorted(os.listdir(outdir)):
            sdir = os.path.join(outdir, sname)
            if os.path.isdir(sdir):
                report.append(_tails([os.path.join(sdir, f)
                                      for f in sorted(os.listdir(sdir))]))
    if any(report):
        rep.sections.append((f"lab diagnostics (all in {outdir})",
                             "\n".join(r for r in report if r)))
