"""Copies of case narratives with the parties' personal data replaced by role words, for readers outside the case.

The role words are here, in one place, so that the pages can translate them (``[staff member]`` reads the same in
the console, a panel's pack and the published report).
"""

from __future__ import annotations

from backend.accounts.models import Home, User
from backend.complaints.models import Contact, ContactPerson
from backend.redaction import Party, redact_narrative

RESIDENT = "[resident]"
REPRESENTATIVE = "[representative]"
STAFF_MEMBER = "[staff member]"
CONTRACTOR = "[contractor]"
# A case's own reference, its contacts', the home's and the Ombudsman's: they lead back to the person.
REFERENCE = "[reference]"


def user_party(role: str, user: User | None) -> Party | None:
    """Return the party for an account: its name, email, phone and home, known by ``role``; None for no account."""
    if user is None:
        return None
    home = Home.get_or_none(Home.id == user.home_id) if user.home_id else None  # type: ignore[attr-defined]
    return Party(
        role=role,
        names=(user.display_name,),
        emails=(user.email,),
        phones=(user.phone,) if user.phone else (),
        addresses=(home.address,) if home else (),
        postcodes=(home.postcode,) if home else (),
    )


def person_parties(person: ContactPerson) -> list[Party]:
    """Return the parties in details given without an account: the person, and whoever acts for them."""
    parties = [
        Party(
            role=RESIDENT,
            names=(person.name,) if person.name else (),
            emails=(person.email,) if person.email else (),
            phones=(person.phone,) if person.phone else (),
            addresses=(person.address,) if person.address else (),
            postcodes=(person.postcode,) if person.postcode else (),
        )
    ]
    if person.representative_name or person.representative_contact:
        contact_detail = person.representative_contact
        parties.append(
            Party(
                role=REPRESENTATIVE,
                names=(person.representative_name,) if person.representative_name else (),
                emails=(contact_detail,) if "@" in contact_detail else (),
                phones=(contact_detail,) if contact_detail and "@" not in contact_detail else (),
            )
        )
    return parties


def parties_for(contact: Contact) -> list[Party]:
    """Everyone whose details a contact's words might hold: the resident, their representative, the staff involved."""
    parties: list[Party] = []
    users = {
        RESIDENT: contact.resident_id,  # type: ignore[attr-defined]
        REPRESENTATIVE: contact.representative_user_id,  # type: ignore[attr-defined]
    }
    for role, user_id in users.items():
        party = user_party(role, User.get_or_none(User.id == user_id) if user_id else None)
        if party is not None:
            parties.append(party)
    if contact.home_id and not contact.resident_id:  # type: ignore[attr-defined]
        home = Home.get_or_none(Home.id == contact.home_id)  # type: ignore[attr-defined]
        if home is not None:
            parties.append(Party(role=RESIDENT, addresses=(home.address,), postcodes=(home.postcode,)))
    person = ContactPerson.get_or_none(ContactPerson.contact == contact.id)
    if person is not None:
        parties += person_parties(person)
    for user_id in {contact.received_by_id, contact.logged_by_id} - {None, contact.resident_id}:  # type: ignore[attr-defined]
        party = user_party(STAFF_MEMBER, User.get_or_none(User.id == user_id))
        if party is not None:
            parties.append(party)
    return parties


def redact_contact_text(contact: Contact, text: str) -> str:
    """Return ``text`` with the personal data of the contact's parties, and anything that looks personal, replaced."""
    return redact_narrative(text, parties_for(contact))
