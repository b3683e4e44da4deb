"""Attacks on accounts from the security assessment, each replayed over HTTP or GraphQL.

Pre-registering someone else's address, credentials that outlive a password change, telling
registered addresses from others, and mail bombing through the account forms.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from backend import config
from backend.accounts import auth, services
from backend.accounts.models import ApiToken, User
from backend.accounts.tokens import actor_for_user, create_token
from backend.context import SYSTEM
from backend.db import count_statements, db
from backend.errors import Invalid
from tests import factories
from tests.conftest import Browser, read_mail
from tests.test_accounts import link_in

VIEWER = "{ viewer { email } }"
SAVEPOINT_NAME = re.compile(r"\bs[0-9a-f]{32}\b")  # peewee names each savepoint at random
CREATE_TOKEN = """mutation($input: ApiTokenCreateInput!) {
  apiTokenCreate(input: $input) { __typename ... on ApiTokenCreated { secret } ... on NotFoundError { message }
    ... on NotAllowedError { message } } }"""
REVOKE_TOKEN = """mutation($id: ID!) { apiTokenRevoke(input: {id: $id}) { __typename
  ... on NotFoundError { message } ... on NotAllowedError { message } } }"""


def register(browser: Browser, email: str, password: str = factories.PASSWORD, name: str = "Sam Jones") -> Any:
    return browser.submit(
        "/register", {"display_name": name, "email": email, "password": password, "confirm": password, "locale": "en"}
    )


def with_token(client: Any, secret: str, query: str = VIEWER) -> Any:
    return client.post("/graphql", json={"query": query}, headers={"Authorization": f"Bearer {secret}"})


def neutral(html: str) -> str:
    """The page without its per-request values (CSRF tokens), to compare two answers."""
    return re.sub(r'value="[^"]+"', "", html)


def mail_to(mail_dir: Path, address: str) -> list[Any]:
    return [message for message in read_mail(mail_dir) if message["To"] == address]


@pytest.fixture
def mid_hour(clock_at: Any) -> None:
    """Hold the clock in the middle of an hour, so that no test straddles two of the limits' windows."""
    clock_at(dt.datetime(2026, 3, 2, 10, 30))


def limits(monkeypatch: pytest.MonkeyPatch, per_address: int = 5, per_client: int = 20) -> None:
    settings = config.current().with_overrides(
        account_mail_per_address_per_hour=per_address, account_mail_per_client_per_hour=per_client
    )
    monkeypatch.setattr(config, "_current", settings)


# --- Item 2: pre-registered addresses, and credentials that survive a password change --------


def test_registering_someone_elses_address_gives_no_sign_in(browser: Browser) -> None:
    assert register(browser, "victim@example.net").status_code == 200
    response = browser.sign_in("victim@example.net")
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Confirm your email address first" in html
    assert browser.client.get("/account").status_code == 302  # no session
    assert browser.graphql(VIEWER).json["data"]["viewer"]["email"] is None


@pytest.mark.usefixtures("mid_hour")
def test_unconfirmed_sign_in_page_sends_a_new_link_that_confirms_the_address(browser: Browser, mail_dir: Path) -> None:
    register(browser, "slow@example.net")
    page = browser.sign_in("slow@example.net").get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    response = browser.client.post(
        "/verify-email/resend", data={"csrf_token": browser.csrf("/sign-in"), "token": token}
    )
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    first, second = mail_to(mail_dir, "slow@example.net")
    assert browser.client.get(link_in(second)).status_code == 200  # asks for the password chosen
    confirmed = browser.submit(link_in(second), {"password": factories.PASSWORD}, page=link_in(second))
    assert confirmed.status_code == 302  # confirmed, and signed in
    browser.sign_out()
    assert browser.sign_in("slow@example.net").status_code == 302


def test_resend_with_a_forged_token_sends_nothing(browser: Browser, mail_dir: Path) -> None:
    user = factories.make_user(verified=False)
    response = browser.client.post(
        "/verify-email/resend", data={"csrf_token": browser.csrf("/sign-in"), "token": f'{{"uid": {user.id}}}'}
    )
    assert response.status_code == 400
    assert read_mail(mail_dir) == []


