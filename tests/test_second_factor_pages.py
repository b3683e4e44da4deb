"""Two-step sign-in as people meet it: the language switch, the waiting person's language, running out
of time, throttling, recovery codes that survive a reload, setting up on the same phone, and resets
by an admin that ask first."""

from __future__ import annotations

import html
import re
import time
import types
from pathlib import Path

import pyotp
import pytest

from backend import config
from backend.accounts import recovery_codes, second_factor
from backend.accounts.models import RecoveryCode, SecondFactor, SignInFailure, User, UserSession
from backend.audit.models import AuditEvent
from tests import factories
from tests.conftest import Browser, read_mail

CODE = re.compile(r'<code dir="ltr">([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})</code>')
LANGUAGE_NEXT = re.compile(r'name="next" value="([^"]*)"')
TIMED_OUT = "Your sign-in timed out. Enter your password again."


def code_for(factor: SecondFactor, at: float | None = None) -> str:
    return pyotp.TOTP(second_factor.authenticator_key(factor)).at(time.time() if at is None else at)


def give_code(browser: Browser, code: str):
    return browser.submit("/sign-in/code", {"code": code})


def switch_language(browser: Browser, locale: str, next_url: str, page: str | None = None):
    """Press a language in the header of ``page`` (by default, the page it returns to)."""
    return browser.submit("/language", {"locale": locale, "next": next_url}, page=page or next_url)


