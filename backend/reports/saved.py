"""Saved reports: a member of staff saves a GraphQL query as a named report, shown as a table or a chart.

A saved report holds the query's text, never its results: whoever reads it runs the query as themselves, so each
reader sees only what they may see. Its owner may share it with every member of staff or keep it private, and may
schedule it: each recipient is then told, by a message with a link that needs signing in, that it is ready to read.

Reading GraphQL is the API's business, not the domain's, so the services are handed a ``check_query`` function
(the API's, for the person saving) that reads the text and returns its :class:`QueryShape`, or raises
``Invalid("query", ...)`` naming what is wrong. The services check the rest against that shape: the list whose items
are the rows, the columns, and a chart's label and number.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from backend.audit.services import field_changes, record_audit
from backend.context import Actor
from backend.db import transaction
from backend.errors import Invalid, NotAllowed, NotFound, Problems, gather
from backend.lessons.sharing import active_staff, require_staff, text
from backend.reports.models import ReportDisplay, ReportSchedule, SavedReport, SavedReportRecipient
from backend.timeutil import utcnow

MAX_NAME = 120
MAX_DESCRIPTION = 2_000
#: Characters in a saved query: ample for a report, and well inside the API's limit on one text.
MAX_QUERY = 10_000
MAX_COLUMNS = 30
MAX_PATH = 300
MAX_RECIPIENTS = 50
CHARTS = frozenset({ReportDisplay.BAR, ReportDisplay.LINE})
FIELDS = (
    "name",
    "description",
    "query",
    "display",
    "rows_path",
    "columns",
    "label_field",
    "value_field",
    "shared",
    "schedule",
    "schedule_weekday",
    "schedule_day",
    "recipients",
)


@dataclass(frozen=True)
class Parameter:
    """One variable of a saved query: the form that runs the report asks for it.

    ``type`` is its GraphQL type as written (``Date!``); ``kind`` what a form asks for (string, int, float,
    boolean, id, date, datetime or enum); ``default`` its default as a plain value, or None; ``choices`` an
    enum's values.
    """

    name: str
    type: str
    kind: str
    required: bool
    default: Any = None
    choices: tuple[str, ...] = ()

    def stored(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "default": self.default}


@dataclass(frozen=True)
class RowList:
    """A list of objects in a query's result, at ``path`` (dotted response keys): one row per item.

    ``fields`` are the dotted paths of the values inside each item, in the order the query asks for them;
    ``numbers`` those of them that are numbers.
    """

    path: str
    fields: tuple[str, ...]
    numbers: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class QueryShape:
    """What a saved query asks for: its variables and the lists of rows its result holds."""

    parameters: tuple[Parameter, ...]
    lists: tuple[RowList, ...]

    def rows(self, path: str) -> RowList | None:
        return next((found for found in self.lists if found.path == path), None)


#: Reads a query's text for the person saving it: its shape, or Invalid("query", code, ...).
QueryChecker = Callable[[str], QueryShape]


def visible_report(actor: Actor, report_id: int) -> SavedReport:
    """The report if the actor may read it: staff, and its owner, a recipient, or anyone when it is shared.

    Raises NotFound("saved_report") otherwise: a private report of someone else's is not there.
    """
    report = SavedReport.get_or_none(SavedReport.id == report_id)
    if report is None or actor.user_id is None or not actor.is_staff:
        raise NotFound("saved_report", report_id)
    owner: int = report.owner_id  # type: ignore[attr-defined]
    if report.shared or owner == actor.user_id or _is_recipient(report.id, actor.user_id):
        return report
    raise NotFound("saved_report", report_id)


def _is_recipient(report_id: int, user_id: int) -> bool:
    found = SavedReportRecipient.select().where(
        SavedReportRecipient.report == report_id, SavedReportRecipient.person == user_id
    )
    return bool(found.exists())


def _own_report(actor: Actor, report_id: int, action: str) -> SavedReport:
    """The report, which only its owner may change. NotFound when the actor cannot read it, else NotAllowed."""
    require_staff(actor, action)
    report = visible_report(actor, report_id)
    if report.owner_id != actor.user_id:  # type: ignore[attr-defined]
        raise NotAllowed(action, "not_owner")
    return report


def create_saved_report(actor: Actor, values: Mapping[str, Any], check_query: QueryChecker) -> SavedReport:
    """Save a query as a report owned by the actor. Staff only.

    ``values`` holds the fields of :data:`FIELDS` (``recipients`` is a list of user ids); ``check_query`` reads the
    query as the actor's API would. Raises NotAllowed, or Invalid listing every problem (see :func:`_checked`).
    """
    require_staff(actor, "saved_report.create")
    checked = _checked(values, check_query)
    recipients = checked.pop("recipients")
    with transaction():
        report = SavedReport.create(**checked, owner=actor.user_id)
        _set_recipients(report.id, recipients)
        record_audit(actor, "saved_report.created", "saved_report", report.id, field_changes(None, _values_of(report)))
    return report


def update_saved_report(
    actor: Actor, report_id: int, values: Mapping[str, Any], check_query: QueryChecker
) -> SavedReport:
    """Change a report: the fields given in ``values`` change, the rest are kept, and the whole is checked again.

    Only its owner may. Raises NotFound("saved_report"), NotAllowed (``not_owner``), or Invalid as
    :func:`create_saved_report`. Audits the fields that changed; nothing when none did.
    """
    report = _own_report(actor, report_id, "saved_report.update")
    before = _values_of(report)
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise Invalid(unknown[0], "unknown_field")
    merged = {**before, **values}
    checked = _checked(merged, check_query)
    recipients = checked.pop("recipients")
    with transaction():
        SavedReport.update(**checked, updated_at=utcnow()).where(SavedReport.id == report.id).execute()
        _set_recipients(report.id, recipients)
        report = SavedReport.get_by_id(report.id)
        changes = field_changes(before, _values_of(report))
        if changes:
            record_audit(actor, "saved_report.updated", "saved_report", report.id, changes)
    return report


def share_saved_report(actor: Actor, report_id: int, shared: bool) -> SavedReport:
    """Share a report with every member of staff, or make it private again. Only its owner may.

    Raises NotFound("saved_report") or NotAllowed (``not_owner``). Sharing twice changes and audits nothing.
    """
    report = _own_report(actor, report_id, "saved_report.share")
    if report.shared == shared:
        return report
    with transaction():
        SavedReport.update(shared=shared, updated_at=utcnow()).where(SavedReport.id == report.id).execute()
        record_audit(
            actor, "saved_report.shared", "saved_report", report.id, {"shared": {"before": not shared, "after": shared}}
        )
    return SavedReport.get_by_id(report.id)


def delete_saved_report(actor: Actor, report_id: int) -> str:
    """Delete a report and its recipients; return its name. Only its owner may.

    Raises NotFound("saved_report") or NotAllowed (``not_owner``). The audit trail keeps what it was.
    """
    report = _own_report(actor, report_id, "saved_report.delete")
    with transaction():
        before = _values_of(report)
        SavedReport.delete().where(SavedReport.id == report.id).execute()
        record_audit(actor, "saved_report.deleted", "saved_report", report.id, field_changes(before, {}))
    return str(report.name)


def _values_of(report: SavedReport) -> dict[str, Any]:
    values = {name: getattr(report, name) for name in FIELDS if name != "recipients"}
    values["recipients"] = recipient_ids(report.id)
    return values


def recipient_ids(report_id: int) -> list[int]:
    """The ids of a report's recipients, in order."""
    query = SavedReportRecipient.select(SavedReportRecipient.person).where(SavedReportRecipient.report == report_id)
    return [row.person_id for row in query.order_by(SavedReportRecipient.person)]  # type: ignore[attr-defined]


