"""Sessions and the acting person for each request (cookie session or bearer token)."""

from __future__ import annotations

import re
import time
from typing import Any

from flask import g, request, session
from flask_babel import refresh
from flask_login import UserMixin, current_user, login_user, logout_user

from backend import config
from backend.accounts import auth, second_factor, tokens
from backend.accounts.models import User
from backend.context import ANONYMOUS, Actor

SAFE_REDIRECT = re.compile(r"^/(?![/\\])[^\s]*$")
PENDING = "second_factor_pending"
# How long someone has, after their password or emailed link, to give a second-factor code.
PENDING_SECONDS = 300


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


def sign_in(user: User, next_url: str | None = None) -> bool:
    """Start a fresh session, or, when the person has a second factor, wait for it first.

    Returns True when signed in. Otherwise the browser holds only a note (for a few minutes)
    that this person passed their first factor, and every page sends it to the code page.
    Every way in (password, emailed link, password reset) comes through here, so none skips the code.
    """
    _fresh_cookie()
    if second_factor.is_enabled(user.id):
        session[PENDING] = {"uid": user.id, "at": int(time.time()), "next": safe_next(next_url, "") or None}
        return False
    complete_sign_in(user)
    return True


def complete_sign_in(user: User) -> None:
    """Open the session (after the second factor, when there is one)."""
    _fresh_cookie()
    key = auth.start_session(user)
    login_user(SessionUser(user, key))
    session.permanent = True


def _fresh_cookie() -> None:
    """Drop whatever the old cookie held, except the chosen language."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def _pending_note() -> dict[str, Any] | None:
    note = session.get(PENDING)
    return note if isinstance(note, dict) else None


def _note_expired(note: dict[str, Any]) -> bool:
    deadline = max(float(note.get("at", 0)) + PENDING_SECONDS, float(note.get("until", 0)))
    return time.time() > deadline


def _pending_user(note: dict[str, Any]) -> User | None:
    user = User.get_or_none(User.id == note.get("uid"))
    return user if user is not None and user.is_active else None


def pending_sign_in() -> tuple[User, str | None] | None:
    """The person (and where they were going) waiting to give a second-factor code, or None."""
    note = _pending_note()
    if note is None:
        return None
    user = None if _note_expired(note) else _pending_user(note)
    if user is None:
        session.pop(PENDING, None)
        return None
    return user, note.get("next")


def timed_out_sign_in() -> dict[str, Any] | None:
    """The note of a sign-in that waited too long for its code (it is still in the session), or None."""
    note = _pending_note()
    return note if note is not None and _note_expired(note) else None


def hold_pending_sign_in(seconds: int) -> bool:
    """Keep the waiting note alive ``seconds`` from now, and ``PENDING_SECONDS`` after that; return whether it may.

    Someone told to wait before trying another code must find their sign-in still waiting when they
    come back. A note never lives past the sign-in throttle's window plus ``PENDING_SECONDS`` either
    side of it from the first factor, which is always enough after the first wait; after that the
    person is told to sign in again.
    """
    note = _pending_note()
    if note is None:
        return False
    until = time.time() + seconds + PENDING_SECONDS
    limit = float(note.get("at", 0)) + 2 * PENDING_SECONDS + config.current().sign_in_window_seconds
    if until > limit:
        return False
    session[PENDING] = {**note, "until": max(int(until), int(note.get("until", 0)))}
    return True


def choose_pending_locale(locale: str) -> None:
    """Remember a language chosen while waiting for a code (the account is not changed before the code)."""
    note = _pending_note()
    if note is not None:
        session[PENDING] = {**note, "locale": locale}


def note_locale(note: dict[str, Any]) -> str | None:
    """The language of the person a waiting note is for: the one they chose meanwhile, else their account's."""
    if note.get("locale"):
        return str(note["locale"])
    user = _pending_user(note)
    return user.locale if user is not None else None


def pending_locale() -> str | None:
    """The language for someone waiting for a code, or None when nobody is waiting."""
    note = _pending_note()
    return None if note is None or _note_expired(note) else note_locale(note)


def sign_out() -> None:
    """End the session; the language the person used stays with the browser."""
    locale = session.get("locale")
    if current_user.is_authenticated:
        locale = current_user.user.locale or locale
        auth.end_session(current_user.session_key)
    logout_user()
    session.clear()
    if locale:
        session["locale"] = locale


def speak_as(user: User) -> None:
    """Show this page in the language of the account an emailed link is for, unless the browser chose one.

    Someone opening a link from their email in a fresh browser should not meet a page in another
    language than the email's.
    """
    if user.locale and not current_user.is_authenticated and not session.get("locale"):
        g.link_locale = user.locale
        refresh()


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
    """The actor for a bearer token, or None for an unknown or revoked one; looked up once per request."""
    if "bearer_checked" in g:
        return g.get("token_actor")
    g.bearer_checked = True
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
