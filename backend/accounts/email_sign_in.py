"""Sign in by email: a signed link that works once, for a short time, for one account.

It is the way in that a password throttle never blocks, so the owner of an address under attack
can still sign in. It never skips the second factor: the portal asks for it after the link, as
after a password.
"""

from __future__ import annotations

import secrets
from typing import Any

from backend import config
from backend.accounts import links
from backend.accounts.auth import end_all_sessions
from backend.accounts.models import User
from backend.accounts.tokens import revoke_all_tokens
from backend.accounts.users import find_user_by_email, normalise_email, snapshot
from backend.audit.services import field_changes, record_audit
from backend.context import Actor
from backend.db import transaction
from backend.errors import Invalid, Throttled
from backend.events.services import record_event
from backend.ratelimit.services import hit
from backend.timeutil import utcnow

SIGN_IN_SALT = "learnloop.sign-in-link"
# Links asked for in the sign-in window: per address (known or not), and per client network.
PER_ADDRESS = 3
PER_NETWORK = 10


def sign_in_link_token(user: User) -> str:
    """A signed token for the account; it stops working once any link for the account is used."""
    return links.make_link_token(SIGN_IN_SALT, {"uid": user.id, "n": links.fingerprint(user.sign_in_nonce)})


def request_sign_in_link(email: str, client_network: str | None = None) -> None:
    """Email a sign-in link if the address belongs to an active account; do nothing visible otherwise.

    Raises ``Throttled`` after too many requests for the address or from the client network, counted
    the same way whether or not the address has an account.
    """
    try:
        address = normalise_email(email)
    except Invalid:
        address = email.strip().lower()
    window = config.current().sign_in_window_seconds
    for key, limit in (
        (f"sign-in-link:address:{address}", PER_ADDRESS),
        (f"sign-in-link:network:{client_network}", PER_NETWORK),
    ):
        wait = hit(key, limit, window)
        if wait is not None:
            raise Throttled(wait)
    user = find_user_by_email(address)
    if user is None or not user.is_active:
        return
    with transaction():
        record_event("account.sign_in_link_requested", {"user_id": user.id})


def user_for_sign_in_link(token: str) -> User:
    """Return the account a sign-in link is for; raise ``Invalid("token", "expired" | "invalid")``."""
    payload = links.read_link_token(SIGN_IN_SALT, token, config.current().sign_in_link_max_age)
    user = User.get_or_none(User.id == payload.get("uid"))
    if user is None or not user.is_active or links.fingerprint(user.sign_in_nonce) != payload.get("n"):
        raise Invalid("token", "invalid")
    return user


def use_sign_in_link(token: str) -> User:
    """Spend a sign-in link and return its account (also marking the address verified).

    Following a link sent to the address proves the person controls it. On an account whose address
    was never confirmed it proves nothing about its password, which whoever registered the address
    chose, perhaps not its owner: so that password is discarded (the person can set one with a
    reset), and any token or session it gave is ended with it.

    Of two uses of the same link at once, only the first succeeds. Raises ``Invalid("token", …)``
    for a bad, expired or used link.
    """
    user = user_for_sign_in_link(token)
    old_nonce = user.sign_in_nonce
    unconfirmed = user.email_verified_at is None
    with transaction():
        before = snapshot(user)
        changes: dict[Any, Any] = {User.sign_in_nonce: secrets.token_hex(16), User.email_verified_at: utcnow()}
        if not unconfirmed:
            changes.pop(User.email_verified_at)
        else:
            changes[User.password_hash] = None
        same_nonce = User.sign_in_nonce.is_null() if old_nonce is None else User.sign_in_nonce == old_nonce
        spent = User.update(changes).where(User.id == user.id, same_nonce).execute()
        if spent != 1:
            raise Invalid("token", "invalid")
        user = User.get_by_id(user.id)
        actor = Actor(user_id=user.id, roles=user.role_names(), label=f"user:{user.id}")
        if unconfirmed:
            end_all_sessions(user.id)
            revoke_all_tokens(actor, user.id)
        record_audit(actor, "account.sign_in_link_used", "user", user.id, field_changes(before, snapshot(user)))
    return user
