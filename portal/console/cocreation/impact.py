"""Console: changes and their impact: what the residents asked whether each implemented change made a difference
answered, how many were asked, how many asks the per-person survey cap skipped, and which changes residents confirmed
or said did not fix the problem."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import render_template
from flask_babel import format_date, get_locale

from backend.surveys.services import localised
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp


def _day(raw: Any) -> str:
    if not raw:
        return ""
    return format_date(dt.datetime.fromisoformat(str(raw).replace("Z", "+00:00")), "medium")


@bp.route("/co-creation/impact")
@roles_required(*STAFF)
def cocreation_impact() -> Any:
    """Every implemented change with its impact answers, most recently implemented first."""
    locale = str(get_locale() or "en")
    rows = operations.run("ConsoleChangeImpacts")["changeImpacts"]
    for row in rows:
        row["titleText"] = localised(row["title"], locale)
        row["titleLang"] = None if (row["title"] or {}).get(locale) else "en"
        row["implementedOn"] = _day(row["implementedAt"])
        row["notFixedOn"] = _day(row["notFixedAt"])
    return render_template("console/cocreation/impact/index.html", rows=rows)
