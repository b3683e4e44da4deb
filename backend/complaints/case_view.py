"""A closed case as a scrutiny panel may see it: the facts of its journey, and every narrative redacted.

The view holds no reference, no id and no name: the caller gives the case an opaque label ("Case 3"). Every
free-text field it shows is redacted with every party the case names (:func:`case_parties`), after the case's
references are replaced by ``[reference]``. Dates are reduced to the day.

What it leaves out, and why, is in :data:`LEFT_OUT`: staff's own notes, the staff a complaint names and their
support, need-to-know and safeguarding records, adjustments and equality answers (special category data),
drafts, files, raw emails, deliveries and the lessons domain's rows (a pack shows a lesson through its own view).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from backend.complaints.case_parties import case_contacts, case_parties, case_references
from backend.complaints.models import (
    CaseMessage,
    Category,
    Clock,
    Complaint,
    ComplaintPoint,
    ComplaintResponse,
    ComplaintStage,
    Contact,
    ContactMerge,
    OmbudsmanOrder,
    OutstandingAction,
    PointDecision,
    PointScope,
    Regime,
    Remedy,
    ServiceArea,
    UpdateInterval,
)
from backend.complaints.redaction import REFERENCE
from backend.errors import NotFound
from backend.redaction import Party, redact_narrative
from backend.timeutil import local_date

__all__ = ["LEFT_OUT", "SHOWN", "RedactedCase", "case_parties", "redacted_case"]

# Every free-text column the view shows, each redacted. A test checks that each text column of the case's rows is
# here or in LEFT_OUT, so a column added later is shown redacted or left out on purpose, never by accident.
SHOWN = frozenset(
    {
        "Contact.description",
        "Contact.kind_reason",
        "ContactMerge.reason",
        "Complaint.summary",
        "Complaint.outcomes_sought",
        "Complaint.mediation_note",
        "Complaint.refusal_reasons",
        "Complaint.withdrawal_reason",
        "Complaint.underlying_cause",
        "Complaint.remedial_action",
        "Complaint.ombudsman_orders",
        "ComplaintStage.extension_reason",
        "ComplaintStage.extension_good_reason",
        "ComplaintStage.escalation_reason",
        "ComplaintStage.escalation_backdate_reason",
        "ComplaintStage.extension_backdate_reason",
        "ComplaintStage.entry_reason",
        "ComplaintPoint.text",
        "ComplaintPoint.outcome_sought",
        "PointScope.signposted_to",
        "PointDecision.reasons",
        "ComplaintResponse.reasons",
        "ComplaintResponse.next_steps",
        "ComplaintResponse.underlying_cause",
        "ComplaintResponse.remedial_action",
        "Remedy.description",
        "OutstandingAction.description",
        "OmbudsmanOrder.text",
        "OmbudsmanOrder.evidence",
        "UpdateInterval.note",
        "CaseMessage.body",
    }
)

# Free-text columns of the case's rows that the view never shows, with the reason.
LEFT_OUT = {
    "Contact.description_redacted": "redacted with fewer parties when it was written; the view redacts the words",
    "Contact.adjustments": "health and disability: special category data",
    "Contact.restricted_reason": "safeguarding: need-to-know",
    "CaseMessage.body_redacted": "redacted with fewer parties when it was written; the view redacts the body",
    "CaseNote.body": "staff's own notes are never shown outside staff",
    "CaseAccess.reason": "who may read a need-to-know case",
    "ComplaintStaff.details": "the staff a complaint names, hidden even from them",
    "ComplaintStaff.support_offered": "the staff a complaint names, hidden even from them",
    "ComplaintStaff.staff_input": "the staff a complaint names, hidden even from them",
    "ContactRestriction.behaviour": "unacceptable-behaviour records: personal and contested",
    "ContactRestriction.evidence": "unacceptable-behaviour records: personal and contested",
    "ContactRestriction.details": "unacceptable-behaviour records: personal and contested",
    "ContactRestriction.equality_consideration": "unacceptable-behaviour records: personal and contested",
    "ContactRestriction.resident_notice": "unacceptable-behaviour records: personal and contested",
    "ContactRestriction.review_outcome": "unacceptable-behaviour records: personal and contested",
    "ReasonableAdjustment.description": "health and disability: special category data",
    "ReasonableAdjustment.decision_reasons": "health and disability: special category data",
    "ReasonableAdjustment.review_note": "health and disability: special category data",
    "Hazard.description": "hazards in the home: describe the home itself",
    "Hazard.findings": "hazards in the home: describe the home itself",
    "Hazard.closure_note": "hazards in the home: describe the home itself",
    "HazardDismissal.reason": "hazards in the home: describe the home itself",
    "ContactReview.note": "a manager's quality check of staff",
    "ResponseDraft.return_reason": "a draft's sign-off; the issued response is shown",
    "LessonSource.note": "the lessons domain: a pack shows a lesson through its own view",
    "NoLessonDecision.reason": "the lessons domain: a pack shows a lesson through its own view",
    "QualityReview.comments": "a quality review of staff's handling",
    "QualityScore.note": "a quality review of staff's handling",
    "StaffBriefing.summary": "a briefing to named staff",
    "Letter.subject": "a delivery: a copy of what the case's messages say",
    "Letter.body": "a delivery: a copy of what the case's messages say",
    "CallTask.subject": "a delivery: a copy of what the case's messages say",
    "CallTask.body": "a delivery: a copy of what the case's messages say",
    "CallTask.outcome_note": "a delivery: staff's note of a call",
}

# The landlord's case references (LL-2026-000042), also of other cases the words mention.
_CASE_REFERENCE = r"(?<![\w-])LL-\d{4}-\d+(?![\w-])"


@dataclass(frozen=True)
class StageView:
    """One stage: when it opened, was acknowledged and answered, the working days each took, any extension."""

    number: int
    entry_route: str | None
    opened_on: dt.date
    acknowledged_on: dt.date | None
    responded_on: dt.date | None
    acknowledge_working_days: int | None
    respond_working_days: int | None
    acknowledge_breached: bool
    respond_breached: bool
    extended: bool
    extended_days: int
    extension_authorised: bool
    extension_reason: str | None
    extension_good_reason: str | None
    escalation_reason: str | None
    escalation_backdate_reason: str | None
    extension_backdate_reason: str | None
    entry_reason: str | None


@dataclass(frozen=True)
class DecisionView:
    """A stage's decision on one point, with its reasons."""

    stage: int
    decision: str
    reasons: str


