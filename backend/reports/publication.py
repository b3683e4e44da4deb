"""Approve and publish reports: draft a report's document for a period, approve it, publish it, and record the
governing body's response that is published alongside.

The status moves draft → approved → published. A draft is counted again each time it is drafted again; from
approval on the stored document (``ReportPublication.snapshot``) is frozen, and published reports never change:
pages and files are made from the snapshot. Only the governing body's response may be recorded after
publication, once, because boards often respond at a later meeting.

Managers and admins approve and publish. **The approver must not be the person who drafted it**: approval is the
second pair of eyes a governing body relies on (docs/reports.md, "Report output and publication"). Anyone on the
staff may draft. Each step is audited.
"""

from __future__ import annotations

import datetime as dt

from backend.audit.services import field_changes, record_audit
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.redaction import redact_narrative
from backend.reports.catalogue import KINDS
from backend.reports.documents import ReportDocument, document_from_dict
from backend.reports.models import PublicationStatus, ReportPublication
from backend.reports.periods import parse_period
from backend.text import clean
from backend.timeutil import local_date, utcnow

MANAGERS = ("manager", "admin")
#: The longest governing body's response kept.
MAX_RESPONSE = 20_000
ENTITY = "report_publication"


def _require_staff(actor: Actor, action: str) -> None:
    if not (actor.is_staff and actor.can_write):
        raise NotAllowed(action)


def _require_manager(actor: Actor, action: str) -> None:
    if not (actor.can_write and actor.has_role(*MANAGERS)):
        raise NotAllowed(action)


def _snapshot(row: ReportPublication) -> dict:
    return {
        "status": row.status,
        "approved_by": row.approved_by_id,  # type: ignore[attr-defined]
        "published_by": row.published_by_id,  # type: ignore[attr-defined]
        "governing_body_response": row.governing_body_response,
        "governing_body_responded_on": row.governing_body_responded_on,
        "drafted_at": row.drafted_at,
    }


def draft_report(actor: Actor, kind: str, period_code: str, locale: str = "en") -> ReportPublication:
    """Count the report of ``kind`` for the period and keep it as a draft; return the draft.

    A draft of the same report and period is counted again in place. Staff only. Raises NotAllowed,
    Invalid("kind", "unsupported"), Invalid("period", ...) as ``parse_period`` does (or "unsupported" for a kind of
    period the report does not take), or Conflict("report_approved") when the same report and period is approved
    and waiting to be published.
    """
    _require_staff(actor, "report.draft")
    report = KINDS.get(kind)
    if report is None:
        raise Invalid("kind", "unsupported")
    period = parse_period(period_code)
    if period.kind not in report.period_kinds:
        raise Invalid("period", "unsupported")
    document = report.build(period, locale)
    with transaction():
        waiting = (
            ReportPublication.select()
            .where(
                ReportPublication.kind == kind,
                ReportPublication.period_code == period.code,
                ReportPublication.status.in_((PublicationStatus.DRAFT.value, PublicationStatus.APPROVED.value)),
            )
            .first()
        )
        if waiting is not None and waiting.status == PublicationStatus.APPROVED.value:
            raise Conflict("report_approved")
        now = utcnow()
        values = {
            "title": document.title[:200],
            "locale": locale,
            "snapshot": document.as_dict(),
            "drafted_by": actor.user_id,
            "drafted_at": now,
            "updated_at": now,
        }
        if waiting is None:
            row = ReportPublication.create(kind=kind, period_code=period.code, **values)
            record_audit(actor, "report.drafted", ENTITY, row.id, {"kind": {"to": kind}, "period": {"to": period.code}})
        else:
            ReportPublication.update(**values).where(ReportPublication.id == waiting.id).execute()
            row = ReportPublication.get_by_id(waiting.id)
            record_audit(
                actor, "report.redrafted", ENTITY, row.id, {"drafted_at": {"from": waiting.drafted_at, "to": now}}
            )
    return row


def publication(actor: Actor, publication_id: int) -> ReportPublication:
    """A report on its way to publication, for staff; a published one for anyone. Raises NotFound otherwise."""
    row = ReportPublication.get_or_none(ReportPublication.id == publication_id)
    if row is None or not (actor.is_staff or row.status == PublicationStatus.PUBLISHED.value):
        raise NotFound("report_publication", publication_id)
    return row


def document_of(row: ReportPublication) -> ReportDocument:
    """The document as it was drafted (and, once approved, frozen)."""
    return document_from_dict(row.snapshot)


