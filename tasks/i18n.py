"""Translations for messages composed outside a web request (emails, letters, SMS)."""

from __future__ import annotations

from functools import lru_cache

from babel.support import NullTranslations, Translations

from backend.config import LOCALES_DIR, current


@lru_cache(maxsize=16)
def translations(locale: str) -> NullTranslations:
    return Translations.load(str(LOCALES_DIR), [locale], "messages")


def locale_for(preferred: str | None) -> str:
    settings = current()
    return preferred if preferred in settings.enabled_locales else settings.default_locale
