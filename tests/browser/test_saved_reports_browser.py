"""Saved reports in headless Chromium: a manager saves a query as a report, is told what is wrong with a broken
query next to it, then sees the report as a bar chart with its table, runs it again with a parameter and downloads it
as CSV and as XLSX. By keyboard; axe checks every page on the way."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import sign_in_page
from tests.browser.test_internal_notes_browser import press_enter_on
from tests.browser.test_pages import assert_accessible
from tests.browser.test_update_intervals_browser import patient
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PASSWORD = "saved reports passphrase"  # a throwaway test account
QUERY = (
    "query HomesByNation($tenure: Tenure = rented) {\n"
    "  homesAggregate(groupBy: [nation], where: {tenure: {eq: $tenure}}) { key { nation } count }\n"
    "}"
)


def test_a_manager_saves_runs_and_downloads_a_report(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    url, environ = live_server
    email = f"reports.{uuid.uuid4().hex[:8]}@example.org"
    run_cli(environ, "users", "create", "--email", email, "--name", "Report Maker", "--role", "manager",
            "--password", PASSWORD)  # fmt: skip
    page = patient(new_page)()
    sign_in_page(page, email, PASSWORD)

    page.goto(url + "/console/reports/saved")
    assert_accessible(page)
    link = page.locator("main a[href$='/console/reports/saved/new']")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)

    page.locator("input[name=name]").fill("Homes by nation")
    page.locator("textarea[name=query]").fill("mutation { savedReportDelete(input: {id: 1}) { __typename } }")
    press_enter_on(page, page.locator("main form button[type=submit]"))
    assert page.locator(".error-summary").get_attribute("role") == "alert"
    assert page.locator(".error-summary a[href='#query']").count() == 1
    assert page.locator("#query-error").count() == 1
    assert_accessible(page)

    page.locator("textarea[name=query]").fill(QUERY)
    page.locator("input[name=display][value=bar]").check()
    page.locator("input[name=label_field]").fill("key.nation")
    page.locator("input[name=value_field]").fill("count")
    press_enter_on(page, page.locator("main form button[type=submit]"))
    assert "/console/reports/saved/" in page.url and not page.url.endswith("/new")
    assert page.locator("main svg[role=img]").count() == 1
    assert page.locator("main table caption", has_text="Homes by nation").count() >= 1
    assert_accessible(page)

    page.locator("select[name=p_tenure]").select_option("shared_ownership")
    press_enter_on(page, page.locator("main form[method=get] button[type=submit]"))
    assert "p_tenure=shared_ownership" in page.url
    assert_accessible(page)

    with page.expect_download() as csv_download:
        page.locator("main a[href*='.csv']").click()
    with open(csv_download.value.path(), encoding="utf-8-sig") as handle:
        csv_text = handle.read()
    assert csv_text.splitlines()[0] == "key.nation,count"
    with page.expect_download() as xlsx_download:
        page.locator("main a[href*='.xlsx']").click()
    with open(xlsx_download.value.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    assert next(sheet.iter_rows(values_only=True)) == ("key.nation", "count")

    page.goto(url + "/console/reports/saved")
    assert page.locator("main table a", has_text="Homes by nation").count() == 1
    assert_accessible(page)
