"""/console/reports: every report staff can produce, and the reports on their way to publication.

A report adds itself with one ``ReportLink`` in :data:`REPORT_LINKS` (its endpoint, name and a line on what it is).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template, url_for
from flask_babel import lazy_gettext as _l

from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp


@dataclass(frozen=True)
class ReportLink:
    """A report in the index: the console endpoint of its page, its name and what it is for."""

    endpoint: str
    name: Any
    description: Any


REPORT_LINKS: list[ReportLink] = [
    ReportLink(
        "console.annual_report",
        _l("Annual complaints performance and service improvement report"),
        _l(
            "The Code's annual report for a year: self-assessment, analysis, the Ombudsman's findings and reports, "
            "and what changed; approved, published and answered by the governing body."
        ),
    ),
    ReportLink(
        "console.tsm_report",
        _l("Tenant Satisfaction Measures for the year"),
        _l("CH01, CH02 and TP01 to TP12 by tenure with the survey's method, to approve and publish to tenants."),
    ),
    ReportLink(
        "console.report_tsm",
        _l("Tenant Satisfaction Measures: complaints (CH01 and CH02)"),
        _l("Complaints per 1,000 homes and responses within the Code's timescales, with the complaints behind each."),
    ),
    ReportLink(
        "console.tsm_perception",
        _l("Tenant Satisfaction Measures: tenant perception (TP01 to TP12)"),
        _l("The perception survey's weighted measures by tenure, with the method statement."),
    ),
    ReportLink(
        "console.reports_spso",
        _l("SPSO complaints performance indicators"),
        _l("For homes in Scotland, by quarter or year: complaints received, closures, outcomes, times and extensions."),
    ),
    ReportLink(
        "console.self_assessments",
        _l("Self-assessment against the Complaint Handling Code"),
        _l("Every provision of the Code and the learning checklist, with the evidence the system's data gives."),
    ),
    ReportLink(
        "console.equality_report",
        _l("Equality and diversity"),
        _l("Complaints, outcomes and timeliness by language, advocate, channel, vulnerability and characteristic."),
    ),
    ReportLink(
        "console.signals",
        _l("Signals beside complaints"),
        _l("Disrepair claims, damp and mould cases and insurance claims by month and service area, imported."),
    ),
    ReportLink(
        "console.saved_reports",
        _l("Saved reports"),
        _l("Your own queries of the API saved as reports: run as you, shown as a table or chart, and sent by email."),
    ),
    ReportLink(
        "console.report_stock",
        _l("Homes at each year's end"),
        _l("The relevant homes the measures per 1,000 homes divide by, entered or imported with their source."),
    ),
    ReportLink(
        "console.board_report",
        _l("Complaints report to the board"),
        _l(
            "For any period: complaints received, resolved at the frontline, under investigation, closed with "
            "their learning, the Ombudsman's cases and orders, and overdue improvement actions."
        ),
    ),
]
#: The most publications the index lists.
MAX_LISTED = 100


@bp.route("/reports")
@roles_required(*STAFF)
def reports() -> Any:
    """Every report, and the reports drafted, approved or published, newest first."""
    links = [
        {"href": url_for(link.endpoint), "name": link.name, "description": link.description} for link in REPORT_LINKS
    ]
    publications = operations.run("ConsoleReportPublications", {"first": MAX_LISTED})["reportPublications"]["nodes"]
    return render_template("console/reports/index.html", links=links, publications=publications)