def page_language(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


def signed_in_email(browser: Browser) -> str | None:
    viewer = browser.graphql("{ viewer { isAuthenticated email } }").get_json()["data"]["viewer"]
    return viewer["email"] if viewer["isAuthenticated"] else None


def held_column(user: User) -> list[str | None]:
    return [row.held_recovery_codes for row in UserSession.select().where(UserSession.user == user)]


def enrol(browser: Browser, user: User):
    """Set up an authenticator through the pages; return the answer to the confirming POST."""
    browser.client.get("/account/second-factor")
    factor = SecondFactor.get(SecondFactor.user == user)
    return browser.submit(
        "/account/second-factor/confirm",
        {"current_password": factories.PASSWORD, "code": code_for(factor)},
        page="/account/second-factor",
    )


@pytest.fixture
def protected() -> tuple[User, SecondFactor]:
    user = factories.make_user("resident", locale="en")
    return user, factories.make_second_factor(user)


@pytest.fixture
def welsh() -> tuple[User, SecondFactor]:
    """Someone who reads Welsh, whose browser asks for English."""
    user = factories.make_user("resident", locale="cy")
    return user, factories.make_second_factor(user)


# The language switch


@pytest.mark.parametrize(
    "next_url", ["/account/second-factor/confirm", "/account/second-factor/disable", "/account/password"]
)
def test_language_switch_never_returns_to_an_address_that_takes_only_forms(
    signed_in, browser: Browser, next_url: str
) -> None:
    signed_in("resident")
    switched = switch_language(browser, "cy", next_url, page="/account")
    assert switched.status_code == 302 and not switched.location.endswith(next_url)
    assert browser.client.get(switched.location).status_code == 200


@pytest.mark.parametrize("next_url", ["/account/second-factor", "/cases?page=2", "/account"])
def test_language_switch_returns_to_a_page_that_answers_a_get(signed_in, browser: Browser, next_url: str) -> None:
    signed_in("resident")
    assert switch_language(browser, "cy", next_url).location.endswith(next_url)


def test_language_switch_after_a_wrong_setup_code_returns_to_the_setup_page(signed_in, browser: Browser) -> None:
    signed_in("resident")
    wrong = browser.submit(
        "/account/second-factor/confirm",
        {"current_password": factories.PASSWORD, "code": "123456"},
        page="/account/second-factor",
    )
    assert wrong.status_code == 400
    assert LANGUAGE_NEXT.search(wrong.get_data(as_text=True)).group(1) == "/account/second-factor"


# Recovery codes


def test_new_recovery_codes_survive_a_reload_and_a_language_switch(signed_in, browser: Browser) -> None:
    user = signed_in("resident")
    done = enrol(browser, user)
    assert done.status_code == 302 and done.location.endswith("/account/second-factor/codes")
    codes = CODE.findall(browser.client.get("/account/second-factor/codes").get_data(as_text=True))
    assert len(codes) == 10
    switched = switch_language(browser, "cy", "/account/second-factor/codes")
    assert switched.location.endswith("/account/second-factor/codes")
    again = browser.client.get(switched.location)
    assert page_language(again) == "cy" and CODE.findall(again.get_data(as_text=True)) == codes


def test_new_recovery_codes_are_held_sealed_and_dropped_once_saved(signed_in, browser: Browser) -> None:
    user = signed_in("resident")
    enrol(browser, user)
    codes = CODE.findall(browser.client.get("/account/second-factor/codes").get_data(as_text=True))
    (sealed,) = [value for value in held_column(user) if value]
    assert not any(code in sealed for code in codes)
    saved = browser.submit("/account/second-factor/codes", {})
    assert saved.status_code == 302 and saved.location.endswith("/")
    assert not any(held_column(user))
    gone = browser.client.get("/account/second-factor/codes")
    assert gone.status_code == 302 and gone.location.endswith("/account/second-factor")


def test_new_recovery_codes_are_dropped_when_the_person_leaves_the_page(signed_in, browser: Browser) -> None:
    user = signed_in("resident")
    enrol(browser, user)
    assert browser.client.get("/favicon.ico").status_code == 404  # the browser's own request is not leaving
    assert any(held_column(user))
    assert browser.client.get("/account").status_code == 200
    assert not any(held_column(user))
    back = browser.client.get("/account/second-factor/codes")
    assert back.location.endswith("/account/second-factor")
    assert "make new ones" in browser.client.get(back.location).get_data(as_text=True)


def test_held_recovery_codes_are_not_shown_after_the_time_limit(
    signed_in, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = signed_in("resident")
    enrol(browser, user)
    monkeypatch.setattr(recovery_codes, "HOLD_SECONDS", -1)
    assert browser.client.get("/account/second-factor/codes").status_code == 302


def test_signing_out_drops_held_recovery_codes(signed_in, browser: Browser) -> None:
    user = signed_in("resident")
    enrol(browser, user)
    browser.submit("/sign-out", {}, page="/account/second-factor/codes")
    assert not any(held_column(user))


def test_make_new_recovery_codes_needs_the_password_and_a_code(signed_in, browser: Browser) -> None:
    user = signed_in("resident")
    factor = factories.make_second_factor(user)
    factories.make_recovery_code(user, "OLDC-ODEA-AAAA-AAAA")
    manage = browser.client.get("/account/second-factor").get_data(as_text=True)
    assert 'href="/account/second-factor/recovery-codes"' in manage
    page = "/account/second-factor/recovery-codes"
    wrong = browser.submit(page, {"current_password": "not my password", "code": code_for(factor)})
    assert wrong.status_code == 400 and "Your current password is not correct." in wrong.get_data(as_text=True)
    assert RecoveryCode.select().where(RecoveryCode.user == user).count() == 1
    done = browser.submit(page, {"current_password": factories.PASSWORD, "code": code_for(factor)})
    assert done.status_code == 302 and done.location.endswith("/account/second-factor/codes")
    shown = browser.client.get(done.location).get_data(as_text=True)
    codes = CODE.findall(shown)
    assert len(codes) == 10 and "Your old recovery codes no longer work." in shown
    audit = AuditEvent.get(AuditEvent.action == "second_factor.recovery_codes_replaced")
    assert audit.entity_id == str(user.id)
    with pytest.raises(Exception, match="incorrect"):
        second_factor.check_code(user, "OLDC-ODEA-AAAA-AAAA")
    assert second_factor.check_code(user, codes[0]) == "recovery"
    saved = browser.submit("/account/second-factor/codes", {})
    assert saved.location.endswith("/account/second-factor")


# The code page


def test_code_page_speaks_the_waiting_persons_saved_language(browser: Browser, welsh) -> None:
    user, _factor = welsh
    browser.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
    assert browser.sign_in(user.email).location.endswith("/sign-in/code")
    assert page_language(browser.client.get("/sign-in/code")) == "cy"


def test_language_chosen_on_the_code_page_is_used_but_not_saved_before_the_code(browser: Browser, welsh) -> None:
    user, _factor = welsh
    browser.sign_in(user.email)
    switched = browser.submit("/language", {"locale": "en", "next": "/sign-in/code"}, page="/sign-in/code")
    assert switched.location.endswith("/sign-in/code")
    assert page_language(browser.client.get("/sign-in/code")) == "en"
    assert User.get_by_id(user.id).locale == "cy"


def test_a_code_after_the_sign_in_timed_out_says_so(
    browser: Browser, protected, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portal import security

    user, factor = protected
    browser.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    browser.sign_in(user.email)
    token = browser.csrf("/sign-in/code")
    monkeypatch.setattr(security, "PENDING_SECONDS", -1)
    late = browser.client.post("/sign-in/code", data={"csrf_token": token, "code": code_for(factor)})
    assert late.status_code == 302 and late.location.endswith("/sign-in")
    sign_in_page = browser.client.get(late.location)
    assert TIMED_OUT in sign_in_page.get_data(as_text=True)
    assert TIMED_OUT not in browser.client.get("/sign-in").get_data(as_text=True)  # said once
    assert signed_in_email(browser) is None


def test_the_sign_in_page_after_a_time_out_is_in_the_waiting_persons_language(
    browser: Browser, welsh, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portal import security

    user, factor = welsh
    browser.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    browser.sign_in(user.email)
    token = browser.csrf("/sign-in/code")
    monkeypatch.setattr(security, "PENDING_SECONDS", -1)
    late = browser.client.post("/sign-in/code", data={"csrf_token": token, "code": code_for(factor)})
    assert page_language(browser.client.get(late.location)) == "cy"


def test_a_plain_visit_to_the_code_page_says_nothing_about_timing_out(browser: Browser) -> None:
    sent = browser.client.get("/sign-in/code")
    assert sent.location.endswith("/sign-in")
    assert TIMED_OUT not in browser.client.get(sent.location).get_data(as_text=True)


def clock(monkeypatch: pytest.MonkeyPatch, offset: float) -> None:
    """Move the pending sign-in's clock (only its clock) ``offset`` seconds on."""
    from portal import security

    monkeypatch.setattr(security, "time", types.SimpleNamespace(time=lambda: time.time() + offset))


def throttle_codes(browser: Browser) -> object:
    for _ in range(config.current().sign_in_max_failures):
        give_code(browser, "000000")
    return give_code(browser, "000000")


def test_a_throttled_sign_in_still_waits_when_the_throttle_ends(
    browser: Browser, protected, monkeypatch: pytest.MonkeyPatch
) -> None:
    user, factor = protected
    browser.sign_in(user.email)
    throttled = throttle_codes(browser)
    assert throttled.status_code == 429
    token = browser.csrf("/sign-in/code")
    window = config.current().sign_in_window_seconds
    clock(monkeypatch, window + 60)  # far past the five minutes a sign-in waits for its code
    SignInFailure.delete().execute()  # and the throttle has ended
    done = browser.client.post("/sign-in/code", data={"csrf_token": token, "code": code_for(factor)})
    assert done.status_code == 302 and not done.location.endswith("/sign-in")
    assert signed_in_email(browser) == user.email


def test_a_sign_in_throttled_again_after_waiting_is_told_to_sign_in_again(
    browser: Browser, protected, monkeypatch: pytest.MonkeyPatch
) -> None:
    user, _factor = protected
    browser.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    browser.sign_in(user.email)
    throttle_codes(browser)
    clock(monkeypatch, config.current().sign_in_window_seconds + 60)
    SignInFailure.delete().execute()
    again = throttle_codes(browser)
    text = html.unescape(again.get_data(as_text=True))
    assert again.status_code == 429 and re.search(r"Wait \d+ minutes, then sign in again\.", text)


# Setting up


def test_setup_page_links_to_an_authenticator_app_on_the_same_device(signed_in, browser: Browser) -> None:
    user = signed_in("resident")
    page = browser.client.get("/account/second-factor")
    factor = SecondFactor.get(SecondFactor.user == user)
    link = re.search(r'<a href="(otpauth://[^"]+)"[^>]*>Add to an authenticator app on this device</a>', page.text)
    assert link and html.unescape(link.group(1)) == second_factor.provisioning_uri(factor, user)
    assert "navigate-to" not in page.headers["Content-Security-Policy"]


# Resets by an admin


@pytest.fixture
def resident_with_factor() -> User:
    resident = factories.make_user("resident")
    factories.make_second_factor(resident)
    factories.make_recovery_code(resident)
    return resident


def test_admin_finds_a_resident_by_email_and_confirms_before_resetting(
    signed_in, browser: Browser, mail_dir: Path, resident_with_factor: User
) -> None:
    signed_in("admin")
    resident = resident_with_factor
    found = browser.submit("/console/security/reset", {"email": resident.email.upper()}, page="/console/security")
    confirm_url = f"/console/security/{resident.id}/reset"
    assert found.status_code == 302 and found.location.endswith(confirm_url)
    confirm = browser.client.get(confirm_url)
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and resident.email in page and 'href="/console/security">Cancel</a>' in page
    assert second_factor.is_enabled(resident.id)  # looking is not resetting
    done = browser.submit(confirm_url, {})
    assert done.status_code == 302 and not second_factor.is_enabled(resident.id)
    assert AuditEvent.select().where(AuditEvent.action == "second_factor.reset").count() == 1
    assert [m["To"] for m in read_mail(mail_dir)] == [resident.email]


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("nobody@example.org", "There is no account with this email address."),
        ("plain", "Two-step sign-in is not on for this account."),
    ],
)
def test_finding_someone_to_reset_says_what_is_wrong(signed_in, browser: Browser, email: str, message: str) -> None:
    signed_in("admin")
    if email == "plain":
        email = factories.make_user("resident").email
    answer = browser.submit("/console/security/reset", {"email": email}, page="/console/security")
    assert answer.status_code == 400 and message in answer.get_data(as_text=True)
    assert LANGUAGE_NEXT.search(answer.get_data(as_text=True)).group(1) == "/console/security"


def test_the_staff_list_links_to_a_confirmation_instead_of_resetting(signed_in, browser: Browser) -> None:
    signed_in("admin")
    staff = factories.make_user("staff")
    factories.make_second_factor(staff)
    page = browser.client.get("/console/security").get_data(as_text=True)
    assert f'href="/console/security/{staff.id}/reset"' in page
    assert browser.client.get(f"/console/security/{staff.id}/reset").status_code == 200
    assert second_factor.is_enabled(staff.id)


def test_admins_cannot_reset_their_own_second_factor_from_the_console(signed_in, browser: Browser) -> None:
    admin = signed_in("admin")
    factories.make_second_factor(admin)
    page = browser.client.get("/console/security").get_data(as_text=True)
    assert f"/console/security/{admin.id}/reset" not in page
    refused = browser.submit(f"/console/security/{admin.id}/reset", {}, page="/console/security")
    assert refused.status_code == 302 and second_factor.is_enabled(admin.id)
    assert "You cannot reset your own two-step sign-in" in browser.client.get(refused.location).text


def test_security_page_warns_an_admin_without_a_second_factor_before_requiring_it(signed_in, browser: Browser) -> None:
    admin = signed_in("admin")
    warning = "you will be asked to set it up straight after you save"
    assert warning in browser.client.get("/console/security").get_data(as_text=True)
    factories.make_second_factor(admin)
    assert warning not in browser.client.get("/console/security").get_data(as_text=True)
