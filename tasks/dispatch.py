"""Turn outbox events into deliveries after commit (and from a periodic sweep), then send each one."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from huey import crontab

from backend.context import set_request_id
from backend.db import connection
from backend.events.models import OutboxEvent
from backend.events.reactions import react
from backend.notifications.catalogue import STATUTORY_PRIORITY
from backend.notifications.registry import EVENTS
from backend.notifications.sending import recover_deliveries, send_delivery
from backend.notifications.services import due_deliveries, plan_deliveries, send_digests
from backend.timeutil import utcnow
from tasks.queue import huey

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
MAX_EVENT_ATTEMPTS = 10
SWEEP_SECONDS = 45


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
    """Make an event's deliveries, run its reactions and queue the deliveries to send now. Safe to run twice."""
    event = OutboxEvent.get_or_none(OutboxEvent.id == event_id)
    if event is None or event.dispatched_at is not None:
        return
    set_request_id(event.request_id)
    try:
        ready = plan_deliveries(event)
        react(event)  # what the event sets going besides its messages (each reaction is safe to run twice)
    except Exception:
        OutboxEvent.update(attempts=OutboxEvent.attempts + 1).where(OutboxEvent.id == event.id).execute()
        raise
    OutboxEvent.update(attempts=OutboxEvent.attempts + 1, dispatched_at=utcnow()).where(
        OutboxEvent.id == event.id
    ).execute()
    spec = EVENTS.get(event.name)
    priority = STATUTORY_PRIORITY if spec is not None and spec.statutory else 0
    for delivery_id in ready:
        deliver.call_local(delivery_id) if huey.immediate else deliver(delivery_id, priority=priority)


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
    """Re-dispatch events a crash left behind, send again what a dead worker left half-sent, and
    resend deliveries whose retry time has come (statutory ones first)."""
    recover_deliveries()
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
    # Work through due deliveries (a fan-out makes thousands) for most of the minute, then stop.
    started = time.monotonic()
    sent = 0
    while time.monotonic() - started < SWEEP_SECONDS and (due := due_deliveries()):
        for delivery_id in due:
            deliver.call_local(delivery_id)
        sent += len(due)
        if len(due) < 500:
            break
    return len(ids) + sent


@huey.task()
@with_connection
def recover_interrupted() -> int:
    """Run once as a worker starts: send again what a crash left half-sent (once its lease has run
    out) and dispatch the events whose dispatch was lost with the worker. Returns how many."""
    recovered = recover_deliveries()
    for delivery_id in recovered:
        deliver(delivery_id, priority=STATUTORY_PRIORITY)
    undispatched = (
        OutboxEvent.select(OutboxEvent.id)
        .where(OutboxEvent.dispatched_at.is_null(), OutboxEvent.attempts < MAX_EVENT_ATTEMPTS)
        .order_by(OutboxEvent.id)
        .limit(5000)
    )
    events = [row.id for row in undispatched]
    for event_id in events:
        dispatch_event(event_id)  # queued twice is harmless: dispatch is idempotent
    return len(recovered) + len(events)


def enqueue_dispatch(event_id: int) -> None:
    """Queue an event for dispatch (installed as the backend's after-commit dispatcher)."""
    dispatch_event(event_id)


@huey.periodic_task(crontab(hour="7", minute="0"))
@with_connection
def send_daily_digests() -> int:
    """At 7 in the morning, send each person who asked for it one message with the day's updates."""
    return _send_digests("daily")


@huey.periodic_task(crontab(day_of_week="1", hour="7", minute="0"))
@with_connection
def send_weekly_digests() -> int:
    """On Monday mornings, the week's updates in one message."""
    return _send_digests("weekly")


def _send_digests(frequency: str) -> int:
    ready = send_digests(frequency)
    for delivery_id in ready:
        deliver.call_local(delivery_id)
    return len(ready)
