"""/console/reports/spso/document: the SPSO's complaints performance indicators as a report for a quarter or a
regulator's year (the last complete quarter unless one is chosen), with its print view, PDF, CSV and XLSX, and the
button that drafts it for a manager's approval before it is published."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from backend.reports import spso, spso_report
from portal.console.reports.document_pages import DocumentPage, document_pages

PAGE = DocumentPage(
    kind=spso_report.KIND,
    path="/reports/spso/document",
    endpoint="console.spso_report",
    file_name="spso-indicators",
    title=_l("SPSO complaints performance indicators"),
    introduction=_l(
        "The indicators the SPSO's model complaints handling procedure asks landlords to report quarterly to senior "
        "management and yearly to the public, for complaints about homes in Scotland. The report holds counts "
        "only, so that it can be published; the complaints behind each figure are on the SPSO indicators page."
    ),
    operation="ConsoleSpsoReport",
    root="spsoReport",
    default_period=spso.default_period,
    period_kinds=spso_report.PERIOD_KINDS,
)
document_pages(PAGE)
