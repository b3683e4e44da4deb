"""The landlord's response to each recommendation, its approval, the progress of its actions and the panel's verdict.

A manager responds to each recommendation on its clock: accepted, partly accepted or not accepted, always with the
reason. Accepting (wholly or partly) needs an owner (active staff) and a due date, and logs the work where all the
landlord's learning is followed: a lesson whose source is the scrutiny recommendation (with the review's
reference), and a proposed SMART action for that owner and date, both made through the lessons services. The
response is then approved by the body the panel's terms name (an executive, a committee or the board), on a date;
once every recommendation is answered and approved, the review is "responded". Members follow each action's
status until it is done and record, per recommendation, whether they are satisfied.

A daily sweep (:func:`sweep_overdue_responses`) escalates each response not given by its due date, once, to the
panel's senior lead and the managers, as overdue improvement actions are escalated.
"""

from __future__ import annotations

import datetime as dt
import logging

from backend.accounts.models import User, UserRole
from backend.audit.services import record_audit
from backend.complaints.clocks import managers
from backend.context import STAFF_ROLES, Actor
from backend.db import transaction
from backend.errors import Conflict, NotAllowed, NotFound, gather
from backend.events.services import record_event
from backend.lessons import actions as lesson_actions
from backend.lessons import lessons as lesson_log
from backend.lessons.models import ActionType, ImprovementAction, SourceKind
from backend.lessons.sources import SourceInput
from backend.panels import access
from backend.panels.annotations import is_current_member
from backend.panels.models import (
    ApprovalBody,
    ApprovalMeeting,
    Panel,
    PanelRole,
    Recommendation,
    ResponseDecision,
    ReviewStatus,
    Satisfaction,
    ScrutinyReview,
)
from backend.panels.redaction import redact_for_panel
from backend.text import clean
from backend.timeutil import local_date, utcnow

logger = logging.getLogger(__name__)

REASON_MAX = 10_000
NOTE_MAX = 2_000
#: The decisions that take on work: an owner and a due date, a lesson and an action.
TAKES_ACTION = (ResponseDecision.ACCEPTED, ResponseDecision.PARTLY)


def visible_recommendation(actor: Actor, recommendation_id: int) -> Recommendation:
    """The recommendation, for staff or a current member of its panel; NotFound otherwise (or when there is none)."""
    row = Recommendation.get_or_none(Recommendation.id == recommendation_id)
    if row is None:
        raise NotFound("Recommendation", recommendation_id)
    try:
        access.visible_review(actor, row.review_id)  # type: ignore[attr-defined]
    except NotFound:
        raise NotFound("Recommendation", recommendation_id) from None
    return row


def _is_staff(user_id: int) -> bool:
    """Whether the person is active staff, who may own an action."""
    return (
        User.select()
        .join(UserRole, on=(UserRole.user == User.id))
        .where(User.id == user_id, User.is_active == True, UserRole.role.in_(STAFF_ROLES))  # noqa: E712
        .exists()
    )


def _require_manager(actor: Actor, what: str) -> None:
    if not (actor.can_write and actor.has_role(*access.MANAGERS)):
        raise NotAllowed(what)


def _title(review: ScrutinyReview, row: Recommendation) -> str:
    """The lesson's and the action's title: the review's reference, the number, and the recommendation's words."""
    return f"{review.reference} R{row.number}: {row.text}"[: lesson_actions.MAX_TITLE]


