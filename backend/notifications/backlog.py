"""What is waiting to be sent: deliveries by status, and how long the oldest unsent one has waited.

Monitoring reads these at every scrape, so each is one aggregate query over indexed columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from peewee import SQL, Select, fn

from backend.events.models import Delivery, DeliveryStatus
from backend.notifications.sending import SENDABLE

#: Deliveries the system still means to send: waiting, being sent, or to be tried again.
UNSENT = (*SENDABLE, "sending")


def delivery_counts() -> dict[str, int]:
    """How many deliveries are in each status; every status is listed, with zero when none are in it."""
    counts = dict.fromkeys(DeliveryStatus.codes(), 0)
    # COUNT(*), not COUNT(id): PostgreSQL then reads only the status index, not the table.
    query = Delivery.select(Delivery.status, fn.COUNT(SQL("*")).alias("count")).group_by(Delivery.status)
    for row in cast(Iterable[dict[str, Any]], query.dicts()):
        counts[str(row["status"])] = int(row["count"])
    return counts


def oldest_unsent_at() -> dt.datetime | None:
    """When the oldest delivery still to be sent was planned (UTC), or None when nothing waits.

    One statement of one ``MIN`` per status, each an equality on the status index: with ``status IN (...)``
    SQLite's planner scans the whole table when nearly every row is sent.
    """
    firsts = [Delivery.select(fn.MIN(Delivery.created_at)).where(Delivery.status == status) for status in UNSENT]
    row = Select(columns=firsts).bind(Delivery._meta.database).tuples().get()  # type: ignore[attr-defined]
    moments = [Delivery.created_at.python_value(value) for value in row if value is not None]
    return min(moments, default=None)