def test_session_of_an_unconfirmed_account_counts_for_nothing() -> None:
    user = factories.make_user(verified=False)
    _session, key = factories.make_session(user)  # as sign-in made them before confirmation was needed
    assert auth.load_session(key) is None


def test_unconfirmed_person_cannot_make_their_own_token() -> None:
    user = factories.make_user(verified=False)
    with pytest.raises(Invalid) as error:
        create_token(actor_for_user(user), user.email, "write")
    assert (error.value.field, error.value.code) == ("owner", "unverified")


def test_token_an_unconfirmed_owner_made_for_themself_stops_working(client: Any) -> None:
    user = factories.make_user(verified=False)
    token, secret = factories.make_token(user, "write")
    ApiToken.update(created_by=user.id).where(ApiToken.id == token.id).execute()
    assert with_token(client, secret).status_code == 401


@pytest.mark.usefixtures("mid_hour")
def test_password_reset_by_the_owner_revokes_the_token_the_squatter_made(
    browser: Browser, client: Any, mail_dir: Path
) -> None:
    victim = factories.make_user(email="victim@example.net", verified=False)
    _token, secret = factories.make_token(victim, "write")  # made before sign-in needed a confirmed address
    assert with_token(client, secret).status_code == 200
    browser.submit("/reset-password", {"email": victim.email})
    link = link_in(mail_to(mail_dir, victim.email)[-1])
    new_password = "the owner's own passphrase"
    assert browser.submit(link, {"password": new_password, "confirm": new_password}, page=link).status_code == 302
    assert with_token(client, secret).status_code == 401
    assert User.get_by_id(victim.id).email_verified_at is not None


def test_password_change_revokes_tokens_and_ends_other_sessions_but_not_this_one(
    app: Any, signed_in: Any, browser: Browser
) -> None:
    user = signed_in("resident")
    elsewhere = app.test_client()
    assert Browser(elsewhere).sign_in(user.email).status_code == 302
    _token, secret = factories.make_token(user, "write")
    new_password = "a different passphrase"
    response = browser.submit(
        "/account/password",
        {"current_password": factories.PASSWORD, "password": new_password, "confirm": new_password},
        page="/account",
    )
    assert response.status_code == 302
    assert browser.client.get("/account").status_code == 200  # the session that changed it stays
    assert elsewhere.get("/account").status_code == 302
    assert with_token(app.test_client(), secret).status_code == 401


def test_invited_account_is_confirmed_by_its_link_and_can_sign_in(browser: Browser, mail_dir: Path) -> None:
    services.create_user(SYSTEM, "invited@example.org", "Invited Person", ["staff"])
    link = link_in(mail_to(mail_dir, "invited@example.org")[-1])
    password = "my chosen passphrase"
    assert browser.submit(link, {"password": password, "confirm": password}, page=link).status_code == 302
    browser.sign_out()
    assert browser.sign_in("invited@example.org", password).status_code == 302


def test_account_created_with_a_password_can_sign_in_at_once(browser: Browser) -> None:
    services.create_user(SYSTEM, "made@example.org", "Made By Admin", ["resident"], password=factories.PASSWORD)
    assert browser.sign_in("made@example.org").status_code == 302


def test_account_page_lists_own_live_tokens_without_secrets(signed_in: Any, browser: Browser) -> None:
    user = signed_in("resident")
    _mine, secret = create_token(SYSTEM, user.email, "write", "Budget spreadsheet")
    revoked, _ = create_token(SYSTEM, user.email, "read", "Old phone app")
    ApiToken.update(revoked_at=dt.datetime(2026, 1, 1)).where(ApiToken.id == revoked.id).execute()
    create_token(SYSTEM, factories.make_user().email, "read", "Someone else's tool")
    html = browser.client.get("/account").get_data(as_text=True)
    assert "Budget spreadsheet" in html and "Read and write" in html and "Never" in html
    assert "Old phone app" not in html and "Someone else" not in html
    # Only the public prefix that tells tokens apart is shown, never the rest of the secret.
    assert secret not in html and secret[12:] not in html


