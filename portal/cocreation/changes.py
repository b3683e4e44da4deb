""" "You said, we did" changes. (Being built.)"""

from __future__ import annotations

from typing import Any

from flask import render_template

from portal.cocreation.blueprint import bp


@bp.route("/changes")
def changes() -> Any:
    """Changes."""
    return render_template("cocreation/placeholder.html", heading="Changes")
