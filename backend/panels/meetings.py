"""A review's meetings (when, how, agenda, minutes, papers), who attended, the staff interviewed, and the
invitations and reminders members get in their own language and by their own channel.

Staff run these. Scheduling a meeting invites every member of the panel on the day it is held (one outbox event
each: ``panels.meeting_invitation``, see ``backend.panels.messages``); :func:`send_due_reminders`, run by a periodic
task, reminds them once, ``LEARNLOOP_PANEL_REMINDER_DAYS`` days before. Members who asked for papers by post or in
large print are listed for staff (:func:`papers_to_send`) until staff record the papers as sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from backend.accounts.models import User
from backend.audit.services import field_changes, record_audit
from backend.config import current
from backend.context import SYSTEM, Actor
from backend.db import transaction
from backend.errors import Conflict, NotFound, Problems, gather
from backend.events.services import record_event
from backend.panels.models import (
    MeetingMode,
    PanelAttendance,
    PanelMeeting,
    PanelMembership,
    PapersBy,
    ScrutinyReview,
    StaffInterview,
)
from backend.panels.panels import (
    TEXT_MAX,
    active_staff,
    choice,
    day,
    number,
    require_staff,
    text,
    values_of,
)
from backend.panels.redaction import redact_for_panel
from backend.panels.reviews import get_review
from backend.text import clean
from backend.timeutil import LOCAL_ZONE, local_date, utcnow

PLACE_MAX = 300
ROLE_MAX = 120
LENGTH_RANGE = (15, 600)
MINUTES_GIVEN_RANGE = (0, 24 * 60)
MEETING_FIELDS = ("starts_at", "minutes_long", "mode", "place", "agenda", "minutes")
INTERVIEW_FIELDS = ("interviewee_role", "person_id", "held_on", "notes")
#: Papers that go on paper: staff post them in time for the meeting.
ON_PAPER = (PapersBy.POST, PapersBy.LARGE_PRINT)


def moment(problems: Problems, name: str, value: Any, required: bool = False) -> dt.datetime | None:
    """A stored (naive UTC) moment from an aware datetime, or from a naive one or ISO text read as UK time."""
    if isinstance(value, str):
        raw = clean(value)
        if not raw:
            value = None
        else:
            try:
                value = dt.datetime.fromisoformat(raw)
            except ValueError:
                problems.add(name, "invalid")
                return None
    if value is None:
        if required:
            problems.add(name, "required")
        return None
    if not isinstance(value, dt.datetime):
        problems.add(name, "invalid")
        return None
    aware = value if value.tzinfo is not None else value.replace(tzinfo=LOCAL_ZONE)
    return aware.astimezone(dt.UTC).replace(tzinfo=None)


def get_meeting(meeting_id: int) -> PanelMeeting:
    meeting = PanelMeeting.get_or_none(PanelMeeting.id == meeting_id)
    if meeting is None:
        raise NotFound("panel_meeting", meeting_id)
    return meeting


def _check_meeting(problems: Problems, values: Mapping[str, Any]) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    for name in sorted(set(values) - set(MEETING_FIELDS)):
        problems.add(name, "unknown_field")
    for name, value in values.items():
        if name == "starts_at":
            checked[name] = moment(problems, name, value, required=True)
        elif name == "minutes_long":
            checked[name] = number(problems, name, value, LENGTH_RANGE)
        elif name == "mode":
            checked[name] = choice(problems, name, value, MeetingMode)
        elif name == "place":
            checked[name] = text(problems, name, value, PLACE_MAX, line=True)
        elif name in ("agenda", "minutes"):
            # Members read them: staff, members and case references are taken out as they are saved.
            checked[name] = redact_for_panel(text(problems, name, value, TEXT_MAX))
    return checked


def members_on(panel_id: int, on: dt.date) -> Any:
    """A query for the panel's memberships current on the UK day ``on``, oldest first."""
    return (
        PanelMembership.select()
        .where(
            PanelMembership.panel == panel_id,
            PanelMembership.started_on <= on,
            PanelMembership.ended_on.is_null() | (PanelMembership.ended_on >= on),
        )
        .order_by(PanelMembership.started_on, PanelMembership.id)
    )


