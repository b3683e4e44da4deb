"""Priority rounds: staff set a round up (its texts, dates, budget, who may vote and its ballot of published themes),
a manager publishes it, and a manager may cancel it with a reason.

A round is a draft until published; a published round may still change until it opens, and then its ballot and rules
are frozen, so that every voter votes on the same question. A cancelled round's votes are never counted. Every
service checks first (permission, that the round is there, every problem with the input at once, then state), then
writes the change, its audit entry and its outbox event in one transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from backend.accounts.models import Nation, Tenure
from backend.audit.services import field_changes, record_audit
from backend.cocreation.models import BudgetUnit, PriorityRound, RoundStatus, RoundTheme
from backend.config import KNOWN_LOCALES
from backend.context import STAFF_ROLES, Actor
from backend.db import transaction
from backend.errors import Conflict, NotAllowed, NotFound, Problems, gather
from backend.events.services import record_event
from backend.lessons.models import Theme
from backend.text import clean
from backend.timeutil import utcnow

TITLE_MAX = 200
DESCRIPTION_MAX = 5_000
REASON_MAX = 1_000
BUDGET_RANGE = (1, 20)
#: A ballot puts at least two themes to the vote (one is no choice) and at most fifty (more can't be weighed).
BALLOT_RANGE = (2, 50)
AREAS_MAX = 50
#: A UK postcode district, the outward code: one or two letters, a digit, then a digit or letter (CF10, LS1, W1A).
AREA_PATTERN = re.compile(r"[A-Z]{1,2}[0-9][0-9A-Z]?")
#: Who publishes and cancels rounds.
MANAGERS = ("manager", "admin")

ROUND_FIELDS = (
    "title",
    "description",
    "opens_at",
    "closes_at",
    "budget",
    "max_per_theme",
    "budget_unit",
    "tenures",
    "nations",
    "areas",
    "theme_ids",
)


class Phase:
    """Where a round is now, from its status and dates."""

    DRAFT = "draft"
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


def phase_of(round_: PriorityRound, now: dt.datetime | None = None) -> str:
    """The round's phase now: draft, upcoming, open, closed or cancelled."""
    now = now or utcnow()
    if round_.status == RoundStatus.DRAFT:
        return Phase.DRAFT
    if round_.status == RoundStatus.CANCELLED:
        return Phase.CANCELLED
    if now < round_.opens_at:
        return Phase.UPCOMING
    return Phase.OPEN if now < round_.closes_at else Phase.CLOSED


def require_staff(actor: Actor, action: str) -> None:
    """Raise NotAllowed(``action``) unless a member of staff who may write is acting."""
    if not actor.can_write or not actor.has_role(*STAFF_ROLES) or actor.user_id is None:
        raise NotAllowed(action)


def require_manager(actor: Actor, action: str) -> None:
    """Raise NotAllowed(``action``) unless a manager (or admin) who may write is acting."""
    if not actor.can_write or not actor.has_role(*MANAGERS) or actor.user_id is None:
        raise NotAllowed(action)


def get_round(round_id: int) -> PriorityRound:
    """The round; raise NotFound("priority_round") when there is none."""
    found = PriorityRound.get_or_none(PriorityRound.id == round_id)
    if found is None:
        raise NotFound("priority_round", round_id)
    return found


def visible_round(actor: Actor, round_id: int) -> PriorityRound:
    """The round, for staff, or anyone once it is published or cancelled; NotFound otherwise (a draft is not there)."""
    found = get_round(round_id)
    if found.status == RoundStatus.DRAFT and not actor.is_staff:
        raise NotFound("priority_round", round_id)
    return found


def ballot_ids(round_id: int) -> list[int]:
    """The ids of the themes on the round's ballot, in ballot order."""
    rows = RoundTheme.select(RoundTheme.theme).where(RoundTheme.round == round_id)
    return [row.theme_id for row in rows.order_by(RoundTheme.position, RoundTheme.id)]  # type: ignore[attr-defined]


# --- Checks ----------------------------------------------------------------------------------------------------


