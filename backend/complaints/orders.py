"""The Ombudsman's orders on a complaint, one item each: the order, its due date, the evidence and compliance.

An order is recorded (by itself, or with the determination) with the date the Ombudsman set, and is swept like a
remedy (``promises``): the handler and their manager hear before and after it falls due until staff record the
date it was complied with and the evidence sent to the Ombudsman.
"""

from __future__ import annotations

import datetime as dt

from backend.audit.services import field_changes, record_audit
from backend.complaints import journey, steps
from backend.complaints.models import Complaint, OmbudsmanOrder
from backend.complaints.order_items import check_order, create_order, order_values
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, NotFound, gather
from backend.text import clean
from backend.timeutil import local_date, utcnow

MAX_EVIDENCE = 10_000


def record_order(actor: Actor, complaint_id: int, text: str, due_on: dt.date | None) -> OmbudsmanOrder:
    """Record one thing the Ombudsman ordered on a referred complaint, with the date it is due.

    Raises NotAllowed, NotFound (also for a complaint the actor may not see), Invalid listing every problem
    ("text" required or too long, "due_on" required or too far) or Conflict("not_referred").
    """
    complaint = journey.complaint_for_step(actor, complaint_id, "record_order")
    text = check_order(text, due_on)
    with transaction():
        complaint = journey.take_step(actor, complaint, "record_order")
        order = create_order(actor, complaint, text, due_on)  # type: ignore[arg-type]
    return order


def record_compliance(actor: Actor, order_id: int, complied_on: dt.date | None, evidence: str) -> OmbudsmanOrder:
    """Record the date an Ombudsman order was complied with and the evidence; it leaves the overdue sweep.

    Raises NotAllowed, NotFound("ombudsman_order") (also for one on a complaint the actor may not see),
    Invalid listing every problem ("complied_on" required or in the future;
    "evidence" required or too long) or Conflict("already_complied").
    """
    steps.require_role(actor, "record_compliance")
    order = OmbudsmanOrder.get_or_none(OmbudsmanOrder.id == order_id)
    if order is None:
        raise NotFound("ombudsman_order", order_id)
    complaint = Complaint.get_by_id(order.complaint_id)  # type: ignore[attr-defined]
    steps.require_step(actor, complaint, "record_compliance")
    if order.complied_on is not None:
        raise Conflict("already_complied")
    with gather() as problems:
        if complied_on is None:
            problems.add("complied_on", "required")
        elif complied_on > local_date():
            problems.add("complied_on", "in_future")
        if not clean(evidence):
            problems.add("evidence", "required", about="ombudsman_order")
        else:
            with problems.check():
                evidence = journey.text("evidence", evidence, MAX_EVIDENCE)
    before = order_values(order)
    with transaction():
        journey.take_step(actor, complaint, "record_compliance")
        # Only one of two people recording it at once does: the other is told it is already done.
        done = (
            OmbudsmanOrder.update(
                complied_on=complied_on, evidence=evidence, complied_by=actor.user_id, updated_at=utcnow()
            )
            .where(OmbudsmanOrder.id == order.id, OmbudsmanOrder.complied_on.is_null())
            .execute()
        )
        if done != 1:
            raise Conflict("already_complied")
        order = OmbudsmanOrder.get_by_id(order.id)
        record_audit(
            actor, "ombudsman_order.complied", "ombudsman_order", order.id, field_changes(before, order_values(order))
        )
    return order
