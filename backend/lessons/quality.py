"""Quality checks by people (the monthly QA, framework section 6.4; self-assessment items 6 and 12).

Each month a random sample of the complaints closed in that UK month is drawn for a quality reviewer (a manager),
leaving out every case hidden from them (need-to-know, or naming them). The reviewer scores each complaint against
the checklist admins edit; the scores then go back to the team that handled it. Reports show the average score per
team, never per officer (just culture).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from peewee import Case, fn

from backend.accounts.models import User, UserRole
from backend.audit.services import field_changes, record_audit
from backend.complaints.models import Complaint, ComplaintStatus
from backend.complaints.restricted import hidden_complaints, may_see_complaint
from backend.config import current
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed, NotFound, gather
from backend.events.services import record_event
from backend.lessons.models import QualityCheckItem, QualityResult, QualityReview, QualityScore
from backend.lessons.qa import MANAGERS, month_of, parse_month
from backend.text import clean
from backend.timeutil import utcnow

MAX_NOTE = 10_000
#: The most scores one review takes at once.
MAX_ITEMS = 100
RESULTS = QualityResult.codes()
#: What each result counts towards a score; "does not apply" counts for nothing either way.
POINTS = {QualityResult.MET.value: 1.0, QualityResult.PARTLY.value: 0.5, QualityResult.NOT_MET.value: 0.0}


def _require_manager(actor: Actor, action: str) -> None:
    if not (actor.can_write and actor.has_role(*MANAGERS)):
        raise NotAllowed(action)


def draw_sample(actor: Actor, month: str | dt.date, size: int | None = None) -> list[QualityReview]:
    """Draw the month's random sample of closed complaints for the actor to review; return the month's sample.

    Tops the sample up to ``size`` (the LEARNLOOP_QA_SAMPLE_SIZE setting) with complaints closed in the UK month,
    never one already drawn nor one whose case is hidden from the actor; drawing again once it is full adds
    nothing. Raises NotAllowed (not a manager) or Invalid("month", "invalid" or "future").
    """
    _require_manager(actor, "quality_review.draw")
    first = parse_month(month)
    span = month_of(first)
    size = size or current().qa_sample_size
    with transaction():
        drawn = QualityReview.select(QualityReview.complaint).where(QualityReview.month == first)
        wanted = size - drawn.count()
        if wanted > 0:
            picked = (
                Complaint.select(Complaint.id, Complaint.team)
                .where(
                    Complaint.status == ComplaintStatus.CLOSED.value,
                    Complaint.closed_at >= span.start,
                    Complaint.closed_at < span.end,
                    Complaint.id.not_in(hidden_complaints(actor.user_id)),
                    Complaint.id.not_in(drawn),
                )
                .order_by(fn.Random())
                .limit(wanted)
            )
            rows: Any = picked.tuples()
            for complaint_id, team in rows:
                review = QualityReview.create(month=first, complaint=complaint_id, team=team, reviewer=actor.user_id)
                drawn_values = {"review_id": review.id, "month": first.isoformat(), "team": team}
                record_audit(
                    actor, "quality_review.drawn", "complaint", complaint_id, field_changes(None, drawn_values)
                )
    return sample(actor, first)


def sample(actor: Actor, first: dt.date) -> list[QualityReview]:
    """The month's sample, leaving out the reviews of cases hidden from the actor."""
    return list(
        QualityReview.select()
        .where(QualityReview.month == first, QualityReview.complaint.not_in(hidden_complaints(actor.user_id)))
        .order_by(QualityReview.id)
    )


def visible_review(actor: Actor, review_id: int) -> QualityReview:
    """The review, if there is one and its case is not hidden from the actor; raise NotFound alike otherwise."""
    review = QualityReview.get_or_none(QualityReview.id == review_id)
    if review is None:
        raise NotFound("quality_review", review_id)
    complaint = Complaint.get_or_none(Complaint.id == review.complaint_id)  # type: ignore[attr-defined]
    if complaint is None or not may_see_complaint(actor, complaint):
        raise NotFound("quality_review", review_id)
    return review


