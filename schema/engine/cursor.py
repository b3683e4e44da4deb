"""Opaque keyset cursors: the resource, the ordering and the sort values of one row."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Any


class CursorError(ValueError):
    """The cursor is malformed, or belongs to another list or ordering."""


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    return value


def _restore(value: Any) -> Any:
    if isinstance(value, dict):
        if "dt" in value:
            return dt.datetime.fromisoformat(value["dt"])
        if "d" in value:
            return dt.date.fromisoformat(value["d"])
    return value


def encode(resource: str, ordering: str, values: list[Any]) -> str:
    raw = json.dumps([resource, ordering, [_plain(v) for v in values]], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, resource: str, ordering: str, width: int) -> list[Any]:
    """Return the sort values in ``cursor``; raise :class:`CursorError` if it is not one of ours for this list."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        kind, order, values = data
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise CursorError("malformed") from None
    if kind != resource or order != ordering or not isinstance(values, list) or len(values) != width:
        raise CursorError("foreign")
    try:
        return [_restore(v) for v in values]
    except (TypeError, ValueError):
        raise CursorError("malformed") from None
