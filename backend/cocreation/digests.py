"""The quarterly "you said, we did" digest: outcomes, trends and actions, published at least quarterly.

Staff assemble a digest for a quarter (one per quarter) from what is already public or statistical:

- the changes published, or moved, in the quarter (what was done, by status);
- the published themes' trends: contacts per theme in the quarter against the quarter before, counted from the
  themes' figures (statistics only; a count under 5 is shown as "fewer than 5", as the reports suppress it);
- the results of the priority rounds that closed in the quarter and were counted;
- the approved success stories staff pick for it.

``content`` is a JSON snapshot of exactly what is shown; assembling again refreshes it while the digest is a
draft. The introduction (per language, up to 5,000 characters) has contact details and titled names replaced as it
is saved: staff's names and contact details, those of the residents whose contacts are linked to the quarter's
changes, case references, and anything else that looks personal. Staff submit it; a manager (or admin) who did
not draft it publishes it (four eyes), and from then on it is frozen: nothing changes its content or introduction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from backend.audit.services import field_changes, record_audit
from backend.cocreation.models import (
    Change,
    ChangeContact,
    ChangeUpdate,
    Digest,
    DigestStatus,
    DigestStory,
    PriorityRound,
    RoundStatus,
    RoundTheme,
)
from backend.complaints.models import Contact
from backend.complaints.redaction import parties_for
from backend.config import current
from backend.context import STAFF_ROLES, Actor
from backend.db import transaction
from backend.errors import Conflict, NotAllowed, NotFound, gather
from backend.events.services import record_event
from backend.lessons.models import StoryStatus, SuccessStory, Theme, ThemeText
from backend.lessons.theme_figures import trends
from backend.panels.redaction import redact_for_panel
from backend.redaction import Party, redact_narrative
from backend.text import clean
from backend.timeutil import LOCAL_ZONE, local_date, utcnow

MAX_INTRODUCTION = 5_000
MAX_STORIES = 10
#: The smallest count shown; smaller ones are "fewer than 5" (backend.reports.suppression.THRESHOLD).
THRESHOLD = 5
MANAGERS = ("manager", "admin")
FIRST_YEAR = 2000
ENTITY = "digest"
FIELDS = ("introduction", "status", "content")


def _require_staff(actor: Actor, action: str) -> None:
    if not actor.can_write or not actor.has_role(*STAFF_ROLES) or actor.user_id is None:
        raise NotAllowed(action)


def _require_manager(actor: Actor, action: str) -> None:
    if not actor.can_write or not actor.has_role(*MANAGERS) or actor.user_id is None:
        raise NotAllowed(action)


def quarter_days(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """The first day of the quarter and the first day after it."""
    first = dt.date(year, 3 * (quarter - 1) + 1, 1)
    after = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, after


def quarter_of(day: dt.date) -> tuple[int, int]:
    """The (year, quarter) a UK day falls in."""
    return day.year, (day.month - 1) // 3 + 1


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    """The quarter before."""
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def _utc(day: dt.date) -> dt.datetime:
    """The stored (naive UTC) moment UK midnight starts ``day``."""
    return dt.datetime.combine(day, dt.time(), LOCAL_ZONE).astimezone(dt.UTC).replace(tzinfo=None)


def _shown(count: int) -> int | None:
    """A count as published: None (shown as "fewer than 5") under the threshold."""
    return count if count >= THRESHOLD else None


def _theme_names(theme_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    names: dict[int, dict[str, str]] = {}
    for row in ThemeText.select().where(ThemeText.theme.in_(list(theme_ids))):
        names.setdefault(row.theme_id, {})[row.locale] = row.name  # type: ignore[attr-defined]
    return names


def _changes(low: dt.datetime, high: dt.datetime) -> list[dict[str, Any]]:
    moved = ChangeUpdate.select(ChangeUpdate.change).where(
        ChangeUpdate.created_at >= low, ChangeUpdate.created_at < high
    )
    rows = (
        Change.select()
        .where(Change.published_at.is_null(False), Change.published_at < high)
        .where((Change.published_at >= low) | Change.id.in_(moved))
        .order_by(Change.reference)
    )
    return [
        {
            "reference": row.reference,
            "title": dict(row.title or {}),
            "easy_read": dict(row.easy_read or {}),
            "status": str(row.status),
            "percent": int(row.percent),
            "changed_on": row.changed_on.isoformat() if row.changed_on else None,
        }
        for row in rows
    ]


def _trends(year: int, quarter: int) -> list[dict[str, Any]]:
    first, after = quarter_days(year, quarter)
    last_month = after - dt.timedelta(days=1)
    themes = Theme.select(Theme.id).where(
        Theme.published_at.is_null(False), Theme.archived_at.is_null(), Theme.merged_into.is_null()
    )
    theme_ids = [int(theme.id) for theme in themes]
    counted = trends(today=last_month)
    names = _theme_names(theme_ids)
    shown = []
    for theme_id in theme_ids:
        months = counted.get(theme_id, [])
        now = sum(month.contacts for month in months if month.month >= first)
        before = sum(
            month.contacts
            for month in months
            if quarter_days(*previous_quarter(year, quarter))[0] <= month.month < first
        )
        contacts, previous = _shown(now), _shown(before)
        direction = None
        if contacts is not None and previous is not None:
            direction = "up" if now > before else "down" if now < before else "same"
        shown.append(
            {"name": names.get(theme_id, {}), "contacts": contacts, "previous": previous, "direction": direction}
        )
    return sorted(shown, key=lambda row: (-(row["contacts"] or 0), str(row["name"].get("en", ""))))


def _rounds(low: dt.datetime, high: dt.datetime) -> list[dict[str, Any]]:
    rounds = (
        PriorityRound.select()
        .where(PriorityRound.status == RoundStatus.PUBLISHED, PriorityRound.counted_at.is_null(False))
        .where(PriorityRound.closes_at >= low, PriorityRound.closes_at < high)
        .order_by(PriorityRound.closes_at)
    )
    shown = []
    for found in rounds:
        ballot = list(RoundTheme.select().where(RoundTheme.round == found.id).order_by(RoundTheme.votes.desc()))
        names = _theme_names([row.theme_id for row in ballot])  # type: ignore[attr-defined]
        shown.append(
            {
                "title": dict(found.title or {}),
                "closed_on": local_date(found.closes_at).isoformat(),
                "results": [
                    {"name": names.get(row.theme_id, {}), "votes": int(row.votes)}  # type: ignore[attr-defined]
                    for row in ballot
                ],
            }
        )
    return shown


def _stories(digest_id: int) -> list[dict[str, Any]]:
    rows = (
        SuccessStory.select()
        .join(DigestStory, on=(DigestStory.story == SuccessStory.id))
        .where(DigestStory.digest == digest_id, SuccessStory.status == StoryStatus.APPROVED)
        .order_by(SuccessStory.id)
    )
    return [
        {
            "id": row.id,
            "title": redact_narrative(row.title),
            "before_figure": row.before_figure,
            "after_figure": row.after_figure,
        }
        for row in rows
    ]


def assemble_content(digest_id: int, year: int, quarter: int) -> dict[str, Any]:
    """What the digest for the quarter shows, counted now (a JSON-ready snapshot)."""
    first, after = quarter_days(year, quarter)
    low, high = _utc(first), _utc(after)
    return {
        "period": {"first": first.isoformat(), "last": (after - dt.timedelta(days=1)).isoformat()},
        "changes": _changes(low, high),
        "themes": _trends(year, quarter),
        "rounds": _rounds(low, high),
        "stories": _stories(digest_id),
        "assembled_at": utcnow().isoformat(timespec="seconds"),
    }


def _digest(digest_id: int) -> Digest:
    found = Digest.get_or_none(Digest.id == digest_id)
    if found is None:
        raise NotFound("digest", digest_id)
    return found


def _values(row: Digest) -> dict[str, Any]:
    return {"introduction": dict(row.introduction or {}), "status": str(row.status)}


def assemble_digest(actor: Actor, year: int, quarter: int) -> Digest:
    """Assemble the digest of a quarter, or assemble a draft one again with today's figures; return it.

    Staff only. Raises NotAllowed, Invalid (``year`` "invalid"; ``quarter`` "invalid" or "future" for a quarter
    not yet begun) or Conflict("digest_not_draft") when the quarter's digest is submitted or published.
    """
    _require_staff(actor, "digest.assemble")
    with gather() as problems:
        if not isinstance(year, int) or not FIRST_YEAR <= year <= 2100:
            problems.add("year", "invalid")
        elif not isinstance(quarter, int) or not 1 <= quarter <= 4:
            problems.add("quarter", "invalid")
        elif quarter_days(year, quarter)[0] > local_date():
            problems.add("quarter", "future")
    existing = Digest.get_or_none(Digest.year == year, Digest.quarter == quarter)
    if existing is not None and existing.status != DigestStatus.DRAFT:
        raise Conflict("digest_not_draft")
    with transaction():
        if existing is None:
            digest = Digest.create(year=year, quarter=quarter, drafted_by=actor.user_id)
            before: dict[str, Any] = {}
        else:
            digest, before = existing, _values(existing)
        content = assemble_content(digest.id, year, quarter)
        moved = (
            Digest.update(content=content, drafted_by=actor.user_id, updated_at=utcnow())
            .where(Digest.id == digest.id, Digest.status == DigestStatus.DRAFT)
            .execute()
        )
        if not moved:
            raise Conflict("digest_not_draft")
        record_audit(
            actor,
            "digest.assembled",
            ENTITY,
            digest.id,
            {"year": {"before": None, "after": year}, "quarter": {"before": None, "after": quarter}}
            if not before
            else {},
        )
        record_event("cocreation.digest_assembled", {"digest_id": digest.id, "year": year, "quarter": quarter})
    return _digest(digest.id)


def _parties(digest: Digest) -> list[Party]:
    """The people behind the contacts linked to the digest's changes (at most 500 contacts), whose names, addresses
    and contact details the introduction must not carry."""
    references = [change["reference"] for change in (digest.content or {}).get("changes", [])]
    contacts = (
        Contact.select()
        .join(ChangeContact, on=(ChangeContact.contact == Contact.id))
        .join(Change, on=(ChangeContact.change == Change.id))
        .where(Change.reference.in_(references))
        .limit(500)
    )
    return [party for contact in contacts for party in parties_for(contact)]


def _introduction(problems: Any, introduction: Mapping[str, str], parties: Sequence[Party]) -> dict[str, str]:
    enabled = current().enabled_locales
    kept: dict[str, str] = {}
    for locale, raw in introduction.items():
        if locale not in enabled:
            problems.add("introduction", "unsupported", at=("introduction", locale))
            continue
        text = clean(raw)
        if len(text) > MAX_INTRODUCTION:
            problems.add("introduction", "too_long", at=("introduction", locale), maximum=MAX_INTRODUCTION)
        elif text:
            # Published text: staff's and the linked residents' names and contact details, case references,
            # and whatever else looks personal (phone numbers, emails, postcodes, titled names) are replaced.
            kept[locale] = redact_narrative(redact_for_panel(text), parties)
    return kept


def update_digest(
    actor: Actor,
    digest_id: int,
    introduction: Mapping[str, str] | None = None,
    story_ids: Sequence[int] | None = None,
) -> Digest:
    """Change a draft digest's introduction (the languages given; an empty text removes one) and its stories.

    Staff only. Raises NotAllowed, NotFound("digest"), Invalid (``introduction`` "unsupported" or "too_long" at
    its language; ``stories`` "too_many" or "not_found" at each story not approved) or Conflict("digest_not_draft").
    """
    _require_staff(actor, "digest.update")
    digest = _digest(digest_id)
    with gather() as problems:
        intro = _introduction(problems, introduction, _parties(digest)) if introduction is not None else None
        stories = list(dict.fromkeys(story_ids or []))
        if len(stories) > MAX_STORIES:
            problems.add("stories", "too_many", maximum=MAX_STORIES)
        else:
            approved = {
                int(story.id)
                for story in SuccessStory.select(SuccessStory.id).where(
                    SuccessStory.id.in_(stories), SuccessStory.status == StoryStatus.APPROVED
                )
            }
            for index, story_id in enumerate(story_ids or []):
                if story_id not in approved:
                    problems.add("stories", "not_found", at=("story_ids", index))
    if digest.status != DigestStatus.DRAFT:
        raise Conflict("digest_not_draft")
    before = _values(digest)
    with transaction():
        values: dict[str, Any] = {"updated_at": utcnow(), "drafted_by": actor.user_id}
        if intro is not None:
            merged = dict(digest.introduction or {})
            for locale in introduction or {}:
                merged.pop(locale, None)
            merged.update(intro)
            values["introduction"] = merged
        moved = Digest.update(**values).where(Digest.id == digest.id, Digest.status == DigestStatus.DRAFT).execute()
        if not moved:
            raise Conflict("digest_not_draft")
        if story_ids is not None:
            DigestStory.delete().where(DigestStory.digest == digest.id).execute()
            for story_id in stories:
                DigestStory.create(digest=digest.id, story=story_id)
            content = dict(digest.content or {})
            content["stories"] = _stories(digest.id)
            Digest.update(content=content).where(Digest.id == digest.id).execute()
        after = _digest(digest.id)
        changes = field_changes(before, _values(after))
        if story_ids is not None:
            changes["stories"] = {"before": None, "after": stories}
        record_audit(actor, "digest.updated", ENTITY, digest.id, changes)
        record_event("cocreation.digest_updated", {"digest_id": digest.id})
    return after


def submit_digest(actor: Actor, digest_id: int) -> Digest:
    """Send a draft digest to the managers for approval; return it.

    Staff only. Raises NotAllowed, NotFound("digest") or Conflict("digest_not_draft").
    """
    _require_staff(actor, "digest.submit")
    digest = _digest(digest_id)
    with transaction():
        moved = (
            Digest.update(status=DigestStatus.SUBMITTED.value, updated_at=utcnow())
            .where(Digest.id == digest.id, Digest.status == DigestStatus.DRAFT)
            .execute()
        )
        if not moved:
            raise Conflict("digest_not_draft")
        record_audit(
            actor, "digest.submitted", ENTITY, digest.id, {"status": {"before": "draft", "after": "submitted"}}
        )
        record_event("cocreation.digest_submitted", {"digest_id": digest.id})
    return _digest(digest.id)


def publish_digest(actor: Actor, digest_id: int) -> Digest:
    """Approve and publish a submitted digest; from now on it is public and frozen. Return it.

    A manager (or admin) who did not draft it. Raises NotAllowed (``own_digest`` for the person who drafted it),
    NotFound("digest") or Conflict("digest_not_submitted").
    """
    _require_manager(actor, "digest.publish")
    digest = _digest(digest_id)
    if digest.drafted_by_id == actor.user_id:  # type: ignore[attr-defined]
        raise NotAllowed("digest.publish", "own_digest")
    with transaction():
        now = utcnow()
        moved = (
            Digest.update(
                status=DigestStatus.PUBLISHED.value, approved_by=actor.user_id, published_at=now, updated_at=now
            )
            .where(Digest.id == digest.id, Digest.status == DigestStatus.SUBMITTED)
            .execute()
        )
        if not moved:
            raise Conflict("digest_not_submitted")
        record_audit(
            actor, "digest.published", ENTITY, digest.id, {"status": {"before": "submitted", "after": "published"}}
        )
        record_event(
            "cocreation.digest_published", {"digest_id": digest.id, "year": digest.year, "quarter": digest.quarter}
        )
    return _digest(digest.id)


def return_digest(actor: Actor, digest_id: int) -> Digest:
    """Send a submitted digest back to draft, to be changed; return it.

    A manager (or admin). Raises NotAllowed, NotFound("digest") or Conflict("digest_not_submitted").
    """
    _require_manager(actor, "digest.return")
    digest = _digest(digest_id)
    with transaction():
        moved = (
            Digest.update(status=DigestStatus.DRAFT.value, updated_at=utcnow())
            .where(Digest.id == digest.id, Digest.status == DigestStatus.SUBMITTED)
            .execute()
        )
        if not moved:
            raise Conflict("digest_not_submitted")
        record_audit(actor, "digest.returned", ENTITY, digest.id, {"status": {"before": "submitted", "after": "draft"}})
        record_event("cocreation.digest_returned", {"digest_id": digest.id})
    return _digest(digest.id)
