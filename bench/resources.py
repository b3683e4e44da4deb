"""The engine the benchmark measures: the application's, serving the real lesson models.

While the lessons API (``schema/lessons``) does not yet declare a resource the measured pages read, the bench adds
a read-only declaration of its own over the same real table, with the fields the lessons log asks for, so the page
can be measured before the API lands. As each lands, the application's declaration is used instead and the
bench's is left out (``declared_here`` says which were added).
"""

from __future__ import annotations

from typing import Any

from peewee import fn

from backend.config import Settings
from backend.lessons.models import ActionStatus, ImprovementAction, Lesson, LessonSource, LessonTheme, Theme
from schema.access import STAFF_ACCESS
from schema.app import build_engine
from schema.engine.declare import Column, Computed, Resource, ToMany, ToOne
from schema.engine.engine import Engine

#: An action in one of these is finished with, so it is not open (as the lessons log counts them).
SETTLED = sorted(
    s.value for s in (ActionStatus.DONE, ActionStatus.SIGNED_OFF, ActionStatus.VERIFIED, ActionStatus.CANCELLED)
)


def open_action_count(alias: Any) -> Any:
    """SQL: the lesson's actions not yet done, signed off, verified or cancelled."""
    action = ImprovementAction.alias()
    return action.select(fn.COUNT(action.id)).where((action.lesson == alias.id) & action.status.not_in(SETTLED))


def complaint_count(alias: Any) -> Any:
    """SQL: how many complaints the lesson names as sources."""
    source = LessonSource.alias()
    return source.select(fn.COUNT(fn.DISTINCT(source.complaint))).where(
        (source.lesson == alias.id) & source.complaint.is_null(False)
    )


LESSON = Resource(
    name="Lesson",
    plural="lessons",
    model=Lesson,
    members=[
        Column("reference"),
        Column("title"),
        Column("status"),
        Column("identified_on"),
        Column("archived_at"),
        Computed("open_action_count", "Its actions still open.", kind="int", sql=open_action_count),
        Computed("complaint_count", "How many complaints it names as sources.", kind="int", sql=complaint_count),
        ToMany("themes"),
    ],
    access=STAFF_ACCESS,
    default_order=("-identifiedOn", "-id"),
)
LESSON_THEME = Resource(
    name="LessonTheme",
    plural="lessonThemes",
    model=LessonTheme,
    members=[Column("linked_at"), ToOne("theme")],
    access=STAFF_ACCESS,
    default_order=("linkedAt", "id"),
)
THEME = Resource(
    name="Theme",
    plural="themes",
    model=Theme,
    members=[Column("name"), Column("archived_at")],
    access=STAFF_ACCESS,
    default_order=("name", "id"),
)

RESOURCES = [LESSON, LESSON_THEME, THEME]


def declared_here(settings: Settings) -> list[str]:
    """The bench's own declarations the application does not make yet, by name."""
    served = set(build_engine(settings).resources)
    return [r.name for r in RESOURCES if r.name not in served]


def build_bench_engine(settings: Settings) -> Engine:
    """The application's engine, with the bench's declarations of the resources it does not serve yet."""
    missing = set(declared_here(settings))
    return build_engine(settings, extra_resources=[r for r in RESOURCES if r.name in missing])
