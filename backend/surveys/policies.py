"""Who may do what with surveys. Each check returns a bool; services raise NotAllowed."""

from __future__ import annotations

from backend.context import Actor


def can_manage_surveys(actor: Actor) -> bool:
    return actor.can_write and actor.has_role("staff", "manager", "admin", "system")


def can_view_results(actor: Actor) -> bool:
    return actor.has_role("staff", "manager", "admin", "system")


def can_see_original_text(actor: Actor) -> bool:
    """Free text as written may hold personal data: only admins see it; everyone else sees the redacted copy."""
    return actor.has_role("admin", "system")


def can_record_tsm_method(actor: Actor) -> bool:
    """The method statement is published beside the regulator's measures: managers record and change it."""
    return actor.can_write and actor.has_role("manager", "admin", "system")
