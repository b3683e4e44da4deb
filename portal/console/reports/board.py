"""/console/reports/board: the board report for a chosen period (the last full quarter unless one is chosen), with
its print view, PDF, CSV and XLSX, and the button that drafts it for a manager's approval."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from backend.reports import board
from backend.reports.periods import KINDS, Period, quarter_of
from backend.timeutil import local_date
from portal.console.reports.document_pages import DocumentPage, document_pages


def default_period() -> Period:
    """The last full quarter of the regulator's year."""
    return quarter_of(local_date()).previous()


PAGE = DocumentPage(
    kind=board.KIND,
    path="/reports/board",
    endpoint="console.board_report",
    file_name="board-report",
    title=_l("Complaints report to the board"),
    introduction="",
    operation="ConsoleBoardReport",
    root="boardReport",
    default_period=default_period,
    period_kinds=KINDS,
)
document_pages(PAGE)