def _move(
    actor: Actor, publication_id: int, action: str, expected: str, changes: dict, check: object = None
) -> ReportPublication:
    _require_manager(actor, action)
    row = publication(actor, publication_id)
    if callable(check):
        check(row)
    with transaction():
        updated = (
            ReportPublication.update(**changes, updated_at=utcnow())
            .where(ReportPublication.id == row.id, ReportPublication.status == expected)
            .execute()
        )
        if not updated:  # someone moved it on meanwhile, or it was not at that step
            raise Conflict(f"report_not_{expected}")
        after = ReportPublication.get_by_id(row.id)
        record_audit(actor, action, ENTITY, row.id, field_changes(_snapshot(row), _snapshot(after)))
    return after


#: The sections a report of a kind must have filled in before it is approved (not waiting for data).
REQUIRED_SECTIONS: dict[str, tuple[str, ...]] = {"annual": ("self_assessment",)}


def approve_report(actor: Actor, publication_id: int) -> ReportPublication:
    """Approve a drafted report, freezing its document; return it.

    Managers and admins, and not the person who drafted it. Raises NotAllowed (``own_report`` for its drafter),
    NotFound, Conflict("report_not_draft") when it is not a draft (approved or published already), or
    Conflict("report_incomplete") when a section it must have is still waiting for data (the annual report's
    self-assessment: one is approved first, and the report drafted again).
    """

    def not_own(row: ReportPublication) -> None:
        if row.drafted_by_id is not None and row.drafted_by_id == actor.user_id:  # type: ignore[attr-defined]
            raise NotAllowed("report.approve", "own_report")
        if any(section.get("slot") for section in (row.snapshot or {}).get("sections") or []
               if section.get("code") in REQUIRED_SECTIONS.get(row.kind, ())):  # fmt: skip
            # The Code's annual report includes the self-assessment (8.1(a)): one approved first, then draft again.
            raise Conflict("report_incomplete")

    now = utcnow()
    return _move(
        actor,
        publication_id,
        "report.approved",
        PublicationStatus.DRAFT.value,
        {"status": PublicationStatus.APPROVED.value, "approved_by": actor.user_id, "approved_at": now},
        not_own,
    )


def publish_report(actor: Actor, publication_id: int) -> ReportPublication:
    """Publish an approved report: anyone may read it from now on, and it never changes; return it.

    Managers and admins. Raises NotAllowed, NotFound, or Conflict("report_not_approved").
    """
    now = utcnow()
    return _move(
        actor,
        publication_id,
        "report.published",
        PublicationStatus.APPROVED.value,
        {"status": PublicationStatus.PUBLISHED.value, "published_by": actor.user_id, "published_at": now},
    )


def record_response(actor: Actor, publication_id: int, text: str, responded_on: dt.date | None) -> ReportPublication:
    """Record the governing body's response to a report, to be published alongside it; return the report.

    Managers and admins. Before publication it may be recorded and changed; once published, recorded once (a
    board often responds at a later meeting) and never changed. Raises NotAllowed, NotFound, Invalid listing every
    problem ("text" required or too long; "responded_on" required or in the future), or
    Conflict("response_published") when a published report already has one.
    """
    _require_manager(actor, "report.respond")
    row = publication(actor, publication_id)
    text = clean(text)
    problems = []
    if not text:
        problems.append(Invalid("text", "required"))
    elif len(text) > MAX_RESPONSE:
        problems.append(Invalid("text", "too_long", maximum=MAX_RESPONSE))
    if responded_on is None:
        problems.append(Invalid("responded_on", "required"))
    elif responded_on > local_date():
        problems.append(Invalid("responded_on", "future"))
    elif responded_on < parse_period(row.period_code).first:
        # The governing body answers a report on its period, so not before the period began.
        problems.append(Invalid("responded_on", "before_period"))
    if problems:
        raise Invalid.many(problems)
    # The response is published: contact details and titled names in it are replaced, as in a case narrative.
    text = redact_narrative(text)
    with transaction():
        query = ReportPublication.update(
            governing_body_response=text, governing_body_responded_on=responded_on, updated_at=utcnow()
        ).where(ReportPublication.id == row.id)
        # Once published, only a report with no response yet takes one: what was published stays as it was.
        query = query.where(
            (ReportPublication.status != PublicationStatus.PUBLISHED.value)
            | (ReportPublication.governing_body_response == "")
        )
        if not query.execute():
            raise Conflict("response_published")
        after = ReportPublication.get_by_id(row.id)
        record_audit(actor, "report.response_recorded", ENTITY, row.id, field_changes(_snapshot(row), _snapshot(after)))
    return after
