"""Published reports, for anyone, signed in or not: /reports lists them, /reports/<id> shows one with the governing
body's response, and /reports/<id>.pdf prints it.

They are read through the API as the viewer, so only published reports are there (and only the parts the API
publishes: no one who drafted, approved or published them is named). Each is shown from its frozen document.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, render_template
from flask_babel import format_date
from flask_babel import gettext as _

from backend.reports.documents import document_from_dict
from portal import operations
from portal.console.reports import output

bp = Blueprint("reports", __name__)
#: The most reports the list shows.
MAX_LISTED = 100


def _published(publication_id: int) -> dict[str, Any]:
    found = operations.run("ResidentReportPublication", {"id": str(publication_id)})["reportPublication"]
    if found is None or found["status"] != "published":
        abort(404)
    return found


@bp.route("/reports")
def published_reports() -> Any:
    """Every published report, newest first."""
    found = operations.run("ResidentReportPublications", {"first": MAX_LISTED})["reportPublications"]["nodes"]
    return render_template("reports/list.html", reports=found)


@bp.route("/reports/<int:publication_id>")
def published_report(publication_id: int) -> Any:
    """One published report, with the governing body's response published alongside."""
    found = _published(publication_id)
    response = None
    if found["governingBodyResponse"]:
        on = dt.date.fromisoformat(found["governingBodyRespondedOn"])
        response = {
            "text": found["governingBodyResponse"],
            "on": _("Given on %(day)s", day=format_date(on, "d MMMM y")),
        }
    return render_template(
        "reports/published.html",
        publication=found,
        document=document_from_dict(found["snapshot"]),
        response=response,
    )


@bp.route("/reports/<int:publication_id>.pdf")
def published_report_pdf(publication_id: int) -> Any:
    found = _published(publication_id)
    return output.pdf_download(f"{found['kind']}-report", document_from_dict(found["snapshot"]))
