"""The hub, digests, stories, the landlord's pages and feeds. (Being built.)"""

from __future__ import annotations

from typing import Any

from flask import render_template

from portal.cocreation.blueprint import bp


@bp.route("/you-said-we-did")
def hub() -> Any:
    """You said, we did."""
    return render_template("cocreation/placeholder.html", heading="You said, we did")


@bp.route("/digests")
def digests() -> Any:
    """Quarterly digests."""
    return render_template("cocreation/placeholder.html", heading="Quarterly digests")


@bp.route("/stories")
def stories() -> Any:
    """Success stories."""
    return render_template("cocreation/placeholder.html", heading="Success stories")
