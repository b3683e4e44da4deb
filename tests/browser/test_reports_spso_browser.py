"""The SPSO indicators page in headless Chromium.

A Scottish resident's complaint was received on 1 April 2025 and answered three working days later. A member of staff
opens the indicators, chooses the first quarter of 2025/26 with the keyboard (the form needs no script), reads the
tables and follows the number of complaints received to the complaint behind it. A period that does not exist is an
error on the form. axe checks every page on the way.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from tests.browser.test_pages import assert_accessible

pytestmark = pytest.mark.browser

# A complaint of the demo's Scottish resident, received and answered in April 2025: prints its reference.
ANSWERED = (
    "import datetime as dt\n"
    "from backend.config import load_settings, set_current\n"
    "settings = load_settings(); set_current(settings)\n"
    "from backend.db import init_database\n"
    "init_database(settings.database_url, settings.instance_path)\n"
    "from backend.accounts.models import User\n"
    "from backend.complaints.models import ComplaintResponse\n"
    "from tests.factories import make_complaint\n"
    "resident = User.get(User.email == 'resident.scotland@example.org')\n"
    "complaint = make_complaint(resident, received_at=dt.datetime(2025, 4, 1, 9))\n"
    "ComplaintResponse.create(complaint=complaint.id, stage=1, reasons='Fixed.', next_steps='Stage 2.',\n"
    "    issued_at=dt.datetime(2025, 4, 4, 9), outcome='upheld')\n"
    "print(complaint.reference)\n"
)


def answered_complaint(environ: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", ANSWERED], env=environ, capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def press(page: Any, control: Any) -> None:
    control.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_staff_choose_a_quarter_read_the_indicators_and_open_the_complaints_behind_one(
    page_as: Any, live_server: tuple[str, dict[str, str]]
) -> None:
    url, environ = live_server
    reference = answered_complaint(environ)
    page = page_as("staff")
    page.goto(url + "/console/reports/spso")
    assert page.get_by_role("heading", level=1).inner_text() == "SPSO complaints performance indicators"
    assert_accessible(page)

    page.get_by_label("Period").select_option("2025/26-Q1")
    press(page, page.get_by_role("button", name="Show the figures"))
    assert "period=2025%2F26-Q1" in page.url or "period=2025/26-Q1" in page.url
    assert page.get_by_role("heading", name="2025/26, quarter 1 (April 2025 to June 2025)").is_visible()
    received = page.get_by_role("table", name="Indicator 4: complaints received")
    assert received.get_by_role(
        "row", name="Complaints received (stage 1, and stage 2 opened straight away)"
    ).is_visible()
    assert page.get_by_role("table", name="Indicators 7 to 9: working days, timescales and extensions").is_visible()
    assert_accessible(page)

    press(page, received.get_by_role("row").first.get_by_role("link"))
    assert page.get_by_role("heading", level=1).inner_text() == "The complaints behind a figure"
    assert page.get_by_role("link", name=reference).is_visible()
    assert_accessible(page)

    page.goto(url + "/console/reports/spso?period=2025/27")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert summary.get_by_role("link").get_attribute("href") == "#period"
    assert_accessible(page)
