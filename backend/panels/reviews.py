"""Scrutiny reviews: create one with its reference, edit its topic, scope, questions and timeline, move it along,
record its conclusion, keep the panel's work programme, and set up the follow-up review.

Staff run these, for the panel (members' own writing is the findings, which another module keeps). Each service
checks first, then writes the change, its audit entry and an outbox event in one transaction.

A review's status moves by hand only through the early steps (planned, gathering, reporting) and to closed; the
steps after sign-off (awaiting the response, responded, published) are set by the services that sign off, respond
and publish, so the status never says more than the records show.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from peewee import IntegrityError, fn

from backend.audit.services import field_changes, record_audit
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, NotFound, Problems, gather
from backend.events.services import record_event
from backend.lessons.models import Theme
from backend.panels.models import (
    Recommendation,
    ReviewKind,
    ReviewStatus,
    ScrutinyReferenceCounter,
    ScrutinyReview,
    WorkProgrammeItem,
    WorkSource,
)
from backend.panels.panels import TEXT_MAX, choice, day, get_panel, iso, require_staff, text, values_of
from backend.timeutil import local_date, utcnow

TOPIC_MAX = 200
REFERENCE_PATTERN = re.compile(r"^SR-(\d{4})-(\d+)$")
REFERENCE_ATTEMPTS = 5
REVIEW_FIELDS = ("topic", "kind", "scope", "questions", "starts_on", "ends_on", "theme_id")
WORK_FIELDS = ("topic", "source", "theme_id", "note", "planned_for")

#: The moves staff make by hand: status -> the statuses it may move to.
MOVES: dict[str, frozenset[str]] = {
    ReviewStatus.PLANNED: frozenset({ReviewStatus.GATHERING, ReviewStatus.CLOSED}),
    ReviewStatus.GATHERING: frozenset({ReviewStatus.PLANNED, ReviewStatus.REPORTING, ReviewStatus.CLOSED}),
    ReviewStatus.REPORTING: frozenset({ReviewStatus.GATHERING, ReviewStatus.CLOSED}),
    ReviewStatus.AWAITING_RESPONSE: frozenset(),
    ReviewStatus.RESPONDED: frozenset({ReviewStatus.CLOSED}),
    ReviewStatus.PUBLISHED: frozenset({ReviewStatus.CLOSED}),
    ReviewStatus.CLOSED: frozenset(),
}
#: Reviews in these are over: the panel page lists them as past.
PAST = frozenset({ReviewStatus.PUBLISHED, ReviewStatus.CLOSED})


def get_review(review_id: int) -> ScrutinyReview:
    """The review; raise NotFound("scrutiny_review") when there is none."""
    review = ScrutinyReview.get_or_none(ScrutinyReview.id == review_id)
    if review is None:
        raise NotFound("scrutiny_review", review_id)
    return review


def next_reference(year: int) -> str:
    """Inside a transaction: the next reference of the UK year, SR-YYYY-NN (NN grows past 99 when it must).

    The year's counter never goes back, so a reference is never given twice. Two people creating at once take
    turns on the counter's row; the first of a year may meet another's insert, which the unique year refuses
    (IntegrityError), and :func:`create_review` tries again.
    """
    claimed = (
        ScrutinyReferenceCounter.update(last=ScrutinyReferenceCounter.last + 1)
        .where(ScrutinyReferenceCounter.year == year)
        .execute()
    )
    if claimed:
        number = ScrutinyReferenceCounter.get_by_id(year).last
    else:
        number = 1
        ScrutinyReferenceCounter.create(year=year, last=number)
    return f"SR-{year}-{number:02d}"


def _theme(problems: Problems, theme_id: Any) -> int | None:
    if theme_id is None:
        return None
    if not Theme.select().where(Theme.id == theme_id).exists():
        problems.add("theme_id", "not_found")
    return int(theme_id)


def _check_review(problems: Problems, values: Mapping[str, Any]) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    for name in sorted(set(values) - set(REVIEW_FIELDS)):
        problems.add(name, "unknown_field")
    for name, value in values.items():
        if name == "topic":
            checked[name] = text(problems, name, value, TOPIC_MAX, required=True, line=True)
        elif name in ("scope", "questions"):
            checked[name] = text(problems, name, value, TEXT_MAX)
        elif name == "kind":
            checked[name] = choice(problems, name, value, ReviewKind)
        elif name in ("starts_on", "ends_on"):
            checked[name] = day(problems, name, value)
        elif name == "theme_id":
            checked["theme"] = _theme(problems, value)
    return checked


def _check_timeline(problems: Problems, starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        problems.add("ends_on", "before_start")


def _snapshot(review: ScrutinyReview) -> dict[str, Any]:
    return {
        **values_of(review, ("topic", "kind", "scope", "questions", "starts_on", "ends_on", "status", "conclusion")),
        "theme_id": review.theme_id,  # type: ignore[attr-defined]
        "follows_id": review.follows_id,  # type: ignore[attr-defined]
        "follow_up_due_on": iso(review.follow_up_due_on),
    }


def create_review(
    actor: Actor,
    panel_id: int,
    values: Mapping[str, Any],
    work_item_id: int | None = None,
    follows_id: int | None = None,
) -> ScrutinyReview:
    """Start a review for the panel, planned, with reference SR-YYYY-NN, from ``values`` (see REVIEW_FIELDS; the
    topic is required). Staff only. A work programme item of the panel given as ``work_item_id`` records that it
    became this review.

    Raises NotAllowed, NotFound("panel"), or Invalid listing every problem: ``topic`` "required"/"too_long"/
    "hidden_characters"; ``scope``/``questions`` "too_long"; ``kind`` "unsupported"; ``starts_on``/``ends_on``
    "invalid"; ``ends_on`` "before_start"; ``theme_id`` "not_found"; ``work_item_id`` "not_found" (none of this
    panel's) or "already_started".
    """
    require_staff(actor, "scrutiny_review.create")
    panel = get_panel(panel_id)
    with gather() as problems:
        checked = _check_review(problems, {"topic": "", **values})
        _check_timeline(problems, checked.get("starts_on"), checked.get("ends_on"))
        if work_item_id is not None:
            item = WorkProgrammeItem.get_or_none(
                (WorkProgrammeItem.id == work_item_id) & (WorkProgrammeItem.panel == panel.id)
            )
            if item is None:
                problems.add("work_item_id", "not_found")
            elif item.review_id is not None:  # type: ignore[attr-defined]
                problems.add("work_item_id", "already_started")
    for attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction():
                review = ScrutinyReview.create(
                    reference=next_reference(local_date().year),
                    panel=panel.id,
                    created_by=actor.user_id,
                    follows=follows_id,
                    **checked,
                )
                if work_item_id is not None:
                    claimed = (
                        WorkProgrammeItem.update(review=review.id, updated_at=utcnow())
                        .where(WorkProgrammeItem.id == work_item_id, WorkProgrammeItem.review.is_null())
                        .execute()
                    )
                    if not claimed:
                        raise Conflict("changed")
                after = {"reference": review.reference, "panel_id": panel.id, **_snapshot(review)}
                record_audit(actor, "scrutiny_review.created", "scrutiny_review", review.id, field_changes(None, after))
                record_event("panels.review_created", {"panel_id": panel.id, "review_id": review.id})
            return review
        except IntegrityError:
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise Conflict("changed") from None
    raise AssertionError("unreachable")  # pragma: no cover


def update_review(actor: Actor, review_id: int, values: Mapping[str, Any]) -> ScrutinyReview:
    """Change a review's topic, kind, scope, questions, timeline or theme: only the fields given. Staff only.

    Raises NotAllowed, NotFound("scrutiny_review"), Invalid as :func:`create_review`, or Conflict("review_closed").
    Returns the review unchanged when nothing differs.
    """
    require_staff(actor, "scrutiny_review.update")
    review = get_review(review_id)
    with gather() as problems:
        checked = _check_review(problems, values)
        _check_timeline(problems, checked.get("starts_on", review.starts_on), checked.get("ends_on", review.ends_on))
    if review.status == ReviewStatus.CLOSED:
        raise Conflict("review_closed")
    return _write(actor, review, checked, "scrutiny_review.updated")


def _write(actor: Actor, review: ScrutinyReview, checked: Mapping[str, Any], action: str) -> ScrutinyReview:
    before = _snapshot(review)
    for name, value in checked.items():
        setattr(review, name, value)
    changes = field_changes(before, _snapshot(review))
    if not changes:
        return get_review(review.id)
    with transaction():
        ScrutinyReview.update(**checked, updated_at=utcnow()).where(ScrutinyReview.id == review.id).execute()
        record_audit(actor, action, "scrutiny_review", review.id, changes)
        record_event(action.replace("scrutiny_review.", "panels.review_"), {"review_id": review.id})
    return get_review(review.id)


def move_review(actor: Actor, review_id: int, status: str) -> ScrutinyReview:
    """Move a review to ``status`` as MOVES allows. Staff only.

    Raises NotAllowed, NotFound("scrutiny_review"), Invalid(``status`` "unsupported"), or Conflict("move_not_allowed")
    (including a move two people make at once: the second finds it moved).
    """
    require_staff(actor, "scrutiny_review.move")
    review = get_review(review_id)
    with gather() as problems:
        choice(problems, "status", status, ReviewStatus)
    if status not in MOVES[review.status]:
        raise Conflict("move_not_allowed", status=review.status)
    with transaction():
        moved = (
            ScrutinyReview.update(status=status, updated_at=utcnow())
            .where(ScrutinyReview.id == review.id, ScrutinyReview.status == review.status)
            .execute()
        )
        if not moved:
            raise Conflict("move_not_allowed", status=review.status)
        changes = {"status": {"before": review.status, "after": status}}
        record_audit(actor, "scrutiny_review.moved", "scrutiny_review", review.id, changes)
        record_event("panels.review_moved", {"review_id": review.id, "status": status})
    return get_review(review.id)


def record_conclusion(actor: Actor, review_id: int, conclusion: str) -> ScrutinyReview:
    """Record (or replace, or with "" clear) the panel's conclusion of a review. Staff only.

    Raises NotAllowed, NotFound("scrutiny_review"), Invalid(``conclusion`` "too_long"), Conflict("review_closed").
    """
    require_staff(actor, "scrutiny_review.conclude")
    review = get_review(review_id)
    with gather() as problems:
        written = text(problems, "conclusion", conclusion, TEXT_MAX)
    if review.status == ReviewStatus.CLOSED:
        raise Conflict("review_closed")
    return _write(actor, review, {"conclusion": written}, "scrutiny_review.concluded")


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it has no such day (31 January + 1: 28 February)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def response_day(review: ScrutinyReview) -> dt.date | None:
    """The UK day of the landlord's last response to the review's recommendations; None before any."""
    last = (
        Recommendation.select(fn.MAX(Recommendation.responded_at))
        .where(Recommendation.review == review.id, Recommendation.responded_at.is_null(False))
        .scalar()
    )
    if last is None:
        return None
    if isinstance(last, str):  # SQLite hands an aggregate back as text
        last = dt.datetime.fromisoformat(last)
    return local_date(last)


def set_follow_up_due(actor: Actor, review_id: int) -> ScrutinyReview:
    """Set when the review's follow-up is due: the panel's ``follow_up_months`` after the landlord's last response
    (today, when nothing has been answered yet), and put it on the panel's work programme. Staff only.

    Raises NotAllowed, NotFound("scrutiny_review"), or Conflict("follow_up_started") when a follow-up review exists.
    """
    require_staff(actor, "scrutiny_review.follow_up_due")
    review = get_review(review_id)
    if ScrutinyReview.select().where(ScrutinyReview.follows == review.id).exists():
        raise Conflict("follow_up_started")
    panel = get_panel(review.panel_id)  # type: ignore[attr-defined]
    due = add_months(response_day(review) or local_date(), panel.follow_up_months)
    before = iso(review.follow_up_due_on)
    with transaction():
        ScrutinyReview.update(follow_up_due_on=due, updated_at=utcnow()).where(ScrutinyReview.id == review.id).execute()
        item = WorkProgrammeItem.get_or_none(
            WorkProgrammeItem.panel == panel.id,
            WorkProgrammeItem.source == WorkSource.FOLLOW_UP,
            WorkProgrammeItem.review.is_null(),
            WorkProgrammeItem.topic == _follow_up_topic(review),
        )
        if item is None:
            WorkProgrammeItem.create(
                panel=panel.id,
                topic=_follow_up_topic(review),
                source=WorkSource.FOLLOW_UP,
                theme=review.theme_id,  # type: ignore[attr-defined]
                planned_for=due,
                created_by=actor.user_id,
            )
        else:
            WorkProgrammeItem.update(planned_for=due, updated_at=utcnow()).where(
                WorkProgrammeItem.id == item.id
            ).execute()
        changes = {"follow_up_due_on": {"before": before, "after": due.isoformat()}}
        record_audit(actor, "scrutiny_review.follow_up_due", "scrutiny_review", review.id, changes)
        record_event("panels.review_follow_up_due", {"review_id": review.id})
    return get_review(review.id)


def _follow_up_topic(review: ScrutinyReview) -> str:
    return f"{review.reference}: {review.topic}"[:TOPIC_MAX]


def start_follow_up(actor: Actor, review_id: int, starts_on: Any = None) -> ScrutinyReview:
    """Start the follow-up review of a review: a new planned review of kind follow_up, by the same panel, on the same
    topic and theme, that ``follows`` it. Staff only. The follow-up item on the work programme, if any, records it.

    Raises NotAllowed, NotFound("scrutiny_review"), Invalid(``starts_on`` "invalid"), or Conflict
    ("follow_up_started").
    """
    require_staff(actor, "scrutiny_review.follow_up_start")
    review = get_review(review_id)
    with gather() as problems:
        starts = day(problems, "starts_on", starts_on)
    if ScrutinyReview.select().where(ScrutinyReview.follows == review.id).exists():
        raise Conflict("follow_up_started")
    item = WorkProgrammeItem.get_or_none(
        WorkProgrammeItem.panel == review.panel_id,  # type: ignore[attr-defined]
        WorkProgrammeItem.source == WorkSource.FOLLOW_UP,
        WorkProgrammeItem.review.is_null(),
        WorkProgrammeItem.topic == _follow_up_topic(review),
    )
    values = {
        "topic": review.topic,
        "kind": ReviewKind.FOLLOW_UP,
        "questions": "",
        "starts_on": starts or review.follow_up_due_on,
        "theme_id": review.theme_id,  # type: ignore[attr-defined]
    }
    return create_review(
        actor,
        review.panel_id,  # type: ignore[attr-defined]
        values,
        work_item_id=item.id if item is not None else None,
        follows_id=review.id,
    )


# The work programme.


def _check_work(problems: Problems, values: Mapping[str, Any]) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    for name in sorted(set(values) - set(WORK_FIELDS)):
        problems.add(name, "unknown_field")
    for name, value in values.items():
        if name == "topic":
            checked[name] = text(problems, name, value, TOPIC_MAX, required=True, line=True)
        elif name == "note":
            checked[name] = text(problems, name, value, TEXT_MAX)
        elif name == "source":
            checked[name] = choice(problems, name, value, WorkSource)
        elif name == "planned_for":
            checked[name] = day(problems, name, value)
        elif name == "theme_id":
            checked["theme"] = _theme(problems, value)
    if checked.get("source") == WorkSource.THEME and values.get("theme_id") is None and "theme_id" in values:
        problems.add("theme_id", "required")
    return checked


def _work_snapshot(item: WorkProgrammeItem) -> dict[str, Any]:
    return {
        **values_of(item, ("topic", "source", "note", "planned_for")),
        "theme_id": item.theme_id,  # type: ignore[attr-defined]
        "review_id": item.review_id,  # type: ignore[attr-defined]
    }


def add_work_item(actor: Actor, panel_id: int, values: Mapping[str, Any]) -> WorkProgrammeItem:
    """Put a topic on the panel's work programme, with where it came from (a theme, votes, a trend, the panel's
    own choice) and when it is planned. Staff only.

    Raises NotAllowed, NotFound("panel"), or Invalid listing every problem: ``topic`` "required"/"too_long";
    ``source`` "unsupported"; ``theme_id`` "not_found" or "required" (a topic from a theme names it); ``note``
    "too_long"; ``planned_for`` "invalid".
    """
    require_staff(actor, "work_programme.add")
    panel = get_panel(panel_id)
    with gather() as problems:
        checked = _check_work(problems, {"topic": "", "source": WorkSource.PANEL, "theme_id": None, **values})
    with transaction():
        item = WorkProgrammeItem.create(panel=panel.id, created_by=actor.user_id, **checked)
        record_audit(
            actor, "work_programme.added", "work_programme_item", item.id, field_changes(None, _work_snapshot(item))
        )
        record_event("panels.work_item_added", {"panel_id": panel.id, "work_item_id": item.id})
    return item


def get_work_item(item_id: int) -> WorkProgrammeItem:
    item = WorkProgrammeItem.get_or_none(WorkProgrammeItem.id == item_id)
    if item is None:
        raise NotFound("work_programme_item", item_id)
    return item


def update_work_item(actor: Actor, item_id: int, values: Mapping[str, Any]) -> WorkProgrammeItem:
    """Change a topic on the work programme: only the fields given. Staff only.

    Raises NotAllowed, NotFound("work_programme_item"), or Invalid as :func:`add_work_item`.
    """
    require_staff(actor, "work_programme.update")
    item = get_work_item(item_id)
    with gather() as problems:
        checked = _check_work(problems, values)
    before = _work_snapshot(item)
    for name, value in checked.items():
        setattr(item, name, value)
    changes = field_changes(before, _work_snapshot(item))
    if not changes:
        return get_work_item(item_id)
    with transaction():
        WorkProgrammeItem.update(**checked, updated_at=utcnow()).where(WorkProgrammeItem.id == item.id).execute()
        record_audit(actor, "work_programme.updated", "work_programme_item", item.id, changes)
        record_event("panels.work_item_updated", {"work_item_id": item.id})
    return get_work_item(item_id)


def remove_work_item(actor: Actor, item_id: int) -> int:
    """Take a topic off the work programme, unless it became a review. Returns the panel's id. Staff only.

    Raises NotAllowed, NotFound("work_programme_item"), or Conflict("already_started").
    """
    require_staff(actor, "work_programme.remove")
    item = get_work_item(item_id)
    if item.review_id is not None:  # type: ignore[attr-defined]
        raise Conflict("already_started")
    panel_id = int(item.panel_id)  # type: ignore[attr-defined]
    with transaction():
        deleted = (
            WorkProgrammeItem.delete()
            .where(WorkProgrammeItem.id == item.id, WorkProgrammeItem.review.is_null())
            .execute()
        )
        if not deleted:
            raise Conflict("already_started")
        record_audit(
            actor, "work_programme.removed", "work_programme_item", item.id, field_changes(_work_snapshot(item), {})
        )
        record_event("panels.work_item_removed", {"panel_id": panel_id})
    return panel_id
