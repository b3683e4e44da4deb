"""What a tester found walking the pages in Chromium: pages that scrolled sideways on a phone, and focus
left on the page body after a form came back with mistakes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyotp
import pytest

from tests.browser.conftest import ACCOUNTS, sign_in_page
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PageAs = Callable[[str | None], Any]
PHONE = {"width": 390, "height": 844}
STAFF_WITH_TWO_STEP = "two.step.layout@example.org"
PASSWORD = "layout check passphrase"  # a throwaway test account


def turn_on_two_step(page: Any) -> None:
    """Set up two-step sign-in for the signed-in person, as they would on their account page."""
    page.goto("/account/second-factor")
    key = page.locator("#second-factor-key").inner_text().replace(" ", "").replace("\n", "")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Code from the app").fill(pyotp.TOTP(key).now())
    with page.expect_navigation():
        page.get_by_label("Code from the app").press("Enter")
    assert page.locator("#recovery-codes li").count() > 0


@pytest.fixture(scope="module")
def rows_with_buttons(live_server: tuple[str, dict[str, str]], chromium: Any, base_url: str) -> None:
    """Give each table a row with a Revoke or Reset button: a token, and staff with two-step sign-in."""
    _url, environ = live_server
    run_cli(environ, "tokens", "create", "--email", ACCOUNTS["resident"], "--scope", "read", "--name", "Phone check")
    run_cli(
        environ,
        "users",
        "create",
        "--email",
        STAFF_WITH_TWO_STEP,
        "--name",
        "Layout Check",
        "--role",
        "staff",
        "--password",
        PASSWORD,
    )
    context = chromium.new_context(base_url=base_url, locale="en-GB")
    try:
        page = context.new_page()
        sign_in_page(page, STAFF_WITH_TWO_STEP, PASSWORD)
        turn_on_two_step(page)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("path", "account", "role", "name"),
    [
        ("/account", "resident", "button", "Revoke Phone check"),
        ("/console/representations", "staff", "button", "Revoke consent for"),
        ("/console/tokens", "admin", "button", "Revoke Phone check"),
        ("/console/security", "admin", "link", "Reset two-step sign-in for Layout Check"),
    ],
)
@pytest.mark.usefixtures("rows_with_buttons")
def test_page_with_a_table_of_buttons_does_not_scroll_sideways_on_a_phone(
    new_page: NewPage, path: str, account: str, role: str, name: str
) -> None:
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in_page(page, ACCOUNTS[account])
    assert page.goto(path).status == 200
    assert page.get_by_role(role, name=name).count() >= 1  # the hidden words are on the page
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width}px wide on a {PHONE['width']}px phone"


def test_empty_form_puts_focus_on_the_error_summary_without_javascript(new_page: NewPage) -> None:
    page = new_page(javascript=False)
    page.goto("/sign-in")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Sign in").click()
    assert page.locator("#error-summary").evaluate("summary => summary === document.activeElement")


def test_hand_written_error_summary_takes_the_focus(page_as: PageAs, new_page: NewPage) -> None:
    manager = page_as("manager").context.storage_state()
    page = new_page(javascript=False, storage_state=manager)
    page.goto("/console/templates/feedback.received/email/en")
    page.get_by_label("Message").fill("Hello {{ name }")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert page.locator(".error-summary").evaluate("summary => summary === document.activeElement")
