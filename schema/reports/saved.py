"""Saved reports in the API: staff read their own and the shared ones, and save, change, share and delete their own.

There is no query that runs a saved report for you: a report is its GraphQL text, and a tool runs that text itself
through ``/graphql`` as its token's owner, with the report's ``parameters`` as the variables. The console runs it
in-process as the person reading (``schema.reports.saved_query.run_query``). Either way it shows only what the
reader may see.
"""

from __future__ import annotations

from typing import Any

import strawberry

from backend import config
from backend.errors import Invalid
from backend.reports import saved
from backend.reports.models import ReportDisplay, ReportSchedule, SavedReport, SavedReportRecipient
from schema.access import SELF, STAFF_ROLES, staff
from schema.context import Context
from schema.engine.declare import Access, Column, Resource, ToMany, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id
from schema.reports.saved_query import checker

#: A saved report the viewer may read: their own, a shared one, or one they are told about.
READABLE = {
    "or": [
        {"owner": SELF},
        {"shared": {"eq": True}},
        {"recipients": {"some": {"person": SELF}}},
    ]
}

SAVED_REPORT = Resource(
    name="SavedReport",
    plural="savedReports",
    model=SavedReport,
    description=(
        "A GraphQL query saved by a member of staff as a named report, shown as a table or a chart. It holds the "
        "query, never its results: whoever reads it runs the query as themselves and sees only what they may see. "
        "Staff see their own, those shared with all staff, and those they are recipients of."
    ),
    members=[
        Column("name", "Its name, up to 120 characters."),
        Column("description", "What it shows and why, up to 2,000 characters."),
        Column("query", "The GraphQL query: one query operation, up to 10,000 characters. Run it as yourself."),
        Column(
            "parameters",
            "The query's variables, in order, as a JSON list of {name, type, default}: type as GraphQL writes it "
            "(Date!), default a plain value or null. A variable whose type ends in ! and has no default is required.",
        ),
        Column("display", "How it shows its rows: a table, a bar chart or a line chart."),
        Column("rows_path", "Where its rows are in the query's result: the dotted keys of a list of objects."),
        Column("columns", "The values of each row shown as columns, as a JSON list of dotted keys inside a row."),
        Column("label_field", "A chart's label for each row (a dotted key inside a row); empty for a table."),
        Column("value_field", "A chart's number for each row (a dotted key inside a row); empty for a table."),
        ToOne("owner", "Who saved it; only they may change, share or delete it."),
        Column("shared", "True: every member of staff may read it. False: its owner and its recipients only."),
        Column("schedule", "How often its recipients are told it is ready to read."),
        Column("schedule_weekday", "A weekly report's day, 1 Monday to 7 Sunday; null otherwise."),
        Column("schedule_day", "A monthly report's day of the month, 1 to 31 (a shorter month's last day); or null."),
        Column("last_sent_on", "The UK day its recipients were last told it is ready; null: never."),
        Column("created_at", "When it was saved."),
        Column("updated_at", "When it last changed."),
        ToMany("recipients", "Who is told, by a message with a link that needs signing in, when it is ready."),
    ],
    access=staff(Access(where=READABLE)),
    default_order=("name", "id"),
)

SAVED_REPORT_RECIPIENT = Resource(
    name="SavedReportRecipient",
    plural="savedReportRecipients",
    model=SavedReportRecipient,
    description="A member of staff told each time a scheduled report is ready; they read it as themselves.",
    members=[
        ToOne("report", "The report."),
        ToOne("person", "The member of staff told."),
    ],
    access=staff(Access(where={"report": READABLE})),
)

RESOURCES = [SAVED_REPORT, SAVED_REPORT_RECIPIENT]

mutations = Mutations()


@strawberry.input(description="A saved report's definition.")
class SavedReportInput:
    name: str = strawberry.field(description="Its name, up to 120 characters, on one line.")
    query: str = strawberry.field(
        description=(
            "The GraphQL query: one query operation (no mutation or subscription), up to 10,000 characters, that "
            "your own schema accepts. Its variables become the report's parameters."
        )
    )
    description: str = strawberry.field(default="", description="What it shows and why, up to 2,000 characters.")
    display: ReportDisplay = strawberry.field(default=ReportDisplay.TABLE, description="A table or a chart.")
    rows_path: str = strawberry.field(
        default="",
        description="Where its rows are: the dotted keys of a list of objects in the result. Empty: the first list.",
    )
    columns: list[str] = strawberry.field(
        default_factory=list,
        description="Up to 30 dotted keys inside a row, shown as columns in order. Empty: every value of a row.",
    )
    label_field: str = strawberry.field(default="", description="A chart's label for each row; needed for a chart.")
    value_field: str = strawberry.field(
        default="", description="A chart's number for each row (an Int or Float); needed for a chart."
    )
    shared: bool = strawberry.field(default=False, description="True: every member of staff may read it.")
    schedule: ReportSchedule = strawberry.field(
        default=ReportSchedule.NONE, description="How often its recipients are told it is ready to read."
    )
    schedule_weekday: int | None = strawberry.field(
        default=None, description="For a weekly schedule: 1 Monday to 7 Sunday."
    )
    schedule_day: int | None = strawberry.field(
        default=None, description="For a monthly schedule: the day of the month, 1 to 31 (a shorter month's last)."
    )
    recipient_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Up to 50 members of staff told when it is ready; needed for a schedule, refused without one.",
    )


