"""Lesson review, findings, recommendations, responses and publication of scrutiny panel reviews: the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.events.models import OutboxEvent
from backend.lessons.models import ImprovementAction, Lesson, LessonSource
from backend.panels import annotations as lesson_review
from backend.panels import findings, publication, responses
from backend.panels.models import FindingsVersion, InvolvementEntry, Recommendation, ScrutinyReview
from backend.timeutil import local_date
from backend.workdays import add_working_days
from tests import factories
from tests.factories import actor_of


def codes(error: Invalid) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in error.problems}


def member(panel: Any, role: str = "member") -> Any:
    return factories.make_panel_membership(panel, role=role).person


def setting(**panel_values: Any) -> dict[str, Any]:
    """A panel with a chair, a vice-chair, two members and a support officer, reviewing; and a lesson item."""
    panel = factories.make_panel(**panel_values)
    officer = factories.make_staff()
    factories.make_panel_support(panel, officer)
    review = factories.make_scrutiny_review(panel)
    lesson = factories.make_lesson()
    item = factories.make_pack_item(review, kind="lesson", lesson=lesson.id, url="", content={"title": "Redacted"})
    return {
        "panel": panel,
        "review": review,
        "item": item,
        "lesson": lesson,
        "officer": officer,
        "chair": member(panel, "chair"),
        "vice": member(panel, "vice_chair"),
        "member": member(panel),
        "other": member(panel),
    }


def signed(s: dict[str, Any], texts: tuple[str, ...] = ("Shorten the letter.", "Publish times.")) -> FindingsVersion:
    version = findings.save_draft(actor_of(s["member"]), s["review"].id, "Summary", "Findings", list(texts))
    return findings.sign_off(actor_of(s["chair"]), version.id)


# ---------------------------------------------------------------- annotations and questions


def test_annotate_lesson_by_member_records_comment_and_rating() -> None:
    s = setting()
    row = lesson_review.annotate_lesson(actor_of(s["member"]), s["item"].id, "Fixes letters only", "partly")
    assert (row.author_id, row.lesson_id, row.channel, row.entered_by_id) == (
        s["member"].id,
        s["lesson"].id,
        "workspace",
        None,
    )
    assert AuditEvent.select().where(AuditEvent.action == "lesson_annotation.added").count() == 1


def test_annotate_lesson_entered_by_staff_for_a_member_on_paper() -> None:
    s = setting()
    row = lesson_review.annotate_lesson(
        actor_of(s["officer"]), s["item"].id, "Said by phone", None, member_id=s["member"].id, channel="phone"
    )
    assert (row.author_id, row.entered_by_id, row.channel) == (s["member"].id, s["officer"].id, "phone")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"comment": "", "rating": None}, ("comment", "none_given")),
        ({"comment": "x" * 5001}, ("comment", "too_long")),
        ({"comment": "ok", "rating": "great"}, ("rating", "unsupported")),
    ],
)
def test_annotate_lesson_refuses_bad_input(values: dict[str, Any], expected: tuple[str, str]) -> None:
    s = setting()
    with pytest.raises(Invalid) as error:
        lesson_review.annotate_lesson(actor_of(s["member"]), s["item"].id, **values)
    assert expected in codes(error.value)


def test_annotate_lesson_by_staff_needs_a_member_and_a_channel() -> None:
    s = setting()
    with pytest.raises(Invalid) as error:
        lesson_review.annotate_lesson(actor_of(s["officer"]), s["item"].id, "x", member_id=factories.make_user().id)
    assert codes(error.value) == {("channel", "unsupported"), ("member_id", "not_member")}


def test_annotate_refuses_an_item_that_is_not_a_lesson() -> None:
    s = setting()
    link = factories.make_pack_item(s["review"])
    with pytest.raises(Invalid) as error:
        lesson_review.annotate_lesson(actor_of(s["member"]), link.id, "x")
    assert ("item_id", "not_lesson") in codes(error.value)


@pytest.mark.parametrize("how", ["other_panel", "draft_item", "missing"])
def test_annotate_outside_own_pack_is_not_found(how: str) -> None:
    s = setting()
    outsider = member(factories.make_panel())
    item_id = s["item"].id
    who = outsider if how == "other_panel" else s["member"]
    if how == "draft_item":
        item_id = factories.make_pack_item(s["review"], kind="lesson", status="draft").id
    if how == "missing":
        item_id = 999_999
    with pytest.raises(NotFound):
        lesson_review.annotate_lesson(actor_of(who), item_id, "x")


def test_question_asked_tells_support_and_answer_tells_asker() -> None:
    s = setting()
    question = lesson_review.ask_question(actor_of(s["member"]), s["review"].id, "How many were late?", s["item"].id)
    asked = OutboxEvent.get(OutboxEvent.name == "panels.question_asked")
    assert asked.payload["recipient_id"] == s["officer"].id
    answered = lesson_review.answer_question(actor_of(s["officer"]), question.id, "Twelve.")
    assert answered.answer == "Twelve." and answered.answered_by_id == s["officer"].id
    told = OutboxEvent.get(OutboxEvent.name == "panels.question_answered")
    assert told.payload["recipient_id"] == s["member"].id
    with pytest.raises(Conflict):
        lesson_review.answer_question(actor_of(s["officer"]), question.id, "Again")


def test_question_refusals() -> None:
    s = setting()
    with pytest.raises(Invalid) as error:
        lesson_review.ask_question(actor_of(s["member"]), s["review"].id, "  ")
    assert codes(error.value) == {("question", "required")}
    with pytest.raises(NotFound):
        lesson_review.ask_question(actor_of(member(factories.make_panel())), s["review"].id, "Hello?")
    question = factories.make_panel_question(s["review"])
    with pytest.raises(NotAllowed):
        lesson_review.answer_question(actor_of(s["member"]), question.id, "I answer myself")
    with pytest.raises(Invalid):
        lesson_review.answer_question(actor_of(s["officer"]), question.id, "")


# ---------------------------------------------------------------- findings, comments and sign-off


def test_every_save_writes_a_new_version() -> None:
    s = setting()
    first = findings.save_draft(actor_of(s["member"]), s["review"].id, "A", "B", ["One", " ", "Two"])
    second = findings.save_draft(actor_of(s["other"]), s["review"].id, "A2", "B2", ["One"])
    assert (first.number, second.number) == (1, 2)
    assert FindingsVersion.get_by_id(first.id).summary == "A"
    assert first.recommendations == ["One", "Two"]
    assert ScrutinyReview.get_by_id(s["review"].id).status == "reporting"


@pytest.mark.parametrize("role", ["staff", "manager", "admin"])
def test_staff_cannot_write_the_panels_draft(role: str) -> None:
    s = setting()
    with pytest.raises(NotAllowed):
        findings.save_draft(actor_of(factories.make_user(role)), s["review"].id, "A", "B", ["One"])


def test_draft_refuses_too_long_parts() -> None:
    s = setting()
    with pytest.raises(Invalid) as error:
        findings.save_draft(actor_of(s["member"]), s["review"].id, "x" * 5001, "", ["y" * 2001])
    assert codes(error.value) == {("summary", "too_long"), ("recommendation", "too_long")}


@pytest.mark.parametrize("signer", ["vice", "member", "officer", "manager"])
def test_sign_off_by_anyone_but_the_chair_is_refused(signer: str) -> None:
    s = setting()
    version = findings.save_draft(actor_of(s["member"]), s["review"].id, "A", "B", ["One"])
    who = factories.make_user("manager") if signer == "manager" else s[signer]
    with pytest.raises(NotAllowed):
        findings.sign_off(actor_of(who), version.id)


def test_sign_off_by_the_vice_chair_where_the_terms_allow() -> None:
    s = setting(sign_off_rule="chair_or_vice")
    version = findings.save_draft(actor_of(s["member"]), s["review"].id, "A", "B", ["One"])
    assert findings.sign_off(actor_of(s["vice"]), version.id).signed_off_as == "chair_or_vice"


def test_sign_off_by_quorum_needs_enough_current_members() -> None:
    s = setting(sign_off_rule="quorum", quorum=3)
    version = findings.save_draft(actor_of(s["member"]), s["review"].id, "A", "B", ["One"])
    outsider = factories.make_user("resident", "panel_member")
    with pytest.raises(Invalid) as error:
        findings.sign_off(actor_of(s["chair"]), version.id, [s["chair"].id, outsider.id])
    assert codes(error.value) == {("present", "not_member"), ("present", "below_quorum")}
    with pytest.raises(NotAllowed):
        findings.sign_off(actor_of(s["member"]), version.id, [s["chair"].id, s["vice"].id, s["member"].id])
    present = [s["chair"].id, s["vice"].id, s["member"].id]
    done = findings.sign_off(actor_of(s["vice"]), version.id, present)
    assert done.quorum_members == present


def test_sign_off_freezes_the_version_creates_recommendations_and_starts_the_clock() -> None:
    s = setting()
    version = signed(s)
    assert version.signed_off_by_id == s["chair"].id
    rows = list(Recommendation.select().where(Recommendation.review == s["review"].id).order_by(Recommendation.number))
    assert [(r.number, r.text) for r in rows] == [(1, "Shorten the letter."), (2, "Publish times.")]
    assert rows[0].response_due_on == add_working_days(local_date(), 40, "england")
    assert ScrutinyReview.get_by_id(s["review"].id).status == "awaiting_response"
    with pytest.raises(Conflict):
        findings.sign_off(actor_of(s["chair"]), version.id)
    # A signed version is frozen: a later edit, before the landlord answers, is a new draft beside it.
    later = findings.save_draft(actor_of(s["member"]), s["review"].id, "Changed", "B", ["Only one"])
    assert (later.number, later.signed_off_at) == (version.number + 1, None)
    assert FindingsVersion.get_by_id(version.id).summary == "Summary"
    # Signing it off gives way to its recommendations, none answered yet; once one is answered, drafting stops.
    findings.sign_off(actor_of(s["chair"]), later.id)
    rows = list(Recommendation.select().where(Recommendation.review == s["review"].id))
    assert [(r.number, r.text) for r in rows] == [(1, "Only one")]
    responses.respond(actor_of(factories.make_user("manager")), rows[0].id, "not_accepted", "Not now", None, None)
    with pytest.raises(Conflict) as error:
        findings.save_draft(actor_of(s["member"]), s["review"].id, "Again", "B", ["Another"])
    assert error.value.code == "not_drafting"


def test_sign_off_refuses_an_earlier_version_and_open_comments() -> None:
    s = setting()
    first = findings.save_draft(actor_of(s["member"]), s["review"].id, "A", "B", ["One"])
    second = findings.save_draft(actor_of(s["member"]), s["review"].id, "A", "B", ["One"])
    with pytest.raises(Conflict) as error:
        findings.sign_off(actor_of(s["chair"]), first.id)
    assert error.value.code == "not_latest"
    findings.add_comment(actor_of(s["officer"]), second.id, "The figure is 84.", "48")
    with pytest.raises(Conflict) as error:
        findings.sign_off(actor_of(s["chair"]), second.id)
    assert error.value.code == "comments_open"


def test_response_clock_allows_for_the_next_meeting_of_the_approval_body() -> None:
    panel = factories.make_panel(approval_body="board", response_working_days=10)
    day = dt.date(2026, 3, 2)
    plain = add_working_days(day, 10, "england")
    assert findings.response_due_on(day, panel) == plain
    factories.make_approval_meeting("committee", plain + dt.timedelta(days=3))
    factories.make_approval_meeting("board", plain + dt.timedelta(days=60))
    assert findings.response_due_on(day, panel) == plain
    factories.make_approval_meeting("board", plain + dt.timedelta(days=20))
    assert findings.response_due_on(day, panel) == plain + dt.timedelta(days=20)


def test_accuracy_comments_are_staffs_and_decisions_the_panels() -> None:
    s = setting()
    version = findings.save_draft(actor_of(s["member"]), s["review"].id, "A", "B", ["One"])
    with pytest.raises(NotAllowed):
        findings.add_comment(actor_of(s["member"]), version.id, "I comment")
    comment = findings.add_comment(actor_of(s["officer"]), version.id, "84, not 48.", "48")
    with pytest.raises(NotAllowed):
        findings.decide_comment(actor_of(s["officer"]), comment.id, True)
    with pytest.raises(Invalid) as error:
        findings.decide_comment(actor_of(s["member"]), comment.id, False, "")
    assert codes(error.value) == {("decision_note", "required")}
    decided = findings.decide_comment(actor_of(s["member"]), comment.id, False, "Our figure is from the report.")
    assert decided.status == "rejected"
    with pytest.raises(Conflict):
        findings.decide_comment(actor_of(s["member"]), comment.id, True)
    with pytest.raises(NotFound):
        findings.decide_comment(actor_of(member(factories.make_panel())), comment.id, True)


# ---------------------------------------------------------------- responses


def test_accepting_creates_a_lesson_and_a_proposed_action() -> None:
    s = setting()
    signed(s)
    rec = Recommendation.get(Recommendation.review == s["review"].id, Recommendation.number == 1)
    boss, owner = factories.make_user("manager"), factories.make_staff()
    due = local_date() + dt.timedelta(days=60)
    row = responses.respond(actor_of(boss), rec.id, "accepted", "We agree.", owner.id, due)
    lesson = Lesson.get_by_id(row.lesson_id)
    source = LessonSource.get(LessonSource.lesson == lesson.id)
    assert (source.kind, source.reference) == ("scrutiny_recommendation", s["review"].reference)
    action = ImprovementAction.get_by_id(row.action_id)
    assert (action.owner_id, action.due_on, action.status) == (owner.id, due, "proposed")
    assert responses.progress(row) == "proposed"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"decision": "not_accepted", "reason": ""}, {("reason", "required")}),
        ({"decision": "accepted", "reason": "Yes"}, {("owner_id", "required"), ("due_on", "required")}),
        ({"decision": "partly_accepted", "reason": "Partly"}, {("owner_id", "required"), ("due_on", "required")}),
        ({"decision": "maybe", "reason": "Hmm"}, {("decision", "unsupported")}),
    ],
)
def test_respond_refuses_bad_input(values: dict[str, Any], expected: set[tuple[str, str]]) -> None:
    s = setting()
    signed(s)
    rec = Recommendation.get(Recommendation.review == s["review"].id, Recommendation.number == 1)
    with pytest.raises(Invalid) as error:
        responses.respond(actor_of(factories.make_user("manager")), rec.id, **values)
    assert codes(error.value) == expected
    assert Recommendation.get_by_id(rec.id).decision is None


def test_respond_is_for_managers() -> None:
    s = setting()
    signed(s)
    rec = Recommendation.get(Recommendation.review == s["review"].id, Recommendation.number == 1)
    for who in (s["officer"], s["chair"]):
        with pytest.raises(NotAllowed):
            responses.respond(actor_of(who), rec.id, "not_accepted", "No")


def test_all_answered_and_approved_moves_the_review_to_responded_then_satisfaction() -> None:
    s = setting()
    signed(s)
    boss = factories.make_user("manager")
    one, two = Recommendation.select().where(Recommendation.review == s["review"].id).order_by(Recommendation.number)
    responses.respond(actor_of(boss), one.id, "accepted", "Yes", factories.make_staff().id, local_date())
    responses.respond(actor_of(boss), two.id, "not_accepted", "It costs too much.")
    with pytest.raises(Conflict):
        responses.record_satisfaction(actor_of(s["chair"]), one.id, "satisfied")
    responses.approve(actor_of(boss), one.id, local_date(), "Exec minute 12")
    assert ScrutinyReview.get_by_id(s["review"].id).status == "awaiting_response"
    responses.approve(actor_of(boss), two.id, local_date())
    assert ScrutinyReview.get_by_id(s["review"].id).status == "responded"
    assert Recommendation.get_by_id(one.id).approved_by_body == "executive"
    with pytest.raises(NotAllowed):
        responses.record_satisfaction(actor_of(s["officer"]), one.id, "satisfied")
    with pytest.raises(NotAllowed):  # the panel's agreed view: its chair or vice-chair records it
        responses.record_satisfaction(actor_of(s["member"]), one.id, "satisfied")
    row = responses.record_satisfaction(actor_of(s["vice"]), one.id, "partly", "Slow start")
    assert row.satisfaction == "partly"


def test_overdue_responses_are_escalated_once_to_the_senior_lead_and_managers() -> None:
    lead, boss = factories.make_user("manager"), factories.make_user("manager")
    s = setting(senior_lead=lead.id)
    rec = factories.make_recommendation(s["review"], response_due_on=local_date() - dt.timedelta(days=1))
    answered = factories.make_recommendation(
        s["review"],
        2,
        version=FindingsVersion.get_by_id(rec.version_id),
        response_due_on=local_date() - dt.timedelta(days=1),
        decision="not_accepted",
    )
    assert responses.sweep_overdue_responses() == 1
    assert responses.sweep_overdue_responses() == 0
    told = {
        e.payload["recipient_id"] for e in OutboxEvent.select().where(OutboxEvent.name == "panels.response_overdue")
    }
    assert {lead.id, boss.id} <= told
    assert Recommendation.get_by_id(rec.id).escalated_at is not None
    assert Recommendation.get_by_id(answered.id).escalated_at is None


# ---------------------------------------------------------------- publication


def responded(s: dict[str, Any]) -> None:
    signed(s, ("Shorten the letter.",))
    boss = factories.make_user("manager")
    rec = Recommendation.get(Recommendation.review == s["review"].id)
    responses.respond(actor_of(boss), rec.id, "accepted", "Yes", factories.make_staff().id, local_date())
    responses.approve(actor_of(boss), rec.id, local_date())


def test_publication_is_redacted_and_needs_a_second_person() -> None:
    s = setting()
    writer = factories.make_user("manager")
    with pytest.raises(Conflict):
        publication.draft_summary(actor_of(writer), s["review"].id, "Too early")
    responded(s)
    review = publication.draft_summary(actor_of(writer), s["review"].id, "Call 07700 900123 or mail a@b.example.")
    assert "07700" not in review.publication_summary and "a@b.example" not in review.publication_summary
    with pytest.raises(NotAllowed) as error:
        publication.publish(actor_of(writer), s["review"].id)
    assert error.value.code == "own_summary"
    with pytest.raises(NotAllowed):
        publication.publish(actor_of(s["officer"]), s["review"].id)
    assert publication.public_report(s["review"].reference) is None
    done = publication.publish(actor_of(factories.make_user("manager")), s["review"].id)
    assert done.status == "published"
    report = publication.public_report(s["review"].reference)
    assert report is not None and report.recommendations[0].progress == "proposed"
    assert [r.reference for r in publication.public_reports()] == [s["review"].reference]
    with pytest.raises(Conflict):
        publication.draft_summary(actor_of(writer), s["review"].id, "Changed")


def test_publication_credits_each_member_who_took_part_with_the_review_and_its_reward() -> None:
    s = setting(reward_pence=2500, reward_rule="A £25 voucher per review")
    responded(s)
    publication.draft_summary(actor_of(factories.make_user("manager")), s["review"].id, "What we found.")
    publication.publish(actor_of(factories.make_user("manager")), s["review"].id)
    entries = InvolvementEntry.select().where(InvolvementEntry.review == s["review"].id)
    kinds = sorted((entry.membership.person_id, entry.kind) for entry in entries)
    # The member drafted the findings and the chair signed them off: both took part, the others did not.
    took_part = sorted([s["member"].id, s["chair"].id])
    assert kinds == sorted([(p, "review") for p in took_part] + [(p, "reward") for p in took_part])
    assert all(e.approved_at is None for e in entries if e.kind == "reward")


def test_approval_meetings_are_recorded_by_managers_once_a_day_per_body() -> None:
    boss = factories.make_user("manager")
    day = local_date() + dt.timedelta(days=10)
    row = responses.add_approval_meeting(actor_of(boss), "board", day)
    assert (row.body, row.meets_on) == ("board", day)
    with pytest.raises(Conflict):
        responses.add_approval_meeting(actor_of(boss), "board", day)
    with pytest.raises(NotAllowed):
        responses.add_approval_meeting(actor_of(factories.make_staff()), "board", day)
    with pytest.raises(Invalid) as error:
        responses.add_approval_meeting(actor_of(boss), "council", local_date() - dt.timedelta(days=1))
    assert codes(error.value) == {("body", "unsupported"), ("meets_on", "in_past")}


def test_the_daily_task_runs_the_sweep() -> None:
    from tasks.panel_responses import sweep_scrutiny_responses

    assert sweep_scrutiny_responses.call_local() == 0
