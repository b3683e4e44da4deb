"""Remove personal data from free text before anyone outside the case reads it."""

from __future__ import annotations

from collections.abc import Iterable

from backend.redaction import Labels, Party, redact_narrative

# Survey copies have always used these short labels, and every name as "[name]".
SURVEY_LABELS = Labels(email="[email]", phone="[phone]", postcode="[postcode]", name="[name]", number="[number]")


def redact(text: str, names: Iterable[str] = ()) -> str:
    """Return ``text`` with emails, phone numbers, postcodes, long digit runs and the given names replaced."""
    # Each word of a name is its own "name" so that "Jane Smith" reads "[name] [name]", as survey copies always have.
    words = tuple(word for full in names if isinstance(full, str) for word in full.split())
    return redact_narrative(text, (Party(role=SURVEY_LABELS.name, names=words),), SURVEY_LABELS)
