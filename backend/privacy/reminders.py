"""The daily notice to the data protection officer of subject access requests due soon and overdue.

A request is in the notice when it is open and its deadline (the extended one, if any) is within
:data:`~backend.privacy.deadline.DUE_SOON_WORKING_DAYS` working days, or has passed. Each request is stamped with
the day it was last in a notice (``reminded_on``) by a conditional UPDATE, so a second run on the same day (or a
second worker) sends nothing more. With nobody named DPO, every administrator is told instead.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from backend.accounts.models import User, UserRole
from backend.db import transaction
from backend.events.services import record_event
from backend.privacy import access, deadline
from backend.privacy.messages import DUE_NOTICE
from backend.privacy.models import OPEN_STATUSES, SubjectAccessRequest
from backend.timeutil import local_date

logger = logging.getLogger(__name__)


def recipients() -> list[int]:
    """The DPO; every active administrator while nobody holds the role."""
    dpo = access.dpo_id()
    if dpo is not None:
        return [dpo]
    admins = User.select(User.id).join(UserRole, on=(UserRole.user == User.id))
    return sorted({user.id for user in admins.where(UserRole.role == "admin", User.is_active == True)})  # noqa: E712


def due_requests(today: dt.date) -> list[tuple[SubjectAccessRequest, int]]:
    """Open requests due within the warning window or overdue, with their working days left, soonest first."""
    found = []
    for request in SubjectAccessRequest.select().where(SubjectAccessRequest.status.in_(OPEN_STATUSES)):
        left = access.days_left(request, today)
        if left <= deadline.DUE_SOON_WORKING_DAYS:
            found.append((request, left))
    return sorted(found, key=lambda pair: (pair[1], pair[0].id))


def send_due_notice(today: dt.date | None = None) -> int:
    """Tell the DPO of requests due soon and overdue, once a day; return how many requests were in the notice."""
    today = today or local_date()
    people = recipients()
    if not people:
        return 0
    with transaction():
        listed: list[dict[str, Any]] = []
        for request, left in due_requests(today):
            claimed = (
                SubjectAccessRequest.update(reminded_on=today)
                .where(
                    SubjectAccessRequest.id == request.id,
                    (SubjectAccessRequest.reminded_on.is_null()) | (SubjectAccessRequest.reminded_on != today),
                )
                .execute()
            )
            if claimed:
                listed.append(
                    {"id": request.id, "deadline": access.current_deadline(request).isoformat(), "days_left": left}
                )
        if not listed:
            return 0
        overdue = sum(1 for item in listed if item["days_left"] < 0)
        for person in people:
            record_event(
                DUE_NOTICE, {"recipient_id": person, "day": today.isoformat(), "requests": listed, "overdue": overdue}
            )
    logger.info("subject access notice: %s requests", len(listed))
    return len(listed)
