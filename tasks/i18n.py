"""Translations for messages composed outside a web request (kept for the tasks' imports)."""

from backend.i18n import locale_for, translations

__all__ = ["locale_for", "translations"]
