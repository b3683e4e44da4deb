"""Every page passes axe-core in headless Chromium, and works by keyboard with scripts off."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import ACCOUNTS, DEMO_PASSWORD, scripts_enabled, sign_in_page

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PageAs = Callable[[str | None], Any]
AXE = Axe()
MOBILE = {"width": 375, "height": 667}


def assert_accessible(page: Any) -> None:
    """Run axe-core on the page as it is now.

    axe is a script, and in a page whose scripts are off it never finishes (the browser runs none of the timers it
    waits on), so such a page is checked as a copy of its current document, styles and all, in a page of its own
    with scripts on. The copy is of what the person sees, so a page reached by a form (its errors, its results) is
    checked as it was answered, not as a fresh request would draw it.
    """
    if scripts_enabled(page):
        results = AXE.run(page)
    else:
        results = _run_on_copy(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def _run_on_copy(page: Any) -> Any:
    context = page.context.browser.new_context(viewport=page.viewport_size)
    try:
        copy = context.new_page()
        copy.set_content(_with_base(page.content(), page.url), wait_until="load")
        return AXE.run(copy)
    finally:
        context.close()


def _with_base(document: str, url: str) -> str:
    """The document with ``<base href=url>`` first in its head, so its stylesheets and links resolve as they did."""
    base = f'<base href="{html.escape(url, quote=True)}">'
    head = re.search(r"<head[^>]*>", document, re.IGNORECASE)
    if head is None:
        return base + document
    return document[: head.end()] + base + document[head.end() :]


def submit(page: Any, button: str) -> None:
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name=button).click()


# (path, account or None, expected status). Signed-in pages use the role the page is for.
PAGES = [
    ("/", None, 200),
    ("/sign-in", None, 200),
    ("/register", None, 200),
    ("/reset-password", None, 200),
    ("/reset-password/confirm?token=not-a-token", None, 400),
    ("/no-such-page", None, 404),
    ("/", "resident", 200),
    ("/account", "resident", 200),
    ("/account", "welsh_resident", 200),
    ("/", "advocate", 200),
    ("/panel/", "panel_member", 200),
    ("/panel/", "manager", 200),
    ("/console/", "staff", 200),
    ("/console/", "resident", 403),
    ("/console/tokens", "admin", 200),
    ("/console/privacy/holds", "admin", 200),
    ("/console/audit", "manager", 200),
    ("/console/audit", "admin", 200),
    ("/console/people", "staff", 200),
    ("/messages", "resident", 200),
    ("/account/notifications", "resident", 200),
    ("/account/notifications", "welsh_resident", 200),
    ("/console/templates", "manager", 200),
    ("/console/templates/feedback.received/email/cy", "manager", 200),
    ("/console/templates/survey.invitation_due/sms/ar", "manager", 200),
    ("/console/deliveries", "staff", 200),
    ("/console/deliveries?status=dead", "admin", 200),
    ("/console/letters", "staff", 200),
    ("/unsubscribe?token=not-a-token", None, 400),
    ("/s/not-a-token", None, 400),
    # The demo data has a live survey (1) with answers and a draft (2) whose question is 5.
    ("/console/surveys", "manager", 200),
    ("/console/surveys/2", "manager", 200),
    ("/console/surveys/2/questions/5", "manager", 200),
    ("/console/surveys/1/preview?lang=cy", "manager", 200),
    ("/console/surveys/1/preview?lang=ar", "manager", 200),
    ("/console/surveys/1/results", "manager", 200),
    ("/console/surveys/1/import", "manager", 200),
    ("/console/people?q=sam&role=resident", "manager", 200),
]


@pytest.mark.parametrize(
    ("path", "account", "status"),
    PAGES,
    ids=[f"{path} as {who or 'visitor'}" for path, who, _ in PAGES],
)
def test_page_has_no_axe_violations(page_as: PageAs, path: str, account: str | None, status: int) -> None:
    page = page_as(account)
    response = page.goto(path)
    assert response.status == status
    assert_accessible(page)


def test_axe_reports_a_field_without_a_label(page_as: PageAs) -> None:
    """Guard the harness itself: a page axe cannot fault would make every check above pass."""
    page = page_as(None)
    page.goto("/sign-in")
    page.evaluate("() => document.querySelector('label[for=email]').remove()")
    results = AXE.run(page)
    assert "label" in results.generate_snapshot()


# (path, button, {field label: value}) for forms submitted with mistakes in them.
INVALID_FORMS = [
    ("/sign-in", "Sign in", {}),
    ("/sign-in", "Sign in", {"Email address": "nobody@example.org", "Password": "wrong-password"}),
    ("/register", "Create account", {}),
    (
        "/register",
        "Create account",
        {
            "Your name": "Rhian",
            "Email address": "rhian@example.org",
            "Create a password": "correct horse battery staple",
            "Type the password again": "correct horse battery stable",
        },
    ),
    ("/reset-password", "Send the link", {}),
]


@pytest.mark.parametrize(
    ("path", "button", "values"),
    INVALID_FORMS,
    ids=[
        "sign-in empty",
        "sign-in wrong password",
        "register empty",
        "register mismatch",
        "reset empty",
    ],
)
def test_form_with_errors_has_no_axe_violations(
    page_as: PageAs, path: str, button: str, values: dict[str, str]
) -> None:
    page = page_as(None)
    page.goto(path)
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)
    submit(page, button)
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)


def test_profile_password_errors_have_no_axe_violations(
    page_as: PageAs,
) -> None:
    page = page_as("resident")
    page.goto("/account")
    submit(page, "Change password")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)


def test_token_form_errors_have_no_axe_violations(
    page_as: PageAs,
) -> None:
    page = page_as("admin")
    page.goto("/console/tokens")
    submit(page, "Create token")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)


def test_legal_hold_form_errors_have_no_axe_violations(page_as: PageAs) -> None:
    page = page_as("admin")
    page.goto("/console/privacy/holds")
    submit(page, "Place the hold")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)


def test_radio_error_links_to_the_first_option(page_as: PageAs) -> None:
    page = page_as("resident")
    page.goto("/account")
    page.evaluate("() => document.querySelectorAll('[name=contact_channel]').forEach(r => r.checked = false)")
    submit(page, "Save my details")
    summary = page.get_by_role("alert")
    link = summary.get_by_role("link", name="Choose how we should contact you.")
    assert link.get_attribute("href") == "#contact_channel-0"
    link.click()
    assert page.get_by_label("Email", exact=True).evaluate("radio => radio === document.activeElement")
    assert_accessible(page)


def test_phone_field_asks_for_a_phone_number(page_as: PageAs) -> None:
    page = page_as("resident")
    page.goto("/account")
    assert page.get_by_label("Phone number").get_attribute("type") == "tel"


def test_new_token_notice_and_list_have_no_axe_violations(
    page_as: PageAs,
) -> None:
    page = page_as("admin")
    page.goto("/console/tokens")
    page.get_by_label("Account the token acts for").fill(ACCOUNTS["staff"])
    page.get_by_label("Name", exact=True).fill("Reporting tool")
    page.get_by_label("Read only").check()
    submit(page, "Create token")
    assert page.locator("#new-token").is_visible()
    assert page.get_by_role("button", name="Revoke Reporting tool").first.is_visible()
    assert_accessible(page)


def test_welsh_pages_have_no_axe_violations(new_page: NewPage) -> None:
    page = new_page()
    page.goto("/register")
    with page.expect_navigation():
        page.get_by_role("button", name="Cymraeg").click()
    assert page.locator("html").get_attribute("lang") == "cy"
    assert_accessible(page)


def test_sign_in_by_keyboard_without_javascript(new_page: NewPage) -> None:
    page = new_page(javascript=False)
    page.goto("/sign-in")
    email = page.get_by_label("Email address")
    while not email.evaluate("field => field === document.activeElement"):
        page.keyboard.press("Tab")
    page.keyboard.type(ACCOUNTS["resident"])
    page.keyboard.press("Tab")
    assert page.get_by_label("Password", exact=True).evaluate("field => field === document.activeElement")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/")
    assert page.get_by_role("button", name="Sign out").is_visible()


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(new_page: NewPage) -> None:
    page = new_page(javascript=False)
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.get_attribute("href") == "#main"
    assert focused.is_visible()
    page.keyboard.press("Enter")
    assert page.locator("main").evaluate("main => main === document.activeElement")


def test_language_switcher_changes_html_lang_and_back(new_page: NewPage) -> None:
    page = new_page(javascript=False)
    page.goto("/sign-in")
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.get_by_role("button", name="Cymraeg").click()
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.url.endswith("/sign-in")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"


def test_empty_sign_in_shows_error_summary_linking_to_fields(new_page: NewPage) -> None:
    page = new_page(javascript=False)
    page.goto("/sign-in")
    submit(page, "Sign in")
    assert page.title() == "Error: Sign in – Learnloop Housing"
    summary = page.get_by_role("alert")
    assert summary.get_by_role("heading", name="There is a problem").is_visible()
    links = summary.get_by_role("link")
    assert [link.get_attribute("href") for link in links.all()] == ["#email", "#password"]
    links.first.click()
    assert page.get_by_label("Email address").evaluate("field => field === document.activeElement")
    assert page.get_by_label("Email address").get_attribute("aria-invalid") == "true"


def test_resident_is_refused_the_staff_console(new_page: NewPage, page_as: PageAs) -> None:
    resident = page_as("resident").context.storage_state()
    page = new_page(javascript=False, storage_state=resident)
    response = page.goto("/console/")
    assert response.status == 403
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "You do not have access to this page"
    assert page.get_by_role("link", name="Staff console").count() == 0


def test_visitor_is_sent_to_sign_in_from_the_staff_console(new_page: NewPage) -> None:
    page = new_page(javascript=False)
    page.goto("/console/")
    assert re.search(r"/sign-in\?next=", page.url)


@pytest.mark.parametrize("path", ["/", "/register"])
def test_page_does_not_scroll_sideways_on_a_phone(new_page: NewPage, path: str) -> None:
    page = new_page(viewport=MOBILE, is_mobile=True, has_touch=True)
    page.goto(path)
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{path} is {widths[0]}px wide in a {widths[1]}px viewport"


def test_arabic_pages_render_right_to_left(new_page: NewPage) -> None:
    page = new_page(locale="ar")
    page.goto("/register")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The form's labels sit at the right-hand edge, as Arabic readers expect.
    label = page.locator("label[for=email]").bounding_box()
    field = page.locator("#email").bounding_box()
    assert abs((label["x"] + label["width"]) - (field["x"] + field["width"])) < 2
    assert_accessible(page)


def test_template_with_a_mistake_shows_an_accessible_error(page_as: PageAs) -> None:
    page = page_as("manager")
    page.goto("/console/templates/feedback.received/email/en")
    page.get_by_label("Message").fill("Hello {{ name }")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert page.title().startswith("Error:")
    assert "line 1" in page.locator(".error-summary").inner_text()
    assert_accessible(page)


def test_unconfirmed_sign_in_offers_a_new_link_by_keyboard_without_javascript(new_page: NewPage) -> None:
    page = new_page()
    page.goto("/register")
    password = "correct horse battery staple"
    for label, value in {
        "Your name": "Keyboard Person",
        "Email address": "keyboard.person@example.org",
        "Create a password": password,
        "Type the password again": password,
    }.items():
        page.get_by_label(label, exact=True).fill(value)
    submit(page, "Create account")
    sign_in_page(page, "keyboard.person@example.org", password)
    assert page.get_by_role("heading", level=1).inner_text() == "Confirm your email address first"
    assert_accessible(page)  # axe needs scripts; the rest runs without them
    page = new_page(javascript=False)
    sign_in_page(page, "keyboard.person@example.org", password)
    button = page.get_by_role("button", name="Send the link again")
    while not button.evaluate("button => button === document.activeElement"):
        page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"


def test_account_page_with_tokens_has_no_axe_violations(page_as: PageAs) -> None:
    admin = page_as("admin")
    admin.goto("/console/tokens")
    admin.get_by_label("Account the token acts for").fill(ACCOUNTS["resident"])
    admin.get_by_label("Name", exact=True).fill("Budget spreadsheet")
    admin.get_by_label("Read only").check()
    submit(admin, "Create token")
    page = page_as("resident")
    page.goto("/account")
    assert page.get_by_role("button", name="Revoke Budget spreadsheet").is_visible()
    assert_accessible(page)


def test_a_page_with_scripts_off_is_checked_and_can_fail(new_page: NewPage) -> None:
    """axe runs on a copy of a script-free page; the copy keeps the page's faults, so the check can fail."""
    page = new_page(javascript=False)
    assert page.goto("/sign-in").status == 200
    assert_accessible(page)
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main><h1>t</h1>'
        '<img src="/static/site.css"></main></body></html>'
    )
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
