"""The landlord's own public pages: contact, complaints policy, accessibility statement and privacy notice.

Admins write each page per language (a title up to 200 characters, a body up to 50,000) in a tiny markup that can
only become safe HTML: paragraphs separated by blank lines, ``## `` headings, ``- `` list items and links written
``[words](https://...)`` (only http, https and mailto links; any other stays plain words). Nothing written is ever
shown as raw HTML: :func:`blocks` turns the body into data that the page's template escapes.

A page not written in the reader's language is shown in English (marked with its language); a page not written at
all is a built-in default that names the landlord (:func:`default_page`), e.g. the accessibility statement naming
WCAG 2.2 AA and the complaints policy linking to the public "how to complain" page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from backend.audit.services import field_changes, record_audit
from backend.cocreation.models import LandlordPage, PageKind
from backend.config import current
from backend.context import Actor
from backend.db import transaction
from backend.errors import NotAllowed, gather
from backend.lessons.sharing import text
from backend.text import clean
from backend.timeutil import utcnow

MAX_TITLE = 200
MAX_BODY = 50_000
ENTITY = "landlord_page"
_LINK = re.compile(r"\[([^\[\]\n]{1,300})\]\(([^()\s]{1,2000})\)")
_SAFE_SCHEMES = ("http://", "https://", "mailto:")


@dataclass(frozen=True)
class ShownPage:
    """A page as a reader is shown it: in their language, in English, or the built-in default."""

    kind: str
    locale: str
    title: str
    body: str
    built_in: bool


def _require_admin(actor: Actor, action: str) -> None:
    if not actor.can_write or not actor.has_role("admin") or actor.user_id is None:
        raise NotAllowed(action)


def set_page(actor: Actor, kind: str, locale: str, title: str, body: str) -> LandlordPage:
    """Write (or rewrite) one of the landlord's pages in one language; return it.

    Admins only. Raises NotAllowed, or Invalid listing every problem: ``kind`` "invalid", ``locale``
    "unsupported" (not an enabled language), ``title`` "required", "too_long" or "hidden_characters", ``body``
    "required" or "too_long".
    """
    _require_admin(actor, "landlord_page.set")
    with gather() as problems:
        if kind not in PageKind.codes():
            problems.add("kind", "invalid", about=ENTITY)
        if locale not in current().enabled_locales:
            problems.add("locale", "unsupported")
        title = text(problems, "title", title, MAX_TITLE, required=True, line=True)
        body = clean(body)
        if not body:
            problems.add("body", "required", about=ENTITY)
        elif len(body) > MAX_BODY:
            problems.add("body", "too_long", maximum=MAX_BODY)
    with transaction():
        existing = LandlordPage.get_or_none(LandlordPage.kind == kind, LandlordPage.locale == locale)
        before = {"title": existing.title, "body": existing.body} if existing is not None else {}
        values = {"title": title, "body": body, "updated_by": actor.user_id, "updated_at": utcnow()}
        if existing is None:
            # Two admins saving the first version at once: the unique (kind, locale) keeps one row, the later wins.
            LandlordPage.insert(kind=kind, locale=locale, **values).on_conflict(
                conflict_target=[LandlordPage.kind, LandlordPage.locale], update=values
            ).execute()
        else:
            LandlordPage.update(**values).where(LandlordPage.id == existing.id).execute()
        page = LandlordPage.get(LandlordPage.kind == kind, LandlordPage.locale == locale)
        record_audit(actor, "landlord_page.set", ENTITY, page.id, field_changes(before, {"title": title, "body": body}))
    return page


def shown_page(kind: str, locale: str) -> ShownPage | None:
    """The page of ``kind`` for a reader of ``locale``: theirs, else English, else the built-in default; None for
    a kind that is not one of the pages."""
    if kind not in PageKind.codes():
        return None
    rows = {
        row.locale: row
        for row in LandlordPage.select().where(LandlordPage.kind == kind, LandlordPage.locale.in_([locale, "en"]))
    }
    row = rows.get(locale) or rows.get("en")
    if row is not None:
        return ShownPage(kind=kind, locale=row.locale, title=row.title, body=row.body, built_in=False)
    return default_page(kind)


def default_page(kind: str) -> ShownPage:
    """The built-in English page of ``kind``, naming the landlord, for when admins have written none."""
    settings = current()
    name = settings.landlord_name
    address = ", ".join(settings.landlord_address)
    policy = settings.complaints_policy_url
    bodies = {
        PageKind.CONTACT.value: (
            f"Contact {name}",
            f"You can write to {name} at {address}.\n\n"
            "## Making a complaint\n\n"
            "- [How to complain](/how-to-complain)\n"
            "- [Our complaints policy](/pages/complaints_policy)",
        ),
        PageKind.COMPLAINTS_POLICY.value: (
            "Our complaints policy",
            f"{name} follows the Housing Ombudsman's Complaint Handling Code (or, in Scotland, the Scottish Public "
            "Services Ombudsman's model complaints handling procedure).\n\n"
            "## How to complain\n\n"
            "- [How to complain, step by step](/how-to-complain)"
            + (f"\n- [Our full complaints policy]({policy})" if policy else ""),
        ),
        PageKind.ACCESSIBILITY.value: (
            "Accessibility statement",
            f"{name} wants as many people as possible to be able to use this website. It aims to meet the Web "
            "Content Accessibility Guidelines (WCAG) version 2.2 at level AA.\n\n"
            "## What you can do\n\n"
            "- use it with a keyboard or a screen reader\n"
            "- zoom in up to 400% and read it on a narrow screen\n"
            "- read it in English, Welsh and other languages\n\n"
            "## If you find a problem\n\n"
            f"Tell {name} at {address}, or [contact us](/pages/contact). "
            "If you are not happy with how we respond, you can [complain](/how-to-complain).",
        ),
        PageKind.PRIVACY.value: (
            "Privacy notice",
            f"{name} uses what you tell us to answer your feedback and complaints and to learn from them.\n\n"
            "## What is published\n\n"
            "Published pages never name you: what residents say is published only after personal details are "
            "removed, and figures about fewer than five people are not shown.\n\n"
            "## Your rights\n\n"
            f"You can ask to see the information {name} holds about you by writing to {address}.",
        ),
    }
    title, body = bodies[kind]
    return ShownPage(kind=kind, locale="en", title=title, body=body, built_in=True)


def _inline(line: str) -> list[dict[str, str]]:
    """A line's words and links, in order; a link to anything but http(s) or mailto stays plain words."""
    parts: list[dict[str, str]] = []
    at = 0
    for match in _LINK.finditer(line):
        label, href = match.group(1), match.group(2)
        # A page of this site: a path that starts with one slash and a plain character; browsers read "//" and
        # "/\\" as another site's address.
        same_site = href.startswith("/") and not href.startswith(("//", "/\\")) and "\\" not in href
        safe = href.lower().startswith(_SAFE_SCHEMES) or same_site
        if not safe:
            continue
        if match.start() > at:
            parts.append({"text": line[at : match.start()]})
        parts.append({"text": label, "href": href})
        at = match.end()
    if at < len(line):
        parts.append({"text": line[at:]})
    return parts