def test_account_page_tells_apart_two_tokens_with_the_same_name(signed_in: Any, browser: Browser) -> None:
    user = signed_in("resident")
    first, _ = create_token(SYSTEM, user.email, "read", "Spreadsheet")
    second, _ = create_token(SYSTEM, user.email, "read", "Spreadsheet")
    html = browser.client.get("/account").get_data(as_text=True)
    assert "Starts with" in html
    assert f"<code>{first.prefix}…</code>" in html and f"<code>{second.prefix}…</code>" in html
    # The Revoke buttons differ too, for someone who moves from button to button with a screen reader.
    assert f"Spreadsheet, starting {first.prefix}…" in html and f"Spreadsheet, starting {second.prefix}…" in html


def test_admin_sees_only_their_own_tokens_on_the_account_page(signed_in: Any, browser: Browser) -> None:
    signed_in("admin")
    create_token(SYSTEM, factories.make_user().email, "read", "Someone else's tool")
    assert "Someone else" not in browser.client.get("/account").get_data(as_text=True)


def test_resident_revokes_a_token_from_the_account_page(signed_in: Any, browser: Browser) -> None:
    user = signed_in("resident")
    token, _ = create_token(SYSTEM, user.email, "read", "Tool")
    response = browser.submit(f"/account/tokens/{token.id}/revoke", {}, page="/account")
    assert response.status_code == 302
    assert ApiToken.get_by_id(token.id).revoked_at is not None
    assert "has been revoked" in browser.client.get("/account").get_data(as_text=True)


def test_resident_cannot_revoke_someone_elses_token_from_the_account_page(signed_in: Any, browser: Browser) -> None:
    signed_in("resident")
    token, _ = create_token(SYSTEM, factories.make_user().email, "read", "Tool")
    browser.submit(f"/account/tokens/{token.id}/revoke", {}, page="/account")
    assert ApiToken.get_by_id(token.id).revoked_at is None
    assert "We could not find that" in browser.client.get("/account").get_data(as_text=True)


def test_token_revoke_from_the_account_page_needs_csrf(signed_in: Any, browser: Browser) -> None:
    user = signed_in("resident")
    token, _ = create_token(SYSTEM, user.email, "read", "Tool")
    assert browser.client.post(f"/account/tokens/{token.id}/revoke").status_code == 400
    assert ApiToken.get_by_id(token.id).revoked_at is None


# --- Item 7: the same answer, and the same work, whether or not an address is registered -----


def test_token_create_answers_alike_for_someone_elses_address_and_a_missing_one(
    signed_in: Any, browser: Browser
) -> None:
    signed_in("resident")
    someone = factories.make_user("admin")
    answers = [
        browser.graphql(CREATE_TOKEN, {"input": {"ownerEmail": email, "scope": "write"}}).json["data"]
        for email in (someone.email, someone.email.upper(), "nobody@example.org")
    ]
    assert answers[0] == answers[1] == answers[2]
    assert answers[0]["apiTokenCreate"]["__typename"] == "NotFoundError"
    assert ApiToken.select().count() == 0


def test_token_revoke_answers_alike_for_someone_elses_token_and_a_missing_one(signed_in: Any, browser: Browser) -> None:
    signed_in("resident")
    token, _ = factories.make_token(factories.make_user("staff"))
    theirs = browser.graphql(REVOKE_TOKEN, {"id": str(token.id)}).json["data"]
    missing = browser.graphql(REVOKE_TOKEN, {"id": str(token.id + 1000)}).json["data"]
    assert theirs == missing
    assert theirs["apiTokenRevoke"]["__typename"] == "NotFoundError"
    assert ApiToken.get_by_id(token.id).revoked_at is None


