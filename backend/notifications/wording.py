"""The words of one message for one reader: the placeholder values, staff's wording (or the default), the
substance the system writes after it, and the call to action as it is stored (secret links marked)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.accounts.models import User
from backend.events.models import OutboxEvent
from backend.i18n import N_, translations
from backend.notifications.catalogue import EventSpec, Recipient
from backend.notifications.compose import action_text, call_to_action, details_for, with_details
from backend.notifications.people import PersonReader
from backend.notifications.templates import render

COPY_NOTE = N_("You are receiving a copy because %(name)s asked us to keep you informed as their representative.")
# A phone call reads out the whole message: the letter's wording.
WORDING_CHANNEL = {"call": "letter"}


def values_for(spec: EventSpec, payload: Mapping[str, Any], subject_user: User, reader: User, locale: str) -> dict:
    """The placeholder values for one reader: their name, and what the event's domain supplies."""
    values: dict[str, Any] = {"name": reader.display_name}
    if spec.context is not None:
        values.update(spec.context(payload, subject_user, locale))
    return values


def wording_for(
    event: OutboxEvent, spec: EventSpec, subject_user: User, reader: User, channel: str, locale: str
) -> tuple[str, str, str]:
    """The subject, wording and stored call to action (secret links marked) for one reader."""
    values = values_for(spec, event.payload, subject_user, reader, locale)
    subject, body = render(spec.name, WORDING_CHANNEL.get(channel, channel), locale, values)
    recipient = Recipient(spec.name, event.payload, subject_user, reader, channel, locale)
    body = with_details(body, details_for(spec.name, recipient), channel)
    return subject, body, action_text(call_to_action(spec, recipient), channel, reveal=False)


def person_wording_for(event: OutboxEvent, spec: EventSpec, person: PersonReader, channel: str) -> tuple[str, str, str]:
    """The wording for someone without an account. It has no call to action: its links open pages
    that need an account."""
    values: dict[str, Any] = {"name": person.display_name}
    if spec.context is not None:
        values.update(spec.context(event.payload, None, person.locale))
    subject, body = render(spec.name, WORDING_CHANNEL.get(channel, channel), person.locale, values)
    # The substance (points, decisions, dates, the Ombudsman) is theirs as much as an account holder's.
    recipient = Recipient(spec.name, event.payload, person, person, channel, person.locale)
    return subject, with_details(body, details_for(spec.name, recipient), channel), ""


def with_copy_note(body: str, subject_user: User, locale: str) -> str:
    """An advocate's copy, opening with whose message it is."""
    note = translations(locale).gettext(COPY_NOTE) % {"name": subject_user.display_name}
    return f"{note}\n\n{body}"
