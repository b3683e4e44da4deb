"""Console: public themes. (Being built.)"""

from __future__ import annotations

from typing import Any

from flask import render_template

from portal.access import roles_required
from portal.console.blueprint import STAFF, bp


@bp.route("/co-creation/themes")
@roles_required(*STAFF)
def cocreation_themes() -> Any:
    """Public themes."""
    return render_template("cocreation/placeholder.html", heading="Public themes")


@bp.route("/co-creation/suggestions")
@roles_required(*STAFF)
def cocreation_suggestions() -> Any:
    """Residents' suggestions."""
    return render_template("cocreation/placeholder.html", heading="Residents' suggestions")
