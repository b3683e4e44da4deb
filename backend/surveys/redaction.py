"""Remove personal data from free text before anyone outside the case reads it."""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
PHONE = re.compile(r"(?:\+44\s?(?:\(0\))?\s?|\b0)\d(?:[\s-]?\d){8,9}\b")
LONG_DIGITS = re.compile(r"\d(?:[\s-]?\d){5,}")
MIN_NAME_LENGTH = 2


def redact(text: str, names: Iterable[str] = ()) -> str:
    """Return ``text`` with emails, phone numbers, postcodes, long digit runs and the given names replaced."""
    redacted = EMAIL.sub("[email]", text)
    redacted = PHONE.sub("[phone]", redacted)
    redacted = POSTCODE.sub("[postcode]", redacted)
    redacted = LONG_DIGITS.sub("[number]", redacted)
    for name in sorted({part for full in names for part in full.split()}, key=len, reverse=True):
        if len(name) >= MIN_NAME_LENGTH and not name.isdigit():
            redacted = re.sub(rf"\b{re.escape(name)}\b", "[name]", redacted, flags=re.IGNORECASE)
    return redacted