def blocks(body: str) -> list[dict[str, Any]]:
    """The body as blocks to show: ``{"kind": "heading"|"paragraph"|"list", "parts"|"items": ...}``.

    Parts are ``{"text": ...}`` or ``{"text": ..., "href": ...}``; a template escapes every one of them.
    """
    shown: list[dict[str, Any]] = []
    for chunk in re.split(r"\n\s*\n", body.replace("\r\n", "\n")):
        paragraph: list[str] = []
        items: list[list[dict[str, str]]] = []
        for line in [line.strip() for line in chunk.strip().split("\n") if line.strip()]:
            kind = "heading" if line.startswith("## ") else "item" if line.startswith("- ") else "text"
            if kind != "text" and paragraph:
                shown.append({"kind": "paragraph", "parts": _inline(" ".join(paragraph))})
                paragraph = []
            if kind != "item" and items:
                shown.append({"kind": "list", "items": items})
                items = []
            if kind == "heading":
                shown.append({"kind": "heading", "parts": _inline(line[3:].strip())})
            elif kind == "item":
                items.append(_inline(line[2:].strip()))
            else:
                paragraph.append(line)
        if paragraph:
            shown.append({"kind": "paragraph", "parts": _inline(" ".join(paragraph))})
        if items:
            shown.append({"kind": "list", "items": items})
    return shown
