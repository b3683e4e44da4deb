"""The records around a case and a person that an erasure reaches beyond the case itself (``backend.privacy.erasure``).

A complaint's free text is not only in the complaint: staff's account of it (the underlying cause and remedial
action, the response's reasons, remedies and outstanding actions, the stages' reasons, the Ombudsman's orders), a
draft waiting for sign-off, and the copies other domains keep (a lesson's source note, a decision that there is no
lesson, a briefing to staff, a quality review, a scrutiny panel's redacted copy of the case). Each may name the
resident or repeat their words, so each becomes the marker with the case. What reports count stays: kinds, amounts,
decisions, outcomes, results, dates and every row.

A panel member's own record (their training note, declared interests and the notes on their involvement ledger)
goes with their account; the membership stays as an anonymous stub with its dates and role, and the ledger keeps
its minutes and amounts, so the panel's counts and published reports stay the same.
"""

from __future__ import annotations

from typing import Any

from peewee import Case

from backend.complaints.case_view import redacted_case
from backend.complaints.models import (
    CaseAccess,
    ComplaintPoint,
    ComplaintResponse,
    ComplaintStaff,
    ComplaintStage,
    ContactMerge,
    ContactReview,
    Hazard,
    HazardDismissal,
    OmbudsmanOrder,
    OutstandingAction,
    PointDecision,
    PointScope,
    Remedy,
    ResponseDraft,
    UpdateInterval,
)
from backend.lessons.models import LessonSource, NoLessonDecision, QualityReview, QualityScore, StaffBriefing
from backend.panels.models import InvolvementEntry, ItemKind, PackItem, PanelMembership

#: The free-text parts of a draft response's content (``backend.complaints.signoff.draft_content``).
DRAFT_TEXTS = ("reasons", "next_steps", "underlying_cause", "remedial_action")


def keep_null(column: Any, value: str) -> Any:
    """``value`` where the column holds something, null where it held nothing."""
    return Case(None, [(column.is_null(), None)], value)


def keep_empty(column: Any, value: str) -> Any:
    """``value`` where the column holds words, empty where it held none (so "not recorded" stays so)."""
    return Case(None, [(column == "", "")], value)


def erase_contact_records(contacts: list[int], text: str) -> None:
    """The words around these contacts: hazards' (what staff know, what was found, why it closed, the resident's
    words that suggested it, why one was dismissed), why a contact was merged, why staff may see a need-to-know
    case, a manager's review note, and the lesson sources linked to them. Kinds, codes and dates stay."""
    Hazard.update(
        description=keep_empty(Hazard.description, text),
        findings=keep_empty(Hazard.findings, text),
        closure_note=keep_empty(Hazard.closure_note, text),
    ).where(Hazard.contact.in_(contacts)).execute()
    # The resident's words that suggested a hazard become one marker; none (flagged by staff alone) stays none.
    for hazard in Hazard.select(Hazard.id, Hazard.keywords).where(Hazard.contact.in_(contacts)):
        if hazard.keywords:
            Hazard.update(keywords=[text]).where(Hazard.id == hazard.id).execute()
    HazardDismissal.update(reason=text).where(HazardDismissal.contact.in_(contacts)).execute()
    ContactMerge.update(reason=keep_empty(ContactMerge.reason, text)).where(
        ContactMerge.contact.in_(contacts)
    ).execute()
    CaseAccess.update(reason=keep_empty(CaseAccess.reason, text)).where(CaseAccess.contact.in_(contacts)).execute()
    ContactReview.update(note=keep_empty(ContactReview.note, text)).where(ContactReview.contact.in_(contacts)).execute()
    _erase_lesson_sources(LessonSource.contact.in_(contacts), text)


def erase_complaint_records(complaints: list[int], text: str) -> None:
    """Staff's account of the complaints beyond the complaint's own row (which the caller erases in one update):
    their stages, responses, remedies, orders and the copies other records keep of them."""
    ComplaintStage.update(
        extension_reason=keep_null(ComplaintStage.extension_reason, text),
        extension_good_reason=keep_null(ComplaintStage.extension_good_reason, text),
        escalation_reason=keep_null(ComplaintStage.escalation_reason, text),
        escalation_backdate_reason=keep_null(ComplaintStage.escalation_backdate_reason, text),
        extension_backdate_reason=keep_null(ComplaintStage.extension_backdate_reason, text),
        entry_reason=keep_null(ComplaintStage.entry_reason, text),
    ).where(ComplaintStage.complaint.in_(complaints)).execute()
    responses = ComplaintResponse.select(ComplaintResponse.id).where(ComplaintResponse.complaint.in_(complaints))
    ComplaintResponse.update(
        reasons=text,
        next_steps=text,
        underlying_cause=keep_null(ComplaintResponse.underlying_cause, text),
        remedial_action=keep_null(ComplaintResponse.remedial_action, text),
    ).where(ComplaintResponse.complaint.in_(complaints)).execute()
    PointDecision.update(reasons=keep_empty(PointDecision.reasons, text)).where(
        PointDecision.response.in_(responses)
    ).execute()
    Remedy.update(description=text).where(Remedy.complaint.in_(complaints)).execute()
    OutstandingAction.update(description=text).where(OutstandingAction.complaint.in_(complaints)).execute()
    OmbudsmanOrder.update(text=text, evidence=keep_empty(OmbudsmanOrder.evidence, text)).where(
        OmbudsmanOrder.complaint.in_(complaints)
    ).execute()
    ComplaintStaff.update(
        details=keep_empty(ComplaintStaff.details, text),
        support_offered=keep_empty(ComplaintStaff.support_offered, text),
        staff_input=keep_empty(ComplaintStaff.staff_input, text),
    ).where(ComplaintStaff.complaint.in_(complaints)).execute()
    UpdateInterval.update(note=keep_empty(UpdateInterval.note, text)).where(
        UpdateInterval.complaint.in_(complaints)
    ).execute()
    PointScope.update(signposted_to=keep_empty(PointScope.signposted_to, text)).where(
        PointScope.point.in_(_points(complaints))
    ).execute()
    _erase_drafts(complaints, text)
    _erase_lesson_copies(complaints, text)
    _retake_panel_copies(complaints, text)


