"""The self-assessment and the equality breakdowns as documents: what they hold, built on hand-made data, and their
print views and files in the console (staff only; a hidden equality figure never appears as a number)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from backend.reports import equality, evidence
from backend.reports.documents import document_from_dict
from backend.reports.equality_document import DIMENSIONS, MEASURES, equality_document, group_words
from backend.reports.models import SelfAssessmentItem
from backend.reports.output import document_csv, document_pdf, document_xlsx
from backend.reports.periods import parse_period
from backend.reports.self_assessment import approve_assessment, publish_assessment, update_item
from backend.reports.self_assessment_document import FIGURES, assessment_document
from tests.factories import actor_of, make_improvement_action, make_self_assessment, make_staff, make_user
from tests.test_reports_equality import complaint

YEAR = "2025/26"
ANSWERED = dt.datetime(2025, 7, 1, 9)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def row_of(assessment_id: int, number: str) -> Any:
    return SelfAssessmentItem.get(SelfAssessmentItem.assessment == assessment_id, SelfAssessmentItem.number == number)


def table_row(document: Any, table_code: str, first: str) -> tuple[Any, ...]:
    (table,) = [t for t in document.tables() if t.code == table_code]
    (found,) = [row for row in table.rows if row[0] == first]
    return dict(zip(table.columns, found, strict=True))  # type: ignore[return-value]


def filled_in() -> tuple[Any, Any]:
    """A draft with 6.2 complying (with evidence and a link) and 5.9 not (with an explanation and an action)."""
    drafter = make_user("manager")
    assessment = make_self_assessment(drafter, period="2024/25")
    action = make_improvement_action(title="Publish complaint intervals")
    actor = actor_of(drafter)
    links = [{"label": "Policy", "url": "https://example.org/policy"}]
    update_item(actor, row_of(assessment.id, "6.2").id, True, "Checked monthly.", links=links)
    update_item(actor, row_of(assessment.id, "5.9").id, False, "", "Intervals go live in May.", action.id)
    update_item(actor, row_of(assessment.id, "1").id, True)
    return assessment, drafter


# --- The self-assessment document ----------------------------------------------------------------------------------


def test_assessment_document_has_a_table_per_section_and_the_learning_checklist() -> None:
    assessment, _drafter = filled_in()
    document = assessment_document(assessment.id, "en")
    assert document.title == "Self-assessment against the Complaint Handling Code"
    assert document.period_code == "2024/25" and document.period_label == "1 April 2024 to 31 March 2025 (2024/25)"
    codes = [section.code for section in document.sections]
    assert codes == ["summary", *(f"section-{n}" for n in range(1, 10)), "learning"]
    assert len(document.sections[-1].tables[0].rows) == 16
    assert document.sections[-1].paragraphs == ("Each item scores 1 when met and 0 when not: 1 of 16.",)


def test_assessment_document_rows_say_what_the_page_says() -> None:
    assessment, _drafter = filled_in()
    document = assessment_document(assessment.id, "en")
    complying = table_row(document, "section-6", "6.2")
    assert complying["Complies"] == "Yes" and complying["Must or should"] == "Must"
    assert complying["Evidence"] == "Checked monthly.\nPolicy: https://example.org/policy"
    assert complying["The system's figure"] == "Stage 1 complaints acknowledged in time: no items"
    not_complying = table_row(document, "section-5", "5.9")
    assert (not_complying["Complies"], not_complying["Explanation"], not_complying["Improvement action"]) == (
        "No",
        "Intervals go live in May.",
        "Publish complaint intervals",
    )
    assert table_row(document, "learning", "1")["Complies"] == "Yes (1)"
    assert table_row(document, "learning", "2")["Complies"] == "Not assessed"


def test_assessment_document_counts_rows_complying_and_not() -> None:
    assessment, _drafter = filled_in()
    document = assessment_document(assessment.id, "en")
    total = SelfAssessmentItem.select().where(
        SelfAssessmentItem.assessment == assessment.id, SelfAssessmentItem.checklist == "code"
    )
    assert document.figure("provisions").value == total.count()
    assert (document.figure("complying").value, document.figure("not_complying").value) == (1, 1)
    assert document.figure("not_assessed").value == total.count() - 2
    assert document.figure("learning_score").value == 1


def test_approved_assessment_shows_the_figure_kept_and_the_day_not_who() -> None:
    assessment, drafter = filled_in()
    approver = make_user("manager")
    approve_assessment(actor_of(approver), assessment.id)
    kept = {"code": "stage1_acknowledged_in_time", "kind": evidence.SHARE, "met": 3, "due": 4, "link": ""}
    SelfAssessmentItem.update(figure=kept).where(SelfAssessmentItem.id == row_of(assessment.id, "6.2").id).execute()
    document = assessment_document(assessment.id, "en")
    assert table_row(document, "section-6", "6.2")["The system's figure"] == (
        "Stage 1 complaints acknowledged in time: 3 of 4 (75%)"
    )
    assert any(p.startswith("Approved on ") for p in document.sections[0].paragraphs)
    stored = json.dumps(document.as_dict())
    assert drafter.display_name not in stored and approver.display_name not in stored
    assert drafter.email not in stored and approver.email not in stored


def test_published_assessment_gives_the_governing_bodys_day() -> None:
    assessment, _drafter = filled_in()
    manager = actor_of(make_user("manager"))
    approve_assessment(manager, assessment.id)
    publish_assessment(manager, assessment.id, dt.date(2025, 6, 24))
    paragraphs = assessment_document(assessment.id, "en").sections[0].paragraphs
    assert any("The governing body approved it on 24 June 2025." in p for p in paragraphs)


def test_assessment_document_goes_to_json_and_back_unchanged() -> None:
    assessment, _drafter = filled_in()
    document = assessment_document(assessment.id, "cy")
    assert document_from_dict(json.loads(json.dumps(document.as_dict()))) == document
    assert document.locale == "cy" and document.title != "Self-assessment against the Complaint Handling Code"


def test_assessment_figure_words_match_the_consoles(app: Any) -> None:
    from portal.console.reports.labels import FIGURES as PAGE_FIGURES

    with app.test_request_context():
        assert {code: str(text) for code, text in PAGE_FIGURES.items()} == FIGURES
    assert {source.code for source in evidence.EVIDENCE.values()} <= set(FIGURES)


# --- The equality document -----------------------------------------------------------------------------------------


def hidden_welsh() -> Any:
    """Six answered in English and two in Welsh: Welsh is below 5, and English would give it away from the total."""
    for _ in range(6):
        complaint(locale="en", responded=ANSWERED, outcome="upheld")
    for _ in range(2):
        complaint(locale="cy", responded=ANSWERED, outcome="upheld")
    return equality_document(actor_of(make_staff()), parse_period(YEAR), 1, "en")


def test_equality_document_has_a_table_per_dimension_with_the_total_last() -> None:
    document = hidden_welsh()
    tables = document.tables()
    assert [table.code for table in tables] == list(equality.DIMENSIONS)
    language = tables[0]
    assert language.caption == f"Language the contact was made in: stage 1 complaints, {YEAR}"
    assert language.columns[:6] == ("Group", "Received", "Responded to", "In time", "Late", "Share in time")
    assert "No outcome recorded" not in language.columns  # nothing to show in it
    # None of the eight was late: that 0, and the 8 in time it could be worked out from, are hidden with the share.
    assert language.rows[-1][:5] == ("All complaints", 8, 8, "[hidden]", "[hidden]")
    assert language.rows[-1][5] == "[hidden]"


def test_equality_document_never_holds_a_hidden_number() -> None:
    document = hidden_welsh()
    welsh = table_row(document, "language", "Cymraeg")
    english = table_row(document, "language", "English")
    assert set(list(welsh.values())[1:]) == {"[hidden]"} and set(list(english.values())[1:]) == {"[hidden]"}
    for table in document.tables():
        for row in table.rows[:-1]:
            assert all(not isinstance(cell, int) or cell >= 5 for cell in row[1:])


def test_equality_files_never_hold_a_hidden_number() -> None:
    document = hidden_welsh()
    rows = list(csv.reader(io.StringIO(document_csv(document).lstrip("\ufeff"))))
    welsh = [row for row in rows if row and row[0] == "Cymraeg"]
    assert len(welsh) == 1 and set(welsh[0][1:]) == {"[hidden]"}
    book = load_workbook(io.BytesIO(document_xlsx(document)))
    cells = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    (welsh_cells,) = [row for row in cells if row and row[0] == "Cymraeg"]
    assert {cell for cell in welsh_cells[1:] if cell is not None} == {"[hidden]"}
    numbers = [cell for row in cells if row and row[0] != "All complaints" for cell in row[1:] if isinstance(cell, int)]
    assert numbers and min(numbers) >= 5
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(document_pdf(document))).pages)
    lines = [line for line in text.splitlines() if line.startswith("Cymraeg")]
    assert lines and not any(character.isdigit() for line in lines for character in line)


def test_equality_document_of_stage_two_and_no_other() -> None:
    staff = actor_of(make_staff())
    document = equality_document(staff, parse_period(YEAR), 2, "en")
    assert document.title == "Equality and diversity: stage 2 complaints"
    with pytest.raises(ValueError):
        equality_document(staff, parse_period(YEAR), 3, "en")


def test_equality_group_words_match_the_consoles(app: Any) -> None:
    from portal.console.reports.equality import DIMENSION_NAMES, MEASURE_NAMES, group_label

    with app.test_request_context():
        for dimension in equality.DIMENSIONS:
            for group in equality.categories(dimension):
                assert group_words(dimension, group, str) == group_label(dimension, group), (dimension, group)
        assert {key: str(text) for key, text in DIMENSION_NAMES.items()} == DIMENSIONS
        assert [str(text) for text in MEASURE_NAMES.values()] == list(MEASURES.values())


# --- In the console ------------------------------------------------------------------------------------------------


FILES = (("pdf", "application/pdf"), ("csv", "text/csv"), ("xlsx", XLSX))


def test_assessment_page_links_its_print_view_and_files(browser: Any, signed_in: Any) -> None:
    assessment = make_self_assessment()
    signed_in("staff")
    page = browser.client.get(f"/console/reports/self-assessment/{assessment.id}").get_data(as_text=True)
    assert 'id="files-heading">Print and download' in page
    for suffix in ("/print", ".pdf", ".csv", ".xlsx"):
        assert f'href="/console/reports/self-assessment/{assessment.id}{suffix}"' in page


def test_assessment_print_view_has_no_navigation(browser: Any, signed_in: Any) -> None:
    assessment, drafter = filled_in()
    signed_in("staff")
    response = browser.client.get(f"/console/reports/self-assessment/{assessment.id}/print")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Self-assessment against the Complaint Handling Code" in page
    assert "site-nav" not in page and "subnav" not in page and drafter.display_name not in page
    assert "Intervals go live in May." in page


@pytest.mark.parametrize(("fmt", "mimetype"), FILES)
def test_assessment_files_for_staff(browser: Any, signed_in: Any, fmt: str, mimetype: str) -> None:
    assessment, _drafter = filled_in()
    signed_in("staff")
    response = browser.client.get(f"/console/reports/self-assessment/{assessment.id}.{fmt}")
    assert response.status_code == 200 and response.mimetype == mimetype
    assert f"self-assessment-2024-25.{fmt}" in response.headers["Content-Disposition"]


def test_assessment_csv_holds_the_rows(browser: Any, signed_in: Any) -> None:
    assessment, _drafter = filled_in()
    signed_in("staff")
    text = browser.client.get(f"/console/reports/self-assessment/{assessment.id}.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    (found,) = [row for row in rows if row and row[0] == "5.9"]
    assert "Intervals go live in May." in found and "Publish complaint intervals" in found


def test_assessment_print_view_and_files_refused_to_residents_and_missing_ones_not_found(
    browser: Any, signed_in: Any
) -> None:
    assessment = make_self_assessment()
    signed_in("resident")
    for suffix in ("/print", ".pdf", ".csv", ".xlsx"):
        assert browser.client.get(f"/console/reports/self-assessment/{assessment.id}{suffix}").status_code == 403
    browser.sign_out()
    signed_in("staff")
    assert browser.client.get("/console/reports/self-assessment/999999/print").status_code == 404
    assert browser.client.get("/console/reports/self-assessment/999999.pdf").status_code == 404


def test_equality_page_links_its_print_view_and_files(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    page = browser.client.get("/console/reports/equality?period=2025/26&stage=2").get_data(as_text=True)
    assert 'id="files-heading">Print and download' in page
    assert 'href="/console/reports/equality/print?period=2025/26&amp;stage=2"' in page
    assert 'href="/console/reports/equality.xlsx?period=2025/26&amp;stage=2"' in page


def test_equality_print_view_has_no_navigation_and_hides_small_numbers(browser: Any, signed_in: Any) -> None:
    for _ in range(2):
        complaint(locale="cy", responded=ANSWERED)
    signed_in("staff")
    response = browser.client.get(f"/console/reports/equality/print?period={YEAR}&stage=1")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.count("<caption") == 13
    assert "site-nav" not in page and "subnav" not in page and "[hidden]" in page


@pytest.mark.parametrize(("fmt", "mimetype"), FILES)
def test_equality_files_for_staff(browser: Any, signed_in: Any, fmt: str, mimetype: str) -> None:
    signed_in("staff")
    response = browser.client.get(f"/console/reports/equality.{fmt}?period={YEAR}&stage=2")
    assert response.status_code == 200 and response.mimetype == mimetype
    assert f"equality-stage-2-2025-26.{fmt}" in response.headers["Content-Disposition"]


def test_equality_print_view_and_files_refused_to_residents_and_a_bad_period_not_found(
    browser: Any, signed_in: Any
) -> None:
    signed_in("resident")
    for path in ("/print", ".pdf", ".csv", ".xlsx"):
        assert browser.client.get(f"/console/reports/equality{path}?period={YEAR}").status_code == 403
    browser.sign_out()
    signed_in("staff")
    for path in ("/print", ".pdf", ".csv", ".xlsx"):
        assert browser.client.get(f"/console/reports/equality{path}?period=someday").status_code == 404


def test_api_equality_document_refuses_a_stage_that_is_not_one(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    body = browser.graphql('{ equalityDocument(period: "2025/26", stage: 3) }').get_json()
    assert body["errors"][0]["extensions"]["field"] == "stage"
    browser.sign_out()
    signed_in("resident")
    body = browser.graphql('{ equalityDocument(period: "2025/26") }').get_json()
    assert "errors" in body and "equalityDocument" in body["errors"][0]["message"]
