"""One factory per model. Each returns a saved row with sensible defaults."""

from __future__ import annotations

import itertools

from backend.accounts.models import (
    ApiToken,
    Home,
    Landlord,
    Representation,
    SignInFailure,
    User,
    UserRole,
    UserSession,
)
from backend.accounts.passwords import hash_password
from backend.accounts.tokens import create_token
from backend.audit.models import AuditEvent
from backend.audit.services import record_audit
from backend.context import SYSTEM
from backend.events.models import Delivery, OutboxEvent
from backend.ratelimit.models import RateLimitWindow
from backend.timeutil import utcnow

PASSWORD = "correct horse battery"
_seq = itertools.count(1)

# Hashing is deliberately slow; tests share one hash of the common password.
_PASSWORD_HASH = hash_password(PASSWORD)


def make_landlord(name: str | None = None) -> Landlord:
    return Landlord.create(name=name or f"Landlord {next(_seq)}")


def make_home(nation: str = "england", tenure: str = "rented", landlord: Landlord | None = None) -> Home:
    n = next(_seq)
    return Home.create(
        landlord=landlord or make_landlord(),
        reference=f"H-{n:05d}",
        address=f"{n} Test Street",
        postcode="LS1 1AA",
        nation=nation,
        tenure=tenure,
    )


def make_user(
    *roles: str,
    email: str | None = None,
    password: str | None = PASSWORD,
    locale: str | None = None,
    verified: bool = True,
    home: Home | None = None,
    active: bool = True,
) -> User:
    n = next(_seq)
    user = User.create(
        email=email or f"person{n}@example.net",
        display_name=f"Person {n}",
        password_hash=(_PASSWORD_HASH if password == PASSWORD else hash_password(password)) if password else None,
        locale=locale,
        email_verified_at=utcnow() if verified else None,
        home=home,
        is_active=active,
    )
    for role in roles or ("resident",):
        UserRole.create(user=user, role=role)
    return user


def make_token(user: User | None = None, scope: str = "read") -> tuple[ApiToken, str]:
    user = user or make_user("staff")
    return create_token(SYSTEM, user.email, scope, f"tool {next(_seq)}")


def make_representation(advocate: User, resident: User) -> Representation:
    return Representation.create(advocate=advocate, resident=resident, consent_method="written")


def make_session(user: User | None = None) -> tuple[UserSession, str]:
    """Return a live session and its key, as sign-in would create them."""
    from backend.accounts.auth import start_session

    user = user or make_user()
    key = start_session(user)
    return UserSession.select().where(UserSession.user == user).order_by(UserSession.id.desc()).get(), key


def make_sign_in_failure(email: str = "someone@example.net") -> SignInFailure:
    import hashlib

    return SignInFailure.create(key_hash=hashlib.sha256(f"email:{email}".encode()).hexdigest())


def make_audit_event(action: str = "test.happened", entity_id: int = 1) -> AuditEvent:
    return record_audit(SYSTEM, action, "test", entity_id, {"field": {"before": 1, "after": 2}})


def make_outbox_event(name: str = "test.happened", **payload: object) -> OutboxEvent:
    return OutboxEvent.create(name=name, payload=payload)


def make_delivery(event: OutboxEvent | None = None, channel: str = "email", user: User | None = None) -> Delivery:
    event = event or make_outbox_event()
    user = user or make_user()
    return Delivery.create(
        event=event, idempotency_key=f"{event.id}:{user.id}:{channel}", channel=channel, recipient_user_id=user.id
    )


def make_rate_limit_window(key: str = "ip:192.0.2.1", hits: int = 1) -> RateLimitWindow:
    from backend.ratelimit.services import hit

    hit(key, limit=1_000_000, window_seconds=60, amount=hits)
    return RateLimitWindow.select().order_by(RateLimitWindow.id.desc()).get()