def checklist() -> list[QualityCheckItem]:
    """The checklist items in use, in their order."""
    return list(
        QualityCheckItem.select()
        .where(QualityCheckItem.archived_at.is_null())
        .order_by(QualityCheckItem.position, QualityCheckItem.id)
    )


@dataclass(frozen=True)
class ScoreInput:
    item_id: int
    result: str
    note: str = ""


def score_review(actor: Actor, review_id: int, scores: list[ScoreInput], comments: str = "") -> QualityReview:
    """Score a sampled complaint against every checklist item in use, replacing any earlier scores.

    Raises NotAllowed (not a manager), NotFound (no such review, or its case is hidden from the actor), Invalid
    listing every problem: ("scores", n, "item_id") "not_found" for an item not in use or "repeated";
    ("scores", n, "result") "unsupported"; ("scores", n, "note") "too_long"; "unscored" at ("scores",) naming the
    items not scored; ("scores",) "too_many" (over 100); ("comments",) "too_long"; or Conflict("returned") once the
    scores went back to the team.
    """
    _require_manager(actor, "quality_review.score")
    review = visible_review(actor, review_id)
    items = {item.id: item for item in checklist()}
    cleaned: dict[int, tuple[str, str]] = {}
    with gather() as problems:
        if len(scores) > MAX_ITEMS:
            raise Invalid("scores", "too_many", maximum=MAX_ITEMS)
        for n, score in enumerate(scores):
            if score.item_id not in items:
                problems.add("item_id", "not_found", at=("scores", n, "item_id"))
            elif score.item_id in cleaned:
                problems.add("item_id", "repeated", at=("scores", n, "item_id"))
            if score.result not in RESULTS:
                problems.add("result", "unsupported", at=("scores", n, "result"))
            note = clean(score.note)
            if len(note) > MAX_NOTE:
                problems.add("note", "too_long", at=("scores", n, "note"), maximum=MAX_NOTE)
            if score.item_id in items and score.item_id not in cleaned:
                cleaned[score.item_id] = (score.result, note)
        missing = [item_id for item_id in items if item_id not in cleaned]
        if missing:
            problems.add("items", "unscored", at=("scores",), items=missing, count=len(missing))
        comments = clean(comments)
        if len(comments) > MAX_NOTE:
            problems.add("comments", "too_long", maximum=MAX_NOTE)
    if review.team_told_at is not None:
        raise Conflict("returned")
    # The audit entry is the complaint's, so it is hidden with its case; the review's id goes in its changes.
    before = {"comments": review.comments, "scores": _scores_of(review.id)}
    with transaction():
        QualityScore.delete().where(QualityScore.review == review.id).execute()
        for item_id, (result, note) in cleaned.items():
            QualityScore.create(review=review.id, item=item_id, result=result, note=note)
        review.reviewer = actor.user_id  # type: ignore[assignment]
        review.reviewed_at = utcnow()
        review.comments = comments
        review.save()
        after = {"comments": comments, "scores": _scores_of(review.id), "review_id": review.id}
        complaint_id = review.complaint_id  # type: ignore[attr-defined]
        record_audit(actor, "quality_review.scored", "complaint", complaint_id, field_changes(before, after))
    return review


def _scores_of(review_id: int) -> dict[str, str]:
    rows: Any = (
        QualityScore.select(QualityScore.item, QualityScore.result)
        .where(QualityScore.review == review_id)
        .order_by(QualityScore.item)
        .tuples()
    )
    return {str(item): result for item, result in rows}


def _first_column(query: Any) -> list[Any]:
    rows: Any = query.tuples()
    return [row[0] for row in rows]


