"""The panel's findings and recommendations: drafted together by members, checked for accuracy by staff, signed off.

**Independence.** Only the panel's current members write its drafts; staff never do (``NotAllowed``, whatever
their role). Every save writes a new ``FindingsVersion``; none is ever changed, except that signing it off stamps
it, and a signed version is frozen: editing afterwards writes the next version, a draft. Staff add factual-accuracy
comments beside a draft version, and only the panel decides whether to accept or reject each (a rejection says why).

**Sign-off** follows the panel's terms of reference (``Panel.sign_off_rule``): the chair; the chair or the
vice-chair; or a recorded quorum (the chair or vice-chair records which current members were present, at least
``Panel.quorum`` of them). Anyone else is refused with ``NotAllowed``. Sign-off needs the latest version, with at
least one recommendation and no accuracy comment still open. It writes one ``Recommendation`` per recommendation
with the landlord's response due (:func:`response_due_on`) and moves the review to "awaiting response". While the
landlord has answered none of them, a later version may be signed off in its place: its recommendations replace
those of the earlier one and the clock starts again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from peewee import IntegrityError, fn

from backend.accounts.models import User
from backend.audit.services import record_audit
from backend.complaints.clocks import managers
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, NotAllowed, NotFound, gather
from backend.events.services import record_event
from backend.panels import access
from backend.panels.annotations import is_current_member
from backend.panels.models import (
    AccuracyComment,
    ApprovalMeeting,
    CommentStatus,
    FindingsVersion,
    Panel,
    PanelMembership,
    PanelRole,
    Recommendation,
    ReviewStatus,
    ScrutinyReview,
    SignOffRule,
)
from backend.panels.redaction import redact_for_panel
from backend.text import clean
from backend.timeutil import local_date, utcnow
from backend.workdays import add_working_days

SUMMARY_MAX = 5_000
FINDINGS_MAX = 50_000
RECOMMENDATION_MAX = 2_000
RECOMMENDATIONS_MAX = 30
PASSAGE_MAX = 2_000
COMMENT_MAX = 5_000
NOTE_MAX = 2_000
#: The nation whose bank holidays the response clock skips. The landlord's own nation is not configured anywhere
#: yet (complaint clocks use each home's nation); the panel answers for the whole landlord, so England's calendar.
NATION = "england"
#: How long after the working-day date the clock waits for the approval body's next meeting (docs/scrutiny-findings.md).
MEETING_WINDOW_DAYS = 40
#: Where a review may take a new draft: once it is gathering evidence (the first draft moves it on to reporting),
#: until it is signed off. A planned review has not started; a signed-off one waits for the landlord.
DRAFTING = (ReviewStatus.GATHERING, ReviewStatus.REPORTING, ReviewStatus.AWAITING_RESPONSE)
#: Who may sign off, or record a quorum, under each rule.
SIGNERS: dict[str, tuple[str, ...]] = {
    SignOffRule.CHAIR: (PanelRole.CHAIR,),
    SignOffRule.CHAIR_OR_VICE: (PanelRole.CHAIR, PanelRole.VICE_CHAIR),
    SignOffRule.QUORUM: (PanelRole.CHAIR, PanelRole.VICE_CHAIR),
}


def response_due_on(signed_on: dt.date, panel: Panel) -> dt.date:
    """The UK day the landlord's response to a recommendation signed off on ``signed_on`` is due.

    The panel's working days after sign-off (England's calendar); when the approval body has a meeting recorded on
    or within ``MEETING_WINDOW_DAYS`` days after that day, the day of the first such meeting, so the response can
    be approved at it. With none recorded, the working-day date stands.
    """
    due = add_working_days(signed_on, panel.response_working_days, NATION)
    meeting = (
        ApprovalMeeting.select()
        .where(
            ApprovalMeeting.body == panel.approval_body,
            ApprovalMeeting.meets_on >= due,
            ApprovalMeeting.meets_on <= due + dt.timedelta(days=MEETING_WINDOW_DAYS),
        )
        .order_by(ApprovalMeeting.meets_on)
        .first()
    )
    return meeting.meets_on if meeting is not None else due


def _member_writer(actor: Actor, review: ScrutinyReview, what: str) -> None:
    """Only a current member of the review's panel writes the panel's words; staff never do."""
    if actor.is_staff or not actor.can_write or not is_current_member(actor.user_id, review.panel_id):  # type: ignore[attr-defined]
        raise NotAllowed(what)


def latest_version(review_id: int) -> FindingsVersion | None:
    """The review's latest version, or None before the first draft."""
    return (
        FindingsVersion.select()
        .where(FindingsVersion.review == review_id)
        .order_by(FindingsVersion.number.desc())
        .first()
    )


