"""The letters-and-leaflets review: documents under review, members' proposals, the panel's approval, and the
landlord adopting the wording through the message wording's and the leaflets' own services."""

from __future__ import annotations

import io
from typing import Any

import pytest

from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.notifications.models import MessageTemplate
from backend.notifications.templates import effective_source
from backend.panels import documents
from backend.panels.models import InvolvementEntry, ProposalStatus
from tests import factories
from tests.factories import actor_of

WORDING = "Dear {{ name }}, thank you. We have logged {{ reference }} and will reply by {{ due_date }}."


def codes(error: Invalid) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in error.problems}


def staff() -> Any:
    return actor_of(factories.make_staff())


def manager() -> Any:
    return actor_of(factories.make_user("manager"))


def documents_review() -> tuple[Any, Any, Any]:
    panel = factories.make_panel()
    review = factories.make_scrutiny_review(panel, kind="documents")
    chair = factories.make_panel_membership(panel, role="chair")
    return panel, review, chair


def wording_document() -> tuple[Any, Any, Any]:
    panel, review, chair = documents_review()
    document = documents.add_document(
        staff(), review.id, "wording", "Stage 1 acknowledgement email", "complaint.acknowledged", "email"
    )
    return panel, document, chair


def test_add_document_puts_a_message_wording_under_review() -> None:
    _panel, review, _chair = documents_review()
    document = documents.add_document(staff(), review.id, "wording", "Acknowledgement", "complaint.acknowledged", "sms")
    assert (document.event, document.channel, document.stage_id) == ("complaint.acknowledged", "sms", None)
    assert documents.placeholders_of(document)[0] == "due_date"


def test_add_document_puts_a_stage_leaflet_under_review() -> None:
    _panel, review, _chair = documents_review()
    stage = factories.make_regime_stage()
    document = documents.add_document(staff(), review.id, "leaflet", "Stage 1 leaflet", stage_id=stage.id)
    assert (document.event, document.stage_id) == ("", stage.id)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"kind": "poster"}, ("kind", "unsupported")),
        ({"title": " "}, ("title", "required")),
        ({"title": "x" * 201}, ("title", "too_long")),
        ({"title": "Two\nlines"}, ("title", "hidden_characters")),
        ({"event": "no.such_event"}, ("event", "unsupported")),
        ({"event": "block.where_you_are"}, ("event", "unsupported")),
        ({"channel": "pigeon"}, ("channel", "not_a_message_channel")),
        ({"note": "x" * 2001}, ("note", "too_long")),
        ({"kind": "leaflet", "stage_id": None}, ("stage", "required")),
        ({"kind": "leaflet", "stage_id": 999_999}, ("stage", "unsupported")),
    ],
)
def test_add_document_with_bad_input_is_refused(values: dict[str, Any], expected: tuple[str, str]) -> None:
    _panel, review, _chair = documents_review()
    given = {"kind": "wording", "title": "Letter", "event": "complaint.acknowledged", "channel": "email"} | values
    with pytest.raises(Invalid) as error:
        documents.add_document(staff(), review.id, **given)
    assert expected in codes(error.value)


def test_add_document_twice_is_a_duplicate() -> None:
    _panel, document, _chair = wording_document()
    with pytest.raises(Invalid) as error:
        documents.add_document(staff(), document.review_id, "wording", "Again", "complaint.acknowledged", "email")
    assert ("title", "duplicate") in codes(error.value)


def test_add_document_to_a_review_of_another_kind_is_refused() -> None:
    review = factories.make_scrutiny_review(kind="service")
    with pytest.raises(Conflict) as error:
        documents.add_document(staff(), review.id, "wording", "Letter", "complaint.acknowledged", "email")
    assert error.value.code == "not_documents_review"


def test_add_document_by_a_member_is_refused() -> None:
    _panel, review, chair = documents_review()
    with pytest.raises(NotAllowed):
        documents.add_document(actor_of(chair.person), review.id, "wording", "L", "complaint.acknowledged", "email")


def test_propose_wording_by_a_member_is_kept() -> None:
    panel, document, _chair = wording_document()
    member = factories.make_panel_membership(panel)
    proposal = documents.propose_wording(actor_of(member.person), document.id, "en", WORDING, "We have it")
    assert (proposal.status, proposal.author_id, proposal.subject) == ("proposed", member.person_id, "We have it")


@pytest.mark.parametrize(
    ("text", "subject", "locale", "expected"),
    [
        ("", "", "en", ("text", "required")),
        ("x" * 20_001, "", "en", ("text", "too_long")),
        ("Dear {{ landlord_secret }}", "", "en", ("text", "unknown_placeholder")),
        ("Dear {{ name ", "", "en", ("text", "syntax")),
        ("{% for x in y %}{% endfor %}", "", "en", ("text", "not_allowed_in_wording")),
        (WORDING, "{{ nope }}", "en", ("subject", "unknown_placeholder")),
        (WORDING, "x" * 501, "en", ("subject", "too_long")),
        (WORDING, "", "xx", ("locale", "unsupported")),
    ],
)
def test_propose_wording_with_bad_input_is_refused(text: str, subject: str, locale: str, expected: Any) -> None:
    panel, document, _chair = wording_document()
    member = factories.make_panel_membership(panel)
    with pytest.raises(Invalid) as error:
        documents.propose_wording(actor_of(member.person), document.id, locale, text, subject)
    assert expected in codes(error.value)


