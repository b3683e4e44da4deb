"""The Code's annual complaints report in headless Chromium, in English and in Welsh: a manager produces it for a
year (a quarter is refused, with the reason in the error summary), opens its print view and drafts it; another
manager approves it, records the governing body's response and publishes it; a visitor reads it, with the response,
on the public page. By keyboard; axe checks every page on the way."""

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
PASSWORD = "annual report passphrase"  # throwaway test accounts


def manager_account(environ: dict[str, str], name: str) -> str:
    email = f"annual.{name}.{uuid.uuid4().hex[:8]}@example.org"
    run_cli(environ, "users", "create", "--email", email, "--name", f"Annual {name.title()}", "--role", "manager",
            "--password", PASSWORD)  # fmt: skip
    return email


def follow(page: Any, link: Any) -> None:
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize(("language", "switch", "year"), [("en", None, "2006/07"), ("cy", "Cymraeg", "2007/08")])
def test_a_manager_produces_the_annual_report_and_another_approves_and_publishes_it(
    new_page: NewPage, live_server: tuple[str, dict[str, str]], language: str, switch: str | None, year: str
) -> None:
    url, environ = live_server
    drafter = patient(new_page)()
    sign_in_page(drafter, manager_account(environ, "drafter"), PASSWORD)
    if switch:
        switch_language(drafter, switch)

    approver = patient(new_page)()
    sign_in_page(approver, manager_account(environ, "approver"), PASSWORD)
    if switch:
        switch_language(approver, switch)

    # The annual report includes the year's self-assessment (Code 8.1(a)): one manager starts it, another approves.
    drafter.goto(url + "/console/reports/self-assessment/new")
    drafter.locator("input[name=period]").fill(year)
    drafter.locator("input[name=trigger][value=annual]").check()
    press_enter_on(drafter, drafter.locator("main form button[type=submit]"))
    assessment_url = drafter.url
    approver.goto(assessment_url)
    follow(approver, approver.locator("main a[href$='/approve']"))
    press_enter_on(approver, approver.locator("main form button[type=submit]"))
    assert approver.url == assessment_url

    drafter.goto(url + "/console/reports")
    assert drafter.locator("html").get_attribute("lang") == language
    assert_accessible(drafter)
    follow(drafter, drafter.locator("main a[href$='/console/reports/annual']"))
    assert drafter.locator("#section-analysis").count() == 1  # last year's, counted now
    assert_accessible(drafter)
    drafter.locator("input[name=period]").fill(year + "-Q1")
    press_enter_on(drafter, drafter.locator("main form[method=get] button[type=submit]"))
    assert drafter.locator(".error-summary").get_attribute("role") == "alert"
    assert drafter.locator("input[name=period]").input_value() == year + "-Q1"
    assert_accessible(drafter)
    drafter.locator("input[name=period]").fill(year)
    press_enter_on(drafter, drafter.locator("main form[method=get] button[type=submit]"))
    for section in ("self_assessment", "analysis", "non_compliance", "improvements"):
        assert drafter.locator(f"#section-{section}").count() == 1, section
    assert drafter.locator("section.report-slot").count() == 0  # the self-assessment is in it
    assert_accessible(drafter)

    follow(drafter, drafter.locator("main a[href*='/console/reports/annual/print']"))
    assert drafter.locator("nav").count() == 0 and drafter.locator("h1").count() == 1
    assert_accessible(drafter)
    drafter.go_back()
    press_enter_on(drafter, drafter.locator("main form[action$='/console/reports/annual/draft'] button"))
    assert "/console/reports/publications/" in drafter.url
    assert_accessible(drafter)
    report_path = drafter.url.removeprefix(url)

    approver.goto(url + report_path)
    assert_accessible(approver)
    press_enter_on(approver, approver.locator("main form[action$='/approve'] button"))
    assert approver.locator(".flashes").count() == 1
    assert_accessible(approver)
    follow(approver, approver.locator("main a[href$='/response']"))
    assert_accessible(approver)
    approver.locator("textarea[name=text]").fill("The board accepts the report and asks for quarterly updates.")
    approver.locator("input[name=responded_on]").fill(year[:4] + "-07-20")
    press_enter_on(approver, approver.locator("main form button[type=submit]"))
    press_enter_on(approver, approver.locator("main form[action$='/publish'] button"))
    assert approver.locator(".flashes").count() == 1
    assert_accessible(approver)

    public_path = approver.locator("main a[href*='/reports/']:not([href*='/console/'])").first.get_attribute("href")
    visitor = new_page()
    visitor.goto(url + public_path)
    text = visitor.locator("main").inner_text()
    assert "quarterly updates" in text and "Annual Drafter" not in text and "Annual Approver" not in text
    assert_accessible(visitor)