def save_draft(
    actor: Actor, review_id: int, summary: str, findings: str, recommendations: Sequence[str]
) -> FindingsVersion:
    """Save the panel's draft as a new version and return it (never changing an earlier one).

    Blank recommendations are left out. The first draft of a review that is gathering evidence moves it on to
    reporting. Raises NotFound("ScrutinyReview") for a review the actor may not see, NotAllowed for staff and anyone
    not a current member of its panel, Conflict "not_started" (the review is only planned) or "not_drafting" (it is
    signed off or further on), or Invalid naming every problem (``summary``, ``findings`` "too_long"; ``summary``
    "none_given" when neither a summary nor findings are written; ``recommendations`` "too_many"; each
    recommendation "too_long" at ``recommendations[i]``). Two members saving at once get
    consecutive numbers, or Conflict("changed") when it keeps clashing.
    """
    review = access.visible_review(actor, review_id)
    _member_writer(actor, review, "findings.save")
    with gather() as problems:
        cleaned_summary = clean(summary)
        if len(cleaned_summary) > SUMMARY_MAX:
            problems.add("summary", "too_long", maximum=SUMMARY_MAX)
        cleaned_findings = clean(findings)
        if len(cleaned_findings) > FINDINGS_MAX:
            problems.add("findings", "too_long", maximum=FINDINGS_MAX)
        if not cleaned_summary and not cleaned_findings:
            problems.add("summary", "none_given")
        listed = []
        if len(recommendations) > RECOMMENDATIONS_MAX:
            problems.add("recommendations", "too_many", maximum=RECOMMENDATIONS_MAX)
        for index, text in enumerate(recommendations[:RECOMMENDATIONS_MAX]):
            text = clean(text)
            if len(text) > RECOMMENDATION_MAX:
                problems.add("recommendation", "too_long", at=("recommendations", index), maximum=RECOMMENDATION_MAX)
            elif text:
                listed.append(text)
    if review.status == ReviewStatus.PLANNED:
        raise Conflict("not_started")
    if review.status not in DRAFTING or _answered(review.id):
        raise Conflict("not_drafting")
    for _attempt in range(3):
        try:
            with transaction():
                number = (
                    FindingsVersion.select(fn.MAX(FindingsVersion.number))
                    .where(FindingsVersion.review == review.id)
                    .scalar()
                    or 0
                ) + 1
                version = FindingsVersion.create(
                    review=review.id,
                    number=number,
                    summary=cleaned_summary,
                    findings=cleaned_findings,
                    recommendations=listed,
                    written_by=actor.user_id,
                )
                if review.status == ReviewStatus.GATHERING:
                    ScrutinyReview.update(status=ReviewStatus.REPORTING.value, updated_at=utcnow()).where(
                        ScrutinyReview.id == review.id
                    ).execute()
                record_audit(
                    actor,
                    "findings_version.saved",
                    "findings_version",
                    version.id,
                    {
                        "review_id": {"before": None, "after": review.id},
                        "number": {"before": None, "after": number},
                        "recommendations": {"before": None, "after": len(listed)},
                    },
                )
            return version
        except IntegrityError:
            continue
    raise Conflict("changed")


def drafting_open(review_id: int) -> bool:
    """Whether the panel may still save a new draft: the review is not yet responded to and the landlord has not
    started answering its recommendations (``save_draft`` refuses "not_drafting" otherwise)."""
    review = ScrutinyReview.get_or_none(ScrutinyReview.id == review_id)
    return review is not None and review.status in DRAFTING and not _answered(review_id)


def _answered(review_id: int) -> bool:
    return (
        Recommendation.select()
        .where(Recommendation.review == review_id, Recommendation.decision.is_null(False))
        .exists()
    )


def _version(actor: Actor, version_id: int) -> tuple[FindingsVersion, ScrutinyReview]:
    version = FindingsVersion.get_or_none(FindingsVersion.id == version_id)
    if version is None:
        raise NotFound("FindingsVersion", version_id)
    try:
        review = access.visible_review(actor, version.review_id)  # type: ignore[attr-defined]
    except NotFound:
        raise NotFound("FindingsVersion", version_id) from None
    return version, review


def _signer_rule(actor: Actor, panel: Panel) -> str:
    """The rule the actor signs off under; NotAllowed for anyone the panel's terms of reference do not name."""
    if actor.is_staff or not actor.can_write:
        raise NotAllowed("findings.sign_off")
    membership = access.chair_of(actor, panel.id)
    if membership is None or membership.role not in SIGNERS.get(panel.sign_off_rule, ()):
        raise NotAllowed("findings.sign_off")
    return str(panel.sign_off_rule)


