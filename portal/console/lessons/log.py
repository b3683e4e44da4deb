"""Console pages for the lessons log: the log with its filters and CSV, capturing a lesson (also from a complaint),
and the upheld complaints without a lesson, each with a quick path to a lesson or a recorded decision."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from portal import exports, operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import choices, limit
from portal.console.lessons.labels import SOURCE_KINDS, STATUSES, labels
from portal.console.lessons.sections import section, section_links
from portal.forms import show_problem
from portal.security import current_actor

section(10, "console.lessons", _l("Lessons log"))
section(11, "console.lesson_new", _l("Capture a lesson"))
section(12, "console.lessons_upheld", _l("Upheld complaints without a lesson"))

PAGE_SIZE = 25


@bp.context_processor
def inject_lesson_sections() -> dict[str, Any]:
    """The learning area's navigation, for console/lessons/_subnav.html."""
    return {"section_links": section_links}


# The kinds a lesson can be captured from in the console; survey questions are linked through the API.
CONSOLE_KINDS = {
    code: label for code, label in SOURCE_KINDS.items() if code not in ("tsm_survey", "transactional_survey")
}
FILTERS = ("status", "source", "theme", "area", "owner", "overdue", "mine", "archived")


# What the page calls each filter, to say which of them it left out.
FILTER_NAMES = {
    "status": _l("Status"),
    "source": _l("Source"),
    "theme": _l("Theme"),
    "area": _l("Service area"),
    "owner": _l("Owner"),
    "overdue": _l("Only lessons with overdue actions"),
    "mine": _l("Only my team's lessons"),
    "archived": _l("Archived lessons instead"),
}


def _ids(nodes: list[dict[str, Any]]) -> set[str]:
    return {str(node["id"]) for node in nodes}


