"""Evidence packs: items of each kind as drafts, confirmation before members see them, withdrawal, order, views
logged; case samples that leave members' own and household cases out; evidence requests and their escalation; the
standing data with small numbers hidden."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.complaints.files import Upload
from backend.complaints.models import Complaint, Contact
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.events.models import OutboxEvent
from backend.panels import packs, requests, samples, standing
from backend.panels.models import EvidenceRequest, ItemStatus, PackItem, PackItemView
from backend.timeutil import local_date, utcnow
from tests import factories
from tests.factories import actor_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def stub_case_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cases' redacted copies are the case view's business (tested with it): a stand-in here."""
    monkeypatch.setattr(packs, "case_copy", lambda complaint_id, label: {"label": label})


def setup_review() -> tuple[Any, Any, Any]:
    """A review, a member of staff and a signed-up member of its panel."""
    review = factories.make_scrutiny_review()
    member = factories.make_user("resident", "panel_member")
    factories.make_panel_membership(review.panel, member)
    return review, actor_of(factories.make_staff()), actor_of(member)


def test_add_link_starts_as_draft_hidden_from_members_until_confirmed() -> None:
    review, staff, member = setup_review()
    item = packs.add_link(staff, review.id, "Complaints policy", "https://example.org/policy", "The policy.")
    assert item.status == ItemStatus.DRAFT and item.position == 1
    with pytest.raises(NotFound):
        packs.open_item(member, item.id)
    confirmed = packs.confirm_item(staff, item.id)
    assert confirmed.confirmed_by_id == staff.user_id and confirmed.confirmed_at is not None  # type: ignore[attr-defined]
    assert packs.open_item(member, item.id).id == item.id
    assert AuditEvent.select().where(AuditEvent.action == "pack_item.confirmed").exists()
    assert OutboxEvent.select().where(OutboxEvent.name == "panels.pack_item_confirmed").exists()


@pytest.mark.parametrize(
    ("title", "url", "problem"),
    [
        ("", "https://example.org", ("title", "required")),
        ("x" * 201, "https://example.org", ("title", "too_long")),
        ("Policy", "http://example.org", ("url", "not_a_link")),
        ("Policy", "https://example.org/" + "a" * 2000, ("url", "too_long")),
    ],
)
def test_add_link_refuses_bad_input(title: str, url: str, problem: tuple[str, str]) -> None:
    review, staff, _member = setup_review()
    with pytest.raises(Invalid) as error:
        packs.add_link(staff, review.id, title, url)
    assert problem in {(p.field, p.code) for p in error.value.problems}


def test_members_cannot_add_items() -> None:
    review, _staff, member = setup_review()
    with pytest.raises(NotAllowed):
        packs.add_link(member, review.id, "Policy", "https://example.org")


def test_add_document_checks_the_file_and_a_member_downloads_it_with_the_view_logged() -> None:
    review, staff, member = setup_review()
    item = packs.add_document(staff, review.id, "Stage 1 letter", Upload("letter.pdf", io.BytesIO(PDF)))
    assert item.media_type == "application/pdf" and item.storage_key
    packs.confirm_item(staff, item.id)
    _found, stream = packs.open_item_file(member, item.id)
    with stream:
        assert stream.read() == PDF
    assert PackItemView.select().where(PackItemView.item == item.id, PackItemView.person == member.user_id).count()
    with pytest.raises(Invalid):
        packs.add_document(staff, review.id, "Script", Upload("x.pdf", io.BytesIO(b"<script>alert(1)</script>")))


def test_views_by_members_are_logged_but_not_by_staff() -> None:
    review, staff, member = setup_review()
    item = factories.make_pack_item(review)
    packs.open_item(member, item.id)
    packs.open_item(member, item.id)
    packs.open_item(staff, item.id)
    assert PackItemView.select().where(PackItemView.item == item.id).count() == 2


def test_another_panels_member_gets_not_found_like_a_missing_item() -> None:
    review, _staff, _member = setup_review()
    item = factories.make_pack_item(review)
    _other_review, _, stranger = setup_review()
    with pytest.raises(NotFound):
        packs.open_item(stranger, item.id)
    with pytest.raises(NotFound):
        packs.open_item(stranger, 2**62)


def test_a_member_who_has_not_signed_the_agreement_sees_nothing() -> None:
    review = factories.make_scrutiny_review()
    member = factories.make_user("resident", "panel_member")
    factories.make_panel_membership(review.panel, member, confidentiality_signed_on=None)
    item = factories.make_pack_item(review)
    with pytest.raises(NotFound):
        packs.open_item(actor_of(member), item.id)


def test_withdraw_needs_a_reason_and_hides_the_item() -> None:
    review, staff, member = setup_review()
    item = factories.make_pack_item(review)
    with pytest.raises(Invalid):
        packs.withdraw_item(staff, item.id, " ")
    packs.withdraw_item(staff, item.id, "Superseded by the 2026 policy.")
    with pytest.raises(NotFound):
        packs.open_item(member, item.id)
    with pytest.raises(Conflict):
        packs.withdraw_item(staff, item.id, "Again.")


