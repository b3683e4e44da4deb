"""Who sees which panel records: staff see them all; a member sees only their own panels' reviews and packs.

A member counts from the day they joined until the day they left, and sees evidence only once they have signed
the confidentiality agreement. Asking for anything else is answered as if it were not there (``NotFound``), so a
member learns nothing of what exists outside their own pack.
"""

from __future__ import annotations

from typing import Any

from backend.context import STAFF_ROLES, Actor
from backend.errors import NotAllowed, NotFound
from backend.panels.models import ItemStatus, PackItem, PanelMembership, ScrutinyReview
from backend.timeutil import local_date

#: Who answers for the landlord: responding to, approving and publishing what the panel says.
MANAGERS = ("manager", "admin")


def require_staff(actor: Actor, action: str) -> None:
    """Raise NotAllowed(``action``) unless a member of staff who may write is acting."""
    if not actor.can_write or not actor.has_role(*STAFF_ROLES) or actor.user_id is None:
        raise NotAllowed(action)


def current_memberships(user_id: int | None) -> Any:
    """A query for the person's memberships that are current today (started, not ended)."""
    today = local_date()
    uid = user_id if user_id is not None else 0  # nobody has id 0: a visitor is a member of nothing
    return PanelMembership.select().where(
        PanelMembership.person == uid,
        PanelMembership.started_on <= today,
        PanelMembership.ended_on.is_null() | (PanelMembership.ended_on >= today),
    )


def member_panel_ids(user_id: int | None) -> Any:
    """A query for the ids of the panels the person is a current member of."""
    return current_memberships(user_id).select(PanelMembership.panel)


def member_review_ids(user_id: int | None) -> Any:
    """A query for the ids of the reviews of the person's current panels."""
    return ScrutinyReview.select(ScrutinyReview.id).where(ScrutinyReview.panel.in_(member_panel_ids(user_id)))


def member_item_ids(user_id: int | None) -> Any:
    """A query for the pack items the person may open: confirmed items of their panels' reviews, once they have
    signed the confidentiality agreement of the panel the review belongs to."""
    signed = current_memberships(user_id).where(PanelMembership.confidentiality_signed_on.is_null(False))
    reviews = ScrutinyReview.select(ScrutinyReview.id).where(
        ScrutinyReview.panel.in_(signed.select(PanelMembership.panel))
    )
    return PackItem.select(PackItem.id).where(PackItem.review.in_(reviews), PackItem.status == ItemStatus.CONFIRMED)


def visible_review(actor: Actor, review_id: int) -> ScrutinyReview:
    """The review, for staff or a current member of its panel.

    Raises NotFound when there is no such review or the actor may not see it (the same answer for both).
    """
    query = ScrutinyReview.select().where(ScrutinyReview.id == review_id)
    if not actor.is_staff:
        query = query.where(ScrutinyReview.id.in_(member_review_ids(actor.user_id)))
    review = query.first()
    if review is None:
        raise NotFound("ScrutinyReview", review_id)
    return review


def visible_item(actor: Actor, item_id: int) -> PackItem:
    """The pack item, for staff, or for a member who may open it (see :func:`member_item_ids`).

    Raises NotFound when there is no such item or the actor may not open it (the same answer for both).
    """
    query = PackItem.select().where(PackItem.id == item_id)
    if not actor.is_staff:
        query = query.where(PackItem.id.in_(member_item_ids(actor.user_id)))
    item = query.first()
    if item is None:
        raise NotFound("PackItem", item_id)
    return item


def chair_of(actor: Actor, panel_id: int) -> PanelMembership | None:
    """The actor's current membership of the panel, when they hold a role on it; None otherwise."""
    return current_memberships(actor.user_id).where(PanelMembership.panel == panel_id).first()
