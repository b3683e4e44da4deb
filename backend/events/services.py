"""Record outbox events in the caller's transaction and hand them to the dispatcher after commit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from backend.context import get_request_id
from backend.db import after_commit
from backend.events.models import OutboxEvent

_dispatcher: Callable[[int], None] | None = None


def set_dispatcher(dispatcher: Callable[[int], None] | None) -> None:
    """Install the callable that queues an event id for dispatch (the composition root does this)."""
    global _dispatcher
    _dispatcher = dispatcher


def record_event(name: str, payload: dict[str, Any]) -> OutboxEvent:
    """Write an outbox event in the current transaction; queue its dispatch once committed."""
    event = OutboxEvent.create(name=name, payload=payload, request_id=get_request_id())
    if _dispatcher is not None:
        dispatcher = _dispatcher
        after_commit(lambda: dispatcher(event.id))
    return event
