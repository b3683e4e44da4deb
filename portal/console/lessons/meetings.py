"""Console pages for meetings where lessons and actions were discussed (self-assessment items 10, 11 and 14)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from backend.timeutil import local_date
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import IsoDate, choices, limit, parse_date
from portal.console.lessons.sections import section
from portal.console.lessons.sharing import (
    DATE,
    action_options,
    form_page,
    lesson_options,
    staff_options,
    submit,
)
from portal.console.lessons.sharing import choices as sharing_choices
from portal.exports import csv_download, pages
from portal.forms import show_problem

KINDS = {
    "team": _l("Team meeting"),
    "management": _l("Management team meeting"),
    "senior_management": _l("Senior management meeting"),
    "governance_group": _l("Governance group meeting"),
    "knowledge_sharing": _l("Knowledge-sharing session"),
}

section(40, "console.lessons_meetings", _l("Meetings"))


class MeetingForm(FlaskForm):
    kind = RadioField(_l("Kind of meeting"), choices=choices(KINDS), validators=[DataRequired(_l("Choose the kind."))])
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give a title.")), limit(200)])
    held_on = StringField(
        _l("Day it was held"), validators=[DataRequired(_l("Give the day of the meeting.")), IsoDate()], render_kw=DATE
    )
    team = StringField(_l("Team (optional)"), validators=[Optional(), limit(100)])
    minutes = TextAreaField(_l("Minutes (optional)"), validators=[Optional(), limit(10_000)], render_kw={"rows": 6})


class AttendeeForm(FlaskForm):
    person = SelectField(_l("Member of staff"), validators=[Optional()])
    name = StringField(
        _l("Or a guest's name"), description=_l("For someone who is not staff."), validators=[Optional(), limit(120)]
    )


class AgendaForm(FlaskForm):
    title = StringField(_l("Item"), validators=[DataRequired(_l("Give a title.")), limit(200)])
    notes = TextAreaField(_l("Notes (optional)"), validators=[Optional(), limit(10_000)], render_kw={"rows": 4})
    lesson = SelectField(_l("Lesson discussed (optional)"), validators=[Optional()])
    action = SelectField(_l("Action discussed (optional)"), validators=[Optional()])


def _filters() -> tuple[dict[str, Any], dict[str, str]]:
    """The list's filter from the address (kind, from, to), and the values as typed."""
    kind = request.args.get("kind", "")
    start, end = request.args.get("from", ""), request.args.get("to", "")
    where: dict[str, Any] = {}
    if kind in KINDS:
        where["kind"] = {"eq": kind}
    held: dict[str, str] = {}
    if parse_date(start):
        held["gte"] = start
    if parse_date(end):
        held["lte"] = end
    if held:
        where["heldOn"] = held
    return where, {"kind": kind if kind in KINDS else "", "from": start, "to": end}


@bp.route("/lessons/meetings")
@roles_required(*STAFF)
def lessons_meetings() -> Any:
    """Meetings, filtered by kind and period, newest first."""
    where, typed = _filters()
    data = operations.run("ConsoleMeetings", {"where": where, "after": request.args.get("after")})["meetings"]
    after = data["pageInfo"]["endCursor"] if data["pageInfo"]["hasNextPage"] else None
    return render_template(
        "console/lessons/meetings.html", meetings=data["nodes"], kinds=KINDS, typed=typed, after=after
    )


@bp.route("/lessons/meetings.csv")
@roles_required(*STAFF)
def lessons_meetings_export() -> Any:
    """The same meetings as CSV: kind, day, title, team, attendees, the lessons and actions discussed, minutes."""
    where, _typed = _filters()
    header = [
        _("Day"),
        _("Kind"),
        _("Title"),
        _("Team"),
        _("Attendees"),
        _("Agenda"),
        _("Lessons and actions"),
        _("Minutes"),
    ]

    def rows() -> Any:
        for m in pages("ConsoleMeetingsExport", {"where": where}, "meetings"):
            # An agenda item may name a lesson and an action at once: both are listed.
            discussed = [name for a in m["agenda"] for name in (a["lessonReference"], a["actionTitle"]) if name]
            yield [
                m["heldOn"],
                str(KINDS.get(m["kind"], m["kind"])),
                m["title"],
                m["team"] or "",
                m["attendeesCount"],
                "; ".join(a["title"] for a in m["agenda"]),
                "; ".join(discussed),
                m["minutes"],
            ]

    return csv_download("meetings", header, rows)