@pytest.mark.usefixtures("mid_hour")
def test_registration_hashes_the_password_whether_or_not_the_address_is_taken(
    browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = factories.make_user()
    hashed: list[str] = []
    real_hash = services.hash_password
    monkeypatch.setattr(services, "hash_password", lambda password: hashed.append(password) or real_hash(password))
    register(browser, "new.person@example.org", "first passphrase")
    register(browser, taken.email, "second passphrase")
    assert hashed == ["first passphrase", "second passphrase"]


@pytest.mark.usefixtures("mid_hour")
def test_password_reset_request_does_the_same_work_for_any_address(
    browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backend.events import services as events

    dispatched: list[int] = []
    monkeypatch.setattr(events, "_dispatcher", dispatched.append)  # as in production: the worker sends
    user = factories.make_user()
    work = {}
    for email in (user.email, "nobody@example.org"):
        token = browser.csrf("/reset-password")
        with count_statements(db.obj) as statements:
            page = browser.client.post("/reset-password", data={"csrf_token": token, "email": email})
        work[email] = ([SAVEPOINT_NAME.sub("s", sql) for sql in statements], neutral(page.get_data(as_text=True)))
    assert work[user.email] == work["nobody@example.org"]
    assert len(dispatched) == 2


# --- Item 10: account mail is limited per address and per client ----------------------------


@pytest.mark.usefixtures("mid_hour")
def test_password_reset_mail_is_limited_per_address_in_any_spelling(
    browser: Browser, mail_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limits(monkeypatch, per_address=3)
    user = factories.make_user(email="often@example.org")
    spellings = ["often@example.org", "OFTEN@example.org", "often@ｅxample.org", " often@example.org "] * 2
    pages = [browser.submit("/reset-password", {"email": email}) for email in spellings]
    assert {page.status_code for page in pages} == {200}
    assert len({neutral(page.get_data(as_text=True)) for page in pages}) == 1
    assert len(mail_to(mail_dir, user.email)) == 3


@pytest.mark.usefixtures("mid_hour")
def test_password_reset_requests_are_limited_per_client(
    app: Any, browser: Browser, mail_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limits(monkeypatch, per_client=4)
    people = [factories.make_user() for _ in range(6)]
    for person in people:
        browser.submit("/reset-password", {"email": person.email})
    assert len(read_mail(mail_dir)) == 4
    other_client = Browser(app.test_client())
    last = people[-1].email
    other_client.submit("/reset-password", {"email": last}, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert len(mail_to(mail_dir, last)) == 1


@pytest.mark.usefixtures("mid_hour")
def test_repeated_registration_of_an_address_is_limited(
    browser: Browser, mail_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limits(monkeypatch, per_address=2)
    owner = factories.make_user(email="owner@example.org")
    pages = [register(browser, "Owner@Example.org", name=f"Attempt {n}") for n in range(5)]
    assert {page.status_code for page in pages} == {200}
    assert len({neutral(page.get_data(as_text=True)) for page in pages}) == 1
    assert len(mail_to(mail_dir, owner.email)) == 2


@pytest.mark.usefixtures("mid_hour")
def test_registrations_are_limited_per_client(
    browser: Browser, mail_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limits(monkeypatch, per_client=3)
    pages = [register(browser, f"new{n}@example.org") for n in range(5)]
    assert len({neutral(page.get_data(as_text=True)) for page in pages}) == 1
    assert User.select().where(User.email.startswith("new")).count() == 3
    assert len(read_mail(mail_dir)) == 3


@pytest.mark.usefixtures("mid_hour")
def test_new_confirmation_links_are_limited(browser: Browser, mail_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    limits(monkeypatch, per_address=3)
    register(browser, "resend@example.org")
    page = browser.sign_in("resend@example.org").get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    answers = [
        browser.client.post("/verify-email/resend", data={"csrf_token": browser.csrf("/sign-in"), "token": token})
        for _ in range(5)
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 429, 429, 429]
    assert len(mail_to(mail_dir, "resend@example.org")) == 3  # the first link, then two more


@pytest.mark.usefixtures("mid_hour")
def test_confirm_page_says_honestly_when_new_links_are_used_up(
    browser: Browser, mail_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only someone who gave the right password holds the token, so the owner may be told the truth.
    limits(monkeypatch, per_address=1)
    register(browser, "many@example.org")
    page = browser.sign_in("many@example.org").get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    refused = browser.client.post("/verify-email/resend", data={"csrf_token": browser.csrf("/sign-in"), "token": token})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "We have sent a message" not in html
    assert "You have asked for a new link too many times. Wait 30 minutes, then ask again." in html
    assert "Send the link again" in html and html.count('name="token"') == 1
    assert len(mail_to(mail_dir, "many@example.org")) == 1


@pytest.mark.usefixtures("mid_hour")
def test_signed_in_resend_over_the_limit_says_when_to_try_again(
    signed_in: Any, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    limits(monkeypatch, per_address=1)
    signed_in("resident")
    answers = [browser.submit("/verify-email/resend", {}, page="/", follow_redirects=True) for _ in range(2)]
    assert "We have sent you a new link" in answers[0].get_data(as_text=True)
    refused = answers[1].get_data(as_text=True)
    assert "We have sent you a new link" not in refused
    assert "You have asked for a new link too many times. Wait 30 minutes, then ask again." in refused


@pytest.mark.usefixtures("mid_hour")
def test_limits_of_zero_turn_them_off(browser: Browser, mail_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    limits(monkeypatch, per_address=0, per_client=0)
    user = factories.make_user()
    for _ in range(8):
        browser.submit("/reset-password", {"email": user.email})
    assert len(mail_to(mail_dir, user.email)) == 8


@pytest.mark.usefixtures("mid_hour")
def test_owner_following_a_strangers_registration_link_cannot_make_the_strangers_password_work(
    app, browser: Browser, mail_dir: Path
) -> None:
    """The assessment of the fixed site: confirming a registration someone else made kept their password."""
    register(browser, "owner@example.net", password="attacker secret 999")
    owner = Browser(app.test_client())
    link = link_in(mail_to(mail_dir, "owner@example.net")[-1])
    assert owner.client.get(link).status_code == 200  # the page asks for the password; the owner does not know it
    guessed = owner.submit(link, {"password": "a guess of mine 123"}, page=link)
    assert guessed.status_code == 400
    assert User.get(User.email == "owner@example.net").email_verified_at is None
    assert browser.sign_in("owner@example.net", "attacker secret 999").status_code == 403


@pytest.mark.usefixtures("mid_hour")
def test_sign_in_link_to_an_unconfirmed_account_discards_the_registrants_password(
    app, browser: Browser, mail_dir: Path
) -> None:
    register(browser, "owner2@example.net", password="attacker secret 999")
    owner = Browser(app.test_client())
    owner.submit("/sign-in/email", {"email": "owner2@example.net"})
    texts = [body_of(message) for message in mail_to(mail_dir, "owner2@example.net")]
    link = next(re.search(r"/sign-in/email/confirm\?token=\S+", text) for text in texts if "/sign-in/email/" in text)
    used = owner.submit(link.group(0), {}, page=link.group(0))
    assert used.status_code == 302
    assert owner.graphql(VIEWER).json["data"]["viewer"]["email"] == "owner2@example.net"
    assert browser.sign_in("owner2@example.net", "attacker secret 999").status_code == 401
    assert User.get(User.email == "owner2@example.net").password_hash is None


def body_of(message: Any) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_borrowed_session_cannot_guess_the_current_password_at_leisure() -> None:
    from backend.errors import Throttled

    user = factories.make_user()
    for _ in range(config.current().sign_in_max_failures):
        with pytest.raises(Invalid):
            auth.change_password(actor_for_user(user), "a wrong guess 1234", "a new passphrase 5678")
    with pytest.raises(Throttled):
        auth.change_password(actor_for_user(user), factories.PASSWORD, "a new passphrase 5678")


@pytest.mark.parametrize(
    ("page", "field"),
    [("/sign-in", "email"), ("/sign-in", "password"), ("/register", "email")],
)
def test_overlong_sign_in_and_registration_fields_are_refused_with_a_message(
    browser: Browser, page: str, field: str
) -> None:
    values = {"email": "someone@example.org", "password": "a long passphrase 42", "display_name": "Sam"}
    values[field] = "x" * 5000 + ("@example.org" if field == "email" else "")
    response = browser.submit(page, values)
    assert response.status_code == 400 and "There is a problem" in response.get_data(as_text=True)
