"""The password throttle: one count per account whatever the spelling, a wait only for the guessing
client, a pause for the account under distributed guessing, and sign in by email as the way round."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from backend import config
from backend.accounts import email_sign_in
from tests import factories
from tests.conftest import Browser, read_mail

ATTACKER = {"REMOTE_ADDR": "203.0.113.9"}
OWNER = {"REMOTE_ADDR": "198.51.100.7"}
LINK = re.compile(r"http://learnloop\.test(/sign-in/email/confirm\?token=\S+)")


def sign_in(browser: Browser, email: str, password: str, client: dict[str, str]):
    return browser.submit("/sign-in", {"email": email, "password": password}, environ_base=client)


def guess(browser: Browser, email: str, times: int, client: dict[str, str] = ATTACKER) -> None:
    for _ in range(times):
        assert sign_in(browser, email, "wrong password!", client).status_code == 401


def emailed_link(mail_dir: Path) -> str:
    text = read_mail(mail_dir)[-1].get_body(preferencelist=("plain",)).get_content()
    match = LINK.search(text)
    assert match, text
    return match.group(1)


@pytest.mark.parametrize("variant", ["throttle@ｅxample.net", "throttle@example.ｎet", "THROTTLE@Example.NET"])
def test_sign_in_throttle_counts_every_spelling_of_an_address_as_one(browser: Browser, variant: str) -> None:
    factories.make_user(email="throttle@example.net")
    guess(browser, "throttle@example.net", config.current().sign_in_max_failures)
    # The audit's reproduction: a full-width letter in the domain found the account under a fresh count.
    assert sign_in(browser, variant, factories.PASSWORD, ATTACKER).status_code == 429
    assert sign_in(browser, variant, "wrong password!", ATTACKER).status_code == 429


def test_sign_in_throttle_for_an_unknown_address_counts_its_spellings_as_one(browser: Browser) -> None:
    guess(browser, "nobody@example.net", config.current().sign_in_max_failures)
    assert sign_in(browser, "nobody@ｅxample.net", "wrong password!", ATTACKER).status_code == 429


def test_five_bad_passwords_do_not_lock_the_owner_out_from_elsewhere(browser: Browser) -> None:
    user = factories.make_user()
    guess(browser, user.email, config.current().sign_in_max_failures)
    assert sign_in(browser, user.email, factories.PASSWORD, ATTACKER).status_code == 429
    assert sign_in(browser, user.email, factories.PASSWORD, OWNER).status_code == 302


def test_throttled_sign_in_offers_sign_in_by_email(browser: Browser) -> None:
    user = factories.make_user()
    guess(browser, user.email, config.current().sign_in_max_failures)
    page = sign_in(browser, user.email, factories.PASSWORD, ATTACKER).get_data(as_text=True)
    assert "Too many attempts" in page
    assert 'href="/sign-in/email"' in page


def test_distributed_guessing_pauses_password_sign_in_but_not_the_emailed_link(
    browser: Browser, mail_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(config, "_current", config.current().with_overrides(sign_in_max_failures_account=6))
    user = factories.make_user()
    for n in range(6):  # one guess from each of many clients: no client reaches its own limit
        guess(browser, user.email, 1, {"REMOTE_ADDR": f"192.0.2.{n + 1}"})
    assert sign_in(browser, user.email, factories.PASSWORD, OWNER).status_code == 429
    browser.submit("/sign-in/email", {"email": user.email}, environ_base=OWNER)
    link = emailed_link(mail_dir)
    assert browser.submit(link, {}, page=link).status_code == 302
    assert browser.graphql("{ viewer { email } }").get_json()["data"]["viewer"]["email"] == user.email


def test_sign_in_by_email_signs_in_once(browser: Browser, mail_dir: Path, app) -> None:
    user = factories.make_user()
    page = browser.submit("/sign-in/email", {"email": user.email.upper()})
    assert "Check your email" in page.get_data(as_text=True)
    link = emailed_link(mail_dir)
    shown = browser.client.get(link)  # opening the link (as a mail scanner would) spends nothing
    assert shown.status_code == 200 and browser.client.get(link).status_code == 200
    assert browser.submit(link, {}, page=link).status_code == 302
    assert browser.client.get("/account").status_code == 200
    other = Browser(app.test_client())
    assert other.client.get(link).status_code == 400  # used


def test_sign_in_by_email_looks_the_same_for_an_unknown_address(browser: Browser, mail_dir: Path) -> None:
    factories.make_user(email="known@example.org")
    strip = lambda html: re.sub(r'value="[^"]+"', "", html)  # noqa: E731
    known = browser.submit("/sign-in/email", {"email": "known@example.org"})
    unknown = browser.submit("/sign-in/email", {"email": "unknown@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert strip(known.get_data(as_text=True)) == strip(unknown.get_data(as_text=True))
    assert [m["To"] for m in read_mail(mail_dir)] == ["known@example.org"]


@pytest.mark.parametrize(
    ("path", "address", "explanation"),
    [
        ("/sign-in/email", "not-an-email", "Enter an email address in the right format, like name@example.org."),
        ("/sign-in/email", "a" * 388 + "@example.org", "Your email address must be at most 254 characters long."),
        ("/reset-password", "not-an-email", "Enter an email address in the right format, like name@example.org."),
        ("/reset-password", "a" * 388 + "@example.org", "Your email address must be at most 254 characters long."),
    ],
    ids=["link malformed", "link 400 characters", "reset malformed", "reset 400 characters"],
)
def test_email_link_forms_explain_a_malformed_address_instead_of_saying_it_was_sent(
    browser: Browser, mail_dir: Path, path: str, address: str, explanation: str
) -> None:
    response = browser.submit(path, {"email": address})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Check your email" not in html
    assert f'<a href="#email">{explanation}</a>' in html  # one message, linked to the field
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.DOTALL).group(0)
    assert summary.count("<li>") == 1 and html.count('class="error-message"') == 1
    assert read_mail(mail_dir) == []


def test_sign_in_link_form_explains_a_malformed_address_in_the_persons_language(browser: Browser) -> None:
    response = browser.submit("/sign-in/email", {"email": "not-an-email"}, headers={"Accept-Language": "cy"})
    assert "Rhowch gyfeiriad e-bost yn y fformat cywir" in response.get_data(as_text=True)


@pytest.mark.parametrize("address", [" padded@example.org ", "FULLWIDTH@ｅxample.org"])
def test_sign_in_link_form_still_takes_an_address_in_any_spelling(browser: Browser, address: str) -> None:
    response = browser.submit("/sign-in/email", {"email": address})
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)


def test_sign_in_link_stops_working_once_another_link_is_used(browser: Browser, mail_dir: Path) -> None:
    user = factories.make_user()
    browser.submit("/sign-in/email", {"email": user.email})
    first = emailed_link(mail_dir)
    browser.submit("/sign-in/email", {"email": user.email})
    second = emailed_link(mail_dir)
    assert browser.submit(second, {}, page=second).status_code == 302
    assert browser.client.get(first).status_code == 400


def test_sign_in_link_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    from backend.errors import Invalid

    token = email_sign_in.sign_in_link_token(factories.make_user())
    monkeypatch.setattr(config, "_current", config.current().with_overrides(sign_in_link_max_age=-1))
    with pytest.raises(Invalid) as error:
        email_sign_in.use_sign_in_link(token)
    assert error.value.code == "expired"


def test_sign_in_link_is_refused_for_a_deactivated_account(browser: Browser) -> None:
    user = factories.make_user()
    token = email_sign_in.sign_in_link_token(user)
    user.is_active = False
    user.save()
    assert browser.client.get(f"/sign-in/email/confirm?token={token}").status_code == 400


@pytest.mark.parametrize(
    ("addresses", "client_limit"),
    [(["same@example.org"] * 4, False), ([f"person{n}@example.org" for n in range(11)], True)],
)
def test_sign_in_link_requests_are_throttled_per_address_and_per_client(
    browser: Browser, mail_dir: Path, addresses: list[str], client_limit: bool
) -> None:
    factories.make_user(email="same@example.org")
    statuses = [browser.submit("/sign-in/email", {"email": a}, environ_base=ATTACKER).status_code for a in addresses]
    assert statuses[:-1] == [200] * (len(addresses) - 1)
    assert statuses[-1] == 429
    assert len(read_mail(mail_dir)) == (0 if client_limit else email_sign_in.PER_ADDRESS)


def test_parallel_wrong_passwords_get_no_more_tries_than_the_limit(other_app) -> None:
    """The assessment's race: 150 parallel guesses from one client got 20 tries instead of 5."""
    import threading

    from backend.accounts.auth import InvalidCredentials, authenticate
    from backend.db import connection, db
    from backend.errors import Throttled

    other_app()  # a database file of its own, so every thread's connection sees the account
    try:
        with connection():
            user = factories.make_user("manager")
        outcomes: list[str] = []
        start = threading.Barrier(12)

        def guess() -> None:
            with connection():
                start.wait()
                try:
                    authenticate(user.email, "not the password", "198.51.100.7")
                except InvalidCredentials:
                    outcomes.append("wrong")
                except Throttled:
                    outcomes.append("wait")

        threads = [threading.Thread(target=guess) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        limit = config.current().sign_in_max_failures
        assert outcomes.count("wrong") == limit and outcomes.count("wait") == 12 - limit
    finally:
        db.close()


def test_sign_in_link_for_another_account_does_not_switch_who_is_signed_in(app, browser: Browser, mail_dir) -> None:
    """Login CSRF: a link the attacker asked for their own account, opened by someone signed in."""
    from backend.accounts.email_sign_in import sign_in_link_token

    attacker, victim = factories.make_user("resident"), factories.make_user("resident")
    link = f"/sign-in/email/confirm?token={sign_in_link_token(attacker)}"
    browser.sign_in(victim.email)
    page = browser.client.get(link)
    assert page.status_code == 409 and "another account" in page.get_data(as_text=True)
    pressed = browser.client.post(link, data={"csrf_token": browser.csrf("/account")})
    assert pressed.status_code == 409
    assert browser.graphql("{ viewer { email } }").get_json()["data"]["viewer"]["email"] == victim.email


def test_sign_in_link_page_names_the_account_it_signs_into(browser: Browser) -> None:
    from backend.accounts.email_sign_in import sign_in_link_token

    user = factories.make_user("resident", email="sam.jones@example.org")
    page = browser.client.get(f"/sign-in/email/confirm?token={sign_in_link_token(user)}").get_data(as_text=True)
    assert "s•••@example.org" in page and "sam.jones" not in page


@pytest.mark.parametrize(
    ("now", "wait"),
    [(dt.datetime(2026, 3, 2, 10, 59, 30), "1 minute and"), (dt.datetime(2026, 3, 2, 10, 50), "10 minutes and")],
)
def test_sign_in_link_throttle_says_how_long_to_wait_in_good_english(
    browser: Browser, clock_at: Any, now: dt.datetime, wait: str
) -> None:
    # The requests are counted in windows that end on the hour, so these are 30 seconds and 10 minutes before one.
    clock_at(now)
    for _ in range(email_sign_in.PER_ADDRESS):
        browser.submit("/sign-in/email", {"email": "wait@example.org"})
    refused = browser.submit("/sign-in/email", {"email": "wait@example.org"})
    assert refused.status_code == 429
    assert f"Too many attempts. Please wait {wait} try again." in refused.get_data(as_text=True)


def test_password_sign_in_throttle_says_1_minute_not_1_minutes(
    browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(config, "_current", config.current().with_overrides(sign_in_window_seconds=30))
    user = factories.make_user()
    guess(browser, user.email, config.current().sign_in_max_failures)
    page = sign_in(browser, user.email, factories.PASSWORD, ATTACKER).get_data(as_text=True)
    assert "Too many attempts. Please wait 1 minute and try again." in page
