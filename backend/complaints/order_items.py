"""An Ombudsman order's own record: checking one and writing it with its audit entry (used by the journey's
determination and by ``orders``)."""

from __future__ import annotations

import datetime as dt

from backend.audit.services import field_changes, record_audit
from backend.complaints.models import Complaint, OmbudsmanOrder
from backend.context import Actor
from backend.errors import gather
from backend.text import clean
from backend.timeutil import local_date, utcnow

MAX_ORDER = 4_000
# An order's date is the Ombudsman's; this bounds the input, not the law.
LONGEST_ORDER = dt.timedelta(days=5 * 366)


def order_values(order: OmbudsmanOrder) -> dict[str, object]:
    """What the audit trail records of an order."""
    return {
        "text": order.text,
        "due_on": order.due_on,
        "evidence": order.evidence,
        "complied_on": order.complied_on,
    }


def check_order(text: str | None, due_on: dt.date | None, text_field: str = "text", due_field: str = "due_on") -> str:
    """The order's text, stripped, once it and its due date are usable; raise Invalid listing every problem."""
    cleaned = clean(text)
    with gather() as problems:
        if not cleaned:
            problems.add(text_field, "required")
        elif len(cleaned) > MAX_ORDER:
            problems.add(text_field, "too_long", maximum=MAX_ORDER)
        if due_on is None:
            problems.add(due_field, "required")
        elif due_on > local_date() + LONGEST_ORDER:
            problems.add(due_field, "too_far", about="promise")
    return cleaned


def create_order(actor: Actor, complaint: Complaint, text: str, due_on: dt.date) -> OmbudsmanOrder:
    """Inside the caller's transaction: write the order and its audit entry."""
    order = OmbudsmanOrder.create(
        complaint=complaint.id, text=text, due_on=due_on, recorded_by=actor.user_id, created_at=utcnow()
    )
    record_audit(
        actor, "ombudsman_order.recorded", "ombudsman_order", order.id, field_changes(None, order_values(order))
    )
    return order
