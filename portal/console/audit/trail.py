"""Console page for the audit trail (managers and admins), newest first, a page at a time."""

from __future__ import annotations

from typing import Any

from flask import render_template, request

from portal import operations
from portal.access import roles_required
from portal.console.blueprint import bp

AUDIT_PAGE_SIZE = 50


@bp.route("/audit")
@roles_required("manager", "admin")
def audit() -> Any:
    after = request.args.get("after") or None
    page = operations.run_page("ConsoleAuditEvents", {"after": after, "first": AUDIT_PAGE_SIZE})["auditEvents"]
    info = page["pageInfo"]
    return render_template(
        "console/audit.html", events=page["nodes"], next_after=info["endCursor"] if info["hasNextPage"] else None
    )
