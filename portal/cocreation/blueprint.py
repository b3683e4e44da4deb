"""The public co-creation pages' blueprint, which every page module of the area adds its pages to."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("cocreation", __name__)
