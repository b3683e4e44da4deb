"""Console: the landlord's pages. (Being built.)"""

from __future__ import annotations

from typing import Any

from flask import render_template

from portal.access import roles_required
from portal.console.blueprint import STAFF, bp


@bp.route("/co-creation/pages")
@roles_required(*STAFF)
def cocreation_pages() -> Any:
    """The landlord's pages."""
    return render_template("cocreation/placeholder.html", heading="The landlord's pages")
