"""The row filters panel records share: a member reaches only their own panels' reviews and confirmed pack items."""

from __future__ import annotations

from backend.panels.access import member_item_ids, member_panel_ids, member_review_ids
from schema.engine.access import DERIVED_VARIABLES

DERIVED_VARIABLES["panelIds"] = member_panel_ids
DERIVED_VARIABLES["panelReviewIds"] = member_review_ids
DERIVED_VARIABLES["panelItemIds"] = member_item_ids

#: A row of one of the member's current panels, in a filter on panels.
OWN_PANEL = {"id": {"in": "$viewer.panelIds"}}
#: A review of one of the member's current panels, in a filter on reviews.
OWN_REVIEW = {"id": {"in": "$viewer.panelReviewIds"}}
#: A pack item the member may open, in a filter on pack items.
OWN_ITEM = {"id": {"in": "$viewer.panelItemIds"}}
