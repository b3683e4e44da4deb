"""Promises kept: tell people before and after a remedy, an outstanding action or an Ombudsman order falls due.

An hourly sweep finds every promise not yet done whose due date is near or past. Each is told about once before
it falls due (``promise_warning_days`` UK working days before, a setting) and once after, never more: the stamp
(``due_soon_notified_at``, ``overdue_notified_at``) is set by a conditional UPDATE, so two workers sweeping at
once tell people once. Marking a promise done (or an order complied with) takes it out of the sweep.

Who is told: the promise's owner (remedies and actions have one), the complaint's handler and the handler's line
manager. A complaint nobody handles (a new stage not yet assigned) tells every manager, as the clocks do.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from backend import config
from backend.accounts.models import User
from backend.complaints.clocks import managers
from backend.complaints.models import Complaint, OmbudsmanOrder, OutstandingAction, Remedy
from backend.db import transaction
from backend.events.services import record_event
from backend.timeutil import local_date, utcnow
from backend.workdays import working_days_between

logger = logging.getLogger(__name__)
# The kinds of promise the sweep follows, by the word its notices use for each.
KINDS: tuple[tuple[str, Any], ...] = (("remedy", Remedy), ("action", OutstandingAction), ("order", OmbudsmanOrder))


@dataclass(frozen=True)
class Due:
    """One promise the sweep found: what it is, its row, and whether it is overdue (else due soon)."""

    kind: str
    row: Any
    overdue: bool


def _open(model: Any) -> Any:
    """The condition for a promise still to be kept."""
    if model is OmbudsmanOrder:
        return OmbudsmanOrder.complied_on.is_null()
    return model.completed_at.is_null()


def _candidates(today: dt.date, warning_days: int, limit: int) -> Iterator[Due]:
    # A generous calendar horizon: working days never stretch beyond twice their number plus the longest holiday.
    horizon = today + dt.timedelta(days=2 * warning_days + 14)
    for kind, model in KINDS:
        rows = (
            model.select(model, Complaint)
            .join(Complaint)
            .where(
                _open(model),
                model.due_on.is_null(False),
                model.due_on <= horizon,
                model.overdue_notified_at.is_null(),
            )
            .order_by(model.due_on, model.id)
            .limit(limit)
        )
        for row in rows:
            if today > row.due_on:
                yield Due(kind, row, overdue=True)
            elif row.due_soon_notified_at is None and _due_soon(row, today, warning_days):
                yield Due(kind, row, overdue=False)


def _due_soon(row: Any, today: dt.date, warning_days: int) -> bool:
    return working_days_between(today, row.due_on, row.complaint.nation) <= warning_days


def sweep_promises(today: dt.date | None = None, limit: int = 1000) -> dict[str, int]:
    """Tell the owner, the handler and the handler's manager of each promise falling due or overdue, once each.

    Safe to run as often as wanted, by several workers at once. Returns how many promises were newly told of each
    kind: {"due_soon": n, "overdue": n}.
    """
    today = today or local_date()
    warning_days = config.current().promise_warning_days
    told = {"due_soon": 0, "overdue": 0}
    for found in list(_candidates(today, warning_days, limit)):
        stamp = "overdue_notified_at" if found.overdue else "due_soon_notified_at"
        model = type(found.row)
        field = getattr(model, stamp)
        with transaction():
            # Only the worker whose UPDATE stamps the row tells anyone.
            won = model.update({field: utcnow()}).where(model.id == found.row.id, field.is_null()).execute()
            if won != 1:
                continue
            _notify(found)
        told["overdue" if found.overdue else "due_soon"] += 1
    if told["due_soon"] or told["overdue"]:
        logger.info("promise sweep: %s due soon, %s overdue", told["due_soon"], told["overdue"])
    return told


def recipients(complaint: Complaint, owner_id: int | None) -> list[int]:
    """The owner, the complaint's handler and the handler's line manager, each once; every manager if no handler."""
    people: list[int] = [owner_id] if owner_id else []
    handler = User.get_or_none(User.id == complaint.handler_id) if complaint.handler_id else None  # type: ignore[attr-defined]
    if handler is not None:
        people += [handler.id] + ([handler.manager_id] if handler.manager_id else [])  # type: ignore[attr-defined]
    else:
        people += [user.id for user in managers()]
    return list(dict.fromkeys(people))


def _notify(found: Due) -> None:
    row = found.row
    complaint = row.complaint
    event = "complaint.promise_overdue" if found.overdue else "complaint.promise_due_soon"
    what = row.text if found.kind == "order" else row.description
    for person in recipients(complaint, getattr(row, "owner_id", None)):
        record_event(
            event,
            {
                "recipient_id": person,
                "complaint_id": complaint.id,
                "reference": complaint.reference,
                "stage": complaint.stage,
                "promise": found.kind,
                "promise_id": row.id,
                "description": what[:200],
                "due_on": row.due_on.isoformat(),
            },
        )
