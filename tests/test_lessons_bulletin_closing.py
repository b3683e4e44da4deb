"""The bulletin's "closed in the period": a lesson counts by when it stepped to closed, not by when it last changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.lessons import bulletins
from backend.lessons.models import Lesson, LessonStatus
from backend.timeutil import local_date, utcnow
from tests import factories

TODAY = local_date()
LONG_AGO = TODAY - dt.timedelta(days=40)


def _stepped(lesson: Any, before: str, after: str, when: dt.datetime) -> None:
    AuditEvent.create(
        occurred_at=when,
        actor_label="system",
        action="lesson.status_set",
        entity_type="lesson",
        entity_id=str(lesson.id),
        changes={"status": {"before": before, "after": after}},
    )


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12))


@pytest.fixture
def closed_long_ago() -> Any:
    """A lesson closed 40 days ago and changed today (e.g. its title corrected)."""
    lesson = factories.make_lesson(status=LessonStatus.CLOSED)
    _stepped(lesson, "measuring_impact", "closed", _noon(LONG_AGO))
    Lesson.update(updated_at=utcnow()).where(Lesson.id == lesson.id).execute()
    return lesson


def test_closed_lessons_counts_a_lesson_in_the_period_it_closed(closed_long_ago) -> None:
    assert [x.id for x in bulletins.closed_lessons(LONG_AGO, LONG_AGO)] == [closed_long_ago.id]


def test_closed_lessons_leaves_out_a_lesson_closed_before_the_period_and_changed_in_it(closed_long_ago) -> None:
    assert bulletins.closed_lessons(TODAY, TODAY) == []


def test_closed_lessons_counts_a_reclosed_lesson_when_it_last_closed() -> None:
    lesson = factories.make_lesson(status=LessonStatus.CLOSED)
    _stepped(lesson, "measuring_impact", "closed", _noon(LONG_AGO))
    _stepped(lesson, "closed", "measuring_impact", _noon(LONG_AGO + dt.timedelta(days=1)))
    _stepped(lesson, "measuring_impact", "closed", utcnow())
    assert (bulletins.closed_lessons(LONG_AGO, LONG_AGO), [x.id for x in bulletins.closed_lessons(TODAY, TODAY)]) == (
        [],
        [lesson.id],
    )


def test_closed_lessons_leaves_out_a_lesson_stepped_back_from_closed() -> None:
    lesson = factories.make_lesson(status=LessonStatus.MEASURING_IMPACT)
    _stepped(lesson, "measuring_impact", "closed", utcnow())
    _stepped(lesson, "closed", "measuring_impact", utcnow())
    assert bulletins.closed_lessons(TODAY, TODAY) == []


def test_closed_lessons_orders_by_closing_moment() -> None:
    later, earlier = (
        factories.make_lesson(status=LessonStatus.CLOSED),
        factories.make_lesson(status=LessonStatus.CLOSED),
    )
    _stepped(earlier, "measuring_impact", "closed", _noon(LONG_AGO))
    _stepped(later, "measuring_impact", "closed", _noon(LONG_AGO + dt.timedelta(days=2)))
    found = bulletins.closed_lessons(LONG_AGO, LONG_AGO + dt.timedelta(days=2))
    assert [x.id for x in found] == [earlier.id, later.id]
