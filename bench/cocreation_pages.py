"""Co-creation's figures: counting the round's 150,000 votes, then the public themes page (50 themes with their
counts) and a change's page (its comments, milestones, updates and the confirmed-by-residents figure), each the whole
page as a reader's browser gets it: the application's own request, its operations, its template, its HTML.

The pages are requested through the application built on the benchmark's database, so what is timed is what a
visitor waits for on this machine less the network. The count is timed from a round with nothing counted.
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from typing import Any

from backend.config import Settings
from bench.cocreation import ROUND_ID

#: The targets at scale 1: pages p50 in ms, the count in ms.
TARGETS_MS = {"themes_page": 20.0, "change_page": 20.0, "ballot_count": 1_000.0}


def _summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50": round(statistics.median(ordered), 2),
        "p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
        "runs": len(ordered),
    }


def measure_count(runs: int) -> dict[str, Any]:
    """Count the round from scratch ``runs`` times."""
    from backend.cocreation import ballots
    from backend.cocreation.models import PriorityRound, RoundTheme, Vote

    samples = []
    for _ in range(runs):
        PriorityRound.update(counted_at=None).where(PriorityRound.id == ROUND_ID).execute()
        RoundTheme.update(votes=0, voters=0).where(RoundTheme.round == ROUND_ID).execute()
        started = time.perf_counter()
        counted = ballots.count_round(ROUND_ID)
        samples.append((time.perf_counter() - started) * 1000)
        if not counted:
            raise RuntimeError("the benchmark's round was not counted")
    votes = Vote.select().where(Vote.round == ROUND_ID).count()
    return {"votes": votes, "ms": _summary(samples)}


def _time(client: Any, path: str, iterations: int) -> dict[str, float]:
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        response = client.get(path, headers={"Accept-Language": "en"})
        response.get_data()
        samples.append((time.perf_counter() - started) * 1000)
    return _summary(samples)


def measure_pages(settings: Settings, url: str, iterations: int, warmup: int) -> dict[str, Any]:
    """Time GET /themes and GET /changes/<reference> of the change with the comments, in English."""
    from backend.cocreation.models import Change, ChangeComment
    from backend.db import db
    from portal.app import create_app

    app = create_app(dataclasses.replace(settings, database_url=url, env="development"))
    client = app.test_client()
    reference = Change.get_by_id(1).reference
    pages = {"themes_page": "/themes", "change_page": f"/changes/{reference}"}
    results: dict[str, Any] = {}
    for key, path in pages.items():
        for _ in range(warmup):
            response = client.get(path, headers={"Accept-Language": "en"})
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} answered {response.status_code}")
        # A server whose worker keeps its connection (the app opens one only when none is open) pays nothing to
        # connect; one that opens a connection per request pays SQLite's reading of the schema each time (about
        # 15 ms here, whatever the page). Both are timed; the targets are read against the first.
        with db.connection_context():
            held = _time(client, path, iterations)
        fresh = _time(client, path, iterations)
        results[key] = {"path": path, "bytes": len(client.get(path).get_data()), "ms": held, "ms_new_connection": fresh}
    results["change_page"]["comments"] = ChangeComment.select().where(ChangeComment.change == 1).count()
    return results


def measure_cocreation(settings: Settings, url: str, iterations: int, warmup: int) -> dict[str, Any]:
    """The count (which the pages' figures then show), then the two pages."""
    count = measure_count(max(3, min(10, iterations // 20)))
    pages = measure_pages(settings, url, iterations, warmup)
    return {"ballot_count": count, **pages, "targets_ms": TARGETS_MS}


def print_cocreation(result: dict[str, Any] | None, scale: float, say: Any) -> None:
    """The figures against their targets (set for scale 1)."""
    if not result:
        return
    say("")
    count = result["ballot_count"]
    rows = [
        (f"count a round's {count['votes']:,} votes", count["ms"], TARGETS_MS["ballot_count"]),
        (f"public themes page {result['themes_page']['path']}", result["themes_page"]["ms"], TARGETS_MS["themes_page"]),
        (
            f"change page with {result['change_page']['comments']} comments",
            result["change_page"]["ms"],
            TARGETS_MS["change_page"],
        ),
    ]
    for title, timing, target in rows:
        met = "met" if timing["p50"] <= target else "NOT met"
        say(
            f"{title}: p50 {timing['p50']:.2f} ms, p95 {timing['p95']:.2f} ms over {timing['runs']} runs, against "
            f"a target of {target:.0f} ms: {met} (the targets are for scale 1; this run is scale {scale})."
        )
    for key in ("themes_page", "change_page"):
        fresh = result[key]["ms_new_connection"]
        say(f"  {result[key]['path']} with a new connection each request: p50 {fresh['p50']:.2f} ms")
