"""Message templates: checked when saved, rendered in a sandbox, with defaults in every language.

Staff write plain text with ``{{ placeholders }}`` (Jinja, sandboxed, strict about undefined
names). Wording needs nothing more than placeholders, ``{% if %}`` and a few filters, so nothing
more is accepted: no loops, assignments, calls, attribute access or arithmetic, which keeps every
rendering as small and fast as the wording itself. A template that doesn't parse is refused with
its line number; a placeholder the event doesn't provide is refused by name. Links are never
placeholders (see :mod:`backend.notifications.catalogue`). Until staff edit a template, the
default wording comes from the translated catalogues, so every enabled language has one. Wording
staff save in one language is used for that language only.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterator, Mapping
from functools import lru_cache
from typing import Any

from babel.dates import format_date
from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from backend.config import formatting_locale
from backend.errors import Invalid
from backend.i18n import translations
from backend.notifications.catalogue import EVENTS, LINK_MARK, EventSpec
from backend.notifications.models import MessageTemplate
from backend.vocabulary import Vocabulary


class WordingOrigin(Vocabulary):
    """Where the wording in force comes from."""

    TEMPLATE = "template", "Staff's wording in this language."
    DEFAULT = "default", "The translated default (staff's wording in one language is never used for another)."


logger = logging.getLogger(__name__)

ENVIRONMENT = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, trim_blocks=True)
MAX_TEMPLATE = 20_000
# Names that were once placeholders and now belong to the call to action the system adds.
SYSTEM_LINKS = frozenset({"link", "answers"})
# What wording may contain. Everything else (for, set, macro, calls, attribute and item access,
# arithmetic) is refused: wording needs none of it, and loops or multiplication could make one
# message cost seconds to render.
ALLOWED_NODES: tuple[type[nodes.Node], ...] = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Name,
    nodes.Const,
    nodes.If,
    nodes.CondExpr,
    nodes.Not,
    nodes.And,
    nodes.Or,
    nodes.Compare,
    nodes.Operand,
    nodes.Concat,
    nodes.Filter,
    nodes.Test,
)
ALLOWED_FILTERS = frozenset({"upper", "lower", "title", "capitalize", "trim", "default"})
ALLOWED_TESTS = frozenset({"defined", "none", "string"})
MAX_CONSTANT = 200
# Placeholders inside {% if %} inside {% if %} … wording needs a handful of levels, never dozens.
MAX_DEPTH = 30


def check_template(field: str, source: str, allowed: Collection[str]) -> None:
    """Raise ``Invalid`` unless ``source`` is wording this system can render.

    Codes: ``too_long`` (with the maximum), ``syntax`` (with the line), ``not_allowed_in_wording``
    (with the construct and its line), ``system_link`` (a link placeholder, with its name) and
    ``unknown_placeholder`` (with the name).
    """
    if len(source) > MAX_TEMPLATE:
        raise Invalid(field, "too_long", maximum=MAX_TEMPLATE)
    if LINK_MARK in source:
        # The delivery log's mark for a secret link, typed in by hand, would reach people as it is.
        raise Invalid(field, "link_mark")
    parsed = _parse(field, source)
    _check_nodes(field, parsed)
    names = {node.name for node in parsed.find_all(nodes.Name)}
    links = sorted(names & SYSTEM_LINKS - set(allowed))
    if links:
        raise Invalid(field, "system_link", name=links[0])
    unknown = sorted(names - set(allowed))
    if unknown:
        raise Invalid(field, "unknown_placeholder", name=unknown[0])


def _parse(field: str, source: str) -> nodes.Template:
    try:
        return ENVIRONMENT.parse(source)
    except TemplateSyntaxError as error:
        raise Invalid(field, "syntax", line=error.lineno, problem=error.message or "") from None
    except RecursionError:
        raise Invalid(field, "too_deep", maximum=MAX_DEPTH) from None


def _check_nodes(field: str, parsed: nodes.Template) -> None:
    """Raise ``Invalid`` for the first construct wording may not use, or for nesting past ``MAX_DEPTH``."""
    for node, depth in _walk(parsed):
        if depth > MAX_DEPTH:
            raise Invalid(field, "too_deep", maximum=MAX_DEPTH)
        construct = _refused(node)
        if construct is not None:
            raise Invalid(field, "not_allowed_in_wording", construct=construct, line=node.lineno)


def _walk(node: nodes.Node) -> Iterator[tuple[nodes.Node, int]]:
    """Every node under ``node``, with how deep it lies, in the order it was written; without recursion."""
    stack = [(node, 0)]
    while stack:
        current, depth = stack.pop()
        yield current, depth
        stack.extend((child, depth + 1) for child in reversed(list(current.iter_child_nodes())))


def _refused(node: nodes.Node) -> str | None:
    """What is wrong with ``node`` in wording, in the words a template writer would use, or None."""
    if not isinstance(node, ALLOWED_NODES):
        return _construct_name(node)
    if isinstance(node, nodes.Name) and node.ctx != "load":
        return "{% set %}"
    if isinstance(node, nodes.Filter):
        if node.name not in ALLOWED_FILTERS or node.kwargs or node.dyn_args or node.dyn_kwargs:
            return f"|{node.name}"
        if node.name != "default" and node.args or len(node.args) > 1:
            return f"|{node.name}"
    if isinstance(node, nodes.Test) and (node.name not in ALLOWED_TESTS or node.args or node.kwargs):
        return f"is {node.name}"
    if isinstance(node, nodes.Const) and isinstance(node.value, str) and len(node.value) > MAX_CONSTANT:
        return f'"{node.value[:20]}…"'
    return None


def _construct_name(node: nodes.Node) -> str:
    names = {
        nodes.For: "{% for %}",
        nodes.Assign: "{% set %}",
        nodes.AssignBlock: "{% set %}",
        nodes.Macro: "{% macro %}",
        nodes.CallBlock: "{% call %}",
        nodes.FilterBlock: "{% filter %}",
        nodes.With: "{% with %}",
        nodes.Include: "{% include %}",
        nodes.Import: "{% import %}",
        nodes.FromImport: "{% import %}",
        nodes.Extends: "{% extends %}",
        nodes.Block: "{% block %}",
        nodes.Call: "( )",
        nodes.Getattr: ".",
        nodes.Getitem: "[ ]",
        nodes.Slice: "[ : ]",
    }
    for kind, name in names.items():
        if isinstance(node, kind):
            return name
    if isinstance(node, nodes.BinExpr):
        return node.operator
    return type(node).__name__.lower()


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
    if channel == "sms":
        # A text is its subject; complaint texts get "where you are" from the system, after the wording.
        return "", subject + "."
    return subject, "\n\n".join(words(p) for p in spec.paragraphs)


def effective_source(event: str, channel: str, locale: str) -> tuple[str, str, str]:
    """(subject, body, origin) for an event: staff's template in this language, else the translated default.

    ``origin`` is "template" or "default". Staff's wording in one language is never used for another:
    a Welsh reader whose wording staff haven't edited gets the Welsh default, not edited English.
    """
    row = MessageTemplate.get_or_none(
        MessageTemplate.event == event, MessageTemplate.channel == channel, MessageTemplate.locale == locale
    )
    if row is not None:
        return row.subject, row.body, "template"
    subject, body = default_source(EVENTS[event], channel, locale)
    return subject, body, "default"


@lru_cache(maxsize=512)
def compiled(source: str) -> Any:
    """Compile a template once; fan-outs render the same wording for thousands of people.

    Raises ``Invalid("body", "render_failed")`` for wording this system no longer accepts (saved
    before the rules about loops and links), so it is never run.
    """
    try:
        parsed = _parse("body", source)
        _check_nodes("body", parsed)
    except Invalid as error:
        raise Invalid("body", "render_failed", problem=error.code) from None
    return ENVIRONMENT.from_string(parsed)


def render_source(source: str, values: Mapping[str, Any]) -> str:
    """Render wording with ``values``; raise ``Invalid("body", "render_failed")`` if it cannot be."""
    template = compiled(source)
    try:
        return str(template.render(**values)).strip()
    except (UndefinedError, SecurityError, TemplateSyntaxError, TypeError, ValueError) as error:
        raise Invalid("body", "render_failed", problem=str(error)) from None


def render(event: str, channel: str, locale: str, values: Mapping[str, Any]) -> tuple[str, str]:
    """Render an event's subject and body for one channel and language.

    Staff's wording that cannot be rendered (a placeholder the event no longer has, or wording
    saved before today's rules) gives way to the default wording: a statutory letter is never lost
    to a template.
    """
    subject, body, origin = effective_source(event, channel, locale)
    try:
        return one_line(render_source(subject, values)), render_source(body, values)
    except Invalid:
        if origin == "default":
            raise
        logger.warning("wording for %s by %s in %s cannot be rendered; the default is used", event, channel, locale)
    subject, body = default_source(EVENTS[event], channel, locale)
    return one_line(render_source(subject, values)), render_source(body, values)


def one_line(text: str) -> str:
    """A subject on one line, whatever the wording or its values hold."""
    return " ".join(text.split())


def compiled_wording(spec: EventSpec, channel: str, locale: str) -> tuple[Any, Any]:
    """The compiled subject and body in force, or the default's where staff's can't be compiled."""
    subject, body, origin = effective_source(spec.name, channel, locale)
    try:
        return compiled(subject), compiled(body)
    except Invalid:
        if origin == "default":
            raise
    subject, body = default_source(spec, channel, locale)
    return compiled(subject), compiled(body)


