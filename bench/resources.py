"""The bench's stand-in lesson models as engine resources, and the engine that serves them beside the real ones."""

from __future__ import annotations

from typing import Any

from peewee import fn

from backend.config import Settings
from bench.models import BenchAction, BenchComplaintLink, BenchLesson, BenchLessonTheme, BenchTheme
from schema.access import staff
from schema.app import build_engine
from schema.engine.aggregate import month, value
from schema.engine.declare import Access, Column, Computed, Dimension, Resource, ToMany, ToOne
from schema.engine.engine import Engine

PUBLISHED = {"status": {"eq": "published"}}


def open_actions(alias: Any) -> Any:
    """This lesson's actions not yet done: a correlated count."""
    inner = BenchAction.alias()
    return inner.select(fn.COUNT(inner.id)).where((inner.lesson == alias.id) & (inner.done == False))  # noqa: E712


def complaint_count(alias: Any) -> Any:
    """Complaints that led to this lesson: a correlated count."""
    inner = BenchComplaintLink.alias()
    return inner.select(fn.COUNT(inner.id)).where(inner.lesson == alias.id)


THEME = Resource(
    name="Theme",
    plural="themes",
    model=BenchTheme,
    members=[Column("name")],
    access={"resident": Access(), **staff()},
    default_order=("name",),
)

LESSON = Resource(
    name="Lesson",
    plural="lessons",
    model=BenchLesson,
    members=[
        Column("title"),
        Column("summary"),
        Column("status"),
        Column("opened_on"),
        Computed("open_actions", "Actions not yet done.", kind="int", sql=open_actions),
        Computed("complaint_count", "Complaints that led to this lesson.", kind="int", sql=complaint_count),
        ToMany("actions", target="Action"),
        ToMany("themes", target="LessonTheme"),
    ],
    access={
        "resident": Access(("title", "summary", "openedOn", "themes"), where=PUBLISHED),
        "staff": Access(),
        "manager": Access(aggregate=True),
        "admin": Access(aggregate=True),
    },
    dimensions=(Dimension("month", month("opened_on")), Dimension("status", value("status"))),
    default_order=("-openedOn",),
)

ACTION = Resource(
    name="Action",
    plural="actions",
    model=BenchAction,
    members=[Column("title"), Column("due_on"), Column("done"), ToOne("lesson")],
    access=staff(),
    default_order=("dueOn",),
)

LESSON_THEME = Resource(
    name="LessonTheme",
    plural="lessonThemes",
    model=BenchLessonTheme,
    members=[ToOne("lesson"), ToOne("theme")],
    access={"resident": Access(), **staff()},
)

RESOURCES = [THEME, LESSON, ACTION, LESSON_THEME]


class DomainLanded(RuntimeError):
    """The real engine already declares a resource the bench stands in for."""


def build_bench_engine(settings: Settings) -> Engine:
    """The application's engine with the bench resources added before any schema is built.

    Raises :class:`DomainLanded` when the application already serves one of them: then the benchmark
    should measure the real models instead of these stand-ins.
    """
    clashes = sorted(set(build_engine(settings).resources) & {r.name for r in RESOURCES})
    if clashes:
        raise DomainLanded(f"the application now declares {', '.join(clashes)}; point the benchmark at them")
    return build_engine(settings, extra_resources=RESOURCES)
