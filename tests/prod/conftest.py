"""The production profile started for real once for all tests/prod (make test-prod), and its report.

The load figures and the fault table are printed at the end of the run (and the figures written to
results/prod/load.json).
"""

import json
import os
import shutil

import pytest
import sqlalchemy as sa

from clinic.followups.store import FollowupStore
from harness.prod_stack import running_stack
from harness.servers import ROOT

RESULTS = ROOT / "results" / "prod"
LOAD_FIGURES: dict = {}
FAULT_ROWS: list = []


def pytest_collection_modifyitems(items):
    """The load measurements run first, on both replicas; the fault tests after them."""
    items.sort(key=lambda item: 0 if "test_load" in item.nodeid else 1)


STACKS: list = []


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    missing = [tool for tool in ("nginx", "redis-server") if not shutil.which(tool)]
    if missing:
        pytest.fail(f"Not installed: {', '.join(missing)}: run 'scripts/install-system-packages.sh "
                    "postgresql redis-server nginx' (make test-prod does).")
    # PostgreSQL's folder must be enterable by its user (harness/postgres_server.py); the rest lives here.
    for started in running_stack(tmp_path_factory.mktemp("prod"), replicas=2):
        STACKS.append(started)
        yield started


@pytest.fixture(scope="session")
def tracker_db(stack):
    engine = sa.create_engine(stack.tracker_db_url, pool_pre_ping=True)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def followups(stack):
    return FollowupStore(stack.followup_db_url)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_makereport(item, call):
    """When a test fails, the parts' states and logs then (CI keeps only this output)."""
    if call.excinfo is not None and STACKS and not call.excinfo.errisinstance(pytest.skip.Exception):
        item.add_report_section(call.when, "production stack", "\n".join(STACKS[0].report()))


def pytest_terminal_summary(terminalreporter):
    if LOAD_FIGURES:
        RESULTS.mkdir(parents=True, exist_ok=True)
        figures = {**LOAD_FIGURES, "load_average_at_end": os.getloadavg()}
        (RESULTS / "load.json").write_text(json.dumps(figures, indent=2) + "\n")
        terminalreporter.section("load through nginx (REST channel)")
        terminalreporter.write_line(f"{'setup':<14}{'visitors':>9}{'messages':>9}{'errors':>7}{'p50 s':>8}"
                                    f"{'p95 s':>8}{'p99 s':>8}{'msg/s':>8}")
        for name, row in LOAD_FIGURES.items():
            if isinstance(row, dict) and "p50_s" in row:
                terminalreporter.write_line(f"{name:<14}{row['visitors']:>9}{row['messages']:>9}{row['errors']:>7}"
                                            f"{row['p50_s']:>8}{row['p95_s']:>8}{row['p99_s']:>8}"
                                            f"{row['messages_per_s']:>8}")
        terminalreporter.write_line(f"written to {RESULTS / 'load.json'}")
    if FAULT_ROWS:
        failed = [report.nodeid for report in terminalreporter.stats.get("failed", [])]
        terminalreporter.section("faults, each mid-load")
        terminalreporter.write_line("| fault | what the visitors saw | what was stored | outcome |")
        terminalreporter.write_line("|---|---|---|---|")
        for fault, saw, stored, outcome in FAULT_ROWS:
            # Each row's fault starts with its letter, as its test's name does (test_a_..., test_b_...).
            verdict = "FAIL" if any(f"test_{fault[0]}_" in nodeid for nodeid in failed) else "pass"
            terminalreporter.write_line(f"| {fault} | {saw} | {stored} | {verdict}: {outcome} |")