def _invite(meeting: PanelMeeting, review: ScrutinyReview, event: str) -> int:
    """Inside a transaction: one outbox event for each member on the meeting's day. Returns how many."""
    count = 0
    for membership in members_on(review.panel_id, local_date(meeting.starts_at)):  # type: ignore[attr-defined]
        record_event(event, {"recipient_id": membership.person_id, "meeting_id": meeting.id})
        count += 1
    return count


def schedule_meeting(actor: Actor, review_id: int, values: Mapping[str, Any]) -> PanelMeeting:
    """Schedule a meeting of the review (``starts_at`` required; see MEETING_FIELDS) and invite the panel's members
    in their own language and by their own channel. Staff only.

    Raises NotAllowed, NotFound("scrutiny_review"), Invalid listing every problem (``starts_at`` "required",
    "invalid" or "in_past"; ``minutes_long`` "out_of_range"; ``mode`` "unsupported"; ``place``, ``agenda``,
    ``minutes`` "too_long"), or Conflict("review_closed").
    """
    require_staff(actor, "panel_meeting.schedule")
    review = get_review(review_id)
    with gather() as problems:
        checked = _check_meeting(problems, {"starts_at": None, **values})
        if checked.get("starts_at") is not None and checked["starts_at"] < utcnow():
            problems.add("starts_at", "in_past")
    if review.status == "closed":
        raise Conflict("review_closed")
    with transaction():
        meeting = PanelMeeting.create(review=review.id, created_by=actor.user_id, **checked)
        after = values_of(meeting, MEETING_FIELDS)
        record_audit(actor, "panel_meeting.scheduled", "panel_meeting", meeting.id, field_changes(None, after))
        _invite(meeting, review, "panels.meeting_invitation")
    return meeting


def update_meeting(actor: Actor, meeting_id: int, values: Mapping[str, Any]) -> PanelMeeting:
    """Change a meeting: only the fields given (the agenda, the minutes after it, a new time or place). Staff only.

    A new time invites the members again, and they will be reminded again. Raises NotAllowed,
    NotFound("panel_meeting"), or Invalid as :func:`schedule_meeting` (a time may be in the past only when it is
    not being changed). Returns it unchanged when nothing differs.
    """
    require_staff(actor, "panel_meeting.update")
    meeting = get_meeting(meeting_id)
    with gather() as problems:
        checked = _check_meeting(problems, values)
        moved = "starts_at" in checked and checked["starts_at"] != meeting.starts_at
        if moved and checked["starts_at"] is not None and checked["starts_at"] < utcnow():
            problems.add("starts_at", "in_past")
    before = values_of(meeting, MEETING_FIELDS)
    for name, value in checked.items():
        setattr(meeting, name, value)
    changes = field_changes(before, values_of(meeting, MEETING_FIELDS))
    if not changes:
        return get_meeting(meeting_id)
    with transaction():
        extra = {"reminded_at": None} if moved else {}
        PanelMeeting.update(**checked, **extra, updated_at=utcnow()).where(PanelMeeting.id == meeting.id).execute()
        record_audit(actor, "panel_meeting.updated", "panel_meeting", meeting.id, changes)
        if moved or "place" in changes or "mode" in changes:
            _invite(meeting, get_review(meeting.review_id), "panels.meeting_invitation")  # type: ignore[attr-defined]
        else:
            record_event("panels.meeting_updated", {"meeting_id": meeting.id})
    return get_meeting(meeting_id)


def papers_to_send(meeting: PanelMeeting) -> list[PanelMembership]:
    """The members on the meeting's day who get papers by post or in large print, with their person loaded."""
    review = ScrutinyReview.get_by_id(meeting.review_id)  # type: ignore[attr-defined]
    query = (
        members_on(review.panel_id, local_date(meeting.starts_at))  # type: ignore[attr-defined]
        .select(PanelMembership, User)
        .join(User, on=PanelMembership.person == User.id)
        .where(PanelMembership.papers_by.in_(ON_PAPER))
    )
    return list(query)


