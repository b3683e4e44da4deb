"""Who may do what with accounts. Each check returns a bool; services raise NotAllowed."""

from __future__ import annotations

from backend.context import Actor


def can_manage_users(actor: Actor) -> bool:
    return actor.has_role("admin", "system") and actor.can_write


def can_manage_tokens(actor: Actor) -> bool:
    # A token may never mint or revoke tokens, whatever its scope.
    return actor.can_write and actor.token_id is None


def can_manage_tokens_for(actor: Actor, owner_id: int) -> bool:
    return can_manage_tokens(actor) and (actor.has_role("admin", "system") or actor.user_id == owner_id)


def can_edit_profile(actor: Actor, user_id: int) -> bool:
    return actor.can_write and (actor.user_id == user_id or actor.has_role("admin"))


def can_record_representation(actor: Actor) -> bool:
    return actor.can_write and actor.is_staff


def can_view_audit(actor: Actor) -> bool:
    return actor.has_role("manager", "admin")
