"""Console page for the audit trail (managers and admins), newest first, a page at a time."""

from __future__ import annotations

import json
from typing import Any

from flask import render_template, request
from flask_babel import lazy_gettext as _l

from portal import exports, operations
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


CSV_HEADER = [_l("When"), _l("Who"), _l("What"), _l("Record"), _l("Record number"), _l("Changes"), _l("Request")]


@bp.route("/audit.csv")
@roles_required("manager", "admin")
def audit_csv() -> Any:
    """The whole audit trail, newest first, as CSV (see ``portal.exports``)."""

    def rows() -> Any:
        for event in exports.pages("ConsoleAuditEvents", {"first": 100}, "auditEvents"):
            changes = event["changes"]
            yield [
                event["occurredAt"],
                event["actorLabel"],
                event["action"],
                event["entityType"],
                event["entityId"],
                changes if isinstance(changes, str) else json.dumps(changes, ensure_ascii=False),
                event["requestId"],
            ]

    return exports.csv_download("audit-trail", [str(h) for h in CSV_HEADER], rows)
