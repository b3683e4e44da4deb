"""The Tenant Satisfaction Measures as one document for the year: CH01 and CH02 beside TP01 to TP12 by tenure, with
the survey's method; its API, its console page and files, and its publication."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.reports import tsm_report
from backend.reports.documents import document_from_dict
from backend.reports.models import ReportPublication
from backend.reports.periods import regulator_year
from tests import factories
from tests.test_reports_tsm_complaints import complaint
from tests.test_tsm_perception import answer, coded_survey

YEAR = regulator_year(2025)


def test_the_document_holds_the_complaints_and_perception_measures_by_tenure() -> None:
    factories.make_stock_count(year=2025, homes=2000)
    complaint(dt.date(2025, 6, 2), acknowledged=dt.date(2025, 6, 3), responded=dt.date(2025, 6, 10))
    survey, questions = coded_survey("TP01")
    for value in ("5", "4", "2", "1"):
        answer(survey, questions, {"TP01": value}, tenure="rented")
    document = tsm_report.tsm_document(YEAR)
    assert [section.code for section in document.sections] == ["complaints", "perception"]
    assert document.figure("ch01_1_rented").text == "0.5"
    assert document.figure("ch02_1_rented").text == "100.0%"
    assert document.figure("ch01_1_shared_ownership").text == "no value"
    assert document.figure("tp01_lcra").text == "50.0%" and document.figure("tp01_lcho").text == "no value"
    assert document_from_dict(document.as_dict()) == document


def test_the_document_says_why_tp09_has_no_value() -> None:
    survey, questions = coded_survey("TP01")
    answer(survey, questions, {"TP01": "5"})
    paragraphs = tsm_report.tsm_document(YEAR).sections[1].paragraphs
    assert any("TP09" in paragraph for paragraph in paragraphs)


def test_the_document_is_written_in_welsh() -> None:
    document = tsm_report.tsm_document(YEAR, "cy")
    assert document.locale == "cy" and "Ebrill" in document.period_label
    assert document.figure("tp01_lcra").text == "dim gwerth"


QUERY = "query ($period: String!) { tsmReport(period: $period) { period figures { code } document } }"


def test_the_api_takes_a_year_only(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    assert browser.graphql(QUERY, {"period": "2025/26"}).get_json()["data"]["tsmReport"]["period"] == "2025/26"
    error = browser.graphql(QUERY, {"period": "2025-06"}).get_json()["errors"][0]
    assert error["extensions"]["reason"] == "unsupported"


def test_residents_have_no_tsm_report(browser: Any, signed_in: Any) -> None:
    signed_in("resident")
    assert "errors" in browser.graphql(QUERY, {"period": "2025/26"}).get_json()


def test_the_console_page_files_and_publication(browser: Any, signed_in: Any, client: Any) -> None:
    from backend.reports import publication

    drafter = factories.make_user("manager")
    signed_in("manager")
    page = browser.client.get("/console/reports/tsm/document?period=2025/26")
    assert page.status_code == 200 and "TP01" in page.get_data(as_text=True)
    for fmt in ("pdf", "csv", "xlsx"):
        assert browser.client.get(f"/console/reports/tsm/document.{fmt}?period=2025/26").status_code == 200
    assert browser.client.get("/console/reports/tsm/document/print?period=2025/26").status_code == 200
    drafted = publication.draft_report(factories.actor_of(drafter), "tsm", "2025/26")
    url = f"/console/reports/publications/{drafted.id}"
    browser.submit(f"{url}/approve", {}, page=url)
    browser.submit(f"{url}/publish", {}, page=url)
    assert ReportPublication.get_by_id(drafted.id).status == "published"
    browser.sign_out()
    assert "Tenant Satisfaction Measures" in client.get(f"/reports/{drafted.id}").get_data(as_text=True)
