"""Two-step sign-in: the code after any first factor, enrolment at /account, removal, throttling,
replay, recovery codes, and what admins can require and reset."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pyotp
import pytest

from backend import config
from backend.accounts import second_factor
from backend.accounts.models import RecoveryCode, SecondFactor, User, UserSession
from backend.audit.models import AuditEvent
from tests import factories
from tests.conftest import Browser, read_mail

VIEWER = "{ viewer { isAuthenticated email } }"
TOKEN = 'mutation { apiTokenCreate(input: {ownerEmail: "%s", scope: "write"}) { __typename } }'


def signed_in_email(browser: Browser) -> str | None:
    viewer = browser.graphql(VIEWER).get_json()["data"]["viewer"]
    return viewer["email"] if viewer["isAuthenticated"] else None


def code_for(factor: SecondFactor, steps_ago: int = 0) -> str:
    return pyotp.TOTP(second_factor.authenticator_key(factor)).at(time.time() - 30 * steps_ago)


def give_code(browser: Browser, code: str):
    return browser.submit("/sign-in/code", {"code": code})


@pytest.fixture
def protected() -> tuple[User, SecondFactor]:
    user = factories.make_user("staff")
    return user, factories.make_second_factor(user)


def test_password_alone_does_not_sign_in_someone_with_a_second_factor(browser: Browser, protected) -> None:
    user, factor = protected
    response = browser.sign_in(user.email)
    assert response.status_code == 302 and response.location.endswith("/sign-in/code")
    assert signed_in_email(browser) is None
    assert browser.client.get("/console/").location.endswith("/sign-in/code")
    assert "apiTokenCreate" not in str(browser.graphql(TOKEN % user.email).get_json().get("data"))
    assert give_code(browser, code_for(factor)).status_code == 302
    assert signed_in_email(browser) == user.email
    assert browser.client.get("/console/").status_code == 200


def test_a_code_cannot_be_used_twice_and_the_page_says_it_was_just_used(browser: Browser, app, protected) -> None:
    user, factor = protected
    code = code_for(factor)
    browser.sign_in(user.email)
    assert give_code(browser, code).status_code == 302
    thief = Browser(app.test_client())
    thief.sign_in(user.email)
    replay = give_code(thief, code)
    page = replay.get_data(as_text=True)
    assert replay.status_code == 400 and "That code has just been used. Wait for the next code" in page
    assert "That code is not right" not in page
    assert signed_in_email(thief) is None
    assert "That code is not right" in give_code(thief, "000000").get_data(as_text=True)


def test_an_older_code_is_refused_after_a_newer_one(protected) -> None:
    user, factor = protected
    assert second_factor.check_code(user, code_for(factor)) == "totp"
    with pytest.raises(Exception, match="used"):
        second_factor.check_code(user, code_for(factor, steps_ago=1))


def test_wrong_codes_are_throttled(browser: Browser, protected) -> None:
    user, factor = protected
    browser.sign_in(user.email)
    for _ in range(config.current().sign_in_max_failures):
        assert give_code(browser, "000000").status_code == 400
    throttled = give_code(browser, code_for(factor))
    assert throttled.status_code == 429 and "Too many attempts" in throttled.get_data(as_text=True)
    assert signed_in_email(browser) is None


def test_recovery_code_signs_in_once(browser: Browser, app, protected) -> None:
    user, _factor = protected
    factories.make_recovery_code(user, "ABCD-EFGH-IJKL-MNOP")
    browser.sign_in(user.email)
    assert give_code(browser, "abcd efgh ijkl mnop").status_code == 302
    assert signed_in_email(browser) == user.email
    again = Browser(app.test_client())
    again.sign_in(user.email)
    assert give_code(again, "ABCD-EFGH-IJKL-MNOP").status_code == 400


def test_emailed_sign_in_link_still_asks_for_the_code(browser: Browser, mail_dir: Path, protected) -> None:
    user, factor = protected
    browser.submit("/sign-in/email", {"email": user.email})
    text = read_mail(mail_dir)[-1].get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://learnloop\.test(/sign-in/email/confirm\?token=\S+)", text).group(1)
    used = browser.submit(link, {}, page=link)
    assert used.location.endswith("/sign-in/code")
    assert signed_in_email(browser) is None
    give_code(browser, code_for(factor))
    assert signed_in_email(browser) == user.email


def test_password_reset_still_asks_for_the_code(browser: Browser, mail_dir: Path, protected) -> None:
    user, factor = protected
    browser.submit("/reset-password", {"email": user.email})
    text = read_mail(mail_dir)[-1].get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://learnloop\.test(/reset-password/confirm\?token=\S+)", text).group(1)
    browser.submit(link, {"password": "a brand new passphrase", "confirm": "a brand new passphrase"}, page=link)
    assert signed_in_email(browser) is None
    assert browser.client.get("/account").location.endswith("/sign-in/code")


def test_waiting_for_a_code_runs_out(browser: Browser, protected, monkeypatch: pytest.MonkeyPatch) -> None:
    from portal import security

    user, factor = protected
    browser.sign_in(user.email)
    monkeypatch.setattr(security, "PENDING_SECONDS", -1)
    assert browser.client.get("/sign-in/code").location.endswith("/sign-in")
    assert browser.client.get("/").status_code == 200  # no longer held at the code page
    assert signed_in_email(browser) is None


def test_bearer_tokens_are_not_asked_for_a_code(client, protected) -> None:
    user, _factor = protected
    _token, secret = factories.make_token(user)
    response = client.post("/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {secret}"})
    assert response.get_json()["data"]["viewer"]["email"] == user.email


def test_enrolment_shows_a_key_and_qr_code_and_needs_a_first_code(signed_in, browser: Browser, app) -> None:
    user = signed_in("resident")
    elsewhere = Browser(app.test_client())
    elsewhere.sign_in(user.email)
    page = browser.client.get("/account/second-factor").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page and 'alt="QR code' in page
    factor = SecondFactor.get(SecondFactor.user == user)
    assert second_factor.authenticator_key(factor)[:4] in page
    wrong = browser.submit(
        "/account/second-factor/confirm",
        {"current_password": factories.PASSWORD, "code": "123456"},
        page="/account/second-factor",
    )
    assert wrong.status_code == 400 and not second_factor.is_enabled(user.id)
    done = browser.submit(
        "/account/second-factor/confirm",
        {"current_password": factories.PASSWORD, "code": code_for(factor)},
        page="/account/second-factor",
    )
    assert done.status_code == 302 and done.location.endswith("/account/second-factor/codes")
    shown = browser.client.get(done.location).get_data(as_text=True)
    codes = re.findall(r'<code dir="ltr">([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})</code>', shown)
    assert len(codes) == 10 and RecoveryCode.select().where(RecoveryCode.user == user).count() == 10
    assert second_factor.is_enabled(user.id)
    assert signed_in_email(browser) == user.email  # this browser stays signed in
    assert signed_in_email(elsewhere) is None  # every other session ended
    assert AuditEvent.select().where(AuditEvent.action == "second_factor.enabled").count() == 1


def test_turning_off_needs_the_password_and_a_code(signed_in, browser: Browser) -> None:
    user = signed_in("resident")
    factor = factories.make_second_factor(user)
    no_code = browser.submit(
        "/account/second-factor/disable",
        {"current_password": factories.PASSWORD, "code": "000000"},
        page="/account/second-factor",
    )
    wrong_password = browser.submit(
        "/account/second-factor/disable",
        {"current_password": "not my password", "code": code_for(factor)},
        page="/account/second-factor",
    )
    assert no_code.status_code == wrong_password.status_code == 400
    assert second_factor.is_enabled(user.id)
    done = browser.submit(
        "/account/second-factor/disable",
        {"current_password": factories.PASSWORD, "code": code_for(factor)},
        page="/account/second-factor",
    )
    assert done.status_code == 302 and not second_factor.is_enabled(user.id)


def test_admin_requires_a_second_factor_for_staff(signed_in, browser: Browser, app) -> None:
    signed_in("admin")
    saved = browser.submit("/console/security", {"required": "y"})
    assert saved.status_code == 302 and second_factor.required_for_staff()
    assert AuditEvent.select().where(AuditEvent.action == "security_setting.changed").count() == 1
    staff = factories.make_user("staff")
    handler = Browser(app.test_client())
    assert handler.sign_in(staff.email).status_code == 302
    sent = handler.client.get("/console/")
    assert sent.status_code == 302 and sent.location.endswith("/account/second-factor")
    refused = handler.graphql("{ people { totalCount } }")
    assert refused.status_code == 403
    assert refused.get_json()["errors"][0]["extensions"]["code"] == "SECOND_FACTOR_REQUIRED"
    assert handler.client.get("/account/second-factor").status_code == 200
    resident = factories.make_user("resident")
    neighbour = Browser(app.test_client())
    neighbour.sign_in(resident.email)
    assert neighbour.client.get("/account").status_code == 200  # residents are not asked


def test_staff_cannot_turn_off_a_required_second_factor(signed_in, browser: Browser) -> None:
    user = signed_in("staff")
    factor = factories.make_second_factor(user)
    factories.make_security_setting()
    refused = browser.submit(
        "/account/second-factor/disable",
        {"current_password": factories.PASSWORD, "code": code_for(factor)},
        page="/account/second-factor",
    )
    assert refused.status_code == 400 and second_factor.is_enabled(user.id)


def test_admin_resets_a_second_factor_and_the_person_is_told(signed_in, browser: Browser, mail_dir: Path) -> None:
    signed_in("admin")
    staff = factories.make_user("staff")
    factories.make_second_factor(staff)
    factories.make_recovery_code(staff)
    page = browser.client.get("/console/security").get_data(as_text=True)
    assert staff.email in page
    done = browser.submit(f"/console/security/{staff.id}/reset", {}, page="/console/security")
    assert done.status_code == 302
    assert not second_factor.is_enabled(staff.id)
    assert RecoveryCode.select().where(RecoveryCode.user == staff).count() == 0
    assert (
        AuditEvent.select().where(AuditEvent.action == "second_factor.reset", AuditEvent.entity_id == staff.id).count()
        == 1
    )
    (message,) = [m for m in read_mail(mail_dir) if m["To"] == staff.email]
    assert message["Subject"] == "Two-step sign-in was turned off for your account"


@pytest.mark.parametrize("role", ["staff", "manager", "resident"])
def test_only_admins_reach_sign_in_security(signed_in, browser: Browser, role: str) -> None:
    signed_in(role)
    assert browser.client.get("/console/security").status_code == 403
    assert not second_factor.required_for_staff()


def test_session_started_before_enrolment_cannot_create_tokens(signed_in, browser: Browser, app) -> None:
    user = signed_in("resident")
    old = Browser(app.test_client())
    old.sign_in(user.email)
    factor = second_factor.start_enrolment(factories_actor(user))
    second_factor.confirm_enrolment(
        factories_actor(user), code_for(factor), keep_session_key=None, password=factories.PASSWORD
    )
    data = old.graphql(TOKEN % user.email).get_json()
    assert "ApiTokenCreated" not in str(data)
    assert UserSession.select().where(UserSession.user == user, UserSession.revoked_at.is_null()).count() == 0


def factories_actor(user: User):
    from backend.accounts.tokens import actor_for_user

    return actor_for_user(user)


def test_authenticator_key_is_stored_sealed_and_only_opens_with_the_secret_key(monkeypatch) -> None:
    from backend import config
    from backend.accounts.sealing import SealBroken

    factor = factories.make_second_factor()
    key = second_factor.authenticator_key(factor)
    assert key not in factor.secret and len(key) >= 16
    monkeypatch.setattr(config, "_current", config.current().with_overrides(secret_key="another-" + "k" * 40))
    with pytest.raises(SealBroken):
        second_factor.authenticator_key(factor)


@pytest.mark.parametrize("authorization", ["Basic eA==", "Bearer llt_not-a-real-token", "Bearer", "Token abc"])
def test_any_authorization_header_does_not_skip_the_staff_requirement(app, authorization: str) -> None:
    """The assessment of the fixed site: any Authorization header let un-enrolled staff into the console."""
    factories.make_security_setting()
    staff = factories.make_user("staff")
    handler = Browser(app.test_client())
    assert handler.sign_in(staff.email).status_code == 302
    page = handler.client.get("/console/", headers={"Authorization": authorization})
    assert page.status_code == 302 and page.location.endswith("/account/second-factor")
    posted = handler.client.post(
        "/console/representations",
        headers={"Authorization": authorization},
        data={"csrf_token": handler.csrf("/account/second-factor")},
    )
    assert posted.status_code == 302 and posted.location.endswith("/account/second-factor")


def test_a_valid_token_still_reaches_the_api_when_staff_must_enrol(app, client) -> None:
    factories.make_security_setting()
    staff = factories.make_user("staff")
    _token, secret = factories.make_token(staff, scope="read")
    answer = client.post(
        "/graphql", json={"query": "{ viewer { email } }"}, headers={"Authorization": f"Bearer {secret}"}
    )
    assert answer.status_code == 200 and answer.get_json()["data"]["viewer"]["email"] == staff.email


def test_a_stolen_session_cannot_turn_two_step_sign_in_on_without_the_password(signed_in, browser: Browser) -> None:
    """The assessment of the fixed site: a second session enrolled and locked the owner out."""
    user = signed_in("resident")
    browser.client.get("/account/second-factor")
    factor = SecondFactor.get(SecondFactor.user == user.id)
    refused = browser.submit(
        "/account/second-factor/confirm",
        {"current_password": "", "code": code_for(factor)},
        page="/account/second-factor",
    )
    assert refused.status_code == 400
    assert not second_factor.is_enabled(user.id)
