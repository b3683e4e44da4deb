"""The reports with the demo's data, in headless Chromium: a manager reads each report for the last complete
regulator's year and the current one, finds the demo's figures and records on it, and every page passes axe."""

from __future__ import annotations

from typing import Any

import pytest

from backend.reports.periods import regulator_year, year_of
from backend.timeutil import local_date
from tests.browser.test_pages import assert_accessible

pytestmark = pytest.mark.browser

CURRENT = year_of(local_date())
LAST = regulator_year(CURRENT.first.year - 1)

# (path, text the demo's data puts on the page, or "" where its figures change with the day it is loaded).
PAGES = [
    ("/console/reports", ""),
    (f"/console/reports/annual?period={LAST.code}", "Complaint Handling Failure Order"),
    (f"/console/reports/annual?period={CURRENT.code}", "Spotlight report on repairs"),
    (f"/console/reports/tsm?period={LAST.code}", ""),
    (f"/console/reports/tsm?period={CURRENT.code}", ""),
    (f"/console/reports/tsm/perception?period={LAST.code}", "Weighted by tenure to the stock"),
    (f"/console/reports/spso?period={LAST.code}", ""),
    ("/console/reports/board", ""),
    (f"/console/reports/board?period={LAST.code}", "Damp and mould cases"),
    (f"/console/reports/equality?period={LAST.code}", ""),
    (f"/console/reports/signals?period={LAST.code}", "Repairs"),
    ("/console/reports/stock", "Statistical data return"),
    ("/console/reports/self-assessment", LAST.code),
]


@pytest.mark.parametrize(("path", "text"), PAGES, ids=[path for path, _text in PAGES])
def test_demo_report_page_shows_the_demo_data_and_passes_axe(page_as: Any, path: str, text: str) -> None:
    page = page_as("manager")
    response = page.goto(path)
    assert response.status == 200
    assert page.locator(".error-summary").count() == 0
    if text:
        assert text in page.locator("main").inner_text()
    assert_accessible(page)


def test_demo_self_assessment_of_last_year_is_a_draft_to_finish(page_as: Any) -> None:
    page = page_as("manager")
    page.goto("/console/reports/self-assessment")
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=LAST.code).first.click()
    main = page.locator("main").inner_text()
    assert "Every upheld complaint is reviewed for a lesson" in main
    assert_accessible(page)
