"""Opaque keyset cursors: the resource, the ordering and the sort values of one row, sealed.

A cursor holds the sort values of the last row of a page, and the default order of a list may use
fields the viewer cannot see (a survey invitation's due time, for one). So cursors are encrypted
and authenticated with AES-SIV (RFC 5297) under a key derived from the app's secret: a client can
neither read the values nor make a cursor of its own. AES-SIV is deterministic, so the same row in
the same list always has the same cursor; that tells a client nothing it could not see by paging.
Anything that does not open, or opens to something other than a cursor for this list and
ordering, is a :class:`CursorError`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

#: Longer than any cursor we issue; anything longer is refused before it is decrypted.
MAX_CURSOR_LENGTH = 4096
SCALARS = (str, int, float, bool, type(None))
#: Binds a sealed cursor to its use: nothing else sealed with this key opens as a cursor.
PURPOSE = [b"learnloop.cursor"]


class CursorError(ValueError):
    """The cursor is malformed, or belongs to another list or ordering."""


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    return value


def _restore(value: Any) -> Any:
    """A sort value as it was encoded; raise CursorError for anything a cursor never holds."""
    if isinstance(value, dict) and len(value) == 1:
        ((kind, text),) = value.items()
        try:
            if kind == "dt" and isinstance(text, str):
                return dt.datetime.fromisoformat(text)
            if kind == "d" and isinstance(text, str):
                return dt.date.fromisoformat(text)
        except ValueError:
            raise CursorError("malformed") from None
    if isinstance(value, SCALARS):
        return value
    raise CursorError("malformed")


class CursorCodec:
    """Seals and opens cursors with a key derived from ``secret``."""

    def __init__(self, secret: str):
        # 64 bytes: AES-256-SIV takes two 256-bit keys.
        key = HKDF(algorithm=SHA256(), length=64, salt=None, info=b"learnloop.cursor").derive(secret.encode())
        self._siv = AESSIV(key)

    def encode(self, resource: str, ordering: str, values: list[Any]) -> str:
        raw = json.dumps([resource, ordering, [_plain(v) for v in values]], separators=(",", ":"))
        return base64.urlsafe_b64encode(self._siv.encrypt(raw.encode(), PURPOSE)).decode().rstrip("=")

    def decode(self, cursor: str, resource: str, ordering: str, width: int) -> list[Any]:
        """Return the sort values in ``cursor``; raise :class:`CursorError` if it is not one of ours for this list."""
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise CursorError("malformed")
        try:
            sealed = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode("ascii"))
            kind, order, values = json.loads(self._siv.decrypt(sealed, PURPOSE))
        except (InvalidTag, binascii.Error, ValueError, TypeError):  # UnicodeError is a ValueError
            raise CursorError("malformed") from None
        if kind != resource or order != ordering or not isinstance(values, list) or len(values) != width:
            raise CursorError("foreign")
        return [_restore(v) for v in values]