def respond(
    actor: Actor,
    recommendation_id: int,
    decision: str,
    reason: str,
    owner_id: int | None = None,
    due_on: dt.date | None = None,
    action_type: str = ActionType.WORKING_PRACTICE.value,
) -> Recommendation:
    """Record the landlord's response to a recommendation (managers); return it.

    Accepting or partly accepting logs a lesson (source: the scrutiny recommendation) and a proposed SMART action
    with the owner and due date; ``owner_id``, ``due_on`` and ``action_type`` are ignored for "not accepted".
    Raises NotAllowed, NotFound("Recommendation"), Invalid naming every problem (``decision`` "unsupported";
    ``reason`` "required"/"too_long"; ``owner_id`` "required"/"not_staff"; ``due_on`` "required"/"in_past";
    ``action_type`` "unsupported"), or Conflict "responded" (it has a response already) or "not_awaiting" (the
    review is not waiting for responses).
    """
    _require_manager(actor, "recommendation.respond")
    row = visible_recommendation(actor, recommendation_id)
    with gather() as problems:
        if decision not in ResponseDecision.codes():
            problems.add("decision", "unsupported")
        text = clean(reason)
        if not text:
            problems.add("reason", "required")
        elif len(text) > REASON_MAX:
            problems.add("reason", "too_long", maximum=REASON_MAX)
        takes_action = decision in TAKES_ACTION
        if takes_action:
            if owner_id is None:
                problems.add("owner_id", "required")
            elif not _is_staff(owner_id):
                problems.add("owner_id", "not_staff")
            if due_on is None:
                problems.add("due_on", "required")
            elif due_on < local_date():
                problems.add("due_on", "in_past")
            if action_type not in ActionType.codes():
                problems.add("action_type", "unsupported")
    review = ScrutinyReview.get_by_id(row.review_id)  # type: ignore[attr-defined]
    if row.decision is not None:
        raise Conflict("responded")
    text = redact_for_panel(text)  # members and the public read the reason
    if review.status != ReviewStatus.AWAITING_RESPONSE:
        raise Conflict("not_awaiting")
    with transaction():
        now = utcnow()
        moved = (
            Recommendation.update(
                decision=decision,
                reason=text,
                owner=owner_id if takes_action else None,
                due_on=due_on if takes_action else None,
                responded_by=actor.user_id,
                responded_at=now,
                updated_at=now,
            )
            .where(Recommendation.id == row.id, Recommendation.decision.is_null())
            .execute()
        )
        if not moved:
            raise Conflict("responded")
        lesson_id = action_id = None
        if takes_action:
            lesson = lesson_log.create_lesson(
                actor,
                _title(review, row),
                [SourceInput(kind=SourceKind.SCRUTINY_RECOMMENDATION.value, reference=review.reference, note=row.text)],
                lesson_log.Details(owner_id=owner_id),
            )
            action = lesson_actions.propose_action(
                actor,
                lesson.id,
                title=_title(review, row),
                description=text,
                owner_id=owner_id,
                due_on=due_on,
                action_type=action_type,
            )
            lesson_id, action_id = lesson.id, action.id
            Recommendation.update(lesson=lesson_id, action=action_id).where(Recommendation.id == row.id).execute()
        record_audit(
            actor,
            "recommendation.responded",
            "recommendation",
            row.id,
            {
                "decision": {"before": None, "after": decision},
                "owner_id": {"before": None, "after": owner_id if takes_action else None},
                "due_on": {"before": None, "after": due_on.isoformat() if takes_action and due_on else None},
                "lesson_id": {"before": None, "after": lesson_id},
                "action_id": {"before": None, "after": action_id},
            },
        )
    return Recommendation.get_by_id(row.id)


