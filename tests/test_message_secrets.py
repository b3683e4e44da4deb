"""Secrets never reach wording staff can edit, nor any stored copy staff can read.

The attack: a manager put ``{{ link }}`` into the subject of the password-reset wording, asked for a
reset for the admin's address, read the live reset link from the delivery log and took over the
account. Links are now a call to action the system writes after the wording, and secret ones are
put in only as an email or text message goes out.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from backend.accounts import auth, services
from backend.accounts.email_sign_in import request_sign_in_link
from backend.accounts.tokens import actor_for_user
from backend.context import SYSTEM
from backend.db import transaction
from backend.events.models import Delivery, OutboxEvent
from backend.events.services import record_event
from backend.notifications.models import Letter, MessageTemplate, PortalMessage
from backend.notifications.registry import EVENTS
from backend.surveys import invitations
from backend.surveys import services as surveys
from backend.surveys.models import SurveyInvitation
from tests import factories
from tests.conftest import read_mail

SECRET = re.compile(r"(token=|/s/[A-Za-z0-9_-]{8,})")
SECRET_EVENTS = sorted(
    name for name, spec in EVENTS.items() if spec.secret or spec.action is not None or spec.sample_action
)
SAVE = """mutation($input: MessageTemplateSaveInput!) { messageTemplateSave(input: $input) {
  __typename ... on ValidationError { field message } } }"""


def stored_copies() -> str:
    """Everything a member of staff can read about sent messages, as one text."""
    rows = [f"{d.subject}\n{d.body}\n{d.action}" for d in Delivery.select()]
    rows += [f"{letter.subject}\n{letter.body}" for letter in Letter.select()]
    rows += [f"{message.subject}\n{message.body}" for message in PortalMessage.select()]
    return "\n".join(rows)


def live_survey(anonymous: bool = True):
    survey = surveys.create_survey(SYSTEM, title={"en": "How did we do?"}, anonymous=anonymous)
    surveys.add_question(SYSTEM, survey.id, kind="rating", text={"en": "How satisfied are you?"}, required=True)
    surveys.add_rule(SYSTEM, survey.id, "complaint.closed", 0, "days")
    surveys.publish_survey(SYSTEM, survey.id)
    return survey


def invite(resident) -> SurveyInvitation:
    with transaction():
        event = record_event("complaint.closed", {"user_id": resident.id})
    invitations.invite_for_event(event.id)
    invitations.send_due_invitations()
    return SurveyInvitation.get(SurveyInvitation.user == resident)


def test_every_event_with_a_secret_link_is_known_here() -> None:
    assert {
        "account.registered",
        "account.password_reset_requested",
        "account.invited",
        "survey.invitation_due",
        "survey.reminder_due",
        "account.sign_in_link_requested",
    } <= set(SECRET_EVENTS)


@pytest.mark.parametrize("event", SECRET_EVENTS)
@pytest.mark.parametrize("where", ["subject", "body"])
def test_manager_cannot_put_a_link_into_wording(browser, signed_in, event, where) -> None:
    signed_in("manager")
    wording = {"subject": "Hello", "body": "Hello {{ name }}"}
    wording[where] += " {{ link }}"
    response = browser.graphql(SAVE, {"input": {"event": event, "channel": "email", "locale": "en", **wording}})
    outcome = response.get_json()["data"]["messageTemplateSave"]
    assert outcome["__typename"] == "ValidationError" and outcome["field"] == where
    assert "link" in outcome["message"]
    assert not MessageTemplate.select().where(MessageTemplate.event == event).exists()


def test_reset_link_never_reaches_the_delivery_log_even_from_old_wording(browser, signed_in, mail_dir: Path) -> None:
    # Wording saved before links left the templates (the migration removes these; this one slipped in).
    MessageTemplate.create(
        event="account.password_reset_requested",
        channel="email",
        locale="en",
        subject="Reset your password {{ link }}",
        body="Hello {{ name }},\n\nChoose a new password: {{ link }}",
    )
    admin = factories.make_user("admin")
    browser.submit("/reset-password", {"email": admin.email})
    (message,) = read_mail(mail_dir)
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert text.count("/reset-password/confirm?token=") == 1 and "token" not in message["Subject"]
    signed_in("manager")
    log = browser.graphql("{ deliveries(first: 50) { nodes { subject action } } }").get_json()
    assert not SECRET.search(str(log)), log
    assert "[link]" in str(log)
    page = browser.client.get("/console/deliveries").get_data(as_text=True)
    assert "Reset your password" in page and not SECRET.search(page)
    assert not SECRET.search(stored_copies())


@pytest.mark.parametrize(
    "trigger",
    ["registered", "password_reset_requested", "invited", "verification_resent", "sign_in_link_requested"],
)
def test_account_links_go_out_but_are_never_stored(trigger, mail_dir: Path) -> None:
    if trigger == "registered":
        services.register_resident("new.person@example.org", "a long passphrase 42", "New Person")
    elif trigger == "password_reset_requested":
        auth.request_password_reset(factories.make_user().email)
    elif trigger == "sign_in_link_requested":
        request_sign_in_link(factories.make_user().email)
    elif trigger == "invited":
        services.create_user(SYSTEM, "invited@example.org", "Invited Person", ["staff"])
    else:
        services.request_verification_email(actor_for_user(factories.make_user(verified=False)))
    (message,) = read_mail(mail_dir)
    assert len(SECRET.findall(message.get_body(preferencelist=("plain",)).get_content())) == 1
    assert re.search(r'<a href="[^"]*token=', message.get_body(preferencelist=("html",)).get_content())
    assert not SECRET.search(message["Subject"])
    assert not SECRET.search(stored_copies())
    assert "[link]" in Delivery.get().action


def test_the_emailed_reset_link_works(browser, mail_dir: Path) -> None:
    user = factories.make_user()
    auth.request_password_reset(user.email)
    (message,) = read_mail(mail_dir)
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://learnloop.test(/reset-password/confirm\?token=\S+)", text)
    assert browser.client.get(link.group(1)).status_code == 200


@pytest.mark.parametrize("reminder", [False, True])
def test_survey_links_go_out_by_email_but_are_never_stored(reminder, mail_dir: Path) -> None:
    live_survey()
    resident = factories.make_user("resident")
    invitation = invite(resident)
    if reminder:
        with transaction():
            record_event("survey.reminder_due", {"invitation_id": invitation.id, "user_id": resident.id})
    message = read_mail(mail_dir)[-1]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert len(re.findall(r"/s/\S+\?a=\d", text)) == 5 and "How satisfied are you?" in text
    assert not SECRET.search(stored_copies())


@pytest.mark.parametrize(("contact", "channel"), [("post", "letter"), ("portal", "portal")])
def test_survey_letters_and_portal_messages_send_people_to_sign_in(contact, channel, browser) -> None:
    live_survey()
    resident = factories.make_user("resident", home=factories.make_home())
    resident.contact_channel = contact
    resident.save()
    invitation = invite(resident)
    copy = (Letter if channel == "letter" else PortalMessage).get(user=resident)
    assert f"/surveys/{invitation.id}" in copy.body and not SECRET.search(copy.body)
    browser.sign_in(resident.email)
    opened = browser.client.get(f"/surveys/{invitation.id}")
    assert opened.status_code == 302 and "/s/" in opened.headers["Location"]
    assert browser.client.get(opened.headers["Location"]).status_code == 200


def test_someone_elses_survey_is_not_found_after_signing_in(browser) -> None:
    live_survey()
    invitation = invite(factories.make_user("resident"))
    nosy = factories.make_user("resident")
    browser.sign_in(nosy.email)
    assert browser.client.get(f"/surveys/{invitation.id}").status_code == 404
    assert browser.client.get("/surveys/999999").status_code == 404


def test_advocate_copy_of_a_survey_invitation_has_no_link(mail_dir: Path) -> None:
    live_survey(anonymous=True)
    resident, advocate = factories.make_user("resident"), factories.make_user("advocate")
    factories.make_representation(advocate, resident)
    invite(resident)
    by_recipient = {m["To"]: m.get_body(preferencelist=("plain",)).get_content() for m in read_mail(mail_dir)}
    assert "/s/" in by_recipient[resident.email]
    assert "/s/" not in by_recipient[advocate.email] and "/surveys/" not in by_recipient[advocate.email]
    assert resident.display_name in by_recipient[advocate.email]


def test_a_name_that_looks_like_a_link_is_never_made_a_link(mail_dir: Path) -> None:
    resident = factories.make_user("resident")
    # Names with line breaks are refused now; this one was stored before that rule.
    resident.display_name = "there\n\nURGENT - rent arrears. Pay now: https://evil.example/pay\n\nHousing team"
    resident.save()
    with transaction():
        record_event("feedback.received", {"user_id": resident.id, "reference": "LL-1"})
    (message,) = read_mail(mail_dir)
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "evil.example" in html and 'href="https://evil.example' not in html
    assert re.findall(r'<a href="([^"]+)"', html) == ["http://learnloop.test/cases"]


def test_wording_with_a_loop_saved_before_the_rule_is_not_run(mail_dir: Path) -> None:
    MessageTemplate.create(
        event="feedback.received",
        channel="email",
        locale="en",
        subject="Thanks",
        body="{% set x = name * 1000 %}{% for a in x %}{% for b in x %}{% endfor %}{% endfor %}done",
    )
    resident = factories.make_user("resident")
    started = time.monotonic()
    with transaction():
        record_event("feedback.received", {"user_id": resident.id, "reference": "LL-9"})
    assert time.monotonic() - started < 2
    (message,) = read_mail(mail_dir)
    assert "LL-9" in message["Subject"]  # the default wording went instead


def test_preview_of_a_loop_is_refused_at_once(browser, signed_in) -> None:
    signed_in("staff")
    browser.graphql("{ viewer { locale } }")  # builds the staff schema, so only the preview is timed
    started = time.monotonic()
    response = browser.graphql(
        """query($b: String!) { messagePreview(event: "feedback.received", channel: email, locale: "en", body: $b)
        { __typename ... on ValidationError { field message } } }""",
        {"b": "{% set x = name * 1000 %}{% for a in x %}{% for b in x %}{% endfor %}{% endfor %}done"},
    )
    assert time.monotonic() - started < 1
    outcome = response.get_json()["data"]["messagePreview"]
    assert outcome["__typename"] == "ValidationError" and "{% set %}" in outcome["message"]


def test_preview_shows_where_the_link_goes_without_a_secret(browser, signed_in) -> None:
    signed_in("staff")
    response = browser.graphql(
        """{ messagePreview(event: "account.password_reset_requested", channel: email, locale: "en")
        { ... on MessagePreview { subject body html } } }"""
    )
    preview = response.get_json()["data"]["messagePreview"]
    assert preview["body"].endswith("Choose a new password: [link]")
    assert "<a " not in preview["html"]


def test_case_handler_saving_wording_is_told_no_in_their_language(browser, signed_in) -> None:
    signed_in("staff", locale="cy")
    page = "/console/templates/feedback.received/email/en"
    response = browser.submit(page, {"subject": "Hi", "body": "Hello {{ name }}", "action": "save"})
    assert response.status_code == 403
    text = response.get_data(as_text=True)
    assert "You do not have permission to do that." not in text and "Internal" not in text
    assert not MessageTemplate.select().exists()


def test_outbox_events_never_hold_secrets() -> None:
    auth.request_password_reset(factories.make_user().email)
    assert not SECRET.search(str([e.payload for e in OutboxEvent.select()]))


def test_wording_nested_thousands_deep_is_a_clear_error_not_a_crash(browser, signed_in) -> None:
    signed_in("staff")
    response = browser.graphql(
        """query($b: String!) { messagePreview(event: "feedback.received", channel: email, locale: "en", body: $b)
        { __typename ... on ValidationError { field message } } }""",
        {"b": "{{ " + "(" * 3000 + "name" + ")" * 3000 + " }}"},
    )
    outcome = response.get_json()["data"]["messagePreview"]
    assert outcome["__typename"] == "ValidationError" and "30" in outcome["message"]
