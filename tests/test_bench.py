"""``learnloop bench`` at a tiny scale, run as a separate process against its own instance folder."""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import random
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from backend.lessons.models import ActionStatus, LessonStatus
from bench.dataset import FULL_SIZES, World, sizes_for, tables
from bench.operations import PORTAL_LESSON_PAGES, has_portal_operation

#: Measured whatever the application has; the console's lessons pages only once the portal has their operations.
OPERATIONS = {
    "lessons_page",
    "my_cases",
    "my_complaints",
    "my_complaints_clocks",
    "monthly_by_team",
    "people_search",
} | {key for key, _title, name, _variables in PORTAL_LESSON_PAGES if has_portal_operation(name)}


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
        assert op["statements"] >= 1 and op["engine_ms"]["p50"] > 0
        assert op["engine_ms"]["p95"] >= op["engine_ms"]["p50"]
        # The console's own lessons pages are timed without a floor; every other operation has one.
        assert (op["floor_ms"] is None) == (op["key"] in {key for key, *_rest in PORTAL_LESSON_PAGES})
    assert "lessons page" in result.stdout and "p50 ratio" in result.stdout


def test_bench_measures_the_consoles_lessons_log_and_themes_dashboard(bench_run) -> None:
    instance, _result, report = bench_run
    by_key = {op["key"]: op for op in report["operations"]}
    assert by_key["lessons_log"]["nodes"] == min(50, report["dataset"]["sizes"]["lessons"])
    # Every theme, the lessons' own and those the co-creation data adds, on one page of 50.
    with sqlite3.connect(instance / "b.sqlite3") as connection:
        themes = connection.execute("SELECT count(*) FROM theme").fetchone()[0]
    assert by_key["themes_dashboard"]["nodes"] == min(50, themes) > report["dataset"]["sizes"]["themes"]
    assert by_key["lessons_log"]["portal_operation"] == "ConsoleLessons"


def test_bench_lessons_page_reads_the_real_lessons_and_matches_its_floor(bench_run) -> None:
    _instance, _result, report = bench_run
    page = next(op for op in report["operations"] if op["key"] == "lessons_page")
    assert page["nodes"] == min(50, report["dataset"]["sizes"]["lessons"])
    assert page["floor_matches"] is True and page["statements"] == page["floor_statements"]


def test_bench_keeps_no_stand_in_tables(bench_run) -> None:
    instance, _result, report = bench_run
    with sqlite3.connect(instance / "b.sqlite3") as connection:
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        lessons = connection.execute("SELECT COUNT(*) FROM lesson").fetchone()[0]
    assert {name for name in names if name.startswith("bench_")} == {"bench_meta"}
    assert lessons == report["dataset"]["sizes"]["lessons"]


@pytest.mark.skipif(importlib.util.find_spec("backend.lessons.qa") is None, reason="no monthly QA in this version")
def test_bench_times_the_monthly_qa_in_sql(bench_run) -> None:
    _instance, result, report = bench_run
    qa = report["qa"]
    assert qa["month"] == "2025-12" and qa["statements"] >= 5 and qa["ms"]["p50"] > 0
    assert "Monthly QA for 2025-12" in result.stdout


def test_bench_statement_count_is_the_same_for_both_page_sizes(bench_run) -> None:
    _instance, _result, report = bench_run
    counts = {size: value["statements"] for size, value in report["page_size_statements"].items()}
    assert set(counts) == {"10", "100"}
    assert counts["10"] == counts["100"]
    assert report["statements_independent_of_page_size"] is True


def test_bench_floor_returns_the_same_json_as_the_engine(bench_run) -> None:
    _instance, result, report = bench_run
    assert report["floor_matches"] is True
    assert all(op["floor_matches"] for op in report["operations"] if op["floor_ms"] is not None)
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


REPORTS = {
    "annual_report",
    "tsm_complaints",
    "tsm_perception",
    "spso_indicators",
    "board_report",
    "board_report_year",
    "equality_breakdowns",
    "ch01_1",
    "ch01_2",
    "ch02_1",
    "ch02_2",
}


def test_bench_times_every_report_and_each_tsm_figure(bench_run) -> None:
    _instance, result, report = bench_run
    by_key = {found["key"]: found for found in report["reports"]}
    assert set(by_key) == REPORTS
    for found in report["reports"]:
        timing = found["ms"]
        assert timing["runs"] >= 20 and timing["statements"] >= 1 and 0 < timing["p50"] <= timing["p95"], found
    assert by_key["annual_report"]["portal_operation"] == "ConsoleAnnualComplaintsReport"
    assert by_key["annual_report"]["roles"] == ["staff"] and by_key["annual_report"]["target_ms"] == 2000
    assert {by_key[f"ch0{m}_{s}"]["target_ms"] for m in (1, 2) for s in (1, 2)} == {200}
    # One aggregate statement a figure (CH02 reads the stage's few timescale versions first): no rows fetched to be
    # counted in Python.
    assert {by_key[f"ch01_{s}"]["ms"]["statements"] for s in (1, 2)} == {1}
    assert {by_key[f"ch02_{s}"]["ms"]["statements"] for s in (1, 2)} == {2}
    assert "annual complaints report 2024/25 (staff): p50" in result.stdout


