"""One event sent to many people: deliveries rendered and queued per second, and peak memory."""

from __future__ import annotations

import time
import tracemalloc
from typing import Any

from backend.accounts.models import User, UserRole
from backend.db import db
from backend.events.models import OutboxEvent
from backend.notifications.services import plan_fanout

FANOUT_TARGET_PER_SECOND = 1000


def recipients(limit: int) -> Any:
    """Stream resident ids from the database, a page at a time (never all in memory)."""
    last = 0
    fetched = 0
    while fetched < limit:
        page = [
            row[0]
            for row in (
                User.select(User.id)
                .join(UserRole, on=UserRole.user == User.id)
                .where(UserRole.role == "resident", User.id > last)
                .order_by(User.id)
                .limit(min(1000, limit - fetched))
                .tuples()
            )
        ]
        if not page:
            return
        yield from page
        fetched += len(page)
        last = page[-1]


def measure_fanout(count: int = 20_000) -> dict[str, Any]:
    """Plan one event's deliveries for ``count`` residents inside a transaction that is rolled back."""
    shared = {"reference": "LL-2026-BENCH", "days": "5", "link": "https://example.org/"}
    with db.atomic() as transaction:
        event = OutboxEvent.create(name="feedback.received", payload={"broadcast": True})
        tracemalloc.start()
        started = time.perf_counter()
        made = plan_fanout(event, recipients(count), shared)
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        transaction.rollback()
    return {
        "recipients": made,
        "seconds": round(seconds, 2),
        "per_second": round(made / seconds) if seconds else 0,
        "peak_memory_mib": round(peak / 2**20, 1),
        "target_per_second": FANOUT_TARGET_PER_SECOND,
    }
