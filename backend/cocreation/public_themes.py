"""Themes published for residents: managers publish and unpublish them; anyone reads the published ones.

A theme may be published once it is ready for residents (a resident-facing name in every enabled language,
``backend.lessons.themes.is_ready``) and is neither archived nor merged. Unpublishing hides it and keeps its votes and
round results. A theme archived or merged after it was published is no longer public, whatever its ``published_at``
says: the readers here leave it out.

The readers build each theme's public view (its name and description in the reader's language, with English as the
marked fallback, its approved quotes, its latest counted round result, whether it is on an open ballot, and the
published changes made for it) in a fixed number of statements, however many themes there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from backend.audit.services import record_audit
from backend.cocreation.models import (
    Change,
    ChangeTheme,
    PriorityRound,
    QuoteStatus,
    RoundStatus,
    RoundTheme,
    ThemeQuote,
)
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, NotAllowed
from backend.events.services import record_event
from backend.lessons.models import Theme, ThemeText
from backend.lessons.themes import MANAGER_ROLES, get_theme, is_ready
from backend.text import clean
from backend.timeutil import utcnow

FALLBACK = "en"
#: The most themes one public list holds.
MAX_THEMES = 200


@dataclass(frozen=True)
class Worded:
    """A text in the language it is shown in: the reader's, or English when theirs has none."""

    text: str
    locale: str


@dataclass(frozen=True)
class PublicQuote:
    """An approved quote: what a resident said, anonymised."""

    text: str
    locale: str


@dataclass(frozen=True)
class RoundResult:
    """A theme's votes in the latest counted round that had it on its ballot."""

    round_id: int
    round_title: Worded
    votes: int
    voters: int
    counted_at: dt.datetime


@dataclass(frozen=True)
class ThemeChange:
    """A published change made for the theme."""

    reference: str
    title: Worded


@dataclass(frozen=True)
class PublicTheme:
    """What anyone may read of a published theme, in one language."""

    id: int
    name: Worded
    description: Worded
    published_at: dt.datetime
    quotes: list[PublicQuote] = field(default_factory=list)
    result: RoundResult | None = None
    open_round: bool = False
    changes: list[ThemeChange] = field(default_factory=list)


def _check_manager(actor: Actor, action: str) -> None:
    if not actor.can_write or not actor.has_role(*MANAGER_ROLES):
        raise NotAllowed(f"theme.{action}")


def _live(theme: Theme) -> bool:
    return theme.archived_at is None and theme.merged_into_id is None  # type: ignore[attr-defined]


def publish_theme(actor: Actor, theme_id: int) -> Theme:
    """Publish a theme for residents; return it. Publishing one already public changes nothing.

    Managers only. Raises NotAllowed, NotFound("theme"), Conflict("theme_ended") for a theme archived or merged, or
    Conflict("theme_not_ready") when an enabled language has no resident-facing name.
    """
    _check_manager(actor, "publish")
    theme = get_theme(theme_id)
    if not _live(theme):
        raise Conflict("theme_ended")
    if not is_ready(theme.id):
        raise Conflict("theme_not_ready")
    if theme.published_at is not None:
        return theme
    with transaction():
        now = utcnow()
        moved = (
            Theme.update(published_at=now, updated_at=now)
            .where(
                Theme.id == theme.id,
                Theme.published_at.is_null(),
                Theme.archived_at.is_null(),
                Theme.merged_into.is_null(),
            )
            .execute()
        )
        if moved == 1:  # of two managers publishing at once, the first records it
            record_audit(actor, "theme.published", "theme", theme.id, {"published_at": {"before": None, "after": now}})
            record_event("cocreation.theme_published", {"theme_id": theme.id})
    return get_theme(theme.id)


def unpublish_theme(actor: Actor, theme_id: int) -> Theme:
    """Take a theme off the public pages; its votes and round results are kept. Return it.

    Unpublishing one not public changes nothing. Managers only. Raises NotAllowed or NotFound("theme").
    """
    _check_manager(actor, "unpublish")
    theme = get_theme(theme_id)
    if theme.published_at is None:
        return theme
    with transaction():
        now = utcnow()
        moved = (
            Theme.update(published_at=None, updated_at=now)
            .where(Theme.id == theme.id, Theme.published_at.is_null(False))
            .execute()
        )
        if moved == 1:
            changes = {"published_at": {"before": theme.published_at, "after": None}}
            record_audit(actor, "theme.unpublished", "theme", theme.id, changes)
            record_event("cocreation.theme_unpublished", {"theme_id": theme.id})
    return get_theme(theme.id)


def public_filter() -> list:
    """SQL conditions on Theme: published, not archived, not merged."""
    return [Theme.published_at.is_null(False), Theme.archived_at.is_null(), Theme.merged_into.is_null()]


def is_public(theme_id: int) -> bool:
    """Whether the theme is on the public pages."""
    return Theme.select().where(Theme.id == theme_id, *public_filter()).exists()


def _worded(texts: dict[str, str], locale: str) -> Worded:
    """The reader's text, or English marked as such; blank text counts as none."""
    if clean(texts.get(locale)):
        return Worded(texts[locale], locale)
    return Worded(texts.get(FALLBACK, ""), FALLBACK)


