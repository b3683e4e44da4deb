"""Console: moderation. (Being built.)"""

from __future__ import annotations

from typing import Any

from flask import render_template

from portal.access import roles_required
from portal.console.blueprint import STAFF, bp


@bp.route("/co-creation/moderation")
@roles_required(*STAFF)
def cocreation_moderation() -> Any:
    """Moderation."""
    return render_template("cocreation/placeholder.html", heading="Moderation")
