"""Seal secrets the server must read back, such as authenticator keys, under a key derived from the app's secret.

Hashes protect what only needs checking (passwords, recovery codes, tokens). An authenticator key
must be read back to work out the expected code, so it is encrypted instead (Fernet: AES with an
HMAC), under a key derived with HKDF from ``LEARNLOOP_SECRET_KEY`` for one purpose. A copy of the
database alone, a backup say, then yields no key that could make codes.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from backend import config


class SealBroken(ValueError):
    """The sealed value was changed, or sealed under another secret key."""


def _fernet(purpose: str) -> Fernet:
    derived = HKDF(algorithm=SHA256(), length=32, salt=None, info=f"learnloop.{purpose}".encode()).derive(
        config.current().secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(purpose: str, plain: str) -> str:
    """Encrypt and authenticate ``plain`` for ``purpose``; the result is ASCII, about 120 characters for 32."""
    return _fernet(purpose).encrypt(plain.encode()).decode()


def unseal(purpose: str, sealed: str, max_age: int | None = None) -> str:
    """Return what :func:`seal` sealed for ``purpose``; raise :class:`SealBroken` for anything else.

    With ``max_age``, a value sealed more than that many seconds ago counts as broken too.
    """
    try:
        return _fernet(purpose).decrypt(sealed.encode(), ttl=max_age).decode()
    except (InvalidToken, ValueError):
        raise SealBroken(purpose) from None
