"""A phone number a resident types in gets texts only once a code texted to it comes back."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from backend import config
from backend.accounts import phone
from backend.accounts.models import User
from backend.audit.models import AuditEvent
from backend.db import transaction
from backend.events.models import Delivery
from backend.events.services import record_event
from tests import factories
from tests.conftest import Browser

PROFILE = """mutation($input: ViewerProfileInput!) {
  viewerProfileUpdate(input: $input) { __typename ... on Viewer { phone phoneVerified } }
}"""
SEND = "mutation { viewerPhoneCodeSend { __typename ... on RateLimitedError { retryAfter } } }"


@pytest.fixture
def sms_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(config, "_current", config.current().with_overrides(sms_url=f"file:{tmp_path}"))
    return tmp_path


def texts(folder: Path) -> list[str]:
    return [path.read_text() for path in sorted(folder.glob("*.txt"))]


def texted_code(folder: Path) -> str:
    match = re.search(r"code is (\d{6})", texts(folder)[-1])
    assert match, texts(folder)
    return match.group(1)


def choose_sms(browser: Browser, number: str = "+44 7700 900999") -> None:
    values = {"contactChannel": "sms", "phone": number}
    result = browser.graphql(PROFILE, {"input": values}).get_json()["data"]["viewerProfileUpdate"]
    assert result == {"__typename": "Viewer", "phone": number, "phoneVerified": False}


def feedback_for(user: User) -> Delivery:
    with transaction():
        event = record_event("feedback.received", {"user_id": user.id, "reference": "LL-1"})
    return Delivery.get(Delivery.event == event, Delivery.recipient_user_id == user.id)


def test_typed_in_number_gets_no_texts_until_verified(signed_in, browser: Browser, sms_dir: Path) -> None:
    user = signed_in("resident")
    choose_sms(browser)
    # The audit's reproduction: any number typed in received every message about the resident's feedback.
    assert feedback_for(user).channel == "email"
    assert texts(sms_dir) == []
    sent = browser.submit("/account/phone/send", {}, page="/account/phone")
    assert sent.status_code == 302
    (text,) = texts(sms_dir)
    assert text.startswith("To: +44 7700 900999")
    verified = browser.submit("/account/phone/verify", {"code": texted_code(sms_dir)}, page="/account/phone")
    assert verified.status_code == 302
    assert User.get_by_id(user.id).phone_verified_at is not None
    assert AuditEvent.select().where(AuditEvent.action == "account.phone_verified").count() == 1
    assert feedback_for(user).channel == "sms"


def test_wrong_phone_code_is_refused_and_tries_are_limited(signed_in, browser: Browser, sms_dir: Path) -> None:
    user = signed_in("resident")
    choose_sms(browser)
    browser.submit("/account/phone/send", {}, page="/account/phone")
    code = texted_code(sms_dir)
    wrong = "000000" if code != "000000" else "111111"
    response = browser.submit("/account/phone/verify", {"code": wrong}, page="/account/phone")
    assert response.status_code == 400 and "That code is not right" in response.get_data(as_text=True)
    for _ in range(phone.MAX_ATTEMPTS - 1):
        browser.submit("/account/phone/verify", {"code": wrong}, page="/account/phone")
    late = browser.submit("/account/phone/verify", {"code": code}, page="/account/phone")
    assert late.status_code == 400 and "Ask for a new one" in late.get_data(as_text=True)
    assert User.get_by_id(user.id).phone_verified_at is None


def test_phone_page_asks_for_a_code_to_be_sent_before_one_is(signed_in, browser: Browser, sms_dir: Path) -> None:
    signed_in("resident", phone="07700 900123")
    before = browser.client.get("/account/phone").get_data(as_text=True)
    assert "Press “Text me a code” first" in before and "We texted" not in before
    browser.submit("/account/phone/send", {}, page="/account/phone")
    after = browser.client.get("/account/phone").get_data(as_text=True)
    assert "We texted a 6-digit code to your number" in after and "Press “Text me a code” first" not in after


def test_phone_code_typed_before_any_was_sent_says_none_was_sent(signed_in, browser: Browser) -> None:
    user = signed_in("resident", phone="07700 900123")
    response = browser.submit("/account/phone/verify", {"code": "123456"}, page="/account/phone")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<a href="#code">No code has been sent to this number yet. Press “Text me a code” first.</a>' in html
    assert "run out" not in html
    assert User.get_by_id(user.id).phone_verified_at is None


def test_phone_code_sent_to_an_earlier_number_counts_as_none_sent(signed_in, browser: Browser, sms_dir: Path) -> None:
    signed_in("resident")
    choose_sms(browser, "07700 900111")
    browser.submit("/account/phone/send", {}, page="/account/phone")
    choose_sms(browser, "07700 900222")
    response = browser.submit("/account/phone/verify", {"code": texted_code(sms_dir)}, page="/account/phone")
    assert "No code has been sent to this number yet" in response.get_data(as_text=True)


def test_viewer_says_whether_a_phone_code_is_waiting(signed_in, browser: Browser, sms_dir: Path) -> None:
    signed_in("resident", phone="07700 900123")
    pending = "{ viewer { phoneCodePending } }"
    assert browser.graphql(pending).get_json()["data"]["viewer"]["phoneCodePending"] is False
    browser.graphql(SEND)
    assert browser.graphql(pending).get_json()["data"]["viewer"]["phoneCodePending"] is True


def test_phone_codes_are_throttled_per_person(signed_in, browser: Browser, sms_dir: Path) -> None:
    signed_in("resident")
    choose_sms(browser)
    statuses = [browser.graphql(SEND).get_json()["data"]["viewerPhoneCodeSend"] for _ in range(phone.PER_HOUR + 1)]
    assert [s["__typename"] for s in statuses] == ["Viewer"] * phone.PER_HOUR + ["RateLimitedError"]
    assert len(texts(sms_dir)) == phone.PER_HOUR


@pytest.mark.parametrize("spelling", ["077 00 900 999", "+44 7700 900999", "00447700900999"])
def test_phone_codes_are_throttled_per_number(app, sms_dir: Path, spelling: str) -> None:
    for _ in range(phone.PER_HOUR):
        someone = Browser(app.test_client())
        user = factories.make_user("resident")
        someone.sign_in(user.email)
        choose_sms(someone, "07700 900999")
        assert someone.graphql(SEND).get_json()["data"]["viewerPhoneCodeSend"]["__typename"] == "Viewer"
    another = Browser(app.test_client())
    another.sign_in(factories.make_user("resident").email)
    choose_sms(another, spelling)  # the same number, written differently
    refused = another.graphql(SEND).get_json()["data"]["viewerPhoneCodeSend"]
    assert refused["__typename"] == "RateLimitedError" and refused["retryAfter"] > 0
    assert len(texts(sms_dir)) == phone.PER_HOUR


def test_phone_code_limit_message_over_the_api_says_1_minute(
    signed_in, browser: Browser, sms_dir: Path, clock_at: Any
) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10, 59, 30))
    signed_in("resident")
    choose_sms(browser)
    send = "mutation { viewerPhoneCodeSend { __typename ... on RateLimitedError { retryAfter message } } }"
    for _ in range(phone.PER_HOUR):
        browser.graphql(send)
    refused = browser.graphql(send).get_json()["data"]["viewerPhoneCodeSend"]
    assert refused == {
        "__typename": "RateLimitedError",
        "retryAfter": 30,
        "message": "Too many attempts. Please wait 1 minute and try again.",
    }


def test_changing_the_number_unverifies_it(signed_in, browser: Browser) -> None:
    user = signed_in("resident", phone="07700 900123", phone_verified=True)
    choose_sms(browser, "07700 900456")
    assert User.get_by_id(user.id).phone_verified_at is None
    assert feedback_for(user).channel == "email"


def test_a_number_staff_record_counts_as_verified_and_is_audited(signed_in, browser: Browser) -> None:
    resident = factories.make_user("resident")
    signed_in("admin")
    from backend.accounts.services import update_profile
    from backend.accounts.tokens import actor_for_user

    admin = User.get(User.email != resident.email)
    update_profile(actor_for_user(admin), resident.id, phone="07700 900777", contact_channel="sms")
    saved = User.get_by_id(resident.id)
    assert saved.phone_verified_at is not None
    change = AuditEvent.get(AuditEvent.action == "account.profile_updated", AuditEvent.entity_id == resident.id)
    assert "phone_verified_at" in change.changes and "phone" in change.changes
    assert feedback_for(saved).channel == "sms"


def test_phone_code_for_a_replaced_number_is_not_sent(signed_in, browser: Browser, sms_dir: Path) -> None:
    signed_in("resident")
    choose_sms(browser)
    verification = factories.make_phone_verification()
    verification.delete_instance()
    phone.send_phone_code(verification.id)
    assert texts(sms_dir) == []


def test_code_queued_for_a_replaced_number_never_reaches_the_new_one(monkeypatch, signed_in, browser, sms_dir) -> None:
    queued: list[tuple[int, str]] = []
    monkeypatch.setattr(phone, "_sender", lambda verification_id, expires: queued.append((verification_id, expires)))
    signed_in("resident")
    choose_sms(browser, "+44 7700 900001")
    browser.graphql(SEND)
    choose_sms(browser, "+44 7700 900002")
    browser.graphql(SEND)
    for verification_id, expires in queued:  # the worker runs both, late; the database may reuse the id
        phone.send_phone_code(verification_id, expires)
    sent = texts(sms_dir)
    assert len(sent) == 1 and "+44 7700 900002" in sent[0]