def _points(complaints: list[int]) -> Any:
    return ComplaintPoint.select(ComplaintPoint.id).where(ComplaintPoint.complaint.in_(complaints))


def _erase_drafts(complaints: list[int], text: str) -> None:
    """A draft response's content is a copy of the response's words: they go; its decisions, kinds, amounts, dates
    and owners stay."""

    def words(value: Any) -> Any:
        return text if value else value

    for draft in ResponseDraft.select().where(ResponseDraft.complaint.in_(complaints)):
        content = dict(draft.content or {})
        for key in DRAFT_TEXTS:
            if key in content:
                content[key] = words(content[key])
        if "decisions" in content:
            content["decisions"] = [[point, [decision, words(why)]] for point, (decision, why) in content["decisions"]]
        for key in ("remedies", "actions"):
            if key in content:
                content[key] = [{**item, "description": words(item.get("description"))} for item in content[key]]
        ResponseDraft.update(content=content, return_reason=keep_null(ResponseDraft.return_reason, text)).where(
            ResponseDraft.id == draft.id
        ).execute()


def _erase_lesson_sources(which: Any, text: str) -> None:
    """A linked source's note and outside reference (either may quote the case); its kind and link stay."""
    LessonSource.update(
        note=keep_empty(LessonSource.note, text), reference=keep_empty(LessonSource.reference, text)
    ).where(which).execute()


def _erase_lesson_copies(complaints: list[int], text: str) -> None:
    """What the lessons log copied from the complaints: source notes, no-lesson reasons, briefings, quality reviews.
    The lessons themselves, their links to the complaints and the reviews' results stay."""
    _erase_lesson_sources(LessonSource.complaint.in_(complaints), text)
    NoLessonDecision.update(reason=text).where(NoLessonDecision.complaint.in_(complaints)).execute()
    StaffBriefing.update(summary=text).where(StaffBriefing.complaint.in_(complaints)).execute()
    reviews = QualityReview.select(QualityReview.id).where(QualityReview.complaint.in_(complaints))
    QualityReview.update(comments=keep_empty(QualityReview.comments, text)).where(
        QualityReview.complaint.in_(complaints)
    ).execute()
    QualityScore.update(note=keep_empty(QualityScore.note, text)).where(QualityScore.review.in_(reviews)).execute()


def _retake_panel_copies(complaints: list[int], text: str) -> None:
    """A panel's redacted copy of an erased case is taken again from the erased case: the same shape, under the
    same label, with the markers in place of the words; staff's note on the item goes too. Call it last, once the
    case's own words are erased."""
    items = PackItem.select(PackItem.id, PackItem.complaint, PackItem.title, PackItem.note).where(
        (PackItem.kind == ItemKind.CASE.value) & PackItem.complaint.in_(complaints)
    )
    for item in items:
        content = dict(redacted_case(item.complaint_id, item.title).as_dict())  # type: ignore[attr-defined]
        PackItem.update(content=content, note=text if item.note else "").where(PackItem.id == item.id).execute()


def erase_panel_members(accounts: list[int], text: str) -> None:
    """A panel member's own words on their memberships and involvement ledger; dates, roles, minutes and amounts
    stay, and the person is the account's anonymous stub."""
    memberships = PanelMembership.select(PanelMembership.id).where(PanelMembership.person.in_(accounts))
    PanelMembership.update(
        training_note=keep_empty(PanelMembership.training_note, text),
        conflicts=keep_empty(PanelMembership.conflicts, text),
    ).where(PanelMembership.person.in_(accounts)).execute()
    InvolvementEntry.update(note=keep_empty(InvolvementEntry.note, text)).where(
        InvolvementEntry.membership.in_(memberships)
    ).execute()


def audited_records(contacts: list[int], complaints: list[int], accounts: list[int]) -> list[tuple[str, list[int]]]:
    """The records, by audit record type, whose audit entries an erasure of these contacts, complaints and accounts
    reaches beyond the records themselves: hazards, remedies, outstanding actions, Ombudsman orders, panel
    memberships and their ledger entries."""

    def ids(query: Any) -> list[int]:
        return sorted(row.id for row in query)

    memberships = ids(PanelMembership.select(PanelMembership.id).where(PanelMembership.person.in_(accounts)))
    return [
        ("hazard", ids(Hazard.select(Hazard.id).where(Hazard.contact.in_(contacts)))),
        ("remedy", ids(Remedy.select(Remedy.id).where(Remedy.complaint.in_(complaints)))),
        (
            "complaint_action",
            ids(OutstandingAction.select(OutstandingAction.id).where(OutstandingAction.complaint.in_(complaints))),
        ),
        (
            "ombudsman_order",
            ids(OmbudsmanOrder.select(OmbudsmanOrder.id).where(OmbudsmanOrder.complaint.in_(complaints))),
        ),
        ("panel_membership", memberships),
        (
            "involvement_entry",
            ids(InvolvementEntry.select(InvolvementEntry.id).where(InvolvementEntry.membership.in_(memberships))),
        ),
    ]
