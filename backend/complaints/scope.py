"""The scope of a complaint (Code 5.7): which points are the landlord's to put right, and where the resident was
signposted for the others. Recorded for the current stage's points before its answer, which shows it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from backend.audit.services import record_audit
from backend.complaints import journey
from backend.complaints.models import ComplaintPoint, PointScope
from backend.context import Actor
from backend.db import transaction
from backend.errors import gather
from backend.text import clean
from backend.timeutil import utcnow

MAX_SIGNPOSTED_TO = 2_000


@dataclass(frozen=True)
class ScopeInput:
    point_id: int | None
    landlord_responsible: bool
    signposted_to: str = ""


def record_scope(actor: Actor, complaint_id: int, items: Sequence[ScopeInput]) -> list[PointScope]:
    """Record, for points of the current stage, whether each is the landlord's and where the resident was signposted.

    Open to staff once the stage is acknowledged and until it is answered. Points not listed keep what they had.
    Every problem is named at once and nothing changes: Invalid at ("points", i, "point_id"): "not_found" (a point
    that is not the current stage's, answered alike for another complaint's) or "duplicate"; at ("points", i,
    "signposted_to"): "required" (not the landlord's) or "too_long". Raises NotAllowed, NotFound or
    Conflict("closed", "already_responded", "not_acknowledged").
    """
    complaint = journey.complaint_for_step(actor, complaint_id, "record_scope")
    points = {
        point.id: point
        for point in ComplaintPoint.select().where(
            ComplaintPoint.complaint == complaint.id, ComplaintPoint.stage == complaint.stage
        )
    }
    seen: set[int] = set()
    cleaned: list[tuple[int, bool, str]] = []
    with gather() as problems:
        for index, item in enumerate(items):
            at = ("points", index)
            if item.point_id not in points:
                problems.add("point_id", "not_found", at=(*at, "point_id"))
            elif item.point_id in seen:
                problems.add("point_id", "duplicate", at=(*at, "point_id"))
            else:
                seen.add(item.point_id)
            where = clean(item.signposted_to)
            if not item.landlord_responsible and not where:
                problems.add("signposted_to", "required", at=(*at, "signposted_to"))
            elif len(where) > MAX_SIGNPOSTED_TO:
                problems.add("signposted_to", "too_long", at=(*at, "signposted_to"), maximum=MAX_SIGNPOSTED_TO)
            if item.point_id is not None:
                cleaned.append(
                    (item.point_id, bool(item.landlord_responsible), where if not item.landlord_responsible else "")
                )
    saved: list[PointScope] = []
    with transaction():
        complaint = journey.take_step(actor, complaint, "record_scope")
        for point_id, responsible, where in cleaned:
            scope = PointScope.get_or_none(PointScope.point == point_id)
            before = (
                {"landlord_responsible": scope.landlord_responsible, "signposted_to": scope.signposted_to}
                if scope is not None
                else {"landlord_responsible": True, "signposted_to": ""}
            )
            if scope is None:
                scope = PointScope(point=point_id)
            scope.landlord_responsible = responsible
            scope.signposted_to = where
            scope.recorded_by = actor.user_id  # type: ignore[assignment]
            scope.updated_at = utcnow()
            scope.save()
            after = {"landlord_responsible": responsible, "signposted_to": where}
            changes = {key: {"before": before[key], "after": after[key]} for key in after if before[key] != after[key]}
            if changes:
                record_audit(actor, "complaint_point.scope_recorded", "complaint_point", point_id, changes)
            saved.append(scope)
    return saved
