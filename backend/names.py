"""People's names: one line of visible text, wherever a name is set.

A name is pasted into emails, letters and text messages. A line break in it can start a line of
the landlord's own wording ("Pay now: https://…"), and invisible formatting characters can
reorder or hide what the reader sees, so both are refused rather than quietly removed.
"""

from __future__ import annotations

import unicodedata

from backend.errors import Invalid
from backend.text import is_blank

# Control (Cc), format (Cf), surrogate (Cs), line separator (Zl) and paragraph separator (Zp).
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# The zero-width non-joiner and joiner are format characters, but Persian, Urdu, Bengali and other
# Indic scripts need them to spell some names correctly, and emoji sequences use the joiner.
ALLOWED_FORMAT = frozenset({"\u200c", "\u200d"})


def has_hidden_characters(value: str) -> bool:
    """Return whether ``value`` holds a line break, a control character or an invisible format character.

    Bidirectional overrides, isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
    U+061C) are format characters, so they are refused too.
    """
    return any(unicodedata.category(char) in REFUSED_CATEGORIES and char not in ALLOWED_FORMAT for char in value)


def check_name(field: str, value: str | None, maximum: int, required: bool = True) -> str:
    """Return the name without surrounding spaces ("" when it holds only spaces and invisible characters).

    Raises ``Invalid(field, "required")`` when it is empty and required, ``Invalid(field,
    "too_long", maximum=…)`` and ``Invalid(field, "hidden_characters")``.
    """
    name = (value or "").strip()
    if is_blank(name):  # a name made only of invisible characters shows nothing, so it is no name
        if required:
            raise Invalid(field, "required")
        return ""
    if len(name) > maximum:
        raise Invalid(field, "too_long", maximum=maximum)
    if has_hidden_characters(name):
        raise Invalid(field, "hidden_characters")
    return name
