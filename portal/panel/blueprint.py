"""The scrutiny panel workspace's blueprint, which every page module of the workspace adds its pages to."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("panel", __name__)