def team_recipients(review: QualityReview, complaint: Complaint) -> list[int]:
    """Who hears a review's scores: the complaint's handler, the handler's manager and the team's managers, each
    only if active and the case is not hidden from them."""
    people: set[int] = set()
    handler = User.get_or_none(User.id == complaint.handler_id)  # type: ignore[attr-defined]
    if handler is not None:
        people.add(handler.id)
        if handler.manager_id is not None:  # type: ignore[attr-defined]
            people.add(handler.manager_id)  # type: ignore[attr-defined]
    if review.team:
        team_managers = (
            User.select(User.id)
            .join(UserRole)
            .where(UserRole.role == "manager", User.team == review.team, User.is_active == True)  # noqa: E712
        )
        people.update(_first_column(team_managers))
    told = []
    for person in sorted(people):
        user = User.get_or_none(User.id == person, User.is_active == True)  # noqa: E712
        if user is None:
            continue
        roles = frozenset(_first_column(UserRole.select(UserRole.role).where(UserRole.user == person)))
        if may_see_complaint(Actor(user_id=person, roles=roles), complaint):
            told.append(person)
    return told


def return_to_team(actor: Actor, review_id: int) -> QualityReview:
    """Send a scored review back to the team that handled the complaint, once, through the outbox.

    Raises NotAllowed (not a manager), NotFound (no such review, or hidden from the actor), or
    Conflict("not_scored", "already_returned" or "nobody_to_tell").
    """
    _require_manager(actor, "quality_review.return")
    review = visible_review(actor, review_id)
    if review.reviewed_at is None:
        raise Conflict("not_scored")
    if review.team_told_at is not None:
        raise Conflict("already_returned")
    complaint = Complaint.get_by_id(review.complaint_id)  # type: ignore[attr-defined]
    people = team_recipients(review, complaint)
    if not people:
        raise Conflict("nobody_to_tell")
    now = utcnow()
    with transaction():
        marked = (
            QualityReview.update(team_told_at=now, updated_at=now)
            .where(QualityReview.id == review.id, QualityReview.team_told_at.is_null())
            .execute()
        )
        if not marked:
            raise Conflict("already_returned")
        for person in people:
            record_event(
                "lessons.quality_review_returned",
                {"recipient_id": person, "review_id": review.id, "complaint_id": complaint.id},
            )
        record_audit(
            actor,
            "quality_review.returned",
            "complaint",
            complaint.id,
            field_changes({"team_told_at": None}, {"team_told_at": now.isoformat(), "review_id": review.id}),
        )
    return QualityReview.get_by_id(review.id)


def score_expression() -> Any:
    """The SQL for a set of scores' percentage: met 1, partly 0.5, not met 0; "does not apply" left out."""
    points = Case(QualityScore.result, [(code, value) for code, value in POINTS.items()], None)
    return fn.AVG(points) * 100


def team_scores(first: dt.date) -> list[dict[str, Any]]:
    """The month's average score per team, over its scored reviews: [{"team", "reviews", "score"}], by team.

    A team whose every score was "does not apply" has score None. Complaints with no team are under team None.
    """
    query = (
        QualityScore.select(
            QualityReview.team,
            fn.COUNT(fn.DISTINCT(QualityReview.id)).alias("reviews"),
            score_expression().alias("score"),
        )
        .join(QualityReview)
        .where(QualityReview.month == first, QualityReview.reviewed_at.is_null(False))
        .group_by(QualityReview.team)
        .order_by(QualityReview.team)
    )
    rows: Any = query.tuples()
    return [
        {"team": team, "reviews": reviews, "score": None if score is None else round(float(score), 1)}
        for team, reviews, score in rows
    ]


def whole_percent(value: float) -> int:
    """A percentage as pages and messages say it: a whole number, halves rounded up (78.6 is 79, 62.5 is 63)."""
    return int(Decimal(repr(float(value))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def review_percent(review_id: int) -> int | None:
    """One review's score as a whole percentage, as shown and sent; None when nothing applied or it is not scored."""
    value = QualityScore.select(score_expression()).where(QualityScore.review == review_id).scalar()
    return None if value is None else whole_percent(float(value))


def review_score(review_id: int) -> float | None:
    """One review's score as a percentage; None when nothing applied or it is not scored."""
    value = QualityScore.select(score_expression()).where(QualityScore.review == review_id).scalar()
    return None if value is None else round(float(value), 1)
