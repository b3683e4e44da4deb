"""Shared form helpers: backend errors and the API's problems become field errors, translated at the edge."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_babel import get_locale, gettext, ngettext
from flask_wtf import FlaskForm

from backend.errors import DomainError, Invalid
from schema.error_texts import message_for


def add_error(form: FlaskForm, error: DomainError, field_name: str | None = None) -> None:
    """Attach a backend error to the field ``field_name`` (by default the one it names), or to the whole form."""
    locale = get_locale()
    message = message_for(error, gettext, ngettext, str(locale) if locale else None)
    name = field_name or (error.field if isinstance(error, Invalid) else None)
    field = getattr(form, name, None) if name else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
    else:
        form.form_errors.append(message)


def show_problem(form: FlaskForm, problem: dict[str, Any], fields: Mapping[str, str] | None = None) -> None:
    """Put a mutation's problem on the form: each problem of a ValidationError on the field it names, and
    anything else (a clash, a refusal, a problem with the whole input) at the top of the form.

    A problem's ``field`` is its path in the input as sent. It goes to the form field ``fields[path]``
    where the names differ (the API takes a resident's id, the form their email address), else to the form
    field named like the path in snake_case: ``receivedAt`` on ``received_at``, ``person.email`` on
    ``person_email``, ``points[0].text`` on ``points_0_text``; an entry of a list, ``links[2]``, on the field
    of the whole list when there is none of its own.
    """
    for each in problem.get("problems") or [problem]:
        message = each.get("message") or gettext("Check this value and try again.")
        field = _form_field(form, each.get("field") or "", fields or {})
        if field is not None:
            had = field.errors if isinstance(field.errors, list) else []
            field.errors = had if message in had else [*had, message]
        elif message not in form.form_errors:
            form.form_errors.append(message)


def form_field_name(path: str) -> str:
    """The form field named like an input path: ``person.email`` -> ``person_email``, ``points[0]`` -> ``points_0``."""
    flat = re.sub(r"\[(\d+)\]", r"_\1", path).replace(".", "_")
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", flat).lower()


def _form_field(form: FlaskForm, path: str, fields: Mapping[str, str]) -> Any:
    if not path:
        return None
    field = getattr(form, fields.get(path) or form_field_name(path), None)
    if field is None and (whole := re.sub(r"\[\d+\]$", "", path)) != path:
        # One entry of a list the form takes in one field (links, one on each line): on that field.
        return _form_field(form, whole, fields)
    if field is None or not hasattr(field, "errors") or field.type == "CSRFTokenField":
        return None
    return field


def files_not_kept(count: int) -> str:
    """What to tell someone whose words were saved but whose files the full or failing store could not keep."""
    return ngettext(
        "We could not keep your file because our file store is full or not working. Your words are saved. "
        "Please send the file again later.",
        "We could not keep your %(num)s files because our file store is full or not working. Your words are saved. "
        "Please send the files again later.",
        count,
    )
