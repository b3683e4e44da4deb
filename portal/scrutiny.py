"""Published scrutiny reports, for anyone, signed in or not: /scrutiny lists them, /scrutiny/<reference> shows one
with its summary, the recommendations, the landlord's responses and the progress of the actions.

They are read through the API as the viewer, so only published reports are there, and only what is published of
them: no owner, no staff name.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template

from portal import operations
from portal.scrutiny_labels import labels

bp = Blueprint("scrutiny", __name__)


@bp.route("/scrutiny")
def published_scrutiny_reports() -> Any:
    """Every published scrutiny report, newest first."""
    found = operations.run("ResidentScrutinyReports")["scrutinyReports"]
    return render_template("scrutiny/list.html", reports=found)


@bp.route("/scrutiny/<reference>")
def published_scrutiny_report(reference: str) -> Any:
    """One published report: the summary, and each recommendation with the response and progress."""
    found = operations.run("ResidentScrutinyReport", {"reference": reference[:20]})["scrutinyReport"]
    if found is None:
        abort(404)
    return render_template("scrutiny/report.html", report=found, labels=labels())
