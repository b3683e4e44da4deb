"""The workspace's review pages: a review's overview for the members of its panel.

A review of another panel, or one that is not there, is a 404 alike: the page asks the API as the member, which
answers both the same way.
"""

from __future__ import annotations

from typing import Any

from flask import abort, render_template

from portal import operations
from portal.access import roles_required
from portal.panel.blueprint import bp
from portal.panel.home import LABELS
from schema.access import PANEL_ROLES


@bp.route("/reviews/<int:review_id>")
@roles_required(*PANEL_ROLES)
def review(review_id: int) -> Any:
    """A review: topic, scope, questions, timeline, meetings with agenda and minutes, and the staff interviewed."""
    found = operations.run("PanelWorkspaceReview", {"id": str(review_id)})["scrutinyReview"]
    if found is None:
        abort(404)
    return render_template("panel/review.html", review=found, labels=LABELS)
