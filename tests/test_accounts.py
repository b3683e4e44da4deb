"""Registration, verification, sign-in with throttling, sessions and password reset."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backend import config
from backend.accounts import auth, services
from backend.accounts.models import SignInFailure, User, UserSession
from backend.complaints.policies import represents
from backend.errors import Invalid, Throttled
from tests import factories
from tests.conftest import Browser, read_mail

LINK = re.compile(r"(http://learnloop\.test/[^\s]+)")


def link_in(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = LINK.search(text)
    assert match, text
    return match.group(1).replace("http://learnloop.test", "")


def test_register_resident_creates_an_unverified_resident_and_sends_a_link(mail_dir: Path) -> None:
    user = services.register_resident("New.Person@Example.org", factories.PASSWORD, "New Person", "cy")
    assert user is not None
    assert user.email == "new.person@example.org"
    assert user.role_names() == {"resident"}
    assert user.email_verified_at is None
    (message,) = read_mail(mail_dir)
    assert message["To"] == "new.person@example.org"
    assert message.get_body(preferencelist=("html",)) is not None
    assert "/verify-email?token=" in link_in(message)


def test_register_resident_with_a_taken_email_reveals_nothing_and_warns_the_owner(
    browser: Browser, mail_dir: Path
) -> None:
    owner = factories.make_user(email="taken@example.org")
    fresh = browser.submit(
        "/register",
        {
            "display_name": "A",
            "email": "fresh@example.org",
            "password": factories.PASSWORD,
            "confirm": factories.PASSWORD,
            "locale": "en",
        },
    )
    taken = browser.submit(
        "/register",
        {
            "display_name": "B",
            "email": "TAKEN@example.org",
            "password": factories.PASSWORD,
            "confirm": factories.PASSWORD,
            "locale": "en",
        },
    )
    assert fresh.status_code == taken.status_code == 200
    strip = lambda html: re.sub(r'value="[^"]+"', "", html)  # noqa: E731
    assert strip(fresh.get_data(as_text=True)) == strip(taken.get_data(as_text=True))
    recipients = [m["To"] for m in read_mail(mail_dir)]
    assert recipients.count(owner.email) == 1
    assert User.select().where(User.email == "taken@example.org").count() == 1


@pytest.mark.parametrize(
    ("email", "password", "name", "field", "code"),
    [
        ("not-an-email", factories.PASSWORD, "Name", "email", "invalid"),
        ("a@example.org", "short", "Name", "password", "too_short"),
        ("a@example.org", "x" * 300, "Name", "password", "too_long"),
        ("longpassword@example.org", "longpassword@example.org", "Name", "password", "same_as_email"),
        ("a@example.org", factories.PASSWORD, "   ", "display_name", "required"),
        ("a@example.org", factories.PASSWORD, "n" * 200, "display_name", "too_long"),
    ],
)
def test_register_resident_with_bad_input_raises_invalid(email, password, name, field, code) -> None:
    with pytest.raises(Invalid) as error:
        services.register_resident(email, password, name)
    assert (error.value.field, error.value.code) == (field, code)


def test_register_page_with_bad_input_keeps_what_was_typed_and_explains(browser: Browser) -> None:
    response = browser.submit(
        "/register",
        {
            "display_name": "Sam Jones",
            "email": "sam@example.org",
            "password": "short",
            "confirm": "short",
            "locale": "en",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "at least 10 characters" in html
    assert 'value="Sam Jones"' in html and 'value="sam@example.org"' in html


def test_register_page_errors_are_in_the_chosen_language(browser: Browser) -> None:
    response = browser.submit(
        "/register",
        {"display_name": "", "email": "x@example.org", "password": "a", "confirm": "b", "locale": "cy"},
        headers={"Accept-Language": "cy"},
    )
    html = response.get_data(as_text=True)
    assert 'lang="cy"' in html
    assert "There is a problem" not in html


def test_verify_email_link_confirms_the_address_once(browser: Browser, mail_dir: Path) -> None:
    user = services.register_resident("verify@example.org", factories.PASSWORD, "V")
    link = link_in(read_mail(mail_dir)[0])
    assert browser.client.get(link).status_code == 200
    assert User.get_by_id(user.id).email_verified_at is None  # opening the link is not enough
    assert browser.submit(link, {"password": factories.PASSWORD}, page=link).status_code == 302
    assert User.get_by_id(user.id).email_verified_at is not None
    browser.sign_out()
    assert browser.client.get(link).status_code == 302  # already confirmed


@pytest.mark.parametrize("token", ["", "garbage", "eyJ1aWQiOjF9.AAAA.BBBB"])
def test_verify_email_with_bad_token_explains(browser: Browser, token: str) -> None:
    response = browser.client.get(f"/verify-email?token={token}")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_verify_email_with_expired_token_says_it_expired(monkeypatch: pytest.MonkeyPatch) -> None:
    user = factories.make_user(verified=False)
    token = services.email_verification_token(user)
    # A negative age limit makes a link signed just now already too old.
    monkeypatch.setattr(config, "_current", config.current().with_overrides(email_verify_max_age=-1))
    with pytest.raises(Invalid) as error:
        services.verify_email(token, factories.PASSWORD)
    assert error.value.code == "expired"


def test_expired_verify_email_link_offers_a_way_to_a_new_one(
    browser: Browser, mail_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.register_resident("late@example.org", factories.PASSWORD, "Late Person")
    link = link_in(read_mail(mail_dir)[0])
    monkeypatch.setattr(config, "_current", config.current().with_overrides(email_verify_max_age=-1))
    response = browser.client.get(link)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "This link has expired" in html
    assert '<a href="/sign-in">Sign in to get a new link</a>' in html
    # Signing in with the password leads an unconfirmed person to the button that sends a new link.
    assert "Send the link again" in browser.sign_in("late@example.org").get_data(as_text=True)


def test_sign_in_with_right_password_starts_a_new_server_side_session(browser: Browser) -> None:
    user = factories.make_user("resident")
    browser.client.get("/")
    response = browser.sign_in(user.email)
    assert response.status_code == 302
    assert UserSession.select().where(UserSession.user == user).count() == 1
    cookie = browser.client.get_cookie("learnloop_session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_sign_in_twice_gives_a_different_session_each_time(browser: Browser) -> None:
    user = factories.make_user()
    browser.sign_in(user.email)
    browser.sign_out()
    browser.sign_in(user.email)
    keys = {s.key_hash for s in UserSession.select().where(UserSession.user == user)}
    assert len(keys) == 2


def test_sign_in_with_wrong_password_gets_a_generic_message(browser: Browser) -> None:
    user = factories.make_user()
    wrong = browser.sign_in(user.email, "wrong password!")
    unknown = browser.sign_in("nobody@example.org", "wrong password!")
    assert wrong.status_code == unknown.status_code == 401
    message = "The email address or password is not correct."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_sign_in_is_throttled_after_repeated_failures(browser: Browser) -> None:
    user = factories.make_user()
    limit = config.current().sign_in_max_failures
    for _ in range(limit):
        assert browser.sign_in(user.email, "wrong password!").status_code == 401
    throttled = browser.sign_in(user.email)  # even the right password waits
    assert throttled.status_code == 429
    assert "Too many attempts" in throttled.get_data(as_text=True)


def test_authenticate_throttle_applies_per_address_too() -> None:
    limit = config.current().sign_in_max_failures * 4
    for n in range(limit):
        with pytest.raises(auth.InvalidCredentials):
            auth.authenticate(f"someone{n}@example.org", "wrong password!", "203.0.113.9")
    with pytest.raises(Throttled) as error:
        auth.authenticate("another@example.org", "wrong password!", "203.0.113.9")
    assert error.value.retry_after > 0


def test_authenticate_success_clears_the_failures_from_that_client() -> None:
    user = factories.make_user()
    limit = config.current().sign_in_max_failures
    for _ in range(limit - 1):
        with pytest.raises(auth.InvalidCredentials):
            auth.authenticate(user.email, "wrong password!", "203.0.113.9")
    auth.authenticate(user.email, factories.PASSWORD, "203.0.113.9")
    for _ in range(limit - 1):  # a fresh allowance: the next wrong guesses are not yet throttled
        with pytest.raises(auth.InvalidCredentials):
            auth.authenticate(user.email, "wrong password!", "203.0.113.9")
    assert SignInFailure.select().count() > 0  # the client's and the account's wider counts remain


def test_sign_in_refuses_a_deactivated_account(browser: Browser) -> None:
    user = factories.make_user(active=False)
    assert browser.sign_in(user.email).status_code == 401


def test_sign_out_ends_the_session_on_the_server(browser: Browser) -> None:
    user = factories.make_user()
    browser.sign_in(user.email)
    old_cookie = browser.client.get_cookie("learnloop_session").value
    browser.sign_out()
    browser.client.set_cookie("learnloop_session", old_cookie)
    assert browser.client.get("/account").status_code == 302


def test_sign_out_needs_a_post_with_csrf(browser: Browser) -> None:
    user = factories.make_user()
    browser.sign_in(user.email)
    assert browser.client.get("/sign-out").status_code == 405
    assert browser.client.post("/sign-out").status_code == 400
    assert browser.client.get("/account").status_code == 200


def test_password_reset_by_emailed_link_works_once_and_ends_other_sessions(
    browser: Browser, mail_dir: Path, app
) -> None:
    user = factories.make_user()
    other = app.test_client()
    Browser(other).sign_in(user.email)
    response = browser.submit("/reset-password", {"email": user.email.upper()})
    assert "Check your email" in response.get_data(as_text=True)
    link = link_in(read_mail(mail_dir)[-1])
    assert "/reset-password/confirm?token=" in link
    page = browser.client.get(link)
    assert page.status_code == 200
    new_password = "a brand new passphrase"
    done = browser.submit(link, {"password": new_password, "confirm": new_password}, page=link)
    assert done.status_code == 302
    assert other.get("/account").status_code == 302  # signed out everywhere else
    assert browser.client.get(link).status_code == 400  # used
    auth.authenticate(user.email, new_password)


def test_password_reset_for_unknown_email_looks_the_same_and_sends_nothing(browser: Browser, mail_dir: Path) -> None:
    response = browser.submit("/reset-password", {"email": "nobody@example.org"})
    assert "Check your email" in response.get_data(as_text=True)
    assert read_mail(mail_dir) == []


def test_password_reset_link_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    user = factories.make_user()
    token = auth.password_reset_token(user)
    monkeypatch.setattr(config, "_current", config.current().with_overrides(password_reset_max_age=-1))
    with pytest.raises(Invalid) as error:
        auth.reset_password(token, "another passphrase")
    assert error.value.code == "expired"


def test_change_password_needs_the_current_one(signed_in, browser: Browser) -> None:
    signed_in("resident")
    response = browser.submit(
        "/account/password",
        {"current_password": "not it at all", "password": "a new passphrase", "confirm": "a new passphrase"},
        page="/account",
    )
    assert response.status_code == 400
    assert "current password is not correct" in response.get_data(as_text=True)


def test_profile_update_saves_language_channel_and_adjustments(signed_in, browser: Browser) -> None:
    user = signed_in("resident")
    response = browser.submit(
        "/account",
        {
            "display_name": "Sam",
            "locale": "cy",
            "contact_channel": "sms",
            "phone": "07700 900123",
            "accessibility_needs": "Large print",
            "reasonable_adjustments": "Call before visiting",
        },
    )
    assert response.status_code == 302
    saved = User.get_by_id(user.id)
    assert (saved.locale, saved.contact_channel, saved.phone) == ("cy", "sms", "07700 900123")
    assert saved.reasonable_adjustments == "Call before visiting"
    page = browser.client.get("/account")
    assert 'lang="cy"' in page.get_data(as_text=True)


def test_profile_update_with_sms_but_no_phone_explains(signed_in, browser: Browser) -> None:
    signed_in("resident")
    response = browser.submit(
        "/account",
        {
            "display_name": "Sam",
            "locale": "en",
            "contact_channel": "sms",
            "phone": "",
            "accessibility_needs": "",
            "reasonable_adjustments": "",
        },
    )
    assert response.status_code == 400
    assert "mobile number" in response.get_data(as_text=True)


def test_record_representation_needs_staff_and_an_advocate() -> None:
    from backend.accounts.tokens import actor_for_user
    from backend.errors import NotAllowed

    advocate, resident = factories.make_user("advocate"), factories.make_user("resident")
    with pytest.raises(NotAllowed):
        services.record_representation(actor_for_user(resident), advocate.id, resident.id, "written")
    staff = factories.make_user("staff")
    with pytest.raises(Invalid):
        services.record_representation(actor_for_user(staff), resident.id, resident.id, "written")
    services.record_representation(actor_for_user(staff), advocate.id, resident.id, "verbal")
    assert represents(advocate.id, resident.id)


def test_emailed_links_open_in_the_accounts_language(browser: Browser) -> None:
    """Opened in a fresh browser from a Welsh email, the page is in Welsh too."""
    from backend.accounts.auth import password_reset_token
    from backend.accounts.email_sign_in import sign_in_link_token

    user = factories.make_user(locale="cy", verified=False)
    pages = [
        f"/verify-email?token={services.email_verification_token(user)}",
        f"/sign-in/email/confirm?token={sign_in_link_token(user)}",
        f"/reset-password/confirm?token={password_reset_token(user)}",
    ]
    for page in pages:
        assert 'lang="cy"' in browser.client.get(page, headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_signing_out_keeps_the_persons_language(browser: Browser) -> None:
    user = factories.make_user(locale="cy")
    browser.sign_in(user.email)
    browser.sign_out()
    assert 'lang="cy"' in browser.client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