def filters_from(args: Any, options: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """The log's filters as the address gave them, each kept only when it is a value the log knows (one of the
    page's choices, as the complaint queues do), and the names of those given but not known, left out.

    An unknown value is left out the same way for every filter, on the page and in the CSV: the log then shows
    what the other filters choose, and the page says which it left out.
    """
    given = {name: (args.get(name) or "").strip() for name in FILTERS}
    known = {
        "status": set(STATUSES),
        "source": set(SOURCE_KINDS),
        "theme": _ids(options["themes"]),
        "area": _ids(options["areas"]),
        "owner": _ids(options["people"]),
        "overdue": {"1"},
        "mine": {"1"} if options["team"] else set(),
        "archived": {"1"},
    }
    kept = {name: value for name, value in given.items() if value and value in known[name]}
    unknown = [name for name, value in given.items() if value and name not in kept]
    return kept, unknown


def log_where(filters: dict[str, str], team: str | None) -> dict[str, Any]:
    """The ``where`` of the log for these filters; archived lessons only when asked for, and then only them."""
    parts: list[dict[str, Any]] = [{"archivedAt": {"isNull": not filters.get("archived")}}]
    if "status" in filters:
        parts.append({"status": {"eq": filters["status"]}})
    if "source" in filters:
        parts.append({"sources": {"some": {"kind": {"eq": filters["source"]}}}})
    if "theme" in filters:
        parts.append({"themes": {"some": {"theme": {"id": {"eq": filters["theme"]}}}}})
    if "area" in filters:
        parts.append({"serviceArea": {"id": {"eq": filters["area"]}}})
    if "owner" in filters:
        parts.append({"owner": {"id": {"eq": filters["owner"]}}})
    if "overdue" in filters:
        parts.append({"overdueActionCount": {"gt": 0}})
    if "mine" in filters:
        parts.append({"team": {"eq": team or ""}})
    return {"and": parts}


def _options() -> dict[str, Any]:
    data = operations.run("ConsoleLessonFilters", {"me": str(current_actor().user_id)})
    me = data["me"]["nodes"]
    return {
        "areas": data["serviceAreas"]["nodes"],
        "themes": data["themes"]["nodes"],
        "people": data["people"]["nodes"],
        "team": me[0]["team"] if me else None,
    }


@bp.route("/lessons")
@roles_required(*STAFF)
def lessons() -> Any:
    """The lessons log, newest first, filtered by source, theme, service area, status, owner, overdue and team."""
    options = _options()
    filters, unknown = filters_from(request.args, options)
    page = operations.run_page(
        "ConsoleLessons", {"where": log_where(filters, options["team"]), "after": request.args.get("after") or None}
    )["lessons"]
    return render_template(
        "console/lessons/log.html",
        page=page,
        filters=filters,
        unknown_filters=[str(FILTER_NAMES[name]) for name in unknown],
        options=options,
        labels=labels(),
    )


CSV_HEADER = [
    _l("Reference"),
    _l("Title"),
    _l("Status"),
    _l("Identified on"),
    _l("Service area"),
    _l("Team"),
    _l("Owner"),
    _l("Sources"),
    _l("Themes"),
    _l("Open actions"),
    _l("Overdue actions"),
    _l("Complaints"),
]


@bp.route("/lessons.csv")
@roles_required(*STAFF)
def lessons_csv() -> Any:
    """The lessons log with the page's filters, every row, as CSV (see ``portal.exports``)."""
    options = _options()
    filters, _unknown = filters_from(request.args, options)
    where = log_where(filters, options["team"])

    def rows() -> Any:
        for row in exports.pages("ConsoleLessons", {"where": where, "first": 100}, "lessons"):
            yield [
                row["reference"],
                row["title"],
                str(STATUSES.get(row["status"], row["status"])),
                row["identifiedOn"],
                row["serviceArea"]["name"] if row["serviceArea"] else "",
                row["team"] or "",
                row["owner"]["displayName"] if row["owner"] else "",
                "; ".join(str(SOURCE_KINDS.get(kind, kind)) for kind in row["sourceKinds"]),
                "; ".join(link["theme"]["name"] for link in row["themes"]),
                row["openActionCount"],
                row["overdueActionCount"],
                row["complaintCount"],
            ]

    return exports.csv_download("lessons", [str(h) for h in CSV_HEADER], rows)


class LessonForm(FlaskForm):
    title = StringField(
        _l("Title"),
        description=_l("A short line that says what was learnt, about a process or service, not a person."),
        validators=[DataRequired(_l("Give the lesson a title.")), limit(200)],
    )
    source_kind = RadioField(
        _l("Where did it come from?"),
        choices=choices(CONSOLE_KINDS),
        validators=[DataRequired(_l("Choose the source."))],
    )
    complaint_reference = StringField(
        _l("Complaint reference"),
        description=_l("For a complaint or an Ombudsman determination, e.g. LL-2026-000042."),
        validators=[Optional(), limit(20)],
    )
    contact_reference = StringField(
        _l("Contact reference"), description=_l("For a contact."), validators=[Optional(), limit(20)]
    )
    source_reference = StringField(
        _l("Reference outside the system (optional)"),
        description=_l("For a scrutiny recommendation, for example the report and its number."),
        validators=[Optional(), limit(100)],
    )
    note = TextAreaField(
        _l("What the source says"),
        description=_l("Needed for operational feedback, a scrutiny recommendation or a speak-up note."),
        validators=[limit(10_000)],
    )
    anonymous = BooleanField(
        _l("This speak-up note is anonymous: record nothing about who gave it or who entered it"),
    )
    early_lesson = TextAreaField(_l("The lesson as first seen (optional)"), validators=[limit(10_000)])
    event_summary = TextAreaField(_l("The event as a whole (optional)"), validators=[limit(10_000)])
    complaint_id = HiddenField()


# Where the API's problems go on the form.
SOURCE_FIELDS = {
    "sources": "source_kind",
    "sources[0].kind": "source_kind",
    "sources[0].complaintId": "complaint_reference",
    "sources[0].contactId": "contact_reference",
    "sources[0].reference": "source_reference",
    "sources[0].note": "note",
    "sources[0].anonymous": "anonymous",
}


def _lookup(operation: str, root: str, reference: str) -> str:
    """The id of the record with this reference, or "0" (no record) so that the service says it is not found."""
    cleaned = (reference or "").strip().upper()
    if not cleaned:
        return ""
    nodes = operations.run(operation, {"reference": cleaned})[root]["nodes"]
    return nodes[0]["id"] if nodes else "0"


def source_input(form: Any, complaint_id: str = "") -> dict[str, Any]:
    """The source the form describes, as the API takes it."""
    kind = form.source_kind.data
    values: dict[str, Any] = {"kind": kind, "note": form.note.data or "", "reference": form.source_reference.data or ""}
    if kind in ("complaint", "ombudsman_determination"):
        found = complaint_id or _lookup(
            "ConsoleLessonComplaintByReference", "complaints", form.complaint_reference.data
        )
        values["complaintId"] = found or None
    if kind == "contact":
        values["contactId"] = (
            _lookup("ConsoleLessonContactByReference", "contacts", form.contact_reference.data) or None
        )
    if kind == "speak_up":
        values["anonymous"] = bool(form.anonymous.data)
    return values


def _complaint(complaint_id: str) -> dict[str, Any] | None:
    if not complaint_id.isdigit():
        return None
    complaint = operations.run("ConsoleLessonComplaint", {"id": complaint_id})["complaint"]
    if complaint is None:
        abort(404)
    return complaint


@bp.route("/lessons/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def lesson_new() -> Any:
    """Capture a lesson: from a complaint (``?complaint=<id>``, its source filled in), or from any source."""
    form = LessonForm()
    complaint = _complaint(request.values.get("complaint") or form.complaint_id.data or "")
    if complaint is not None:
        form.source_kind.choices = choices({k: CONSOLE_KINDS[k] for k in ("complaint", "ombudsman_determination")})
        form.complaint_id.data = complaint["id"]
        form.complaint_reference.data = complaint["reference"]
        if not form.source_kind.data or form.source_kind.data not in ("complaint", "ombudsman_determination"):
            form.source_kind.data = "complaint"
    if request.method == "GET" or not form.validate_on_submit():
        return _new_page(form, complaint, 200 if request.method == "GET" else 400)
    variables: dict[str, Any] = {
        "title": form.title.data,
        "sources": [source_input(form, complaint["id"] if complaint else "")],
        "earlyLesson": form.early_lesson.data or "",
        "eventSummary": form.event_summary.data or "",
    }
    if complaint is not None:
        variables["team"] = complaint["team"]
        variables["serviceAreaId"] = complaint["serviceArea"]["id"] if complaint["serviceArea"] else None
    result = operations.run_mutation("ConsoleLessonCreate", {"input": variables})
    if result.problem is None:
        created = result.data["lesson"]
        flash(_("Lesson %(reference)s is in the log.", reference=created["reference"]), "success")
        return redirect(url_for("console.lesson", lesson_id=created["id"]))
    show_problem(form, result.problem, SOURCE_FIELDS)
    return _new_page(form, complaint, result.status)


def _new_page(form: LessonForm, complaint: dict[str, Any] | None, status: int) -> Any:
    return render_template("console/lessons/lesson_new.html", form=form, complaint=complaint, labels=labels()), status


@bp.route("/lessons/upheld")
@roles_required(*STAFF)
def lessons_upheld() -> Any:
    """Upheld complaints with neither a lesson nor a recorded decision that they hold none, oldest first."""
    raw = request.args.get("offset") or "0"
    offset = int(raw) if raw.isdigit() and len(raw) < 10 else 0
    page = operations.run("ConsoleLessonsUpheld", {"offset": offset})["upheldComplaintsWithoutLesson"]
    more = offset + len(page["nodes"]) < page["totalCount"]
    return render_template(
        "console/lessons/log_upheld.html",
        page=page,
        next_offset=offset + PAGE_SIZE if more else None,
    )


class NoLessonForm(FlaskForm):
    reason = TextAreaField(
        _l("Why does this complaint hold no wider lesson?"),
        description=_l("For example: a one-off mistake, already put right, with no process or system behind it."),
        validators=[DataRequired(_l("Give the reason.")), limit(2000)],
    )


@bp.route("/complaints/<int:complaint_id>/no-lesson", methods=["GET", "POST"])
@roles_required(*STAFF)
def complaint_no_lesson(complaint_id: int) -> Any:
    """Record that an upheld complaint holds no wider lesson, with the reason."""
    complaint = _complaint(str(complaint_id))
    form = NoLessonForm()
    if request.method == "GET" or not form.validate_on_submit():
        return _no_lesson_page(form, complaint, 200 if request.method == "GET" else 400)
    variables = {"complaintId": str(complaint_id), "reason": form.reason.data}
    result = operations.run_mutation("ConsoleComplaintNoLessonRecord", {"input": variables})
    if result.problem is None:
        flash(
            _(
                "The decision is recorded: complaint %(reference)s holds no wider lesson.",
                reference=complaint["reference"],
            ),
            "success",
        )  # type: ignore[index]
        return redirect(url_for("console.lessons_upheld"))
    show_problem(form, result.problem)
    return _no_lesson_page(form, complaint, result.status)


def _no_lesson_page(form: NoLessonForm, complaint: Any, status: int) -> Any:
    return render_template("console/lessons/lesson_no_lesson.html", form=form, complaint=complaint), status
