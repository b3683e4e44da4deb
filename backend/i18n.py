"""Message catalogues for text composed outside a web request (messages, letters, SMS)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache

from babel.support import NullTranslations, Translations

from backend.config import LOCALES_DIR, current


@lru_cache(maxsize=32)
def translations(locale: str) -> NullTranslations:
    return Translations.load(str(LOCALES_DIR), [locale], "messages")


def locale_for(preferred: str | None) -> str:
    """The person's language if it is offered, otherwise the site's default."""
    settings = current()
    return preferred if preferred in settings.enabled_locales else settings.default_locale


def N_(message: str) -> str:  # the conventional name for "mark for translation"
    """Mark ``message`` for extraction; it is translated when a message is composed."""
    return message


#: What joins the items of a list in a sentence: each language writes its own (Arabic uses "؛ ", not "; ").
LIST_SEPARATOR = N_("; ")


def join_list(items: Iterable[str], gettext: Callable[[str], str]) -> str:
    """The items as one list in a sentence, joined the way the language of ``gettext`` writes lists."""
    return gettext(LIST_SEPARATOR).join(items)
