"""Learning from the sector (learning item 8): benchmarking exercises and complaint-handling network meetings, with
the staff who attended, so that the self-assessment can show the attendance rate.

Managers and admins record and change them; staff read them. The rate is counted in ``backend.reports.evidence``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from backend.audit.services import field_changes, record_audit
from backend.context import Actor
from backend.db import transaction
from backend.errors import NotFound, Problems, gather
from backend.lessons.sharing import MAX_TEXT, MAX_TITLE, active_staff, day, require_manager, text, values_of
from backend.reports.models import SectorEvent, SectorEventAttendee, SectorEventKind
from backend.timeutil import local_date, utcnow

FIELDS = ("kind", "name", "held_on", "expected", "notes")
MAX_ATTENDEES = 50


def _check(
    problems: Problems, kind: str, name: str, held_on: dt.date | str | None, notes: str, attendee_ids: Sequence[int]
) -> tuple[dict[str, object], list[int]]:
    values: dict[str, object] = {}
    if kind not in SectorEventKind.codes():
        problems.add("kind", "unsupported")
    values["kind"] = kind
    values["name"] = text(problems, "name", name, MAX_TITLE, required=True, line=True)
    when = day(problems, "held_on", held_on)
    if when is not None and when > local_date():
        problems.add("held_on", "future")
    values["held_on"] = when
    values["notes"] = text(problems, "notes", notes, MAX_TEXT)
    people = list(dict.fromkeys(attendee_ids))
    if len(people) > MAX_ATTENDEES:
        problems.add("attendees", "too_many", maximum=MAX_ATTENDEES)
    for index, person in enumerate(attendee_ids):
        if active_staff(person) is None:
            problems.add("attendees", "not_found", at=("attendee_ids", index))
    return values, people


def _set_attendees(event_id: int, people: list[int]) -> None:
    SectorEventAttendee.delete().where(SectorEventAttendee.event == event_id).execute()
    for person in people:
        SectorEventAttendee.create(event=event_id, person=person)


def attendee_ids(event_id: int) -> list[int]:
    """The staff who attended an event, by id, in the order they were recorded."""
    rows = SectorEventAttendee.select(SectorEventAttendee.person).where(SectorEventAttendee.event == event_id)
    return [row.person_id for row in rows.order_by(SectorEventAttendee.id)]  # type: ignore[attr-defined]


def record_event(
    actor: Actor,
    kind: str,
    name: str,
    held_on: dt.date | str | None,
    expected: bool = True,
    notes: str = "",
    attendees: Sequence[int] = (),
) -> SectorEvent:
    """Record a benchmarking exercise or a network meeting, with the staff who attended. Managers and admins.

    Raises NotAllowed, or Invalid listing every problem: ``kind`` "unsupported"; ``name`` "required", "too_long" or
    "hidden_characters"; ``held_on`` "required", "invalid" or "future"; ``notes`` "too_long"; ``attendees``
    "too_many", or "not_found" at each one who is not an active member of staff (``attendee_ids[i]``).
    """
    require_manager(actor, "sector_event.record")
    with gather() as problems:
        values, people = _check(problems, kind, name, held_on, notes, attendees)
    with transaction():
        made = SectorEvent.create(**values, expected=bool(expected), recorded_by=actor.user_id)
        _set_attendees(made.id, people)
        changes = field_changes(None, {**values_of(made, FIELDS), "attendee_ids": people})
        record_audit(actor, "sector_event.recorded", "sector_event", made.id, changes)
    return made


def update_event(
    actor: Actor,
    event_id: int,
    kind: str,
    name: str,
    held_on: dt.date | str | None,
    expected: bool = True,
    notes: str = "",
    attendees: Sequence[int] = (),
) -> SectorEvent:
    """Change a recorded event and who attended, every value replaced by what is given. Managers and admins.

    Raises NotAllowed, NotFound("sector_event") or Invalid as :func:`record_event`. Audits nothing when nothing
    differs.
    """
    require_manager(actor, "sector_event.update")
    found = SectorEvent.get_or_none(SectorEvent.id == event_id)
    if found is None:
        raise NotFound("sector_event", event_id)
    with gather() as problems:
        values, people = _check(problems, kind, name, held_on, notes, attendees)
    values["expected"] = bool(expected)
    had = attendee_ids(found.id)
    before = {**values_of(found, FIELDS), "attendee_ids": had}
    after = {**{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()}, "attendee_ids": people}
    changes = field_changes(before, after)
    if not changes:
        return found
    with transaction():
        SectorEvent.update(**values, updated_at=utcnow()).where(SectorEvent.id == found.id).execute()
        if people != had:
            _set_attendees(found.id, people)
        record_audit(actor, "sector_event.updated", "sector_event", found.id, changes)
    return SectorEvent.get_by_id(found.id)