@strawberry.input(description="Change a saved report: its whole definition is given again, and checked again.")
class SavedReportUpdateInput:
    id: strawberry.ID = strawberry.field(description="The report; only its owner may change it.")
    report: SavedReportInput = strawberry.field(description="Its definition.")


@strawberry.input(description="Share a saved report with every member of staff, or make it private.")
class SavedReportShareInput:
    id: strawberry.ID = strawberry.field(description="The report; only its owner may share it.")
    shared: bool = strawberry.field(description="True: every member of staff may read it; False: private.")


@strawberry.input(description="The saved report to delete.")
class SavedReportIdInput:
    id: strawberry.ID = strawberry.field(description="The report; only its owner may delete it.")


@strawberry.type(description="A saved report deleted: it is gone, and the audit trail keeps what it was.")
class SavedReportDeleted:
    id: strawberry.ID = strawberry.field(description="The report's id.")
    name: str = strawberry.field(description="The report's name.")


def _values(data: SavedReportInput) -> dict[str, Any]:
    return {
        "name": data.name,
        "description": data.description,
        "query": data.query,
        "display": str(data.display.value if hasattr(data.display, "value") else data.display),
        "rows_path": data.rows_path,
        "columns": list(data.columns),
        "label_field": data.label_field,
        "value_field": data.value_field,
        "shared": data.shared,
        "schedule": str(data.schedule.value if hasattr(data.schedule, "value") else data.schedule),
        "schedule_weekday": data.schedule_weekday,
        "schedule_day": data.schedule_day,
        "recipients": [reference_id(person) for person in data.recipient_ids],
    }


def _as_sent(error: Invalid, *prefix: str) -> Invalid:
    """The problems at their places in the input as sent: the recipients are ``recipientIds``, under ``prefix``."""
    moved = [
        Invalid(p.field, p.code, at=("recipient_ids", *p.at[1:]) if p.at[:1] == ("recipients",) else p.at, **p.params)
        for p in error.problems
    ]
    return Invalid.many(moved).under(*prefix)


def _checker(context: Context) -> saved.QueryChecker:
    """The query checked against the schema of the person saving, which this mutation runs in."""
    return checker(context.extra["graphql_schema"], config.current())


@mutations.add("savedReportCreate", roles=STAFF_ROLES, payload="SavedReportCreated")
def create(context: Context, data: SavedReportInput) -> Outcome:
    """Save a GraphQL query as a report you own. The query is checked against your own schema: a problem is a
    ValidationError at `query` naming the line and what is wrong (a field your role cannot read, a syntax error, a
    mutation)."""
    try:
        return Outcome(saved.create_saved_report(context.actor, _values(data), _checker(context)).id)
    except Invalid as error:
        raise _as_sent(error) from None


@mutations.add("savedReportUpdate", roles=STAFF_ROLES, payload="SavedReportUpdated")
def update(context: Context, data: SavedReportUpdateInput) -> Outcome:
    """Change a report you own; it is checked again as savedReportCreate checks it. Another's answers
    NotAllowedError (`not_owner`), or NotFoundError when you cannot read it."""
    values = _values(data.report)
    try:
        report = saved.update_saved_report(context.actor, parse_id(data.id, "saved_report"), values, _checker(context))
    except Invalid as error:
        raise _as_sent(error, "report") from None
    return Outcome(report.id)


@mutations.add("savedReportShare", roles=STAFF_ROLES, payload="SavedReportShared")
def share(context: Context, data: SavedReportShareInput) -> Outcome:
    """Share a report you own with every member of staff, or make it private again. Each reader runs it as
    themselves."""
    return Outcome(saved.share_saved_report(context.actor, parse_id(data.id, "saved_report"), data.shared).id)


@mutations.add("savedReportDelete", roles=STAFF_ROLES, payload=SavedReportDeleted)
def delete(context: Context, data: SavedReportIdInput) -> SavedReportDeleted:
    """Delete a report you own, with its recipients."""
    report_id = parse_id(data.id, "saved_report")
    name = saved.delete_saved_report(context.actor, report_id)
    return SavedReportDeleted(id=strawberry.ID(str(report_id)), name=name)
