"""Published themes and residents' suggestions. (Being built.)"""

from __future__ import annotations

from typing import Any

from flask import render_template

from portal.cocreation.blueprint import bp


@bp.route("/themes")
def themes() -> Any:
    """Themes."""
    return render_template("cocreation/placeholder.html", heading="Themes")
