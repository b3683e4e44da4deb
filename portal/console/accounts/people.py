"""Console page for people: find a person by name or email, narrowed by role and nation."""

from __future__ import annotations

from typing import Any

from flask import render_template, request

from portal import operations
from portal.access import roles_required
from portal.console.blueprint import NATION_FILTERS, STAFF, bp
from portal.security import current_actor

ROLE_FILTERS = ("resident", "advocate", "panel_member", "staff", "manager", "admin")


@bp.route("/people")
@roles_required(*STAFF)
def people() -> Any:
    """Find a person by name or email, narrowed by role and nation; 25 at a time."""
    search = (request.args.get("q") or "").strip()[:200]
    role = request.args.get("role") if request.args.get("role") in ROLE_FILTERS else ""
    nation = request.args.get("nation") if request.args.get("nation") in NATION_FILTERS else ""
    where: dict[str, Any] = {}
    if role:
        where["roles"] = {"some": {"role": {"eq": role}}}
    if nation:
        where["home"] = {"nation": {"eq": nation}}
    variables = {"search": search or None, "where": where or None, "after": request.args.get("after") or None}
    page = operations.run_page("ConsolePeople", variables)["people"]
    info = page["pageInfo"]
    return render_template(
        "console/people.html",
        people=page["nodes"],
        total=page["totalCount"],
        search=search,
        role=role,
        nation=nation,
        roles=ROLE_FILTERS,
        nations=NATION_FILTERS,
        next_after=info["endCursor"] if info["hasNextPage"] else None,
        manages_accounts=current_actor().has_role("admin"),
    )
