"""Turn outbox events into deliveries after commit (and from a periodic sweep), then send each one."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from huey import crontab

from backend.context import set_request_id
from backend.db import connection
from backend.events.models import OutboxEvent
from backend.notifications.services import due_deliveries, plan_deliveries, send_delivery
from backend.timeutil import utcnow
from tasks.queue import huey

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
MAX_EVENT_ATTEMPTS = 10


def with_connection(func: F) -> F:
    """Open a connection for the task unless one is already open (immediate mode), and close it."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with connection():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


@huey.task(retries=3, retry_delay=30)
@with_connection
def dispatch_event(event_id: int) -> None:
    """Make an event's deliveries and queue those to send now. Safe to run twice."""
    event = OutboxEvent.get_or_none(OutboxEvent.id == event_id)
    if event is None or event.dispatched_at is not None:
        return
    set_request_id(event.request_id)
    try:
        ready = plan_deliveries(event)
    except Exception:
        OutboxEvent.update(attempts=OutboxEvent.attempts + 1).where(OutboxEvent.id == event.id).execute()
        raise
    OutboxEvent.update(attempts=OutboxEvent.attempts + 1, dispatched_at=utcnow()).where(
        OutboxEvent.id == event.id
    ).execute()
    for delivery_id in ready:
        deliver.call_local(delivery_id) if huey.immediate else deliver(delivery_id)


@huey.task()
@with_connection
def deliver(delivery_id: int) -> None:
    """Send one delivery; after a bounce, queue the follow-up on the next channel."""
    follow_up = send_delivery(delivery_id)
    if follow_up is not None:
        deliver.call_local(follow_up) if huey.immediate else deliver(follow_up)


@huey.periodic_task(crontab(minute="*"))
@with_connection
def sweep_outbox() -> int:
    """Re-dispatch events a crash left behind and resend deliveries whose retry time has come."""
    cutoff = utcnow() - dt.timedelta(seconds=30)
    pending = (
        OutboxEvent.select(OutboxEvent.id)
        .where(
            OutboxEvent.dispatched_at.is_null(),
            OutboxEvent.created_at <= cutoff,
            OutboxEvent.attempts < MAX_EVENT_ATTEMPTS,
        )
        .order_by(OutboxEvent.id)
        .limit(500)
    )
    ids = [row.id for row in pending]
    for event_id in ids:
        dispatch_event.call_local(event_id)
    retried = due_deliveries()
    for delivery_id in retried:
        deliver.call_local(delivery_id)
    return len(ids) + len(retried)


def enqueue_dispatch(event_id: int) -> None:
    """Queue an event for dispatch (installed as the backend's after-commit dispatcher)."""
    dispatch_event(event_id)
