"""Residents' votes in the API: a resident's own votes (``votes``), setting them in one call (``votesSet``), and
where the viewer stands in a round (``priorityRoundVoting``): their budget, whether they may vote and why not, and
the re-votes a theme merge asked of them.

A resident sees only their own votes. Staff never see who voted for what: ``Vote`` is not in their schema at all;
they read a round's live turnout (``priorityRoundTurnout``) and, once counted, each ballot theme's count.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from backend.accounts.models import User
from backend.cocreation import rounds, votes
from backend.cocreation.models import RevoteRequest, Vote
from backend.errors import Invalid, NotFound
from backend.lessons.models import ThemeText
from schema.access import EVERYONE, SELF, STAFF_ROLES
from schema.context import Context
from schema.engine.access import only_for
from schema.engine.declare import Access, Column, Computed, Resource, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id

mutations = Mutations()
#: Who has votesSet: residents, and staff, whose schema holds every mutation; the service refuses anyone but a
#: resident (a typed NotAllowedError), so only residents' votes are ever recorded.
VOTERS = frozenset({"resident"}) | STAFF_ROLES

VOTE = Resource(
    name="Vote",
    plural="votes",
    model=Vote,
    description="A resident's votes (dots) for one theme in one priority round. Only the voter sees them.",
    members=[
        ToOne("round", "The round."),
        Computed("theme_id", "The theme voted for.", kind="id", sql=lambda alias: alias.theme),
        ToOne("voter", "Who voted.", hidden=True),
        Column("dots", "How many of the budget's votes it holds."),
        Column("created_at", "When it was first cast."),
        Column("updated_at", "When it last changed."),
    ],
    access={"resident": Access(("round", "themeId", "dots", "createdAt", "updatedAt"), where={"voter": SELF})},
    default_order=("id",),
)

RESOURCES = [VOTE]


@strawberry.type(description="A re-vote asked of the viewer: a theme they voted for became part of another.")
class RevoteNotice:
    theme_id: strawberry.ID = strawberry.field(description="The theme they voted for, merged away.")
    merged_into_id: strawberry.ID = strawberry.field(description="The theme it became part of, now on the ballot.")
    theme_names: JSON = strawberry.field(description="The merged theme's names residents saw, by language code.")
    merged_into_names: JSON = strawberry.field(description="The names of the theme it became part of, by language.")
    dots: int = strawberry.field(description="The dots they had given it, back in their budget.")


@strawberry.type(description="One theme's dots in the viewer's votes.")
class MyVote:
    theme_id: strawberry.ID = strawberry.field(description="The theme.")
    dots: int = strawberry.field(description="The dots given to it.")


@strawberry.type(description="Where the viewer stands in a priority round.")
class PriorityRoundVoting:
    budget: int = strawberry.field(description="The round's budget of dots.")
    used: int = strawberry.field(description="Dots used: by the viewer, or by their whole home for a home budget.")
    mine: int = strawberry.field(description="Dots the viewer gave themselves.")
    remaining: int = strawberry.field(description="Dots left to give.")
    shared: bool = strawberry.field(description="True: the residents of a home share the budget.")
    ineligible: str | None = strawberry.field(
        description="Why the viewer may not vote in it: sign_in, not_resident, no_home, tenure, nation or area; "
        "null when they may (while it is open)."
    )
    votes: list[MyVote] = strawberry.field(description="The viewer's votes in it.")
    revotes: list[RevoteNotice] = strawberry.field(description="Re-votes asked of the viewer, not yet answered.")


def _names(theme_id: int) -> dict[str, str]:
    return {row.locale: row.name for row in ThemeText.select().where(ThemeText.theme == theme_id)}


def _notice(request: RevoteRequest) -> RevoteNotice:
    theme_id, into_id = request.theme_id, request.merged_into_id  # type: ignore[attr-defined]
    return RevoteNotice(
        theme_id=strawberry.ID(str(theme_id)),
        merged_into_id=strawberry.ID(str(into_id)),
        theme_names=_names(theme_id),  # type: ignore[arg-type]
        merged_into_names=_names(into_id),  # type: ignore[arg-type]
        dots=request.dots,
    )


@only_for(EVERYONE)
@strawberry.type
class VotingQuery:
    @strawberry.field(
        description="Where you stand in a published round: your budget, your votes, whether you may vote and the "
        "re-votes asked of you. Null for a round that is not there (or is a draft you may not see)."
    )
    def priority_round_voting(
        self,
        info: Info[Context, None],
        round_id: Annotated[strawberry.ID, strawberry.argument(description="The round.")],
    ) -> PriorityRoundVoting | None:
        actor = info.context.actor
        try:
            found = rounds.visible_round(actor, parse_id(round_id, "priority_round"))
        except NotFound:
            return None
        budget = votes.my_budget(actor, found.id)
        user = User.get_or_none(User.id == actor.user_id) if actor.user_id else None
        reason = "sign_in" if user is None else votes.ineligibility(user, found)
        return PriorityRoundVoting(
            budget=budget.budget,
            used=budget.used,
            mine=budget.mine,
            remaining=budget.remaining,
            shared=budget.shared,
            ineligible=reason,
            votes=[
                MyVote(theme_id=strawberry.ID(str(theme)), dots=dots)
                for theme, dots in votes.my_votes(actor, found.id).items()
            ],
            revotes=[_notice(request) for request in votes.pending_revotes(actor, found.id)],
        )


QUERIES = [VotingQuery]


@strawberry.input(description="The dots for one theme.")
class VoteInput:
    theme_id: strawberry.ID = strawberry.field(description="A theme on the round's ballot.")
    dots: int = strawberry.field(description="0 (none) to the round's most per theme.")


@strawberry.input(description="Your votes in a round: they replace what you gave before.")
class VotesSetInput:
    round_id: strawberry.ID = strawberry.field(description="An open round.")
    votes: list[VoteInput] = strawberry.field(
        description="Your dots per theme, each theme once; a theme left out has none. In all within your budget."
    )


@mutations.add(
    "votesSet",
    roles=VOTERS,
    payload="VotesSet",
    resource="PriorityRound",
    extra={"remaining": (int, "The dots you (or your home) have left to give in the round.")},
)
def set_votes(context: Context, data: VotesSetInput) -> Outcome:
    """Set your votes in an open priority round (residents): they replace what you gave before; sending the same
    again changes nothing. The payload holds the round and the dots you have left."""
    allocation: dict[Any, int] = {}
    for item in data.votes:
        theme_id = reference_id(item.theme_id)
        if theme_id in allocation:
            raise Invalid("votes", "duplicate_theme")
        allocation[theme_id] = item.dots
    budget = votes.set_votes(context.actor, parse_id(data.round_id, "priority_round"), allocation)
    return Outcome(parse_id(data.round_id, "priority_round"), {"remaining": budget.remaining})
