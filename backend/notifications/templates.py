"""Message templates: checked when saved, rendered in a sandbox, with defaults in every language.

Staff write plain text with ``{{ placeholders }}`` (Jinja, sandboxed, strict about undefined
names). A template that doesn't parse is refused with its line number; a placeholder the event
doesn't provide is refused by name. Until staff edit a template, the default wording comes from
the translated catalogues, so every enabled language has one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Mapping
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from backend.config import current, text_direction
from backend.errors import Invalid
from backend.i18n import translations
from backend.notifications.catalogue import EVENTS, EventSpec
from backend.notifications.models import MessageTemplate

ENVIRONMENT = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, trim_blocks=True)
URL_LINE = re.compile(r"^(?P<label>[^\n:]{1,120}):\s*(?P<url>https?://\S+)$")
MAX_TEMPLATE = 20_000


def check_template(field: str, source: str, allowed: Collection[str]) -> None:
    """Raise ``Invalid(field, "syntax", line=…)`` or ``Invalid(field, "unknown_placeholder", name=…)``."""
    if len(source) > MAX_TEMPLATE:
        raise Invalid(field, "too_long", maximum=MAX_TEMPLATE)
    try:
        parsed = ENVIRONMENT.parse(source)
    except TemplateSyntaxError as error:
        raise Invalid(field, "syntax", line=error.lineno, problem=error.message or "") from None
    unknown = sorted(meta.find_undeclared_variables(parsed) - set(allowed))
    if unknown:
        raise Invalid(field, "unknown_placeholder", name=unknown[0])


def default_source(spec: EventSpec, channel: str, locale: str) -> tuple[str, str]:
    """The default subject and body for an event, as a template in the given language."""
    gettext = translations(locale).gettext
    placeholders = {name: "{{ %s }}" % name for name in {"name", *spec.variables}}  # noqa: UP031 - builds Jinja

    def words(message: str) -> str:
        text = gettext(message)
        try:
            return text % placeholders
        except (KeyError, TypeError, ValueError):
            return text

    subject = words(spec.subject)
    link = f"{words(spec.link_text)}: {{{{ link }}}}" if spec.link_text else ""
    if channel == "sms":
        # Complaint messages keep the "where you are" block even in a text message.
        where = words("%(where_you_are)s") if "%(where_you_are)s" in spec.paragraphs else ""
        return "", " ".join(part for part in (subject + ".", where, link) if part)
    paragraphs = [words(p) for p in spec.paragraphs]
    if link:
        paragraphs.insert(len(paragraphs) - 1 if len(paragraphs) > 2 else len(paragraphs), link)
    return subject, "\n\n".join(paragraphs)


def effective_source(event: str, channel: str, locale: str) -> tuple[str, str, str]:
    """(subject, body, origin) for an event: staff's template in this language, else staff's English
    template, else the translated default. ``origin`` is "template", "english" or "default"."""
    spec = EVENTS[event]
    rows = {
        row.locale: row
        for row in MessageTemplate.select().where(
            MessageTemplate.event == event,
            MessageTemplate.channel == channel,
            MessageTemplate.locale.in_([locale, "en"]),
        )
    }
    if locale in rows:
        return rows[locale].subject, rows[locale].body, "template"
    if "en" in rows:
        return rows["en"].subject, rows["en"].body, "english"
    subject, body = default_source(spec, channel, locale)
    return subject, body, "default"


@lru_cache(maxsize=512)
def compiled(source: str) -> Any:
    """Compile a template once; fan-outs render the same wording for thousands of people."""
    return ENVIRONMENT.from_string(source)


def render_source(source: str, values: Mapping[str, Any]) -> str:
    try:
        return compiled(source).render(**values).strip()
    except (UndefinedError, SecurityError, TemplateSyntaxError, TypeError, ValueError) as error:
        raise Invalid("body", "render_failed", problem=str(error)) from None


def render(event: str, channel: str, locale: str, values: Mapping[str, Any]) -> tuple[str, str]:
    """Render an event's subject and body for one channel and language."""
    subject, body, _origin = effective_source(event, channel, locale)
    return render_source(subject, values), render_source(body, values)


def missing_translations() -> list[tuple[str, str, str]]:
    """(event, channel, locale) where staff edited English but not this language, so English is used."""
    rows = list(MessageTemplate.select(MessageTemplate.event, MessageTemplate.channel, MessageTemplate.locale))
    present = {(r.event, r.channel, r.locale) for r in rows}
    missing = []
    for event, channel, _locale in sorted({(r.event, r.channel, "en") for r in rows if r.locale == "en"}):
        for locale in current().enabled_locales:
            if locale != "en" and (event, channel, locale) not in present:
                missing.append((event, channel, locale))
    return missing


def to_html(subject: str, body: str, locale: str) -> str:
    """A plain, accessible HTML part: a paragraph per block, and "Label: URL" lines as links."""
    blocks = []
    for block in body.split("\n\n"):
        lines = []
        for line in block.splitlines():
            match = URL_LINE.match(line.strip())
            if match:
                lines.append(f'<a href="{html.escape(match["url"])}">{html.escape(match["label"].strip())}</a>')
            else:
                lines.append(html.escape(line))
        blocks.append("<p>" + "<br>".join(lines) + "</p>")
    return (
        f'<!doctype html><html lang="{locale}" dir="{text_direction(locale)}"><head><meta charset="utf-8">'
        f"<title>{html.escape(subject)}</title></head><body>{''.join(blocks)}</body></html>"
    )


def where_you_are(locale: str, stage: str, next_step: str, due_date: Any) -> str:
    """The "where you are" block in the person's language, with the date written their way.

    With no due date (nothing is waiting on the landlord) the paragraph that names the date is left out.
    """
    from babel.dates import format_date

    from backend.config import formatting_locale

    written = format_date(due_date, format="long", locale=formatting_locale(locale)) if due_date else NO_DATE
    values = {"stage": stage, "next_step": next_step, "due_date": written}
    _subject, body, _origin = effective_source("block.where_you_are", "email", locale)
    rendered = render_source(body, values)
    return "\n\n".join(part for part in rendered.split("\n\n") if NO_DATE not in part).strip()


# Marks the date's paragraph so it can be dropped when nothing is due.
NO_DATE = "\u2063no-date\u2063"
