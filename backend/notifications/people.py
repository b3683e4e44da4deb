"""People without an account as readers of messages: the details staff recorded with their contact.

Someone who complains by phone or by letter has no account, so nothing about them is in ``User``. Their
name, email, number and postal address sit in :class:`ContactPerson`, with the language recorded on the
contact and how they asked to be written to. Staff recorded those details, so they count as verified: a
number staff wrote down can receive statutory texts without a code (an account holder proves a number
they typed in themselves). An anonymous contact has nobody to write to and gets nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.complaints.models import Contact, ContactPerson
from backend.events.models import Delivery
from backend.i18n import locale_for

# What "How should we write to them?" means for automated messages; "phone" puts a call in the
# staff's queue. With no answer, the order is email, then a letter, then a text.
PREFERRED = {"email": "email", "sms": "sms", "post": "letter", "phone": "call"}
ORDER = ("email", "letter", "sms")
FAILED = ("bounced", "dead")


@dataclass(frozen=True)
class PersonReader:
    """Someone without an account, as the reader of a message (what sending needs to reach them)."""

    id: int  # the ContactPerson's id
    display_name: str
    email: str
    phone: str
    address: str
    postcode: str
    locale: str
    contact_channel: str

    @property
    def postal_address(self) -> str:
        lines = [self.display_name, self.address.strip(), self.postcode.strip()]
        return "\n".join(line for line in lines if line)


def person_reader(person_id: object) -> PersonReader | None:
    """The reader for a ContactPerson id; None when there is no such person or the contact is anonymous."""
    if person_id is None:
        return None
    person = ContactPerson.get_or_none(ContactPerson.id == person_id)
    if person is None:
        return None
    contact = Contact.get_by_id(person.contact_id)  # type: ignore[attr-defined]
    if contact.anonymous:
        return None
    return PersonReader(
        id=person.id,
        display_name=person.name,
        email=person.email,
        phone=person.phone,
        address=person.address,
        postcode=person.postcode,
        locale=locale_for(contact.locale),
        contact_channel=person.contact_channel,
    )


def available(person: PersonReader, channel: str, failing: set[str]) -> bool:
    if channel in failing:
        return False
    if channel == "email":
        return "@" in person.email and not person.email.endswith(".invalid")
    if channel in ("sms", "call"):
        return bool(person.phone.strip())
    if channel == "letter":
        return bool(person.address.strip())
    return False


def channel_for(person: PersonReader, failing: set[str] | None = None) -> str | None:
    """Their stated preference if it can be used, else email, else a letter, else a text; None if nothing works."""
    failing = failing_channels(person.id) if failing is None else failing
    preferred = PREFERRED.get(person.contact_channel)
    for channel in (preferred, *ORDER):
        if channel is not None and available(person, channel, failing):
            return channel
    return None


def failing_channels(person_id: int) -> set[str]:
    """Channels that bounced or gave up for this person: later messages use their next channel."""
    rows = Delivery.select(Delivery.channel).where(
        Delivery.recipient_person_id == person_id, Delivery.status.in_(FAILED)
    )
    return {row.channel for row in rows}
