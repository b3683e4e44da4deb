"""How a change moves: its status (planned, in progress, implemented), its percentage and its dated milestones.

Staff move a change forward; only a manager moves it back, and says why. "Confirmed by residents" is never set by
staff: the impact survey's answers set it. Every move of a published change writes a ``ChangeUpdate`` (its public
timeline, and what followers are told) and records ``cocreation.change_moved`` {change_id, update_id}; the move to
implemented also records ``cocreation.change_implemented`` {change_id, update_id}. Other parts of the system listen
for these two events, so their names and payloads don't change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from backend.audit.services import field_changes, record_audit
from backend.cocreation.changes import (
    MANAGERS,
    NOTE_MAX,
    TITLE_MAX,
    get_change,
    staff_change,
    texts,
)
from backend.cocreation.models import Change, ChangeMilestone, ChangeStatus, ChangeUpdate
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, NotAllowed, NotFound, gather
from backend.events.services import record_event
from backend.text import clean
from backend.timeutil import local_date, utcnow

REASON_MAX = 1_000
#: The order a change moves in; a move to an earlier status is a move back.
ORDER: tuple[str, ...] = ChangeStatus.codes()
MILESTONE_FIELDS = ("title", "due_on", "position")


def _record_move(actor: Actor, change: Change, kind: str, note: dict[str, str], milestone_id: int | None = None) -> int:
    """Inside the move's transaction: the published change's update, and ``cocreation.change_moved``."""
    update = ChangeUpdate.create(
        change=change.id,
        kind=kind,
        status=change.status,
        percent=change.percent,
        milestone=milestone_id,
        note=note,
        created_by=actor.user_id,
    )
    record_event("cocreation.change_moved", {"change_id": change.id, "update_id": update.id})
    return int(update.id)


def move_change(
    actor: Actor,
    change_id: int,
    status: str | None = None,
    percent: int | None = None,
    note: Mapping[str, str] | None = None,
    reason: str = "",
) -> Change:
    """Move a change to ``status`` and/or ``percent`` (what is None is kept), with an optional ``note`` by language
    code that the public timeline shows. Staff only; implemented means 100%. A move back (to an earlier status)
    is a manager's, with a ``reason`` for the audit trail; moving back before implemented clears when it was
    implemented and confirmed.

    A published change's move writes its update and records ``cocreation.change_moved`` (and
    ``cocreation.change_implemented`` when it becomes implemented). Returns the change, unchanged when the values
    are already so (a form sent twice moves it once).

    Raises NotAllowed (not staff; a move back by someone not a manager), NotFound("change"), Invalid listing every
    problem: ``status`` "unsupported" or "not_by_staff" (confirmed), ``percent`` "out_of_range" or
    "implemented_is_100", ``note`` "too_long", ``language`` "unsupported", ``reason`` "required" (a move back) or
    "too_long"; Conflict("changed") when someone else moved it meanwhile.
    """
    change = staff_change(actor, change_id, "change.move")
    new_status = change.status if status is None else str(status)
    backwards = False
    with gather() as problems:
        if new_status == ChangeStatus.CONFIRMED and change.status != ChangeStatus.CONFIRMED:
            problems.add("status", "not_by_staff", about="change")
        elif new_status not in ChangeStatus.codes():
            problems.add("status", "unsupported", about="change")
        else:
            backwards = ORDER.index(new_status) < ORDER.index(change.status)
        new_percent = change.percent if percent is None else percent
        if not isinstance(new_percent, int) or not 0 <= new_percent <= 100:
            problems.add("percent", "out_of_range", minimum=0, maximum=100, about="change")
        elif new_status == ChangeStatus.IMPLEMENTED:
            if percent is not None and percent != 100:
                problems.add("percent", "implemented_is_100", about="change")
            new_percent = 100
        written = texts(problems, "note", note, NOTE_MAX)
        why = clean(reason)
        if len(why) > REASON_MAX:
            problems.add("reason", "too_long", maximum=REASON_MAX, about="change")
        elif backwards and not why:
            problems.add("reason", "required", about="change")
    if backwards and not actor.has_role(*MANAGERS):
        raise NotAllowed("change.move_back")
    if new_status == change.status and new_percent == change.percent:
        return change
    return _move(actor, change, new_status, new_percent, written, why)


def _move(actor: Actor, change: Change, status: str, percent: int, note: dict[str, str], reason: str) -> Change:
    now = utcnow()
    values: dict[str, Any] = {"status": status, "percent": percent, "updated_at": now}
    implemented = status == ChangeStatus.IMPLEMENTED and change.status != ChangeStatus.IMPLEMENTED
    if implemented and change.implemented_at is None:
        values["implemented_at"] = now
    if ORDER.index(status) < ORDER.index(ChangeStatus.IMPLEMENTED):
        values.update(implemented_at=None, confirmed_at=None)
    elif ORDER.index(status) < ORDER.index(ChangeStatus.CONFIRMED):
        values["confirmed_at"] = None
    before = {"status": change.status, "percent": change.percent}
    with transaction():
        moved = (
            Change.update(**values)
            .where(Change.id == change.id, Change.status == change.status, Change.percent == change.percent)
            .execute()
        )
        if not moved:
            raise Conflict("changed")
        change = get_change(change.id)
        audit = field_changes(before, {"status": status, "percent": percent})
        if reason:
            audit["reason"] = {"before": None, "after": reason}
        if note:
            audit["note"] = {"before": None, "after": note}
        if change.published_at is not None:
            kind = "status" if before["status"] != status else "percent"
            update_id = _record_move(actor, change, kind, note)
            audit["update_id"] = {"before": None, "after": update_id}
            if implemented:
                record_event("cocreation.change_implemented", {"change_id": change.id, "update_id": update_id})
        record_audit(actor, "change.moved", "change", change.id, audit)
    return change


# Milestones.


def get_milestone(milestone_id: int) -> ChangeMilestone:
    """The milestone; raise NotFound("change_milestone") when there is none."""
    row = ChangeMilestone.get_or_none(ChangeMilestone.id == milestone_id) if 0 < milestone_id < 2**63 else None
    if row is None:
        raise NotFound("change_milestone", milestone_id)
    return row


def _check_milestone(problems: Any, values: Mapping[str, Any], creating: bool) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    for name in sorted(set(values) - set(MILESTONE_FIELDS)):
        problems.add(name, "unknown_field")
    if "title" in values or creating:
        checked["title"] = texts(problems, "title", values.get("title"), TITLE_MAX, line=True, english=True)
    if "due_on" in values:
        due = values["due_on"]
        if due is not None and not isinstance(due, dt.date):
            problems.add("due_on", "invalid", about="change")
        checked["due_on"] = due
    if "position" in values and values["position"] is not None:
        position = values["position"]
        if not isinstance(position, int) or not 0 <= position <= 1000:
            problems.add("position", "out_of_range", minimum=0, maximum=1000, about="change")
        checked["position"] = position
    return checked


def _milestone_snapshot(row: ChangeMilestone) -> dict[str, Any]:
    return {
        "title": row.title,
        "due_on": row.due_on.isoformat() if row.due_on else None,
        "done_on": row.done_on.isoformat() if row.done_on else None,
        "position": row.position,
    }


def add_milestone(actor: Actor, change_id: int, values: Mapping[str, Any]) -> ChangeMilestone:
    """Add a dated step to a change: ``title`` by language code (English required), ``due_on`` and ``position``
    (by default after the others). Staff only.

    Raises NotAllowed, NotFound("change"), Invalid: ``title`` "english_required"/"too_long"/"hidden_characters",
    ``language`` "unsupported", ``due_on`` "invalid", ``position`` "out_of_range".
    """
    change = staff_change(actor, change_id, "change.milestone_add")
    with gather() as problems:
        checked = _check_milestone(problems, values, creating=True)
    if "position" not in checked:
        last = ChangeMilestone.select(ChangeMilestone.position).where(ChangeMilestone.change == change.id)
        checked["position"] = max((row.position for row in last), default=-1) + 1
    with transaction():
        row = ChangeMilestone.create(change=change.id, **checked)
        record_audit(
            actor,
            "change.milestone_added",
            "change",
            change.id,
            field_changes(None, {"milestone_id": row.id, **_milestone_snapshot(row)}),
        )
        Change.update(updated_at=utcnow()).where(Change.id == change.id).execute()
    return row


def update_milestone(actor: Actor, milestone_id: int, values: Mapping[str, Any]) -> ChangeMilestone:
    """Change a milestone's title, day or position: only the fields given. Staff only.

    Raises NotAllowed, NotFound("change_milestone"), Invalid as :func:`add_milestone`. Returns it unchanged when
    nothing differs.
    """
    row = get_milestone(milestone_id)
    staff_change(actor, row.change_id, "change.milestone_update")  # type: ignore[attr-defined]
    with gather() as problems:
        checked = _check_milestone(problems, values, creating=False)
    before = _milestone_snapshot(row)
    for name, value in checked.items():
        setattr(row, name, value)
    changes = field_changes(before, _milestone_snapshot(row))
    if not changes:
        return get_milestone(milestone_id)
    with transaction():
        ChangeMilestone.update(**checked, updated_at=utcnow()).where(ChangeMilestone.id == row.id).execute()
        record_audit(
            actor,
            "change.milestone_updated",
            "change",
            row.change_id,  # type: ignore[attr-defined]
            {"milestone_id": {"before": None, "after": row.id}, **changes},
        )
    return get_milestone(milestone_id)


def mark_milestone_done(
    actor: Actor, milestone_id: int, done_on: dt.date | None = None, note: Mapping[str, str] | None = None
) -> ChangeMilestone:
    """Mark a milestone done on ``done_on`` (today when not given; not in the future), with an optional note by
    language code. Staff only. On a published change it is a move: its update (kind milestone) and
    ``cocreation.change_moved``.

    Raises NotAllowed, NotFound("change_milestone"), Invalid: ``done_on`` "in_future", ``note`` "too_long",
    ``language`` "unsupported"; Conflict("milestone_done") when it is done already (also when two people mark it
    at once).
    """
    row = get_milestone(milestone_id)
    change = staff_change(actor, row.change_id, "change.milestone_done")  # type: ignore[attr-defined]
    day = done_on or local_date()
    with gather() as problems:
        if day > local_date():
            problems.add("done_on", "in_future", about="change")
        written = texts(problems, "note", note, NOTE_MAX)
    if row.done_on is not None:
        raise Conflict("milestone_done")
    with transaction():
        marked = (
            ChangeMilestone.update(done_on=day, updated_at=utcnow())
            .where(ChangeMilestone.id == row.id, ChangeMilestone.done_on.is_null())
            .execute()
        )
        if not marked:
            raise Conflict("milestone_done")
        Change.update(updated_at=utcnow()).where(Change.id == change.id).execute()
        audit: dict[str, Any] = {
            "milestone_id": {"before": None, "after": row.id},
            "done_on": {"before": None, "after": day.isoformat()},
        }
        if change.published_at is not None:
            audit["update_id"] = {"before": None, "after": _record_move(actor, change, "milestone", written, row.id)}
        record_audit(actor, "change.milestone_done", "change", change.id, audit)
    return get_milestone(milestone_id)