@bp.route("/lessons/meetings/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def lessons_meeting_new() -> Any:
    """Record a meeting."""
    form = MeetingForm()
    status = 200
    if request.method == "GET":
        form.held_on.data = local_date().isoformat()
    elif form.validate_on_submit():
        result = operations.run_mutation("ConsoleMeetingCreate", {"input": _meeting_values(form)})
        if result.problem is None:
            meeting_id = result.data["meeting"]["id"]
            flash(_("The meeting is recorded. Add who came and the agenda."), "success")
            return redirect(url_for("console.lessons_meeting", meeting_id=meeting_id))
        show_problem(form, result.problem)
        status = result.status
    else:
        status = 400
    back = (url_for("console.lessons_meetings"), _("Back to the meetings"))
    teams = sharing_choices()["teams"]
    return form_page(form, _("Record a meeting"), _("Record the meeting"), back, teams=teams), status


def _meeting_values(form: MeetingForm) -> dict[str, Any]:
    return {
        "kind": form.kind.data,
        "title": form.title.data,
        "heldOn": form.held_on.data,
        "team": form.team.data or None,
        "minutes": form.minutes.data or "",
    }


def _meeting(meeting_id: int) -> dict[str, Any]:
    meeting = operations.run("ConsoleMeeting", {"id": str(meeting_id)})["meeting"]
    if meeting is None:
        abort(404)
    return meeting


@bp.route("/lessons/meetings/<int:meeting_id>")
@roles_required(*STAFF)
def lessons_meeting(meeting_id: int) -> Any:
    """A meeting: who came, the agenda with the lessons and actions discussed, and the minutes."""
    return render_template("console/lessons/meeting.html", meeting=_meeting(meeting_id), kinds=KINDS)


@bp.route("/lessons/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def lessons_meeting_edit(meeting_id: int) -> Any:
    """Change a meeting's details and minutes."""
    meeting = _meeting(meeting_id)
    form = MeetingForm()
    status = 200
    if request.method == "GET":
        form.kind.data, form.title.data, form.held_on.data = meeting["kind"], meeting["title"], meeting["heldOn"]
        form.team.data, form.minutes.data = meeting["team"] or "", meeting["minutes"]
    elif form.validate_on_submit():
        variables = {"id": str(meeting_id), **_meeting_values(form)}
        status = submit(form, "ConsoleMeetingUpdate", variables, _("The meeting is saved."))
        if status is None:
            return redirect(url_for("console.lessons_meeting", meeting_id=meeting_id))
    else:
        status = 400
    back = (url_for("console.lessons_meeting", meeting_id=meeting_id), _("Back to the meeting"))
    return form_page(form, _("Change the meeting"), _("Save"), back, teams=sharing_choices()["teams"]), status


@bp.route("/lessons/meetings/<int:meeting_id>/attendees/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def lessons_meeting_attendee(meeting_id: int) -> Any:
    """Add a member of staff, or a guest, to who came."""
    meeting = _meeting(meeting_id)
    form = AttendeeForm()
    form.person.choices = staff_options(sharing_choices()["staff"])
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            variables = {
                "meetingId": str(meeting_id),
                "personId": form.person.data or None,
                "name": form.name.data or "",
            }
            status = submit(
                form, "ConsoleMeetingAttendeeAdd", variables, _("The attendee is added."), {"personId": "person"}
            )
            if status is None:
                return redirect(url_for("console.lessons_meeting", meeting_id=meeting_id))
        else:
            status = 400
    back = (url_for("console.lessons_meeting", meeting_id=meeting_id), _("Back to the meeting"))
    return form_page(form, _("Add who came"), _("Add the attendee"), back, (meeting["title"],)), status


@bp.route("/lessons/meetings/<int:meeting_id>/agenda/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def lessons_meeting_agenda(meeting_id: int) -> Any:
    """Add an item to the end of the agenda, with the lesson or action it discussed."""
    meeting = _meeting(meeting_id)
    found = sharing_choices()
    form = AgendaForm()
    form.lesson.choices = lesson_options(found["lessons"])
    form.action.choices = action_options(found["actions"])
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            variables = {
                "meetingId": str(meeting_id),
                "title": form.title.data,
                "notes": form.notes.data or "",
                "lessonId": form.lesson.data or None,
                "actionId": form.action.data or None,
            }
            status = submit(form, "ConsoleAgendaItemAdd", variables, _("The agenda item is added."))
            if status is None:
                return redirect(url_for("console.lessons_meeting", meeting_id=meeting_id))
        else:
            status = 400
    back = (url_for("console.lessons_meeting", meeting_id=meeting_id), _("Back to the meeting"))
    return form_page(form, _("Add an agenda item"), _("Add the item"), back, (meeting["title"],)), status


@bp.route("/lessons/meetings/<int:meeting_id>/attendees/<int:attendee_id>/remove", methods=["POST"])
@roles_required(*STAFF)
def lessons_meeting_attendee_remove(meeting_id: int, attendee_id: int) -> Any:
    """Take someone off who came."""
    return _remove(meeting_id, "ConsoleMeetingAttendeeRemove", attendee_id, _("The attendee is removed."))


@bp.route("/lessons/meetings/<int:meeting_id>/agenda/<int:item_id>/remove", methods=["POST"])
@roles_required(*STAFF)
def lessons_meeting_agenda_remove(meeting_id: int, item_id: int) -> Any:
    """Take an item off the agenda."""
    return _remove(meeting_id, "ConsoleAgendaItemRemove", item_id, _("The agenda item is removed."))


def _remove(meeting_id: int, operation: str, row_id: int, done: str) -> Any:
    result = operations.run_mutation(operation, {"input": {"meetingId": str(meeting_id), "id": str(row_id)}})
    if result.problem is None:
        flash(done, "success")
    elif result.problem.get("__typename") == "NotFoundError":
        abort(404)  # none, or one of another meeting
    else:
        flash(result.problem.get("message") or _("That could not be done."), "error")
    return redirect(url_for("console.lessons_meeting", meeting_id=meeting_id))