def _quorum(panel: Panel, present: Sequence[int] | None) -> list[int]:
    """The members present, checked: each a current member of the panel, at least its quorum."""
    chosen = list(dict.fromkeys(int(person) for person in present or ()))
    with gather() as problems:
        current = {
            row.person_id  # type: ignore[attr-defined]
            for row in PanelMembership.select(PanelMembership.person).where(
                PanelMembership.panel == panel.id,
                PanelMembership.person.in_(chosen or [0]),
                PanelMembership.started_on <= local_date(),
                PanelMembership.ended_on.is_null() | (PanelMembership.ended_on >= local_date()),
            )
        }
        for index, person in enumerate(chosen):
            if person not in current:
                problems.add("present", "not_member", at=("present", index))
        if len(current) < panel.quorum:
            problems.add("present", "below_quorum", minimum=panel.quorum)
    return chosen


def sign_off(actor: Actor, version_id: int, present: Sequence[int] | None = None) -> FindingsVersion:
    """Sign off a version under the panel's rule, freezing it and starting the landlord's response clock.

    ``present`` lists the members present (user ids), for a sign-off by quorum; it is ignored otherwise. Returns
    the signed version. Raises NotFound("FindingsVersion") for one the actor may not see, NotAllowed for anyone but
    the chair (or the vice-chair, or whoever records a quorum, as the rule says), Invalid for a quorum not met
    (``present`` "below_quorum", a person not a current member "not_member"), or Conflict: "signed_off" (this
    version already is), "not_latest" (a later version exists), "no_recommendations", "no_findings" (neither a
    summary nor findings), "comments_open" (an accuracy comment waits for the panel's decision) or "not_drafting"
    (the review is not being drafted: planned, or signed off already).
    """
    version, review = _version(actor, version_id)
    panel = Panel.get_by_id(review.panel_id)  # type: ignore[attr-defined]
    rule = _signer_rule(actor, panel)
    quorum = _quorum(panel, present) if rule == SignOffRule.QUORUM else None
    if version.signed_off_at is not None:
        raise Conflict("signed_off")
    latest = latest_version(review.id)
    if latest is not None and latest.id != version.id:
        raise Conflict("not_latest")
    if not version.recommendations:
        raise Conflict("no_recommendations")
    if not version.summary and not version.findings:
        raise Conflict("no_findings")
    open_comments = (
        AccuracyComment.select()
        .join(FindingsVersion)
        .where(FindingsVersion.review == review.id, AccuracyComment.status == CommentStatus.OPEN)
    )
    if open_comments.exists():
        raise Conflict("comments_open")
    if review.status not in DRAFTING or _answered(review.id):
        raise Conflict("not_drafting")
    today = local_date()
    due = response_due_on(today, panel)
    with transaction():
        now = utcnow()
        moved = (
            FindingsVersion.update(
                signed_off_by=actor.user_id,
                signed_off_at=now,
                signed_off_as=rule,
                quorum_members=quorum,
                updated_at=now,
            )
            .where(FindingsVersion.id == version.id, FindingsVersion.signed_off_at.is_null())
            .execute()
        )
        if not moved or _answered(review.id) or latest_version(review.id).id != version.id:  # type: ignore[union-attr]
            raise Conflict("changed")
        # An earlier signed version's recommendations, none answered yet, give way to this one's.
        Recommendation.delete().where(Recommendation.review == review.id).execute()
        for number, text in enumerate(version.recommendations, start=1):
            Recommendation.create(review=review.id, version=version.id, number=number, text=text, response_due_on=due)
        ScrutinyReview.update(status=ReviewStatus.AWAITING_RESPONSE.value, updated_at=now).where(
            ScrutinyReview.id == review.id
        ).execute()
        record_audit(
            actor,
            "findings_version.signed_off",
            "findings_version",
            version.id,
            {
                "signed_off_as": {"before": None, "after": rule},
                "quorum_members": {"before": None, "after": quorum},
                "response_due_on": {"before": None, "after": due.isoformat()},
            },
        )
        for person in managers():
            record_event(
                "panels.findings_signed_off",
                {
                    "recipient_id": person.id,
                    "review_id": review.id,
                    "reference": review.reference,
                    "due_on": due.isoformat(),
                },
            )
    return FindingsVersion.get_by_id(version.id)


def add_comment(actor: Actor, version_id: int, comment: str, passage: str = "") -> AccuracyComment:
    """Add a staff comment on the factual accuracy of a draft version; return it.

    Raises NotFound("FindingsVersion"), NotAllowed (only staff comment: members write the draft itself),
    Invalid (``comment`` "required"/"too_long", ``passage`` "too_long") or Conflict("signed_off").
    """
    version, _review = _version(actor, version_id)
    if not (actor.is_staff and actor.can_write):
        raise NotAllowed("accuracy_comment.add")
    with gather() as problems:
        text = clean(comment)
        if not text:
            problems.add("comment", "required")
        elif len(text) > COMMENT_MAX:
            problems.add("comment", "too_long", maximum=COMMENT_MAX)
        words = clean(passage)
        if len(words) > PASSAGE_MAX:
            problems.add("passage", "too_long", maximum=PASSAGE_MAX)
    if version.signed_off_at is not None:
        raise Conflict("signed_off")
    with transaction():
        row = AccuracyComment.create(
            version=version.id, passage=redact_for_panel(words), comment=redact_for_panel(text), author=actor.user_id
        )
        record_audit(
            actor,
            "accuracy_comment.added",
            "accuracy_comment",
            row.id,
            {"version_id": {"before": None, "after": version.id}},
        )
    return row


