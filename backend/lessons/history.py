"""A lesson's own history, from the audit trail: who did what, and when, to the lesson and to its actions.

The trail keeps a lesson's changes (and those of its sources, causes, learning types and theme links) under entity
"lesson" and the lesson's id, and each action's under entity "improvement_action" and the action's id (the
actions' services also put ``lesson_id`` in the changes). An anonymous speak-up note's entry names nobody.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from peewee import Cast, fn

from backend.accounts.models import User
from backend.audit.models import AuditEvent
from backend.lessons.models import ImprovementAction, Lesson

#: The most entries the lesson page shows, newest first.
MAX_ENTRIES = 500


@dataclass(frozen=True)
class HistoryEntry:
    """One change: when, who (None: nobody named, such as the system or an anonymous note), what, and the fields."""

    occurred_at: dt.datetime
    actor_name: str | None
    action: str
    entity_type: str
    entity_id: str
    changes: dict[str, Any]


def lesson_history(lesson_id: int, limit: int = MAX_ENTRIES) -> list[HistoryEntry]:
    """The lesson's history, newest first, at most ``limit`` entries; empty for a lesson not there.

    Only this lesson's own life: no entry from before it was recorded, nor one at or before an earlier lesson of the
    same id was deleted. Ids are not given twice (migration 0033), so this is a guard for rows written by hand or
    brought back from elsewhere: another lesson's entries, perhaps naming people, must never show on this one.
    """
    lesson = Lesson.get_or_none(Lesson.id == lesson_id)
    if lesson is None:
        return []
    actions = ImprovementAction.select(Cast(ImprovementAction.id, "TEXT")).where(ImprovementAction.lesson == lesson_id)
    own = (AuditEvent.entity_type == "lesson") & (AuditEvent.entity_id == str(lesson_id))
    ended = AuditEvent.select(fn.MAX(AuditEvent.id)).where(own, AuditEvent.action == "lesson.deleted").scalar()
    query = (
        AuditEvent.select()
        .where(
            (own | ((AuditEvent.entity_type == "improvement_action") & AuditEvent.entity_id.in_(actions))),
            AuditEvent.occurred_at >= lesson.created_at,
        )
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    if ended is not None:
        query = query.where(AuditEvent.id > ended)
    rows = list(query)
    names = {
        user.id: user.display_name
        for user in User.select(User.id, User.display_name).where(
            User.id.in_({row.actor_user_id for row in rows if row.actor_user_id is not None})
        )
    }
    return [
        HistoryEntry(
            occurred_at=row.occurred_at,
            actor_name=names.get(row.actor_user_id) if row.actor_user_id is not None else None,
            action=row.action,
            entity_type=row.entity_type,
            entity_id=row.entity_id,
            changes=dict(row.changes or {}),
        )
        for row in rows
    ]
