"""Password hashing with argon2id (argon2-cffi) and the password rules."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from backend.errors import Invalid

MIN_LENGTH = 10
MAX_LENGTH = 256

_hasher = PasswordHasher()
# Verifying against this keeps the time for an unknown email close to that for a known one.
_DUMMY_HASH = _hasher.hash("an unused password for timing")


def use_hasher(hasher: PasswordHasher) -> None:
    """Swap the hasher (tests use argon2's cheapest profile to stay fast)."""
    global _hasher, _DUMMY_HASH
    _hasher = hasher
    _DUMMY_HASH = hasher.hash("an unused password for timing")


def check_password_rules(password: str, email: str = "") -> None:
    """Raise :class:`Invalid` (field ``password``) when the password breaks a rule."""
    if len(password) < MIN_LENGTH:
        raise Invalid("password", "too_short", minimum=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise Invalid("password", "too_long", maximum=MAX_LENGTH)
    if email and password.strip().lower() == email.strip().lower():
        raise Invalid("password", "same_as_email")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Return whether ``password`` matches; an absent hash never matches (but takes as long)."""
    if not password_hash:
        try:
            _hasher.verify(_DUMMY_HASH, password + "\0")
        except VerificationError:
            pass
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
