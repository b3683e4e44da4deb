"""A late answer with an agreed update interval, and the public "how to complain" page, in headless Chromium.

A resident complains; a case handler acknowledges the complaint and extends the answer, so it will be late. The case
page then links to the update interval page, where an empty form names every missing part, and the interval agreed
with the resident is recorded. The hourly sweep, run for a day a month ahead, flags the missed update on the page.
Before that, the handler says which point is not the landlord's to put right. Visitors read how to complain in their
nation. In English and in Welsh, by keyboard; axe checks every page on the way. Fields are found by their names, so
the steps run in either language.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from backend.timeutil import local_date
from tests.browser.conftest import sign_in_page
from tests.browser.test_internal_notes_browser import open_complaint_as_staff, press_enter_on, resident_complains
from tests.browser.test_pages import assert_accessible
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
# Signing in hashes a password: on a busy machine that can take longer than the suite's 5 seconds.
PATIENT_MS = 30_000
SWEEP = (
    "import datetime as dt, sys\n"
    "from backend.config import load_settings, set_current\n"
    "settings = load_settings(); set_current(settings)\n"
    "from backend.db import init_database\n"
    "init_database(settings.database_url, settings.instance_path)\n"
    "from backend.complaints import updates\n"
    "print(updates.sweep_update_intervals(dt.date.fromisoformat(sys.argv[1])))\n"
)


def patient(new_page: NewPage, **options: Any) -> NewPage:
    """``new_page`` whose pages wait up to 30 seconds for an action (sign-in) before giving up."""

    def open_page(javascript: bool = True, **more: Any) -> Any:
        page = new_page(javascript, **options, **more)
        page.context.set_default_timeout(PATIENT_MS)
        return page

    return open_page


def switch_language(page: Any, name: str) -> None:
    with page.expect_navigation():
        page.locator("header").get_by_role("button", name=name).click()


def submit_step(page: Any, step: str) -> None:
    form = page.locator(f"#step-{step} form")
    press_enter_on(page, form.locator("button[type=submit]:not([name=preview])"))
    assert page.locator(".flashes").count() == 1, page.locator("main").inner_text()


def run_sweep(environ: dict[str, str], day: dt.date) -> str:
    done = subprocess.run(
        [sys.executable, "-c", SWEEP, day.isoformat()], env=environ, capture_output=True, text=True, check=True
    )
    return done.stdout


PASSWORD = "update intervals passphrase"  # a throwaway test account


@pytest.mark.parametrize(
    ("account", "language", "switch"), [("resident", "en", None), ("welsh_resident", "cy", "Cymraeg")]
)
def test_a_late_answer_gets_an_agreed_update_interval_and_a_missed_update_is_flagged(
    new_page: NewPage, live_server: tuple[str, dict[str, str]], account: str, language: str, switch: str | None
) -> None:
    _url, environ = live_server
    new_page = patient(new_page)
    _resident, case_path = resident_complains(new_page, "resident", f"The boiler keeps failing. {uuid.uuid4().hex}")
    # Scripts on, for axe: the console has no scripts of its own, so they change nothing the staff member does.
    staff = new_page()
    # Its own handler: choosing Welsh is remembered on the account, and the demo staff account serves other tests.
    email = f"updates.{uuid.uuid4().hex[:8]}@example.org"
    run_cli(environ, "users", "create", "--email", email, "--name", "Update Handler", "--role", "staff",
            "--password", PASSWORD)  # fmt: skip
    sign_in_page(staff, email, PASSWORD)
    if switch:
        switch_language(staff, switch)
    open_complaint_as_staff(staff, case_path.rsplit("/", 1)[1], note=False)
    assert staff.locator("html").get_attribute("lang") == language
    today = local_date().isoformat()
    case_url = staff.url

    staff.goto(case_url + "/acknowledge")  # each step opens on its own page
    ack = staff.locator("#step-acknowledge form")
    ack.locator("textarea[name=acknowledge-point_1]").fill("The boiler keeps failing")
    ack.locator("input[name=acknowledge-outcome_1]").fill("A new boiler")
    ack.locator("textarea[name=acknowledge-outcomes_sought]").fill("A working boiler")
    submit_step(staff, "acknowledge")
    link = staff.locator("main a[href$='/update-interval']")
    assert link.count() == 0  # not late yet

    # Before the answer: say which points are not ours to put right; a missing signpost is named, then recorded.
    assert staff.url == case_url
    scope_link = staff.locator("main a[href$='/scope']")
    scope_link.focus()
    with staff.expect_navigation():
        staff.keyboard.press("Enter")
    assert_accessible(staff)
    staff.locator("main input[type=radio][value=not_ours]").first.check()
    press_enter_on(staff, staff.locator("main form button[type=submit]"))
    assert staff.locator(".error-summary").get_attribute("role") == "alert"
    assert_accessible(staff)
    staff.locator("main textarea").first.fill("The gas supplier's emergency line, 0800 111 999.")
    press_enter_on(staff, staff.locator("main form button[type=submit]"))
    assert staff.url == case_url

    staff.goto(case_url + "/extend")
    extend = staff.locator("#step-extend form")
    extend.locator("input[name=extend-days]").fill("2")
    extend.locator("textarea[name=extend-reason]").fill("We are waiting for the engineer's report.")
    extend.locator("input[name=extend-told_on]").fill(today)
    extend.locator("input[name=extend-ombudsman_details_given]").check()
    submit_step(staff, "extend")

    link = staff.locator("main a[href$='/update-interval']")
    link.focus()
    with staff.expect_navigation():
        staff.keyboard.press("Enter")
    assert staff.url.endswith("/update-interval")
    assert_accessible(staff)

    form = staff.locator("main form")
    press_enter_on(staff, form.locator("button[type=submit]"))
    summary = staff.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert summary.locator("li").count() == 3  # how often, when agreed, and how: every missing part at once
    assert_accessible(staff)

    form = staff.locator("main form")
    form.locator("input[name=every_days]").fill("2")
    form.locator("input[name=agreed_on]").fill(today)
    form.locator("input[name=method][value=phone]").check()
    form.locator("textarea[name=note]").fill("Calls after 4pm.")
    press_enter_on(staff, form.locator("button[type=submit]"))
    assert staff.url == case_url
    assert staff.locator(".flashes").count() == 1
    assert_accessible(staff)

    assert "'missed'" in run_sweep(environ, local_date() + dt.timedelta(days=30))
    assert staff.goto(case_url + "/update-interval").status == 200
    assert staff.locator("main .overdue").count() == 1
    assert "Calls after 4pm." in staff.locator("main dl").inner_text()
    assert_accessible(staff)


@pytest.mark.parametrize(("language", "switch"), [("en", None), ("cy", "Cymraeg")])
def test_a_visitor_reads_how_to_complain_in_their_nation(new_page: NewPage, language: str, switch: str | None) -> None:
    visitor = new_page()
    assert visitor.goto("/").status == 200
    if switch:
        switch_language(visitor, switch)
    assert visitor.locator("html").get_attribute("lang") == language
    with visitor.expect_navigation():
        visitor.locator("footer a[href='/how-to-complain']").click()
    assert_accessible(visitor)
    with visitor.expect_navigation():
        visitor.locator("main a[href='/how-to-complain/wales']").click()
    assert visitor.locator("main ol > li").count() == 2
    assert re.search(r"Public Services Ombudsman|Ombwdsmon", visitor.locator("main").inner_text())
    assert_accessible(visitor)
    visitor.set_viewport_size({"width": 320, "height": 640})
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 320
