"""What an event sets going besides its own messages: a domain names a function to run when the event is dispatched.

A reaction takes the event's payload, is safe to run twice (a dispatch that fails is run again, and the periodic
sweep re-dispatches what a crash left behind), and records any messages it sends as outbox events of their own, so
each is delivered, retried and logged as every message is. Reactions register as their module is imported; the
domains' message modules are, by ``backend.notifications.registry``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from backend.events.models import OutboxEvent

Reaction = Callable[[Mapping[str, Any]], Any]
REACTIONS: dict[str, list[Reaction]] = {}


def reacts_to(name: str) -> Callable[[Reaction], Reaction]:
    """Run the decorated function with the payload of every ``name`` event as it is dispatched."""

    def register(function: Reaction) -> Reaction:
        REACTIONS.setdefault(name, []).append(function)
        return function

    return register


def react(event: OutboxEvent) -> int:
    """Run the event's reactions, in the order they registered; returns how many ran."""
    reactions = REACTIONS.get(event.name, [])
    for reaction in reactions:
        reaction(event.payload)
    return len(reactions)
