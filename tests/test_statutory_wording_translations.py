"""Statutory wording (complaint letters, security notices) goes out in reviewed translations only.

Every statutory event's default subject, paragraphs and link text must have a non-empty translation
that no translator has left fuzzy, in every enabled language's catalogue. Compiled catalogues leave
fuzzy entries out, so a fuzzy or empty translation would reach a reader in English.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from backend.config import KNOWN_LOCALES, Settings
from backend.notifications.catalogue import STATUTORY_TOPICS
from backend.notifications.registry import EVENTS
from backend.notifications.templates import ONLY_PLACEHOLDERS

LOCALES = Path(__file__).resolve().parent.parent / "locales"
ENABLED = [locale for locale in Settings().enabled_locales if locale != "en"]


def statutory_message_ids() -> dict[str, list[str]]:
    """Each statutory event's catalogue messages: subject, paragraphs and link text."""
    found: dict[str, list[str]] = {}
    for spec in EVENTS.values():
        if spec.topic not in STATUTORY_TOPICS:
            continue
        parts = [spec.subject, *spec.paragraphs, *([spec.link_text] if spec.link_text else [])]
        found[spec.name] = [part for part in parts if not ONLY_PLACEHOLDERS.fullmatch(part)]
    return found


def unreviewed(locale: str, message_ids: dict[str, list[str]]) -> list[str]:
    """``event: msgid (why)`` for every statutory message without a reviewed translation in ``locale``."""
    path = LOCALES / locale / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return [f"{event}: {message!r} (no catalogue)" for event, ids in message_ids.items() for message in ids]
    with path.open("rb") as handle:
        catalog = read_po(handle)
    problems = []
    for event, ids in message_ids.items():
        for message_id in ids:
            entry = catalog.get(message_id)
            if entry is None:
                why = "missing"
            elif not (entry.string if isinstance(entry.string, str) else all(entry.string)):
                why = "empty"
            elif entry.fuzzy:
                why = "fuzzy"
            else:
                continue
            problems.append(f"{event}: {message_id!r} ({why})")
    return problems


def test_statutory_events_are_found() -> None:
    ids = statutory_message_ids()
    assert {"complaint.acknowledged", "complaint.responded", "account.password_reset_requested"} <= set(ids)
    assert all(ids.values())
    assert "feedback.received" not in ids  # not statutory: its readers may turn it off


def test_check_reports_each_missing_empty_and_fuzzy_message(tmp_path: Path, monkeypatch) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(locale="cy")
    catalog.add("Reviewed", "Wedi'i adolygu")
    catalog.add("Unsure", "Ansicr", flags=["fuzzy"])
    catalog.add("Blank", "")
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.po").open("wb") as handle:
        write_po(handle, catalog)
    monkeypatch.setattr(f"{__name__}.LOCALES", tmp_path)
    ids = {"e.one": ["Reviewed", "Unsure", "Blank", "Absent"]}
    assert unreviewed("cy", ids) == [
        "e.one: 'Unsure' (fuzzy)",
        "e.one: 'Blank' (empty)",
        "e.one: 'Absent' (missing)",
    ]
    assert unreviewed("pl", ids)[0] == "e.one: 'Reviewed' (no catalogue)"


def test_every_enabled_language_is_checked() -> None:
    assert ENABLED and set(ENABLED) <= set(KNOWN_LOCALES)


@pytest.mark.parametrize("locale", ENABLED)
def test_statutory_wording_has_a_reviewed_translation(locale: str) -> None:
    problems = unreviewed(locale, statutory_message_ids())
    assert not problems, f"statutory wording without a reviewed {locale} translation:\n" + "\n".join(problems)
