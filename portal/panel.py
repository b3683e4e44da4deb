"""The scrutiny panel's workspace."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from portal import operations
from portal.access import roles_required
from schema.access import PANEL_ROLES

bp = Blueprint("panel", __name__)


@bp.route("/")
@roles_required(*PANEL_ROLES)
def index() -> Any:
    viewer = operations.run("Viewer")["viewer"]
    return render_template("panel/index.html", viewer=viewer)
