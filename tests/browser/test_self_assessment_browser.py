"""The self-assessment against the Complaint Handling Code in headless Chromium, in English and in Welsh.

A manager starts the annual self-assessment of a year and fills in two rows by keyboard: saying provision 5.9 is not
met without an explanation names what is missing, then it is saved with one; provision 1.2 is met, with evidence and a
link. Another manager (the one who started it may not) approves it and publishes it with the governing body's
approval day: an empty day is refused first. The page then says it is frozen. Axe checks every page on the way.
Fields are found by their names, so the steps run in either language.
"""

from __future__ import annotations

import re
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
PASSWORD = "self assessment passphrase"  # throwaway test accounts


def manager_page(new_page: NewPage, environ: dict[str, str], switch: str | None) -> Any:
    """A new manager of their own, signed in (choosing Welsh is remembered on the account)."""
    email = f"assess.{uuid.uuid4().hex[:8]}@example.org"
    run_cli(environ, "users", "create", "--email", email, "--name", "Assessing Manager", "--role", "manager",
            "--password", PASSWORD)  # fmt: skip
    page = patient(new_page)()
    sign_in_page(page, email, PASSWORD)
    if switch:
        switch_language(page, switch)
    return page


def follow(page: Any, link: Any) -> None:
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def row_link(page: Any, number: str) -> Any:
    return page.locator("main th[scope=row] a").filter(has_text=re.compile(rf"^{re.escape(number)}\b"))


@pytest.mark.parametrize(("language", "switch", "year"), [("en", None, "2003/04"), ("cy", "Cymraeg", "2004/05")])
def test_a_manager_fills_in_and_another_approves_and_publishes_a_self_assessment(
    new_page: NewPage, live_server: tuple[str, dict[str, str]], language: str, switch: str | None, year: str
) -> None:
    url, environ = live_server
    page = manager_page(new_page, environ, switch)
    page.goto(url + "/console/reports/self-assessment")
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)

    follow(page, page.locator("main a[href$='/console/reports/self-assessment/new']"))
    assert_accessible(page)
    page.locator("input[name=period]").fill(year)
    page.locator("input[name=trigger][value=annual]").check()
    press_enter_on(page, page.locator("main form button[type=submit]"))
    assert re.search(r"/console/reports/self-assessment/\d+$", page.url)
    assessment_url = page.url
    assert page.locator("#section-9-heading").count() == 1
    assert page.locator("#learning-heading").count() == 1
    assert_accessible(page)

    # Provision 5.9 is not met: without an explanation the form says what is missing.
    follow(page, row_link(page, "5.9"))
    assert_accessible(page)
    page.locator("input[name=complies][value=no]").check()
    press_enter_on(page, page.locator("main form button[type=submit]"))
    assert page.locator(".error-summary").get_attribute("role") == "alert"
    assert page.locator(".error-summary a[href='#explanation']").count() == 1
    assert_accessible(page)
    page.locator("textarea[name=explanation]").fill("Update intervals are agreed from May; the form changes then.")
    press_enter_on(page, page.locator("main form button[type=submit]"))
    assert page.url.startswith(assessment_url)
    assert page.locator(".flashes").count() == 1

    # Provision 1.2 is met, with evidence and a link.
    follow(page, row_link(page, "1.2"))
    page.locator("input[name=complies][value=yes]").check()
    page.locator("textarea[name=evidence]").fill("The complaints policy, section 2, uses the Code's definition.")
    page.locator("input[name=links_0_label]").fill("Complaints policy")
    page.locator("input[name=links_0_url]").fill("https://landlord.example.org/complaints-policy")
    press_enter_on(page, page.locator("main form button[type=submit]"))
    assert page.locator("main a[href='https://landlord.example.org/complaints-policy']").count() == 1
    assert_accessible(page)
    # The one who started it is not offered the approval.
    assert page.locator("main a[href$='/approve']").count() == 0

    # Another manager approves it and publishes it.
    other = manager_page(new_page, environ, switch)
    other.goto(assessment_url)
    follow(other, other.locator("main a[href$='/approve']"))
    assert_accessible(other)
    press_enter_on(other, other.locator("main form button[type=submit]"))
    assert other.url == assessment_url
    assert_accessible(other)
    follow(other, other.locator("main a[href$='/publish']"))
    assert_accessible(other)
    press_enter_on(other, other.locator("main form button[type=submit]"))
    assert other.locator(".error-summary").get_attribute("role") == "alert"
    assert_accessible(other)
    other.locator("input[name=governing_body_approved_on]").fill(f"{int(year[:4]) + 1}-06-24")
    press_enter_on(other, other.locator("main form button[type=submit]"))
    assert other.url == assessment_url
    assert other.locator("main a[href$='/publish'], main a[href$='/approve']").count() == 0
    assert_accessible(other)
    # Frozen: a row shows what was said, with no form.
    follow(other, row_link(other, "5.9"))
    assert other.locator("main form input[name=complies]").count() == 0
    assert "Update intervals are agreed from May" in other.locator("main").inner_text()
    assert_accessible(other)
