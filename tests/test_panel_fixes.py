"""Fixes after review of the scrutiny panels: redaction of staff-written text, drafting and sign-off rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.panels import annotations, findings, meetings, packs, publication, requests, responses
from backend.panels.models import AccuracyComment, Recommendation
from backend.panels.redaction import redact_for_panel
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of
from tests.test_panel_findings import setting, signed


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
