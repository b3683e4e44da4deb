"""Publishing a review's report: staff draft the public summary, a manager who did not draft it publishes it.

A report is published once it is signed off and the landlord has responded (the review is "responded"). The
summary is redacted as it is saved (``backend.panels.redaction``: staff and panel members' names and contact
details, case references, and anything else that looks personal are replaced). Publishing is the second pair of
eyes, as for the landlord's reports (``backend.reports.publication``): a manager or admin who is not the person
who last drafted the summary. Who drafted it is read from the audit trail, which the draft writes and nobody edits.

The public page shows, for published reports only: the summary, each recommendation, the landlord's decision and
reason, and the progress of its action as a status word; never an owner, a staff name or an internal id
(:func:`public_reports`).
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.audit.models import AuditEvent
from backend.audit.services import record_audit
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, NotAllowed, NotFound, gather
from backend.panels.access import MANAGERS
from backend.panels.ledger import record_review_completed
from backend.panels.models import Recommendation, ReviewStatus, ScrutinyReview
from backend.panels.redaction import redact_for_panel
from backend.panels.responses import progress
from backend.text import clean
from backend.timeutil import local_date, utcnow

SUMMARY_MAX = 5_000
DRAFTED = "scrutiny_review.summary_drafted"


def _review(review_id: int) -> ScrutinyReview:
    review = ScrutinyReview.get_or_none(ScrutinyReview.id == review_id)
    if review is None:
        raise NotFound("ScrutinyReview", review_id)
    return review


def drafted_by(review_id: int) -> int | None:
    """Who last drafted the review's public summary (from the audit trail); None when nobody has."""
    entry = (
        AuditEvent.select(AuditEvent.actor_user_id)
        .where(AuditEvent.action == DRAFTED, AuditEvent.entity_type == "scrutiny_review")
        .where(AuditEvent.entity_id == str(review_id))
        .order_by(AuditEvent.id.desc())
        .first()
    )
    return entry.actor_user_id if entry is not None else None


def saved_summary(actor: Actor, review_id: int) -> str:
    """The public summary as saved (redacted), for staff to read before publishing ("" for none); NotAllowed for
    anyone else."""
    if not actor.is_staff:
        raise NotAllowed("scrutiny_report.read")
    review = ScrutinyReview.get_or_none(ScrutinyReview.id == review_id)
    return str(review.publication_summary or "") if review is not None else ""


def draft_summary(actor: Actor, review_id: int, text: str) -> ScrutinyReview:
    """Save the report's public summary, redacted; return the review.

    Staff only. Raises NotAllowed, NotFound("ScrutinyReview"), Invalid (``summary`` "required"/"too_long"), or
    Conflict "not_responded" (not signed off and responded yet) or "published" (a published report never changes).
    """
    if not (actor.is_staff and actor.can_write):
        raise NotAllowed("scrutiny_report.draft")
    review = _review(review_id)
    with gather() as problems:
        cleaned = clean(text)
        if not cleaned:
            problems.add("summary", "required")
        elif len(cleaned) > SUMMARY_MAX:
            problems.add("summary", "too_long", maximum=SUMMARY_MAX)
    if review.published_at is not None:
        raise Conflict("published")
    if review.status != ReviewStatus.RESPONDED:
        raise Conflict("not_responded")
    summary = redact_for_panel(cleaned)
    with transaction():
        moved = (
            ScrutinyReview.update(publication_summary=summary, updated_at=utcnow())
            .where(ScrutinyReview.id == review.id, ScrutinyReview.published_at.is_null())
            .execute()
        )
        if not moved:
            raise Conflict("published")
        record_audit(
            actor,
            DRAFTED,
            "scrutiny_review",
            review.id,
            {"publication_summary": {"before": review.publication_summary, "after": summary}},
        )
    return _review(review.id)


