"""Messages: templates staff edit, languages, preferences, channels, advocates, retries and dead letters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backend.accounts.tokens import actor_for_user
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed
from backend.events.models import Delivery, OutboxEvent
from backend.events.services import record_event
from backend.notifications import preferences, sending, services
from backend.notifications.models import Letter, MessageTemplate, PortalMessage
from backend.notifications.templates import check_template
from tests import factories
from tests.conftest import read_mail
from tests.test_notifications import Inbox, smtp_server  # noqa: F401 - the real SMTP fixture


def feedback_event(user, reference: str = "LL-1") -> OutboxEvent:
    with transaction():
        return record_event("feedback.received", {"user_id": user.id, "reference": reference})


@pytest.mark.parametrize(
    ("source", "code", "param"),
    [
        ("Hello {{ name }", "syntax", ("line", 1)),
        ("Line one\n\n{% if %}", "syntax", ("line", 3)),
        ("Hello {{ nmae }}", "unknown_placeholder", ("name", "nmae")),
        ("{{ name.__class__ }}", "not_allowed_in_wording", ("construct", ".")),
        ("Hi\n{% for a in name %}{% endfor %}", "not_allowed_in_wording", ("line", 2)),
        ("{% set x = name * 1000 %}{{ x }}", "not_allowed_in_wording", ("construct", "{% set %}")),
        ("{{ name * 1000 }}", "not_allowed_in_wording", ("construct", "*")),
        ("{{ range(10) }}", "not_allowed_in_wording", ("construct", "( )")),
        ("{{ name|center(100000) }}", "not_allowed_in_wording", ("construct", "|center")),
        ("{{ name|upper|default('x') }}{% if name %}!{% endif %}", None, None),
        ("Choose: {{ link }}", "system_link", ("name", "link")),
        ("Click [link] now", "link_mark", None),
        ("{{ " + "(" * 3000 + "name" + ")" * 3000 + " }}", "too_deep", ("maximum", 30)),
        ("{% if " + "not " * 4000 + "name %}x{% endif %}", "too_deep", ("maximum", 30)),
    ],
)
def test_check_template_refuses_bad_templates_with_where_and_what(source, code, param) -> None:
    if code is None:
        check_template("body", source, {"name"})
        return
    with pytest.raises(Invalid) as error:
        check_template("body", source, {"name", "reference"})
    assert error.value.code == code
    if param is not None:
        assert error.value.params[param[0]] == param[1]


def test_sandbox_refuses_unsafe_attribute_access() -> None:
    from backend.notifications.templates import render_source

    with pytest.raises(Invalid):
        render_source("{{ name.__class__.__mro__ }}", {"name": "x"})


def test_welsh_and_arabic_residents_get_the_acknowledgement_in_their_language(smtp_server: Inbox) -> None:  # noqa: F811
    welsh = factories.make_user("resident", locale="cy")
    arabic = factories.make_user("resident", locale="ar")
    feedback_event(welsh, "LL-CY-1")
    feedback_event(arabic, "LL-AR-1")
    by_recipient = {m["To"]: m for m in smtp_server.messages}
    cy, ar = by_recipient[welsh.email], by_recipient[arabic.email]
    assert "LL-CY-1" in cy["Subject"] and cy["Subject"] != "We have your feedback: LL-CY-1"
    assert '<html lang="cy" dir="ltr">' in cy.get_body(preferencelist=("html",)).get_content()
    assert (
        "LL-AR-1" in ar["Subject"]
        and '<html lang="ar" dir="rtl">' in ar.get_body(preferencelist=("html",)).get_content()
    )
    assert cy["List-Unsubscribe"]  # feedback updates can be turned off


def test_staff_template_is_used_and_other_languages_keep_their_own(mail_dir: Path) -> None:
    manager = factories.make_user("manager")
    services.save_template(
        actor_for_user(manager),
        "feedback.received",
        "email",
        "en",
        "Got it: {{ reference }}",
        "Dear {{ name }}, thanks. Ref {{ reference }}.",
    )
    english, welsh = factories.make_user("resident", locale="en"), factories.make_user("resident", locale="cy")
    feedback_event(english, "LL-9")
    feedback_event(welsh, "LL-10")
    by_recipient = {m["To"]: m for m in read_mail(mail_dir)}
    assert by_recipient[english.email]["Subject"] == "Got it: LL-9"
    assert "LL-10" in by_recipient[welsh.email]["Subject"] and "Got it" not in by_recipient[welsh.email]["Subject"]
    from backend.notifications.reviews import pending_reviews

    assert ("feedback.received", "email", "cy") in {(s.event, s.channel, s.locale) for s in pending_reviews()}


def test_saving_a_template_with_an_unknown_placeholder_is_refused() -> None:
    manager = factories.make_user("manager")
    with pytest.raises(Invalid) as error:
        services.save_template(actor_for_user(manager), "feedback.received", "email", "en", "Hi", "{{ secret }}")
    assert (error.value.field, error.value.code) == ("body", "unknown_placeholder")


@pytest.mark.parametrize("channel", ["email", "letter", "portal"])
def test_saving_wording_with_an_empty_subject_is_refused(channel: str) -> None:
    manager = factories.make_user("manager")
    with pytest.raises(Invalid) as error:
        services.save_template(actor_for_user(manager), "feedback.received", channel, "en", " ", "Thanks.")
    assert [(p.field, p.code) for p in error.value.problems] == [("subject", "required")]
    assert not MessageTemplate.select().exists()


def test_saving_a_text_message_needs_no_subject() -> None:
    manager = factories.make_user("manager")
    services.save_template(actor_for_user(manager), "feedback.received", "sms", "en", "", "Thanks.")
    assert MessageTemplate.get().body == "Thanks."


def test_saving_wording_lists_the_subjects_and_the_bodys_problems_together() -> None:
    manager = factories.make_user("manager")
    with pytest.raises(Invalid) as error:
        services.save_template(actor_for_user(manager), "feedback.received", "email", "en", "{{ nmae }}", "{{ x }")
    assert [(p.field, p.code) for p in error.value.problems] == [
        ("subject", "unknown_placeholder"),
        ("body", "syntax"),
    ]


SAVE = """mutation($input: MessageTemplateSaveInput!) { messageTemplateSave(input: $input) {
  __typename ... on ValidationError { field code problems { field code } } } }"""


def test_api_refuses_email_wording_with_an_empty_subject(browser, signed_in) -> None:
    signed_in("manager")
    wording = {"event": "feedback.received", "channel": "email", "locale": "en", "subject": "", "body": "Thanks."}
    outcome = browser.graphql(SAVE, {"input": wording}).get_json()["data"]["messageTemplateSave"]
    assert (outcome["__typename"], outcome["field"], outcome["code"]) == ("ValidationError", "subject", "required")
    assert not MessageTemplate.select().exists()


def test_only_managers_and_admins_edit_templates() -> None:
    with pytest.raises(NotAllowed):
        services.save_template(
            actor_for_user(factories.make_user("staff")), "feedback.received", "email", "en", "Hi", "Hello"
        )


def test_turned_off_topic_is_skipped_but_statutory_messages_still_go(mail_dir: Path) -> None:
    resident = factories.make_user("resident")
    preferences.set_frequency(actor_for_user(resident), resident.id, "feedback", "off")
    feedback_event(resident)
    assert Delivery.get(Delivery.recipient_user_id == resident.id).status == "skipped"
    with pytest.raises(Conflict):
        preferences.set_frequency(actor_for_user(resident), resident.id, "complaints", "off")
    from backend.accounts import auth

    auth.request_password_reset(resident.email)  # a security notice is never skipped
    assert len(read_mail(mail_dir)) == 1


def test_unsubscribe_link_turns_the_topic_off(browser) -> None:
    resident = factories.make_user("resident")
    token = preferences.unsubscribe_token(resident.id, "feedback")
    page = browser.client.get(f"/unsubscribe?token={token}")
    assert page.status_code == 200 and "Stop these messages" in page.get_data(as_text=True)
    assert preferences.frequency_for(resident.id, "feedback") == "immediate"  # a link checker's GET changes nothing
    done = browser.client.post("/unsubscribe", data={"token": token})  # also how one-click unsubscribe arrives
    assert done.status_code == 200 and preferences.frequency_for(resident.id, "feedback") == "off"
    tampered = browser.client.post("/unsubscribe", data={"token": token[:-2] + "xx"})
    assert tampered.status_code == 400


def test_statutory_topic_link_explains_it_cannot_be_stopped(browser) -> None:
    resident = factories.make_user("resident")
    token = preferences.unsubscribe_token(resident.id, "complaints")
    page = browser.client.post("/unsubscribe", data={"token": token}).get_data(as_text=True)
    assert "We have to keep sending you messages" in page
    assert preferences.frequency_for(resident.id, "complaints") == "immediate"


def test_resident_sets_frequencies_and_reads_the_inbox(signed_in, browser) -> None:
    user = signed_in("resident")
    user.contact_channel = "portal"
    user.save()
    response = browser.submit(
        "/account/notifications", {"topic-changes": "weekly", "topic-surveys": "off", "topic-complaints": "off"}
    )
    assert response.status_code == 302
    assert preferences.frequency_for(user.id, "changes") == "weekly"
    assert preferences.frequency_for(user.id, "complaints") == "immediate"
    feedback_event(user, "LL-77")
    inbox = browser.client.get("/messages").get_data(as_text=True)
    assert "LL-77" in inbox


def test_console_template_edit_previews_refuses_errors_and_saves(signed_in, browser) -> None:
    signed_in("manager")
    path = "/console/templates/feedback.received/email/cy"
    page = browser.client.get(path)
    assert page.status_code == 200 and "{{ reference }}" in page.get_data(as_text=True)
    bad = browser.submit(path, {"subject": "Ref {{ reference }}", "body": "Helo {{ name }\n", "action": "save"})
    assert bad.status_code == 400 and "line 1" in bad.get_data(as_text=True)
    unknown = browser.submit(path, {"subject": "x", "body": "{{ password }}", "action": "save"})
    assert unknown.status_code == 400 and "password" in unknown.get_data(as_text=True)
    saved = browser.submit(path, {"subject": "Cyf {{ reference }}", "body": "Diolch {{ name }}.", "action": "save"})
    assert saved.status_code == 302
    preview = browser.submit(
        path, {"subject": "Cyf {{ reference }}", "body": "Diolch {{ name }}.", "action": "preview"}
    ).get_data(as_text=True)
    assert "Diolch Sam Okafor." in preview and "Cyf LL-2026-00042" in preview


def test_staff_preview_but_cannot_save_wording(signed_in, browser) -> None:
    signed_in("staff")
    page = browser.client.get("/console/templates/feedback.received/email/en").get_data(as_text=True)
    assert "Preview" in page and 'value="save"' not in page
    assert browser.client.get("/console/templates").status_code == 200


def test_console_template_edit_shows_every_problem_each_with_its_field(signed_in, browser) -> None:
    signed_in("manager")
    path = "/console/templates/feedback.received/email/en"
    response = browser.submit(path, {"subject": "Ref {{ nmae }}", "body": "Helo {{ name }\n", "action": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="error-summary"' in page
    assert re.search(r'<a href="#subject">[^<]*nmae', page) and re.search(r'<a href="#body">[^<]*line 1', page)
    hidden = '<span class="visually-hidden">Error:</span>'
    assert f'id="subject-error">{hidden}' in page and f'id="body-error">{hidden}' in page


def test_console_template_edit_refuses_an_empty_subject(signed_in, browser) -> None:
    signed_in("manager")
    path = "/console/templates/feedback.received/email/en"
    response = browser.submit(path, {"subject": " ", "body": "Thanks {{ name }}.", "action": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and '<a href="#subject">Give the message a subject.' in page
    assert not MessageTemplate.select().exists()


def test_delivery_log_shows_dead_letters_with_a_retry_button(signed_in, browser, monkeypatch) -> None:
    signed_in("staff")
    resident = factories.make_user("resident")
    feedback_event(resident, "LL-DEAD")
    Delivery.update(status="dead", attempts=5, last_error="OSError").execute()
    page = browser.client.get("/console/deliveries?status=dead").get_data(as_text=True)
    assert "LL-DEAD" in page and "Send again" in page
    delivery = Delivery.get(Delivery.recipient_user_id == resident.id)
    response = browser.submit(f"/console/deliveries/{delivery.id}/retry", {}, page="/console/deliveries")
    assert response.status_code == 302
    assert Delivery.get_by_id(delivery.id).status == "sent"


def test_letters_queue_and_mark_posted(signed_in, browser) -> None:
    signed_in("staff")
    resident = factories.make_user("resident", home=factories.make_home())
    resident.contact_channel = "post"
    resident.save()
    feedback_event(resident, "LL-POST")
    page = browser.client.get("/console/letters").get_data(as_text=True)
    assert "LL-POST" in page and "Mark as posted" in page
    letter = Letter.get(Letter.user == resident)
    browser.submit(f"/console/letters/{letter.id}/posted", {}, page="/console/letters")
    assert Letter.get_by_id(letter.id).status == "posted"


def test_digest_preference_holds_the_message(mail_dir: Path) -> None:
    resident = factories.make_user("resident")
    preferences.set_frequency(actor_for_user(resident), resident.id, "feedback", "weekly")
    feedback_event(resident)
    assert Delivery.get(Delivery.recipient_user_id == resident.id).status == "held"
    assert read_mail(mail_dir) == []


@pytest.mark.parametrize(("contact", "expected"), [("sms", "sms"), ("post", "letter"), ("portal", "portal")])
def test_message_goes_by_the_chosen_channel(contact, expected, settings, tmp_path, monkeypatch) -> None:
    from backend import config

    monkeypatch.setattr(config, "_current", config.current().with_overrides(sms_url=f"file:{tmp_path}"))
    resident = factories.make_user("resident", home=factories.make_home(), phone="07700 900123", phone_verified=True)
    resident.contact_channel = contact
    resident.save()
    feedback_event(resident)
    delivery = Delivery.get(Delivery.recipient_user_id == resident.id)
    assert (delivery.channel, delivery.status) == (expected, "sent")
    if expected == "sms":
        assert "07700 900123" in next(tmp_path.glob("*.txt")).read_text()
    if expected == "letter":
        assert Letter.get(Letter.user == resident).status == "queued"
    if expected == "portal":
        assert PortalMessage.get(PortalMessage.user == resident).subject


def test_advocate_with_consent_receives_a_copy(mail_dir: Path) -> None:
    resident, advocate = factories.make_user("resident"), factories.make_user("advocate")
    factories.make_representation(advocate, resident)
    feedback_event(resident)
    recipients = sorted(m["To"] for m in read_mail(mail_dir))
    assert recipients == sorted([resident.email, advocate.email])
    copy = Delivery.get(Delivery.recipient_user_id == advocate.id)
    assert copy.copy_for_user_id == resident.id and resident.display_name in copy.body


def test_bounced_email_marks_the_channel_failing_and_uses_the_next(monkeypatch) -> None:
    import smtplib

    def refuse(settings, message):
        raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"no such user")})

    monkeypatch.setattr("backend.notifications.sending.send_message", refuse)
    resident = factories.make_user("resident")
    feedback_event(resident)
    statuses = {d.channel: d.status for d in Delivery.select().where(Delivery.recipient_user_id == resident.id)}
    assert statuses == {"email": "bounced", "portal": "sent"}
    assert "email" in preferences.failing_channels(resident.id)


def test_failing_delivery_backs_off_then_is_dead_lettered_and_can_be_retried(monkeypatch) -> None:
    import datetime as dt

    def outage(settings, message):
        raise OSError("connection refused")

    monkeypatch.setattr("backend.notifications.sending.send_message", outage)
    resident = factories.make_user("resident")
    feedback_event(resident)
    delivery = Delivery.get(Delivery.recipient_user_id == resident.id)
    waits = []
    for _ in range(sending.MAX_ATTEMPTS - 1):
        delivery = Delivery.get_by_id(delivery.id)
        waits.append((delivery.next_attempt_at - delivery.created_at).total_seconds())
        Delivery.update(next_attempt_at=delivery.created_at - dt.timedelta(seconds=1)).where(
            Delivery.id == delivery.id
        ).execute()
        sending.send_delivery(delivery.id)
    assert waits == sorted(waits) and waits[-1] > waits[0]  # exponential backoff
    assert Delivery.get_by_id(delivery.id).status == "dead"
    staff = factories.make_user("staff")
    monkeypatch.undo()
    services.retry_delivery(actor_for_user(staff), delivery.id)
    sending.send_delivery(delivery.id)
    assert Delivery.get_by_id(delivery.id).status == "sent"
    with pytest.raises(NotAllowed):
        services.retry_delivery(actor_for_user(resident), delivery.id)


def test_where_you_are_block_dates_follow_the_language() -> None:
    import datetime as dt

    from backend.notifications.templates import where_you_are

    english = where_you_are("en", "stage 1", "we are looking into it", dt.date(2026, 12, 4))
    welsh = where_you_are("cy", "cam 1", "rydym yn edrych arno", dt.date(2026, 12, 4))
    assert "4 December 2026" in english and "stage 1" in english
    assert "Rhagfyr" in welsh and "December" not in welsh


def test_survey_invitation_email_offers_one_click_answers(mail_dir: Path, browser) -> None:
    import re

    from backend.context import SYSTEM
    from backend.surveys import invitations
    from backend.surveys import services as surveys
    from backend.surveys.models import SurveyInvitation

    survey = surveys.create_survey(SYSTEM, title={"en": "How did we do?"}, anonymous=False)
    surveys.add_question(SYSTEM, survey.id, kind="yes_partly_no", text={"en": "Did we put it right?"}, required=True)
    surveys.add_rule(SYSTEM, survey.id, "complaint.closed", 0, "days")
    surveys.publish_survey(SYSTEM, survey.id)
    resident = factories.make_user("resident")
    with transaction():
        event = record_event("complaint.closed", {"user_id": resident.id})
    invitations.invite_for_event(event.id)
    invitations.send_due_invitations()
    (message,) = [m for m in read_mail(mail_dir) if m["To"] == resident.email]
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Did we put it right?" in html
    links = re.findall(r'<a href="([^"]+\?a=(\w+))">(\w+)</a>', html)
    assert {(value, label) for _url, value, label in links} >= {("yes", "Yes"), ("partly", "Partly"), ("no", "No")}
    partly = [url for url, value, _label in links if value == "partly"][0].replace("&amp;", "&")
    path = partly.replace("http://learnloop.test", "")
    page = browser.client.get(path)
    assert page.status_code == 200
    assert re.search(r'checked id="q_\d+-1"', page.get_data(as_text=True))  # "partly", chosen and not recorded
    assert SurveyInvitation.get(SurveyInvitation.user == resident).status == "sent"


def test_fanout_makes_one_delivery_per_person_in_their_language_and_channel() -> None:
    residents = [factories.make_user("resident", locale=locale) for locale in ("en", "cy", "ar", "pl") * 3]
    portal_person = residents[0]
    portal_person.contact_channel = "portal"
    portal_person.save()
    quiet = residents[1]
    preferences.set_frequency(actor_for_user(quiet), quiet.id, "feedback", "off")
    with transaction():
        event = OutboxEvent.create(name="feedback.received", payload={"broadcast": True})
    ids = (r.id for r in residents)  # a generator: recipients are streamed
    made = services.plan_fanout(event, ids, {"reference": "LL-ALL", "days": "5", "link": "https://example.org/"})
    assert made == len(residents)
    again = services.plan_fanout(
        event, [r.id for r in residents], {"reference": "LL-ALL", "days": "5", "link": "https://example.org/"}
    )
    assert again == len(residents) and Delivery.select().where(Delivery.event == event).count() == len(residents)
    by_user = {d.recipient_user_id: d for d in Delivery.select().where(Delivery.event == event)}
    assert by_user[portal_person.id].channel == "portal"
    assert by_user[quiet.id].status == "skipped"
    assert {by_user[r.id].locale for r in residents} == {"en", "cy", "ar", "pl"}
    assert all("LL-ALL" in d.subject for d in by_user.values() if d.status != "skipped")


def test_weekly_digest_bundles_held_messages_into_one(mail_dir: Path) -> None:
    from tasks.dispatch import send_weekly_digests

    resident = factories.make_user("resident", locale="cy")
    preferences.set_frequency(actor_for_user(resident), resident.id, "feedback", "weekly")
    feedback_event(resident, "LL-W1")
    feedback_event(resident, "LL-W2")
    assert read_mail(mail_dir) == []
    assert send_weekly_digests.call_local() == 1
    (message,) = read_mail(mail_dir)
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "LL-W1" in text and "LL-W2" in text
    statuses = {d.status for d in Delivery.select().where(Delivery.recipient_user_id == resident.id)}
    assert statuses == {"digested", "sent"}
    assert send_weekly_digests.call_local() == 0  # nothing is sent twice
