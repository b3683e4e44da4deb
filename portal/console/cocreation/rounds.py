"""Console: priority rounds. (Being built.)"""

from __future__ import annotations

from typing import Any

from flask import render_template

from portal.access import roles_required
from portal.console.blueprint import STAFF, bp


@bp.route("/co-creation/rounds")
@roles_required(*STAFF)
def cocreation_rounds() -> Any:
    """Priority rounds."""
    return render_template("cocreation/placeholder.html", heading="Priority rounds")