def still_needed(review_id: int) -> list[str]:
    """What the review's report still needs before it can be published, in order: "published" (it already is),
    "not_responded" (the panel's report is not yet responded to) and "no_summary" (no public summary drafted yet);
    empty when ``publish`` would accept it (who may publish is its own check)."""
    review = _review(review_id)
    if review.published_at is not None:
        return ["published"]
    needed = []
    if review.status != ReviewStatus.RESPONDED:
        needed.append("not_responded")
    if not review.publication_summary:
        needed.append("no_summary")
    return needed


def publish(actor: Actor, review_id: int) -> ScrutinyReview:
    """Publish the report on the public page; return the review, now "published".

    Managers and admins, not the person who drafted the summary. Each member who took part is credited with the
    completed review in the involvement ledger (``ledger.record_review_completed``). Raises NotAllowed
    (``own_summary`` for its drafter), NotFound("ScrutinyReview"), or Conflict "no_summary", "not_responded" or
    "published".
    """
    if not (actor.can_write and actor.has_role(*MANAGERS)):
        raise NotAllowed("scrutiny_report.publish")
    review = _review(review_id)
    if review.published_at is not None:
        raise Conflict("published")
    if review.status != ReviewStatus.RESPONDED:
        raise Conflict("not_responded")
    if not review.publication_summary:
        raise Conflict("no_summary")
    if drafted_by(review.id) == actor.user_id:
        raise NotAllowed("scrutiny_report.publish", "own_summary")
    with transaction():
        now = utcnow()
        moved = (
            ScrutinyReview.update(
                status=ReviewStatus.PUBLISHED.value, published_at=now, published_by=actor.user_id, updated_at=now
            )
            .where(
                ScrutinyReview.id == review.id,
                ScrutinyReview.published_at.is_null(),
                ScrutinyReview.status == ReviewStatus.RESPONDED,
            )
            .execute()
        )
        if not moved:
            raise Conflict("published")
        record_audit(
            actor,
            "scrutiny_review.published",
            "scrutiny_review",
            review.id,
            {"status": {"before": review.status, "after": ReviewStatus.PUBLISHED.value}},
        )
        # The review is complete: each member who took part gets their entry, their reward by the panel's rule
        # (waiting for approval) and their thanks, in the same transaction, so none is missed or given twice.
        record_review_completed(actor, review.id)
    return _review(review.id)


@dataclass(frozen=True)
class PublicRecommendation:
    """One recommendation as the public page shows it: no owner, no staff, no internal ids."""

    number: int
    text: str
    decision: str | None
    reason: str
    progress: str | None
    due_on: str | None


@dataclass(frozen=True)
class PublicReport:
    """A published report as the public page shows it."""

    reference: str
    topic: str
    summary: str
    published_on: str
    recommendations: tuple[PublicRecommendation, ...]


def _public(review: ScrutinyReview) -> PublicReport:
    rows = Recommendation.select().where(Recommendation.review == review.id).order_by(Recommendation.number)
    return PublicReport(
        reference=review.reference,
        topic=review.topic,
        summary=review.publication_summary,
        published_on=local_date(review.published_at).isoformat(),
        recommendations=tuple(
            PublicRecommendation(
                number=row.number,
                text=row.text,
                decision=row.decision,
                reason=row.reason,
                progress=progress(row),
                due_on=row.due_on.isoformat() if row.due_on else None,
            )
            for row in rows
        ),
    )


def public_reports(limit: int = 100) -> list[PublicReport]:
    """The published reports, newest first."""
    rows = (
        ScrutinyReview.select()
        .where(ScrutinyReview.published_at.is_null(False))
        .order_by(ScrutinyReview.published_at.desc(), ScrutinyReview.id.desc())
        .limit(limit)
    )
    return [_public(review) for review in rows]


def public_report(reference: str) -> PublicReport | None:
    """The published report with this reference; None when there is none, or it is not published."""
    review = ScrutinyReview.get_or_none(
        ScrutinyReview.reference == reference[:20], ScrutinyReview.published_at.is_null(False)
    )
    return _public(review) if review is not None else None
