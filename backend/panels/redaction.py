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
call (two queries) and the compiled scan is cached by ``backend.redaction`` for as long as the list is the same.
"""

from __future__ import annotations

import re

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


def redact_for_panel(text: str) -> str:
    """Return ``text`` with staff, panel members, case references and anything that looks personal taken out."""
    if not text:
        return text
    return redact_narrative(CASE_REFERENCE.sub(REFERENCE, text), panel_parties())
