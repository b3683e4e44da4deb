"""Text inputs: what counts as blank.

A required text made only of spaces or of invisible characters (zero-width space U+200B, joiners U+200C/U+200D,
word joiner U+2060, byte-order mark U+FEFF and every other Unicode format character, category "Cf") is blank:
it shows nothing, so it says nothing. :func:`clean` trims them from both ends, so such a text becomes "".
"""

from __future__ import annotations

import unicodedata


def _invisible(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Cf", "Zs", "Zl", "Zp", "Cc")


def clean(value: str | None) -> str:
    """The text without the spaces and invisible characters at either end ("" when it holds nothing else)."""
    text = value or ""
    start, end = 0, len(text)
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def is_blank(value: str | None) -> bool:
    """Whether the text shows nothing: empty, or only spaces and invisible characters."""
    return not clean(value)
