"""The console's blueprint, and what its pages share: the staff roles and the nations a list can be narrowed to."""

from __future__ import annotations

from flask import Blueprint

from backend.context import STAFF_ROLES as STAFF

__all__ = ["NATION_FILTERS", "STAFF", "bp"]

bp = Blueprint("console", __name__, template_folder="../templates")
# The nations a console list can be narrowed to (people, complaint queues).
NATION_FILTERS = ("england", "wales", "scotland", "northern_ireland")
