"""Promises kept, in headless Chromium: a case handler answers a complaint with a remedy they own, the remedy falls
overdue, the hourly sweep runs, and the case page says who was told; the handler marks it done. The case page works
in English and in Welsh, and axe finds nothing on it.

The live server has no worker and runs on the real clock, so the test runs the sweep itself in the server's
environment, with the clock seam (``backend.timeutil.clock``) moved a week past the remedy's due date.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from backend.timeutil import local_date
from tests.browser.conftest import ACCOUNTS, sign_in_page
from tests.browser.test_console_cases_browser import press, region
from tests.browser.test_letters_browser import log_welsh_complaint
from tests.browser.test_pages import assert_accessible

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
SWEEP_A_WEEK_LATER = """
import datetime
from portal.cli import _database, _settings
_database(_settings())
from backend import timeutil
from backend.complaints import promises
later = timeutil.system_clock() + datetime.timedelta(days=7)
timeutil.clock = lambda: later
told = promises.sweep_promises()
assert told["overdue"] >= 1, told
"""


def sweep_a_week_later(environ: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-c", SWEEP_A_WEEK_LATER], env=environ, check=True, timeout=120)


def answer_with_a_remedy_due_today(page: Any) -> None:
    acknowledge = region(page, "Acknowledge the complaint")
    point = acknowledge.get_by_role("group", name="Point 1")
    point.get_by_label("What the complaint is about").fill("The roof leaks")
    point.get_by_label("The outcome they want").fill("A dry roof")
    acknowledge.get_by_label("What the resident wants to happen overall").fill("A dry home")
    press(acknowledge, "Acknowledge")

    respond = region(page, "Respond to the complaint")
    decision = respond.get_by_role("group", name=re.compile(r"^Point 1"))
    decision.get_by_label("Upheld", exact=True).check()
    decision.get_by_label("Reasons for this decision").fill("The repair was booked late.")
    respond.get_by_label("Our answer and the reasons for it").fill("We are sorry that the repair was late.")
    remedy = respond.get_by_role("group", name="Remedy 1")
    remedy.get_by_label("Kind of remedy").select_option(label="An apology")
    remedy.get_by_label("What we will do").fill("A letter of apology from the repairs manager.")
    remedy.get_by_label("Done by").fill(local_date().isoformat())
    press(respond, "Issue the response")
    # No owner, and a point upheld without its cause: every missing part is named at once, and nothing is issued.
    summary = page.get_by_role("alert")
    assert summary.get_by_role("link", name="Choose who will do it.").is_visible()
    assert summary.get_by_role("link", name="Give the underlying cause.").is_visible()
    assert summary.get_by_role("link", name="Give the remedial action.").is_visible()
    assert_accessible(page)

    respond = region(page, "Respond to the complaint")
    remedy = respond.get_by_role("group", name="Remedy 1")
    remedy.get_by_label("Who will do it").select_option(index=1)
    respond.get_by_label("The underlying cause").fill("Repairs were booked without checking the roofer's diary.")
    respond.get_by_label("The remedial action we are taking").fill("Bookings now check the roofer's diary.")
    press(respond, "Issue the response")
    assert "The response has been issued." in page.locator(".flashes").inner_text()


def test_a_remedy_falls_overdue_the_sweep_tells_people_and_the_handler_marks_it_done(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    page = new_page()
    sign_in_page(page, ACCOUNTS["staff"])
    log_welsh_complaint(page)
    case_url = page.url
    answer_with_a_remedy_due_today(page)
    remedies = page.get_by_role("table", name="What we said we would do to put things right")
    assert "Overdue." not in remedies.inner_text()

    sweep_a_week_later(live_server[1])
    page.goto(case_url)
    remedies = page.get_by_role("table", name="What we said we would do to put things right")
    assert "Overdue." in remedies.inner_text()
    assert "the case handler and their manager were told" in remedies.inner_text()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Cymraeg").click()
    try:
        assert page.locator("html").get_attribute("lang") == "cy"
        assert_accessible(page)
    finally:
        # The language is kept on the shared staff account: put it back for the tests that follow.
        with page.expect_navigation():
            page.get_by_role("button", name="English").click()

    remedies = page.get_by_role("table", name="What we said we would do to put things right")
    button = remedies.get_by_role("button", name=re.compile(r"^Mark as done"))
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "The remedy is marked as done." in page.locator(".flashes").inner_text()
    remedies = page.get_by_role("table", name="What we said we would do to put things right")
    assert "Overdue." not in remedies.inner_text()


def test_orders_and_a_refused_escalation_have_their_own_pages(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    page = new_page()
    sign_in_page(page, ACCOUNTS["staff"])
    log_welsh_complaint(page)
    case_url = page.url
    answer_with_a_remedy_due_today(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Refuse a request to escalate").click()
    page.get_by_label("Legal proceedings have started").check()
    page.get_by_label("Reasons, as the resident will read them").fill("Court proceedings about the roof have begun.")
    page.get_by_label("The resident was given the Ombudsman's details").check()
    press(page.locator("main"), "Refuse the request to escalate")
    summary = page.get_by_role("alert")
    assert summary.get_by_role("link", name="Confirm that the request to escalate is refused.").is_visible()
    assert_accessible(page)

    page.goto(case_url)
    refer = region(page, "Record a referral to the Ombudsman")
    refer.get_by_label("The Ombudsman's reference").fill("202609876")
    press(refer, "Record the referral")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(r"^The Ombudsman's orders")).click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Record an order").click()
    press(page.locator("main"), "Record the order")
    assert page.get_by_role("alert").get_by_role("link", name="Say what the Ombudsman ordered.").is_visible()
    assert_accessible(page)
    page.get_by_label("What the Ombudsman ordered").fill("Apologise in writing within four weeks.")
    page.get_by_label("Date it is due by").fill("2030-01-31")
    press(page.locator("main"), "Record the order")
    assert "The Ombudsman's order is recorded." in page.locator(".flashes").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(r"^Record that it was complied with")).click()
    page.get_by_label("Evidence").fill("The letter of apology, sent on the day.")
    page.get_by_label(re.compile(r"^I have checked")).check()
    assert_accessible(page)
    press(page.locator("main"), "Record that it was complied with")
    assert "recorded as complied with" in page.locator(".flashes").inner_text()
    assert "The letter of apology, sent on the day." in page.get_by_role("table").inner_text()

    with page.expect_navigation():
        page.get_by_role("button", name="Cymraeg").click()
    try:
        assert page.locator("html").get_attribute("lang") == "cy"
        assert_accessible(page)
    finally:
        with page.expect_navigation():
            page.get_by_role("button", name="English").click()
