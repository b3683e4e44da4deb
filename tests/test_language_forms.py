"""Forms that differ by language: file sizes (translatable units, localised number) and the joiner of a list."""

from __future__ import annotations

from typing import Any

import pytest
from flask_babel import force_locale

from backend.errors import Invalid
from backend.i18n import LIST_SEPARATOR
from schema.error_texts import message_for


@pytest.mark.parametrize(
    ("size", "expected"),
    [(0, "0 bytes"), (1, "1 byte"), (45, "45 bytes"), (1234, "1.2 kB"), (5_000_000, "5 MB"), (2_500_000_000, "2.5 GB")],
)
def test_file_size_in_english(app: Any, size: int, expected: str) -> None:
    with app.test_request_context("/"):
        assert app.jinja_env.from_string("{{ size|filesizeformat }}").render(size=size) == expected


def test_file_size_units_go_through_the_translations(app: Any, monkeypatch: Any) -> None:
    import portal.app

    asked: list[str] = []

    def plural(singular: str, plural: str, num: int) -> str:
        asked.append(plural)
        return f"{num} beit"

    monkeypatch.setattr(portal.app, "ngettext", plural)
    with app.test_request_context("/"), force_locale("cy"):
        assert app.jinja_env.from_string("{{ 45|filesizeformat }}").render() == "45 beit"
    assert asked == ["%(num)s bytes"]


def test_a_list_in_a_message_is_joined_the_way_the_language_writes_lists() -> None:
    arabic = {LIST_SEPARATOR: "؛ "}
    error = Invalid("authorisation", "incomplete", missing=["owner", "measure", "target"])
    text = message_for(error, lambda message: arabic.get(message, message))
    assert "؛ " in text and "; " not in text
