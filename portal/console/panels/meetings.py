"""Console pages for a review's meetings: the meeting page (attendance, agenda, minutes, the papers to post), the
forms that schedule and change one and record who came, and recording a staff interview."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from backend.panels.meetings import ON_PAPER
from backend.timeutil import LOCAL_ZONE, local_date
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import IsoDate, choices, limit
from portal.console.panels.panels import DATE, LABELS, MODES, form_page, panel_choices, people_options, submit
from portal.console.panels.reviews import flash_result, get_review
from portal.forms import show_problem
from portal.scrutiny_labels import REDACTED_HINT


def get_meeting(meeting_id: int) -> dict[str, Any]:
    meeting = operations.run("ConsolePanelMeeting", {"id": str(meeting_id)})["panelMeeting"]
    if meeting is None:
        abort(404)
    return meeting


def members_on_day(meeting: dict[str, Any]) -> list[dict[str, Any]]:
    """The panel's members on the meeting's UK day."""
    day = _uk(meeting["startsAt"]).date().isoformat()
    return [
        m
        for m in meeting["review"]["panel"]["memberships"]
        if m["startedOn"] <= day and (not m["endedOn"] or m["endedOn"] >= day)
    ]


def _uk(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(LOCAL_ZONE)


@bp.route("/panels/meetings/<int:meeting_id>")
@roles_required(*STAFF)
def panel_meeting(meeting_id: int) -> Any:
    """A meeting: when and where, who came, the agenda, the minutes, and the papers to send by post."""
    meeting = get_meeting(meeting_id)
    members = members_on_day(meeting)
    on_paper = [m for m in members if m["papersBy"] in ON_PAPER]
    return render_template(
        "console/panels/meeting.html", meeting=meeting, labels=LABELS, papers_to_send=on_paper, members=members
    )


class LocalTime:
    """Check a typed date and time (a datetime-local box)."""

    def __call__(self, form: FlaskForm, field: Any) -> None:
        try:
            dt.datetime.fromisoformat((field.data or "").strip())
        except ValueError:
            raise ValidationError(_l("Enter a date and a time, for example 2026-12-29 18:00.")) from None


def _aware(value: str) -> str:
    """A typed UK date and time, as an ISO moment with its offset."""
    return dt.datetime.fromisoformat(value.strip()).replace(tzinfo=LOCAL_ZONE).isoformat()


class MeetingForm(FlaskForm):
    starts_at = StringField(
        _l("Starts at (UK time)"),
        validators=[DataRequired(_l("Give the day and time.")), LocalTime()],
        render_kw={"type": "datetime-local"},
    )
    minutes_long = IntegerField(
        _l("Length in minutes"), default=120, validators=[NumberRange(15, 600, _l("Give a length from 15 to 600."))]
    )
    mode = RadioField(_l("How it is held"), choices=choices(MODES), default="in_person")
    place = StringField(_l("Where, or how to join"), validators=[Optional(), limit(300)])
    agenda = TextAreaField(
        _l("Agenda"), description=REDACTED_HINT, validators=[Optional(), limit(10_000)], render_kw={"rows": 6}
    )
    minutes = TextAreaField(
        _l("Minutes"), description=REDACTED_HINT, validators=[Optional(), limit(10_000)], render_kw={"rows": 8}
    )


def _meeting_values(form: MeetingForm) -> dict[str, Any]:
    return {
        "startsAt": _aware(form.starts_at.data),
        "minutesLong": form.minutes_long.data,
        "mode": form.mode.data,
        "place": form.place.data or "",
        "agenda": form.agenda.data or "",
        **({"minutes": form.minutes.data or ""} if form.minutes is not None else {}),
    }


@bp.route("/panels/reviews/<int:review_id>/meetings/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_meeting_new(review_id: int) -> Any:
    """Schedule a meeting of the review; the panel's members are invited in their language and channel."""
    review = get_review(review_id)
    form = MeetingForm()
    del form.minutes
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            values = _meeting_values(form)
            result = operations.run_mutation(
                "ConsolePanelMeetingSchedule", {"input": {"reviewId": str(review_id), **values}}
            )
            if result.problem is None:
                flash_result(result, _("The meeting is scheduled and the members are invited."))
                return redirect(url_for("console.panel_meeting", meeting_id=result.data["panelMeeting"]["id"]))
            show_problem(form, result.problem)
            status = result.status
        else:
            status = 400
    back = (url_for("console.scrutiny_review", review_id=review_id), _("Back to the review"))
    intro = (review["reference"], _("The members are invited by their own channel, in their own language."))
    return form_page(form, _("Schedule a meeting"), _("Schedule and invite"), back, intro), status