def test_confirming_twice_is_a_conflict() -> None:
    review, staff, _member = setup_review()
    item = packs.add_link(staff, review.id, "Policy", "https://example.org")
    packs.confirm_item(staff, item.id)
    with pytest.raises(Conflict):
        packs.confirm_item(staff, item.id)


def test_move_item_keeps_the_others_in_order() -> None:
    review, staff, _member = setup_review()
    first, second, third = (packs.add_link(staff, review.id, t, "https://example.org") for t in "ABC")
    packs.move_item(staff, third.id, 1)
    order = [i.id for i in PackItem.select().where(PackItem.review == review.id).order_by(PackItem.position)]
    assert order == [third.id, first.id, second.id]


def test_lesson_copy_is_redacted_and_names_no_staff() -> None:
    review, staff, _member = setup_review()
    owner = factories.make_staff()
    owner.display_name = "Priya Raman"
    owner.save()
    lesson = factories.make_lesson(status="analysed")
    lesson.owner = owner
    lesson.event_summary = "Priya Raman missed the call-back; Mrs Okafor at 07700 900123 waited a week."
    lesson.save()
    item = packs.add_lesson(staff, review.id, lesson.id)
    text = str(item.content)
    assert "Priya" not in text and "Okafor" not in text and "07700" not in text
    assert "[staff member]" in item.content["whatHappened"]
    assert item.status == ItemStatus.DRAFT and item.taken_at is not None


def test_survey_results_are_frozen_as_figures() -> None:
    review, staff, _member = setup_review()
    survey = factories.make_survey()
    item = packs.add_survey(staff, review.id, survey.id)
    assert item.content["survey"] == survey.title["en"] and item.content["questions"] == []


def test_snapshot_freezes_the_rows_the_report_returned() -> None:
    review, staff, _member = setup_review()
    report = factories.make_saved_report(owner=factories.make_user("staff"))
    report.shared = True
    report.rows_path = "complaints.nodes"
    report.columns = ["reference"]
    report.save()
    item = packs.add_snapshot(
        staff, review.id, report.id, lambda r: {"complaints": {"nodes": [{"reference": "A"}, {"reference": "B"}]}}
    )
    assert item.content["rows"] == [["A"], ["B"]] and item.content["columns"] == ["reference"]
    assert item.kind == "snapshot" and item.taken_at is not None


# --- Samples -----------------------------------------------------------------------------------------------------


def closed(resident: Any = None, **values: Any) -> Complaint:
    complaint = factories.make_complaint(resident or factories.make_user("resident"))
    Complaint.update(status="closed", closed_at=utcnow() - dt.timedelta(days=1), **values).where(
        Complaint.id == complaint.id
    ).execute()
    return Complaint.get_by_id(complaint.id)


def this_month() -> str:
    return (
        local_date().strftime("%Y-%m")
        if local_date().day > 1
        else (local_date() - dt.timedelta(days=1)).strftime("%Y-%m")
    )


@pytest.mark.usefixtures("stub_case_copy")
def test_sample_leaves_out_members_household_represented_and_restricted_cases() -> None:
    review, staff, member = setup_review()
    home = factories.make_home()
    member_user = factories.User.get_by_id(member.user_id)
    member_user.home = home
    member_user.save()
    neighbour = factories.make_user("resident", home=home)
    own = closed(member_user)
    household = closed(neighbour)
    represented = closed()
    Contact.update(representative_user=member.user_id).where(Contact.id == represented.contact_id).execute()
    restricted = closed()
    Contact.update(restricted_kind="safeguarding").where(Contact.id == restricted.contact_id).execute()
    fine = closed()
    sample = samples.draw_sample(staff, review.id, period=this_month(), size=10)
    drawn = {i.complaint_id for i in PackItem.select().where(PackItem.sample == sample.id)}  # type: ignore[attr-defined]
    assert fine.id in drawn
    assert not drawn & {own.id, household.id, represented.id, restricted.id}


@pytest.mark.usefixtures("stub_case_copy")
def test_sample_is_repeatable_with_its_seed_and_labels_cases_without_references() -> None:
    review, staff, _member = setup_review()
    for _ in range(8):
        closed()
    first = samples.draw_sample(staff, review.id, period=this_month(), size=3, seed="abc")
    items = list(PackItem.select().where(PackItem.sample == first.id).order_by(PackItem.position))
    assert [i.title for i in items] == ["Case 1", "Case 2", "Case 3"]
    assert all(i.status == ItemStatus.DRAFT for i in items)
    found = samples.candidates(review, first.criteria)
    again = samples.draw(sorted(found + [(c.complaint_id, None) for c in items]), 3, "random", "abc")  # type: ignore[attr-defined]
    assert again == sorted(c.complaint_id for c in items)  # type: ignore[attr-defined]
    assert first.seed == "abc" and first.drawn == 3


