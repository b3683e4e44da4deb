"""The reports timed: the console's report pages as it asks for them, and each TSM complaints figure alone.

The pages are the portal's own operations (``portal/operations/reports*.graphql``, ``surveys_tsm.graphql``) sent by
a member of staff through the engine, as the other console pages are; they have no floor, since their floor would
be the reports' own SQL written twice. CH01 and CH02 are also timed one stage at a time through the backend
functions ``backend.reports.tsm_complaints.compute`` calls, so that each figure is measured apart from the others.

Every report is timed at least :data:`MIN_RUNS` times (after :data:`WARMUP` runs), whatever ``--iterations``
says, unless its first run takes longer than :data:`SLOW_SECONDS`.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from backend.context import Actor
from backend.db import count_statements
from backend.reports import tsm_complaints
from backend.reports.periods import parse_period
from bench import BenchError
from bench.dataset import TODAY
from bench.operations import Operation, first_with_role, has_portal_operation, portal_operation

#: The last whole regulator's year before the dataset's today (1 January 2026), and the last whole quarter.
YEAR = "2024/25"
QUARTER = "2025/26-Q3"
#: Targets at scale 1 (issue 14): the annual report under 2 s; each TSM figure under 200 ms.
ANNUAL_TARGET_MS = 2_000.0
TSM_FIGURE_TARGET_MS = 200.0
MIN_RUNS, WARMUP = 20, 2
#: A report whose first run takes longer than this is timed only SLOW_RUNS times.
SLOW_SECONDS, SLOW_RUNS = 10.0, 3

#: (key, title, portal operation, variables, target in ms or None).
REPORT_PAGES: tuple[tuple[str, str, str, dict[str, Any], float | None], ...] = (
    (
        "annual_report",
        f"annual complaints report {YEAR} (staff)",
        "ConsoleAnnualComplaintsReport",
        {"period": YEAR},
        ANNUAL_TARGET_MS,
    ),
    ("tsm_complaints", f"TSM CH01 and CH02 {YEAR} (staff)", "ConsoleTsmComplaints", {"period": YEAR}, None),
    (
        "tsm_perception",
        f"TSM TP01 to TP12 {YEAR} (staff)",
        "ConsoleTsmPerception",
        {"period": YEAR, "surveyId": None},
        None,
    ),
    ("spso_indicators", f"SPSO indicators {YEAR} (staff)", "ConsoleSpsoIndicators", {"period": YEAR}, None),
    ("board_report", f"board report {QUARTER} (staff)", "ConsoleBoardReport", {"period": QUARTER}, None),
    ("board_report_year", f"board report {YEAR} (staff)", "ConsoleBoardReport", {"period": YEAR}, None),
    (
        "equality_breakdowns",
        f"equality breakdowns {YEAR} (staff)",
        "ConsoleEqualityBreakdowns",
        {"period": YEAR},
        None,
    ),
)


def report_pages(staff: Actor) -> list[tuple[Operation, float | None]]:
    """The console's report pages the portal has operations for, with their targets."""
    return [
        (Operation(key, title, staff, portal_operation(name), variables, None, {"portal_operation": name}), target)
        for key, title, name, variables, target in REPORT_PAGES
        if has_portal_operation(name)
    ]


def tsm_figures() -> list[tuple[str, str, Callable[[], Any]]]:
    """(key, title, call) for each of CH01(1), CH01(2), CH02(1) and CH02(2) over YEAR, counted alone."""
    period = parse_period(YEAR, today=TODAY.date())
    found = []
    for kind, counts in (("ch01", tsm_complaints.received_counts), ("ch02", tsm_complaints.responded_counts)):
        for stage in tsm_complaints.STAGES:
            found.append((f"{kind}_{stage}", f"{kind.upper()}({stage}) {YEAR}", partial(counts, period, stage)))
    return found


def timed(call: Callable[[], Any], runs: int) -> dict[str, Any]:
    """Count the statements of one call, then time ``runs`` more after a warm-up (fewer when it is slow)."""
    started = time.perf_counter()
    with count_statements() as statements:
        call()
    first_ms = (time.perf_counter() - started) * 1000
    warmup = WARMUP
    if first_ms > SLOW_SECONDS * 1000:
        runs, warmup = SLOW_RUNS, 0
    for _ in range(warmup):
        call()
    samples, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    ordered = sorted(samples)
    return {
        # The process's own CPU time (SQLite runs in it): steadier than the wall clock on a busy machine.
        "cpu_p50": round(statistics.median(cpu), 3),
        "statements": len(statements),
        "runs": runs,
        "first_ms": round(first_ms, 3),
        "p50": round(statistics.median(samples), 3),
        "p95": round(ordered[max(0, -(-95 * len(ordered) // 100) - 1)], 3),
        "max": round(ordered[-1], 3),
    }


def measure_reports(execute: Callable[[Operation], str], iterations: int) -> list[dict[str, Any]]:
    """Time every report page and each TSM figure; ``execute`` runs an operation through the engine."""
    runs = max(MIN_RUNS, iterations // 10)
    try:
        staff = Actor(user_id=first_with_role("staff"), roles=frozenset({"staff"}))
    except BenchError:
        return []
    results = []
    for operation, target in report_pages(staff):
        measured = timed(partial(execute, operation), runs)
        results.append(
            {
                "key": operation.key,
                "title": operation.title,
                "roles": sorted(operation.actor.roles),
                "query": operation.query.strip(),
                "variables": operation.variables,
                "ms": measured,
                "target_ms": target,
                **operation.notes,
            }
        )
    for key, title, call in tsm_figures():
        results.append(
            {
                "key": key,
                "title": f"{title} (backend.reports.tsm_complaints)",
                "ms": timed(call, runs),
                "target_ms": TSM_FIGURE_TARGET_MS,
            }
        )
    return results