def approve(actor: Actor, recommendation_id: int, approved_on: dt.date | None, note: str = "") -> Recommendation:
    """Record that the panel's approval body approved the response, on a date; return the recommendation.

    Once every recommendation of the review is answered and approved, the review is "responded". Raises
    NotAllowed (managers only), NotFound("Recommendation"), Invalid (``approved_on`` "required", "future" or
    "before_response"; ``note`` "too_long") or Conflict "not_responded" or "approved".
    """
    _require_manager(actor, "recommendation.approve")
    row = visible_recommendation(actor, recommendation_id)
    with gather() as problems:
        if approved_on is None:
            problems.add("approved_on", "required")
        elif approved_on > local_date():
            problems.add("approved_on", "future")
        elif row.responded_at is not None and approved_on < local_date(row.responded_at):
            problems.add("approved_on", "before_response")
        text = clean(note)
        if len(text) > NOTE_MAX:
            problems.add("note", "too_long", maximum=NOTE_MAX)
    if row.decision is None:
        raise Conflict("not_responded")
    if row.approved_on is not None:
        raise Conflict("approved")
    review = ScrutinyReview.get_by_id(row.review_id)  # type: ignore[attr-defined]
    panel = Panel.get_by_id(review.panel_id)  # type: ignore[attr-defined]
    with transaction():
        now = utcnow()
        moved = (
            Recommendation.update(
                approved_by_body=panel.approval_body, approved_on=approved_on, approval_note=text, updated_at=now
            )
            .where(Recommendation.id == row.id, Recommendation.approved_on.is_null())
            .execute()
        )
        if not moved:
            raise Conflict("approved")
        record_audit(
            actor,
            "recommendation.approved",
            "recommendation",
            row.id,
            {
                "approved_by_body": {"before": None, "after": panel.approval_body},
                "approved_on": {"before": None, "after": approved_on.isoformat() if approved_on else None},
            },
        )
        waiting = Recommendation.select().where(
            Recommendation.review == review.id,
            Recommendation.decision.is_null() | Recommendation.approved_on.is_null(),
        )
        if not waiting.exists():
            moved = (
                ScrutinyReview.update(status=ReviewStatus.RESPONDED.value, updated_at=now)
                .where(ScrutinyReview.id == review.id, ScrutinyReview.status == ReviewStatus.AWAITING_RESPONSE)
                .execute()
            )
            if moved:
                record_audit(
                    actor,
                    "scrutiny_review.responded",
                    "scrutiny_review",
                    review.id,
                    {"status": {"before": ReviewStatus.AWAITING_RESPONSE.value, "after": ReviewStatus.RESPONDED.value}},
                )
    return Recommendation.get_by_id(row.id)


def record_satisfaction(actor: Actor, recommendation_id: int, satisfaction: str, note: str = "") -> Recommendation:
    """Record whether the panel is satisfied with what was done about a recommendation; return it.

    It is the panel's agreed view, so its chair or vice-chair records it, once the response is approved; it may be
    recorded again as the work goes on. Raises NotFound("Recommendation") for one the actor may not see,
    NotAllowed for staff and anyone not the panel's current chair or vice-chair (code "panel_view"),
    Invalid (``satisfaction`` "unsupported";
    ``note`` "too_long") or Conflict("not_responded") before the response is approved.
    """
    row = visible_recommendation(actor, recommendation_id)
    review = ScrutinyReview.get_by_id(row.review_id)  # type: ignore[attr-defined]
    if actor.is_staff or not actor.can_write or not is_current_member(actor.user_id, review.panel_id):  # type: ignore[attr-defined]
        raise NotAllowed("recommendation.satisfaction")
    membership = access.chair_of(actor, review.panel_id)  # type: ignore[attr-defined]
    if membership is None or membership.role not in (PanelRole.CHAIR, PanelRole.VICE_CHAIR):
        raise NotAllowed("recommendation.satisfaction", "panel_view")
    with gather() as problems:
        if satisfaction not in Satisfaction.codes():
            problems.add("satisfaction", "unsupported")
        text = clean(note)
        if len(text) > NOTE_MAX:
            problems.add("note", "too_long", maximum=NOTE_MAX)
    if row.decision is None or row.approved_on is None:
        raise Conflict("not_responded")
    with transaction():
        before = row.satisfaction
        Recommendation.update(satisfaction=satisfaction, satisfaction_note=text, updated_at=utcnow()).where(
            Recommendation.id == row.id
        ).execute()
        record_audit(
            actor,
            "recommendation.satisfaction_recorded",
            "recommendation",
            row.id,
            {"satisfaction": {"before": before, "after": satisfaction}},
        )
    return Recommendation.get_by_id(row.id)


