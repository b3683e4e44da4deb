"""Put a message together: staff's wording, then the call to action the system writes after it.

Secret links are written in only when ``reveal`` is true, which happens in one place: as an email
or a text message is handed to its channel. Everything stored (a delivery's action, a digest, a
letter, a portal message) is composed with ``reveal=False`` and shows :data:`LINK_MARK` instead.
Only the call to action becomes links in HTML; wording, and every value substituted into it, is
text, so a name or a title can never turn into a link.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field

from backend.config import text_direction
from backend.i18n import translations
from backend.notifications.blocks import Block, blocks_html, blocks_text
from backend.notifications.catalogue import EVENTS, LINK_MARK, ActionLine, EventSpec, Link, Recipient

# Channels that carry secret links: they reach the person's own inbox or phone, and nobody stores
# what was sent. A letter is printed by staff and a portal message is kept, so they never do.
REVEALING_CHANNELS = frozenset({"email", "sms"})


@dataclass(frozen=True)
class Part:
    """One message's wording, the substance the system adds after it, and its call to action (a digest has several)."""

    body: str
    action: tuple[ActionLine, ...] = ()
    subject: str = ""
    details: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Composed:
    subject: str
    parts: tuple[Part, ...] = field(default_factory=tuple)


def call_to_action(spec: EventSpec, recipient: Recipient) -> tuple[ActionLine, ...]:
    """The lines the system adds after the wording for this recipient and channel."""
    if spec.action is not None:
        return tuple(spec.action(recipient))
    if spec.link_text is None or spec.link is None:
        return ()
    url = spec.link(recipient)
    if not url:
        return ()
    label = translations(recipient.locale).gettext(spec.link_text)
    return (Link(label, url, secret=spec.secret),)


def sample_action(spec: EventSpec, locale: str) -> tuple[ActionLine, ...]:
    """The call to action a preview shows, with secret links marked as they are in the delivery log."""
    gettext = translations(locale).gettext
    if spec.sample_action:
        return tuple(
            Link(gettext(line.label), line.url, line.secret) if isinstance(line, Link) else line
            for line in spec.sample_action
        )
    if spec.link_text is None or (spec.link is None and spec.action is None):
        return ()
    return (Link(gettext(spec.link_text), spec.sample_link, spec.secret),)


def action_for(event_name: str, recipient: Recipient) -> tuple[ActionLine, ...]:
    spec = EVENTS.get(event_name)
    return call_to_action(spec, recipient) if spec is not None else ()


def details_for(event_name: str, recipient: Recipient) -> tuple[Block, ...]:
    """The blocks the system writes after the wording for this recipient and channel (none for most events)."""
    spec = EVENTS.get(event_name)
    if spec is None or spec.details is None:
        return ()
    return tuple(spec.details(recipient))


def with_details(body: str, details: tuple[Block, ...], channel: str) -> str:
    """Staff's wording followed by the system's blocks, as the text that is stored and sent."""
    text = blocks_text(details, channel)
    return (body + (" " if channel == "sms" else "\n\n") + text).strip() if text else body


def split_details(body: str, details: tuple[Block, ...], channel: str) -> Part:
    """A stored body (wording then blocks) as a part with its blocks apart, so HTML can show tables.

    When the blocks made now are not the ones stored (the complaint moved on in between), the stored
    text is kept whole: what was recorded is what is sent.
    """
    text = blocks_text(details, channel)
    if details and text and body.endswith(text):
        return Part(body[: len(body) - len(text)].rstrip(), details=details)
    return Part(body)


def _target(link: Link, reveal: bool) -> str:
    return link.url if reveal or not link.secret else LINK_MARK


def action_text(lines: Sequence[ActionLine], channel: str, reveal: bool) -> str:
    """The call to action as text: a text message gets its links on one line, others a line each."""
    reveal = reveal and channel in REVEALING_CHANNELS
    if channel == "sms":
        return " ".join(f"{line.label}: {_target(line, reveal)}" for line in lines if isinstance(line, Link))
    text = "\n".join(f"{line.label}: {_target(line, reveal)}" if isinstance(line, Link) else line for line in lines)
    return text.strip()


def text_of(message: Composed, channel: str, reveal: bool) -> str:
    """The whole message as plain text (the email's text part, the SMS, the letter, the portal message)."""
    separator = " " if channel == "sms" else "\n\n"
    chunks: list[str] = []
    for part in message.parts:
        chunks += [
            part.subject,
            part.body,
            blocks_text(part.details, channel),
            action_text(part.action, channel, reveal),
        ]
    return separator.join(chunk for chunk in chunks if chunk)


def html_of(message: Composed, locale: str, reveal: bool) -> str:
    """A plain, accessible HTML part: a paragraph per block of wording, and the call to action's links."""
    blocks: list[str] = []
    for part in message.parts:
        if part.subject:
            blocks.append(f"<h2>{html.escape(part.subject)}</h2>")
        blocks += [_paragraph(block.splitlines()) for block in part.body.split("\n\n") if block.strip()]
        blocks += blocks_html(part.details)
        blocks += _action_html(part.action, reveal)
    return (
        f'<!doctype html><html lang="{locale}" dir="{text_direction(locale)}"><head><meta charset="utf-8">'
        f"<title>{html.escape(message.subject)}</title></head><body>{''.join(blocks)}</body></html>"
    )


def _paragraph(lines: Sequence[str]) -> str:
    return "<p>" + "<br>".join(html.escape(line) for line in lines) + "</p>"


def _action_html(lines: Sequence[ActionLine], reveal: bool) -> list[str]:
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line == "":
            paragraphs.append([])
        elif isinstance(line, Link) and (reveal or not line.secret):
            paragraphs[-1].append(f'<a href="{html.escape(line.url)}">{html.escape(line.label)}</a>')
        elif isinstance(line, Link):
            paragraphs[-1].append(html.escape(f"{line.label}: {LINK_MARK}"))
        else:
            paragraphs[-1].append(html.escape(line))
    return ["<p>" + "<br>".join(paragraph) + "</p>" for paragraph in paragraphs if paragraph]
