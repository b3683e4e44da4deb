"""The print views of the self-assessment and the equality breakdowns in headless Chromium, in English and Welsh.

A manager starts a self-assessment after a change of procedure, says one provision is not met (with why), and
follows "Print view" under "Print and download" by keyboard: the print view has no navigation, names nobody and
passes axe. The same manager opens the equality breakdowns of stage 2 and its print view, with axe on each page.
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
PASSWORD = "report exports passphrase"  # throwaway test accounts
NAME = "Printing Manager"


def follow(page: Any, link: Any) -> None:
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def assert_bare_print_view(page: Any, language: str) -> None:
    """The document alone: in its language, no site navigation, nobody's name, and a way back."""
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("nav").count() == 0 and page.locator("main.report-print").count() == 1
    assert NAME not in page.content()
    assert page.locator("main a.no-print, main .no-print a").count() == 1
    assert_accessible(page)


@pytest.mark.parametrize(
    ("language", "switch", "period"),
    [("en", None, "2004-04-01..2004-06-30"), ("cy", "Cymraeg", "2004-07-01..2004-09-30")],
)
def test_a_manager_prints_the_self_assessment_and_the_equality_breakdowns(
    new_page: NewPage, live_server: tuple[str, dict[str, str]], language: str, switch: str | None, period: str
) -> None:
    url, environ = live_server
    email = f"exports.{uuid.uuid4().hex[:8]}@example.org"
    run_cli(environ, "users", "create", "--email", email, "--name", NAME, "--role", "manager",
            "--password", PASSWORD)  # fmt: skip
    page = patient(new_page)()
    sign_in_page(page, email, PASSWORD)
    if switch:
        switch_language(page, switch)

    page.goto(url + "/console/reports/self-assessment/new")
    page.locator("input[name=period]").fill(period)
    page.locator("input[name=trigger][value=procedure_change]").check()
    page.locator("textarea[name=context]").fill("The escalation form changed.")
    press_enter_on(page, page.locator("main form button[type=submit]"))
    assert re.search(r"/console/reports/self-assessment/\d+$", page.url)
    follow(page, page.locator("main th[scope=row] a").filter(has_text=re.compile(r"^5\.9\b")))
    page.locator("input[name=complies][value=no]").check()
    page.locator("textarea[name=explanation]").fill("Update intervals are agreed from May.")
    press_enter_on(page, page.locator("main form button[type=submit]"))
    assert page.locator("#files-heading").count() == 1
    assert_accessible(page)

    follow(page, page.locator("main ul[aria-labelledby=files-heading] a[href$='/print']"))
    assert "Update intervals are agreed from May." in page.locator("main").inner_text()
    assert page.locator("main table caption").count() == 11  # the figures, nine sections, the learning items
    assert_bare_print_view(page, language)

    page.goto(url + f"/console/reports/equality?period={period}&stage=2")
    assert page.locator("#files-heading").count() == 1
    assert_accessible(page)
    follow(page, page.locator("main ul[aria-labelledby=files-heading] a[href*='/equality/print']"))
    assert page.locator("main table caption").count() == 13
    assert_bare_print_view(page, language)
