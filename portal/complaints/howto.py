"""The public "how to complain" page (Code 3.4-3.7), for anyone, signed in or not, in every language.

It is generated from each nation's complaints procedure (the regime data the clocks count by), so what it says
about stages and working days is always what the landlord is held to. Like the public survey pages it reads the
backend directly: it shows nothing but what the landlord publishes.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from flask_babel import gettext

from backend.accounts.models import NATIONS
from backend.complaints.progress import ombudsman_name
from backend.complaints.regimes import published_procedure
from backend.config import current

bp = Blueprint("howto", __name__)


@bp.route("/how-to-complain")
def how_to_complain() -> Any:
    """Which nation the home is in: each has its own procedure and Ombudsman."""
    return render_template("cases/how_to_complain_nations.html", nations=NATIONS)


@bp.route("/how-to-complain/<nation>")
def how_to_complain_in(nation: str) -> Any:
    if nation not in NATIONS:
        abort(404)
    procedure = published_procedure(nation)
    if procedure is None:
        abort(404)
    settings = current()
    return render_template(
        "cases/how_to_complain.html",
        procedure=procedure,
        nations=NATIONS,
        ombudsman=ombudsman_name(procedure["ombudsman_name"], gettext),
        landlord=settings.landlord_name,
        policy_url=settings.complaints_policy_url,
    )