def texts(problems: Problems, name: str, value: Any, maximum: int, required: bool) -> dict[str, str]:
    """Text by language code ({locale: text}), blank ones left out; English is required when ``required``.

    Records "invalid" (not a mapping), "unsupported" (a language with no catalogue), "too_long" or
    "english_required".
    """
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        problems.add(name, "invalid")
        return {}
    cleaned: dict[str, str] = {}
    for locale, text in value.items():
        if locale not in KNOWN_LOCALES:
            problems.add(name, "unsupported")
            continue
        words = clean(text if isinstance(text, str) else None)
        if len(words) > maximum:
            problems.add(name, "too_long", maximum=maximum)
        elif words:
            cleaned[str(locale)] = words
    if required and "en" not in cleaned:
        problems.add(name, "english_required")
    return cleaned


def moment(problems: Problems, name: str, value: Any) -> dt.datetime | None:
    """A moment as stored (naive UTC) from a datetime (naive ones are UTC) or ISO text; records "required" or
    "invalid"."""
    if isinstance(value, str) and clean(value):
        try:
            value = dt.datetime.fromisoformat(clean(value))
        except ValueError:
            problems.add(name, "invalid")
            return None
    if not isinstance(value, dt.datetime):
        problems.add(name, "required" if value in (None, "") else "invalid")
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.replace(microsecond=0)


