"""The reports in the console and on the public pages: the board report's page, print view and files, and a report
drafted, approved (by someone else), published, frozen and read by anyone."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from openpyxl import load_workbook
from pypdf import PdfReader

from backend.complaints.models import Complaint, ComplaintStage
from backend.reports.models import ReportPublication
from tests import factories

PERIOD = "2025/26-Q1"


def get(browser: Any, url: str) -> Any:
    response = browser.client.get(url)
    response.text = response.get_data(as_text=True)
    return response


def received(moment: dt.datetime, **values: Any) -> Any:
    made = factories.make_complaint(received_at=moment)
    ComplaintStage.update(opened_at=moment).where(ComplaintStage.complaint == made.id).execute()
    if values:
        Complaint.update(**values).where(Complaint.id == made.id).execute()
    return made


def test_reports_index_lists_the_board_report(signed_in: Any, browser: Any) -> None:
    signed_in("staff")
    page = get(browser, "/console/reports")
    assert page.status_code == 200
    assert "/console/reports/board" in page.text


def test_board_report_page_shows_the_figures_for_the_period(signed_in: Any, browser: Any) -> None:
    received(dt.datetime(2025, 4, 2, 9))
    signed_in("staff")
    page = get(browser, f"/console/reports/board?period={PERIOD}")
    assert page.status_code == 200
    assert 'id="figure-received"' in page.text and "1 April 2025 to 30 June 2025" in page.text


def test_board_report_with_a_bad_period_says_how_to_write_one(signed_in: Any, browser: Any) -> None:
    signed_in("staff")
    page = get(browser, "/console/reports/board?period=last+year")
    assert page.status_code == 400
    assert "There is a problem" in page.text and "2025/26-Q1" in page.text


def test_board_report_is_for_staff_only(signed_in: Any, browser: Any) -> None:
    signed_in("resident")
    assert get(browser, f"/console/reports/board?period={PERIOD}").status_code in (403, 404)


def test_board_report_print_view_has_no_navigation(signed_in: Any, browser: Any) -> None:
    signed_in("staff")
    page = get(browser, f"/console/reports/board/print?period={PERIOD}")
    assert page.status_code == 200
    assert (
        "site-nav" not in page.text and "subnav" not in page.text and '<details class="chart-data" open>' in page.text
    )


def test_board_report_pdf_renders(signed_in: Any, browser: Any) -> None:
    received(dt.datetime(2025, 4, 2, 9))
    signed_in("staff")
    response = browser.client.get(f"/console/reports/board.pdf?period={PERIOD}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Complaints report to the board" in text and "Resolved at the frontline" in text


def test_board_report_csv_and_xlsx_hold_the_figures(signed_in: Any, browser: Any) -> None:
    received(dt.datetime(2025, 4, 2, 9))
    signed_in("staff")
    response = browser.client.get(f"/console/reports/board.csv?period={PERIOD}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="board-report-2025-26-Q1.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert ["received", "Complaints received", "1", "1", "count"] in rows
    workbook = load_workbook(io.BytesIO(browser.client.get(f"/console/reports/board.xlsx?period={PERIOD}").data))
    figures = workbook["Figures"]
    assert [cell.value for cell in figures[3]] == ["received", "Complaints received", 1, "1", "count"]


def _draft(browser: Any) -> int:
    response = browser.submit("/console/reports/board/draft", {"draft-period": PERIOD}, page="/console/reports")
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_a_manager_cannot_approve_their_own_draft(signed_in: Any, browser: Any) -> None:
    signed_in("manager")
    publication_id = _draft(browser)
    browser.submit(
        f"/console/reports/publications/{publication_id}/approve",
        {},
        page=f"/console/reports/publications/{publication_id}",
    )
    assert ReportPublication.get_by_id(publication_id).status == "draft"
    assert "another manager must do it" in get(browser, f"/console/reports/publications/{publication_id}").text


def test_staff_cannot_approve(signed_in: Any, browser: Any) -> None:
    drafter = factories.make_user("staff")
    publication = _publication_by(drafter)
    signed_in("staff")
    page = get(browser, f"/console/reports/publications/{publication.id}")
    assert "Approve this report" not in page.text
    response = browser.submit(f"/console/reports/publications/{publication.id}/approve", {}, page="/console/reports")
    assert response.status_code in (403, 404)
    assert ReportPublication.get_by_id(publication.id).status == "draft"


def _publication_by(user: Any) -> Any:
    from backend.reports import publication

    return publication.draft_report(factories.actor_of(user), "board", PERIOD)


def test_publish_flow_freezes_the_report_and_shows_it_to_anyone(signed_in: Any, browser: Any, client: Any) -> None:
    resident = factories.make_user("resident", home=factories.make_home())
    received(dt.datetime(2025, 4, 2, 9), resident=resident.id)
    drafter = factories.make_user("staff")
    publication = _publication_by(drafter)
    signed_in("manager")
    browser.submit(
        f"/console/reports/publications/{publication.id}/approve",
        {},
        page=f"/console/reports/publications/{publication.id}",
    )
    browser.submit(
        f"/console/reports/publications/{publication.id}/response",
        {"text": "The board thanks the team and asks for a deep dive on repairs.", "responded_on": "2025-07-20"},
    )
    browser.submit(
        f"/console/reports/publications/{publication.id}/publish",
        {},
        page=f"/console/reports/publications/{publication.id}",
    )
    assert ReportPublication.get_by_id(publication.id).status == "published"
    received(dt.datetime(2025, 4, 3, 9))  # a later change to the records does not reach the published report
    browser.sign_out()
    public = client.get(f"/reports/{publication.id}")
    assert public.status_code == 200
    text = public.get_data(as_text=True)
    assert "deep dive on repairs" in text
    assert 'id="figure-received"><th scope="row">Complaints received</th><td>1</td>' in text
    assert resident.email not in text and resident.display_name not in text
    assert drafter.display_name not in text and drafter.email not in text
    assert "/reports/" + str(publication.id) in client.get("/reports").get_data(as_text=True)
    assert client.get(f"/reports/{publication.id}.pdf").status_code == 200