@dataclass(frozen=True)
class PointView:
    """One point of complaint, what the resident sought, whether it was the landlord's, and each decision on it."""

    position: int
    stage: int
    text: str
    outcome_sought: str
    contractor_named: bool
    landlord_responsible: bool | None
    signposted_to: str | None
    decisions: tuple[DecisionView, ...]


@dataclass(frozen=True)
class ResponseView:
    """A stage's response: its outcome, reasons, the way on, and what caused the problem and what changes."""

    stage: int
    issued_on: dt.date
    outcome: str | None
    signed_off: bool
    reasons: str
    next_steps: str
    underlying_cause: str | None
    remedial_action: str | None


@dataclass(frozen=True)
class RemedyView:
    """A remedy a response offered: its kind, what it is, any amount, and whether it was done on time."""

    stage: int | None
    kind: str
    description: str
    amount: str | None
    due_on: dt.date
    completed_on: dt.date | None


@dataclass(frozen=True)
class ActionView:
    """Something a response said was still to be done, and when it was done."""

    stage: int | None
    description: str
    due_on: dt.date
    completed_on: dt.date | None


@dataclass(frozen=True)
class OrderView:
    """One thing the Ombudsman ordered, and the evidence that it was done."""

    text: str
    evidence: str
    due_on: dt.date | None
    complied_on: dt.date | None


@dataclass(frozen=True)
class UpdateView:
    """Updates agreed with the resident while an answer was late."""

    stage: int
    every_days: int
    method: str
    agreed_on: dt.date
    note: str


@dataclass(frozen=True)
class MessageView:
    """A message to or from the resident about the case."""

    written_on: dt.date
    direction: str
    kind: str
    stage: int | None
    body: str


@dataclass(frozen=True)
class FurtherContactView:
    """A later contact merged into the complaint, in the resident's words, and why it was merged."""

    received_on: dt.date
    channel: str
    description: str
    merge_reason: str


