"""The workspace's front page: the member's panels, with their reviews current and past."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import lazy_gettext as _l

from backend.panels.reviews import PAST
from backend.timeutil import local_date
from portal import operations
from portal.access import roles_required
from portal.panel.blueprint import bp
from schema.access import PANEL_ROLES

LABELS = {
    "statuses": {
        "planned": _l("Planned"),
        "gathering": _l("Gathering evidence"),
        "reporting": _l("Drafting findings and recommendations"),
        "awaiting_response": _l("Waiting for the landlord's response"),
        "responded": _l("The landlord has responded"),
        "published": _l("Published"),
        "closed": _l("Closed"),
    },
    "roles": {"member": _l("Member"), "chair": _l("Chair"), "vice_chair": _l("Vice-chair")},
    "modes": {"in_person": _l("In person"), "online": _l("Online"), "hybrid": _l("In person and online")},
}


@bp.route("/")
@roles_required(*PANEL_ROLES)
def index() -> Any:
    viewer = operations.run("Viewer")["viewer"]
    today = local_date().isoformat()
    panels = []
    for panel in operations.run("PanelWorkspaceHome")["panels"]["nodes"]:
        members = [m for m in panel["memberships"] if not m["endedOn"] or m["endedOn"] >= today]
        current = [r for r in panel["reviews"] if r["status"] not in PAST]
        past = [r for r in panel["reviews"] if r["status"] in PAST]
        panels.append({**panel, "members": members, "current": current, "past": past})
    return render_template("panel/index.html", viewer=viewer, panels=panels, labels=LABELS)
