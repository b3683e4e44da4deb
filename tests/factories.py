"""One factory per model. Each returns a saved row with sensible defaults."""

from __future__ import annotations

import itertools

from backend.accounts.models import ApiToken, Home, Landlord, Representation, User, UserRole
from backend.accounts.passwords import hash_password
from backend.accounts.tokens import create_token
from backend.context import SYSTEM
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
