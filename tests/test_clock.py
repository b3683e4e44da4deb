"""One clock: every reader of the time goes through ``backend.timeutil``, and ``clock_at`` moves it everywhere."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from backend.ratelimit.models import RateLimitWindow
from backend.ratelimit.services import hit
from backend.timeutil import local_date, utcnow
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
MOMENT = dt.datetime(2026, 7, 1, 23, 30)
# Reading the machine's time directly would step round the seam.
SYSTEM_TIME_CALLS = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today")}


def system_time_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if (owner_name, node.func.attr) in SYSTEM_TIME_CALLS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


@pytest.mark.parametrize("package", ["backend", "schema", "tasks", "portal"])
def test_only_timeutil_reads_the_system_clock(package: str) -> None:
    # Migrations are frozen and stamp what they change with the moment they really run.
    paths = [path for path in sorted((ROOT / package).rglob("*.py")) if "migrations" not in path.parts]
    calls = [call for path in paths for call in system_time_calls(path)]
    assert [call for call in calls if not call.startswith("backend/timeutil.py:")] == []


def test_the_scan_sees_a_read_of_the_system_clock() -> None:
    # Guards the guard: timeutil itself reads the system clock, and the scan must see it.
    assert system_time_calls(ROOT / "backend" / "timeutil.py")


def test_clock_at_moves_the_services_the_column_defaults_and_the_local_date(clock_at: Any) -> None:
    clock_at(MOMENT)
    assert utcnow() == MOMENT
    assert local_date() == dt.date(2026, 7, 2)  # half past midnight in London, on summer time
    assert factories.make_user().created_at == MOMENT
    hit("clock-test", 5, 60)  # a service that imported ``utcnow`` by name
    assert RateLimitWindow.get().window_start == MOMENT


def test_the_real_clock_runs_when_nobody_stops_it() -> None:
    first = utcnow()
    assert abs(first - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(minutes=1)


def test_tests_move_the_clock_only_through_clock_at() -> None:
    # Patching a module's own ``utcnow`` would stop one reader of the clock and leave the others running.
    pattern = re.compile(r"setattr\([^)]*utcnow")
    offenders = [
        str(path.relative_to(ROOT)) for path in (ROOT / "tests").rglob("*.py") if pattern.search(path.read_text())
    ]
    assert offenders == []
