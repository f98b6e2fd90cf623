# SPDX-License-Identifier: GPL-2.0-or-later
"""pytest glue for the package tests (run inside the lab VM by run.sh).

Every test is skipped outside the lab VM.  Each test module gets one
Router (a fresh clean root), shared by its tests, which run in file order
and build on each other; a test whose predecessor failed is skipped.  On a
failure, the router's logs and state go to /results/logs/MODULE/.
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import pkglib  # noqa: E402  pylint: disable=wrong-import-position

RESULTS = "/results/logs"


def pytest_collection_modifyitems(config, items):
    if pkglib.in_lab_vm():
        return
    skip = pytest.mark.skip(
        reason="package tests run only inside the lab VM: tests/packages/run.sh")
    for item in items:
        item.add_marker(skip)


@pytest.fixture(scope="module")
def router(request):
    name = request.module.__name__.replace("test_", "")
    r = pkglib.Router(name, os.path.join(RESULTS, name))
    r.failed = None
    r.setup()
    yield r
    if r.failed:
        r.dump()
    r.close()


@pytest.fixture(autouse=True)
def _in_order(request):
    """Skip a test once an earlier one of its module failed."""
    if "router" not in request.fixturenames:
        yield
        return
    r = request.getfixturevalue("router")
    if r.failed:
        pytest.skip(f"an earlier step failed: {r.failed}")
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call" and rep.failed and "router" in item.fixturenames:
        r = item.funcargs.get("router")
        if r is not None and not r.failed:
            r.failed = item.name
