"""Turn outbox events into deliveries, once each, after commit and from a periodic sweep."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from huey import crontab
from peewee import IntegrityError

from backend.accounts.models import User
from backend.config import current
from backend.context import set_request_id
from backend.db import connection, transaction
from backend.events.models import Delivery, OutboxEvent
from backend.notifications.mailer import build_message, send_message
from backend.timeutil import utcnow
from tasks.emails import compose
from tasks.queue import huey

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
MAX_ATTEMPTS = 5
ACCOUNT_EVENTS = frozenset(
    {
        "account.registered",
        "account.registration_repeated",
        "account.password_reset_requested",
        "account.invited",
        "account.password_changed",
    }
)


def with_connection(func: F) -> F:
    """Open a connection for the task unless one is already open (immediate mode), and close it."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with connection():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _claim(event: OutboxEvent, user_id: int, channel: str) -> Delivery | None:
    """Create (or find) the delivery for this event, recipient and channel; None if already sent."""
    key = f"{event.id}:{user_id}:{channel}"
    try:
        with transaction():
            return Delivery.create(event=event, idempotency_key=key, channel=channel, recipient_user_id=user_id)
    except IntegrityError:
        delivery = Delivery.get(Delivery.idempotency_key == key)
        return None if delivery.status == "sent" or delivery.attempts >= MAX_ATTEMPTS else delivery


def _send_account_email(event: OutboxEvent) -> bool:
    user = User.get_or_none(User.id == event.payload.get("user_id"))
    if user is None:
        return True
    composed = compose(event.name, user)
    if composed is None:
        return True
    delivery = _claim(event, user.id, "email")
    if delivery is None:
        return True
    email, lang = composed
    settings = current()
    message = build_message(settings, user.email, email.subject, email.text(), email.html(lang))
    try:
        send_message(settings, message)
    except Exception as error:  # noqa: BLE001 - a task boundary: record, retry from the sweep
        logger.exception("email delivery %s failed", delivery.id)
        Delivery.update(attempts=Delivery.attempts + 1, status="failed", last_error=type(error).__name__).where(
            Delivery.id == delivery.id
        ).execute()
        return False
    Delivery.update(attempts=Delivery.attempts + 1, status="sent", sent_at=utcnow()).where(
        Delivery.id == delivery.id
    ).execute()
    return True


@huey.task(retries=3, retry_delay=30)
@with_connection
def dispatch_event(event_id: int) -> None:
    """Make the deliveries for one event. Safe to run twice: a sent delivery is never resent."""
    event = OutboxEvent.get_or_none(OutboxEvent.id == event_id)
    if event is None or event.dispatched_at is not None:
        return
    set_request_id(event.request_id)
    done = True
    if event.name in ACCOUNT_EVENTS:
        done = _send_account_email(event)
    update: dict[Any, Any] = {OutboxEvent.attempts: OutboxEvent.attempts + 1}
    if done:
        update[OutboxEvent.dispatched_at] = utcnow()
    OutboxEvent.update(update).where(OutboxEvent.id == event.id).execute()


@huey.periodic_task(crontab(minute="*"))
@with_connection
def sweep_outbox() -> int:
    """Re-dispatch events a crash or an outage left behind. Returns how many were retried."""
    cutoff = utcnow() - dt.timedelta(seconds=30)
    pending = (
        OutboxEvent.select(OutboxEvent.id)
        .where(
            OutboxEvent.dispatched_at.is_null(),
            OutboxEvent.created_at <= cutoff,
            OutboxEvent.attempts < MAX_ATTEMPTS * 2,
        )
        .order_by(OutboxEvent.id)
        .limit(500)
    )
    ids = [row.id for row in pending]
    for event_id in ids:
        dispatch_event.call_local(event_id)
    return len(ids)


def enqueue_dispatch(event_id: int) -> None:
    """Queue an event for dispatch (installed as the backend's after-commit dispatcher)."""
    dispatch_event(event_id)
