"""The SPSO indicators as a report: its sections and published values on hand-built cases, counts only, JSON and
Welsh; the API; the console page, print view and files; and drafted, approved by another manager and published."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from backend.audit.models import AuditEvent
from backend.errors import Invalid
from backend.reports import publication, spso_report
from backend.reports.catalogue import KINDS
from backend.reports.documents import document_from_dict
from backend.reports.models import ReportPublication
from backend.reports.periods import parse_period
from tests import factories
from tests.test_reports_spso import complaint, direct, respond, uk

Q1 = "2025/26-Q1"  # April to June 2025


@pytest.fixture(autouse=True)
def _now(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 6, 1, 9))


def period(code: str = Q1) -> Any:
    return parse_period(code, today=dt.date(2026, 6, 1))


def hand_built() -> list[Any]:
    """Two stage 1 closures (3 working days and upheld; 8 days with a 5-day extension and not upheld), one complex
    complaint closed at stage 2 (partially upheld), one refused before any response, and 2,000 Scottish homes."""
    factories.make_stock_count(year=2025, nation="scotland", homes=2000)
    quick = complaint("2025-04-01 10:00")  # Tuesday
    respond(quick, 1, "2025-04-04 10:00", outcome="upheld")
    slow = complaint("2025-04-01 11:00")
    respond(slow, 1, "2025-04-11 10:00", outcome="not_upheld", extended=5)
    complex_case = direct("2025-05-01 09:00")
    respond(complex_case, 2, "2025-05-20 09:00", outcome="partly_upheld")
    refused = complaint("2025-04-04 10:00", status="refused")
    return [quick, slow, complex_case, refused]


def texts(document: Any) -> dict[str, str]:
    return {figure.code: figure.text for figure in document.figures()}


def test_the_sections_follow_the_spsos_indicators() -> None:
    document = spso_report.spso_document(period())
    assert [section.code for section in document.sections] == [
        "received", "closures", "outcomes", "working_days", "timescales", "extensions", "learning", "experience",
        "training", "areas",
    ]  # fmt: skip
    assert document.kind == "spso" and document.period_code == Q1
    assert document.period_label == "1 April 2025 to 30 June 2025 (2025/26-Q1)"


def test_the_figures_are_published_to_one_decimal_place() -> None:
    hand_built()
    document = spso_report.spso_document(period())
    shown = texts(document)
    assert (shown["received"], shown["homes"], shown["received_per_1000"], shown["refused"]) == (
        "3",
        "2,000",
        "1.5",
        "1",
    )
    assert (shown["closed"], shown["closed_stage1"], shown["closed_stage2_direct"]) == ("3", "66.7%", "33.3%")
    assert document.figure("closed_stage1").value == pytest.approx(200 / 3)
    assert shown["outcome_stage1_upheld"] == shown["outcome_stage1_not_upheld"] == "50.0%"
    assert shown["outcome_stage2_direct_partly_upheld"] == "100.0%"
    assert (shown["average_days_stage1"], shown["within_stage1"], shown["extended_stage1"]) == ("5.5", "50.0%", "50.0%")
    assert shown["within_stage2_direct"] == "100.0%"


def test_a_stage_with_nothing_closed_and_a_year_without_homes_have_no_value() -> None:
    respond(complaint("2025-04-01 10:00"), 1, "2025-04-04 10:00")
    document = spso_report.spso_document(period())
    shown = texts(document)
    assert shown["closed_stage2_escalated"] == "0.0%"  # none of the closures, which is a value
    for code in ("outcome_stage2_escalated_upheld", "average_days_stage2_escalated", "within_stage2_direct"):
        assert shown[code] == "no value" and document.figure(code).value is None
    assert (shown["homes"], shown["received_per_1000"]) == ("no value", "no value")
    assert any("no homes in scotland are entered" in p.lower() for p in document.sections[0].paragraphs)


def test_closures_by_stage_are_a_bar_chart_with_the_counts_in_a_table() -> None:
    hand_built()
    section = next(s for s in spso_report.spso_document(period()).sections if s.code == "closures")
    (chart,) = section.charts
    assert chart.kind == "bar"
    assert [(point.value, point.text) for point in chart.points] == [(2, "2"), (1, "1"), (0, "0")]
    outcomes = next(s for s in spso_report.spso_document(period()).sections if s.code == "outcomes").tables[0]
    assert outcomes.rows[0] == ("Upheld", 1, 0, 0)


def test_the_timescale_table_gives_the_base_timescale_of_each_stage() -> None:
    hand_built()
    section = next(s for s in spso_report.spso_document(period()).sections if s.code == "timescales")
    assert [row[:2] for row in section.tables[0].rows] == [
        ("Stage 1 (frontline response)", "5"),
        ("Stage 2, straight to investigation", "20"),
        ("Stage 2, after escalation", "20"),
    ]


def test_the_statements_and_areas_are_counts_that_name_no_one() -> None:
    cases = hand_built()
    lesson = factories.make_lesson("Mrs Example's boiler was left broken", status="closed")
    factories.make_lesson_source(lesson, cases[0])
    AuditEvent.create(
        occurred_at=uk("2025-05-01 12:00"),
        actor_label="system",
        action="lesson.status_set",
        entity_type="lesson",
        entity_id=str(lesson.id),
        changes={"status": {"before": "measuring_impact", "after": "closed"}},
    )
    factories.make_improvement_action(lesson, title="Call Mrs Example back", completed_at=uk("2025-06-01 12:00"))
    record = factories.make_training_record()
    record.delivered_on, record.attendees = dt.date(2025, 6, 2), 9
    record.save()
    quiet = factories.make_home(nation="scotland")
    quiet.postcode = "G1 1XX"
    quiet.save()
    document = spso_report.spso_document(period())
    shown = texts(document)
    assert (shown["lessons_closed"], shown["actions_completed"]) == ("1", "1")
    assert (shown["training_sessions"], shown["training_attendees"]) == ("1", "9")
    assert (shown["survey_responses"], shown["satisfied"]) == ("0", "no value")
    assert shown["districts_none"] == "1"
    written = json.dumps(document.as_dict())
    assert "Mrs Example" not in written and lesson.reference not in written
    for case in cases:
        assert case.reference not in written
        resident = case.resident
        assert resident.display_name not in written and resident.email not in written


def test_the_document_goes_to_json_and_back_unchanged() -> None:
    hand_built()
    document = spso_report.spso_document(period())
    assert document_from_dict(json.loads(json.dumps(document.as_dict()))) == document


def test_the_report_is_in_welsh_when_asked() -> None:
    hand_built()
    document = spso_report.spso_document(period(), "cy")
    assert document.locale == "cy"
    assert document.title == "Dangosyddion perfformiad cwynion yr SPSO"
    assert "Ebrill 2025" in document.period_label
    assert document.figure("average_days_stage2_escalated").text == "dim gwerth"
    assert document.figure("closed_stage1").text == "66.7%"


def test_the_catalogue_takes_quarters_and_years_only() -> None:
    assert KINDS["spso"].period_kinds == ("quarter", "year")
    with pytest.raises(Invalid) as raised:
        publication.draft_report(factories.actor_of(factories.make_user("staff")), "spso", "2025-04")
    assert (raised.value.field, raised.value.code) == ("period", "unsupported")


# --- The API -------------------------------------------------------------------------------------------------------

QUERY = (
    "query ($period: String!, $locale: String) { spsoReport(period: $period, locale: $locale) "
    "{ period firstDay lastDay figures { section code value text unit } document } }"
)


def test_staff_read_the_report_with_its_figures(browser: Any, signed_in: Any) -> None:
    hand_built()
    signed_in("staff")
    found = browser.graphql(QUERY, {"period": Q1}).get_json()["data"]["spsoReport"]
    assert (found["period"], found["firstDay"], found["lastDay"]) == (Q1, "2025-04-01", "2025-06-30")
    figure = next(f for f in found["figures"] if f["code"] == "received_per_1000")
    assert figure == {
        "section": "received",
        "code": "received_per_1000",
        "value": 1.5,
        "text": "1.5",
        "unit": "per_1000",
    }
    assert found["document"]["format"] == 1 and found["document"]["kind"] == "spso"
    welsh = browser.graphql(QUERY, {"period": "2025/26", "locale": "cy"}).get_json()["data"]["spsoReport"]
    assert welsh["document"]["locale"] == "cy"


def test_residents_have_no_spso_report_field(browser: Any, signed_in: Any) -> None:
    signed_in("resident")
    body = browser.graphql(QUERY, {"period": Q1}).get_json()
    assert "data" not in body or body["data"] is None
    assert "spsoReport" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("code", "reason"), [("2025-04", "unsupported"), ("last year", "invalid"), ("2099/00", "future")]
)
def test_a_period_that_cannot_be_used_is_refused(browser: Any, signed_in: Any, code: str, reason: str) -> None:
    signed_in("staff")
    error = browser.graphql(QUERY, {"period": code}).get_json()["errors"][0]
    assert (error["extensions"]["reason"], error["extensions"]["field"]) == (reason, "period")


# --- The console ---------------------------------------------------------------------------------------------------


def page(browser: Any, url: str) -> Any:
    response = browser.client.get(url)
    response.text = response.get_data(as_text=True)
    return response


def test_the_console_page_shows_the_last_complete_quarter_first(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    shown = page(browser, "/console/reports/spso/document")
    assert shown.status_code == 200
    assert "1 January 2026 to 31 March 2026 (2025/26-Q4)" in shown.text
    assert 'id="section-areas"' in shown.text and "<svg" in shown.text


def test_the_console_page_refuses_a_month(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    shown = page(browser, "/console/reports/spso/document?period=2025-04")
    assert shown.status_code == 400 and "This report does not cover that kind of period." in shown.text
    assert browser.client.get("/console/reports/spso/document.csv?period=2025-04").status_code == 404


def test_the_console_page_is_for_staff_only(browser: Any, signed_in: Any) -> None:
    signed_in("resident")
    assert page(browser, f"/console/reports/spso/document?period={Q1}").status_code in (403, 404)


def test_the_indicators_page_links_to_the_report_for_a_quarter_or_year(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    shown = page(browser, f"/console/reports/spso?period={Q1}")
    assert "/console/reports/spso/document?period=2025/26-Q1" in shown.text.replace("%2F", "/")
    assert "Print, download or draft for approval" in shown.text
    month = page(browser, "/console/reports/spso?period=2025-04")
    assert "Print, download or draft for approval" not in month.text


def test_the_print_view_and_files(browser: Any, signed_in: Any) -> None:
    hand_built()
    signed_in("staff")
    printed = page(browser, f"/console/reports/spso/document/print?period={Q1}")
    assert printed.status_code == 200 and "site-nav" not in printed.text
    assert '<details class="chart-data" open>' in printed.text
    pdf = browser.client.get(f"/console/reports/spso/document.pdf?period={Q1}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "SPSO complaints performance indicators" in text and "Indicator 4: complaints received" in text
    sheet = browser.client.get(f"/console/reports/spso/document.csv?period={Q1}")
    assert sheet.status_code == 200 and sheet.mimetype == "text/csv"
    assert 'filename="spso-indicators-2025-26-Q1.csv"' in sheet.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(sheet.get_data(as_text=True).lstrip("\ufeff"))))
    assert ["received_per_1000", "Complaints received per 1,000 homes", "1.5", "1.5", "per_1000"] in rows
    workbook = load_workbook(io.BytesIO(browser.client.get(f"/console/reports/spso/document.xlsx?period={Q1}").data))
    figures = {row[0]: row for row in workbook["Figures"].iter_rows(values_only=True)}
    assert figures["received"][2:] == (3, "3", "count")


def test_drafted_approved_by_another_manager_and_published(browser: Any, signed_in: Any, client: Any) -> None:
    cases = hand_built()
    signed_in("manager")
    drafted = browser.submit(
        "/console/reports/spso/document/draft", {"draft-period": Q1}, page=f"/console/reports/spso/document?period={Q1}"
    )
    assert drafted.status_code == 302, drafted.get_data(as_text=True)
    publication_id = int(drafted.headers["Location"].rsplit("/", 1)[1])
    url = f"/console/reports/publications/{publication_id}"
    browser.submit(f"{url}/approve", {}, page=url)
    assert ReportPublication.get_by_id(publication_id).status == "draft"  # not by the one who drafted it
    browser.sign_out()
    signed_in("manager")
    browser.submit(f"{url}/approve", {}, page=url)
    browser.submit(f"{url}/publish", {}, page=url)
    row = ReportPublication.get_by_id(publication_id)
    assert (row.kind, row.period_code, row.status) == ("spso", Q1, "published")
    respond(complaint("2025-04-02 10:00"), 1, "2025-04-03 10:00")  # later records do not reach the published copy
    browser.sign_out()
    public = client.get(f"/reports/{publication_id}")
    assert public.status_code == 200
    text = public.get_data(as_text=True)
    assert "SPSO complaints performance indicators" in text
    assert 'id="figure-received"><th scope="row">Complaints received</th><td>3</td>' in text
    for case in cases:
        assert case.reference not in text
        assert case.resident.display_name not in text and case.resident.email not in text
    assert client.get(f"/reports/{publication_id}.pdf").status_code == 200
