"""Find people by id or email, and read the facts about an account that other modules check."""

from __future__ import annotations

from typing import Any

from email_validator import EmailNotValidError, validate_email

from backend.accounts.models import User
from backend.errors import Invalid, NotFound


def normalise_email(email: str) -> str:
    """Return the canonical (lower-case) form of ``email`` or raise ``Invalid("email", "invalid")``."""
    try:
        result = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise Invalid("email", "invalid") from None
    return result.normalized.lower()


def email_key(email: str) -> str:
    """Return ``email`` normalised for counting limits, or stripped and lower-cased when malformed."""
    try:
        return normalise_email(email)
    except Invalid:
        return email.strip().lower()


def snapshot(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "home_id": user.home_id,  # type: ignore[attr-defined]  # peewee adds it at runtime
        "locale": user.locale,
        "contact_channel": user.contact_channel,
        "phone": user.phone,
        "phone_verified_at": user.phone_verified_at,
        "accessibility_needs": user.accessibility_needs,
        "reasonable_adjustments": user.reasonable_adjustments,
        "email_verified_at": user.email_verified_at,
        "is_active": user.is_active,
        "password_hash": user.password_hash,
    }


def get_user(user_id: int) -> User:
    """Return the user with ``user_id``; raise ``NotFound("user")`` if there is none."""
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise NotFound("user", user_id)
    return user


def find_user_by_email(email: str) -> User | None:
    """Return the user with this email, or None (also for a malformed email)."""
    try:
        return User.get_or_none(User.email == normalise_email(email))
    except Invalid:
        return None


def email_confirmed(user: User) -> bool:
    """Return whether the person has confirmed their address; until then they cannot sign in."""
    return user.email_verified_at is not None
