"""Catalogues: the template is current, and every catalogue translates every message."""

from __future__ import annotations

import re
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from backend.errors import Throttled
from schema.error_texts import message_for

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
PLACEHOLDER = re.compile(r"%\(\w+\)s")
CATALOGUES = sorted(p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/messages.po"))


def message_ids(path: Path) -> set[str]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {message.id for message in catalog if message.id}


def test_messages_pot_is_up_to_date(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "N_",
            "-k",
            "lazy_gettext",
            "--no-location",
            "--sort-output",
            "--omit-header",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    stale = message_ids(LOCALES / "messages.pot") ^ message_ids(fresh)
    assert not stale, f"run `make translations`; these messages differ: {sorted(stale, key=str)[:10]}"


def test_every_offered_language_has_a_catalogue() -> None:
    from backend.config import KNOWN_LOCALES

    assert set(CATALOGUES) == set(KNOWN_LOCALES)


@pytest.mark.parametrize("locale", CATALOGUES)
def test_catalogue_translates_every_message(locale: str) -> None:
    with (LOCALES / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    wanted = message_ids(LOCALES / "messages.pot")
    present = {m.id: m for m in catalog if m.id}
    assert wanted <= set(present), f"missing in {locale}: {sorted(wanted - set(present), key=str)[:10]}"
    problems = []
    for message_id in wanted:
        message = present[message_id]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted_placeholders = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        if not all(strings) or message.fuzzy:
            problems.append(f"untranslated or fuzzy: {message_id!r}")
        elif any(set(PLACEHOLDER.findall(s)) - wanted_placeholders for s in strings):
            problems.append(f"placeholders differ: {message_id!r}")
    assert problems == []


def test_welsh_pages_are_really_in_welsh(client) -> None:
    html = client.get("/sign-in", headers={"Accept-Language": "cy"}).get_data(as_text=True)
    assert 'lang="cy"' in html
    assert "Skip to main content" not in html
    assert "Forgotten your password?" not in html


def test_wait_message_takes_each_languages_plural_form() -> None:
    asked: list[tuple[str, str]] = []
    message_for(Throttled(60), str, lambda singular, plural, n: asked.append((singular, plural)) or singular)
    ((singular, plural),) = asked
    # Polish has three forms: 1 minutę, 2-4 minuty, 5 and more minut.
    catalog = Catalog(locale="pl")
    catalog.add((singular, plural), ("Poczekaj %(num)s minutę.", "Poczekaj %(num)s minuty.", "Poczekaj %(num)s minut."))
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    polish = Translations(compiled)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return polish.ngettext(singular, plural, n) % {"num": n}

    waits = [message_for(Throttled(minutes * 60), polish.gettext, ngettext) for minutes in (1, 3, 5)]
    assert waits == ["Poczekaj 1 minutę.", "Poczekaj 3 minuty.", "Poczekaj 5 minut."]