# Default wording that is nothing but a placeholder has nothing to translate.
ONLY_PLACEHOLDERS = re.compile(r"(\s*%\(\w+\)s\s*)+")


def default_message_ids(spec: EventSpec, channel: str) -> tuple[str, ...]:
    """The catalogue messages an event's default wording on ``channel`` is made of."""
    parts = (spec.subject,) if channel == "sms" else (spec.subject, *spec.paragraphs)
    return tuple(part for part in parts if not ONLY_PLACEHOLDERS.fullmatch(part))


@lru_cache(maxsize=1024)
def default_is_translated(event: str, channel: str, locale: str) -> bool:
    """Whether every part of an event's default wording has a reviewed translation in ``locale``.

    Compiled catalogues leave out fuzzy (unreviewed) entries, so a part counts only once a translator
    has confirmed it. English is the source language and always counts.
    """
    if locale == "en":
        return True
    catalogue = getattr(translations(locale), "_catalog", {})
    return all(catalogue.get(message) for message in default_message_ids(EVENTS[event], channel))


def where_you_are(locale: str, stage: str, next_step: str, due_date: Any) -> str:
    """The "where you are" block in the person's language, with the date written their way.

    With no due date (nothing is waiting on the landlord) the paragraph that names the date is left out.
    """
    written = format_date(due_date, format="long", locale=formatting_locale(locale)) if due_date else NO_DATE
    values = {"stage": stage, "next_step": next_step, "due_date": written}
    _subject, body, _origin = effective_source("block.where_you_are", "email", locale)
    try:
        rendered = render_source(body, values)
    except Invalid:
        _subject, body = default_source(EVENTS["block.where_you_are"], "email", locale)
        rendered = render_source(body, values)
    return "\n\n".join(part for part in rendered.split("\n\n") if NO_DATE not in part).strip()


# Marks the date's paragraph so it can be dropped when nothing is due.
NO_DATE = "\u2063no-date\u2063"
