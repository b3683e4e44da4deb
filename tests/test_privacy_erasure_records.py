"""What an erasure reaches beyond the case and the account: staff's account of the case, hazards' keywords, the
copies the lessons log and scrutiny panels keep, panel members' own records, and mail that reached no case."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from peewee import CharField, Model, TextField

from backend.accounts.models import User
from backend.audit.models import AuditEvent
from backend.complaints import hazards
from backend.complaints.case_parties import case_rows
from backend.complaints.models import (
    Complaint,
    ComplaintPoint,
    ComplaintResponse,
    ComplaintStage,
    Contact,
    Hazard,
    InboundMail,
    OmbudsmanOrder,
    OutstandingAction,
    PointDecision,
    Remedy,
    ResponseDraft,
)
from backend.context import SYSTEM
from backend.db import JSONField
from backend.lessons import qa
from backend.lessons.models import LessonSource, NoLessonDecision, QualityReview, QualityScore, StaffBriefing
from backend.panels import panels
from backend.panels.ledger import ledger_totals
from backend.panels.models import InvolvementEntry, PackItem, PanelAttendance, PanelMembership
from backend.panels.packs import case_copy
from backend.privacy import erasure, holds
from backend.privacy.retention import sweep
from backend.timeutil import local_date, utcnow
from tests import factories
from tests.canary import seed_canary_case
from tests.test_privacy_erasure import DAY, LATER, MARKER, closed_complaint, figures

#: Columns of a case's rows that keep what the canary case writes in them, and why.
KEPT_ON_PURPOSE = {
    "Complaint.reference": "the case's own reference: reports and the Ombudsman find the case by it",
    "Contact.reference": "the case's own reference: reports and the Ombudsman find the case by it",
    "Complaint.team": "the handler's team, one of the landlord's teams",
    "QualityReview.team": "the handling team, one of the landlord's teams",
    "Complaint.ombudsman_reference": "the Ombudsman's reference, like the case's own: to find the case again",
}


def with_the_ombudsman_done(complaint: Any) -> None:
    """An Ombudsman order recorded and complied with, so that nothing keeps the complaint for the Ombudsman."""
    order = factories.make_ombudsman_order(complaint)
    OmbudsmanOrder.update(evidence="Paid Mrs Patel on 3 March", complied_on=dt.date(2026, 3, 3)).where(
        OmbudsmanOrder.id == order.id
    ).execute()


def canaries_left(complaint: Any, canaries: list[str]) -> dict[str, list[str]]:
    """Each text column of the case's rows still holding a canary, with the canaries it holds."""
    found: dict[str, list[str]] = {}
    for model, rows in case_rows(complaint).items():
        for field in model._meta.sorted_fields:  # type: ignore[attr-defined]
            if not isinstance(field, (TextField, CharField, JSONField)):
                continue
            for row in rows:
                value = str(getattr(row, field.name))
                if held := [canary for canary in canaries if canary in value]:
                    found.setdefault(f"{model.__name__}.{field.name}", []).extend(held)
    return found


def nameless(totals: list[Any]) -> list[Any]:
    """Ledger totals without the members' names, by membership."""
    return sorted((dataclasses.replace(t, member="") for t in totals), key=lambda t: t.membership_id)


def row(model: type[Model], row_id: int) -> Any:
    return model.get_by_id(row_id)  # type: ignore[attr-defined]


# --- Hazards --------------------------------------------------------------------------------------------------------


def test_erase_person_turns_hazard_keywords_into_the_marker_and_keeps_none_as_none() -> None:
    complaint = closed_complaint()
    contact = Contact.get_by_id(complaint.contact_id)
    staff = factories.actor_of(factories.make_staff())
    suggested = hazards.flag_hazard(staff, contact.id, "damp_mould", "significant", "By the cot", keywords=["mouldy"])
    alone = hazards.flag_hazard(staff, contact.id, "disrepair", "significant", "Stairs")

    erasure.erase_person(SYSTEM, erasure.plan_erasure(User.get_by_id(complaint.resident_id).email, today=DAY), DAY)

    assert row(Hazard, suggested.id).keywords == [MARKER]
    assert row(Hazard, alone.id).keywords == []
    assert (row(Hazard, suggested.id).kind, row(Hazard, suggested.id).severity) == ("damp_mould", "significant")
    flagged = AuditEvent.get(AuditEvent.action == "hazard.flagged", AuditEvent.entity_id == str(suggested.id))
    assert flagged.erased_on == DAY and "cot" not in str(flagged.changes)