def test_propose_wording_for_another_panels_document_is_not_found() -> None:
    _panel, document, _chair = wording_document()
    outsider = factories.make_panel_membership()
    with pytest.raises(NotFound):
        documents.propose_wording(actor_of(outsider.person), document.id, "en", WORDING)
    with pytest.raises(NotFound):
        documents.propose_wording(actor_of(outsider.person), 999_999, "en", WORDING)


def proposed(panel: Any, document: Any) -> tuple[Any, Any]:
    member = factories.make_panel_membership(panel)
    return documents.propose_wording(actor_of(member.person), document.id, "en", WORDING, "We have it"), member


def test_approve_proposal_by_the_chair_records_the_panels_approval() -> None:
    panel, document, chair = wording_document()
    proposal, _member = proposed(panel, document)
    approved = documents.approve_proposal(actor_of(chair.person), proposal.id)
    assert approved.status == ProposalStatus.APPROVED and approved.approved_at is not None


def test_approve_proposal_by_a_member_who_is_not_the_chair_is_refused() -> None:
    panel, document, _chair = wording_document()
    proposal, member = proposed(panel, document)
    with pytest.raises(NotAllowed) as error:
        documents.approve_proposal(actor_of(member.person), proposal.id)
    assert error.value.code == "not_chair"


def test_approve_proposal_by_another_panels_chair_is_not_found() -> None:
    panel, document, _chair = wording_document()
    proposal, _member = proposed(panel, document)
    other = factories.make_panel_membership(role="chair")
    with pytest.raises(NotFound):
        documents.approve_proposal(actor_of(other.person), proposal.id)


def test_decline_proposal_needs_a_reason() -> None:
    panel, document, chair = wording_document()
    proposal, _member = proposed(panel, document)
    with pytest.raises(Invalid) as error:
        documents.decline_proposal(actor_of(chair.person), proposal.id, " ")
    assert ("decision_note", "required") in codes(error.value)
    declined = documents.decline_proposal(actor_of(chair.person), proposal.id, "Too long for a text.")
    assert declined.status == ProposalStatus.DECLINED
    with pytest.raises(Conflict):
        documents.approve_proposal(actor_of(chair.person), proposal.id)


def test_adopt_proposal_saves_the_wording_and_records_the_panels_approval() -> None:
    panel, document, chair = wording_document()
    proposal, member = proposed(panel, document)
    documents.approve_proposal(actor_of(chair.person), proposal.id)
    adopted = documents.adopt_proposal(manager(), proposal.id)
    assert adopted.status == ProposalStatus.ADOPTED
    assert effective_source("complaint.acknowledged", "email", "en")[:2] == ("We have it", WORDING)
    assert documents.wording_approval("complaint.acknowledged", "email", "en") == adopted.approved_at
    entry = InvolvementEntry.get(InvolvementEntry.kind == "document")
    assert entry.membership_id == member.id and entry.note == "Stage 1 acknowledgement email"


def test_wording_approval_ends_when_staff_change_the_wording() -> None:
    panel, document, chair = wording_document()
    proposal, _member = proposed(panel, document)
    documents.approve_proposal(actor_of(chair.person), proposal.id)
    documents.adopt_proposal(manager(), proposal.id)
    MessageTemplate.update(body="Something else {{ name }}").execute()
    assert documents.wording_approval("complaint.acknowledged", "email", "en") is None


def test_adopt_proposal_twice_writes_the_ledger_once() -> None:
    panel, document, chair = wording_document()
    first, _member = proposed(panel, document)
    second, _other = proposed(panel, document)
    for proposal in (first, second):
        documents.approve_proposal(actor_of(chair.person), proposal.id)
        documents.adopt_proposal(manager(), proposal.id)
    assert InvolvementEntry.select().where(InvolvementEntry.kind == "document").count() == 2


def test_adopt_proposal_the_panel_has_not_approved_is_refused() -> None:
    panel, document, _chair = wording_document()
    proposal, _member = proposed(panel, document)
    with pytest.raises(Conflict) as error:
        documents.adopt_proposal(manager(), proposal.id)
    assert error.value.code == "not_approved"


def test_adopt_proposal_by_staff_who_may_not_edit_wording_is_refused() -> None:
    panel, document, chair = wording_document()
    proposal, _member = proposed(panel, document)
    documents.approve_proposal(actor_of(chair.person), proposal.id)
    with pytest.raises(NotAllowed):
        documents.adopt_proposal(staff(), proposal.id)
    with pytest.raises(NotAllowed):
        documents.adopt_proposal(actor_of(chair.person), proposal.id)
    assert not MessageTemplate.select().exists()


def leaflet_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_adopt_leaflet_proposal_attaches_the_leaflet_made_from_the_words() -> None:
    panel, review, chair = documents_review()
    stage = factories.make_regime_stage()
    document = documents.add_document(staff(), review.id, "leaflet", "Stage 1 leaflet", stage_id=stage.id)
    member = factories.make_panel_membership(panel)
    proposal = documents.propose_wording(actor_of(member.person), document.id, "en", "How we handle complaints.")
    documents.approve_proposal(actor_of(chair.person), proposal.id)
    admin = actor_of(factories.make_user("admin"))
    with pytest.raises(Invalid):
        documents.adopt_proposal(admin, proposal.id)
    adopted = documents.adopt_proposal(admin, proposal.id, io.BytesIO(leaflet_pdf()), "leaflet.pdf")
    assert adopted.adopted_ref
    assert documents.leaflet_approval(stage.id) == adopted.approved_at
