"""Did a change make a difference? Who is asked and when, the per-person survey cap, one-click answers that count only
when sent, the counts, "confirmed by residents", "not fixed" reopening the change's actions, the public figure, the
API and the console."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import render_template

from backend import config
from backend.audit.models import AuditEvent
from backend.cocreation import impact
from backend.cocreation.models import Change, ChangeUpdate, ImpactAsk
from backend.context import SYSTEM
from backend.errors import Conflict
from backend.events.models import OutboxEvent
from backend.lessons.models import DueDateChange, ImprovementAction, Lesson
from backend.surveys import answers, invitations
from backend.surveys import services as surveys
from backend.surveys.invitations import invitation_token
from backend.surveys.models import SurveyInvitation
from backend.timeutil import local_date, utcnow
from portal.cocreation.impact import change_page_part
from tests import factories

NOW = utcnow()


def implemented(weeks_ago: float = 7, **values: Any) -> Any:
    return factories.make_change(
        status="implemented", percent=100, implemented_at=NOW - dt.timedelta(weeks=weeks_ago), **values
    )


def with_settings(**overrides: Any) -> None:
    config.set_current(config.current().with_overrides(**overrides))


def asked(change: Any, user: Any = None) -> SurveyInvitation:
    """One resident asked about the change, their invitation sent (the cap does not apply to new people)."""
    ask = impact.ask_about_change(change, (user or factories.make_user("resident")).id, NOW)
    assert ask is not None
    invitation = SurveyInvitation.get_by_id(ask.invitation_id)
    assert invitations.send_invitation(invitation, NOW)
    return SurveyInvitation.get_by_id(invitation.id)


def answer(invitation: SurveyInvitation, value: str) -> None:
    first = impact.questions_of_impact_survey()[0]
    answers.record_answers(SurveyInvitation.get_by_id(invitation.id), {first.id: value}, "en", final=True)


def counts(change: Any) -> tuple[int, int, int, int]:
    row = Change.get_by_id(change.id)
    return row.impact_yes, row.impact_partly, row.impact_no, row.impact_dont_know


# --- The figure ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [((1, 1, 1, 1), (None, 4)), ((0, 0, 0, 0), (None, 0)), ((13, 0, 3, 2), (72, 18)), ((2, 1, 1, 1), (60, 5))],
)
def test_impact_figure_gives_no_share_below_five_answers(given, expected) -> None:
    assert impact.impact_figure(*given) == expected


# --- Who is asked, and when ----------------------------------------------------------------------------------------


def test_sweep_impact_before_the_weeks_have_passed_asks_nobody() -> None:
    change = implemented(weeks_ago=5)
    factories.make_change_follow(change)
    assert impact.sweep_impact(NOW) == 0
    assert ImpactAsk.select().count() == 0


def test_sweep_impact_asks_linked_residents_and_followers_who_pressed_follow_once() -> None:
    change = implemented()
    resident = factories.make_user("resident")
    factories.make_change_contact(change, factories.make_contact(resident))
    follower = factories.make_change_follow(change).user_id
    factories.make_change_follow(change, source="voter")
    stopped = factories.make_user("resident")
    factories.make_change_contact(change, factories.make_contact(stopped))
    factories.make_change_follow(change, stopped, following=False)

    assert impact.sweep_impact(NOW) == 2
    assert impact.sweep_impact(NOW) == 0
    asks = list(ImpactAsk.select().order_by(ImpactAsk.user))
    assert [ask.user_id for ask in asks] == sorted([resident.id, follower])
    invitation = SurveyInvitation.get_by_id(asks[0].invitation_id)
    assert invitation.status == "pending" and invitation.survey.system == "impact"


def test_sweep_impact_ignores_changes_not_public_or_not_implemented() -> None:
    hidden = implemented(published_at=None)
    factories.make_change_follow(hidden)
    planned = factories.make_change(status="in_progress")
    factories.make_change_follow(planned)
    assert impact.sweep_impact(NOW) == 0


def test_impact_survey_is_made_once_with_its_first_question() -> None:
    survey = impact.impact_survey()
    assert impact.impact_survey().id == survey.id
    first, second = impact.questions_of_impact_survey()
    assert (first.kind, first.required, first.text["en"]) == (
        "yes_partly_no",
        True,
        "Did this change make a difference for you?",
    )
    assert (second.kind, second.required) == ("text", False)


def test_remove_first_question_of_the_impact_survey_is_refused() -> None:
    survey = impact.impact_survey()
    survey.status = "draft"
    survey.save()
    with pytest.raises(Conflict) as refused:
        surveys.remove_question(SYSTEM, impact.questions_of_impact_survey()[0].id)
    assert refused.value.code == "system_question"


# --- The per-person cap --------------------------------------------------------------------------------------------


def test_send_due_invitations_skips_someone_asked_too_recently_and_audits_it() -> None:
    with_settings(survey_cap_days=30)
    change = implemented()
    resident = factories.make_user("resident")
    earlier = factories.make_survey_invitation(user=resident)
    SurveyInvitation.update(sent_at=NOW - dt.timedelta(days=3)).where(SurveyInvitation.id == earlier.id).execute()
    factories.make_change_follow(change, resident)
    impact.sweep_impact(NOW)

    assert invitations.send_due_invitations(NOW) == 0
    ask = ImpactAsk.get()
    assert SurveyInvitation.get_by_id(ask.invitation_id).status == "skipped"
    assert ask.skipped is True
    audit = AuditEvent.get(AuditEvent.action == "survey_invitation.skipped")
    assert audit.entity_id == str(ask.invitation_id) or int(audit.entity_id) == ask.invitation_id
    assert not OutboxEvent.select().where(OutboxEvent.name == "survey.invitation_due").exists()


@pytest.mark.parametrize(("cap", "days_ago"), [(0, 3), (30, 31)])
def test_send_due_invitations_sends_when_the_cap_is_off_or_passed(cap, days_ago) -> None:
    with_settings(survey_cap_days=cap)
    resident = factories.make_user("resident")
    earlier = factories.make_survey_invitation(user=resident)
    SurveyInvitation.update(sent_at=NOW - dt.timedelta(days=days_ago)).where(
        SurveyInvitation.id == earlier.id
    ).execute()
    factories.make_change_follow(implemented(), resident)
    impact.sweep_impact(NOW)
    assert invitations.send_due_invitations(NOW) == 1
    assert SurveyInvitation.get_by_id(ImpactAsk.get().invitation_id).status == "sent"


def test_skipped_invitation_link_does_not_open(client) -> None:
    invitation = factories.make_survey_invitation(status="skipped")
    factories.make_survey_question(invitation.survey)
    assert client.get(f"/s/{invitation_token(invitation)}").status_code == 400


# --- Answers: chosen on opening, counted on sending ----------------------------------------------------------------


def test_one_click_link_preselects_and_records_nothing(client) -> None:
    change = implemented()
    invitation = asked(change)
    page = client.get(f"/s/{invitation_token(invitation)}?a=partly")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'checked id="q_' in html and "It is not recorded yet" in html
    assert "Repairs appointments now come with a reminder text" in html
    assert counts(change) == (0, 0, 0, 0)
    assert ImpactAsk.get().answer is None
    assert SurveyInvitation.get_by_id(invitation.id).status == "sent"


def test_send_records_the_answer_once(browser) -> None:
    change = implemented()
    invitation = asked(change)
    first, second = impact.questions_of_impact_survey()
    url = f"/s/{invitation_token(invitation)}"
    browser.client.get(f"{url}?a=yes")
    form = {"shown": f"{first.id} {second.id}", f"q_{first.id}": "yes", f"q_{second.id}": "The texts arrive."}
    assert "Thank you for your answers" in browser.submit(url, form).get_data(as_text=True)
    browser.submit(url, form)
    assert counts(change) == (1, 0, 0, 0)
    ask = ImpactAsk.get()
    assert (ask.answer, ask.answered_at is not None) == ("yes", True)


def test_changing_the_answer_moves_the_count() -> None:
    change = implemented()
    invitation = asked(change)
    answer(invitation, "yes")
    answer(invitation, "no")
    assert counts(change) == (0, 0, 1, 0)
    assert ImpactAsk.get().answer == "no"


def test_answer_to_another_survey_counts_nothing_on_changes() -> None:
    change = implemented()
    survey = factories.make_survey(anonymous=False)
    question = factories.make_survey_question(survey, kind="yes_partly_no", text={"en": "Fixed?"})
    invitation = factories.make_survey_invitation(survey)
    answers.record_answers(invitation, {question.id: "yes"}, "en", final=True)
    assert counts(change) == (0, 0, 0, 0)


# --- What the answers decide ---------------------------------------------------------------------------------------


def test_enough_yes_or_partly_confirms_an_implemented_change() -> None:
    with_settings(impact_confirm_percent=60)
    change = implemented()
    for value in ("yes", "partly", "yes", "no", "dont_know"):
        answer(asked(change), value)
    row = Change.get_by_id(change.id)
    assert row.status == "confirmed" and row.confirmed_at is not None
    update = ChangeUpdate.get(ChangeUpdate.change == change.id)
    assert (update.kind, update.status, update.percent) == ("status", "confirmed", 100)
    moved = OutboxEvent.get(OutboxEvent.name == "cocreation.change_moved")
    assert moved.payload == {"change_id": change.id, "update_id": update.id}


@pytest.mark.parametrize("values", [("yes", "yes", "partly", "no"), ("yes", "yes", "dont_know", "dont_know", "no")])
def test_too_few_answers_or_too_few_yes_leave_the_change_implemented(values) -> None:
    with_settings(impact_confirm_percent=60, impact_not_fixed_percent=40)
    change = implemented()
    for value in values:
        answer(asked(change), value)
    row = Change.get_by_id(change.id)
    assert row.status == "implemented" and row.not_fixed_at is None
    assert not ChangeUpdate.select().exists()


def test_enough_no_marks_the_change_not_fixed_and_reopens_its_actions() -> None:
    with_settings(impact_not_fixed_percent=40)
    change = implemented()
    owner = factories.make_staff()
    lesson = factories.make_lesson(status="measuring_impact")
    signed = factories.make_improvement_action(
        lesson, owner=owner.id, status="signed_off", due_on=local_date() - dt.timedelta(days=5)
    )
    started = factories.make_improvement_action(lesson, owner=owner.id, status="in_progress", due_on=local_date())
    proposed = factories.make_improvement_action(lesson, owner=owner.id, status="proposed")
    for action in (signed, started, proposed):
        factories.make_change_action(change, action)

    for value in ("no", "no", "yes", "partly", "dont_know"):
        answer(asked(change), value)

    assert Change.get_by_id(change.id).not_fixed_at is not None
    reopened = ImprovementAction.get_by_id(signed.id)
    note = "Residents said the change did not fix it: 2 of 5 answered no"
    assert (reopened.status, reopened.effect, reopened.effect_note) == ("in_progress", "not_addressed", note)
    assert reopened.due_on > local_date() and reopened.signed_off_at is None
    assert DueDateChange.get(DueDateChange.action == signed.id).reason == note
    noted = ImprovementAction.get_by_id(started.id)
    assert (noted.status, noted.effect) == ("in_progress", "not_addressed")
    assert ImprovementAction.get_by_id(proposed.id).effect is None
    assert Lesson.get_by_id(lesson.id).status == "in_progress"
    told = OutboxEvent.select().where(OutboxEvent.name == "lessons.action_not_fixed")
    assert sorted(event.payload["action_id"] for event in told) == sorted([signed.id, started.id])
    assert {event.payload["recipient_id"] for event in told} == {owner.id}
    assert AuditEvent.select().where(AuditEvent.action == "improvement_action.reopened_by_residents").count() == 1


def test_not_fixed_happens_once() -> None:
    with_settings(impact_not_fixed_percent=40)
    change = implemented()
    factories.make_change_action(
        change, factories.make_improvement_action(status="in_progress", owner=factories.make_staff().id)
    )
    for value in ("no", "no", "no", "yes", "yes", "no"):
        answer(asked(change), value)
    assert impact.evaluate_change(change.id) == []
    assert OutboxEvent.select().where(OutboxEvent.name == "lessons.action_not_fixed").count() == 1


def test_residents_not_addressed_leaves_proposed_and_cancelled_actions_alone() -> None:
    from backend.lessons.actions import record_residents_not_addressed

    for status in ("proposed", "cancelled"):
        action = factories.make_improvement_action(status=status)
        assert record_residents_not_addressed(action.id, "No.", local_date()) is None
    assert SYSTEM.user_id is None


# --- The public figure, the API and the console --------------------------------------------------------------------


def render_part(app: Any, change: dict[str, Any]) -> str:
    with app.test_request_context("/"):
        return render_template("cocreation/changes/_impact.html", impact=change_page_part(change))


def test_change_page_part_below_five_answers_shows_no_percentage(app) -> None:
    change = {"status": "implemented", "implementedAt": "2026-03-02T10:00:00", "reference": "CH-2026-01"}
    change.update(impactYes=2, impactPartly=1, impactNo=1, impactDontKnow=0)
    html = render_part(app, change)
    assert "Implemented by the landlord" in html and "March" in html and "2026" in html
    assert "Too few answers yet" in html and "%" not in html


def test_change_page_part_shows_the_share_of_those_who_answered(app) -> None:
    change = {"status": "confirmed", "implementedAt": "2026-03-02T10:00:00", "confirmedAt": "2026-05-01T09:00:00"}
    change.update(impactYes=10, impactPartly=3, impactNo=3, impactDontKnow=2)
    html = render_part(app, change)
    assert "72% said yes or partly (of 18 who answered)" in html
    assert "Confirmed by residents" in html


def test_change_page_part_reads_missing_counts_from_the_change(app) -> None:
    change = implemented(impact_yes=4, impact_partly=1)
    part = change_page_part({"reference": change.reference, "status": "implemented"})
    assert (part["share"], part["answered"]) == (100, 5)


CHANGE_IMPACT = (
    "query ($ref: String!) { changeImpact(reference: $ref) { reference answered share confirmed notFixed } }"
)


def test_change_impact_query_is_open_to_everyone(browser) -> None:
    change = implemented(impact_yes=3, impact_partly=1, impact_no=1)
    hidden = implemented(published_at=None, impact_yes=9)
    body = browser.graphql(CHANGE_IMPACT, {"ref": change.reference}).get_json()
    assert body["data"]["changeImpact"] == {
        "reference": change.reference,
        "answered": 5,
        "share": 80,
        "confirmed": False,
        "notFixed": False,
    }
    assert browser.graphql(CHANGE_IMPACT, {"ref": hidden.reference}).get_json()["data"]["changeImpact"] is None


def test_change_impacts_list_is_staff_only(browser, signed_in) -> None:
    query = "{ changeImpacts { reference asked } }"
    assert "errors" in browser.graphql(query).get_json()
    signed_in("staff")
    change = implemented()
    asked(change)
    rows = browser.graphql(query).get_json()["data"]["changeImpacts"]
    assert {"reference": change.reference, "asked": 1} in rows


def test_console_impact_page_lists_changes_with_their_answers(browser, signed_in) -> None:
    signed_in("staff")
    change = implemented(impact_yes=1, not_fixed_at=NOW)
    page = browser.client.get("/console/co-creation/impact")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert change.reference in html and "Too few answers yet" in html and "its actions were reopened" in html


def test_console_survey_list_marks_the_impact_survey(browser, signed_in) -> None:
    signed_in("manager")
    impact.impact_survey()
    html = browser.client.get("/console/surveys").get_data(as_text=True)
    assert "impact survey</span>" in html
