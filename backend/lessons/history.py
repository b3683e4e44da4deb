"""A lesson's own history, from the audit trail: who did what, and when, to the lesson and to its actions.

The trail keeps a lesson's changes (and those of its sources, causes, learning types and theme links) under entity
"lesson" and the lesson's id, and each action's under entity "improvement_action" and the action's id (the
actions' services also put ``lesson_id`` in the changes). An anonymous speak-up note's entry names nobody.
"""

from __future__ import annotations

import ast
import datetime as dt
from dataclasses import dataclass
from typing import Any

from peewee import Cast, fn

from backend.accounts.models import User
from backend.audit.models import AuditEvent
from backend.complaints.restricted import hidden_complaints, hidden_contacts
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


#: The entries that record one source, under "source", as ``backend.lessons.sources.describe`` gives it.
ONE_SOURCE = frozenset({"lesson.source_added", "lesson.source_removed"})


@dataclass(frozen=True)
class Hidden:
    """The cases hidden from the person reading: their complaints' and contacts' ids."""

    complaints: frozenset[int] = frozenset()
    contacts: frozenset[int] = frozenset()

    def covers(self, source: Any) -> bool:
        """Whether a source as the trail describes it is about one of these cases: a mapping, or the text the audit
        trail keeps of one inside a list (``backend.audit.services`` writes a list's mappings as their Python text)."""
        if isinstance(source, str) and source.startswith("{"):
            try:
                source = ast.literal_eval(source)
            except (ValueError, SyntaxError):
                return False
        return isinstance(source, dict) and (
            source.get("complaint_id") in self.complaints or source.get("contact_id") in self.contacts
        )


def hidden_for(user_id: int | None) -> Hidden:
    """The cases hidden from this member of staff (``backend.complaints.restricted``)."""
    return Hidden(
        frozenset(int(row_id) for (row_id,) in hidden_complaints(user_id).tuples()),
        frozenset(int(row_id) for (row_id,) in hidden_contacts(user_id).tuples()),
    )


def _shown(action: str, changes: dict[str, Any], hidden: Hidden) -> dict[str, Any] | None:
    """The entry's changes as the reader may see them: None when the entry is about a hidden case's source; a
    lesson's sources listed without those of hidden cases."""
    if not hidden.complaints and not hidden.contacts:
        return changes
    if action in ONE_SOURCE:
        change = changes.get("source") or {}
        if hidden.covers(change.get("before")) or hidden.covers(change.get("after")):
            return None
    listed = changes.get("sources")
    if isinstance(listed, dict):
        changes = {
            **changes,
            "sources": {
                side: [s for s in value if not hidden.covers(s)] if isinstance(value, list) else value
                for side, value in listed.items()
            },
        }
    return changes


def lesson_history(lesson_id: int, limit: int = MAX_ENTRIES, hidden: Hidden | None = None) -> list[HistoryEntry]:
    """The lesson's history, newest first, at most ``limit`` entries; empty for a lesson not there.

    Only this lesson's own life: no entry from before it was recorded (an anonymous note's lesson is timed by its
    UK day, as its entries are), nor one at or before an earlier
    lesson of the same id was deleted. Ids are not given twice (migration 0033), so this is a guard for rows written
    by hand or brought back from elsewhere: another lesson's entries, perhaps naming people, must never show on
    this one. ``hidden``: the cases hidden from the reader; entries about their sources are left out, as the
    sources are.
    """
    hidden = hidden or Hidden()
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
    entries = []
    for row in rows:
        changes = _shown(row.action, dict(row.changes or {}), hidden)
        if changes is None:
            continue
        entries.append(
            HistoryEntry(
                occurred_at=row.occurred_at,
                actor_name=names.get(row.actor_user_id) if row.actor_user_id is not None else None,
                action=row.action,
                entity_type=row.entity_type,
                entity_id=row.entity_id,
                changes=changes,
            )
        )
    return entries
