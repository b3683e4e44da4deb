"""Fixtures for the engine's own tests: its test tables, an engine over them, and a query helper."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from backend.context import ANONYMOUS, Actor
from backend.db import db
from schema import accounts
from schema.app import LearnloopSchema, MaskUnexpectedErrors
from schema.context import Context
from schema.engine.engine import Engine
from schema.engine.search import make_search
from tests.engine import mutations as declared
from tests.engine.models import MODELS, RESOURCES, Action, Lesson, LessonTheme, Team, Theme


@pytest.fixture(scope="session")
def engine_tables(app: Any) -> Iterator[None]:
    db.connect(reuse_if_open=True)
    db.create_tables(MODELS)
    yield
    db.connect(reuse_if_open=True)
    db.drop_tables(MODELS)


@pytest.fixture(scope="session")
def engine(settings: Any, engine_tables: None) -> Engine:
    return Engine(
        settings,
        resources=[*accounts.RESOURCES, *RESOURCES],
        query_bases=accounts.QUERIES,
        mutations=[*accounts.MUTATIONS, *declared.mutations],
        search=make_search,
        schema_class=LearnloopSchema,
        extensions=[MaskUnexpectedErrors],
    )


def actor_for(*roles: str, user_id: int = 1, scope: str | None = None) -> Actor:
    if not roles:
        return ANONYMOUS
    return Actor(user_id=user_id, roles=frozenset(roles), token_id=1 if scope else None, scope=scope)


@pytest.fixture
def run(engine: Engine):
    """Execute GraphQL text as an actor; return (data, errors)."""

    def execute(query: str, actor: Actor = ANONYMOUS, **variables: Any) -> tuple[Any, list[Any]]:
        schema = engine.schema_for_actor(actor)
        result = schema.execute_sync(query, variable_values=variables, context_value=Context(actor=actor))
        return result.data, list(result.errors or [])

    return execute


@pytest.fixture
def lessons_log() -> Any:
    """Make ``n`` lessons, each with 3 actions (one overdue, one done) and 3 themes."""

    def make(n: int, status: str = "published") -> list[int]:
        team = Team.create(name="Repairs")
        themes = [Theme.create(name=name) for name in ("Missed appointments", "Damp and mould", "Communication")]
        today = dt.date(2026, 11, 1)
        rows = [
            {
                "title": f"Lesson {i:04d}",
                "status": status if i % 5 else "draft",
                "impact": (i % 7) or None,
                "score": i / 10,
                "opened_on": today - dt.timedelta(days=i),
                "created_at": dt.datetime(2026, 1, 1) + dt.timedelta(hours=i),
                "internal_note": f"note {i}",
                "team": team.id,
            }
            for i in range(1, n + 1)
        ]
        Lesson.insert_many(rows).execute()
        ids = [row.id for row in Lesson.select(Lesson.id).where(Lesson.team == team).order_by(Lesson.id)]
        actions, links = [], []
        for lesson_id in ids:
            actions += [
                {
                    "lesson": lesson_id,
                    "title": "Overdue",
                    "due_on": today - dt.timedelta(days=3),
                    "done": False,
                    "cost": 10.0,
                },
                {
                    "lesson": lesson_id,
                    "title": "Done",
                    "due_on": today - dt.timedelta(days=9),
                    "done": True,
                    "cost": 5.0,
                },
                {
                    "lesson": lesson_id,
                    "title": "Upcoming",
                    "due_on": today + dt.timedelta(days=30),
                    "done": False,
                    "cost": None,
                },
            ]
            links += [{"lesson": lesson_id, "theme": theme.id} for theme in themes]
        for start in range(0, len(actions), 500):
            Action.insert_many(actions[start : start + 500]).execute()
        for start in range(0, len(links), 500):
            LessonTheme.insert_many(links[start : start + 500]).execute()
        return ids

    return make