def number(problems: Problems, name: str, value: Any, low: int, high: int) -> int | None:
    """A whole number from ``low`` to ``high``; records "out_of_range" otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.add(name, "out_of_range", minimum=low, maximum=high)
        return None
    return value


def codes(problems: Problems, name: str, value: Any, allowed: tuple[str, ...]) -> list[str]:
    """A list of codes, each once and each one of ``allowed``; records "unsupported" otherwise."""
    if value is None:
        return []
    if not isinstance(value, list | tuple) or any(code not in allowed for code in value):
        problems.add(name, "unsupported")
        return []
    return sorted(set(value))


def areas(problems: Problems, value: Any) -> list[str]:
    """Postcode districts in capitals, each once, at most AREAS_MAX; records "invalid_area" or "too_many"."""
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        problems.add("areas", "invalid_area")
        return []
    found = sorted({clean(str(area)).upper().replace(" ", "") for area in value} - {""})
    if len(found) > AREAS_MAX:
        problems.add("areas", "too_many", maximum=AREAS_MAX)
    bad = [area for area in found if not AREA_PATTERN.fullmatch(area)]
    if bad:
        problems.add("areas", "invalid_area", areas=", ".join(bad[:5]))
    return found


def ballot(problems: Problems, value: Any) -> list[int]:
    """Theme ids, each once, in the order given, every one a published theme in use; records "out_of_range"
    (fewer than 2 or more than 50) or "not_published"."""
    if not isinstance(value, list | tuple):
        problems.add("theme_ids", "out_of_range", minimum=BALLOT_RANGE[0], maximum=BALLOT_RANGE[1])
        return []
    ids = list(dict.fromkeys(int(item) for item in value if isinstance(item, int) and not isinstance(item, bool)))
    if len(ids) != len(value) or not BALLOT_RANGE[0] <= len(ids) <= BALLOT_RANGE[1]:
        problems.add("theme_ids", "out_of_range", minimum=BALLOT_RANGE[0], maximum=BALLOT_RANGE[1])
        return ids
    published = {
        row.id
        for row in Theme.select(Theme.id).where(
            Theme.id.in_(ids), Theme.published_at.is_null(False), Theme.archived_at.is_null()
        )
    }
    if set(ids) - published:
        problems.add("theme_ids", "not_published")
    return ids


def _check(problems: Problems, values: Mapping[str, Any], before: Mapping[str, Any]) -> dict[str, Any]:
    """The values given, checked; with ``before`` (the round as it is) for the rules that compare fields."""
    checked: dict[str, Any] = {}
    for name in sorted(set(values) - set(ROUND_FIELDS)):
        problems.add(name, "unknown_field")
    for name, value in values.items():
        if name == "title":
            checked[name] = texts(problems, name, value, TITLE_MAX, required=True)
        elif name == "description":
            checked[name] = texts(problems, name, value, DESCRIPTION_MAX, required=False)
        elif name in ("opens_at", "closes_at"):
            checked[name] = moment(problems, name, value)
        elif name == "budget":
            checked[name] = number(problems, name, value, *BUDGET_RANGE)
        elif name == "max_per_theme":
            checked[name] = number(problems, name, value, *BUDGET_RANGE)
        elif name == "budget_unit":
            if value not in BudgetUnit.codes():
                problems.add(name, "unsupported")
            checked[name] = value
        elif name == "tenures":
            checked[name] = codes(problems, name, value, tuple(Tenure.codes()))
        elif name == "nations":
            checked[name] = codes(problems, name, value, tuple(Nation.codes()))
        elif name == "areas":
            checked[name] = areas(problems, value)
        elif name == "theme_ids":
            checked[name] = ballot(problems, value)
    merged = {**before, **checked}
    opens, closes = merged.get("opens_at"), merged.get("closes_at")
    if opens is not None and closes is not None and closes <= opens and "closes_at" not in problems_fields(problems):
        problems.add("closes_at", "not_after_opens")
    budget, most = merged.get("budget"), merged.get("max_per_theme")
    if budget is not None and most is not None and most > budget and "max_per_theme" not in problems_fields(problems):
        problems.add("max_per_theme", "over_budget", maximum=budget)
    return checked


def problems_fields(problems: Problems) -> set[str]:
    return {problem.field for problem in problems.found}


def _snapshot(round_: PriorityRound) -> dict[str, Any]:
    values = {name: getattr(round_, name) for name in ROUND_FIELDS if name != "theme_ids"}
    for name in ("opens_at", "closes_at"):
        values[name] = values[name].isoformat() if values[name] else None
    values["theme_ids"] = ballot_ids(round_.id)
    return values


def _write_ballot(round_id: int, theme_ids: list[int]) -> None:
    RoundTheme.delete().where(RoundTheme.round == round_id, RoundTheme.theme.not_in(theme_ids or [0])).execute()
    kept = {row.theme_id for row in RoundTheme.select(RoundTheme.theme).where(RoundTheme.round == round_id)}  # type: ignore[attr-defined]
    for position, theme_id in enumerate(theme_ids):
        if theme_id in kept:
            RoundTheme.update(position=position, updated_at=utcnow()).where(
                RoundTheme.round == round_id, RoundTheme.theme == theme_id
            ).execute()
        else:
            RoundTheme.create(round=round_id, theme=theme_id, position=position)


# --- Services --------------------------------------------------------------------------------------------------


def create_round(actor: Actor, values: Mapping[str, Any]) -> PriorityRound:
    """Set up a draft round from ``values`` (see ROUND_FIELDS). Staff only.

    ``title`` (English required), ``opens_at``, ``closes_at`` and ``theme_ids`` are required; ``budget`` is 3 and
    ``max_per_theme`` 1 unless given, ``budget_unit`` resident, and the eligibility lists empty (anyone).
    Raises NotAllowed, or Invalid listing every problem: ``title``/``description`` "english_required",
    "too_long", "unsupported" or "invalid"; ``opens_at``/``closes_at`` "required" or "invalid"; ``closes_at``
    "not_after_opens"; ``budget``/``max_per_theme`` "out_of_range"; ``max_per_theme`` "over_budget";
    ``budget_unit``/``tenures``/``nations`` "unsupported"; ``areas`` "invalid_area" or "too_many"; ``theme_ids``
    "out_of_range" (2 to 50) or "not_published"; a field not of a round "unknown_field".
    """
    require_staff(actor, "priority_round.create")
    defaults: dict[str, Any] = {
        "title": None,
        "opens_at": None,
        "closes_at": None,
        "theme_ids": None,
        "budget": 3,
        "max_per_theme": 1,
        "budget_unit": BudgetUnit.RESIDENT,
    }
    with gather() as problems:
        checked = _check(problems, {**defaults, **values}, {})
    theme_ids = checked.pop("theme_ids")
    with transaction():
        round_ = PriorityRound.create(**checked, created_by=actor.user_id)
        _write_ballot(round_.id, theme_ids)
        record_audit(
            actor, "priority_round.created", "priority_round", round_.id, field_changes(None, _snapshot(round_))
        )
        record_event("cocreation.round_created", {"round_id": round_.id})
    return get_round(round_.id)


def update_round(actor: Actor, round_id: int, values: Mapping[str, Any]) -> PriorityRound:
    """Change a round that has not opened yet: only the fields given change. Staff only.

    Raises NotAllowed, NotFound("priority_round"), Invalid as :func:`create_round`, or Conflict("round_frozen")
    once it has opened (or was cancelled): its ballot and rules no longer change. Returns the round unchanged
    (nothing audited) when nothing differs.
    """
    require_staff(actor, "priority_round.update")
    round_ = get_round(round_id)
    before = _snapshot(round_)
    with gather() as problems:
        checked = _check(problems, values, {**before, "opens_at": round_.opens_at, "closes_at": round_.closes_at})
    if phase_of(round_) not in (Phase.DRAFT, Phase.UPCOMING):
        raise Conflict("round_frozen")
    theme_ids = checked.pop("theme_ids", None)
    after = {**before, **{k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in checked.items()}}
    if theme_ids is not None:
        after["theme_ids"] = theme_ids
    changes = field_changes(before, after)
    if not changes:
        return round_
    with transaction():
        now = utcnow()
        # Only a draft, or a published round that has not opened, changes: of a change and the opening, one wins.
        changed = (
            PriorityRound.update(**checked, updated_at=now)
            .where(
                PriorityRound.id == round_.id,
                (PriorityRound.status == RoundStatus.DRAFT)
                | ((PriorityRound.status == RoundStatus.PUBLISHED) & (PriorityRound.opens_at > now)),
            )
            .execute()
        )
        if not changed:
            raise Conflict("round_frozen")
        if theme_ids is not None:
            _write_ballot(round_.id, theme_ids)
        record_audit(actor, "priority_round.updated", "priority_round", round_.id, changes)
        record_event("cocreation.round_updated", {"round_id": round_.id})
    return get_round(round_.id)


def publish_round(actor: Actor, round_id: int) -> PriorityRound:
    """Publish a draft round: it is public at once, open for votes between its open and close times. Managers only.

    Raises NotAllowed, NotFound("priority_round"), Invalid (``closes_at`` "in_past"; ``theme_ids`` "out_of_range"
    or "not_published" when a theme on the ballot was withdrawn or merged since), or Conflict("round_not_draft").
    """
    require_manager(actor, "priority_round.publish")
    round_ = get_round(round_id)
    if round_.status != RoundStatus.DRAFT:
        raise Conflict("round_not_draft")
    now = utcnow()
    with gather() as problems:
        if round_.closes_at <= now:
            problems.add("closes_at", "in_past")
        ballot(problems, ballot_ids(round_.id))
    with transaction():
        changed = (
            PriorityRound.update(status=RoundStatus.PUBLISHED, published_at=now, updated_at=now)
            .where(PriorityRound.id == round_.id, PriorityRound.status == RoundStatus.DRAFT)
            .execute()
        )
        if not changed:
            raise Conflict("round_not_draft")
        changes = {"status": {"before": RoundStatus.DRAFT, "after": RoundStatus.PUBLISHED}}
        record_audit(actor, "priority_round.published", "priority_round", round_.id, changes)
        record_event("cocreation.round_published", {"round_id": round_.id})
    return get_round(round_.id)


def cancel_round(actor: Actor, round_id: int, reason: str) -> PriorityRound:
    """Cancel a round that has not been counted, with the reason (kept in the audit trail); its votes are never
    counted. Managers only.

    Raises NotAllowed, NotFound("priority_round"), Invalid(``reason`` "required" or "too_long"), or
    Conflict("round_cancelled") when it already is, or Conflict("round_counted") once its votes were counted.
    """
    require_manager(actor, "priority_round.cancel")
    round_ = get_round(round_id)
    with gather() as problems:
        words = clean(reason if isinstance(reason, str) else None)
        if not words:
            problems.add("reason", "required")
        elif len(words) > REASON_MAX:
            problems.add("reason", "too_long", maximum=REASON_MAX)
    if round_.status == RoundStatus.CANCELLED:
        raise Conflict("round_cancelled")
    if round_.counted_at is not None:
        raise Conflict("round_counted")
    with transaction():
        now = utcnow()
        changed = (
            PriorityRound.update(status=RoundStatus.CANCELLED, updated_at=now)
            .where(
                PriorityRound.id == round_.id,
                PriorityRound.status != RoundStatus.CANCELLED,
                PriorityRound.counted_at.is_null(),
            )
            .execute()
        )
        if not changed:
            raise Conflict("round_cancelled")
        changes: dict[str, dict[str, Any]] = {
            "status": {"before": round_.status, "after": RoundStatus.CANCELLED},
            "reason": {"before": None, "after": words},
        }
        record_audit(actor, "priority_round.cancelled", "priority_round", round_.id, changes)
        record_event("cocreation.round_cancelled", {"round_id": round_.id})
    return get_round(round_.id)