@dataclass(frozen=True)
class RedactedCase:
    """A complaint as a scrutiny panel sees it: facts, dates and redacted words; no reference, id or name."""

    label: str
    nation: str
    regime: str
    service_area: str | None
    category: str | None
    channel: str
    kind: str | None
    kind_reason: str | None
    represented: bool
    representative_kind: str | None
    status: str
    stages_reached: int
    received_on: dt.date
    opened_on: dt.date
    closed_on: dt.date | None
    extended: bool
    contractor_named: bool
    description: str
    summary: str | None
    outcomes_sought: str | None
    mediation_offered_on: dt.date | None
    mediation_note: str | None
    refusal_ground: str | None
    refusal_reasons: str | None
    refused_on: dt.date | None
    withdrawn_on: dt.date | None
    withdrawal_reason: str | None
    underlying_cause: str | None
    remedial_action: str | None
    ombudsman_referred_on: dt.date | None
    ombudsman_determination: str | None
    ombudsman_orders: str | None
    stages: tuple[StageView, ...]
    points: tuple[PointView, ...]
    responses: tuple[ResponseView, ...]
    remedies: tuple[RemedyView, ...]
    actions: tuple[ActionView, ...]
    orders: tuple[OrderView, ...]
    updates: tuple[UpdateView, ...]
    messages: tuple[MessageView, ...]
    further_contacts: tuple[FurtherContactView, ...]

    def as_dict(self) -> dict[str, Any]:
        """Return the view as JSON-safe data: dates as ISO days, tuples as lists."""
        return _json_safe(asdict(self))  # type: ignore[no-any-return]


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


Redact = Callable[[str | None], str | None]


def _redactor(parties: Sequence[Party], references: Sequence[str]) -> Redact:
    """Return a function that redacts one narrative: the references first, then the parties and the patterns."""
    known = [re.escape(reference) for reference in sorted(set(references), key=len, reverse=True)]
    pattern = re.compile("|".join([*(rf"(?i:(?<!\w){source}(?!\w))" for source in known), _CASE_REFERENCE]))

    def redact(text: str | None) -> str | None:
        if text is None:
            return None
        return redact_narrative(pattern.sub(REFERENCE, text), parties)

    return redact


def _day(moment: dt.datetime | None) -> dt.date | None:
    return local_date(moment) if moment is not None else None


def _text(redact: Redact, text: str | None) -> str:
    return redact(text) or ""


def redacted_case(complaint_id: int, label: str) -> RedactedCase:
    """Return the complaint as a scrutiny panel may see it, known by ``label`` (say "Case 3"), never its reference.

    Raises NotFound when there is no such complaint. Who may see it is the caller's check: this reads everything.
    """
    complaint = Complaint.get_or_none(Complaint.id == complaint_id)
    if complaint is None:
        raise NotFound("complaint", complaint_id)
    redact = _redactor(case_parties(complaint), case_references(complaint))
    contact = Contact.get_by_id(complaint.contact_id)  # type: ignore[attr-defined]
    stages = _stages(complaint, redact)
    area = ServiceArea.get_or_none(ServiceArea.id == complaint.service_area_id)  # type: ignore[attr-defined]
    category = Category.get_or_none(Category.id == complaint.category_id)  # type: ignore[attr-defined]
    return RedactedCase(
        label=label,
        nation=complaint.nation,
        regime=Regime.get_by_id(complaint.regime_id).code,  # type: ignore[attr-defined]
        service_area=area.name if area else None,
        category=category.name if category else None,
        channel=contact.channel,
        kind=contact.kind,
        kind_reason=redact(contact.kind_reason),
        represented=bool(contact.representative_kind or contact.representative_user_id),  # type: ignore[attr-defined]
        representative_kind=contact.representative_kind,
        status=complaint.status,
        stages_reached=complaint.stage,
        received_on=local_date(contact.received_at),
        opened_on=local_date(complaint.created_at),
        closed_on=_day(complaint.closed_at),
        extended=any(stage.extended for stage in stages),
        contractor_named=complaint.contractor_id is not None,  # type: ignore[attr-defined]
        description=_text(redact, contact.description),
        summary=redact(complaint.summary),
        outcomes_sought=redact(complaint.outcomes_sought),
        mediation_offered_on=_day(complaint.mediation_offered_at),
        mediation_note=redact(complaint.mediation_note),
        refusal_ground=complaint.refusal_ground,
        refusal_reasons=redact(complaint.refusal_reasons),
        refused_on=_day(complaint.refused_at),
        withdrawn_on=_day(complaint.withdrawn_at),
        withdrawal_reason=redact(complaint.withdrawal_reason),
        underlying_cause=redact(complaint.underlying_cause),
        remedial_action=redact(complaint.remedial_action),
        ombudsman_referred_on=_day(complaint.ombudsman_referred_at),
        ombudsman_determination=complaint.ombudsman_determination,
        ombudsman_orders=redact(complaint.ombudsman_orders),
        stages=stages,
        points=_points(complaint, redact),
        responses=_responses(complaint, redact),
        remedies=_remedies(complaint, redact),
        actions=_actions(complaint, redact),
        orders=_orders(complaint, redact),
        updates=_updates(complaint, redact),
        messages=_messages(complaint, redact),
        further_contacts=_further_contacts(complaint, redact),
    )