def _json_worded(value: object, locale: str) -> Worded:
    texts = {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
    return _worded(texts, locale)


def _texts(ids: Sequence[int], locale: str) -> dict[int, dict[str, tuple[str, str]]]:
    rows = ThemeText.select(ThemeText.theme, ThemeText.locale, ThemeText.name, ThemeText.description).where(
        ThemeText.theme.in_(ids), ThemeText.locale.in_({locale, FALLBACK})
    )
    found: dict[int, dict[str, tuple[str, str]]] = {}
    for row in rows:
        found.setdefault(row.theme_id, {})[row.locale] = (row.name, row.description)  # type: ignore[attr-defined]
    return found


def _quotes(ids: Sequence[int], locale: str) -> dict[int, list[PublicQuote]]:
    rows = (
        ThemeQuote.select(ThemeQuote.theme, ThemeQuote.locale, ThemeQuote.text)
        .where(
            ThemeQuote.theme.in_(ids),
            ThemeQuote.status == QuoteStatus.APPROVED,
            ThemeQuote.locale.in_({locale, FALLBACK}),
        )
        .order_by(ThemeQuote.approved_at, ThemeQuote.id)
    )
    by_locale: dict[int, dict[str, list[PublicQuote]]] = {}
    for row in rows:
        by_locale.setdefault(row.theme_id, {}).setdefault(row.locale, []).append(  # type: ignore[attr-defined]
            PublicQuote(row.text, row.locale)
        )
    return {theme: quotes.get(locale) or quotes.get(FALLBACK, []) for theme, quotes in by_locale.items()}


def _results(ids: Sequence[int], locale: str) -> dict[int, RoundResult]:
    """Each theme's result in the most recently counted round that had it on its ballot (one statement)."""
    rows = (
        RoundTheme.select(
            RoundTheme.theme,
            RoundTheme.votes,
            RoundTheme.voters,
            PriorityRound.id,
            PriorityRound.title,
            PriorityRound.counted_at,
        )
        .join(PriorityRound)
        .where(
            RoundTheme.theme.in_(ids),
            PriorityRound.counted_at.is_null(False),
            PriorityRound.status != RoundStatus.CANCELLED,
        )
        .order_by(PriorityRound.counted_at.desc(), PriorityRound.id.desc())
    )
    found: dict[int, RoundResult] = {}
    for row in rows:
        theme_id = row.theme_id  # type: ignore[attr-defined]
        if theme_id not in found:
            found[theme_id] = RoundResult(
                round_id=row.round.id,
                round_title=_json_worded(row.round.title, locale),
                votes=row.votes,
                voters=row.voters,
                counted_at=row.round.counted_at,  # type: ignore[arg-type]  # counted: not null
            )
    return found


def _on_open_ballot(ids: Sequence[int]) -> set[int]:
    now = utcnow()
    rows = (
        RoundTheme.select(RoundTheme.theme)
        .join(PriorityRound)
        .where(
            RoundTheme.theme.in_(ids),
            PriorityRound.status == RoundStatus.PUBLISHED,
            PriorityRound.opens_at <= now,
            PriorityRound.closes_at > now,
        )
        .distinct()
    )
    return {row.theme_id for row in rows}  # type: ignore[attr-defined]


def _changes(ids: Sequence[int], locale: str) -> dict[int, list[ThemeChange]]:
    rows = (
        ChangeTheme.select(ChangeTheme.theme, Change.reference, Change.title)
        .join(Change)
        .where(ChangeTheme.theme.in_(ids), Change.published_at.is_null(False))
        .order_by(Change.published_at.desc(), Change.id.desc())
    )
    found: dict[int, list[ThemeChange]] = {}
    for row in rows:
        found.setdefault(row.theme_id, []).append(  # type: ignore[attr-defined]
            ThemeChange(row.change.reference, _json_worded(row.change.title, locale))
        )
    return found


#: The parts of a public theme that take a statement of their own, each read only when asked for.
PARTS = frozenset({"quotes", "result", "open_round", "changes"})


def _build(themes: Sequence[Theme], locale: str, parts: frozenset[str] = PARTS) -> list[PublicTheme]:
    ids = [theme.id for theme in themes]
    if not ids:
        return []
    texts = _texts(ids, locale)
    quotes = _quotes(ids, locale) if "quotes" in parts else {}
    results = _results(ids, locale) if "result" in parts else {}
    open_ids = _on_open_ballot(ids) if "open_round" in parts else set()
    changes = _changes(ids, locale) if "changes" in parts else {}
    built = []
    for theme in themes:
        mine = texts.get(theme.id, {})
        built.append(
            PublicTheme(
                id=theme.id,
                name=_worded({k: v[0] for k, v in mine.items()}, locale),
                description=_worded({k: v[1] for k, v in mine.items()}, locale),
                published_at=theme.published_at,  # type: ignore[arg-type]  # published: not null
                quotes=quotes.get(theme.id, []),
                result=results.get(theme.id),
                open_round=theme.id in open_ids,
                changes=changes.get(theme.id, []),
            )
        )
    return built


def public_themes(locale: str, parts: frozenset[str] = PARTS) -> list[PublicTheme]:
    """Every published theme (at most MAX_THEMES), in ``locale`` with English as the fallback, ordered by name, with
    the ``parts`` asked for (the others left empty).

    At most six statements, however many themes there are.
    """
    themes = list(
        Theme.select(Theme.id, Theme.published_at).where(*public_filter()).order_by(Theme.id).limit(MAX_THEMES)
    )
    built = _build(themes, locale, parts)
    return sorted(built, key=lambda theme: (theme.name.text.casefold(), theme.id))


def public_theme(theme_id: int, locale: str) -> PublicTheme | None:
    """The published theme in ``locale``; None when there is none, or it is not public."""
    if not 0 < theme_id < 2**63:
        return None
    themes = list(Theme.select(Theme.id, Theme.published_at).where(Theme.id == theme_id, *public_filter()))
    built = _build(themes, locale)
    return built[0] if built else None
