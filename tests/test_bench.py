"""``learnloop bench`` at a tiny scale, run as a separate process against its own instance folder."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.dataset import FULL_SIZES, World, sizes_for, tables

OPERATIONS = {
    "lessons_page",
    "my_cases",
    "my_complaints",
    "my_complaints_clocks",
    "monthly_by_team",
    "people_search",
}


def run_bench(instance: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("LEARNLOOP_")}
    environ.update(
        {
            "LEARNLOOP_INSTANCE_PATH": str(instance),
            "LEARNLOOP_DATABASE_URL": f"sqlite:///{instance}/main.sqlite3",
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "portal.cli", "bench", "--scale", "0.001", *args],
        env=environ,
        cwd=instance,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def bench_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str], dict[str, Any]]:
    instance = tmp_path_factory.mktemp("bench")
    result = run_bench(
        instance,
        "--iterations",
        "5",
        "--database-url",
        f"sqlite:///{instance}/b.sqlite3",
        "--json",
        str(instance / "r.json"),
    )
    assert result.returncode == 0, result.stderr
    return instance, result, json.loads((instance / "r.json").read_text())


def test_bench_measures_every_operation(bench_run) -> None:
    _instance, result, report = bench_run
    assert {op["key"] for op in report["operations"]} == OPERATIONS
    for op in report["operations"]:
        assert op["statements"] >= 1 and op["engine_ms"]["p50"] > 0 and op["floor_ms"]["p50"] > 0
        assert op["engine_ms"]["p95"] >= op["engine_ms"]["p50"]
    assert "lessons page" in result.stdout and "p50 ratio" in result.stdout


def test_bench_statement_count_is_the_same_for_both_page_sizes(bench_run) -> None:
    _instance, _result, report = bench_run
    counts = {size: value["statements"] for size, value in report["page_size_statements"].items()}
    assert set(counts) == {"10", "100"}
    assert counts["10"] == counts["100"]
    assert report["statements_independent_of_page_size"] is True


def test_bench_floor_returns_the_same_json_as_the_engine(bench_run) -> None:
    _instance, result, report = bench_run
    assert report["floor_matches"] is True
    assert all(op["floor_matches"] for op in report["operations"])
    assert "Floor check: the hand-written SQL's JSON equals the engine's data" in result.stdout


def test_bench_runs_my_cases_and_my_complaints_as_the_portal_does_and_matches_their_floors(bench_run) -> None:
    _instance, result, report = bench_run
    by_key = {op["key"]: op for op in report["operations"]}
    cases, queue = by_key["my_cases"], by_key["my_complaints"]
    assert cases["roles"] == ["resident"] and queue["roles"] == ["staff"]
    assert cases["query"].startswith("query ResidentCases(") and queue["query"].startswith(
        "query ConsoleComplaintQueue("
    )
    assert cases["variables"]["where"]["resident"]["id"]["eq"].isdigit()
    assert queue["variables"]["where"]["handler"]["id"]["eq"].isdigit()
    assert queue["variables"]["where"]["status"] == {"in": ["received", "open", "responded"]}
    for op in (cases, queue, by_key["my_complaints_clocks"]):
        assert op["nodes"] >= 1, op["key"]  # a match on empty pages would prove nothing
        assert op["floor_matches"] is True
        assert op["statements"] == op["floor_statements"]
    assert cases["nodes"] == min(20, cases["resident_contacts"])
    assert queue["nodes"] == min(25, queue["handler_active_complaints"])
    assert "my cases (resident): p50" in result.stdout and "my complaints by due date (staff): p50" in result.stdout
    spread = report["handler_spread"]
    assert spread["handlers"] >= 1 and spread["fastest_p50"] <= spread["median_p50"] <= spread["slowest_p50"]


def test_bench_generates_the_dataset_into_its_own_database(bench_run) -> None:
    instance, _result, report = bench_run
    assert report["dataset"]["generated_now"] is True
    assert report["dataset"]["sizes"]["residents"] == round(FULL_SIZES["residents"] * 0.001)
    assert (instance / "b.sqlite3").exists()
    assert not (instance / "main.sqlite3").exists()


def test_bench_reuses_a_dataset_with_the_same_scale_and_seed(bench_run) -> None:
    instance, _result, _report = bench_run
    again = run_bench(
        instance,
        "--iterations",
        "1",
        "--database-url",
        f"sqlite:///{instance}/b.sqlite3",
        "--json",
        str(instance / "again.json"),
    )
    assert again.returncode == 0, again.stderr
    assert json.loads((instance / "again.json").read_text())["dataset"]["generated_now"] is False
    assert "reused" in again.stdout


def test_bench_refuses_the_application_database(tmp_path: Path) -> None:
    result = run_bench(tmp_path, "--iterations", "1", "--database-url", f"sqlite:///{tmp_path}/main.sqlite3")
    assert result.returncode != 0
    assert "the application's database" in result.stderr
    assert not (tmp_path / "main.sqlite3").exists()


def test_dataset_rows_depend_only_on_scale_and_seed() -> None:
    def rows(seed: int) -> list[tuple[Any, ...]]:
        world = World(sizes=sizes_for(0.001), rng=random.Random(seed), password_hash="hash", seed=seed)
        return [row for table in tables(world) for row in table.rows]

    assert rows(7) == rows(7)
    assert rows(7) != rows(8)


def test_dataset_complaints_are_consistent_with_their_journey() -> None:
    world = World(sizes=sizes_for(0.01), rng=random.Random(3), password_hash="hash", seed=3)
    for table in tables(world):
        for _row in table.rows:
            pass
    assert len(world.cases) == sizes_for(0.01)["complaints"]
    for case in world.cases:
        running = [clock["due_on"] for clock in case.clocks if clock["status"] == "running"]
        assert case.next_due_on == min(running, default=None)
        assert [stage[0] for stage in case.stages] == list(range(1, case.stage + 1))
        assert bool(running) == (case.status in ("received", "open"))
        handlers = [stage[1] for stage in case.stages if stage[1] is not None]
        assert len(handlers) == len(set(handlers))  # a later stage never goes back to an earlier handler
        assert case.team is None or case.handler is not None
        assert [message[5] for message in case.messages] == sorted(message[5] for message in case.messages)
