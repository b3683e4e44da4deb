"""Stand-ins for the lessons, themes, actions and votes the domain issues will add.

They live only in the benchmark database, in tables prefixed ``bench_``, so the lessons page can be
measured at landlord scale before the real models land. When they do, the benchmark should move to
them (``bench.resources`` refuses to run beside a real ``Lesson``). Contacts and complaints are real
now; ``BenchComplaintLink`` stands in for the link from a complaint to its lesson and theme.
"""

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
from backend.complaints.models import Complaint
from backend.db import BaseModel, JSONField


class BenchMeta(BaseModel):
    """What the benchmark database holds: the generator's version, scale and seed, and how long it took."""

    id = AutoField()
    version = IntegerField()
    scale = FloatField()
    seed = IntegerField()
    sizes = JSONField()
    generation_seconds = FloatField()
    generated_at = DateTimeField()

    class Meta:
        table_name = "bench_meta"


class BenchTheme(BaseModel):
    id = AutoField()
    name = CharField(max_length=100, unique=True)

    class Meta:
        table_name = "bench_theme"


class BenchLesson(BaseModel):
    id = AutoField()
    title = CharField(max_length=200)
    summary = TextField()
    status = CharField(max_length=20, index=True)
    opened_on = DateField(index=True)

    class Meta:
        table_name = "bench_lesson"


class BenchLessonTheme(BaseModel):
    id = AutoField()
    lesson = ForeignKeyField(BenchLesson, on_delete="CASCADE")
    theme = ForeignKeyField(BenchTheme, on_delete="CASCADE")

    class Meta:
        table_name = "bench_lesson_theme"
        indexes = ((("lesson", "theme"), True),)


class BenchAction(BaseModel):
    id = AutoField()
    lesson = ForeignKeyField(BenchLesson, on_delete="CASCADE")
    title = CharField(max_length=200)
    due_on = DateField()
    done = BooleanField(default=False)

    class Meta:
        table_name = "bench_action"


class BenchComplaintLink(BaseModel):
    """The lesson a real complaint led to, if any, and its theme."""

    id = AutoField()
    complaint = ForeignKeyField(Complaint, unique=True, on_delete="CASCADE")
    lesson = ForeignKeyField(BenchLesson, null=True, on_delete="SET NULL")
    theme = ForeignKeyField(BenchTheme, on_delete="RESTRICT")

    class Meta:
        table_name = "bench_complaint_link"


class BenchThemeVote(BaseModel):
    id = AutoField()
    theme = ForeignKeyField(BenchTheme, on_delete="CASCADE")
    resident = ForeignKeyField(User, on_delete="CASCADE")
    voted_at = DateTimeField()

    class Meta:
        table_name = "bench_theme_vote"
        indexes = ((("theme", "resident"), True),)


#: In dependency order, for creating the tables.
BENCH_MODELS = [
    BenchMeta,
    BenchTheme,
    BenchLesson,
    BenchLessonTheme,
    BenchAction,
    BenchComplaintLink,
    BenchThemeVote,
]
