"""The training log: training delivered because of lessons, linked to the staff-training action it carries out.

SPSO indicator 3 reports it: :func:`training_counts` gives the sessions and attendees in a period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from peewee import fn

from backend.audit.services import field_changes, record_audit
from backend.context import Actor
from backend.db import transaction
from backend.errors import Invalid, gather
from backend.lessons.models import ActionType, ImprovementAction, TrainingAttendee, TrainingRecord
from backend.lessons.sharing import MAX_TEXT, MAX_TITLE, active_staff, day, require_staff, text, values_of
from backend.timeutil import local_date

FIELDS = ("title", "action", "delivered_on", "audience", "attendees", "notes")
MAX_AUDIENCE = 200
MAX_ATTENDEES = 100_000
MAX_NAMED = 200


def record_training(
    actor: Actor,
    title: str,
    delivered_on: Any,
    audience: str = "",
    attendees: int | None = 0,
    notes: str = "",
    action_id: int | None = None,
    people: Sequence[int] = (),
) -> TrainingRecord:
    """Record training delivered, with how many attended and, optionally, which members of staff.

    Staff only. Raises NotAllowed, or Invalid listing every problem: ``title`` "required" or "too_long";
    ``delivered_on`` "required", "invalid" or "in_future"; ``audience``, ``notes`` "too_long"; ``attendees``
    "out_of_range" (0 to 100,000) or "fewer_than_named"; ``action`` "not_training" (not a staff-training action);
    ``people`` "too_many", or "not_staff" at each one that is not an active member of staff.
    """
    require_staff(actor, "training.record")
    with gather() as problems:
        heading = text(problems, "title", title, MAX_TITLE, required=True, line=True)
        delivered = day(problems, "delivered_on", delivered_on)
        if delivered is not None and delivered > local_date():
            problems.add("delivered_on", "in_future")
        who = text(problems, "audience", audience, MAX_AUDIENCE)
        written = text(problems, "notes", notes, MAX_TEXT)
        count = attendees or 0
        if not 0 <= count <= MAX_ATTENDEES:
            problems.add("attendees", "out_of_range", minimum=0, maximum=MAX_ATTENDEES)
        if action_id is not None and not _training_action(action_id):
            problems.add("action", "not_training")
        named = list(dict.fromkeys(people))
        if len(named) > MAX_NAMED:
            problems.add("people", "too_many", maximum=MAX_NAMED)
        for index, person in enumerate(named[:MAX_NAMED]):
            if active_staff(person) is None:
                problems.add("people", "not_staff", at=("people", index))
        if 0 <= count < len(named):
            problems.add("attendees", "fewer_than_named", named=len(named))
    with transaction():
        record = TrainingRecord.create(
            title=heading,
            delivered_on=delivered,
            audience=who,
            attendees=count,
            notes=written,
            action=action_id,
            recorded_by=actor.user_id,
        )
        for person in named:
            TrainingAttendee.create(record=record.id, person=person)
        changes = field_changes(None, {**values_of(record, FIELDS), "people": named})
        record_audit(actor, "training.recorded", "training_record", record.id, changes)
    return record


def _training_action(action_id: int) -> bool:
    return (
        ImprovementAction.select()
        .where(ImprovementAction.id == action_id, ImprovementAction.action_type == ActionType.STAFF_TRAINING)
        .exists()
    )


def training_counts(start: dt.date, end: dt.date) -> tuple[int, int]:
    """The training sessions delivered between two UK days (inclusive) and their attendees in all: (0, 0) if none.

    Raises Invalid("period_end", "before_start", at ``end``) when the period ends before it starts.
    """
    if end < start:
        raise Invalid("period_end", "before_start", at=("end",))
    row = (
        TrainingRecord.select(fn.COUNT(TrainingRecord.id), fn.SUM(TrainingRecord.attendees))
        .where(TrainingRecord.delivered_on >= start, TrainingRecord.delivered_on <= end)
        .tuples()
        .get()
    )
    return int(row[0] or 0), int(row[1] or 0)  # type: ignore[index]
