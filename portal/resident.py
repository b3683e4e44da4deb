"""The resident portal's home."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from portal import operations
from portal.accounts.forms import EmptyForm

bp = Blueprint("resident", __name__)


@bp.route("/")
def index() -> Any:
    viewer = operations.run("Viewer")["viewer"]
    return render_template("resident/index.html", viewer=viewer, form=EmptyForm())