def mark_papers_sent(actor: Actor, meeting_id: int) -> PanelMeeting:
    """Record that the meeting's papers went to the members (by post and in large print where they asked). Staff.

    Raises NotAllowed, NotFound("panel_meeting"), or Conflict("papers_sent") when already recorded.
    """
    require_staff(actor, "panel_meeting.papers_sent")
    meeting = get_meeting(meeting_id)
    now = utcnow()
    with transaction():
        changed = (
            PanelMeeting.update(papers_sent_at=now, updated_at=now)
            .where(PanelMeeting.id == meeting.id, PanelMeeting.papers_sent_at.is_null())
            .execute()
        )
        if not changed:
            raise Conflict("papers_sent")
        changes = {"papers_sent_at": {"before": None, "after": now.isoformat()}}
        record_audit(actor, "panel_meeting.papers_sent", "panel_meeting", meeting.id, changes)
        record_event("panels.meeting_papers_sent", {"meeting_id": meeting.id})
    return get_meeting(meeting_id)


def record_attendance(
    actor: Actor, meeting_id: int, person_id: int | None, attended: bool = True, minutes_given: int = 0
) -> PanelAttendance:
    """Record that a member came to the meeting (or sent apologies), with the time they gave. Staff only.

    Raises NotAllowed, NotFound("panel_meeting"), Invalid (``person_id`` "not_member": not on the panel that day;
    ``minutes_given`` "out_of_range"), or Conflict("already_recorded") (take the record off to correct it).
    """
    require_staff(actor, "panel_meeting.attendance")
    meeting = get_meeting(meeting_id)
    review = ScrutinyReview.get_by_id(meeting.review_id)  # type: ignore[attr-defined]
    with gather() as problems:
        on_panel = members_on(review.panel_id, local_date(meeting.starts_at)).where(  # type: ignore[attr-defined]
            PanelMembership.person == (person_id or 0)
        )
        if not on_panel.exists():
            problems.add("person_id", "not_member")
        given = number(problems, "minutes_given", minutes_given, MINUTES_GIVEN_RANGE)
    with transaction():
        if (
            PanelAttendance.select()
            .where(PanelAttendance.meeting == meeting.id, PanelAttendance.person == person_id)
            .exists()
        ):
            raise Conflict("already_recorded")
        row = PanelAttendance.create(
            meeting=meeting.id,
            person=person_id,
            attended=bool(attended),
            minutes_given=given if attended else 0,
            recorded_by=actor.user_id,
        )
        changes = {"attendance": {"before": None, "after": {"person_id": person_id, "attended": bool(attended)}}}
        record_audit(actor, "panel_meeting.attendance_recorded", "panel_meeting", meeting.id, changes)
        record_event("panels.attendance_recorded", {"meeting_id": meeting.id, "attendance_id": row.id})
    return row


def remove_attendance(actor: Actor, meeting_id: int, attendance_id: int) -> PanelMeeting:
    """Take an attendance record off the meeting, to correct it. Staff only.

    Raises NotAllowed or NotFound("panel_attendance": none, or one of another meeting).
    """
    require_staff(actor, "panel_meeting.attendance")
    row = PanelAttendance.get_or_none((PanelAttendance.id == attendance_id) & (PanelAttendance.meeting == meeting_id))
    if row is None:
        raise NotFound("panel_attendance", attendance_id)
    with transaction():
        row.delete_instance()
        changes = {"attendance": {"before": {"person_id": row.person_id, "attended": row.attended}, "after": None}}  # type: ignore[attr-defined]
        record_audit(actor, "panel_meeting.attendance_removed", "panel_meeting", meeting_id, changes)
        record_event("panels.attendance_removed", {"meeting_id": meeting_id})
    return get_meeting(meeting_id)


# Reminders.


