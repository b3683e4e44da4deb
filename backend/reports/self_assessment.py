"""Self-assessments against the Complaint Handling Code: started, filled in, approved and published (Code 8.1-8.4).

Managers (and admins) start one for a period and fill in its rows: complies or not, the evidence, the explanation
(required when it does not comply), a linked improvement action and links. A manager or admin who did not start it
approves it (four eyes, as for success stories): the system's figures are then kept as they were. It is published
once the governing body has approved it, with the day it did (Code 8.2): a published assessment is frozen, and no
service changes it again. Staff read them; residents never see them here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from backend.audit.services import field_changes, record_audit
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed, NotFound, gather
from backend.lessons.models import ImprovementAction
from backend.lessons.sharing import require_manager, text, values_of
from backend.reports import evidence
from backend.reports.models import (
    AssessmentStatus,
    AssessmentTrigger,
    CodeProvision,
    SelfAssessment,
    SelfAssessmentItem,
)
from backend.reports.periods import YEAR, Period, parse_period
from backend.timeutil import local_date, utcnow

MAX_TEXT = 10_000
MAX_LINKS = 10
MAX_LABEL = 200
MAX_URL = 2000
#: The fields of an assessment the audit trail records.
FIELDS = (
    "period",
    "trigger",
    "context",
    "status",
    "approved_by",
    "approved_at",
    "governing_body_approved_on",
    "published_by",
    "published_at",
)
ITEM_FIELDS = ("complies", "evidence", "explanation", "action", "links")


def _assessment(assessment_id: int) -> SelfAssessment:
    found = SelfAssessment.get_or_none(SelfAssessment.id == assessment_id)
    if found is None:
        raise NotFound("self_assessment", assessment_id)
    return found


def period_of(assessment: SelfAssessment) -> Period:
    """The period an assessment covers."""
    return parse_period(assessment.period, today=dt.date.max)


def start_assessment(actor: Actor, period: str, trigger: str, context: str = "") -> SelfAssessment:
    """Start a draft self-assessment over a period, with a row for every provision and learning item in use.

    Each row copies its provision's wording. Managers and admins only. Raises NotAllowed, Conflict("duplicate")
    when an annual assessment of that year already exists, or Invalid listing every problem: ``period`` with the
    codes of ``parse_period`` or "not_a_year" (an annual one covers a regulator's year); ``trigger`` "unsupported";
    ``context`` "required" (every trigger but annual says what led to it) or "too_long".
    """
    require_manager(actor, "self_assessment.start")
    with gather() as problems:
        found: Period | None = None
        with problems.check():
            found = parse_period(period)
        if trigger not in AssessmentTrigger.codes():
            problems.add("trigger", "unsupported")
        elif found is not None and trigger == AssessmentTrigger.ANNUAL and found.kind != YEAR:
            problems.add("period", "not_a_year")
        why = text(problems, "context", context, MAX_TEXT, required=trigger not in ("", AssessmentTrigger.ANNUAL))
    assert found is not None  # gather raised otherwise
    if (
        trigger == AssessmentTrigger.ANNUAL
        and SelfAssessment.select()
        .where(SelfAssessment.trigger == trigger, SelfAssessment.period == found.code)
        .exists()
    ):
        raise Conflict("duplicate")
    provisions = list(
        CodeProvision.select()
        .where(CodeProvision.retired_at.is_null())
        .order_by(CodeProvision.position, CodeProvision.id)
    )
    with transaction():
        made = SelfAssessment.create(
            period=found.code,
            period_first=found.first,
            period_last=found.last,
            trigger=trigger,
            context=why,
            drafted_by=actor.user_id,
        )
        SelfAssessmentItem.insert_many(
            [
                {
                    "assessment": made.id,
                    "provision": provision.id,
                    "checklist": provision.checklist,
                    "number": provision.number,
                    "section": provision.section,
                    "section_title": provision.section_title,
                    "requirement": provision.requirement,
                    "obligation": provision.obligation,
                    "position": provision.position,
                    "updated_at": utcnow(),
                }
                for provision in provisions
            ]
        ).execute()
        record_audit(
            actor,
            "self_assessment.started",
            "self_assessment",
            made.id,
            {**field_changes(None, values_of(made, FIELDS)), "items": {"before": None, "after": len(provisions)}},
        )
    return made


def _check_links(problems: Any, links: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    """The links as stored: each a label and an https (or this site's own /…) address; problems at ``links[i]``."""
    if len(links) > MAX_LINKS:
        problems.add("links", "too_many", maximum=MAX_LINKS)
        return []
    kept = []
    for index, link in enumerate(links):
        with problems.check("links", index):
            with gather() as one:
                label = text(one, "label", link.get("label"), MAX_LABEL, required=True, line=True)
                url = text(one, "url", link.get("url"), MAX_URL, required=True)
                if url and not _safe_url(url):
                    one.add("url", "invalid")
            kept.append({"label": label, "url": url})
    return kept


def _safe_url(url: str) -> bool:
    """An https address, or a path on this site (``/console/…``): nothing a click could run."""
    if " " in url:
        return False
    if url.startswith("/") and not url.startswith("//"):
        return True
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.netloc)


def _editable(actor: Actor, item_id: int, action: str) -> SelfAssessmentItem:
    require_manager(actor, action)
    item = SelfAssessmentItem.get_or_none(SelfAssessmentItem.id == item_id)
    if item is None:
        raise NotFound("self_assessment_item", item_id)
    return item


def update_item(
    actor: Actor,
    item_id: int,
    complies: bool | None,
    evidence_text: str = "",
    explanation: str = "",
    action_id: int | None = None,
    links: Sequence[Mapping[str, str]] = (),
) -> SelfAssessmentItem:
    """Set how the landlord meets one row of a draft self-assessment. Managers and admins only.

    Every value is replaced by what is given (``complies`` None: not assessed yet; ``links`` empty: none). Returns the
    row unchanged, auditing nothing, when nothing differs. Raises NotAllowed, NotFound("self_assessment_item"),
    Conflict("assessment_not_draft") once approved or published, or Invalid listing every problem: ``explanation``
    "required" when it does not comply, or "too_long"; ``evidence`` "too_long"; ``action`` "not_found";
    ``links`` "too_many"; ``label`` "required", "too_long" or "hidden_characters" and ``url`` "required",
    "too_long" or "invalid" (not https, nor a path on this site), each at ``links[i]``.
    """
    item = _editable(actor, item_id, "self_assessment.item_update")
    with gather() as problems:
        given_evidence = text(problems, "evidence", evidence_text, MAX_TEXT)
        why = text(problems, "explanation", explanation, MAX_TEXT, required=complies is False)
        if action_id is not None and not ImprovementAction.select().where(ImprovementAction.id == action_id).exists():
            problems.add("action", "not_found")
        kept = _check_links(problems, links)
    values = {
        "complies": complies,
        "evidence": given_evidence,
        "explanation": why,
        "action": action_id,
        "links": kept,
    }
    before = values_of(item, ITEM_FIELDS)
    if not field_changes(before, values):
        return item
    with transaction():
        changed = (
            SelfAssessmentItem.update(**values, updated_at=utcnow())
            .where(
                SelfAssessmentItem.id == item.id,
                SelfAssessmentItem.assessment.in_(
                    SelfAssessment.select(SelfAssessment.id).where(SelfAssessment.status == AssessmentStatus.DRAFT)
                ),
            )
            .execute()
        )
        if not changed:
            raise Conflict("assessment_not_draft")
        item = SelfAssessmentItem.get_by_id(item.id)
        record_audit(
            actor,
            "self_assessment.item_updated",
            "self_assessment",
            item.assessment_id,  # type: ignore[attr-defined]
            {
                f"{item.checklist}:{item.number}.{name}": change
                for name, change in field_changes(before, values_of(item, ITEM_FIELDS)).items()
            },
        )
    return item


def _figures(assessment: SelfAssessment) -> dict[int, dict[str, Any]]:
    """The system's figure for each row that has one, over the assessment's period, as approval keeps them."""
    period = period_of(assessment)
    kept: dict[int, dict[str, Any]] = {}
    computed: dict[tuple[str, str], dict[str, Any] | None] = {}
    rows = SelfAssessmentItem.select(SelfAssessmentItem.id, SelfAssessmentItem.checklist, SelfAssessmentItem.number)
    for row in rows.where(SelfAssessmentItem.assessment == assessment.id):
        key = (row.checklist, row.number)
        if key not in computed:
            figure = evidence.figure_for(*key, period)
            computed[key] = figure.as_json() if figure is not None else None
        if computed[key] is not None:
            kept[row.id] = computed[key]  # type: ignore[assignment]
    return kept


def _move(actor: Actor, assessment_id: int, name: str, allowed: str, status: str, **values: Any) -> SelfAssessment:
    found = _assessment(assessment_id)
    before = values_of(found, FIELDS)
    with transaction():
        moved = (
            SelfAssessment.update(status=status, updated_at=utcnow(), **values)
            .where(SelfAssessment.id == found.id, SelfAssessment.status == allowed)
            .execute()
        )
        if not moved:
            raise Conflict(f"assessment_not_{allowed}")
        found = SelfAssessment.get_by_id(found.id)
        if status == AssessmentStatus.APPROVED:
            for item_id, figure in _figures(found).items():
                SelfAssessmentItem.update(figure=figure).where(SelfAssessmentItem.id == item_id).execute()
        elif status == AssessmentStatus.DRAFT:
            SelfAssessmentItem.update(figure=None).where(SelfAssessmentItem.assessment == found.id).execute()
        record_audit(
            actor,
            f"self_assessment.{name}",
            "self_assessment",
            found.id,
            field_changes(before, values_of(found, FIELDS)),
        )
    return found


def approve_assessment(actor: Actor, assessment_id: int) -> SelfAssessment:
    """Approve a draft, keeping the system's figures as they are now. A manager or admin who did not start it.

    Rows not yet assessed may remain (they show as not assessed). Raises NotAllowed (``code`` "own_assessment" for
    the person who started it), NotFound("self_assessment") or Conflict("assessment_not_draft").
    """
    require_manager(actor, "self_assessment.approve")
    found = _assessment(assessment_id)
    if found.drafted_by_id == actor.user_id:  # type: ignore[attr-defined]
        raise NotAllowed("self_assessment.approve", code="own_assessment")  # four eyes: another manager approves
    return _move(
        actor,
        assessment_id,
        "approved",
        AssessmentStatus.DRAFT,
        AssessmentStatus.APPROVED,
        approved_by=actor.user_id,
        approved_at=utcnow(),
    )


def reopen_assessment(actor: Actor, assessment_id: int) -> SelfAssessment:
    """Send an approved assessment back to draft, clearing its approval and kept figures. Managers and admins.

    Raises NotAllowed, NotFound("self_assessment") or Conflict("assessment_not_approved") (a published one is
    frozen).
    """
    require_manager(actor, "self_assessment.reopen")
    return _move(
        actor,
        assessment_id,
        "reopened",
        AssessmentStatus.APPROVED,
        AssessmentStatus.DRAFT,
        approved_by=None,
        approved_at=None,
    )


def publish_assessment(actor: Actor, assessment_id: int, governing_body_approved_on: dt.date | None) -> SelfAssessment:
    """Publish an approved assessment with the day its governing body approved it; it is frozen from then on.

    Managers and admins. Raises NotAllowed, NotFound("self_assessment"), Invalid(``governing_body_approved_on``
    "required", "future" or "before_period": before the period's first day) or Conflict("assessment_not_approved").
    """
    require_manager(actor, "self_assessment.publish")
    found = _assessment(assessment_id)
    if governing_body_approved_on is None:
        raise Invalid("governing_body_approved_on", "required")
    if governing_body_approved_on > local_date():
        raise Invalid("governing_body_approved_on", "future")
    if governing_body_approved_on < found.period_first:
        raise Invalid("governing_body_approved_on", "before_period")
    return _move(
        actor,
        assessment_id,
        "published",
        AssessmentStatus.APPROVED,
        AssessmentStatus.PUBLISHED,
        governing_body_approved_on=governing_body_approved_on,
        published_by=actor.user_id,
        published_at=utcnow(),
    )


def item_figure(item: SelfAssessmentItem, assessment: SelfAssessment | None = None) -> evidence.Figure | None:
    """The system's figure for a row: as kept at approval, else worked out now over the assessment's period."""
    if item.figure:
        return evidence.figure_from(item.figure)
    if item.assessment_id is None:  # type: ignore[attr-defined]
        return None
    assessment = assessment or SelfAssessment.get_by_id(item.assessment_id)  # type: ignore[attr-defined]
    if assessment.status != AssessmentStatus.DRAFT:
        return None  # approved without a figure: nothing evidenced it then
    return evidence.figure_for(item.checklist, item.number, period_of(assessment))
