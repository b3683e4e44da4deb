"""The board report and its publication in headless Chromium, in English and in Welsh.

A member of staff opens the reports, chooses a period for the board report (a mistyped one is named in the error
summary), opens its print view and drafts it. A manager approves it, records the governing body's response and
publishes it; a visitor reads it on the public page. By keyboard; axe checks every page on the way. Fields are found
by their names, so the steps run in either language.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import sign_in_page
from tests.browser.test_internal_notes_browser import press_enter_on
from tests.browser.test_pages import assert_accessible
from tests.browser.test_update_intervals_browser import patient, switch_language
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PASSWORD = "board report passphrase"  # throwaway test accounts


def account(environ: dict[str, str], role: str) -> str:
    email = f"board.{role}.{uuid.uuid4().hex[:8]}@example.org"
    run_cli(environ, "users", "create", "--email", email, "--name", f"Board {role.title()}", "--role", role,
            "--password", PASSWORD)  # fmt: skip
    return email


def follow(page: Any, link: Any) -> None:
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize(
    ("language", "switch", "period"),
    [("en", None, "2004-01-01..2004-03-31"), ("cy", "Cymraeg", "2004-04-01..2004-06-30")],
)
def test_staff_draft_the_board_report_and_a_manager_publishes_it(
    new_page: NewPage, live_server: tuple[str, dict[str, str]], language: str, switch: str | None, period: str
) -> None:
    url, environ = live_server
    staff = patient(new_page)()
    sign_in_page(staff, account(environ, "staff"), PASSWORD)
    if switch:
        switch_language(staff, switch)

    staff.goto(url + "/console/reports")
    assert staff.locator("html").get_attribute("lang") == language
    assert_accessible(staff)
    follow(staff, staff.locator("main a[href$='/console/reports/board']"))
    assert staff.locator("main svg[role=img]").count() == 2  # the last full quarter, drawn
    assert_accessible(staff)
    staff.locator("input[name=period]").fill("2004/13")
    press_enter_on(staff, staff.locator("main form[method=get] button[type=submit]"))
    assert staff.locator(".error-summary").get_attribute("role") == "alert"
    assert staff.locator("input[name=period]").input_value() == "2004/13"
    assert_accessible(staff)
    staff.locator("input[name=period]").fill(period)
    press_enter_on(staff, staff.locator("main form[method=get] button[type=submit]"))
    assert staff.locator("#section-received").count() == 1
    assert_accessible(staff)

    follow(staff, staff.locator("main a[href*='/console/reports/board/print']"))
    assert staff.locator("nav").count() == 0 and staff.locator("h1").count() == 1
    assert_accessible(staff)
    staff.go_back()
    press_enter_on(staff, staff.locator("main form[action$='/console/reports/board/draft'] button"))
    assert "/console/reports/publications/" in staff.url
    assert staff.locator("main form[action$='/approve']").count() == 0  # staff do not approve
    assert_accessible(staff)
    report_path = staff.url.removeprefix(url)

    manager = patient(new_page)()
    sign_in_page(manager, account(environ, "manager"), PASSWORD)
    if switch:
        switch_language(manager, switch)
    manager.goto(url + report_path)
    assert_accessible(manager)
    press_enter_on(manager, manager.locator("main form[action$='/approve'] button"))
    assert manager.locator(".flashes").count() == 1
    assert_accessible(manager)
    follow(manager, manager.locator("main a[href$='/response']"))
    assert_accessible(manager)
    press_enter_on(manager, manager.locator("main form button[type=submit]"))
    assert manager.locator(".error-summary").get_attribute("role") == "alert"
    assert_accessible(manager)
    manager.locator("textarea[name=text]").fill("The board accepts the report and asks for a review of repairs.")
    manager.locator("input[name=responded_on]").fill("2004-07-20")
    press_enter_on(manager, manager.locator("main form button[type=submit]"))
    press_enter_on(manager, manager.locator("main form[action$='/publish'] button"))
    assert manager.locator(".flashes").count() == 1
    assert_accessible(manager)

    public_path = manager.locator("main a[href*='/reports/']:not([href*='/console/'])").first.get_attribute("href")
    visitor = new_page()
    visitor.goto(url + public_path)
    assert "review of repairs" in visitor.locator("main").inner_text()
    assert "Board Staff" not in visitor.locator("main").inner_text()
    assert "Board Manager" not in visitor.locator("main").inner_text()
    assert_accessible(visitor)
    visitor.goto(url + "/reports")
    assert visitor.locator(f"main a[href$='{public_path}']").count() == 1
    assert_accessible(visitor)
