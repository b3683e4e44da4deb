"""The panel's requests for evidence: asked with a due date, then supplied (linked to pack items) or declined.

A current member of the review's panel asks in the workspace; staff may ask on the panel's behalf (a request made
at a meeting or by phone). Staff answer: supplied, naming the pack items that answer it, or declined with the
reason. A daily sweep (``tasks/panels.py``) tells the panel's senior lead, once, of each request still open after
its due date (every manager when the panel has no senior lead), stamping ``escalated_at`` by a conditional UPDATE
so two workers tell them once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from backend.accounts.models import User
from backend.audit.services import record_audit
from backend.complaints.clocks import managers
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, NotAllowed, NotFound, gather
from backend.events.services import record_event
from backend.panels.access import visible_review
from backend.panels.models import EvidenceRequest, PackItem, Panel, RequestStatus, ScrutinyReview
from backend.panels.packs import check_text
from backend.panels.redaction import redact_for_panel
from backend.timeutil import local_date, utcnow

logger = logging.getLogger(__name__)
MAX_ASKED = 2_000
MAX_ANSWER = 5_000
#: How far ahead a due date may be: a review runs for months, not years.
MAX_DAYS_AHEAD = 366
MAX_ITEMS = 50


def _audit(actor: Actor, verb: str, request: EvidenceRequest, **changes: object) -> None:
    review_id = request.review_id  # type: ignore[attr-defined]
    written = {name: {"before": None, "after": value} for name, value in changes.items()}
    written["review_id"] = {"before": review_id, "after": review_id}
    record_audit(actor, f"evidence_request.{verb}", "evidence_request", request.id, written)


def visible_request(actor: Actor, request_id: int) -> EvidenceRequest:
    """The request, for staff or a current member of its review's panel; NotFound("EvidenceRequest") otherwise."""
    request = EvidenceRequest.get_or_none(EvidenceRequest.id == request_id) if 0 < request_id < 2**63 else None
    if request is None:
        raise NotFound("EvidenceRequest", request_id)
    try:
        visible_review(actor, request.review_id)  # type: ignore[attr-defined]
    except NotFound:
        raise NotFound("EvidenceRequest", request_id) from None
    return request


def ask_evidence(actor: Actor, review_id: int, asked: str, due_on: dt.date | None) -> EvidenceRequest:
    """Ask for evidence by a day (a current member of the review's panel, or staff for the panel).

    Raises NotAllowed (read-only tokens), NotFound("ScrutinyReview") alike for a review that is not there and one
    of another panel, or Invalid (``asked`` required/too_long; ``due_on`` required/in_past/too_far).
    """
    if not actor.can_write or actor.user_id is None:
        raise NotAllowed("evidence_request.ask")
    review = visible_review(actor, review_id)
    today = local_date()
    with gather() as problems:
        text = check_text(problems, "asked", asked, MAX_ASKED, required=True)
        if due_on is None:
            problems.add("due_on", "required")
        elif due_on < today:
            problems.add("due_on", "in_past")
        elif due_on > today + dt.timedelta(days=MAX_DAYS_AHEAD):
            problems.add("due_on", "too_far", maximum=MAX_DAYS_AHEAD)
    with transaction():
        request = EvidenceRequest.create(
            review=review.id, asked=text, asked_by=actor.user_id, asked_at=utcnow(), due_on=due_on
        )
        _audit(actor, "asked", request, asked=text, due_on=due_on)
        record_event("panels.evidence_asked", {"request_id": request.id, "review_id": review.id})
    return request


def _staff_request(actor: Actor, request_id: int, what: str) -> EvidenceRequest:
    if not actor.is_staff or not actor.can_write:
        raise NotAllowed(f"evidence_request.{what}")
    return visible_request(actor, request_id)


def _answer(actor: Actor, request: EvidenceRequest, status: str, answer: str) -> EvidenceRequest:
    answer = redact_for_panel(answer)  # members read it: staff, members and case references are taken out
    now = utcnow()
    moved = (
        EvidenceRequest.update(status=status, answer=answer, answered_by=actor.user_id, answered_at=now, updated_at=now)
        .where(EvidenceRequest.id == request.id, EvidenceRequest.status == RequestStatus.OPEN)
        .execute()
    )
    if moved != 1:
        raise Conflict("answered")
    return EvidenceRequest.get_by_id(request.id)


