"""/console/reports/annual: the Code's annual complaints performance and service improvement report for a
regulator's year (last year's unless one is chosen), with its print view, files and the button that drafts it for
approval; the governing body's response is recorded on its publication page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from backend.reports import annual_report
from backend.reports.periods import Period, year_of
from backend.timeutil import local_date
from portal.console.reports.document_pages import DocumentPage, document_pages


def last_year() -> Period:
    """The last regulator's year that has ended."""
    return year_of(local_date()).previous()


PAGE = DocumentPage(
    kind=annual_report.KIND,
    path="/reports/annual",
    endpoint="console.annual_report",
    file_name="annual-complaints-report",
    title=_l("Annual complaints performance and service improvement report"),
    introduction=_l(
        "The report the Complaint Handling Code asks for each year (8.1): the self-assessment, the analysis of how "
        "complaints were handled, the Ombudsman's findings and reports, and what changed. It goes to the governing "
        "body, whose response is published beside it."
    ),
    operation="ConsoleAnnualComplaintsReport",
    root="annualComplaintsReport",
    default_period=last_year,
    period_kinds=annual_report.PERIOD_KINDS,
)
document_pages(PAGE)
