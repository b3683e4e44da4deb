"""``learnloop lessons qa``: a month's QA on demand, from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import run


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("qa-cli")
    assert run(folder, "migrate").returncode == 0
    return folder


def test_lessons_qa_prints_each_figure(instance: Path) -> None:
    result = run(instance, "lessons", "qa", "--month", "2026-07")
    assert result.returncode == 0, result.stderr
    assert "transfer   0 of 0: no items" in result.stdout and "overdue    0" in result.stdout


def test_lessons_qa_send_sends_once(instance: Path) -> None:
    first = run(instance, "lessons", "qa", "--month", "2026-06", "--send")
    second = run(instance, "lessons", "qa", "--month", "2026-06", "--send")
    assert "sent to managers" in first.stdout
    assert "not sent again" in second.stdout


@pytest.mark.parametrize("month", ["2026-13", "june", "9999-01"])
def test_lessons_qa_bad_month_gets_a_clear_error(instance: Path, month: str) -> None:
    result = run(instance, "lessons", "qa", "--month", month)
    assert result.returncode != 0 and "month:" in result.stderr
