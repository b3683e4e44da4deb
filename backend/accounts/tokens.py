"""API tokens for third-party tools: shown once, stored hashed, scoped, revocable."""

from __future__ import annotations

import hashlib
import secrets

from backend.accounts import policies
from backend.accounts.models import TOKEN_SCOPES, ApiToken, User
from backend.accounts.users import email_confirmed, find_user_by_email
from backend.audit.services import field_changes, record_audit
from backend.context import Actor
from backend.db import transaction
from backend.errors import Invalid, NotAllowed, NotFound
from backend.timeutil import utcnow

TOKEN_PREFIX = "llt_"  # noqa: S105 - a public marker, not a secret
LAST_USED_GRANULARITY = 60


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(actor: Actor, owner_email: str, scope: str, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for the owner and return it with its plain text, which is never stored.

    Raises ``NotAllowed`` when the actor may not make tokens at all (a token, or read-only),
    ``NotFound("user")`` alike for an address without an account and for one the actor may not
    make tokens for, so the answer never tells whether an address is registered, and ``Invalid``
    (scope, name, an inactive owner, or one making a token before confirming their address).
    """
    if not policies.can_manage_tokens(actor):
        raise NotAllowed("token.create")
    owner = find_user_by_email(owner_email)
    if owner is None or not policies.can_manage_tokens_for(actor, owner.id):
        raise NotFound("user", owner_email)
    if scope not in TOKEN_SCOPES:
        raise Invalid("scope", "unsupported")
    if not owner.is_active:
        raise Invalid("owner", "inactive")
    if owner.id == actor.user_id and not email_confirmed(owner):
        raise Invalid("owner", "unverified")
    name = (name or "").strip() or f"token {utcnow():%Y-%m-%d %H:%M}"
    if len(name) > 100:
        raise Invalid("name", "too_long", maximum=100)
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction():
        token = ApiToken.create(
            user=owner, name=name, scope=scope, prefix=plain[:12], token_hash=_digest(plain), created_by=actor.user_id
        )
        record_audit(
            actor,
            "token.created",
            "api_token",
            token.id,
            field_changes(None, {"user_id": owner.id, "name": name, "scope": scope, "prefix": token.prefix}),
        )
    return token, plain


def revoke_token(actor: Actor, token_id: int) -> ApiToken:
    """Revoke a token. Revoking twice is harmless.

    Raises ``NotAllowed`` when the actor may not manage tokens at all, and ``NotFound`` alike
    for a token that does not exist and for someone else's.
    """
    if not policies.can_manage_tokens(actor):
        raise NotAllowed("token.revoke")
    token = ApiToken.get_or_none(ApiToken.id == token_id)
    if token is None or not policies.can_manage_tokens_for(actor, token.user_id):  # type: ignore[attr-defined]  # peewee adds it at runtime
        raise NotFound("api_token", token_id)
    if token.revoked_at is None:
        _revoke(actor, token)
    return token


def revoke_all_tokens(actor: Actor, user_id: int) -> None:
    """Revoke every live token of a user (when the account is deactivated, for instance)."""
    for token in ApiToken.select().where(ApiToken.user == user_id, ApiToken.revoked_at.is_null()):
        _revoke(actor, token)


def _revoke(actor: Actor, token: ApiToken) -> None:
    with transaction():
        token.revoked_at = utcnow()
        token.save()
        changes = {"revoked_at": {"before": None, "after": str(token.revoked_at)}}
        record_audit(actor, "token.revoked", "api_token", token.id, changes)


def authenticate_token(plain: str) -> tuple[ApiToken, User] | None:
    """Return the live token and its active owner for a bearer value, or None.

    Records when it was last used, at most once a minute.
    """
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 100:
        return None
    token = (
        ApiToken.select(ApiToken, User)
        .join(User, on=ApiToken.user)
        .where(ApiToken.token_hash == _digest(plain))
        .first()
    )
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    if token.created_by_id == token.user.id and not email_confirmed(token.user):  # type: ignore[attr-defined]
        # Made by its owner before they confirmed the address, which is no longer possible: it
        # may belong to someone who registered another person's address.
        return None
    now = utcnow()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_GRANULARITY:
        ApiToken.update(last_used_at=now).where(ApiToken.id == token.id).execute()
        token.last_used_at = now
    return token, token.user


def actor_for_token(token: ApiToken, user: User) -> Actor:
    return Actor(
        user_id=user.id,
        roles=user.role_names(),
        token_id=token.id,
        scope=token.scope,
        label=f"token:{token.id}:{token.prefix}",
    )


def actor_for_user(user: User) -> Actor:
    return Actor(user_id=user.id, roles=user.role_names(), label=f"user:{user.id}")
