"""Staff-written text that panel members or the public read, redacted as it is saved.

What staff write for a panel (a response's reason, the public summary, a pack item's note, an answer to a member's
question, an accuracy comment, a meeting's minutes, ...) is read by residents on the panel, and some of it by anyone
on the public report. :func:`redact_for_panel` replaces, before the text is stored:

- every staff account's name, email address and phone number by "[staff member]";
- every panel member's name, past and present, of any panel, by "[panel member]";
- the landlord's case references ("LL-2026-000042") whole by "[reference]";
- and whatever else looks personal (``backend.redaction.redact_narrative``'s patterns: phone numbers, emails,
  postcodes, titled names, long digit runs).

Staff then see the saved, redacted text, so what they read is what members read. The party list is read once per
call (two queries), narrowed to the parties the text may mention, and the compiled scan is cached by
``backend.redaction`` for as long as that list is the same.
"""

from __future__ import annotations

import re
import unicodedata

from backend.accounts.models import User, UserRole
from backend.complaints.redaction import REFERENCE, STAFF_MEMBER
from backend.context import STAFF_ROLES
from backend.panels.models import PanelMembership
from backend.redaction import Party, redact_narrative

PANEL_MEMBER = "[panel member]"
# The landlord's case references, also of other cases the words mention (as ``backend.complaints.case_view``).
CASE_REFERENCE = re.compile(r"(?<![\w-])LL-\d{4}-\d+(?![\w-])")


def panel_parties() -> list[Party]:
    """Every staff account (name, email, phone) and every panel member past and present (name)."""
    staff_ids = UserRole.select(UserRole.user).where(UserRole.role.in_(STAFF_ROLES))
    staff = User.select(User.display_name, User.email, User.phone).where(User.id.in_(staff_ids)).order_by(User.id)
    parties = [
        Party(
            role=STAFF_MEMBER,
            names=(user.display_name,),
            emails=(user.email,),
            phones=(user.phone,) if user.phone else (),
        )
        for user in staff
    ]
    members = (
        User.select(User.display_name)
        .where(User.id.in_(PanelMembership.select(PanelMembership.person)), User.id.not_in(staff_ids))
        .order_by(User.id)
    )
    parties += [Party(role=PANEL_MEMBER, names=(user.display_name,)) for user in members]
    return parties


_WORD = re.compile(r"\w+")
_NOT_DIGIT = re.compile(r"\D")
_PHONE_TAIL = 6  # a phone number is looked for by its last digits, however it is written


def _words(text: str) -> set[str]:
    bare = "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))
    return set(_WORD.findall(bare))


def _mentioned(party: Party, words: set[str], lower: str, digits: str) -> bool:
    """Whether the text may mention the party: one of their name's words, their email, or their phone's digits."""
    if any(_words(name) & words for name in party.names):
        return True
    if any(email.lower() in lower for email in party.emails):
        return True
    return any(
        len(tail := _NOT_DIGIT.sub("", phone)[-_PHONE_TAIL:]) == _PHONE_TAIL and tail in digits
        for phone in party.phones
    )


def redact_for_panel(text: str) -> str:
    """Return ``text`` with staff, panel members, case references and anything that looks personal taken out.

    Only the parties the text may mention (a word of their name, their email, their phone's last digits) go into
    the scan: with hundreds of accounts, one scan for all of them would be slow on every save.
    """
    if not text:
        return text
    words, lower, digits = _words(text), text.lower(), _NOT_DIGIT.sub("", text)
    parties = [party for party in panel_parties() if _mentioned(party, words, lower, digits)]
    return redact_narrative(CASE_REFERENCE.sub(REFERENCE, text), parties)