def test_sweep_erases_hazard_keywords_with_the_case() -> None:
    complaint = closed_complaint()
    staff = factories.actor_of(factories.make_staff())
    hazard = hazards.flag_hazard(staff, complaint.contact_id, "damp_mould", "significant", keywords=["mouldy"])
    sweep(SYSTEM, now=LATER)
    assert row(Hazard, hazard.id).keywords == [MARKER]


# --- Staff's account of the case ------------------------------------------------------------------------------------


def test_sweep_erases_staffs_account_of_the_case_and_every_figure_stays() -> None:
    complaint = closed_complaint()
    with_the_ombudsman_done(complaint)
    # Due and done this year, so that the self-assessment's "done on time" figures count them.
    Remedy.update(due_on=local_date(), completed_at=utcnow()).where(Remedy.complaint == complaint.id).execute()
    OutstandingAction.update(due_on=local_date()).where(OutstandingAction.complaint == complaint.id).execute()
    response = ComplaintResponse.get(ComplaintResponse.complaint == complaint.id)
    before = figures()

    sweep(SYSTEM, now=LATER)

    assert figures() == before
    erased = Complaint.get_by_id(complaint.id)
    assert (erased.underlying_cause, erased.remedial_action) == (MARKER, MARKER)
    response = row(ComplaintResponse, response.id)
    assert (response.reasons, response.next_steps, response.underlying_cause, response.remedial_action) == (
        MARKER,
        MARKER,
        MARKER,
        MARKER,
    )
    assert {d.reasons for d in PointDecision.select().where(PointDecision.response == response.id)} == {MARKER}
    remedy = Remedy.get(Remedy.complaint == complaint.id)
    assert (remedy.description, remedy.kind, remedy.due_on) == (MARKER, "apology", local_date())
    action = OutstandingAction.get(OutstandingAction.complaint == complaint.id)
    assert (action.description, action.due_on) == (MARKER, local_date())
    order = OmbudsmanOrder.get(OmbudsmanOrder.complaint == complaint.id)
    assert (order.text, order.evidence, order.complied_on) == (MARKER, MARKER, dt.date(2026, 3, 3))


def test_erase_person_erases_staffs_account_and_a_draft_response_but_keeps_its_decisions() -> None:
    complaint = closed_complaint()
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    content = {
        "decisions": [[point.id, ["upheld", "Mrs Patel waited in all day"]]],
        "reasons": "Mrs Patel waited twice.",
        "next_steps": "Write to the Ombudsman.",
        "remedies": [{"kind": "financial_redress", "description": "Pay Mrs Patel", "due_on": "2030-01-10",
                      "amount": "50.00", "owner_id": None}],
        "actions": [{"description": "Fix Mrs Patel's tap", "due_on": "2030-01-20", "owner_id": None}],
        "underlying_cause": "Mrs Patel's booking was lost",
        "remedial_action": "Bookings are checked",
        "outcome": None,
    }  # fmt: skip
    draft = ResponseDraft.create(
        complaint=complaint.id, stage=1, content=content, status="returned", return_reason="Mrs Patel's name is wrong"
    )
    ComplaintStage.update(extension_reason="Mrs Patel was in hospital").where(
        ComplaintStage.complaint == complaint.id
    ).execute()

    erasure.erase_person(SYSTEM, erasure.plan_erasure(User.get_by_id(complaint.resident_id).email, today=DAY), DAY)

    erased = row(ResponseDraft, draft.id)
    assert "Patel" not in str(erased.content) and erased.return_reason == MARKER
    assert erased.content["decisions"] == [[point.id, ["upheld", MARKER]]]
    assert erased.content["remedies"][0] == {**content["remedies"][0], "description": MARKER}  # type: ignore[index]
    assert (erased.content["outcome"], erased.content["next_steps"]) == (None, MARKER)
    assert {s.extension_reason for s in ComplaintStage.select().where(ComplaintStage.complaint == complaint.id)} == {
        MARKER
    }
    entries = AuditEvent.select().where(
        AuditEvent.entity_type == "complaint", AuditEvent.entity_id == str(complaint.id)
    )
    assert "diary" not in str([entry.changes for entry in entries])


def test_erasing_a_case_leaves_no_canary_in_its_rows_but_what_is_kept_on_purpose() -> None:
    complaint, canaries = seed_canary_case()
    OmbudsmanOrder.update(complied_on=dt.date(2026, 3, 3)).where(OmbudsmanOrder.complaint == complaint.id).execute()
    # The service request the complaint is about is a contact of its own, erased once closed.
    request = Contact.get_by_id(complaint.contact_id).related_request_id
    Contact.update(status="closed").where(Contact.id == request).execute()

    counts = sweep(SYSTEM, now=LATER)

    assert counts["complaint"] == 1
    assert set(canaries_left(Complaint.get_by_id(complaint.id), canaries)) == set(KEPT_ON_PURPOSE)


