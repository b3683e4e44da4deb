"""Signed, expiring links for email verification and password reset, and the resend form's token (itsdangerous)."""

from __future__ import annotations

import hashlib

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from backend import config
from backend.errors import Invalid

VERIFY_SALT = "learnloop.verify-email"
RESET_SALT = "learnloop.password-reset"
RESEND_SALT = "learnloop.resend-verification"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(config.current().secret_key, salt=salt)


def fingerprint(value: str | None) -> str:
    """A short digest that changes when ``value`` changes, so a link stops working after use."""
    return hashlib.sha256((value or "").encode()).hexdigest()[:16]


def make_link_token(salt: str, payload: dict[str, object]) -> str:
    return _serializer(salt).dumps(payload)


def read_link_token(salt: str, token: str, max_age: int) -> dict[str, object]:
    """Return the payload, or raise ``Invalid("token", "expired" | "invalid")``."""
    try:
        payload = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired:
        raise Invalid("token", "expired") from None
    except BadSignature:
        raise Invalid("token", "invalid") from None
    if not isinstance(payload, dict):
        raise Invalid("token", "invalid")
    return payload
