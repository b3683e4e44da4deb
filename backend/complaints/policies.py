"""Who may do what with contacts and complaints. Each check returns a bool; services raise NotAllowed."""

from __future__ import annotations

from backend.accounts.models import Representation
from backend.context import Actor

HANDLER_ROLES = ("staff", "manager", "admin", "system")


def represents(advocate_id: int | None, resident_id: int | None) -> bool:
    """Whether the advocate has the resident's recorded, unrevoked consent to act for them."""
    if advocate_id is None or resident_id is None:
        return False
    return (
        Representation.select()
        .where(
            Representation.advocate == advocate_id,
            Representation.resident == resident_id,
            Representation.revoked_at.is_null(),
        )
        .exists()
    )


def can_handle(actor: Actor) -> bool:
    """Staff classify contacts and take complaints through their stages."""
    return actor.can_write and actor.has_role(*HANDLER_ROLES)


def can_act_for(actor: Actor, resident_id: int | None) -> bool:
    """Log a contact or add to a case for this resident: the resident, their consenting advocate, or staff."""
    if not actor.can_write:
        return False
    if actor.has_role(*HANDLER_ROLES):
        return True
    if resident_id is None:
        return False
    if actor.user_id == resident_id and actor.has_role("resident"):
        return True
    return actor.has_role("advocate") and represents(actor.user_id, resident_id)


def can_view_case(actor: Actor, resident_id: int | None) -> bool:
    """Read a case in full (and its attachments): staff, the resident, and a consenting advocate."""
    if actor.has_role(*HANDLER_ROLES):
        return True
    if resident_id is None or actor.user_id is None:
        return False
    if actor.user_id == resident_id and actor.has_role("resident"):
        return True
    return actor.has_role("advocate") and represents(actor.user_id, resident_id)