def _set_recipients(report_id: int, people: Sequence[int]) -> None:
    SavedReportRecipient.delete().where(SavedReportRecipient.report == report_id).execute()
    if people:
        SavedReportRecipient.insert_many([{"report": report_id, "person": p} for p in people]).execute()


def _checked(values: Mapping[str, Any], check_query: QueryChecker) -> dict[str, Any]:
    """Every field checked and tidied, or Invalid listing every problem.

    The problems: ``name`` required, too_long or hidden_characters; ``description`` too_long; ``query`` required,
    too_long, or what ``check_query`` finds; ``query`` no_rows when its result holds no list of objects;
    ``display`` unsupported; ``rows_path`` unknown; ``columns`` too_many or unknown (at its index); ``label_field``
    required or unknown, ``value_field`` required, unknown or not_a_number, for a chart; ``schedule`` unsupported;
    ``schedule_weekday`` and ``schedule_day`` required or out_of_range; ``recipients`` required (a schedule needs
    them), without_schedule, too_many or not_staff (at its index).
    """
    with gather() as problems:
        checked: dict[str, Any] = {
            "name": text(problems, "name", values.get("name"), MAX_NAME, required=True, line=True),
            "description": text(problems, "description", values.get("description"), MAX_DESCRIPTION),
        }
        query = str(values.get("query") or "").strip()
        shape = None
        if not query:
            problems.add("query", "required")
        elif len(query) > MAX_QUERY:
            problems.add("query", "too_long", maximum=MAX_QUERY)
        else:
            with problems.check():
                shape = check_query(query)
        checked["query"] = query
        checked["parameters"] = [p.stored() for p in shape.parameters] if shape else []
        checked.update(_display(problems, values, shape))
        checked["shared"] = bool(values.get("shared"))
        checked.update(_schedule(problems, values))
    return checked


