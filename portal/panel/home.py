"""The workspace's front page."""

from __future__ import annotations

from typing import Any

from flask import render_template

from portal import operations
from portal.access import roles_required
from portal.panel.blueprint import bp
from schema.access import PANEL_ROLES


@bp.route("/")
@roles_required(*PANEL_ROLES)
def index() -> Any:
    viewer = operations.run("Viewer")["viewer"]
    return render_template("panel/index.html", viewer=viewer)
