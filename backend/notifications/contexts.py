"""The placeholder values and links of account messages (links are made as each message is sent)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from backend.accounts.auth import password_reset_token
from backend.accounts.email_sign_in import sign_in_link_token
from backend.accounts.models import User
from backend.accounts.services import email_verification_token
from backend.config import current
from backend.notifications.catalogue import Recipient


def _url(path: str, token: str | None = None) -> str:
    return f"{current().base_url}{path}" + (f"?token={quote(token)}" if token else "")


def account_values(event: str, payload: Mapping[str, Any], user: User, locale: str) -> dict[str, Any]:
    """Placeholder values for an account message. None of them is a link: see :func:`account_link`."""
    if event == "account.password_reset_requested":
        return {"minutes": str(current().password_reset_max_age // 60)}
    if event == "account.sign_in_link_requested":
        return {"minutes": str(current().sign_in_link_max_age // 60)}
    return {}


def account_link(recipient: Recipient) -> str:
    """The link an account message carries: a signed verification or reset link, or the reset page."""
    event, user = recipient.event, recipient.subject_user
    if event == "account.registered":
        return _url("/verify-email", email_verification_token(user))
    if event in ("account.password_reset_requested", "account.invited"):
        return _url("/reset-password/confirm", password_reset_token(user))
    if event == "account.sign_in_link_requested":
        return _url("/sign-in/email/confirm", sign_in_link_token(user))
    return _url("/reset-password")
