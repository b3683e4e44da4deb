"""The placeholder values each event needs for one recipient (links are made at send time)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from backend.accounts.auth import password_reset_token
from backend.accounts.email_sign_in import sign_in_link_token
from backend.accounts.models import User
from backend.accounts.services import email_verification_token
from backend.config import current


def _url(path: str, token: str | None = None) -> str:
    return f"{current().base_url}{path}" + (f"?token={quote(token)}" if token else "")


def account_values(event: str, payload: Mapping[str, Any], user: User, locale: str) -> dict[str, Any]:
    if event == "account.registered":
        return {"link": _url("/verify-email", email_verification_token(user))}
    if event in ("account.password_reset_requested", "account.invited"):
        return {
            "link": _url("/reset-password/confirm", password_reset_token(user)),
            "minutes": str(current().password_reset_max_age // 60),
        }
    if event == "account.sign_in_link_requested":
        return {
            "link": _url("/sign-in/email/confirm", sign_in_link_token(user)),
            "minutes": str(current().sign_in_link_max_age // 60),
        }
    return {"link": _url("/reset-password")}
