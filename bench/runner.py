"""Time each operation through the engine and through its floor, count statements, and report.

Every request is real GraphQL text executed in-process by the schema for the actor's roles, exactly
as the ``/graphql`` view runs it, minus HTTP. Engine and floor take turns in one loop, so both see the
same caches, and both end in ``json.dumps`` of the same data.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import math
import os
import platform
import sqlite3
import statistics
import time
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from backend.config import Settings
from backend.context import Actor
from backend.db import count_statements, is_postgres
from bench import BenchError
from bench.operations import (
    PAGE_SIZE_CHECK,
    Operation,
    handlers_with_active_complaints,
    lessons_page,
    my_complaints,
    operations,
)
from bench.report import print_report
from bench.reporting import measure_reports
from bench.resources import build_bench_engine
from bench.store import open_dataset
from schema.context import Context
from schema.engine.engine import Engine

#: The issues' p50 targets at scale 1, by operation key: the console's lessons log (the bench's text and the
#: portal's), the themes dashboard, the resident's "my cases" and the case handler's "my complaints by due date".
TARGETS_MS = {
    "lessons_page": 25.0,
    "lessons_log": 25.0,
    "themes_dashboard": 25.0,
    "my_cases": 25.0,
    "my_complaints": 25.0,
}
#: An operation whose first run takes longer than this is timed only SLOW_RUNS times, without warm-up.
SLOW_SECONDS, SLOW_RUNS = 1.0, 3
#: The monthly QA's figures, counted in SQL, at scale 1 (issue 13): under 2 s.
QA_TARGET_MS = 2_000.0
#: The month the QA is counted for: the last whole month before the dataset's today.
QA_MONTH = dt.date(2025, 12, 1)


def execute(engine: Engine, operation: Operation) -> str:
    """Run the operation's GraphQL as its actor and return the JSON of ``data``. Raises on any error."""
    schema = engine.schema_for_actor(operation.actor)
    result = schema.execute_sync(
        operation.query, variable_values=operation.variables, context_value=Context(actor=operation.actor)
    )
    if result.errors:
        raise BenchError(f"{operation.key}: the engine answered with an error: {result.errors[0].message}")
    return json.dumps(result.data)


def percentile(samples: list[float], fraction: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(samples), 3),
        "p95": round(percentile(samples, 0.95), 3),
        "min": round(min(samples), 3),
    }


def node_count(data_json: str) -> int:
    """How many items the request's first root field returned: a connection's nodes, or a list's items."""
    root = next(iter(json.loads(data_json).values()))
    return len(root["nodes"]) if isinstance(root, dict) else len(root)


def same_json(engine_json: str, floor_json: str) -> bool:
    return json.loads(engine_json) == json.loads(floor_json)


def no_floor(database: Any) -> str:
    return ""