def test_bench_dataset_has_the_stock_and_a_perception_survey_the_reports_count(bench_run) -> None:
    instance, _result, report = bench_run
    with sqlite3.connect(instance / "b.sqlite3") as connection:
        stock = connection.execute("SELECT year, SUM(homes) FROM stock_count GROUP BY year ORDER BY year").fetchall()
        homes = connection.execute("SELECT COUNT(*) FROM home").fetchone()[0]
        answered = dict(
            connection.execute(
                "SELECT q.tsm_code, COUNT(*) FROM survey_answer a JOIN survey_question q ON q.id = a.question_id "
                "GROUP BY q.tsm_code"
            ).fetchall()
        )
        responded = connection.execute(
            "SELECT COUNT(*) FROM complaint_stage WHERE responded_at >= '2024-04-01' AND responded_at < '2025-04-01'"
        ).fetchone()[0]
    assert [year for year, _homes in stock] == [2022, 2023, 2024, 2025]
    assert stock[-1][1] == homes and all(a[1] <= b[1] for a, b in zip(stock, stock[1:], strict=False))
    assert set(answered) == {f"tp{n:02d}" for n in range(1, 13)} | {"tp09_filter"}
    assert 0 < answered["tp09"] < answered["tp01"] < answered["tp09_filter"] + 1
    assert responded > 0  # CH02 has responses to count in 2024/25


def test_bench_times_only_the_reports_when_asked(bench_run) -> None:
    instance, _result, _report = bench_run
    again = run_bench(
        instance,
        "--iterations",
        "1",
        "--reports-only",
        "--database-url",
        f"sqlite:///{instance}/b.sqlite3",
        "--json",
        str(instance / "reports.json"),
    )
    assert again.returncode == 0, again.stderr
    found = json.loads((instance / "reports.json").read_text())
    assert found["operations"] == [] and {r["key"] for r in found["reports"]} == REPORTS
    assert "lessons page" not in again.stdout and "equality breakdowns" in again.stdout


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


@functools.cache
def generated(scale: float, seed: int) -> tuple[World, dict[str, list[tuple[Any, ...]]]]:
    """The dataset's rows by table label, generated in memory, and what the generators left in the world."""
    world = World(sizes=sizes_for(scale), rng=random.Random(seed), password_hash="hash", seed=seed)
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for table in tables(world):
        names = [field.name for field in table.fields]
        rows[table.label] = [dict(zip(names, row, strict=True)) for row in table.rows]  # type: ignore[misc]
    return world, rows


def test_dataset_lessons_are_at_every_point_of_their_life() -> None:
    _world, rows = generated(0.02, 5)
    assert {row["status"] for row in rows["lessons"]} == {s.value for s in LessonStatus}


def test_dataset_actions_are_at_every_step_of_their_path_and_agree_with_their_lesson() -> None:
    world, rows = generated(0.02, 5)
    assert {row["status"] for row in rows["improvement actions"]} == {s.value for s in ActionStatus}
    for row in rows["improvement actions"]:
        assert (row["authorised_at"] is None) == (row["first_due_on"] is None)
        if row["status"] == ActionStatus.VERIFIED.value:
            assert row["completed_at"] <= row["signed_off_at"] <= row["verified_at"] <= world.today
        if world.lesson_status[row["lesson"]] in ("identified", "analysed"):
            assert row["status"] == ActionStatus.PROPOSED.value


def test_dataset_lesson_references_count_up_within_each_year() -> None:
    _world, rows = generated(0.02, 5)
    numbers: Counter[int] = Counter()
    for row in rows["lessons"]:
        numbers[row["identified_on"].year] += 1
        assert row["reference"] == f"LS-{row['identified_on'].year}-{numbers[row['identified_on'].year]:04d}"


def test_dataset_complaint_sources_are_upheld_complaints_with_neither_also_left() -> None:
    world, rows = generated(0.02, 5)
    upheld = {
        case.seed.complaint_id
        for case in world.cases
        if case.status == "closed"
        and any(d[1] in ("upheld", "partly_upheld") for r in case.responses for d in r.decisions)
    }
    sourced = {row["complaint"] for row in rows["lesson sources"] if row["complaint"] is not None}
    decided = {row["complaint"] for row in rows["no-lesson decisions"]}
    assert sourced and decided and sourced <= upheld and decided <= upheld and not sourced & decided
    assert upheld - sourced - decided  # some are left for the completeness list
