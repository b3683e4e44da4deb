"""Name the contractor a complaint, and each of its points, is about (Code 5.4-5.5; MCHP Part 4 paragraphs 8, 15).

The landlord stays responsible for complaints about its contractors' work and handles them within its own stages;
naming the contractor lets reports count and group complaints by contractor. The contractors themselves are a list
managed in the settings (``contractorCreate``, ``contractorArchive``: a record, see ``schema.complaints``).
"""

from __future__ import annotations

from collections.abc import Sequence

from backend.audit.services import field_changes, record_audit
from backend.complaints import restricted
from backend.complaints.models import Complaint, ComplaintPoint, Contractor
from backend.complaints.policies import HANDLER_ROLES
from backend.context import Actor
from backend.db import transaction
from backend.errors import NotAllowed, gather
from backend.timeutil import utcnow

MAX_POINTS = 100


def _usable(contractor_id: int | None, current: int | None) -> bool:
    """An existing contractor not archived; one already named on this record may stay even if archived since."""
    if contractor_id is None or contractor_id == current:
        return True
    return Contractor.select().where(Contractor.id == contractor_id, Contractor.archived_at.is_null()).exists()


def set_contractors(
    actor: Actor,
    complaint_id: int,
    contractor_id: int | None,
    points: Sequence[tuple[int, int | None]] = (),
) -> Complaint:
    """Name the contractor of the complaint (None: none) and of the points given, as (point id, contractor id).

    Open to staff whatever the complaint's state, as a record can be corrected after it closed. Points not given
    keep theirs. Raises NotAllowed (not staff, or a read-only token), NotFound (no such complaint), or Invalid
    listing every problem at once: ``contractor_id`` and each ``points[i].contractor_id`` "not_found" for a
    contractor that is not there or is archived; ``points[i].point_id`` "not_found" for a point of another
    complaint or none, "duplicate" for a point named twice. Nothing changes when refused.
    """
    if not actor.can_write or not actor.has_role(*HANDLER_ROLES):
        raise NotAllowed("complaint.contractors")
    complaint = restricted.visible_complaint(actor, complaint_id)  # hidden answers like not there
    own = {p.id: p for p in ComplaintPoint.select().where(ComplaintPoint.complaint == complaint.id)}
    with gather() as problems:
        if not _usable(contractor_id, complaint.contractor_id):  # type: ignore[attr-defined]
            problems.add("contractor_id", "not_found")
        if len(points) > MAX_POINTS:
            problems.add("points", "too_many", maximum=MAX_POINTS)
        seen: set[int] = set()
        for index, (point_id, chosen) in enumerate(points):
            if point_id not in own:
                problems.add("points", "not_found", at=("points", index, "point_id"))
            elif point_id in seen:
                problems.add("points", "duplicate", at=("points", index, "point_id"))
            elif not _usable(chosen, own[point_id].contractor_id):  # type: ignore[attr-defined]
                problems.add("points", "not_found", at=("points", index, "contractor_id"))
            seen.add(point_id)
    before = {"contractor_id": complaint.contractor_id}  # type: ignore[attr-defined]
    with transaction():
        complaint.contractor = contractor_id  # type: ignore[assignment]
        point_changes = {}
        for point_id, chosen in points:
            was = own[point_id].contractor_id  # type: ignore[attr-defined]
            if was != chosen:
                ComplaintPoint.update(contractor=chosen).where(ComplaintPoint.id == point_id).execute()
                point_changes[f"point_{point_id}_contractor_id"] = {"before": was, "after": chosen}
        complaint.updated_at = utcnow()
        complaint.save()
        record_audit(
            actor,
            "complaint.contractors_named",
            "complaint",
            complaint.id,
            {**field_changes(before, {"contractor_id": contractor_id}), **point_changes},
        )
    return complaint
