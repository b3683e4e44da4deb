"""The tenant perception measures in headless Chromium.

A perception survey with TP01, TP09 and its filter was imported for 2024/25. A manager opens the measures for that
year: a table per tenure, with a caption. A period that is not one is named in the error summary. The manager records
the method statement through its form (an empty form names what is missing first), and it shows beside the measures.
By keyboard; axe checks every page on the way.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import sign_in_page
from tests.browser.test_pages import assert_accessible

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
# A perception survey whose answers were collected in June 2024 (2024/25): prints the survey's id.
SEED = (
    "import datetime as dt\n"
    "from backend.config import load_settings, set_current\n"
    "settings = load_settings(); set_current(settings)\n"
    "from backend.db import init_database\n"
    "init_database(settings.database_url, settings.instance_path)\n"
    "from tests import factories\n"
    "survey = factories.make_survey(title={'en': 'Perception survey 2024'})\n"
    "overall = factories.make_survey_question(survey, tsm_code='tp01')\n"
    "complained = factories.make_survey_question(survey, kind='yes_partly_no', tsm_code='tp09_filter')\n"
    "handling = factories.make_survey_question(survey, tsm_code='tp09')\n"
    "rows = [('5', 'yes', '4', 'rented', 1.2), ('2', 'no', None, 'rented', 0.8), ('4', 'yes', '1', 'shared_ownership', 1.0)]\n"
    "for tp01, filter_answer, tp09, tenure, weight in rows:\n"
    "    response = factories.make_survey_response(survey, channel='import', tenure=tenure, weight=weight,\n"
    "        answered_on=dt.date(2024, 6, 30), submitted_at=dt.datetime(2024, 7, 1, 9))\n"
    "    factories.make_survey_answer(response, overall, tp01)\n"
    "    factories.make_survey_answer(response, complained, filter_answer)\n"
    "    if tp09: factories.make_survey_answer(response, handling, tp09)\n"
    "print(survey.id)\n"
)


def seed(environ: dict[str, str]) -> int:
    done = subprocess.run([sys.executable, "-c", SEED], env=environ, capture_output=True, text=True, check=True)
    return int(done.stdout.strip().splitlines()[-1])


def press(page: Any, locator: Any) -> None:
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_manager_reads_the_measures_and_records_the_method(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    url, environ = live_server
    survey_id = seed(environ)
    page = new_page()
    sign_in_page(page, "manager@example.org")
    page.goto(url + f"/console/reports/tsm/perception?period=2024/25&survey={survey_id}")
    main = page.locator("main")
    assert main.get_by_role("heading", level=1).inner_text().startswith("Tenant perception measures")
    lcra = main.get_by_role("table", name="Tenant perception measures, Low-cost rental (LCRA), 2024/25")
    overall = lcra.get_by_role("row", name="TP01: Overall satisfaction")
    assert overall.get_by_role("cell").first.inner_text() == "60.0"  # 1.2 of 2.0 weighted
    complaints = lcra.get_by_role("row", name="TP09: Satisfaction with the landlord's approach to handling complaints")
    assert complaints.get_by_role("cell").first.inner_text() == "100.0"  # only the one who complained
    assert main.get_by_text("No method statement has been recorded for this period.").is_visible()
    assert_accessible(page)

    page.get_by_label("Period").fill("last year")
    press(page, main.get_by_role("button", name="Show the measures"))
    summary = page.locator(".error-summary")
    assert summary.is_visible() and "Enter a period as a year (2025/26)" in summary.inner_text()
    assert page.title().startswith("Error:")
    assert_accessible(page)

    page.goto(url + f"/console/reports/tsm/perception?period=2024/25&survey={survey_id}")
    press(page, main.get_by_role("link", name="For Perception survey 2024, 2024/25"))
    assert_accessible(page)
    press(page, main.get_by_role("button", name="Save the method statement"))
    assert "Give the sample size." in page.locator(".error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Telephone").check()
    page.get_by_label("Sample size").fill("3")
    page.get_by_label("Population").fill("120")
    page.get_by_label("Weighting (optional)").fill("Weighted by tenure to the stock.")
    page.get_by_label("First day of fieldwork").fill("2024-06-01")
    page.get_by_label("Last day of fieldwork").fill("2024-07-31")
    press(page, main.get_by_role("button", name="Save the method statement"))
    statements = page.locator("main").get_by_role("table", name="Method statements for 2024/25")
    assert "Weighted by tenure to the stock." in statements.inner_text()
    assert_accessible(page)
