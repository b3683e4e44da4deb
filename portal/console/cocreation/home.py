"""Console: the co-creation area's front page, linking to each of its parts with what each is for."""

from __future__ import annotations

from typing import Any

from flask import render_template, url_for
from flask_babel import lazy_gettext as _l

from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.security import current_actor

PARTS = (
    ("console.cocreation_rounds", _l("Priority rounds"), _l("Set up rounds of voting on themes, and count them.")),
    ("console.cocreation_themes", _l("Public themes"), _l("Publish themes for residents, with example quotes.")),
    ("console.cocreation_suggestions", _l("Suggestions"), _l("Residents' suggestions of new themes, to moderate.")),
    ("console.cocreation_changes", _l("Changes"), _l('"You said, we did" changes: record, publish and move them.')),
    (
        "console.cocreation_impact",
        _l("Impact"),
        _l("Whether residents say each implemented change made a difference."),
    ),
    ("console.cocreation_moderation", _l("Moderation"), _l("Comments held or reported, and staff replies.")),
    ("console.cocreation_digests", _l("Quarterly digests"), _l("Assemble, approve and publish each quarter's digest.")),
)
ADMIN_PARTS = (
    ("console.cocreation_pages", _l("The landlord's pages"), _l("Contact, complaints policy, accessibility, privacy.")),
)


@bp.route("/co-creation")
@roles_required(*STAFF)
def cocreation() -> Any:
    """The co-creation area: each part with a line on what it is for."""
    parts = list(PARTS) + (list(ADMIN_PARTS) if current_actor().has_role("admin") else [])
    return render_template(
        "console/cocreation/home.html",
        parts=[(url_for(endpoint), label, line) for endpoint, label, line in parts],
    )
