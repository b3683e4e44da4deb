"""The workspace's "My involvement" page: the member's own ledger and totals, their choice about rewards, and the
note that vouchers can affect benefits."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import operations
from portal.access import roles_required
from portal.accounts.forms import EmptyForm
from portal.panel.blueprint import bp

KIND_NAMES = {
    "meeting": _l("Meeting attended"),
    "review": _l("Review completed"),
    "hours": _l("Other time"),
    "document": _l("Letter or leaflet reviewed"),
    "expense": _l("Expense repaid"),
    "reward": _l("Reward"),
}


@bp.route("/involvement")
@roles_required("panel_member")
def involvement() -> Any:
    """The member's own involvement over the last twelve months, and every entry of their ledger."""
    data = operations.run("PanelInvolvement", {"after": request.args.get("after")})
    entries = data["involvementEntries"]
    after = entries["pageInfo"]["endCursor"] if entries["pageInfo"]["hasNextPage"] else None
    return render_template(
        "panel/involvement.html",
        totals=data["myInvolvementTotals"],
        entries=entries["nodes"],
        after=after,
        kind_names=KIND_NAMES,
        form=EmptyForm(),
    )


@bp.route("/involvement/<int:membership_id>/rewards", methods=["POST"])
@roles_required("panel_member")
def involvement_rewards(membership_id: int) -> Any:
    """Opt out of rewards, or back in."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    opt_out = request.form.get("opt_out") == "yes"
    variables = {"input": {"membershipId": str(membership_id), "optOut": opt_out}}
    result = operations.run_mutation("PanelRewardsOptOutSet", variables)
    if result.problem is not None:
        abort(404)
    if opt_out:
        flash(_("You have opted out of rewards. You can opt back in at any time."), "success")
    else:
        flash(_("You will be offered rewards for taking part again."), "success")
    return redirect(url_for("panel.involvement"))
