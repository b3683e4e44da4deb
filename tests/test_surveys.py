"""Surveys: building, invitations from events, signed links, answers, redaction and results."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.accounts.models import User
from backend.audit.models import AuditEvent
from backend.context import SYSTEM, Actor
from backend.errors import Conflict, Invalid, NotAllowed
from backend.events.models import OutboxEvent
from backend.surveys import answers, invitations, results, services
from backend.surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse
from backend.surveys.redaction import redact
from backend.timeutil import utcnow
from tests import factories


def staff() -> Actor:
    user = factories.make_user("staff")
    return Actor(user_id=user.id, roles=frozenset({"staff"}), label=f"user:{user.id}")


def test_create_survey_writes_an_audit_event() -> None:
    survey = services.create_survey(staff(), title={"en": "After your repair", "cy": "Ar ôl eich atgyweiriad"})
    assert survey.status == "draft"
    assert AuditEvent.get(AuditEvent.action == "survey.created").entity_id == str(survey.id)


def test_create_survey_by_resident_is_refused() -> None:
    resident = factories.make_user()
    with pytest.raises(NotAllowed):
        services.create_survey(Actor(user_id=resident.id, roles=frozenset({"resident"})), title={"en": "X"})


@pytest.mark.parametrize(
    ("title", "code"),
    [({}, "english_required"), ({"cy": "Dim Saesneg"}, "english_required"), ({"en": "x", "xx": "y"}, "unsupported")],
)
def test_create_survey_with_bad_title_is_invalid(title: dict[str, str], code: str) -> None:
    with pytest.raises(Invalid) as raised:
        services.create_survey(staff(), title=title)
    assert raised.value.code == code


def test_add_question_with_condition_on_earlier_rating() -> None:
    actor = staff()
    survey = services.create_survey(actor, title={"en": "S"})
    first = services.add_question(actor, survey.id, "rating", {"en": "How was it?"}, required=True)
    second = services.add_question(
        actor, survey.id, "text", {"en": "What went wrong?"}, condition={"question": first.id, "lte": 2}
    )
    assert second.condition == {"question": first.id, "lte": 2}
    assert second.position > first.position


def test_add_question_with_condition_on_unknown_value_is_invalid() -> None:
    actor = staff()
    survey = services.create_survey(actor, title={"en": "S"})
    first = services.add_question(actor, survey.id, "yes_partly_no", {"en": "Fixed?"})
    with pytest.raises(Invalid) as raised:
        services.add_question(
            actor, survey.id, "text", {"en": "Why?"}, condition={"question": first.id, "in": ["nope"]}
        )
    assert raised.value.field == "condition"


def test_add_choice_question_needs_two_options() -> None:
    actor = staff()
    survey = services.create_survey(actor, title={"en": "S"})
    with pytest.raises(Invalid) as raised:
        services.add_question(actor, survey.id, "single", {"en": "Pick"}, options=[{"label": {"en": "Only"}}])
    assert raised.value.field == "options"


def test_add_question_to_live_survey_is_a_conflict() -> None:
    survey = factories.make_survey(status="live")
    with pytest.raises(Conflict):
        services.add_question(staff(), survey.id, "rating", {"en": "Late"})


def test_publish_survey_without_questions_is_a_conflict() -> None:
    actor = staff()
    survey = services.create_survey(actor, title={"en": "S"})
    with pytest.raises(Conflict) as raised:
        services.publish_survey(actor, survey.id)
    assert raised.value.code == "survey_has_no_questions"


def test_move_question_swaps_positions_and_keeps_conditions_after_their_question() -> None:
    actor = staff()
    survey = services.create_survey(actor, title={"en": "S"})
    first = services.add_question(actor, survey.id, "rating", {"en": "One"})
    second = services.add_question(actor, survey.id, "text", {"en": "Two"}, condition={"question": first.id, "lte": 2})
    third = services.add_question(actor, survey.id, "text", {"en": "Three"})
    with pytest.raises(Conflict):
        services.move_question(actor, second.id, -1)
    services.move_question(actor, third.id, -1)
    assert [q.id for q in services.questions_of(survey)] == [first.id, third.id, second.id]


def complaint_closed(user_id: int, **extra: object) -> OutboxEvent:
    return factories.make_outbox_event("complaint.closed", user_id=user_id, **extra)


def test_invite_for_event_creates_one_invitation_due_after_the_delay() -> None:
    survey = factories.make_survey()
    rule = factories.make_survey_rule(survey, days=2)
    rule.delay_unit = "weeks"
    rule.save()
    resident = factories.make_user()
    event = complaint_closed(resident.id)
    created = invitations.invite_for_event(event.id)
    assert len(created) == 1
    assert created[0].user_id == resident.id
    assert created[0].due_at == event.created_at + dt.timedelta(weeks=2)
    assert invitations.invite_for_event(event.id) == []
    assert SurveyInvitation.select().count() == 1


def test_invite_for_event_reads_resident_id() -> None:
    factories.make_survey_rule(factories.make_survey(), event_name="change.implemented")
    resident = factories.make_user()
    event = factories.make_outbox_event("change.implemented", resident_id=resident.id)
    assert [i.user_id for i in invitations.invite_for_event(event.id)] == [resident.id]


def test_invite_for_event_ignores_draft_surveys_and_other_events() -> None:
    factories.make_survey_rule(factories.make_survey(status="draft"))
    factories.make_survey_rule(factories.make_survey(), event_name="change.implemented")
    assert invitations.invite_for_event(complaint_closed(factories.make_user().id).id) == []


def test_invite_for_new_events_sees_each_event_once() -> None:
    rule = services.add_rule(SYSTEM, factories.make_survey().id, "complaint.closed", 0)
    complaint_closed(factories.make_user().id)
    complaint_closed(factories.make_user().id)
    assert invitations.invite_for_new_events() == 2
    assert invitations.invite_for_new_events() == 0
    rule = type(rule).get_by_id(rule.id)
    assert rule.last_event_id == OutboxEvent.select().order_by(OutboxEvent.id.desc()).first().id


def test_add_rule_with_unknown_unit_is_invalid() -> None:
    with pytest.raises(Invalid) as raised:
        services.add_rule(staff(), factories.make_survey().id, "complaint.closed", 3, "fortnights")
    assert raised.value.field == "delay_unit"


def test_send_due_invitations_records_invitation_due_once() -> None:
    invitation = factories.make_survey_invitation(status="pending")
    later = factories.make_survey_invitation(status="pending")
    SurveyInvitation.update(due_at=utcnow() + dt.timedelta(days=3)).where(SurveyInvitation.id == later.id).execute()
    assert invitations.send_due_invitations() == 1
    assert invitations.send_due_invitations() == 0
    sent = type(invitation).get_by_id(invitation.id)
    assert sent.status == "sent" and sent.expires_at > sent.sent_at
    events = OutboxEvent.select().where(OutboxEvent.name == "survey.invitation_due")
    assert [e.payload for e in events] == [{"invitation_id": invitation.id, "user_id": invitation.user_id}]


def test_send_reminders_reminds_once_after_the_delay() -> None:
    survey = factories.make_survey(reminder_days=7)
    invitation = factories.make_survey_invitation(survey)
    assert invitations.send_reminders() == 0
    week_later = utcnow() + dt.timedelta(days=8)
    assert invitations.send_reminders(week_later) == 1
    assert invitations.send_reminders(week_later) == 0
    events = OutboxEvent.select().where(OutboxEvent.name == "survey.reminder_due")
    assert [e.payload for e in events] == [{"invitation_id": invitation.id, "user_id": invitation.user_id}]


def test_answered_invitation_gets_no_reminder() -> None:
    invitation = factories.make_survey_invitation(factories.make_survey(reminder_days=1))
    SurveyInvitation.update(status="answered").where(SurveyInvitation.id == invitation.id).execute()
    assert invitations.send_reminders(utcnow() + dt.timedelta(days=2)) == 0


def test_expire_invitations_marks_unanswered_ones_expired() -> None:
    invitation = factories.make_survey_invitation(expires_in_days=1)
    assert invitations.expire_invitations(utcnow() + dt.timedelta(days=2)) == 1
    assert type(invitation).get_by_id(invitation.id).status == "expired"


def test_open_invitation_with_tampered_token_is_invalid() -> None:
    token = invitations.invitation_token(factories.make_survey_invitation())
    with pytest.raises(Invalid) as raised:
        invitations.open_invitation(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert raised.value.code == "invalid"


def test_open_invitation_after_expiry_is_expired() -> None:
    invitation = factories.make_survey_invitation(expires_in_days=1)
    with pytest.raises(Invalid) as raised:
        invitations.open_invitation(invitations.invitation_token(invitation), utcnow() + dt.timedelta(days=2))
    assert raised.value.code == "expired"


def test_open_invitation_of_closed_survey_is_a_conflict() -> None:
    invitation = factories.make_survey_invitation(factories.make_survey(status="closed"))
    with pytest.raises(Conflict):
        invitations.open_invitation(invitations.invitation_token(invitation))


def test_record_answers_twice_updates_rather_than_duplicates() -> None:
    survey = factories.make_survey()
    question = factories.make_survey_question(survey)
    invitation = factories.make_survey_invitation(survey)
    answers.record_answers(invitation, {question.id: "2"}, "en")
    answers.record_answers(invitation, {question.id: "5"}, "cy")
    assert SurveyResponse.select().count() == 1
    answer = SurveyAnswer.get()
    assert (answer.value, answer.number) == ("5", 5)
    assert SurveyResponse.get().locale == "cy"
    assert type(invitation).get_by_id(invitation.id).status == "answered"


def test_anonymous_response_stores_no_user_and_no_invitation() -> None:
    survey = factories.make_survey(anonymous=True)
    question = factories.make_survey_question(survey)
    invitation = factories.make_survey_invitation(survey)
    response = answers.record_answers(invitation, {question.id: "3"}, "en", "sms")
    assert response.user_id is None
    assert response.channel == "sms"
    assert "invitation" not in SurveyResponse._meta.fields
    assert len(response.invitation_key or "") == 64


def test_linked_response_stores_the_user() -> None:
    survey = factories.make_survey(anonymous=False)
    question = factories.make_survey_question(survey)
    invitation = factories.make_survey_invitation(survey)
    assert answers.record_answers(invitation, {question.id: "3"}, "en").user_id == invitation.user_id


@pytest.mark.parametrize(("kind", "raw"), [("rating", "6"), ("yes_partly_no", "maybe"), ("single", "other")])
def test_record_answers_with_unknown_value_is_invalid(kind: str, raw: str) -> None:
    survey = factories.make_survey()
    question = factories.make_survey_question(survey, kind=kind)
    with pytest.raises(Invalid) as raised:
        answers.record_answers(factories.make_survey_invitation(survey), {question.id: raw}, "en")
    assert raised.value.field == f"q_{question.id}"
    assert SurveyAnswer.select().count() == 0


def test_final_answers_need_required_visible_questions_only() -> None:
    survey = factories.make_survey()
    rating = factories.make_survey_question(survey, required=True)
    why = factories.make_survey_question(
        survey, kind="text", required=True, condition={"question": rating.id, "lte": 2}
    )
    invitation = factories.make_survey_invitation(survey)
    answers.record_answers(invitation, {rating.id: "5"}, "en", final=True)
    with pytest.raises(Invalid) as raised:
        answers.record_answers(invitation, {rating.id: "1"}, "en", final=True)
    assert raised.value.field == f"q_{why.id}"


def test_final_answers_drop_answers_to_questions_now_hidden() -> None:
    survey = factories.make_survey()
    rating = factories.make_survey_question(survey)
    why = factories.make_survey_question(survey, kind="text", condition={"question": rating.id, "lte": 2})
    invitation = factories.make_survey_invitation(survey)
    answers.record_answers(invitation, {rating.id: "1", why.id: "Slow"}, "en")
    response = answers.record_answers(invitation, {rating.id: "5"}, "en", final=True)
    assert answers.saved_answers(response) == {rating.id: "5"}
    assert response.submitted_at is not None


def test_redact_removes_contact_details_numbers_and_names() -> None:
    text = "I'm Jane Smith (jane@example.org, 07700 900123) at LS1 1AA, tenancy 12345678."
    assert redact(text, ["Jane Smith"]) == "I'm [name] [name] ([email], [phone]) at [postcode], tenancy [number]."


def test_free_text_keeps_original_and_redacted_copy() -> None:
    survey = factories.make_survey()
    question = factories.make_survey_question(survey, kind="text")
    invitation = factories.make_survey_invitation(survey)
    User.update(display_name="Jane Smith").where(User.id == invitation.user_id).execute()
    invitation = type(invitation).get_by_id(invitation.id)
    answers.record_answers(invitation, {question.id: "Jane Smith here, call 07700 900123"}, "en")
    answer = SurveyAnswer.get()
    assert answer.text.startswith("Jane Smith")
    assert answer.text_redacted == "[name] [name] here, call [phone]"


def answer_as(survey, locale: str, channel: str, given: dict[int, object]) -> None:
    answers.record_answers(factories.make_survey_invitation(survey), given, locale, channel)


def test_survey_results_count_per_value_language_and_channel() -> None:
    survey = factories.make_survey(anonymous=False)
    rating = factories.make_survey_question(survey)
    fixed = factories.make_survey_question(survey, kind="yes_partly_no")
    topics = factories.make_survey_question(survey, kind="multiple")
    answer_as(survey, "en", "email", {rating.id: "5", fixed.id: "yes", topics.id: ["repairs", "noise"]})
    answer_as(survey, "en", "sms", {rating.id: "2", fixed.id: "no", topics.id: ["noise"]})
    answer_as(survey, "cy", "email", {rating.id: "2", fixed.id: "dont_know"})
    by_question = {r.question.id: r for r in results.survey_results(SYSTEM, survey.id)}

    rated = by_question[rating.id]
    assert rated.overall.counts == {"5": 1, "2": 2}
    assert rated.overall.mean == 3.0
    assert rated.by_locale["cy"].counts == {"2": 1}
    assert rated.by_channel["sms"].mean == 2.0
    assert by_question[fixed.id].overall.counts == {"yes": 1, "no": 1, "dont_know": 1}
    chosen = by_question[topics.id]
    assert chosen.overall.counts == {"repairs": 1, "noise": 2, "rent": 0}
    assert chosen.overall.total == 2
    assert chosen.by_channel["sms"].counts["noise"] == 1


def test_survey_results_show_redacted_text_to_staff_and_original_to_admins() -> None:
    survey = factories.make_survey(anonymous=False)
    question = factories.make_survey_question(survey, kind="text")
    answer_as(survey, "en", "email", {question.id: "Email me at a@example.org"})
    staff_view = results.survey_results(staff(), survey.id)[0].texts
    admin = Actor(user_id=None, roles=frozenset({"admin"}))
    assert staff_view == [{"text": "Email me at [email]", "locale": "en", "channel": "email"}]
    assert results.survey_results(admin, survey.id)[0].texts[0]["text"] == "Email me at a@example.org"


def test_survey_results_for_residents_are_refused() -> None:
    with pytest.raises(NotAllowed):
        results.survey_results(Actor(user_id=1, roles=frozenset({"resident"})), factories.make_survey().id)


def test_working_day_rule_follows_the_home_nation() -> None:
    import datetime as dt

    from backend.context import SYSTEM
    from backend.db import transaction
    from backend.events.services import record_event
    from backend.surveys import invitations
    from backend.surveys import services as surveys
    from backend.surveys.models import SurveyInvitation
    from tests import factories

    survey = surveys.create_survey(SYSTEM, title={"en": "How did we do?"})
    surveys.add_question(SYSTEM, survey.id, kind="rating", text={"en": "How satisfied are you?"})
    surveys.add_rule(SYSTEM, survey.id, "complaint.closed", 1, "work_days")
    surveys.publish_survey(SYSTEM, survey.id)
    scot = factories.make_user("resident", home=factories.make_home("scotland"))
    eng = factories.make_user("resident", home=factories.make_home("england"))
    for person in (scot, eng):
        with transaction():
            event = record_event("complaint.closed", {"user_id": person.id})
        from backend.events.models import OutboxEvent

        OutboxEvent.update(created_at=dt.datetime(2026, 1, 1, 10, 0)).where(OutboxEvent.id == event.id).execute()
        invitations.invite_for_event(event.id)
    due = {i.user_id: i.due_at for i in SurveyInvitation.select()}
    assert due[eng.id] == dt.datetime(2026, 1, 2, 10, 0)  # 2 January is a working day in England
    assert due[scot.id] == dt.datetime(2026, 1, 5, 10, 0)  # but a bank holiday in Scotland


INVISIBLE_ONLY = ["\u200b", "\u200b\u200d\ufeff", " \u2060 ", "\u200c"]


@pytest.mark.parametrize("blank", INVISIBLE_ONLY)
def test_record_answers_invisible_text_to_a_required_question_is_required(blank: str) -> None:
    survey = factories.make_survey()
    why = factories.make_survey_question(survey, kind="text", required=True)
    invitation = factories.make_survey_invitation(survey)
    with pytest.raises(Invalid) as raised:
        answers.record_answers(invitation, {why.id: blank}, "en", final=True)
    assert (raised.value.field, raised.value.code) == (f"q_{why.id}", "required")
    assert SurveyAnswer.select().count() == 0


@pytest.mark.parametrize("blank", INVISIBLE_ONLY)
def test_record_answers_invisible_text_stores_no_answer(blank: str) -> None:
    survey = factories.make_survey()
    why = factories.make_survey_question(survey, kind="text")
    invitation = factories.make_survey_invitation(survey)
    answers.record_answers(invitation, {why.id: "Slow"}, "en")
    answers.record_answers(invitation, {why.id: blank}, "en")
    assert SurveyAnswer.select().count() == 0