@bp.route("/panels/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_meeting_edit(meeting_id: int) -> Any:
    """Change a meeting's time, place, agenda or minutes. A new time, place or mode invites the members again."""
    meeting = get_meeting(meeting_id)
    form = MeetingForm()
    status = 200
    if request.method == "GET":
        form.starts_at.data = _uk(meeting["startsAt"]).strftime("%Y-%m-%dT%H:%M")
        form.minutes_long.data, form.mode.data = meeting["minutesLong"], meeting["mode"]
        form.place.data, form.agenda.data, form.minutes.data = meeting["place"], meeting["agenda"], meeting["minutes"]
    elif form.validate_on_submit():
        variables = {"id": str(meeting_id), **_meeting_values(form)}
        if _uk(variables["startsAt"]) == _uk(meeting["startsAt"]):
            variables.pop("startsAt")  # unchanged: a meeting already held may keep its time
        status = submit(form, "ConsolePanelMeetingUpdate", variables, _("The meeting is saved."))
        if status is None:
            return redirect(url_for("console.panel_meeting", meeting_id=meeting_id))
    else:
        status = 400
    back = (url_for("console.panel_meeting", meeting_id=meeting_id), _("Back to the meeting"))
    return form_page(form, _("Change the meeting"), _("Save"), back), status


@bp.route("/panels/meetings/<int:meeting_id>/papers-sent", methods=["POST"])
@roles_required(*STAFF)
def panel_meeting_papers_sent(meeting_id: int) -> Any:
    """Record that the meeting's papers went out."""
    result = operations.run_mutation("ConsolePanelMeetingPapersSent", {"input": {"id": str(meeting_id)}})
    flash_result(result, _("The papers are recorded as sent."))
    return redirect(url_for("console.panel_meeting", meeting_id=meeting_id))


class AttendanceForm(FlaskForm):
    person = SelectField(_l("Member"), validators=[DataRequired(_l("Choose a member."))])
    attended = BooleanField(_l("They came (leave unticked for apologies)"), default=True)
    minutes_given = IntegerField(
        _l("Time given, in minutes, travel and reading included"),
        default=0,
        validators=[Optional(), NumberRange(0, 1440, _l("Give a number from 0 to 1,440."))],
    )


@bp.route("/panels/meetings/<int:meeting_id>/attendance/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_attendance_new(meeting_id: int) -> Any:
    """Record that a member came to the meeting, or sent apologies."""
    meeting = get_meeting(meeting_id)
    form = AttendanceForm()
    form.person.choices = [SelectChoice("", _("Not chosen"))] + [
        SelectChoice(m["person"]["id"], m["memberName"]) for m in members_on_day(meeting) if m["person"]
    ]
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            variables = {
                "meetingId": str(meeting_id),
                "personId": form.person.data,
                "attended": bool(form.attended.data),
                "minutesGiven": form.minutes_given.data or 0,
            }
            status = submit(form, "ConsolePanelAttendanceRecord", variables, _("The attendance is recorded."))
            if status is None:
                return redirect(url_for("console.panel_meeting", meeting_id=meeting_id))
        else:
            status = 400
    back = (url_for("console.panel_meeting", meeting_id=meeting_id), _("Back to the meeting"))
    return form_page(form, _("Record who came"), _("Record"), back), status


@bp.route("/panels/meetings/<int:meeting_id>/attendance/<int:attendance_id>/remove", methods=["POST"])
@roles_required(*STAFF)
def panel_attendance_remove(meeting_id: int, attendance_id: int) -> Any:
    """Take an attendance record off the meeting, to correct it."""
    result = operations.run_mutation(
        "ConsolePanelAttendanceRemove", {"input": {"meetingId": str(meeting_id), "id": str(attendance_id)}}
    )
    flash_result(result, _("The attendance record is removed."))
    return redirect(url_for("console.panel_meeting", meeting_id=meeting_id))


class InterviewForm(FlaskForm):
    interviewee_role = StringField(
        _l("Their job"),
        description=_l("Panel members see only this, never the name."),
        validators=[DataRequired(_l("Give their job.")), limit(120)],
    )
    person = SelectField(_l("Member of staff (optional, seen by staff only)"), validators=[Optional()])
    held_on = StringField(
        _l("Day of the interview"),
        validators=[DataRequired(_l("Give the day.")), IsoDate(not_future=True)],
        render_kw=DATE,
    )
    notes = TextAreaField(
        _l("The panel's notes"),
        description=REDACTED_HINT,
        validators=[Optional(), limit(10_000)],
        render_kw={"rows": 6},
    )


@bp.route("/panels/reviews/<int:review_id>/interviews/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def staff_interview_new(review_id: int) -> Any:
    """Record a member of staff the panel interviewed, with the panel's notes."""
    review = get_review(review_id)
    form = InterviewForm()
    form.person.choices = people_options(panel_choices()["staff"], blank=True)
    status = 200
    if request.method == "GET":
        form.held_on.data = local_date().isoformat()
    elif form.validate_on_submit():
        variables = {
            "reviewId": str(review_id),
            "intervieweeRole": form.interviewee_role.data,
            "personId": form.person.data or None,
            "heldOn": form.held_on.data,
            "notes": form.notes.data or "",
        }
        status = submit(form, "ConsoleStaffInterviewAdd", variables, _("The interview is recorded."))
        if status is None:
            return redirect(url_for("console.scrutiny_review", review_id=review_id, _anchor="interviews"))
    else:
        status = 400
    back = (url_for("console.scrutiny_review", review_id=review_id), _("Back to the review"))
    return form_page(form, _("Record an interview"), _("Record"), back, (review["reference"],)), status


@bp.route("/panels/reviews/<int:review_id>/interviews/<int:interview_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def staff_interview_edit(review_id: int, interview_id: int) -> Any:
    """Change an interview's record: the job, who, the day, the panel's notes."""
    review = get_review(review_id)
    interview = next((i for i in review["interviews"] if str(i["id"]) == str(interview_id)), None)
    if interview is None:
        abort(404)
    form = InterviewForm()
    form.person.choices = people_options(panel_choices()["staff"], blank=True)
    status = 200
    if request.method == "GET":
        form.interviewee_role.data, form.held_on.data = interview["intervieweeRole"], interview["heldOn"]
        form.person.data = interview["person"]["id"] if interview["person"] else ""
        form.notes.data = interview["notes"]
    elif form.validate_on_submit():
        variables = {
            "id": str(interview_id),
            "intervieweeRole": form.interviewee_role.data,
            "personId": form.person.data or None,
            "heldOn": form.held_on.data,
            "notes": form.notes.data or "",
        }
        status = submit(form, "ConsoleStaffInterviewUpdate", variables, _("The interview is saved."))
        if status is None:
            return redirect(url_for("console.scrutiny_review", review_id=review_id, _anchor="interviews"))
    else:
        status = 400
    back = (url_for("console.scrutiny_review", review_id=review_id), _("Back to the review"))
    return form_page(form, _("Change an interview"), _("Save"), back, (review["reference"],)), status
