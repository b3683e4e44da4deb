"""Reports' stored records: staff's saved GraphQL queries, shown as a table or a chart and sent on a schedule."""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from backend.accounts.models import User
from backend.changes import Changing, WrittenOnce
from backend.db import BaseModel, JSONField
from backend.timeutil import utcnow
from backend.vocabulary import Vocabulary


class ReportDisplay(Vocabulary):
    """How a saved report shows its rows."""

    TABLE = "table", "A table of the rows, one column per chosen field."
    BAR = "bar", "A bar chart of one number per row, with its figures in a table beside it."
    LINE = "line", "A line chart of one number per row in order, with its figures in a table beside it."


class ReportSchedule(Vocabulary):
    """How often a saved report's recipients are told it is ready to read."""

    NONE = "none", "Never: it is read when someone opens it."
    DAILY = "daily", "Every day."
    WEEKLY = "weekly", "Once a week, on the chosen weekday."
    MONTHLY = "monthly", "Once a month, on the chosen day (the month's last day when it is shorter)."


class SavedReport(BaseModel):
    """A GraphQL query saved by a member of staff as a named report. It always runs as the person reading it."""

    id = AutoField()
    name = CharField(max_length=120)
    description = TextField(default="")
    query = TextField(help_text="The GraphQL query: one query operation, checked against its owner's schema.")
    parameters = JSONField(
        default=list, help_text="The query's variables, in order: name, GraphQL type, default (a literal) or null."
    )
    display = CharField(max_length=10, default="table", choices=ReportDisplay)
    rows_path = CharField(max_length=300, default="", help_text="Where the rows are in the result, dotted.")
    columns = JSONField(default=list, help_text="The fields of each row shown as columns, dotted, in order.")
    label_field = CharField(max_length=300, default="", help_text="A chart's label for each row.")
    value_field = CharField(max_length=300, default="", help_text="A chart's number for each row.")
    owner = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    shared = BooleanField(default=False, help_text="True: every member of staff may read it; False: its owner only.")
    schedule = CharField(max_length=10, default="none", choices=ReportSchedule)
    schedule_weekday = IntegerField(null=True, help_text="A weekly report's day: 1 Monday to 7 Sunday.")
    schedule_day = IntegerField(null=True, help_text="A monthly report's day of the month, 1 to 31.")
    last_sent_on = DateField(null=True, help_text="The UK day its recipients were last told, once a day at most.")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(quiet=("last_sent_on",))


class SavedReportRecipient(BaseModel):
    """A member of staff told each time a scheduled report is ready; they read it as themselves."""

    id = AutoField()
    report = ForeignKeyField(SavedReport, backref="recipients", on_delete="CASCADE")
    person = ForeignKeyField(User, backref="+", on_delete="CASCADE")

    class Meta:
        changes = WrittenOnce(parents=("report",))
        indexes = ((("report", "person"), True),)