# --- Lessons --------------------------------------------------------------------------------------------------------


def test_lesson_copies_of_an_erased_case_lose_their_words_and_the_qa_figures_stay() -> None:
    complaint = closed_complaint()
    source = factories.make_lesson_source(complaint=complaint)
    LessonSource.update(note="Mrs Patel said the plumber never came").where(LessonSource.id == source.id).execute()
    contact_source = LessonSource.create(
        lesson=source.lesson_id, kind="contact", contact=complaint.contact_id, note="Mrs Patel rang twice"
    )
    decision = factories.make_no_lesson_decision(complaint)
    briefing = factories.make_staff_briefing(complaint)
    review = factories.make_quality_review(complaint)
    QualityReview.update(comments="Kind to Mrs Patel").where(QualityReview.id == review.id).execute()
    score = factories.make_quality_score(review)
    first = local_date().replace(day=1)
    before = qa.figures(first)

    sweep(SYSTEM, now=LATER)

    assert qa.figures(first) == before
    assert (row(LessonSource, source.id).note, row(LessonSource, source.id).complaint_id) == (MARKER, complaint.id)
    assert row(LessonSource, contact_source.id).note == MARKER
    assert row(NoLessonDecision, decision.id).reason == MARKER
    assert row(StaffBriefing, briefing.id).summary == MARKER
    assert row(QualityReview, review.id).comments == MARKER
    assert (row(QualityScore, score.id).result, row(QualityScore, score.id).note) == ("met", "")


def test_lesson_source_of_another_case_keeps_its_note() -> None:
    erased, other = closed_complaint(), closed_complaint()
    source = factories.make_lesson_source(complaint=other)
    LessonSource.update(note="The plumber never came").where(LessonSource.id == source.id).execute()
    erasure.erase_person(SYSTEM, erasure.plan_erasure(User.get_by_id(erased.resident_id).email, today=DAY), DAY)
    assert row(LessonSource, source.id).note == "The plumber never came"


# --- Scrutiny panels ------------------------------------------------------------------------------------------------


def test_panel_copy_of_an_erased_case_is_taken_again_from_the_erased_case() -> None:
    complaint = closed_complaint()
    content = case_copy(complaint.id, "Case 3")
    item = factories.make_pack_item(
        kind="case", title="Case 3", url="", complaint=complaint.id, content=content, note="Sampled: a leak"
    )
    assert "diary" in str(content) and "tap leaks" in str(content)

    sweep(SYSTEM, now=LATER)

    erased = row(PackItem, item.id)
    assert set(erased.content) == set(content) and erased.content["label"] == "Case 3"
    assert "diary" not in str(erased.content) and "tap leaks" not in str(erased.content)
    assert erased.note == MARKER and erased.status == "confirmed"


def test_erase_person_makes_a_panel_members_membership_a_stub_and_keeps_the_ledger() -> None:
    member = factories.make_user("resident", "panel_member")
    values = {
        "started_on": dt.date(2026, 1, 5),
        "training_done_on": dt.date(2026, 1, 12),
        "training_note": "Induction with her carer",
        "conflicts": "Lives next to the housing officer",
    }
    membership = panels.add_membership(
        factories.actor_of(factories.make_staff()), factories.make_panel().id, member.id, values
    )
    entry = factories.make_involvement_entry(membership, note="Taxi: uses a wheelchair")
    meeting = factories.make_panel_meeting()
    attendance = factories.make_panel_attendance(meeting, member)
    other = factories.make_panel_membership(panel=membership.panel, training_note="Induction")
    start, end = dt.date(2026, 1, 1), dt.date(2027, 12, 31)
    totals = ledger_totals(start, end)
    plan = erasure.plan_erasure(member.email, today=DAY)
    assert plan.selection.counts()["account"] == 1

    erasure.erase_person(SYSTEM, plan, today=DAY)

    stub = row(PanelMembership, membership.id)
    assert (stub.training_note, stub.conflicts) == (MARKER, MARKER)
    assert (stub.person_id, stub.role, stub.started_on, stub.training_done_on) == (
        member.id,
        membership.role,
        membership.started_on,
        membership.training_done_on,
    )
    assert User.get_by_id(member.id).display_name == MARKER
    assert (row(InvolvementEntry, entry.id).note, row(InvolvementEntry, entry.id).minutes_given) == (MARKER, 150)
    assert PanelAttendance.select().where(PanelAttendance.id == attendance.id).exists()
    assert row(PanelMembership, other.id).training_note == "Induction"
    assert nameless(ledger_totals(start, end)) == nameless(totals)  # listed by name: the order may change
    added = AuditEvent.get(AuditEvent.action == "panel.membership_added", AuditEvent.entity_id == str(membership.id))
    assert added.erased_on == DAY and "housing officer" not in str(added.changes)