def send_due_reminders(now: dt.datetime | None = None) -> int:
    """Remind the members of each meeting that starts within ``panel_reminder_days`` days, once per meeting.

    Safe to run any number of times, and from two workers at once: each meeting is claimed by a conditional update
    of ``reminded_at`` before its reminders are recorded. Returns how many meetings were reminded of.
    """
    now = now or utcnow()
    horizon = now + dt.timedelta(days=current().panel_reminder_days)
    due = PanelMeeting.select(PanelMeeting.id).where(
        PanelMeeting.reminded_at.is_null(), PanelMeeting.starts_at > now, PanelMeeting.starts_at <= horizon
    )
    reminded = 0
    for row in list(due):
        with transaction():
            claimed = (
                PanelMeeting.update(reminded_at=now)
                .where(PanelMeeting.id == row.id, PanelMeeting.reminded_at.is_null())
                .execute()
            )
            if not claimed:
                continue
            meeting = get_meeting(row.id)
            review = ScrutinyReview.get_by_id(meeting.review_id)  # type: ignore[attr-defined]
            if review.status == "closed":
                continue
            _invite(meeting, review, "panels.meeting_reminder")
            changes = {"reminded_at": {"before": None, "after": now.isoformat()}}
            record_audit(SYSTEM, "panel_meeting.reminded", "panel_meeting", meeting.id, changes)
            reminded += 1
    return reminded


# Staff interviewed.


def _check_interview(problems: Problems, values: Mapping[str, Any]) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    for name in sorted(set(values) - set(INTERVIEW_FIELDS)):
        problems.add(name, "unknown_field")
    for name, value in values.items():
        if name == "interviewee_role":
            checked[name] = text(problems, name, value, ROLE_MAX, required=True, line=True)
        elif name == "notes":
            checked[name] = redact_for_panel(text(problems, name, value, TEXT_MAX))
        elif name == "held_on":
            checked[name] = day(problems, name, value, required=True)
            if checked[name] is not None and checked[name] > local_date():
                problems.add(name, "in_future")
        elif name == "person_id":
            if value is not None and active_staff(value) is None:
                problems.add(name, "not_staff")
            checked["person"] = value
    return checked


def _interview_snapshot(row: StaffInterview) -> dict[str, Any]:
    return {
        **values_of(row, ("interviewee_role", "held_on", "notes")),
        "person_id": row.person_id,  # type: ignore[attr-defined]
    }


def add_interview(actor: Actor, review_id: int, values: Mapping[str, Any]) -> StaffInterview:
    """Record a member of staff the panel interviewed for the review: their job (members see only that), who they
    are (staff only see it), the day and the panel's notes. Staff only.

    Raises NotAllowed, NotFound("scrutiny_review"), or Invalid listing every problem: ``interviewee_role``
    "required"/"too_long"; ``person_id`` "not_staff"; ``held_on`` "required", "invalid" or "in_future"; ``notes``
    "too_long".
    """
    require_staff(actor, "staff_interview.add")
    review = get_review(review_id)
    with gather() as problems:
        checked = _check_interview(problems, {"interviewee_role": "", "held_on": None, **values})
    with transaction():
        row = StaffInterview.create(review=review.id, recorded_by=actor.user_id, **checked)
        after = _interview_snapshot(row)
        record_audit(actor, "staff_interview.added", "staff_interview", row.id, field_changes(None, after))
        record_event("panels.interview_added", {"review_id": review.id, "interview_id": row.id})
    return row


def update_interview(actor: Actor, interview_id: int, values: Mapping[str, Any]) -> StaffInterview:
    """Change an interview's record: only the fields given. Staff only.

    Raises NotAllowed, NotFound("staff_interview"), or Invalid as :func:`add_interview`.
    """
    require_staff(actor, "staff_interview.update")
    row = StaffInterview.get_or_none(StaffInterview.id == interview_id)
    if row is None:
        raise NotFound("staff_interview", interview_id)
    with gather() as problems:
        checked = _check_interview(problems, values)
    before = _interview_snapshot(row)
    for name, value in checked.items():
        setattr(row, name, value)
    changes = field_changes(before, _interview_snapshot(row))
    if changes:
        with transaction():
            StaffInterview.update(**checked, updated_at=utcnow()).where(StaffInterview.id == row.id).execute()
            record_audit(actor, "staff_interview.updated", "staff_interview", row.id, changes)
            record_event("panels.interview_updated", {"interview_id": row.id})
    return StaffInterview.get_by_id(interview_id)
