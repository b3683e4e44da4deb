"""The monthly lessons QA in headless Chromium, in English and in Welsh.

An upheld complaint was closed in a month with no lesson drawn from it. A manager counts that month: the transfer rate
shows the complaint among its failing items, linked to its case. They draw the month's quality-check sample and score
the complaint against the checklist: an empty form names what is missing, then the scores are saved. The QA page shows
the trend as a chart with its table. By keyboard; axe checks every page on the way. Fields are found by their names, so
the steps run in either language.
"""

from __future__ import annotations

import subprocess
import sys
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
PASSWORD = "lessons qa passphrase"  # a throwaway test account
# An upheld complaint of the demo resident, closed on the 10th of the month given, with no lesson: prints its id.
CLOSED_UPHELD = (
    "import datetime as dt, sys\n"
    "from backend.config import load_settings, set_current\n"
    "settings = load_settings(); set_current(settings)\n"
    "from backend.db import init_database\n"
    "init_database(settings.database_url, settings.instance_path)\n"
    "from backend.accounts.models import User\n"
    "from backend.complaints.models import Complaint, ComplaintPoint, ComplaintResponse, PointDecision\n"
    "from tests.factories import make_complaint\n"
    "complaint = make_complaint(User.get(User.email == 'resident@example.org'))\n"
    "point = ComplaintPoint.create(complaint=complaint.id, position=1, text='The tap leaks.')\n"
    "response = ComplaintResponse.create(complaint=complaint.id, stage=1, reasons='Late.', next_steps='Stage 2.')\n"
    "PointDecision.create(response=response.id, point=point.id, decision='upheld')\n"
    "closed = dt.datetime.fromisoformat(sys.argv[1] + '-10T12:00:00')\n"
    "Complaint.update(status='closed', closed_at=closed, team='Repairs team').where(\n"
    "    Complaint.id == complaint.id).execute()\n"
    "print(complaint.id)\n"
)


def closed_upheld(environ: dict[str, str], month: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", CLOSED_UPHELD, month], env=environ, capture_output=True, text=True, check=True
    )
    return int(done.stdout.strip().splitlines()[-1])


def follow(page: Any, link: Any) -> None:
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize(("language", "switch", "month"), [("en", None, "2003-03"), ("cy", "Cymraeg", "2003-04")])
def test_a_manager_counts_a_month_sees_what_failed_and_scores_a_sampled_complaint(
    new_page: NewPage, live_server: tuple[str, dict[str, str]], language: str, switch: str | None, month: str
) -> None:
    url, environ = live_server
    complaint_id = closed_upheld(environ, month)
    # Its own manager: choosing Welsh is remembered on the account, and the demo manager serves other tests.
    email = f"qa.{uuid.uuid4().hex[:8]}@example.org"
    run_cli(environ, "users", "create", "--email", email, "--name", "QA Manager", "--role", "manager",
            "--password", PASSWORD)  # fmt: skip
    page = patient(new_page)()
    sign_in_page(page, email, PASSWORD)
    if switch:
        switch_language(page, switch)

    page.goto(url + "/console/lessons/qa")
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)
    follow(page, page.locator("main a[href$='/console/lessons/qa/compute']"))
    assert_accessible(page)
    page.locator("input[name=month]").fill("2003-13")
    press_enter_on(page, page.locator("main form button[type=submit]"))
    assert page.locator(".error-summary").get_attribute("role") == "alert"
    assert page.locator("input[name=month]").input_value() == "2003-13"
    assert_accessible(page)
    page.locator("input[name=month]").fill(month)
    press_enter_on(page, page.locator("main form button[type=submit]"))
    assert page.url.endswith(f"/console/lessons/qa/{month}")
    failing = page.locator(f"#failing-heading ~ ul a[href$='/console/complaints/{complaint_id}']")
    assert failing.count() == 1
    assert_accessible(page)

    # The quality-check sample: the month's only closed complaint is drawn, and scored.
    press_enter_on(page, page.locator(f"main form[action$='/console/lessons/qa/{month}/sample'] button"))
    follow(page, page.locator("#sample a[href*='/console/lessons/qa/reviews/']").first)
    assert_accessible(page)
    press_enter_on(page, page.locator("main form button[type=submit]"))
    assert page.locator(".error-summary").get_attribute("role") == "alert"
    assert_accessible(page)
    for radio in page.locator("main input[type=radio][value=met]").all():
        radio.check()
    page.locator("textarea[name=comments]").fill("Each point was answered with reasons.")
    press_enter_on(page, page.locator("main form button[type=submit]"))
    assert page.locator(".flashes").count() == 1
    assert page.locator("textarea[name=comments]").input_value() == "Each point was answered with reasons."
    assert_accessible(page)

    follow(page, page.locator("main a[href$='#sample']"))
    assert page.locator("#teams-heading").count() == 1
    assert "100%" in page.locator("#teams-caption ~ tbody, table:has(#teams-caption)").first.inner_text()
    assert_accessible(page)
    follow(page, page.locator("main a[href$='/console/lessons/qa']").first)
    assert page.locator("main svg[role=img]").count() == 5
    assert_accessible(page)
