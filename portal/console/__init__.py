"""The staff console: its shell and navigation. Each domain's pages live in a package here (see docs/layout.md).

The overview's tiles and charts are in ``dashboard``.

The blueprint lives in ``blueprint``, which every page module imports, so that no page imports this package.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, url_for
from flask_babel import lazy_gettext as _l

from backend.accounts.policies import can_view_audit
from backend.privacy.access import may_handle
from portal import operations
from portal.access import roles_required
from portal.console import (  # noqa: F401 - each adds its pages to bp
    accounts,
    audit,
    cocreation,
    complaints,
    dashboard,
    lessons,
    notifications,
    panels,
    privacy,
    reports,
    surveys,
)
from portal.console.blueprint import STAFF, bp
from portal.security import current_actor


def nav_items() -> list[tuple[str, str, Any]]:
    actor = current_actor()
    items = [("console.index", url_for("console.index"), _l("Overview"))]
    items.append(("console.complaints", url_for("console.complaints"), _l("Complaints")))
    items.append(("console.hazards", url_for("console.hazards"), _l("Hazards")))
    items.append(("console.service_requests", url_for("console.service_requests"), _l("Service requests")))
    items.append(("console.lessons", url_for("console.lessons"), _l("Learning")))
    items.append(("console.panels", url_for("console.panels"), _l("Scrutiny panels")))
    items.append(("console.cocreation", url_for("console.cocreation"), _l("Co-creation")))
    items.append(("console.reports", url_for("console.reports"), _l("Reports")))
    items.append(("console.panel_ledger", url_for("console.panel_ledger"), _l("Panel involvement")))
    if actor.has_role("manager", "admin"):
        items.append(("console.offer_checks", url_for("console.offer_checks"), _l("Offer checks")))
    items.append(("console.people", url_for("console.people"), _l("People")))
    items.append(("console.templates", url_for("console.templates"), _l("Message wording")))
    items.append(("console.deliveries", url_for("console.deliveries"), _l("Delivery log")))
    items.append(("console.letters", url_for("console.letters"), _l("Letters to post")))
    items.append(("console.calls", url_for("console.calls"), _l("Calls to make")))
    items.append(("console.surveys", url_for("console.surveys"), _l("Surveys")))
    items.append(("console.representations", url_for("console.representations"), _l("Advocates")))
    if actor.has_role("admin"):
        items.append(("console.complaint_settings", url_for("console.complaint_settings"), _l("Complaint settings")))
        items.append(("console.named_roles", url_for("console.named_roles"), _l("Named roles")))
        items.append(("console.tokens", url_for("console.tokens"), _l("API tokens")))
        items.append(("console.security", url_for("console.security"), _l("Sign-in security")))
        items.append(("console.legal_holds", url_for("console.legal_holds"), _l("Legal holds")))
    if may_handle(actor):
        items.append(("console.privacy", url_for("console.privacy"), _l("Subject access")))
    if can_view_audit(actor):
        items.append(("console.audit", url_for("console.audit"), _l("Audit trail")))
    return items


@bp.context_processor
def inject_nav() -> dict[str, Any]:
    return {"console_nav": nav_items()}


@bp.route("/")
@roles_required(*STAFF)
def index() -> Any:
    """The overview: counts of each queue of work (see ``dashboard.TILES``) and charts of volumes and timeliness."""
    viewer = operations.run("Viewer")["viewer"]
    return render_template(
        "console/index.html", viewer=viewer, groups=dashboard.counted_tiles(), charts=dashboard.chart_data()
    )