def _display(problems: Problems, values: Mapping[str, Any], shape: QueryShape | None) -> dict[str, Any]:
    display = str(values.get("display") or ReportDisplay.TABLE)
    if display not in ReportDisplay.codes():
        problems.add("display", "unsupported")
    path = str(values.get("rows_path") or "").strip()
    columns = [str(c).strip() for c in values.get("columns") or () if str(c).strip()]
    label, number = str(values.get("label_field") or "").strip(), str(values.get("value_field") or "").strip()
    chosen = {"display": display, "rows_path": path, "columns": columns, "label_field": label, "value_field": number}
    if len(columns) > MAX_COLUMNS:
        problems.add("columns", "too_many", maximum=MAX_COLUMNS)
        return chosen
    if any(len(part) > MAX_PATH for part in (path, label, number, *columns)):
        problems.add("columns", "too_long", maximum=MAX_PATH)
        return chosen
    if shape is None:
        return chosen  # the query's own problem is already recorded
    if not shape.lists:
        problems.add("query", "no_rows")
        return chosen
    rows = shape.rows(path) if path else shape.lists[0]
    if rows is None:
        problems.add("rows_path", "unknown", path=path, choices=", ".join(r.path for r in shape.lists))
        return chosen
    chosen["rows_path"] = rows.path
    for index, column in enumerate(columns):
        if column not in rows.fields:
            problems.add("columns", "unknown", at=("columns", index), column=column, choices=", ".join(rows.fields))
    chosen["columns"] = columns or list(rows.fields[:MAX_COLUMNS])
    if display in CHARTS:
        if not label:
            problems.add("label_field", "required")
        elif label not in rows.fields:
            problems.add("label_field", "unknown", column=label, choices=", ".join(rows.fields))
        if not number:
            problems.add("value_field", "required")
        elif number not in rows.fields:
            problems.add("value_field", "unknown", column=number, choices=", ".join(rows.fields))
        elif number not in rows.numbers:
            problems.add("value_field", "not_a_number", column=number)
    else:
        chosen["label_field"], chosen["value_field"] = "", ""
    return chosen


def _schedule(problems: Problems, values: Mapping[str, Any]) -> dict[str, Any]:
    schedule = str(values.get("schedule") or ReportSchedule.NONE)
    weekday, day = values.get("schedule_weekday"), values.get("schedule_day")
    chosen: dict[str, Any] = {"schedule": schedule, "schedule_weekday": None, "schedule_day": None}
    if schedule not in ReportSchedule.codes():
        problems.add("schedule", "unsupported")
    if schedule == ReportSchedule.WEEKLY:
        chosen["schedule_weekday"] = _number(problems, "schedule_weekday", weekday, 1, 7)
    if schedule == ReportSchedule.MONTHLY:
        chosen["schedule_day"] = _number(problems, "schedule_day", day, 1, 31)
    people = list(dict.fromkeys(int(p) for p in values.get("recipients") or ()))
    chosen["recipients"] = people
    if schedule == ReportSchedule.NONE:
        if people:
            problems.add("recipients", "without_schedule")
        return chosen
    if not people:
        problems.add("recipients", "required")
    elif len(people) > MAX_RECIPIENTS:
        problems.add("recipients", "too_many", maximum=MAX_RECIPIENTS)
    else:
        for index, person in enumerate(people):
            if active_staff(person) is None:
                problems.add("recipients", "not_staff", at=("recipients", index))
    return chosen


def _number(problems: Problems, name: str, value: Any, low: int, high: int) -> int | None:
    if value is None or value == "":
        problems.add(name, "required")
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = low - 1
    if not low <= number <= high:
        problems.add(name, "out_of_range", minimum=low, maximum=high)
        return None
    return number


# --- Rows from a result -----------------------------------------------------------------------------------------


def value_at(item: Any, path: str) -> Any:
    """The value at a dotted ``path`` in a result's dictionaries; None where a step is missing or null.

    A list of plain values (a list of scalars) is given as it is.
    """
    for step in path.split(".") if path else ():
        if not isinstance(item, Mapping):
            return None
        item = item.get(step)
    return item


def rows_of(
    data: Mapping[str, Any], rows_path: str, columns: Sequence[str], limit: int
) -> tuple[list[list[Any]], bool]:
    """The items of the list at ``rows_path`` as rows of the ``columns`` values, at most ``limit`` of them.

    Returns the rows and whether there were more than ``limit``.
    """
    items = value_at(data, rows_path)
    if not isinstance(items, list):
        return [], False
    rows = [[value_at(item, column) for column in columns] for item in items[:limit]]
    return rows, len(items) > limit