def measure(engine: Engine, database: Any, operation: Operation, iterations: int, warmup: int) -> dict[str, Any]:
    """Check the floor against the engine once, count statements, then time both in turns.

    An operation without a floor is timed alone; its floor figures and check are None.
    """
    by_engine = partial(execute, engine, operation)
    by_floor = partial(operation.floor or no_floor, database)
    started = time.perf_counter()
    with count_statements(database) as engine_statements:
        engine_json = by_engine()
    if time.perf_counter() - started > SLOW_SECONDS:
        # Hundreds of runs of a request that takes seconds would take the whole run hostage; a few tell as much.
        iterations, warmup = min(iterations, SLOW_RUNS), 0
    with count_statements(database) as floor_statements:
        floor_json = by_floor()
    for _ in range(warmup):
        by_engine()
        by_floor()
    engine_ms, floor_ms = [], []
    for _ in range(iterations):
        started = time.perf_counter()
        by_engine()
        middle = time.perf_counter()
        by_floor()
        engine_ms.append((middle - started) * 1000)
        floor_ms.append((time.perf_counter() - middle) * 1000)
    engine_summary = summary(engine_ms)
    if operation.floor is None:
        return {
            "key": operation.key,
            "title": operation.title,
            "roles": sorted(operation.actor.roles),
            "query": operation.query.strip(),
            "variables": operation.variables,
            "statements": len(engine_statements),
            "floor_statements": None,
            "response_bytes": len(engine_json),
            "nodes": node_count(engine_json),
            "runs": iterations,
            "engine_ms": engine_summary,
            "floor_ms": None,
            "ratio_p50": None,
            "floor_matches": None,
            **operation.notes,
        }
    floor_summary = summary(floor_ms)
    return {
        "key": operation.key,
        "title": operation.title,
        "roles": sorted(operation.actor.roles),
        "query": operation.query.strip(),
        "variables": operation.variables,
        "statements": len(engine_statements),
        "floor_statements": len(floor_statements),
        "response_bytes": len(engine_json),
        "nodes": node_count(engine_json),
        "runs": iterations,
        "engine_ms": engine_summary,
        "floor_ms": floor_summary,
        "ratio_p50": round(engine_summary["p50"] / floor_summary["p50"], 2) if floor_summary["p50"] else None,
        "floor_matches": same_json(engine_json, floor_json),
        **operation.notes,
    }


def page_size_statements(engine: Engine, database: Any, staff: Any) -> dict[str, dict[str, Any]]:
    """Statements for the lessons page at each size in PAGE_SIZE_CHECK, with the floor check at each."""
    found = {}
    for first in PAGE_SIZE_CHECK:
        operation = lessons_page(staff, first)
        with count_statements(database) as seen:
            engine_json = execute(engine, operation)
        found[str(first)] = {
            "statements": len(seen),
            "floor_matches": same_json(engine_json, operation.floor(database)),
        }
    return found


def handler_spread(engine: Engine, runs: int = 15) -> dict[str, Any]:
    """The engine's p50 for "my complaints by due date" as each handler: how much the page depends on whose it is.

    The SQL reads a different number of rows for each handler, so one handler's figure can hide another's.
    """
    found = []
    for handler, active in handlers_with_active_complaints():
        operation = my_complaints(Actor(user_id=handler, roles=frozenset({"staff"})), active)
        execute(engine, operation)
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            execute(engine, operation)
            samples.append((time.perf_counter() - started) * 1000)
        found.append((statistics.median(samples), handler, active))
    found.sort()
    if not found:
        return {}
    slowest = found[-1]
    return {
        "handlers": len(found),
        "runs": runs,
        "fastest_p50": round(found[0][0], 3),
        "median_p50": round(statistics.median(f[0] for f in found), 3),
        "slowest_p50": round(slowest[0], 3),
        "slowest_handler": slowest[1],
        "slowest_handler_active_complaints": slowest[2],
    }


def refresh_theme_figures() -> dict[str, Any]:
    """Work out every theme's stored figures afresh, timed, so the operations read them current (as the periodic
    task keeps them); and time working out one theme's, as a change to one of its links makes the next reader do."""
    from backend.lessons import theme_figures
    from backend.lessons.models import Theme

    ids = [theme.id for theme in Theme.select(Theme.id).order_by(Theme.id)]
    with count_statements() as statements:
        started = time.perf_counter()
        theme_figures.refresh(ids)
        every_ms = (time.perf_counter() - started) * 1000
    one = []
    for theme_id in ids[:3]:
        started = time.perf_counter()
        theme_figures.refresh([theme_id])
        one.append((time.perf_counter() - started) * 1000)
    return {
        "themes": len(ids),
        "statements": len(statements),
        "every_ms": round(every_ms, 3),
        "one_ms": round(statistics.median(one), 3) if one else None,
    }


