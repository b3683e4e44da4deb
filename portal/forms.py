"""Shared form helpers: backend errors become field errors, translated here at the edge."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext, ngettext
from flask_wtf import FlaskForm

from backend.errors import DomainError, Invalid
from schema.error_texts import message_for


def add_error(form: FlaskForm, error: DomainError) -> None:
    """Attach a backend error to the matching field, or to the form as a whole."""
    message = message_for(error, gettext, ngettext)
    field = getattr(form, error.field, None) if isinstance(error, Invalid) else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
    else:
        form.form_errors.append(message)


def add_graphql_error(form: FlaskForm, payload: dict[str, Any], fields: dict[str, str] | None = None) -> None:
    """Attach a typed GraphQL error (``field`` in camelCase) to a form.

    ``fields`` maps an API field to the form field that stands for it where their names differ
    (the API takes a resident's id, the form their email address).
    """
    message = payload.get("message") or gettext("Check this value and try again.")
    name = payload.get("field") or ""
    snake = "".join("_" + c.lower() if c.isupper() else c for c in name)
    snake = (fields or {}).get(snake, snake)
    field = getattr(form, snake, None) if snake else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
    else:
        form.form_errors.append(message)