def supply_evidence(actor: Actor, request_id: int, item_ids: Sequence[int], answer: str = "") -> EvidenceRequest:
    """Record a request as supplied by the pack items given (staff); they must be items of the same review.

    Raises NotAllowed, NotFound("EvidenceRequest"), Invalid (``items`` required/too_many/not_in_pack, ``answer``
    too_long) or Conflict("answered").
    """
    request = _staff_request(actor, request_id, "supply")
    with gather() as problems:
        text = check_text(problems, "answer", answer, MAX_ANSWER)
        ids = list(dict.fromkeys(int(item) for item in item_ids))
        if not ids:
            problems.add("items", "required")
        elif len(ids) > MAX_ITEMS:
            problems.add("items", "too_many", maximum=MAX_ITEMS)
        elif PackItem.select().where(PackItem.id.in_(ids), PackItem.review == request.review_id).count() != len(ids):  # type: ignore[attr-defined]
            problems.add("items", "not_in_pack")
    with transaction():
        request = _answer(actor, request, RequestStatus.SUPPLIED, text)
        PackItem.update(request=request.id, updated_at=utcnow()).where(PackItem.id.in_(ids)).execute()
        _audit(actor, "supplied", request, items=ids, answer=text)
        record_event("panels.evidence_supplied", {"request_id": request.id, "review_id": request.review_id})  # type: ignore[attr-defined]
    return request


def decline_evidence(actor: Actor, request_id: int, reason: str) -> EvidenceRequest:
    """Record a request as declined, with the reason the panel reads (staff).

    Raises NotAllowed, NotFound("EvidenceRequest"), Invalid(``reason`` required/too_long) or Conflict("answered").
    """
    request = _staff_request(actor, request_id, "decline")
    with gather() as problems:
        text = check_text(problems, "reason", reason, MAX_ANSWER, required=True)
    with transaction():
        request = _answer(actor, request, RequestStatus.DECLINED, text)
        _audit(actor, "declined", request, answer=text)
        record_event("panels.evidence_declined", {"request_id": request.id, "review_id": request.review_id})  # type: ignore[attr-defined]
    return request


# --- Late requests -----------------------------------------------------------------------------------------------


def _senior_lead(request: EvidenceRequest) -> list[int]:
    """The panel's senior lead; every manager when it has none (or they are no longer active)."""
    review = ScrutinyReview.get_by_id(request.review_id)  # type: ignore[attr-defined]
    panel = Panel.get_by_id(review.panel_id)  # type: ignore[attr-defined]
    lead = User.get_or_none(User.id == panel.senior_lead_id) if panel.senior_lead_id else None  # type: ignore[attr-defined]
    if lead is not None and lead.is_active:
        return [lead.id]
    return [user.id for user in managers()]


def escalate_late_requests(today: dt.date | None = None, limit: int = 1000) -> int:
    """Tell each panel's senior lead, once, of every request still open after its due date; return how many.

    Safe to run as often as wanted, by several workers at once.
    """
    today = today or local_date()
    late = list(
        EvidenceRequest.select()
        .where(
            EvidenceRequest.status == RequestStatus.OPEN,
            EvidenceRequest.due_on < today,
            EvidenceRequest.escalated_at.is_null(),
        )
        .order_by(EvidenceRequest.due_on, EvidenceRequest.id)
        .limit(limit)
    )
    told = 0
    for request in late:
        with transaction():
            moved = (
                EvidenceRequest.update(escalated_at=utcnow())
                .where(
                    EvidenceRequest.id == request.id,
                    EvidenceRequest.escalated_at.is_null(),
                    EvidenceRequest.status == RequestStatus.OPEN,
                )
                .execute()
            )
            if moved != 1:  # another worker told them, or it was answered meanwhile
                continue
            review = ScrutinyReview.get_by_id(request.review_id)  # type: ignore[attr-defined]
            for person in dict.fromkeys(_senior_lead(request)):
                record_event(
                    "panels.evidence_request_late",
                    {
                        "recipient_id": person,
                        "request_id": request.id,
                        "review_id": review.id,
                        "reference": review.reference,
                        "due_on": request.due_on.isoformat(),
                    },
                )
            told += 1
    if told:
        logger.info("late evidence requests escalated: %s", told)
    return told
