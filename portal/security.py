"""Sessions and the acting person for each request (cookie session or bearer token)."""

from __future__ import annotations

import re

from flask import g, request, session
from flask_login import UserMixin, current_user, login_user, logout_user

from backend.accounts import auth, tokens
from backend.accounts.models import User
from backend.context import ANONYMOUS, Actor

SAFE_REDIRECT = re.compile(r"^/(?![/\\])[^\s]*$")


class SessionUser(UserMixin):
    """A signed-in user as flask-login sees them: the id is the server-side session key."""

    def __init__(self, user: User, session_key: str):
        self.user = user
        self.session_key = session_key

    def get_id(self) -> str:
        return self.session_key

    @property
    def is_active(self) -> bool:
        return bool(self.user.is_active)


def load_user(session_key: str) -> SessionUser | None:
    user = auth.load_session(session_key)
    return SessionUser(user, session_key) if user is not None else None


def sign_in(user: User) -> None:
    """Start a fresh session: drop whatever the old cookie held, then store a new key."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    key = auth.start_session(user)
    login_user(SessionUser(user, key))
    session.permanent = True


def sign_out() -> None:
    if current_user.is_authenticated:
        auth.end_session(current_user.session_key)
    logout_user()
    session.clear()


def bearer_value() -> str | None:
    """Return the bearer token sent with the request, '' for a malformed header, None for none."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return ""
    return value.strip()


def current_actor() -> Actor:
    """Return the actor for this request: the token's owner, the signed-in user, or anonymous."""
    if "actor" in g:
        return g.actor
    actor = ANONYMOUS
    token_actor = g.get("token_actor")
    if token_actor is not None:
        actor = token_actor
    elif current_user.is_authenticated:
        actor = tokens.actor_for_user(current_user.user)
    g.actor = actor
    return actor


def authenticate_bearer(value: str) -> Actor | None:
    found = tokens.authenticate_token(value)
    if found is None:
        return None
    token, user = found
    actor = tokens.actor_for_token(token, user)
    g.token_actor = actor
    return actor


def safe_next(target: str | None, default: str = "/") -> str:
    """Return ``target`` if it is a path on this site, else ``default`` (no open redirects)."""
    if target and SAFE_REDIRECT.match(target):
        return target
    return default
