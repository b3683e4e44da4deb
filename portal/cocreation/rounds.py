"""Priority rounds and votes. (Being built.)"""

from __future__ import annotations

from typing import Any

from flask import render_template

from portal.cocreation.blueprint import bp


@bp.route("/rounds")
def rounds() -> Any:
    """Priority rounds."""
    return render_template("cocreation/placeholder.html", heading="Priority rounds")
