"""Fixes after review of the scrutiny panels: redaction of staff-written text, drafting and sign-off rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.errors import Conflict, Invalid, NotAllowed
from backend.panels import annotations, findings, meetings, packs, publication, requests, responses
from backend.panels.models import AccuracyComment, FindingsVersion, Recommendation, ScrutinyReview
from backend.panels.redaction import redact_for_panel
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of
from tests.test_panel_findings import member, setting, signed


def named(user: Any, name: str, phone: str | None = None) -> Any:
    user.display_name = name
    user.phone = phone
    user.save()
    return user


def people(s: dict[str, Any]) -> tuple[Any, str]:
    """Name the chair and a member of staff; return the staff member and a text naming them all."""
    named(s["chair"], "Alex Morgan")
    named(s["member"], "Sam Okafor")
    staff = named(factories.make_staff(), "Jordan Lee", phone="07700 900456")
    staff.email = "jordan.lee@landlord.example"
    staff.save()
    text = (
        "As chair Alex Morgan and Sam Okafor heard, Jordan Lee (jordan.lee@landlord.example, 07700 900456) "
        "looked again at LL-2026-000042."
    )
    return staff, text


def assert_redacted(text: str) -> None:
    for word in ("Alex", "Morgan", "Okafor", "Jordan", "Lee", "jordan.lee", "07700", "LL-2026", "000042"):
        assert word not in text, (word, text)
    assert "[staff member]" in text and "[panel member]" in text and "[reference]" in text


# ---------------------------------------------------------------- 1, 2, 4: redaction of staff-written text


def test_redact_for_panel_takes_out_staff_members_and_references_whole() -> None:
    s = setting()
    _, text = people(s)
    redacted = redact_for_panel(text)
    assert_redacted(redacted)
    assert redacted.endswith("looked again at [reference].")
    assert redact_for_panel(redacted) == redacted


def test_a_former_panel_member_is_taken_out_too() -> None:
    s = setting()
    old = factories.make_panel_membership(s["panel"], ended_on=local_date())
    named(old.person, "Rhiannon Pryce")
    assert redact_for_panel("Rhiannon Pryce said so.") == "[panel member] said so."


def test_the_response_reason_is_redacted_as_saved() -> None:
    s = setting()
    staff, text = people(s)
    signed(s, ("Shorten the letter.",))
    rec = Recommendation.get(Recommendation.review == s["review"].id)
    boss = factories.make_user("manager")
    responses.respond(actor_of(boss), rec.id, "not_accepted", text)
    assert_redacted(Recommendation.get_by_id(rec.id).reason)


def test_the_public_summary_is_redacted_as_saved() -> None:
    s = setting()
    _, text = people(s)
    signed(s, ("Shorten the letter.",))
    rec = Recommendation.get(Recommendation.review == s["review"].id)
    boss = factories.make_user("manager")
    responses.respond(actor_of(boss), rec.id, "not_accepted", "It costs too much.")
    responses.approve(actor_of(boss), rec.id, local_date())
    review = publication.draft_summary(actor_of(boss), s["review"].id, text)
    assert_redacted(review.publication_summary)


def test_pack_notes_answers_comments_and_minutes_are_redacted_as_saved() -> None:
    s = setting()
    staff, text = people(s)
    officer = actor_of(s["officer"])
    item = packs.add_link(officer, s["review"].id, "Policy", "https://example.org/policy", note=text)
    assert_redacted(item.note)
    question = annotations.ask_question(actor_of(s["member"]), s["review"].id, "Why?")
    assert_redacted(annotations.answer_question(officer, question.id, text).answer)
    version = findings.save_draft(actor_of(s["member"]), s["review"].id, "Summary", "Findings", ["Do it."])
    comment = findings.add_comment(officer, version.id, text)
    assert_redacted(AccuracyComment.get_by_id(comment.id).comment)
    asked = requests.ask_evidence(
        actor_of(s["member"]), s["review"].id, "The letters.", local_date() + dt.timedelta(days=7)
    )
    answered = requests.decline_evidence(officer, asked.id, text)
    assert_redacted(answered.answer)
    meeting = factories.make_panel_meeting(s["review"])
    assert_redacted(meetings.update_meeting(officer, meeting.id, {"minutes": text}).minutes)


# ---------------------------------------------------------------- 5, 6: drafting and signing off


def test_an_empty_draft_is_refused_and_an_empty_version_is_not_signed_off() -> None:
    s = setting()
    with pytest.raises(Invalid) as error:
        findings.save_draft(actor_of(s["member"]), s["review"].id, " ", "", ["", " "])
    assert ("summary", "none_given") in {(p.field, p.code) for p in error.value.problems}
    assert FindingsVersion.select().count() == 0
    empty = factories.make_findings_version(s["review"], summary="", findings="", recommendations=["Do it."])
    ScrutinyReview.update(status="reporting").where(ScrutinyReview.id == s["review"].id).execute()
    with pytest.raises(Conflict) as refused:
        findings.sign_off(actor_of(s["chair"]), empty.id)
    assert refused.value.code == "no_findings"


def test_findings_are_not_drafted_on_a_planned_review_and_the_status_stays() -> None:
    s = setting()
    ScrutinyReview.update(status="planned").where(ScrutinyReview.id == s["review"].id).execute()
    with pytest.raises(Conflict) as error:
        findings.save_draft(actor_of(s["member"]), s["review"].id, "Summary", "Findings", ["Do it."])
    assert error.value.code == "not_started"
    assert ScrutinyReview.get_by_id(s["review"].id).status == "planned"


@pytest.mark.parametrize("status", ["responded", "published", "closed"])
def test_findings_are_not_drafted_after_reporting(status: str) -> None:
    s = setting()
    ScrutinyReview.update(status=status).where(ScrutinyReview.id == s["review"].id).execute()
    with pytest.raises(Conflict) as error:
        findings.save_draft(actor_of(s["member"]), s["review"].id, "Summary", "Findings", ["Do it."])
    assert error.value.code == "not_drafting"


def test_the_first_draft_moves_a_gathering_review_on_to_reporting() -> None:
    s = setting()
    findings.save_draft(actor_of(s["member"]), s["review"].id, "Summary", "", ["Do it."])
    assert ScrutinyReview.get_by_id(s["review"].id).status == "reporting"


# ---------------------------------------------------------------- 8: the panel's view


def test_only_the_chair_or_vice_chair_records_the_panels_view_once_approved() -> None:
    s = setting()
    signed(s, ("Shorten the letter.",))
    rec = Recommendation.get(Recommendation.review == s["review"].id)
    boss = factories.make_user("manager")
    responses.respond(actor_of(boss), rec.id, "not_accepted", "It costs too much.")
    with pytest.raises(Conflict):  # not approved yet: nothing to have a view on
        responses.record_satisfaction(actor_of(s["chair"]), rec.id, "satisfied")
    responses.approve(actor_of(boss), rec.id, local_date())
    with pytest.raises(NotAllowed) as error:
        responses.record_satisfaction(actor_of(s["member"]), rec.id, "not_satisfied")
    assert error.value.code == "panel_view"
    assert responses.record_satisfaction(actor_of(s["chair"]), rec.id, "satisfied").satisfaction == "satisfied"


# ---------------------------------------------------------------- 9, 11: wording proposals


def test_the_proposer_does_not_approve_their_own_wording_and_the_other_chair_does() -> None:
    from backend.panels import documents
    from tests.test_panel_documents import WORDING, wording_document

    panel, document, chair = wording_document()
    vice = factories.make_panel_membership(panel, role="vice_chair")
    proposal = documents.propose_wording(actor_of(vice.person), document.id, "en", WORDING, "We have it")
    with pytest.raises(NotAllowed) as error:
        documents.approve_proposal(actor_of(vice.person), proposal.id)
    assert error.value.code == "own_proposal"
    assert documents.approve_proposal(actor_of(chair.person), proposal.id).status == "approved"


def test_a_proposal_that_is_the_wording_in_use_is_refused() -> None:
    from backend.notifications.templates import effective_source
    from backend.panels import documents
    from tests.test_panel_documents import wording_document

    panel, document, _chair = wording_document()
    proposer = member(panel)
    subject, in_use, _origin = effective_source(document.event, document.channel, "en")
    with pytest.raises(Invalid) as error:
        documents.propose_wording(actor_of(proposer), document.id, "en", in_use, subject)
    assert ("text", "unchanged") in {(p.field, p.code) for p in error.value.problems}
    with pytest.raises(Invalid):
        documents.propose_wording(actor_of(proposer), document.id, "en", in_use)
