"""Meetings where lessons and actions were discussed: who came, the ordered agenda, the minutes.

They evidence the Housing Ombudsman's self-assessment items 10, 11 and 14 (lessons reported to management, the
governing body and shared across teams). Any member of staff records them; the changes are audited on the meeting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from peewee import fn

from backend.audit.services import field_changes, record_audit
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, NotFound, gather
from backend.lessons.models import AgendaItem, Meeting, MeetingAttendee, MeetingKind
from backend.lessons.sharing import (
    MAX_NAME,
    MAX_TEAM,
    MAX_TEXT,
    MAX_TITLE,
    action_exists,
    active_staff,
    day,
    lesson_exists,
    require_staff,
    text,
    values_of,
)
from backend.timeutil import utcnow

FIELDS = ("kind", "title", "held_on", "team", "minutes")
MAX_ATTENDEES = 200
MAX_AGENDA = 100


def _check(problems: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    """The fields given in ``values``, checked and tidied; every problem is recorded."""
    checked: dict[str, Any] = {}
    for name in sorted(set(values) - set(FIELDS)):
        problems.add(name, "unknown_field")
    if "kind" in values:
        if values["kind"] not in MeetingKind.codes():
            problems.add("kind", "unsupported")
        checked["kind"] = values["kind"]
    if "title" in values:
        checked["title"] = text(problems, "title", values["title"], MAX_TITLE, required=True, line=True)
    if "held_on" in values:
        checked["held_on"] = day(problems, "held_on", values["held_on"])
    if "team" in values:
        checked["team"] = text(problems, "team", values["team"], MAX_TEAM, line=True) or None
    if "minutes" in values:
        checked["minutes"] = text(problems, "minutes", values["minutes"], MAX_TEXT)
    return checked


def create_meeting(
    actor: Actor, kind: str, title: str, held_on: Any, team: str | None = None, minutes: str = ""
) -> Meeting:
    """Record a meeting. Staff only.

    Raises NotAllowed, or Invalid listing every problem: ``kind`` "unsupported"; ``title`` "required" or
    "too_long"; ``held_on`` "required" or "invalid"; ``team`` and ``minutes`` "too_long".
    """
    require_staff(actor, "meeting.create")
    with gather() as problems:
        values = _check(problems, {"kind": kind, "title": title, "held_on": held_on, "team": team, "minutes": minutes})
    with transaction():
        meeting = Meeting.create(**values, recorded_by=actor.user_id)
        record_audit(actor, "meeting.created", "meeting", meeting.id, field_changes(None, values_of(meeting, FIELDS)))
    return meeting


def _meeting(meeting_id: int) -> Meeting:
    meeting = Meeting.get_or_none(Meeting.id == meeting_id)
    if meeting is None:
        raise NotFound("meeting", meeting_id)
    return meeting


def update_meeting(actor: Actor, meeting_id: int, **values: Any) -> Meeting:
    """Change a meeting: only the fields given in ``values`` (kind, title, held_on, team, minutes) change, the rest
    are kept. Staff only.

    ``team`` None or blank and ``minutes`` "" clear them; the kind, title and day cannot be cleared. Raises
    NotAllowed, NotFound("meeting"), or Invalid as :func:`create_meeting` (a field not of a meeting:
    "unknown_field"). Returns the meeting unchanged (and audits nothing) when nothing differs.
    """
    require_staff(actor, "meeting.update")
    meeting = _meeting(meeting_id)
    with gather() as problems:
        checked = _check(problems, values)
    before = values_of(meeting, FIELDS)
    given = {name: value.isoformat() if isinstance(value, dt.date) else value for name, value in checked.items()}
    if not field_changes(before, {**before, **given}):
        return meeting
    with transaction():
        Meeting.update(**checked, updated_at=utcnow()).where(Meeting.id == meeting.id).execute()
        meeting = Meeting.get_by_id(meeting.id)
        record_audit(actor, "meeting.updated", "meeting", meeting.id, field_changes(before, values_of(meeting, FIELDS)))
    return meeting


def add_attendee(actor: Actor, meeting_id: int, person_id: int | None = None, name: str = "") -> MeetingAttendee:
    """Add a member of staff, or a guest by name, to those at a meeting. Staff only.

    Raises NotAllowed, NotFound("meeting"), Invalid (``person`` "not_staff"; ``name`` "attendee_required" when
    neither is given, "too_long", or "with_person" when both are), or Conflict("already_attending") /
    Conflict("too_many").
    """
    require_staff(actor, "meeting.attendee_add")
    meeting = _meeting(meeting_id)
    with gather() as problems:
        guest = text(problems, "name", name, MAX_NAME, line=True)
        if person_id and guest:
            problems.add("name", "with_person")
        elif person_id and active_staff(person_id) is None:
            problems.add("person", "not_staff")
        elif not person_id and not guest:
            problems.add("name", "attendee_required")
    with transaction():
        rows = MeetingAttendee.select().where(MeetingAttendee.meeting == meeting.id)
        if rows.count() >= MAX_ATTENDEES:
            raise Conflict("too_many", maximum=MAX_ATTENDEES)
        if person_id and rows.where(MeetingAttendee.person == person_id).exists():
            raise Conflict("already_attending")
        attendee = MeetingAttendee.create(meeting=meeting.id, person=person_id or None, name=guest)
        changes = {"attendee": {"before": None, "after": person_id or guest}}
        record_audit(actor, "meeting.attendee_added", "meeting", meeting.id, changes)
    return attendee


def remove_attendee(actor: Actor, meeting_id: int, attendee_id: int) -> Meeting:
    """Take someone off the meeting's attendees. Staff only.

    Raises NotAllowed or NotFound("attendee": none, or one of another meeting).
    """
    require_staff(actor, "meeting.attendee_remove")
    attendee = MeetingAttendee.get_or_none(
        (MeetingAttendee.id == attendee_id) & (MeetingAttendee.meeting == meeting_id)
    )
    if attendee is None:
        raise NotFound("attendee", attendee_id)
    meeting = Meeting.get_by_id(attendee.meeting_id)  # type: ignore[attr-defined]
    with transaction():
        attendee.delete_instance()
        changes = {"attendee": {"before": attendee.person_id or attendee.name, "after": None}}  # type: ignore[attr-defined]
        record_audit(actor, "meeting.attendee_removed", "meeting", meeting.id, changes)
    return meeting


def add_agenda_item(
    actor: Actor,
    meeting_id: int,
    title: str,
    notes: str = "",
    lesson_id: int | None = None,
    action_id: int | None = None,
) -> AgendaItem:
    """Add an item at the end of a meeting's agenda, with its notes and the lesson or action it discussed.

    Staff only. Raises NotAllowed, NotFound("meeting"), Invalid (``title`` "required" or "too_long"; ``notes``
    "too_long"; ``lesson`` or ``action`` "not_found") or Conflict("too_many").
    """
    require_staff(actor, "meeting.agenda_add")
    meeting = _meeting(meeting_id)
    with gather() as problems:
        heading = text(problems, "title", title, MAX_TITLE, required=True, line=True)
        written = text(problems, "notes", notes, MAX_TEXT)
        if lesson_id is not None and not lesson_exists(lesson_id):
            problems.add("lesson", "not_found")
        if action_id is not None and not action_exists(action_id):
            problems.add("action", "not_found")
    with transaction():
        items = AgendaItem.select().where(AgendaItem.meeting == meeting.id)
        if items.count() >= MAX_AGENDA:
            raise Conflict("too_many", maximum=MAX_AGENDA)
        last = items.select(fn.MAX(AgendaItem.position)).scalar() or 0
        item = AgendaItem.create(
            meeting=meeting.id, position=last + 1, title=heading, notes=written, lesson=lesson_id, action=action_id
        )
        changes = {
            f"agenda_{item.id}": {
                "before": None,
                "after": {"title": heading, "lesson_id": lesson_id, "action_id": action_id},
            }
        }
        record_audit(actor, "meeting.agenda_added", "meeting", meeting.id, changes)
    return item


def remove_agenda_item(actor: Actor, meeting_id: int, item_id: int) -> Meeting:
    """Take an item off the meeting's agenda. Staff only.

    Raises NotAllowed or NotFound("agenda_item": none, or one of another meeting).
    """
    require_staff(actor, "meeting.agenda_remove")
    item = AgendaItem.get_or_none((AgendaItem.id == item_id) & (AgendaItem.meeting == meeting_id))
    if item is None:
        raise NotFound("agenda_item", item_id)
    meeting = Meeting.get_by_id(item.meeting_id)  # type: ignore[attr-defined]
    with transaction():
        item.delete_instance()
        changes = {f"agenda_{item.id}": {"before": {"title": item.title}, "after": None}}
        record_audit(actor, "meeting.agenda_removed", "meeting", meeting.id, changes)
    return meeting