def test_sweep_of_a_closed_account_makes_its_memberships_stubs() -> None:
    membership = factories.make_panel_membership(conflicts="Lives next to the housing officer")
    User.update(is_active=False).where(User.id == membership.person_id).execute()
    sweep(SYSTEM, now=LATER)
    stub = row(PanelMembership, membership.id)
    assert (stub.conflicts, stub.training_note, stub.started_on) == (MARKER, "", membership.started_on)


# --- Mail that reached no case --------------------------------------------------------------------------------------


def stray_mail(sender: str = "sam@example.net") -> Any:
    return InboundMail.create(
        via="smtp", raw_message=b"From: Sam\r\n\r\nMy flat at 1 High St", size=30, sha256="2" * 64,
        sender=sender, envelope_from=sender, subject="My flat", status="held",
    )  # fmt: skip


def test_sweep_erases_mail_that_reached_no_case_after_the_contacts_period() -> None:
    mail = stray_mail()
    reached = factories.make_inbound_mail()
    assert reached.contact_id is not None

    sweep(SYSTEM, now=utcnow() + dt.timedelta(days=365 * 5))
    assert row(InboundMail, mail.id).sender == "sam@example.net"

    counts = sweep(SYSTEM, now=LATER)

    assert counts["inbound_mail"] == 1
    erased = row(InboundMail, mail.id)
    assert (bytes(erased.raw_message), erased.sender, erased.envelope_from, erased.subject) == (b"", "", "", MARKER)
    assert (erased.status, erased.sha256) == ("held", "2" * 64)
    assert row(InboundMail, reached.id).sender != ""  # its case is open: it goes with the case
    entry = AuditEvent.get(AuditEvent.action == "privacy.retention_erased", AuditEvent.entity_id == "contacts")
    assert entry.changes["inbound_mail_count"]["after"] == 1
    assert "sam@example.net" not in str(entry.changes)
    assert sweep(SYSTEM, now=LATER)["inbound_mail"] == 0


def test_sweep_keeps_mail_from_a_person_under_a_legal_hold() -> None:
    person = factories.make_user()
    mail = stray_mail(person.email)
    holds.place_hold(factories.actor_of(factories.make_user("admin")), reason="Claim", person_id=person.id)

    sweep(SYSTEM, now=LATER)

    assert row(InboundMail, mail.id).sender == person.email
    entry = AuditEvent.get(AuditEvent.action == "privacy.retention_erased", AuditEvent.entity_id == "contacts")
    assert entry.changes["held_count"]["after"] == 1


def test_erase_person_under_a_legal_hold_keeps_their_mail_and_lists_it() -> None:
    person = factories.make_user()
    mail = stray_mail(person.email)
    holds.place_hold(factories.actor_of(factories.make_user("admin")), reason="Claim", person_id=person.id)

    plan = erasure.plan_erasure(person.email, today=DAY)
    assert plan.selection.ids["inbound_mail"] == []
    assert ("inbound_mail", mail.id, "legal_hold") in plan.selection.kept
    erasure.erase_person(SYSTEM, plan, today=DAY)
    assert row(InboundMail, mail.id).sender == person.email


def test_erase_audit_values_erases_staffs_account_and_panel_notes() -> None:
    changes = {
        "underlying_cause": {"before": None, "after": "Mrs Patel's fan"},
        "keywords": {"before": None, "after": ["mouldy"]},
        "conflicts": {"before": "", "after": "Neighbour"},
        "outcome": {"before": None, "after": "upheld"},
    }
    assert erasure.erase_audit_values(changes, DAY) == {
        "underlying_cause": {"before": None, "after": MARKER},
        "keywords": {"before": None, "after": [MARKER]},
        "conflicts": {"before": "", "after": MARKER},
        "outcome": {"before": None, "after": "upheld"},
    }


def test_audit_retention_keeps_the_entries_about_a_held_cases_hazards() -> None:
    complaint = closed_complaint()
    staff = factories.actor_of(factories.make_staff())
    hazard = hazards.flag_hazard(staff, complaint.contact_id, "damp_mould", "significant", "By the cot")
    holds.place_hold(factories.actor_of(factories.make_user("admin")), reason="Claim", contact_id=complaint.contact_id)

    sweep(SYSTEM, now=LATER)

    flagged = AuditEvent.get(AuditEvent.action == "hazard.flagged", AuditEvent.entity_id == str(hazard.id))
    assert flagged.erased_on is None and "By the cot" in str(flagged.changes)
    assert row(Hazard, hazard.id).description == "By the cot"
