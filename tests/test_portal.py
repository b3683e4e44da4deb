"""The three areas, gated by role; headers, cookies, language choice and CSRF on forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backend.accounts.models import User
from tests import factories
from tests.conftest import Browser

AREAS = {
    "/": {"resident", "advocate", "panel_member", "staff", "manager", "admin"},
    "/account": {"resident", "advocate", "panel_member", "staff", "manager", "admin"},
    "/panel/": {"panel_member", "manager", "admin"},
    "/console/": {"staff", "manager", "admin"},
    "/console/tokens": {"admin"},
    "/console/privacy/holds": {"admin"},
    "/console/audit": {"manager", "admin"},
}
# Pages that answer "not found" to those who may not use them, as the subject access pages beside them do.
HIDDEN = {"/console/privacy/holds"}
CASES = [
    (path, role, role in allowed)
    for path, allowed in AREAS.items()
    for role in ("resident", "advocate", "panel_member", "staff", "manager", "admin")
]


@pytest.mark.parametrize(("path", "role", "allowed"), CASES)
def test_area_is_gated_by_role(signed_in, browser: Browser, path: str, role: str, allowed: bool) -> None:
    signed_in(role)
    response = browser.client.get(path)
    assert response.status_code == (200 if allowed else 404 if path in HIDDEN else 403)


@pytest.mark.parametrize("path", ["/account", "/panel/", "/console/", "/console/tokens", "/console/audit"])
def test_anonymous_visitor_is_sent_to_sign_in(browser: Browser, path: str) -> None:
    response = browser.client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


def test_sign_in_returns_to_the_page_asked_for(browser: Browser) -> None:
    user = factories.make_user("staff")
    response = browser.submit(
        "/sign-in?next=/console/audit", {"email": user.email, "password": factories.PASSWORD}, page="/sign-in"
    )
    assert response.headers["Location"] in ("/console/", "/console/audit")


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:x"])
def test_sign_in_never_redirects_off_site(browser: Browser, target: str) -> None:
    user = factories.make_user("resident")
    token = browser.csrf()
    response = browser.client.post(
        f"/sign-in?next={target}", data={"csrf_token": token, "email": user.email, "password": factories.PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_forbidden_page_leaks_nothing_and_changes_nothing(signed_in, browser: Browser) -> None:
    signed_in("resident")
    response = browser.submit(
        "/console/tokens", {"owner_email": "admin@example.org", "scope": "write"}, page="/account"
    )
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "You do not have access to this page" in html and "Create a token" not in html
    from backend.accounts.models import ApiToken

    assert ApiToken.select().count() == 0


def test_forms_without_csrf_token_are_refused(browser: Browser) -> None:
    user = factories.make_user()
    response = browser.client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 400
    assert "form has expired" in response.get_data(as_text=True)


def test_security_headers_are_set(browser: Browser) -> None:
    response = browser.client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert len(response.headers["X-Request-ID"]) >= 8


def test_session_cookie_is_secure_in_production(other_app) -> None:
    app = other_app(env="production", session_cookie_secure=True)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_start_refuses_demo_accounts() -> None:
    from backend.db import db
    from backend.demo import load_demo, remove_demo_accounts
    from portal.app import DemoAccountsPresent, refuse_demo_accounts

    load_demo()
    with pytest.raises(DemoAccountsPresent):
        refuse_demo_accounts(db.obj)
    remove_demo_accounts()
    refuse_demo_accounts(db.obj)


def test_language_comes_from_accept_language_then_default(browser: Browser) -> None:
    assert 'lang="cy"' in browser.client.get("/", headers={"Accept-Language": "cy"}).get_data(as_text=True)
    assert 'lang="en"' in browser.client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)


def test_users_preference_beats_accept_language(signed_in, browser: Browser) -> None:
    signed_in("resident", locale="cy")
    assert 'lang="cy"' in browser.client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_language_switcher_remembers_choice_and_saves_it_for_the_user(signed_in, browser: Browser) -> None:
    user = signed_in("resident", locale="en")
    response = browser.submit("/language", {"locale": "cy", "next": "/account"}, page="/")
    assert response.headers["Location"] == "/account"
    assert User.get_by_id(user.id).locale == "cy"
    assert 'lang="cy"' in browser.client.get("/").get_data(as_text=True)


def test_language_switcher_for_anonymous_visitor_uses_the_session(browser: Browser) -> None:
    browser.submit("/language", {"locale": "cy", "next": "/register"}, page="/")
    html = browser.client.get("/register", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="cy"' in html


def test_language_switcher_ignores_unknown_locale(browser: Browser) -> None:
    browser.submit("/language", {"locale": "xx", "next": "/"}, page="/")
    assert 'lang="en"' in browser.client.get("/").get_data(as_text=True)


def test_unknown_page_is_a_friendly_404(browser: Browser) -> None:
    response = browser.client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_admin_creates_and_revokes_a_token_in_the_console(signed_in, browser: Browser) -> None:
    signed_in("admin")
    owner = factories.make_user("staff")
    created = browser.submit("/console/tokens", {"owner_email": owner.email, "scope": "read", "name": "Reporting"})
    html = created.get_data(as_text=True)
    assert created.status_code == 200 and "Copy the token now" in html
    from backend.accounts.models import ApiToken

    token = ApiToken.get(ApiToken.name == "Reporting")
    assert token.prefix in html
    listing = browser.client.get("/console/tokens").get_data(as_text=True)
    assert "Copy the token now" not in listing and "Reporting" in listing
    revoked = browser.submit(f"/console/tokens/{token.id}/revoke", {}, page="/console/tokens")
    assert revoked.status_code == 302
    assert ApiToken.get_by_id(token.id).revoked_at is not None


def test_console_token_form_with_unknown_owner_explains(signed_in, browser: Browser) -> None:
    signed_in("admin")
    response = browser.submit("/console/tokens", {"owner_email": "nobody@example.org", "scope": "read"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "could not find" not in html
    assert '<a href="#owner_email">There is no account with this email address.</a>' in html
    assert 'id="owner_email-error"><span class="visually-hidden">Error:</span> There is no account' in html


def test_audit_page_shows_recent_changes(signed_in, browser: Browser) -> None:
    user = signed_in("manager")
    html = browser.client.get("/console/audit").get_data(as_text=True)
    assert "session.started" in html and f"user:{user.id}" in html


def test_console_people_search_filters_and_pages(signed_in, browser: Browser) -> None:
    signed_in("staff")
    wales = factories.make_home("wales")
    for n in range(30):
        factories.make_user("resident", email=f"tenant{n:02d}@example.net", home=wales if n % 2 else None)
    page = browser.client.get("/console/people?q=tenant")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "30 people found." in html
    assert html.count("@example.net</td>") == 25 and "Next 25 people" in html
    nxt = re.search(r'href="(/console/people\?[^"]*after=[^"]+)"', html).group(1).replace("&amp;", "&")
    assert browser.client.get(nxt).get_data(as_text=True).count("@example.net</td>") == 5
    welsh = browser.client.get("/console/people?q=tenant&nation=wales").get_data(as_text=True)
    assert "15 people found." in welsh


def test_console_people_survives_a_tampered_cursor_and_bad_filters(signed_in, browser: Browser) -> None:
    signed_in("staff")
    response = browser.client.get("/console/people?after=nonsense&role=emperor&nation=atlantis")
    assert response.status_code == 200


def test_console_people_is_for_staff(signed_in, browser: Browser) -> None:
    signed_in("resident")
    assert browser.client.get("/console/people").status_code == 403


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("ur", "rtl"), ("pl", "ltr"), ("cy", "ltr")])
def test_pages_declare_language_and_direction(browser: Browser, language: str, direction: str) -> None:
    html = browser.client.get("/sign-in", headers={"Accept-Language": language}).get_data(as_text=True)
    assert f'<html lang="{language}" dir="{direction}">' in html


def test_language_switcher_names_each_language_in_itself(browser: Browser) -> None:
    html = browser.client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="ar" dir="rtl" class="link-button">العربية</button>' in html
    assert 'lang="cy" dir="ltr" class="link-button">Cymraeg</button>' in html


def test_numbers_follow_the_viewers_language(app) -> None:
    with app.test_request_context("/", headers={"Accept-Language": "pl"}):
        from flask import render_template_string

        assert render_template_string("{{ 3.5|number_text }}") == "3,5"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        from flask import render_template_string

        assert render_template_string("{{ 1234.5|number_text }}") == "1,234.5"


def test_audit_page_survives_a_tampered_cursor(signed_in, browser: Browser) -> None:
    signed_in("manager")
    response = browser.client.get("/console/audit?after=not-a-cursor")
    assert response.status_code == 200 and "session.started" in response.get_data(as_text=True)


# --- Templates: one way to emit the CSRF token --------------------------------------------------------


TEMPLATES = Path(__file__).resolve().parent.parent / "portal" / "templates"


def csrf_written_by_hand(text: str) -> list[str]:
    """Ways a template can emit the CSRF token itself instead of through the ``csrf()`` macro."""
    return re.findall(r"csrf_token\(\)|\{\{ *\w+\.csrf_token *\}\}|name=\"csrf_token\"", text)


def test_templates_emit_the_csrf_token_only_through_the_macro() -> None:
    pages = [path for path in TEMPLATES.rglob("*.html") if path.name != "_macros.html"]
    assert [str(path.relative_to(TEMPLATES)) for path in pages if csrf_written_by_hand(path.read_text())] == []
    assert csrf_written_by_hand((TEMPLATES / "_macros.html").read_text()), "the macro itself must write it"


def test_csrf_check_sees_each_way_of_writing_the_token() -> None:
    # Guards the guard: the global, a form's own field, and a hand-written input are all seen.
    raw = '<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">{{ form.csrf_token }}'
    assert csrf_written_by_hand(raw) == ['name="csrf_token"', "csrf_token()", "{{ form.csrf_token }}"]