def decide_comment(actor: Actor, comment_id: int, accept: bool, note: str = "") -> AccuracyComment:
    """Record the panel's decision on an accuracy comment: accepted, or rejected with the reason. Return it.

    Raises NotFound("AccuracyComment") for one the actor may not see, NotAllowed for staff and anyone not a
    current member of the panel, Invalid (``decision_note`` "required" to reject, or "too_long") or Conflict("decided").
    """
    row = AccuracyComment.get_or_none(AccuracyComment.id == comment_id)
    if row is None:
        raise NotFound("AccuracyComment", comment_id)
    try:
        _version_row, review = _version(actor, row.version_id)  # type: ignore[attr-defined]
    except NotFound:
        raise NotFound("AccuracyComment", comment_id) from None
    _member_writer(actor, review, "accuracy_comment.decide")
    with gather() as problems:
        text = clean(note)
        if not accept and not text:
            problems.add("decision_note", "required")
        elif len(text) > NOTE_MAX:
            problems.add("decision_note", "too_long", maximum=NOTE_MAX)
    status = CommentStatus.ACCEPTED if accept else CommentStatus.REJECTED
    with transaction():
        now = utcnow()
        moved = (
            AccuracyComment.update(
                status=status.value, decision_note=text, decided_by=actor.user_id, decided_at=now, updated_at=now
            )
            .where(AccuracyComment.id == row.id, AccuracyComment.status == CommentStatus.OPEN)
            .execute()
        )
        if not moved:
            raise Conflict("decided")
        record_audit(
            actor,
            "accuracy_comment.decided",
            "accuracy_comment",
            row.id,
            {"status": {"before": "open", "after": status.value}},
        )
    return AccuracyComment.get_by_id(row.id)


def sign_off_choices(actor: Actor, review_id: int) -> tuple[str, bool, list[tuple[int, str]]]:
    """What a sign-off form needs: the panel's rule, whether the actor may sign off under it, and (for a quorum)
    the panel's current members by id and display name. Raises NotFound("ScrutinyReview") as
    ``access.visible_review`` does."""
    review = access.visible_review(actor, review_id)
    panel = Panel.get_by_id(review.panel_id)  # type: ignore[attr-defined]
    try:
        _signer_rule(actor, panel)
        may = True
    except NotAllowed:
        may = False
    members: list[tuple[int, str]] = []
    if panel.sign_off_rule == SignOffRule.QUORUM and may:
        today = local_date()
        rows: Any = (
            PanelMembership.select(PanelMembership.person, User.display_name)
            .join(User, on=(PanelMembership.person == User.id))
            .where(
                PanelMembership.panel == panel.id,
                PanelMembership.started_on <= today,
                PanelMembership.ended_on.is_null() | (PanelMembership.ended_on >= today),
            )
            .order_by(User.display_name)
            .tuples()
        )
        members = [(int(row[0]), str(row[1])) for row in rows]
    return str(panel.sign_off_rule), may, members


def signers(review_id: int) -> dict[int, tuple[str, int]]:
    """For each signed-off version of a review (the caller checked the viewer may see it): how its signer signed.

    Maps the version's id to (the signer's role on the panel then, "chair" or "vice_chair", or "quorum" for a
    sign-off by a recorded quorum; the number of members present, for a quorum, else 0).
    """
    review = ScrutinyReview.get_or_none(ScrutinyReview.id == review_id)
    found: dict[int, tuple[str, int]] = {}
    if review is None:
        return found
    signed = FindingsVersion.select().where(
        FindingsVersion.review == review_id, FindingsVersion.signed_off_at.is_null(False)
    )
    for version in signed:
        if version.signed_off_as == SignOffRule.QUORUM:
            found[version.id] = (SignOffRule.QUORUM.value, len(version.quorum_members or ()))
            continue
        on = local_date(version.signed_off_at)
        membership = (
            PanelMembership.select(PanelMembership.role)
            .where(
                PanelMembership.panel == review.panel_id,  # type: ignore[attr-defined]
                PanelMembership.person == version.signed_off_by_id,  # type: ignore[attr-defined]
                PanelMembership.started_on <= on,
                PanelMembership.ended_on.is_null() | (PanelMembership.ended_on >= on),
            )
            .first()
        )
        found[version.id] = (str(membership.role) if membership is not None else PanelRole.CHAIR.value, 0)
    return found
