"""The engine's own test models: a small lessons log with teams, themes and actions."""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from backend.accounts.models import User
from backend.db import BaseModel
from backend.records import RecordSpec
from backend.vocabulary import Vocabulary
from schema.engine.aggregate import month, value
from schema.engine.declare import RESIDENTS, Access, Column, Computed, Dimension, Resource, ToMany, ToOne


class Team(BaseModel):
    id = AutoField()
    name = CharField()

    class Meta:
        table_name = "engine_test_team"


class Theme(BaseModel):
    id = AutoField()
    name = CharField(max_length=80, unique=True)
    archived_at = DateTimeField(null=True)

    class Meta:
        table_name = "engine_test_theme"


class LessonStatus(Vocabulary):
    """Whether a lesson is out."""

    DRAFT = "draft", "Being written."
    PUBLISHED = "published", "Out for everyone who may see it."


class Lesson(BaseModel):
    id = AutoField()
    title = CharField()
    status = CharField(default="draft", choices=LessonStatus)
    impact = IntegerField(null=True)
    score = FloatField(null=True)
    opened_on = DateField()
    created_at = DateTimeField()
    internal_note = TextField(default="")
    team = ForeignKeyField(Team, null=True)
    owner = ForeignKeyField(User, null=True)

    class Meta:
        table_name = "engine_test_lesson"


class Action(BaseModel):
    id = AutoField()
    lesson = ForeignKeyField(Lesson, backref="actions")
    title = CharField()
    due_on = DateField()
    done = BooleanField(default=False)
    cost = FloatField(null=True)

    class Meta:
        table_name = "engine_test_action"


class LessonTheme(BaseModel):
    id = AutoField()
    lesson = ForeignKeyField(Lesson, backref="lesson_themes")
    theme = ForeignKeyField(Theme, backref="theme_lessons")

    class Meta:
        table_name = "engine_test_lesson_theme"


MODELS = [Team, Theme, Lesson, Action, LessonTheme]
PUBLISHED = {"status": {"eq": "published"}}


def open_actions(alias):
    """A computed count: this lesson's actions not yet done (a correlated subquery)."""
    from peewee import fn

    inner = Action.alias()
    return inner.select(fn.COUNT(inner.id)).where((inner.lesson == alias.id) & (inner.done == False))  # noqa: E712


RESOURCES = [
    Resource(
        name="Team",
        plural="teams",
        model=Team,
        members=[Column("name"), ToMany("lessons")],
        access={"staff": Access(), "resident": Access(("name",))},
    ),
    Resource(
        name="Theme",
        plural="themes",
        model=Theme,
        members=[Column("name"), Column("archived_at"), ToMany("lessons", target="LessonTheme")],
        access={"staff": Access(), "resident": Access(), "anonymous": Access(("name",))},
        default_order=("name",),
        editable=RecordSpec(Theme, "theme", ("name",), frozenset({"staff"})),
    ),
    Resource(
        name="Lesson",
        plural="lessons",
        model=Lesson,
        members=[
            Column("title", residents=True),
            Column("status", residents=True),
            Column("impact", residents=True),
            Column("score"),
            Column("opened_on", residents=True),
            Column("created_at"),
            Column("internal_note"),
            Computed("open_actions", "Actions not yet done.", kind="int", sql=open_actions),
            ToOne("team", residents=True),
            ToOne("owner"),
            ToMany("actions", residents=True),
            ToMany("themes", target="LessonTheme", residents=True),
        ],
        access={
            "staff": Access(),
            "manager": Access(aggregate=True),
            "resident": Access(RESIDENTS, where=PUBLISHED),
            "anonymous": Access(("title", "openedOn", "themes"), where=PUBLISHED),
        },
        search=(),
        dimensions=(Dimension("month", month("opened_on")), Dimension("status", value("status"))),
        default_order=("-openedOn",),
        max_page_size=500,
    ),
    Resource(
        name="Action",
        plural="actions",
        model=Action,
        members=[
            Column("title"),
            Column("due_on"),
            Column("done"),
            Column("cost"),
            ToOne("lesson"),
        ],
        access={
            "staff": Access(),
            "manager": Access(aggregate=True),
            "resident": Access(("title", "dueOn", "done", "lesson"), where={"lesson": PUBLISHED}),
        },
        default_order=("dueOn",),
        editable=RecordSpec(
            Action, "action", ("lesson", "title", "due_on", "done"), frozenset({"staff"}), archive_field=None
        ),
    ),
    Resource(
        name="LessonTheme",
        plural="lessonThemes",
        model=LessonTheme,
        members=[ToOne("lesson"), ToOne("theme")],
        access={"staff": Access(), "resident": Access(), "anonymous": Access(("theme",))},
    ),
]
