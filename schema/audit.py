"""The audit trail, readable by managers and admins."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from backend.accounts.policies import can_view_audit
from backend.audit.models import AuditEvent as AuditEventModel
from schema.context import Context

MAX_PAGE = 100


@strawberry.type(description="One recorded change: who did what to which record, and what changed.")
class AuditEvent:
    id: strawberry.ID
    occurred_at: dt.datetime
    actor_label: str
    action: str
    entity_type: str
    entity_id: str
    changes: JSON
    request_id: str | None


@strawberry.type
class AuditEventPage:
    events: list[AuditEvent]
    next_before: int | None


@strawberry.type
class AuditQuery:
    @strawberry.field(
        description="Newest first. Pass `before` (an event id) for the next page. "
        "Empty for those who may not read the audit trail."
    )
    def audit_events(self, info: Info[Context, None], before: int | None = None, first: int = 50) -> AuditEventPage:
        if not can_view_audit(info.context.actor):
            return AuditEventPage(events=[], next_before=None)
        first = max(1, min(first, MAX_PAGE))
        query = AuditEventModel.select().order_by(AuditEventModel.id.desc()).limit(first + 1)
        if before is not None:
            query = query.where(AuditEventModel.id < before)
        rows = list(query)
        more = len(rows) > first
        rows = rows[:first]
        return AuditEventPage(
            events=[
                AuditEvent(
                    id=strawberry.ID(str(r.id)),
                    occurred_at=r.occurred_at,
                    actor_label=r.actor_label,
                    action=r.action,
                    entity_type=r.entity_type,
                    entity_id=r.entity_id,
                    changes=r.changes,
                    request_id=r.request_id,
                )
                for r in rows
            ],
            next_before=int(rows[-1].id) if more and rows else None,
        )
