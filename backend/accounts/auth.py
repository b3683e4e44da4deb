"""Sign-in: password checks with throttling, server-side sessions, and password reset."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from backend import config
from backend.accounts import links, throttle
from backend.accounts.models import SignInFailure, User, UserSession
from backend.accounts.passwords import check_password_rules, hash_password, needs_rehash, verify_password
from backend.accounts.tokens import revoke_all_tokens
from backend.accounts.users import email_confirmed, email_key, find_user_by_email, get_user, normalise_email, snapshot
from backend.audit.services import field_changes, record_audit
from backend.context import SYSTEM, Actor
from backend.db import db, is_postgres, transaction
from backend.errors import Invalid, Throttled
from backend.events.services import record_event
from backend.timeutil import utcnow


class InvalidCredentials(Exception):
    """The email and password do not match an active account. Deliberately says no more."""


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def account_key(email: str, user: User | None) -> str:
    """What the throttle counts a sign-in against: the account when there is one, else the normalised address.

    Every spelling of an address that finds the same account (case, Unicode variants of the domain)
    therefore shares one count, and unknown addresses behave exactly like known ones.
    """
    if user is not None:
        return f"account:{user.id}"
    try:
        return "email:" + normalise_email(email)
    except Invalid:
        return "email:" + email.strip().lower()


def throttle_limits(account: str, client_network: str | None) -> list[tuple[str, int]]:
    """The (key hash, limit) pairs a password sign-in is counted under."""
    settings = config.current()
    network = client_network or "unknown"
    return [
        # This address from this client: a guesser here waits, the owner elsewhere does not.
        (_digest(f"pair:{account}|{network}"), settings.sign_in_max_failures),
        # A shared address (a library, an office) gets more room than a single account.
        (_digest(f"ip:{network}"), settings.sign_in_max_failures * 4),
        # Guessing spread over many clients: password sign-in pauses for the account; links still work.
        (_digest(f"all:{account}"), settings.sign_in_max_failures_account),
    ]


def check_failures(limits: list[tuple[str, int]]) -> None:
    """Raise ``Throttled`` when any key has reached its limit of failures in the window."""
    settings = config.current()
    window_start = utcnow() - dt.timedelta(seconds=settings.sign_in_window_seconds)
    for key, limit in limits:
        failures = (
            SignInFailure.select(SignInFailure.failed_at)
            .where(SignInFailure.key_hash == key, SignInFailure.failed_at >= window_start)
            .order_by(SignInFailure.failed_at.desc())
            .limit(limit)
        )
        times = [row.failed_at for row in failures]
        if len(times) >= limit:
            oldest = times[-1]
            retry = oldest + dt.timedelta(seconds=settings.sign_in_window_seconds) - utcnow()
            raise Throttled(max(1, int(retry.total_seconds()) + 1))


def claim_attempt(limits: list[tuple[str, int]]) -> list[int]:
    """Count an attempt as failed *before* checking it, and return the ids to forgive if it succeeds.

    Checking the count, then spending a second on the password hash, then recording a failure lets
    a burst of parallel guesses all pass the check. So the attempt is recorded first, under a lock
    on its keys, and the count includes it. Raises ``Throttled`` (recording nothing) when a key has
    already reached its limit.
    """
    with transaction():
        if is_postgres():
            for key, _limit in sorted(limits):
                # Attempts on the same keys take turns until this transaction ends (SQLite's BEGIN
                # IMMEDIATE already makes every writer take turns).
                db.execute_sql("SELECT pg_advisory_xact_lock(hashtext(%s))", (key,))
        check_failures(limits)
        return [SignInFailure.create(key_hash=key).id for key, _limit in limits]


def forgive_attempt(ids: list[int]) -> None:
    """Take back the failures :func:`claim_attempt` recorded, once the attempt has succeeded."""
    SignInFailure.delete().where(SignInFailure.id.in_(ids)).execute()


def failure_key(name: str) -> str:
    """The stored key for failures counted under ``name`` (for example, second-factor codes)."""
    return _digest(name)


def authenticate(email: str, password: str, client_network: str | None = None) -> User:
    """Return the active user with these credentials.

    Raises ``Throttled`` after too many recent failures for the account (or address) from this
    client network, for the client network, or for the account from everywhere; and
    ``InvalidCredentials`` otherwise, without saying whether the email exists.
    """
    user = find_user_by_email(email)
    limits = throttle_limits(account_key(email, user), client_network)
    attempt = claim_attempt(limits)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        raise InvalidCredentials()  # the attempt stays counted as a failure
    with transaction():
        forgive_attempt(attempt)
        SignInFailure.delete().where(SignInFailure.key_hash == limits[0][0]).execute()
        if user.password_hash and needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
            user.save()
    return user


def start_session(user: User) -> str:
    """Open a new session for ``user`` and return its key (only the hash is stored)."""
    key = secrets.token_urlsafe(32)
    now = utcnow()
    with transaction():
        UserSession.create(
            user=user,
            key_hash=_digest(key),
            created_at=now,
            last_seen_at=now,
            expires_at=now + dt.timedelta(seconds=config.current().session_max_age),
        )
        actor = Actor(user_id=user.id, roles=user.role_names(), label=f"user:{user.id}")
        record_audit(actor, "session.started", "user", user.id, {})
    return key


def load_session(key: str) -> User | None:
    """Return the active user for a live session key, or None for an unknown, ended or expired one."""
    if not key:
        return None
    session = UserSession.select(UserSession, User).join(User).where(UserSession.key_hash == _digest(key)).first()
    now = utcnow()
    if session is None or session.revoked_at is not None or session.expires_at <= now:
        return None
    if not session.user.is_active or not email_confirmed(session.user):
        # Sessions opened before sign-in required a confirmed address count for nothing.
        return None
    if (now - session.last_seen_at).total_seconds() > 300:
        UserSession.update(last_seen_at=now).where(UserSession.id == session.id).execute()
    return session.user


def end_session(key: str) -> None:
    """End one session (sign out). Unknown or already ended keys are ignored."""
    session = UserSession.get_or_none(UserSession.key_hash == _digest(key), UserSession.revoked_at.is_null())
    if session is None:
        return
    with transaction():
        UserSession.update(revoked_at=utcnow(), held_recovery_codes=None).where(UserSession.id == session.id).execute()
        actor = Actor(user_id=session.user_id, label=f"user:{session.user_id}")  # type: ignore[attr-defined]
        record_audit(actor, "session.ended", "user", session.user_id, {})  # type: ignore[attr-defined]


def end_all_sessions(user_id: int, keep: str | None = None) -> int:
    """End every session of a user except the one whose key is ``keep``; return how many were ended."""
    with transaction():
        query = UserSession.update(revoked_at=utcnow(), held_recovery_codes=None).where(
            UserSession.user == user_id, UserSession.revoked_at.is_null()
        )
        if keep is not None:
            query = query.where(UserSession.key_hash != _digest(keep))
        ended = query.execute()
        if ended:
            record_audit(SYSTEM, "session.all_ended", "user", user_id, {"open_sessions": {"before": ended, "after": 0}})
    return ended


def password_reset_token(user: User) -> str:
    return links.make_link_token(links.RESET_SALT, {"uid": user.id, "pw": links.fingerprint(user.password_hash)})


def request_password_reset(email: str, client_address: str | None = None) -> None:
    """Email a reset link if the address belongs to an active account and is within its hourly limits.

    Does the same work whether or not the address has an account, so that neither the answer
    nor its timing tells: the limits are counted, the account is looked up and one event is
    recorded either way. When there is nobody to tell, or a limit is reached, the event names no
    one and nothing is sent.
    """
    allowed = throttle.account_mail_allowed(email_key(email), client_address)
    user = find_user_by_email(email)
    recipient = user.id if allowed and user is not None and user.is_active else None
    with transaction():
        record_event("account.password_reset_requested", {"user_id": recipient})


def user_for_reset_token(token: str) -> User:
    """Return the user a reset link is for; raise ``Invalid("token", …)`` when it is bad or used."""
    payload = links.read_link_token(links.RESET_SALT, token, config.current().password_reset_max_age)
    user = User.get_or_none(User.id == payload.get("uid"))
    if user is None or not user.is_active or links.fingerprint(user.password_hash) != payload.get("pw"):
        raise Invalid("token", "invalid")
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from a reset link, end every session, revoke every API token, and mark the email verified.

    Raises ``Invalid("token", …)`` for a bad, expired or used link, ``Invalid("password", …)``.
    """
    user = user_for_reset_token(token)
    check_password_rules(new_password, user.email)
    password_hash = hash_password(new_password)  # slow: before the write lock
    with transaction():
        before = snapshot(user)
        user.password_hash = password_hash
        # Following a link sent to the address proves the person controls it.
        user.email_verified_at = user.email_verified_at or utcnow()
        user.updated_at = utcnow()
        user.save()
        actor = Actor(user_id=user.id, roles=user.role_names(), label=f"user:{user.id}")
        # Whoever knew the old password, or registered the address first, loses every way in.
        end_all_sessions(user.id)
        revoke_all_tokens(actor, user.id)
        record_audit(actor, "account.password_reset", "user", user.id, field_changes(before, snapshot(user)))
        record_event("account.password_changed", {"user_id": user.id})
    return user


def change_password(actor: Actor, current_password: str, new_password: str, keep_session: str | None = None) -> None:
    """Change the signed-in user's password after checking the current one.

    Ends every other session (all but the one whose key is ``keep_session``) and revokes every
    API token. Raises ``Throttled`` after too many wrong current passwords (counted as sign-in
    failures), ``Invalid("current_password", "incorrect")`` and ``Invalid("password", …)``.
    """
    user = get_user(actor.user_id or 0)
    # Counted like a sign-in, so a borrowed session cannot guess the password at leisure.
    attempt = claim_attempt(throttle_limits(account_key(user.email, user), None))
    if not verify_password(user.password_hash, current_password):
        raise Invalid("current_password", "incorrect")
    forgive_attempt(attempt)
    check_password_rules(new_password, user.email)
    password_hash = hash_password(new_password)  # slow: before the write lock
    with transaction():
        before = snapshot(user)
        user.password_hash = password_hash
        user.updated_at = utcnow()
        user.save()
        end_all_sessions(user.id, keep=keep_session)
        revoke_all_tokens(actor, user.id)
        record_audit(actor, "account.password_changed", "user", user.id, field_changes(before, snapshot(user)))
        record_event("account.password_changed", {"user_id": user.id})