def _stages(complaint: Complaint, redact: Redact) -> tuple[StageView, ...]:
    clocks = {(clock.stage, clock.kind): clock for clock in Clock.select().where(Clock.complaint == complaint.id)}
    views = []
    stages = ComplaintStage.select().where(ComplaintStage.complaint == complaint.id)
    for stage in stages.order_by(ComplaintStage.number):
        acknowledge = clocks.get((stage.number, "acknowledge"))
        respond = clocks.get((stage.number, "respond"))
        views.append(
            StageView(
                number=stage.number,
                entry_route=stage.entry_route,
                opened_on=local_date(stage.opened_at),
                acknowledged_on=_day(stage.acknowledged_at),
                responded_on=_day(stage.responded_at),
                acknowledge_working_days=acknowledge.working_days_taken if acknowledge else None,
                respond_working_days=respond.working_days_taken if respond else None,
                acknowledge_breached=bool(acknowledge and acknowledge.breached),
                respond_breached=bool(respond and respond.breached),
                extended=stage.extended_days > 0,
                extended_days=stage.extended_days,
                extension_authorised=stage.extension_authorised_at is not None,
                extension_reason=redact(stage.extension_reason),
                extension_good_reason=redact(stage.extension_good_reason),
                escalation_reason=redact(stage.escalation_reason),
                escalation_backdate_reason=redact(stage.escalation_backdate_reason),
                extension_backdate_reason=redact(stage.extension_backdate_reason),
                entry_reason=redact(stage.entry_reason),
            )
        )
    return tuple(views)


def _points(complaint: Complaint, redact: Redact) -> tuple[PointView, ...]:
    points = list(
        ComplaintPoint.select().where(ComplaintPoint.complaint == complaint.id).order_by(ComplaintPoint.position)
    )
    point_ids = [point.id for point in points]
    scopes = {scope.point_id: scope for scope in PointScope.select().where(PointScope.point.in_(point_ids))}  # type: ignore[attr-defined]
    decisions: dict[int, list[DecisionView]] = {}
    rows = (
        PointDecision.select(PointDecision, ComplaintResponse.stage)
        .join(ComplaintResponse)
        .where(PointDecision.point.in_(point_ids))
        .order_by(ComplaintResponse.stage, PointDecision.id)
    )
    for row in rows:
        decision = DecisionView(stage=row.response.stage, decision=row.decision, reasons=_text(redact, row.reasons))
        decisions.setdefault(row.point_id, []).append(decision)  # type: ignore[attr-defined]
    return tuple(
        PointView(
            position=point.position,
            stage=point.stage,
            text=_text(redact, point.text),
            outcome_sought=_text(redact, point.outcome_sought),
            contractor_named=point.contractor_id is not None,  # type: ignore[attr-defined]
            landlord_responsible=scopes[point.id].landlord_responsible if point.id in scopes else None,
            signposted_to=redact(scopes[point.id].signposted_to) if point.id in scopes else None,
            decisions=tuple(decisions.get(point.id, [])),
        )
        for point in points
    )


