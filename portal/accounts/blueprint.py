"""The accounts blueprint, and where someone goes once signed in: the account pages in this package share them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, url_for
from werkzeug.wrappers import Response

from portal.security import current_actor, safe_next, sign_in

bp = Blueprint("accounts", __name__)


def home_for_roles() -> str:
    actor = current_actor()
    if actor.is_staff:
        return url_for("console.index")
    if actor.has_role("panel_member"):
        return url_for("panel.index")
    return url_for("resident.index")


def after_first_factor(user: Any, next_url: str | None) -> Response:
    """Sign in, or go on to the second-factor code when the person has one."""
    if not sign_in(user, next_url):
        return redirect(url_for("accounts.second_factor_code"))
    return redirect(safe_next(next_url, home_for_roles()))
