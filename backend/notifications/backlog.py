"""What is waiting to be sent: deliveries by status, and how long the oldest unsent one has waited.

Monitoring reads these at every scrape, so each is one aggregate query over indexed columns.
"""

from __future__ import annotations

import datetime as dt

from peewee import SQL, fn

from backend.events.models import Delivery, DeliveryStatus
from backend.notifications.sending import SENDABLE

#: Deliveries the system still means to send: waiting, being sent, or to be tried again.
UNSENT = (*SENDABLE, "sending")


def delivery_counts() -> dict[str, int]:
    """How many deliveries are in each status; every status is listed, with zero when none are in it."""
    counts = dict.fromkeys(DeliveryStatus.codes(), 0)
    # COUNT(*), not COUNT(id): PostgreSQL then reads only the status index, not the table.
    query = Delivery.select(Delivery.status, fn.COUNT(SQL("*")).alias("count")).group_by(Delivery.status)
    for row in query.dicts():
        counts[str(row["status"])] = int(row["count"])
    return counts


def oldest_unsent_at() -> dt.datetime | None:
    """When the oldest delivery still to be sent was planned (UTC), or None when nothing waits."""
    oldest = (
        Delivery.select(Delivery.created_at)
        .where(Delivery.status.in_(UNSENT))
        .order_by(Delivery.created_at)
        .first()
    )
    return None if oldest is None else oldest.created_at
