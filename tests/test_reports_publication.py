"""Reports on their way to publication: who may draft, approve and publish; frozen from approval on; audited; the
governing body's response; and the files a document becomes (CSV and XLSX safe from formulas, a readable PDF)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from backend.audit.models import AuditEvent
from backend.complaints.models import ComplaintStage
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.reports import board, publication
from backend.reports.documents import Chart, ChartPoint, Figure, ReportDocument, Section, Table
from backend.reports.models import ReportPublication
from backend.reports.output import document_csv, document_pdf, document_xlsx
from backend.reports.periods import parse_period
from tests import factories
from tests.factories import actor_of

PERIOD = "2025/26-Q1"


def received(moment: dt.datetime) -> Any:
    made = factories.make_complaint(received_at=moment)
    ComplaintStage.update(opened_at=moment).where(ComplaintStage.complaint == made.id).execute()
    return made


def drafted(by: Any = None) -> Any:
    return publication.draft_report(actor_of(by or factories.make_user("staff")), "board", PERIOD)


# --- Drafting ------------------------------------------------------------------------------------------------------


def test_draft_keeps_the_document_counted_now() -> None:
    received(dt.datetime(2025, 4, 2, 9))
    row = drafted()
    assert (row.kind, row.period_code, row.status) == ("board", PERIOD, "draft")
    assert publication.document_of(row).figure("received").value == 1


def test_drafting_again_counts_the_same_draft_again() -> None:
    first = drafted()
    received(dt.datetime(2025, 4, 2, 9))
    again = drafted()
    assert again.id == first.id and publication.document_of(again).figure("received").value == 1
    assert ReportPublication.select().count() == 1


def test_drafting_while_approved_is_refused() -> None:
    row = drafted()
    publication.approve_report(actor_of(factories.make_user("manager")), row.id)
    with pytest.raises(Conflict) as raised:
        drafted()
    assert raised.value.code == "report_approved"


@pytest.mark.parametrize(
    ("kind", "period", "field", "code"),
    [
        ("board", "last year", "period", "invalid"),
        ("board", "2099/00", "period", "future"),
        ("nonsense", PERIOD, "kind", "unsupported"),
    ],
)
def test_draft_refuses_bad_input(kind: str, period: str, field: str, code: str) -> None:
    with pytest.raises(Invalid) as raised:
        publication.draft_report(actor_of(factories.make_user("staff")), kind, period)
    assert (raised.value.field, raised.value.code) == (field, code)


def test_residents_cannot_draft() -> None:
    with pytest.raises(NotAllowed):
        publication.draft_report(actor_of(factories.make_user("resident")), "board", PERIOD)


# --- Approval ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_a_manager_or_admin_approves_someone_elses_draft(role: str) -> None:
    approver = factories.make_user(role)
    row = publication.approve_report(actor_of(approver), drafted().id)
    assert (row.status, row.approved_by_id) == ("approved", approver.id)
    assert row.approved_at is not None


@pytest.mark.parametrize("role", ["staff", "resident", "panel_member"])
def test_others_cannot_approve(role: str) -> None:
    row = drafted()
    with pytest.raises((NotAllowed, NotFound)):
        publication.approve_report(actor_of(factories.make_user(role)), row.id)
    assert ReportPublication.get_by_id(row.id).status == "draft"


def test_the_drafter_cannot_approve_their_own_draft() -> None:
    manager = factories.make_user("manager")
    row = drafted(manager)
    with pytest.raises(NotAllowed) as raised:
        publication.approve_report(actor_of(manager), row.id)
    assert raised.value.code == "own_report"


def test_approving_twice_is_a_conflict() -> None:
    row = drafted()
    publication.approve_report(actor_of(factories.make_user("manager")), row.id)
    with pytest.raises(Conflict) as raised:
        publication.approve_report(actor_of(factories.make_user("manager")), row.id)
    assert raised.value.code == "report_not_draft"


def test_publishing_a_draft_is_refused() -> None:
    with pytest.raises(Conflict) as raised:
        publication.publish_report(actor_of(factories.make_user("manager")), drafted().id)
    assert raised.value.code == "report_not_approved"


def test_each_step_is_audited() -> None:
    manager = factories.make_user("manager")
    row = drafted()
    publication.approve_report(actor_of(manager), row.id)
    publication.record_response(actor_of(manager), row.id, "Noted with thanks.", dt.date(2025, 7, 20))
    publication.publish_report(actor_of(manager), row.id)
    actions = [
        event.action
        for event in AuditEvent.select()
        .where(AuditEvent.entity_type == "report_publication", AuditEvent.entity_id == str(row.id))
        .order_by(AuditEvent.id)
    ]
    assert actions == ["report.drafted", "report.approved", "report.response_recorded", "report.published"]


# --- Frozen --------------------------------------------------------------------------------------------------------


def published(response: str = "") -> Any:
    manager = factories.make_user("manager")
    row = drafted()
    publication.approve_report(actor_of(manager), row.id)
    if response:
        publication.record_response(actor_of(manager), row.id, response, dt.date(2025, 7, 20))
    return publication.publish_report(actor_of(manager), row.id)


def test_a_published_report_does_not_change_when_the_data_does() -> None:
    received(dt.datetime(2025, 4, 2, 9))
    row = published()
    before = ReportPublication.get_by_id(row.id).snapshot
    received(dt.datetime(2025, 4, 3, 9))
    received(dt.datetime(2025, 5, 3, 9))
    assert board.board_figures(parse_period(PERIOD)).received == 3  # the live figure moves
    after = ReportPublication.get_by_id(row.id)
    assert after.snapshot == before and publication.document_of(after).figure("received").value == 1


def test_drafting_after_publication_starts_a_new_draft_and_leaves_the_published_one() -> None:
    row = published()
    received(dt.datetime(2025, 4, 3, 9))
    again = drafted()
    assert again.id != row.id and publication.document_of(again).figure("received").value == 1
    assert publication.document_of(ReportPublication.get_by_id(row.id)).figure("received").value == 0


def test_the_response_of_a_published_report_is_recorded_once_and_never_changed() -> None:
    manager = factories.make_user("manager")
    row = published()
    publication.record_response(actor_of(manager), row.id, "The board accepts the report.", dt.date(2025, 7, 20))
    with pytest.raises(Conflict) as raised:
        publication.record_response(actor_of(manager), row.id, "Changed our minds.", dt.date(2025, 7, 21))
    assert raised.value.code == "response_published"
    assert ReportPublication.get_by_id(row.id).governing_body_response == "The board accepts the report."


@pytest.mark.parametrize(
    ("text", "on", "field", "code"),
    [
        ("  ", dt.date(2025, 7, 20), "text", "required"),
        ("x" * 20_001, dt.date(2025, 7, 20), "text", "too_long"),
        ("Fine.", None, "responded_on", "required"),
        ("Fine.", dt.date(2099, 1, 1), "responded_on", "future"),
    ],
)
def test_the_response_is_checked(text: str, on: dt.date | None, field: str, code: str) -> None:
    with pytest.raises(Invalid) as raised:
        publication.record_response(actor_of(factories.make_user("manager")), drafted().id, text, on)
    assert (raised.value.field, raised.value.code) == (field, code)


def test_anyone_may_read_a_published_report_but_not_a_draft() -> None:
    from backend.context import ANONYMOUS

    row = drafted()
    with pytest.raises(NotFound):
        publication.publication(ANONYMOUS, row.id)
    assert publication.publication(ANONYMOUS, published().id).status == "published"


# --- Files ---------------------------------------------------------------------------------------------------------

EVIL = ('=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR")


def evil_document() -> ReportDocument:
    return ReportDocument(
        kind="test",
        title="=cmd|' /C calc'!A0",
        period_code=PERIOD,
        period_label="Q1",
        locale="en",
        produced_at="2025-07-01T09:00:00",
        sections=(
            Section(
                "one",
                "One",
                figures=(Figure("evil", EVIL[0], 1, "-1", "count"),),
                tables=(Table("evil", "@caption", ("=head", "Count"), tuple((text, 1) for text in EVIL)),),
                charts=(Chart("c", "bar", "Chart", "A chart.", "Label", "Value", (ChartPoint("=a", 2, "2"),)),),
            ),
        ),
    )


def test_csv_cells_that_look_like_formulas_are_neutralised() -> None:
    rows = list(csv.reader(io.StringIO(document_csv(evil_document()).lstrip("\ufeff"), newline="")))
    cells = [cell for row in rows for cell in row]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert "'=head" in cells and "'+1+1" in cells and "'\tTAB" in cells and "'=a" in cells


def test_xlsx_text_is_stored_as_text_never_as_a_formula() -> None:
    workbook = load_workbook(io.BytesIO(document_xlsx(evil_document())))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row if cell.value]
    assert cells and all(cell.data_type != "f" for cell in cells)
    table = workbook["@caption"]
    # A carriage return may come back as a line feed (XML's line ends); the text is otherwise as written.
    read = [table.cell(row=n, column=1).value.replace("\r", "\n") for n in range(3, 3 + len(EVIL))]
    assert read == [t.replace("\r", "\n") for t in EVIL]
    assert table.cell(row=3, column=2).value == 1  # numbers stay numbers


def test_pdf_renders_every_section_and_welsh_letters() -> None:
    document = dataclasses.replace(evil_document(), title="Adroddiad cwynion i'r bwrdd: ŵ ŷ")
    reader = PdfReader(io.BytesIO(document_pdf(document)))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "ŵ ŷ" in text and "One" in text and "Chart" in text


def test_board_document_pdf_renders_with_a_line_chart() -> None:
    received(dt.datetime(2025, 4, 2, 9))
    data = document_pdf(board.board_document(parse_period(PERIOD), "cy"))
    assert data.startswith(b"%PDF") and len(PdfReader(io.BytesIO(data)).pages) >= 1
