"""Writing a statement with subqueries nested inside ``IN`` costs time in proportion to its size (backend/db.py)."""

from __future__ import annotations

from typing import Any

import peewee
import pytest

from backend.accounts.models import User


def nested(depth: int) -> Any:
    query = User.select(User.id).where(User.id > 0)
    for _ in range(depth):
        query = User.select(User.id).where(User.id.in_(query))
    return query


def nodes_rendered(query: Any, monkeypatch: pytest.MonkeyPatch) -> int:
    calls = 0
    render = peewee.Context.sql

    def counting(self: Any, obj: Any) -> Any:
        nonlocal calls
        calls += 1
        return render(self, obj)

    monkeypatch.setattr(peewee.Context, "sql", counting)
    query.sql()
    monkeypatch.setattr(peewee.Context, "sql", render)
    return calls


def test_each_level_of_nested_subqueries_adds_the_same_work_not_double(monkeypatch: pytest.MonkeyPatch) -> None:
    counts = [nodes_rendered(nested(depth), monkeypatch) for depth in (8, 9, 10)]
    assert counts[2] - counts[1] == counts[1] - counts[0], counts


def test_in_an_empty_list_is_still_written_as_false_and_not_in_as_true() -> None:
    assert "0 = 1" in User.select().where(User.id.in_([])).sql()[0]
    assert "1 = 1" in User.select().where(User.id.not_in([])).sql()[0]
    assert list(User.select().where(User.id.in_([]))) == []


def test_a_subquery_that_finds_nothing_still_finds_nothing() -> None:
    nobody = User.select(User.id).where(User.id < 0)
    assert list(User.select().where(User.id.in_(nobody))) == []
    assert User.select().where(User.id.not_in(nobody)).count() == User.select().count()
