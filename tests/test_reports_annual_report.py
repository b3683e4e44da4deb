"""The Code's annual complaints performance and service improvement report: its sections (a) to (f) in the Code's
order, from the self-assessment, the analysis and the Ombudsman's publications; its page, files and publication."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.reports import annual_report
from backend.reports.models import ReportPublication, SelfAssessment, SelfAssessmentItem
from backend.reports.periods import regulator_year
from tests import factories
from tests.test_reports_tsm_complaints import complaint

YEAR = regulator_year(2025)


def test_the_sections_follow_the_code() -> None:
    document = annual_report.annual_document(YEAR)
    assert [section.code for section in document.sections] == [
        "self_assessment", "analysis", "non_compliance", "improvements", "ombudsman_annual_report",
        "other_ombudsman_reports",
    ]  # fmt: skip
    assert document.sections[0].slot  # no self-assessment approved yet
    assert document.figure("ch01_1").text == "no value"


def test_the_analysis_is_counted_from_the_records() -> None:
    factories.make_stock_count(year=2025, homes=1000)
    factories.make_stock_count(year=2025, tenure="shared_ownership", homes=1000)
    complaint(dt.date(2025, 6, 2), acknowledged=dt.date(2025, 6, 3), responded=dt.date(2025, 6, 10))
    document = annual_report.annual_document(YEAR)
    assert document.figure("ch01_1").text == "0.5"
    assert document.figure("responded_on_time_1").text == "100.0%"
    assert document.figure("mean_days_1").text == "5.0"
    assert document.figure("compensation_offered").text == "£0.00"


def test_the_ombudsmans_publications_go_to_their_sections() -> None:
    factories.make_ombudsman_publication("non_compliance", dt.date(2025, 9, 1))
    factories.make_ombudsman_publication("annual_landlord_report", dt.date(2025, 10, 1))
    factories.make_ombudsman_publication("other", dt.date(2024, 10, 1))  # last year's
    document = annual_report.annual_document(YEAR)
    sections = {section.code: section for section in document.sections}
    assert len(sections["non_compliance"].tables[0].rows) == 1
    assert len(sections["ombudsman_annual_report"].tables[0].rows) == 1
    assert sections["other_ombudsman_reports"].tables == ()


def test_the_latest_approved_annual_self_assessment_is_summarised() -> None:
    assessment = factories.make_self_assessment(period="2025/26", trigger="annual")
    items = list(SelfAssessmentItem.select().where(SelfAssessmentItem.assessment == assessment.id).limit(3))
    SelfAssessmentItem.update(complies=True).where(SelfAssessmentItem.id == items[0].id).execute()
    SelfAssessmentItem.update(complies=False, explanation="The policy is being rewritten by June.").where(
        SelfAssessmentItem.id == items[1].id
    ).execute()
    assert annual_report.annual_document(YEAR).sections[0].slot  # a draft is not reported
    SelfAssessment.update(status="approved", approved_at=dt.datetime(2026, 5, 1)).where(
        SelfAssessment.id == assessment.id
    ).execute()
    section = annual_report.annual_document(YEAR).sections[0]
    figures = {figure.code: figure.value for figure in section.figures}
    assert (figures["provisions_complied"], figures["provisions_not_complied"]) == (1, 1)
    assert section.tables[0].rows[0][2] == "The policy is being rewritten by June."


def test_the_report_is_in_welsh_when_asked() -> None:
    document = annual_report.annual_document(YEAR, "cy")
    assert document.locale == "cy" and document.title


QUERY = "query ($period: String!) { annualComplaintsReport(period: $period) { period figures { code } document } }"


def test_the_api_gives_the_report_for_a_year_only(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    body = browser.graphql(QUERY, {"period": "2025/26"}).get_json()
    assert body["data"]["annualComplaintsReport"]["period"] == "2025/26"
    error = browser.graphql(QUERY, {"period": "2025/26-Q1"}).get_json()["errors"][0]
    assert (error["extensions"]["reason"], error["extensions"]["field"]) == ("unsupported", "period")


def test_residents_have_no_annual_report_query(browser: Any, signed_in: Any) -> None:
    signed_in("resident")
    assert "errors" in browser.graphql(QUERY, {"period": "2025/26"}).get_json()


def page(browser: Any, url: str) -> Any:
    response = browser.client.get(url)
    response.text = response.get_data(as_text=True)
    return response


def test_the_console_page_and_its_files(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    shown = page(browser, "/console/reports/annual?period=2025/26")
    assert shown.status_code == 200 and "(b) How we handled complaints" in shown.text
    quarter = page(browser, "/console/reports/annual?period=2025/26-Q1")
    assert quarter.status_code == 400 and "This report does not cover that kind of period." in quarter.text
    assert page(browser, "/console/reports/annual/print?period=2025/26").status_code == 200
    for fmt in ("pdf", "csv", "xlsx"):
        assert browser.client.get(f"/console/reports/annual.{fmt}?period=2025/26").status_code == 200
    assert browser.client.get("/console/reports/annual.csv?period=2025-04").status_code == 404
    assert "/console/reports/annual" in page(browser, "/console/reports").text


def test_it_cannot_be_approved_without_the_years_self_assessment() -> None:
    from backend.errors import Conflict
    from backend.reports import publication

    drafted = publication.draft_report(factories.actor_of(factories.make_user("manager")), "annual", "2025/26")
    try:
        publication.approve_report(factories.actor_of(factories.make_user("manager")), drafted.id)
    except Conflict as error:
        assert error.code == "report_incomplete"
    else:
        raise AssertionError("approved without a self-assessment")
    assert ReportPublication.get_by_id(drafted.id).status == "draft"


def approved_self_assessment(period: str = "2025/26") -> None:
    assessment = factories.make_self_assessment(period=period, trigger="annual")
    SelfAssessment.update(status="approved", approved_at=dt.datetime(2026, 5, 1)).where(
        SelfAssessment.id == assessment.id
    ).execute()


def test_drafted_approved_published_and_answered(browser: Any, signed_in: Any, client: Any) -> None:
    from backend.reports import publication

    approved_self_assessment()
    drafter = factories.make_user("manager")
    drafted = publication.draft_report(factories.actor_of(drafter), "annual", "2025/26")
    signed_in("manager")
    url = f"/console/reports/publications/{drafted.id}"
    browser.submit(f"{url}/approve", {}, page=url)
    early = browser.submit(f"{url}/response", {"text": "Too early.", "responded_on": "2025-01-01"})
    assert "before the period began" in early.get_data(as_text=True)
    browser.submit(
        f"{url}/response",
        {"text": "The board accepts the report. Ask Mrs Patel on 07700 900123.", "responded_on": "2026-06-20"},
    )
    browser.submit(f"{url}/publish", {}, page=url)
    assert ReportPublication.get_by_id(drafted.id).status == "published"
    browser.sign_out()
    public = client.get(f"/reports/{drafted.id}").get_data(as_text=True)
    assert "Annual complaints performance and service improvement report" in public
    assert "The board accepts the report." in public
    assert "07700 900123" not in public and "Mrs Patel" not in public  # contact details in a response are replaced


def test_contact_details_typed_into_a_publication_are_not_published() -> None:
    from backend.reports.models import OmbudsmanPublication

    made = factories.make_ombudsman_publication("non_compliance", dt.date(2025, 9, 1))
    OmbudsmanPublication.update(summary="Mr Jones (07700 900123, LS1 4AP) waited a year.").where(
        OmbudsmanPublication.id == made.id
    ).execute()
    (row,) = annual_report.annual_document(YEAR).sections[2].tables[0].rows
    assert "07700 900123" not in row[2] and "LS1 4AP" not in row[2] and "Mr Jones" not in row[2]
