"""Show staff exactly what a step will send before they take it.

The step runs for real inside a transaction that is then rolled back: every check the service makes
applies, and the message is composed from what the step would have stored, by the same code that
composes it when the step is taken. Nothing is kept and nothing is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from backend.accounts.models import User
from backend.complaints import signoff
from backend.complaints.models import Complaint, Contact, ContactPerson
from backend.db import transaction
from backend.events.models import OutboxEvent
from backend.i18n import locale_for
from backend.notifications import people, preferences
from backend.notifications.catalogue import Recipient
from backend.notifications.compose import Composed, Part, details_for, html_of, split_details, text_of
from backend.notifications.registry import EVENTS
from backend.notifications.wording import WORDING_CHANNEL, person_wording_for, wording_for
from backend.notifications.written import written_channel


@dataclass(frozen=True)
class MessagePreview:
    """The message the resident would get: by which channel, in which language, and its words."""

    channel: str
    locale: str
    subject: str
    text: str
    html: str
    # For someone who reads texts: the channel that carries the full message in writing.
    written_channel: str | None = None


class _Undo(Exception):
    def __init__(self, preview: MessagePreview):
        self.preview = preview


def preview_step(complaint_id: int, event: str, step: Callable[[], Any]) -> MessagePreview:
    """Run ``step`` (a complaint service call), compose the ``event`` message it records for the resident,
    and undo everything. Raises whatever the step raises, so mistakes show as they would on issuing."""
    try:
        with transaction(), signoff.previewing():
            step()
            raise _Undo(_compose(complaint_id, event))
    except _Undo as undo:
        return undo.preview


def _compose(complaint_id: int, event_name: str) -> MessagePreview:
    # This complaint's event, just recorded in the open transaction: another complaint's, committed meanwhile by
    # someone else, may be newer, so the newest of the name alone could be the wrong resident's message.
    recent = OutboxEvent.select().where(OutboxEvent.name == event_name).order_by(OutboxEvent.id.desc()).limit(50)
    event = next(row for row in recent if row.payload.get("complaint_id") == complaint_id)
    complaint = Complaint.get_by_id(complaint_id)
    spec = EVENTS[event_name]
    reader = _reader(complaint)
    # The channel the message will really go by; with none, a statutory message is a letter (flagged for staff).
    if isinstance(reader, User):
        channel = preferences.channel_for(reader, "complaints") or "letter"
        locale = locale_for(reader.locale)
        subject, body, _action = wording_for(event, spec, reader, reader, channel, locale)
    else:
        channel = people.channel_for(reader) or "letter"
        locale = reader.locale
        subject, body, _action = person_wording_for(event, spec, reader, channel)
    # A phone call reads out the letter's wording.
    shown = WORDING_CHANNEL.get(channel, channel)
    recipient = Recipient(event_name, event.payload, reader, reader, shown, locale)
    part = split_details(body, details_for(event_name, recipient), shown)
    message = Composed(subject, (Part(part.body, details=part.details),))
    return MessagePreview(
        channel=channel,
        locale=locale,
        subject=subject,
        text=text_of(message, shown, reveal=False),
        html=html_of(message, locale, reveal=False),
        written_channel=written_channel(reader) if channel == "sms" else None,
    )


def _reader(complaint: Complaint) -> User | people.PersonReader:
    """The resident, or for someone without an account the details recorded with their contact (a stand-in
    with only their language when none were, as for an anonymous contact)."""
    user = User.get_or_none(User.id == complaint.resident_id)  # type: ignore[attr-defined]
    if user is not None:
        return user
    contact = Contact.get_by_id(complaint.contact_id)  # type: ignore[attr-defined]
    person = ContactPerson.get_or_none(ContactPerson.contact == contact.id)
    reader = people.person_reader(person.id) if person is not None else None
    if reader is not None:
        return reader
    return people.PersonReader(
        id=0,
        display_name=person.name if person else "",
        email="",
        phone="",
        address="",
        postcode="",
        locale=locale_for(contact.locale),
        contact_channel="",
    )