def measure_qa(runs: int) -> dict[str, Any] | None:
    """Time the monthly QA's figures (``backend.lessons.qa.figures``, SQL aggregates) for QA_MONTH.

    None while the application has no monthly QA. The figures are only counted, never kept, so the dataset is
    unchanged.
    """
    try:
        qa = importlib.import_module("backend.lessons.qa")
    except ModuleNotFoundError:
        return None
    with count_statements() as statements:
        counted = qa.figures(QA_MONTH)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        qa.figures(QA_MONTH)
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "month": QA_MONTH.isoformat()[:7],
        "runs": runs,
        "statements": len(statements),
        "ms": summary(samples),
        "max_ms": round(max(samples), 3),
        "target_ms": QA_TARGET_MS,
        "figures": {key: value for key, value in counted.items() if key != "failing"},
        "failing": {key: len(ids) for key, ids in counted["failing"].items()},
    }


def machine(database: Any) -> dict[str, Any]:
    if is_postgres():
        version = int(database.server_version)
        engine_version = f"PostgreSQL {version // 10000}.{version % 10000}"
    else:
        engine_version = f"SQLite {sqlite3.sqlite_version}"
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "database": engine_version,
        "date": dt.date.today().isoformat(),
    }


def run_benchmark(
    settings: Settings,
    url: str,
    scale: float,
    seed: int,
    iterations: int,
    regenerate: bool = False,
    json_path: Path | None = None,
    out: TextIO | None = None,
    reports_only: bool = False,
    cocreation_only: bool = False,
) -> dict[str, Any]:
    """Generate or reuse the dataset, measure every operation, print the table and return the results.

    With ``reports_only``, only the reports are timed (the pages, the QA and the fan-out are left out); with
    ``cocreation_only``, only co-creation's count and public pages.
    """
    database, meta, generated = open_dataset(url, settings, scale, seed, regenerate)
    try:
        engine = build_bench_engine(settings)
        warmup = max(5, iterations // 10)
        results: list[dict[str, Any]] = []
        page_sizes: dict[str, dict[str, Any]] = {}
        spread: dict[str, Any] = {}
        qa = fanout = figures = cocreation = None
        if not reports_only and not cocreation_only:
            figures = refresh_theme_figures()
            measured = operations()
            results = [measure(engine, database, operation, iterations, warmup) for operation in measured]
            page_sizes = page_size_statements(engine, database, measured[0].actor)
            spread = handler_spread(engine)
            qa = measure_qa(max(3, min(20, iterations // 10)))
            from bench.fanout import measure_fanout

            fanout = measure_fanout(min(20_000, meta.sizes.get("residents", 20_000)))
        if not reports_only:
            # Last of the pages: building the portal binds the database afresh, which the counts above must not see.
            from bench.cocreation_pages import measure_cocreation

            cocreation = measure_cocreation(settings, url, iterations, warmup)
        reports = [] if cocreation_only else measure_reports(partial(execute, engine), iterations)
        report = {
            "command": {
                "url": url,
                "scale": scale,
                "seed": seed,
                "iterations": iterations,
                "warmup": warmup,
                "reports_only": reports_only,
                "cocreation_only": cocreation_only,
            },
            "machine": machine(database),
            "dataset": {
                "sizes": meta.sizes,
                "generated_now": generated,
                "generation_seconds": round(meta.generation_seconds, 1),
                "generated_at": meta.generated_at.isoformat(timespec="seconds"),
            },
            "operations": results,
            "page_size_statements": page_sizes,
            "handler_spread": spread,
            "statements_independent_of_page_size": len({v["statements"] for v in page_sizes.values()}) == 1,
            "floor_matches": all(r["floor_matches"] is not False for r in results)
            and all(v["floor_matches"] for v in page_sizes.values()),
            "qa": qa,
            "theme_figures": figures,
            "targets_ms": {key: ms for key, ms in TARGETS_MS.items() if key in {r["key"] for r in results}},
            "fanout": fanout,
            "reports": reports,
            "cocreation": cocreation,
        }
    finally:
        database.close()
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(report, indent=2) + "\n")
    print_report(report, out)
    return report