def _responses(complaint: Complaint, redact: Redact) -> tuple[ResponseView, ...]:
    responses = ComplaintResponse.select().where(ComplaintResponse.complaint == complaint.id)
    return tuple(
        ResponseView(
            stage=response.stage,
            issued_on=local_date(response.issued_at),
            outcome=response.outcome,
            signed_off=response.signed_off_at is not None,
            reasons=_text(redact, response.reasons),
            next_steps=_text(redact, response.next_steps),
            underlying_cause=redact(response.underlying_cause),
            remedial_action=redact(response.remedial_action),
        )
        for response in responses.order_by(ComplaintResponse.stage)
    )


def _response_stages(complaint: Complaint) -> dict[int, int]:
    responses = ComplaintResponse.select(ComplaintResponse.id, ComplaintResponse.stage)
    return {response.id: response.stage for response in responses.where(ComplaintResponse.complaint == complaint.id)}


def _remedies(complaint: Complaint, redact: Redact) -> tuple[RemedyView, ...]:
    stages = _response_stages(complaint)
    return tuple(
        RemedyView(
            stage=stages.get(remedy.response_id),  # type: ignore[attr-defined]
            kind=remedy.kind,
            description=_text(redact, remedy.description),
            amount=f"{remedy.amount:.2f}" if remedy.amount is not None else None,
            due_on=remedy.due_on,
            completed_on=_day(remedy.completed_at),
        )
        for remedy in Remedy.select().where(Remedy.complaint == complaint.id).order_by(Remedy.id)
    )


def _actions(complaint: Complaint, redact: Redact) -> tuple[ActionView, ...]:
    stages = _response_stages(complaint)
    actions = OutstandingAction.select().where(OutstandingAction.complaint == complaint.id)
    return tuple(
        ActionView(
            stage=stages.get(action.response_id),  # type: ignore[attr-defined]
            description=_text(redact, action.description),
            due_on=action.due_on,
            completed_on=_day(action.completed_at),
        )
        for action in actions.order_by(OutstandingAction.id)
    )


def _orders(complaint: Complaint, redact: Redact) -> tuple[OrderView, ...]:
    orders = OmbudsmanOrder.select().where(OmbudsmanOrder.complaint == complaint.id)
    return tuple(
        OrderView(
            text=_text(redact, order.text),
            evidence=_text(redact, order.evidence),
            due_on=order.due_on,
            complied_on=order.complied_on,
        )
        for order in orders.order_by(OmbudsmanOrder.id)
    )


def _updates(complaint: Complaint, redact: Redact) -> tuple[UpdateView, ...]:
    intervals = UpdateInterval.select().where(UpdateInterval.complaint == complaint.id)
    return tuple(
        UpdateView(
            stage=interval.stage,
            every_days=interval.every_days,
            method=interval.method,
            agreed_on=interval.agreed_on,
            note=_text(redact, interval.note),
        )
        for interval in intervals.order_by(UpdateInterval.stage, UpdateInterval.id)
    )


def _messages(complaint: Complaint, redact: Redact) -> tuple[MessageView, ...]:
    # The complaint's own contact and those merged into it; the request it is about has its own messages.
    merges = ContactMerge.select(ContactMerge.contact).where(ContactMerge.complaint == complaint.id)
    contacts = [complaint.contact_id, *(merge.contact_id for merge in merges)]  # type: ignore[attr-defined]
    messages = CaseMessage.select().where((CaseMessage.complaint == complaint.id) | CaseMessage.contact.in_(contacts))
    return tuple(
        MessageView(
            written_on=local_date(message.created_at),
            direction=message.direction,
            kind=message.kind,
            stage=message.stage,
            body=_text(redact, message.body),  # the words as written: body_redacted knew fewer parties
        )
        for message in messages.order_by(CaseMessage.created_at, CaseMessage.id)
    )


def _further_contacts(complaint: Complaint, redact: Redact) -> tuple[FurtherContactView, ...]:
    merges = {merge.contact_id: merge for merge in ContactMerge.select().where(ContactMerge.complaint == complaint.id)}  # type: ignore[attr-defined]
    return tuple(
        FurtherContactView(
            received_on=local_date(contact.received_at),
            channel=contact.channel,
            description=_text(redact, contact.description),
            merge_reason=_text(redact, merges[contact.id].reason),
        )
        for contact in case_contacts(complaint)
        if contact.id in merges
    )
