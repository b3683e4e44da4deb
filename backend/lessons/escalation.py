"""Overdue escalation of improvement actions: the owner, then the owner's line manager, and a daily digest for
senior managers.

A periodic sweep (``tasks/lessons.py``) follows every authorised action not yet done:

- its owner is told once when it falls due soon (``LEARNLOOP_ACTION_WARNING_DAYS`` UK days before), and once
  when it is overdue;
- the owner's line manager (``User.manager``) is told once when it is ``LEARNLOOP_ACTION_ESCALATION_DAYS`` days
  overdue (every manager when the owner has no line manager);
- each senior manager (the named role ``senior_manager``, held by someone who is still a manager) gets one digest
  a day listing every overdue action.
  ``ActionDigest`` rows record who got which action on which day; the first row a sweep writes for a person on a
  day claims that day's digest, so two workers sweeping at once send it once.

Each notice is stamped by a conditional UPDATE (``due_soon_notified_at``, ``overdue_notified_at``,
``overdue_escalated_at``), so the sweep is safe to run any number of times. Moving an action's due date clears
the stamps: people are told again about the new date.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from peewee import IntegrityError

from backend import config
from backend.accounts.models import User
from backend.complaints import roles
from backend.complaints.clocks import managers
from backend.db import transaction
from backend.events.services import record_event
from backend.lessons.actions import OPEN
from backend.lessons.models import ActionDigest, ImprovementAction, Lesson
from backend.timeutil import local_date, utcnow

logger = logging.getLogger(__name__)
SENIOR_MANAGER = "senior_manager"


def _payload(action: ImprovementAction, recipient_id: int, **extra: Any) -> dict[str, Any]:
    lesson = Lesson.get_by_id(action.lesson_id)  # type: ignore[attr-defined]
    return {
        "recipient_id": recipient_id,
        "action_id": action.id,
        "lesson_id": lesson.id,
        "reference": lesson.reference,
        "title": action.title[:200],
        "due_on": action.due_on.isoformat() if action.due_on else None,
        **extra,
    }


def _stamp(action: ImprovementAction, stamp: str) -> bool:
    """Set the notice stamp if nobody else has: only the worker whose UPDATE moves the row tells anyone."""
    field = getattr(ImprovementAction, stamp)
    moved = (
        ImprovementAction.update({field: utcnow()})
        .where(ImprovementAction.id == action.id, field.is_null(), ImprovementAction.status.in_(OPEN))
        .execute()
    )
    return moved == 1


def _owner_or_managers(action: ImprovementAction) -> list[int]:
    owner = User.get_or_none(User.id == action.owner_id) if action.owner_id else None  # type: ignore[attr-defined]
    if owner is not None and owner.is_active:
        return [owner.id]
    return [user.id for user in managers()]


def _line_manager(action: ImprovementAction) -> list[int]:
    """The owner's line manager; every manager when the owner has none (or it is no longer active)."""
    owner = User.get_or_none(User.id == action.owner_id) if action.owner_id else None  # type: ignore[attr-defined]
    boss = User.get_or_none(User.id == owner.manager_id) if owner and owner.manager_id else None  # type: ignore[attr-defined]
    if boss is not None and boss.is_active:
        return [boss.id]
    return [user.id for user in managers() if owner is None or user.id != owner.id]


def _tell(event: str, action: ImprovementAction, people: list[int]) -> None:
    for person in dict.fromkeys(people):
        record_event(event, _payload(action, person))


def overdue_actions(today: dt.date, limit: int = 1000) -> list[ImprovementAction]:
    """The actions still to be done whose due date has passed, oldest due first."""
    return list(
        ImprovementAction.select()
        .where(ImprovementAction.status.in_(OPEN), ImprovementAction.due_on < today)
        .order_by(ImprovementAction.due_on, ImprovementAction.id)
        .limit(limit)
    )


def sweep_actions(today: dt.date | None = None, limit: int = 1000) -> dict[str, int]:
    """Tell owners, their line managers and senior managers about actions due soon and overdue, once each.

    Safe to run as often as wanted, by several workers at once. Returns how many notices went out of each kind:
    ``{"due_soon": n, "overdue": n, "escalated": n, "digests": n}``.
    """
    today = today or local_date()
    settings = config.current()
    told = {"due_soon": 0, "overdue": 0, "escalated": 0, "digests": 0}
    horizon = today + dt.timedelta(days=settings.action_warning_days)
    candidates = list(
        ImprovementAction.select()
        .where(
            ImprovementAction.status.in_(OPEN),
            ImprovementAction.due_on.is_null(False),
            ImprovementAction.due_on <= horizon,
            ImprovementAction.overdue_escalated_at.is_null(),
        )
        .order_by(ImprovementAction.due_on, ImprovementAction.id)
        .limit(limit)
    )
    escalate_after = max(1, settings.action_escalation_days)
    for action in candidates:
        due = action.due_on
        if due is None:  # the query leaves these out
            continue
        if due >= today:
            if action.due_soon_notified_at is None and action.overdue_notified_at is None:
                with transaction():
                    if _stamp(action, "due_soon_notified_at"):
                        _tell("lessons.action_due_soon", action, _owner_or_managers(action))
                        told["due_soon"] += 1
            continue
        if action.overdue_notified_at is None:
            with transaction():
                if _stamp(action, "overdue_notified_at"):
                    _tell("lessons.action_overdue", action, _owner_or_managers(action))
                    told["overdue"] += 1
        if (today - due).days >= escalate_after:
            with transaction():
                if _stamp(action, "overdue_escalated_at"):
                    _tell("lessons.action_escalated", action, _line_manager(action))
                    told["escalated"] += 1
    told["digests"] = send_digests(today, limit)
    if any(told.values()):
        logger.info("action sweep: %s", told)
    return told


def send_digests(today: dt.date, limit: int = 1000) -> int:
    """Give each senior manager one digest today listing every overdue action; return how many were sent."""
    overdue = overdue_actions(today, limit)
    if not overdue:
        return 0
    sent = 0
    for person in roles.senior_managers(today):
        if ActionDigest.select().where(ActionDigest.recipient == person.id, ActionDigest.day == today).exists():
            continue
        try:
            with transaction():
                ActionDigest.insert_many(
                    [{"action": action.id, "recipient": person.id, "day": today} for action in overdue]
                ).execute()
                record_event(
                    "lessons.action_overdue_digest",
                    {"recipient_id": person.id, "day": today.isoformat(), "action_ids": [a.id for a in overdue]},
                )
        except IntegrityError:  # another worker wrote today's digest for this person first
            continue
        sent += 1
    return sent