def may_record_view(actor: Actor, review_id: int) -> bool:
    """Whether the actor may record the panel's view on the review's recommendations: its chair or vice-chair."""
    review = ScrutinyReview.get_or_none(ScrutinyReview.id == review_id)
    if review is None or actor.is_staff or not actor.can_write:
        return False
    membership = access.chair_of(actor, review.panel_id)  # type: ignore[attr-defined]
    return membership is not None and membership.role in (PanelRole.CHAIR, PanelRole.VICE_CHAIR)


def progress(row: Recommendation) -> str | None:
    """The status of the action a recommendation led to (an ``ActionStatus`` code); None when there is none."""
    if row.action_id is None:  # type: ignore[attr-defined]
        return None
    action = ImprovementAction.get_or_none(ImprovementAction.id == row.action_id)  # type: ignore[attr-defined]
    return str(action.status) if action is not None else None


def _escalation_recipients(panel: Panel) -> list[int]:
    people = [user.id for user in managers()]
    if panel.senior_lead_id is not None:  # type: ignore[attr-defined]
        lead = User.get_or_none(User.id == panel.senior_lead_id, User.is_active == True)  # type: ignore[attr-defined]  # noqa: E712
        if lead is not None:
            people.insert(0, lead.id)
    return list(dict.fromkeys(people))


def sweep_overdue_responses(today: dt.date | None = None, limit: int = 1000) -> int:
    """Escalate each response past its due date, once, to the panel's senior lead and the managers.

    Safe to run any number of times, by several workers at once: a conditional UPDATE stamps ``escalated_at`` and
    only the worker that moved the row tells anyone. Returns how many recommendations were escalated.
    """
    today = today or local_date()
    overdue = list(
        Recommendation.select()
        .where(
            Recommendation.decision.is_null(),
            Recommendation.response_due_on < today,
            Recommendation.escalated_at.is_null(),
        )
        .order_by(Recommendation.response_due_on, Recommendation.id)
        .limit(limit)
    )
    told = 0
    for row in overdue:
        with transaction():
            moved = (
                Recommendation.update(escalated_at=utcnow())
                .where(
                    Recommendation.id == row.id,
                    Recommendation.escalated_at.is_null(),
                    Recommendation.decision.is_null(),
                )
                .execute()
            )
            if not moved:
                continue
            review = ScrutinyReview.get_by_id(row.review_id)  # type: ignore[attr-defined]
            panel = Panel.get_by_id(review.panel_id)  # type: ignore[attr-defined]
            for person in _escalation_recipients(panel):
                record_event(
                    "panels.response_overdue",
                    {
                        "recipient_id": person,
                        "recommendation_id": row.id,
                        "review_id": review.id,
                        "reference": review.reference,
                        "number": row.number,
                        "due_on": row.response_due_on.isoformat(),
                    },
                )
            told += 1
    if told:
        logger.info("overdue scrutiny responses escalated: %s", told)
    return told


def add_approval_meeting(actor: Actor, body: str, meets_on: dt.date | None) -> ApprovalMeeting:
    """Record a planned meeting of an approval body, which response clocks set from now on allow for; return it.

    Managers only. Raises NotAllowed, Invalid (``body`` "unsupported"; ``meets_on`` "required"/"in_past") or
    Conflict("meeting_exists") when that body already meets that day. Clocks already running keep their date.
    """
    _require_manager(actor, "approval_meeting.add")
    with gather() as problems:
        if body not in ApprovalBody.codes():
            problems.add("body", "unsupported")
        if meets_on is None:
            problems.add("meets_on", "required")
        elif meets_on < local_date():
            problems.add("meets_on", "in_past")
    with transaction():
        if ApprovalMeeting.select().where(ApprovalMeeting.body == body, ApprovalMeeting.meets_on == meets_on).exists():
            raise Conflict("meeting_exists")
        row = ApprovalMeeting.create(body=body, meets_on=meets_on)
        record_audit(
            actor,
            "approval_meeting.added",
            "approval_meeting",
            row.id,
            {"body": {"before": None, "after": body}, "meets_on": {"before": None, "after": str(meets_on)}},
        )
    return row
