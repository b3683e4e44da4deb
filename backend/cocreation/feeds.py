"""Atom feeds of what the landlord publishes: the published changes and the published quarterly digests.

Each feed is in one language (the English text where a change has none in it). A change's entry is its title, its
easy-read summary, its link and when it last moved; a digest's entry is its quarter and its introduction. Only
published things are in a feed, and only what their public pages show: no person is named in either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from feedgen.feed import FeedGenerator

from backend.cocreation.models import Change, Digest, DigestStatus
from backend.config import current

#: The most entries a feed holds, newest first.
MAX_ENTRIES = 50
#: When an empty feed says it was last updated.
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def in_language(texts: Mapping[str, str] | None, locale: str) -> tuple[str, str]:
    """The text in ``locale``, else English, else any; with the language it is in."""
    texts = texts or {}
    for choice in (locale, "en"):
        if texts.get(choice):
            return texts[choice], choice
    for choice, value in sorted(texts.items()):
        if value:
            return value, choice
    return "", locale


def _utc(moment: Any) -> dt.datetime:
    """A stored (naive UTC) moment, with its zone."""
    return dt.datetime.fromisoformat(str(moment)).replace(tzinfo=dt.UTC)


def _feed(base_url: str, path: str, title: str, locale: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(f"{base_url}{path}")
    feed.title(title)
    feed.author({"name": current().landlord_name})
    feed.link(href=f"{base_url}{path}?lang={locale}", rel="self")
    feed.link(href=base_url + "/you-said-we-did", rel="alternate")
    feed.language(locale)
    return feed


def changes_feed(base_url: str, locale: str, title: str) -> bytes:
    """The Atom feed of published changes in ``locale``, newest move first; ``title`` is the feed's own title."""
    feed = _feed(base_url, "/changes.atom", title, locale)
    rows = (
        Change.select()
        .where(Change.published_at.is_null(False))
        .order_by(Change.updated_at.desc(), Change.id.desc())
        .limit(MAX_ENTRIES)
    )
    newest: dt.datetime | None = None
    for row in reversed(list(rows)):
        link = f"{base_url}/changes/{row.reference}"
        entry = feed.add_entry()
        entry.id(link)
        entry.title(in_language(row.title, locale)[0] or row.reference)
        summary = in_language(row.easy_read, locale)[0]
        if summary:
            entry.summary(summary)
        entry.link(href=link, rel="alternate")
        published, updated = _utc(row.published_at), _utc(row.updated_at)
        entry.published(published)
        entry.updated(max(updated, published))
        newest = max(newest or updated, updated)
    feed.updated(newest or EPOCH)
    return bytes(feed.atom_str(pretty=True))


def digests_feed(base_url: str, locale: str, title: str, entry_title: str) -> bytes:
    """The Atom feed of published digests in ``locale``, newest quarter first; ``entry_title`` is a format with
    ``{year}`` and ``{quarter}`` for each entry's title."""
    feed = _feed(base_url, "/digests.atom", title, locale)
    rows = (
        Digest.select()
        .where(Digest.status == DigestStatus.PUBLISHED)
        .order_by(Digest.year.desc(), Digest.quarter.desc())
        .limit(MAX_ENTRIES)
    )
    newest: dt.datetime | None = None
    for row in reversed(list(rows)):
        link = f"{base_url}/digests/{row.year}-q{row.quarter}"
        entry = feed.add_entry()
        entry.id(link)
        entry.title(entry_title.format(year=row.year, quarter=row.quarter))
        introduction = in_language(row.introduction, locale)[0]
        if introduction:
            entry.summary(introduction)
        entry.link(href=link, rel="alternate")
        published = _utc(row.published_at)
        entry.published(published)
        entry.updated(published)
        newest = max(newest or published, published)
    feed.updated(newest or EPOCH)
    return bytes(feed.atom_str(pretty=True))