def test_stratified_draw_is_in_proportion() -> None:
    found = [(i, 1) for i in range(1, 7)] + [(i, 2) for i in range(7, 10)]
    drawn = samples.draw(found, 3, "stratified", "s")
    assert sum(1 for i in drawn if i < 7) == 2 and sum(1 for i in drawn if i >= 7) == 1


def test_sample_refuses_bad_criteria() -> None:
    review, staff, _member = setup_review()
    with pytest.raises(Invalid) as error:
        samples.draw_sample(staff, review.id, period="nonsense", size=0, method="odd", stage=9, outcome="odd")
    assert {p.field for p in error.value.problems} >= {"period", "size", "method", "stage", "outcome"}


# --- Requests ----------------------------------------------------------------------------------------------------


def test_member_asks_and_staff_supply_with_pack_items() -> None:
    review, staff, member = setup_review()
    request = requests.ask_evidence(member, review.id, "The stage 1 letter template.", local_date())
    item = factories.make_pack_item(review)
    supplied = requests.supply_evidence(staff, request.id, [item.id], "Here it is.")
    assert supplied.status == "supplied" and PackItem.get_by_id(item.id).request_id == request.id  # type: ignore[attr-defined]
    with pytest.raises(Conflict):
        requests.decline_evidence(staff, request.id, "No.")


def test_member_of_another_panel_cannot_ask_for_a_review() -> None:
    review, _staff, _member = setup_review()
    _other, _, stranger = setup_review()
    with pytest.raises(NotFound):
        requests.ask_evidence(stranger, review.id, "Everything.", local_date())


@pytest.mark.parametrize(
    ("asked", "due", "problem"),
    [
        ("", 3, ("asked", "required")),
        ("x" * 2001, 3, ("asked", "too_long")),
        ("Letters", -1, ("due_on", "in_past")),
        ("Letters", 400, ("due_on", "too_far")),
    ],
)
def test_ask_refuses_bad_input(asked: str, due: int, problem: tuple[str, str]) -> None:
    review, _staff, member = setup_review()
    with pytest.raises(Invalid) as error:
        requests.ask_evidence(member, review.id, asked, local_date() + dt.timedelta(days=due))
    assert problem in {(p.field, p.code) for p in error.value.problems}


def test_decline_needs_a_reason() -> None:
    review, staff, member = setup_review()
    request = requests.ask_evidence(member, review.id, "Staff sickness figures.", local_date())
    with pytest.raises(Invalid):
        requests.decline_evidence(staff, request.id, "")
    assert requests.decline_evidence(staff, request.id, "Personal data of staff.").status == "declined"


def test_late_request_is_escalated_to_the_senior_lead_once() -> None:
    lead = factories.make_user("manager")
    panel = factories.make_panel(senior_lead=lead.id)
    review = factories.make_scrutiny_review(panel)
    request = factories.make_evidence_request(review, due_on=local_date() - dt.timedelta(days=1))
    assert requests.escalate_late_requests() == 1
    assert requests.escalate_late_requests() == 0
    (event,) = OutboxEvent.select().where(OutboxEvent.name == "panels.evidence_request_late")
    assert event.payload["recipient_id"] == lead.id and event.payload["request_id"] == request.id
    assert EvidenceRequest.get_by_id(request.id).escalated_at is not None


def test_the_senior_lead_gets_a_message_with_a_link_to_the_pack() -> None:
    from backend.notifications.models import Delivery

    lead = factories.make_user("manager")
    review = factories.make_scrutiny_review(factories.make_panel(senior_lead=lead.id))
    factories.make_evidence_request(review, due_on=local_date() - dt.timedelta(days=2))
    requests.escalate_late_requests()
    (sent,) = Delivery.select().join(OutboxEvent).where(OutboxEvent.name == "panels.evidence_request_late")
    assert sent.recipient_user_id == lead.id  # type: ignore[attr-defined]
    assert review.reference in sent.subject and f"/console/panels/reviews/{review.id}/pack" in sent.action


def test_the_daily_task_escalates() -> None:
    from tasks.panel_requests import escalate_late_evidence_requests

    assert escalate_late_evidence_requests.call_local() == 0


def test_answered_and_not_yet_due_requests_are_not_escalated() -> None:
    review = factories.make_scrutiny_review()
    factories.make_evidence_request(review, due_on=local_date())
    factories.make_evidence_request(review, due_on=local_date() - dt.timedelta(days=3), status="supplied")
    assert requests.escalate_late_requests() == 0


# --- Standing data -----------------------------------------------------------------------------------------------


def test_standing_data_hides_small_numbers() -> None:
    _review, staff, member = setup_review()
    for _ in range(2):
        factories.make_complaint()
    found = standing.standing_data(member)
    ch01 = next(f for f in found.complaints if f.code == "CH01(1)")
    assert ch01.hidden and ch01.value is None
    assert standing.standing_data(staff).period == found.period


def test_standing_data_is_refused_to_residents() -> None:
    with pytest.raises(NotAllowed):
        standing.standing_data(actor_of(factories.make_user("resident")))
