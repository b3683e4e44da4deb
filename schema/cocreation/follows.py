"""Following changes in the API: a person's own choices to follow or stop (``ChangeFollow``), whether and why the
viewer follows a change (``changeFollowing``), the changes they follow (``changesFollowed``), and the mutations
``changeFollow`` and ``changeUnfollow``.

A resident (or an advocate, a panel member) sees only their own ``ChangeFollow`` rows; staff see every row.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from backend.cocreation import followers
from backend.cocreation.change_messages import in_language
from backend.cocreation.models import Change, ChangeFollow, ChangeStatus, FollowSource
from schema.access import SIGNED_IN, STAFF_ACCESS, STAFF_ROLES, each
from schema.context import Context
from schema.engine.declare import Access, Column, Computed, Resource
from schema.engine.mutations import Mutations, Outcome, parse_id

mutations = Mutations()

OWN_ROW = {"userId": {"eq": "$viewer.id"}}
FIELDS = ("id", "userId", "changeId", "changeReference", "following", "source", "createdAt", "updatedAt")

CHANGE_FOLLOW = Resource(
    name="ChangeFollow",
    plural="changeFollows",
    model=ChangeFollow,
    description="A person's choice about one change: to follow it (they pressed follow) or to stop hearing of it. "
    "People whose contacts are linked to a change, and voters on its themes, follow it without a row.",
    members=[
        Computed("user_id", "The person whose choice it is (always you).", kind="id", sql=lambda alias: alias.user),
        Computed("change_id", "The change.", kind="id", sql=lambda alias: alias.change),
        Computed(
            "change_reference",
            "The change's reference, CH-YYYY-NN.",
            kind="string",
            sql=lambda alias: Change.select(Change.reference).where(Change.id == alias.change),
        ),
        Column("following", "True: they follow it; false: they chose to stop hearing of it."),
        Column("source", "Why they followed it when the row was made: pressed, contact or voter."),
        Column("created_at", "When they first chose."),
        Column("updated_at", "When they last changed their mind."),
    ],
    # Staff see every row (how many follow, and who chose to stop); everyone else their own rows only.
    access={**STAFF_ACCESS, **each(SIGNED_IN - STAFF_ROLES, Access(FIELDS, where=OWN_ROW))},
    default_order=("-updatedAt", "id"),
)

RESOURCES = [CHANGE_FOLLOW]


@strawberry.input(description="The change to follow or to stop following.")
class ChangeFollowInput:
    change_id: strawberry.ID = strawberry.field(description="The change, published.")


@mutations.add("changeFollow", roles=SIGNED_IN, payload="ChangeFollowed", resource="ChangeFollow")
def follow(context: Context, data: ChangeFollowInput) -> Outcome:
    """Follow a published change, to hear of each move it makes. Doing it again changes nothing."""
    return Outcome(followers.follow_change(context.actor, parse_id(data.change_id, "change")).id)


@mutations.add(
    "changeUnfollow", roles=SIGNED_IN, payload="ChangeUnfollowed", resource="ChangeFollow", node="changeFollow"
)
def unfollow(context: Context, data: ChangeFollowInput) -> Outcome:
    """Stop hearing of a published change, whatever the reason you followed it. Doing it again changes nothing."""
    return Outcome(followers.unfollow_change(context.actor, parse_id(data.change_id, "change")).id)


@strawberry.type(description="Whether you follow a published change, and why.")
class ChangeFollowing:
    change_id: strawberry.ID = strawberry.field(description="The change.")
    reference: str = strawberry.field(description="Its reference, CH-YYYY-NN.")
    title: str = strawberry.field(description="What changed, in a line, in your language (else English).")
    title_locale: str = strawberry.field(description="The language the title is in.")
    status: ChangeStatus = strawberry.field(description="Where it is.")  # type: ignore[valid-type]
    percent: int = strawberry.field(description="How far along it is, 0 to 100.")
    following: bool = strawberry.field(description="Whether you follow it. Always false when you are not signed in.")
    reasons: list[FollowSource] = strawberry.field(  # type: ignore[valid-type]
        description="Why you follow it: you pressed follow, a contact of yours is linked, or you voted for one of "
        "its themes. Empty when you do not follow it."
    )


def _following(change: Change, viewer_id: int | None, locale: str) -> ChangeFollowing:
    reasons = followers.follow_reasons(change.id, viewer_id) if viewer_id is not None else []
    title = in_language(change.title, locale)
    title_locale = next((key for key in (locale, "en", *sorted(change.title or {})) if change.title.get(key)), "en")
    return ChangeFollowing(
        change_id=strawberry.ID(str(change.id)),
        reference=change.reference,
        title=title,
        title_locale=title_locale,
        status=ChangeStatus.of(change.status),
        percent=change.percent,
        following=bool(reasons),
        reasons=[FollowSource.of(reason) for reason in reasons],
    )


@strawberry.type
class ChangeFollowingQuery:
    @strawberry.field(
        description="Whether you follow the published change with this reference, and why; null when no published "
        "change has it."
    )
    def change_following(
        self,
        info: Info[Context, None],
        reference: Annotated[str, strawberry.argument(description="The change's reference, CH-YYYY-NN.")],
    ) -> ChangeFollowing | None:
        change = Change.get_or_none(Change.reference == reference[:20], Change.published_at.is_null(False))
        if change is None:
            return None
        return _following(change, info.context.actor.user_id, info.context.locale)

    @strawberry.field(
        description="The published changes you follow, newest published first, up to 200; empty when you are not "
        "signed in."
    )
    def changes_followed(self, info: Info[Context, None]) -> list[ChangeFollowing]:
        viewer = info.context.actor.user_id
        if viewer is None:
            return []
        ids = followers.followed_change_ids(viewer)[:200]
        changes = {change.id: change for change in Change.select().where(Change.id.in_(ids))}
        return [_following(changes[change_id], viewer, info.context.locale) for change_id in ids]


QUERIES = [ChangeFollowingQuery]
