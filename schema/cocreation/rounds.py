"""Priority rounds in the API: rounds and their ballots, the mutations staff set them up with (managers publish and
cancel), and the live turnout staff see.

Anyone, signed in or not, reads published and cancelled rounds and their ballots, with each theme's name and
description in every language; staff also see drafts. A ballot theme's counted votes and voters
(``countedVotes``, ``countedVoters``) are null until the round has closed and been counted, for everyone: the count
is public only then. Who voted for what is never served to staff (see ``schema.cocreation.votes``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from peewee import Case
from strawberry.scalars import JSON
from strawberry.types import Info

from backend.cocreation import ballots, rounds
from backend.cocreation.models import PriorityRound, RoundStatus, RoundTheme
from backend.errors import NotFound
from backend.lessons.models import Theme, ThemeText
from backend.timeutil import utcnow
from schema.access import EVERYONE, MANAGER_ROLES, STAFF_ACCESS, STAFF_ROLES, each
from schema.context import Context
from schema.engine.access import only_for
from schema.engine.declare import Access, Batched, Column, Computed, Resource, ToMany, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id

mutations = Mutations()

#: Rounds the public may see: published (open, upcoming or closed) and cancelled.
PUBLIC_ROUND = {"status": {"in": ["published", "cancelled"]}}
NOT_STAFF = EVERYONE - STAFF_ROLES


def phase_sql(alias: Any) -> Any:
    """SQL: the round's phase now: draft, upcoming, open, closed or cancelled."""
    now = utcnow()
    return Case(
        None,
        [
            (alias.status == RoundStatus.DRAFT, "draft"),
            (alias.status == RoundStatus.CANCELLED, "cancelled"),
            (alias.opens_at > now, "upcoming"),
            (alias.closes_at > now, "open"),
        ],
        "closed",
    )


ROUND_PUBLIC_FIELDS = (
    "title",
    "description",
    "opensAt",
    "closesAt",
    "budget",
    "maxPerTheme",
    "budgetUnit",
    "tenures",
    "nations",
    "areas",
    "status",
    "phase",
    "publishedAt",
    "countedAt",
    "ballot",
)

PRIORITY_ROUND = Resource(
    name="PriorityRound",
    plural="priorityRounds",
    model=PriorityRound,
    description="A round of voting on published themes: its question, when it is open, each voter's budget of "
    "votes, who may vote and its ballot. Public once published; the count is public once it has closed.",
    members=[
        Column("title", "Its title by language code ({en: ..., cy: ...}); English is the fallback."),
        Column("description", "What it is for, by language code."),
        Column("opens_at", "When voting opens."),
        Column("closes_at", "When voting closes."),
        Column("budget", "How many votes (dots) each voter, or each home, has: 1 to 20."),
        Column("max_per_theme", "How many of them one theme may take: 1 is one vote per theme."),
        Column("budget_unit", "resident: each resident has the whole budget; home: a home's residents share it."),
        Column("tenures", "The tenures whose homes may vote (Tenure codes); empty: any."),
        Column("nations", "The nations whose homes may vote (Nation codes); empty: any."),
        Column("areas", "The postcode districts (e.g. CF10) whose homes may vote; empty: any."),
        Column("status", "draft, published or cancelled."),
        Computed("phase", "Where it is now: draft, upcoming, open, closed or cancelled.", kind="string", sql=phase_sql),
        Column("published_at", "When it was published. Null: a draft."),
        Column("counted_at", "When its votes were counted, after it closed. Null: not yet."),
        ToOne("created_by", "Who set it up (staff only)."),
        Column("created_at", "When it was set up."),
        Column("updated_at", "When it last changed."),
        ToMany("ballot", "The themes on its ballot, in ballot order.", target="RoundTheme"),
    ],
    access={**each(NOT_STAFF, Access(ROUND_PUBLIC_FIELDS, where=PUBLIC_ROUND)), **STAFF_ACCESS},
    default_order=("-opensAt", "-id"),
)


def ballot_texts(request: Any, ids: list[int]) -> dict[int, dict[str, dict[str, str]]]:
    """Each ballot row's theme's texts ({locale: {name, description}}), in one statement for a page of rows."""
    rows: Any = (
        RoundTheme.select(RoundTheme.id, ThemeText.locale, ThemeText.name, ThemeText.description)
        .join(ThemeText, on=(ThemeText.theme == RoundTheme.theme))
        .where(RoundTheme.id.in_(ids))
        .order_by(ThemeText.locale)
        .tuples()
    )
    found: dict[int, dict[str, dict[str, str]]] = {}
    for row_id, locale, name, description in rows:
        found.setdefault(int(row_id), {})[locale] = {"name": name, "description": description}
    return found


def counted(column: str) -> Any:
    """SQL: the ballot row's counted ``column``, or null until its round has been counted (never for a cancelled
    round)."""

    def sql(alias: Any) -> Any:
        done = PriorityRound.select(PriorityRound.id).where(
            PriorityRound.id == alias.round,
            PriorityRound.counted_at.is_null(False),
            PriorityRound.status == RoundStatus.PUBLISHED,
        )
        return Case(None, [(alias.round.in_(done), getattr(alias, column))], None)

    return sql


BALLOT_PUBLIC_FIELDS = ("round", "position", "themeId", "texts", "countedVotes", "countedVoters")

ROUND_THEME = Resource(
    name="RoundTheme",
    plural="roundThemes",
    model=RoundTheme,
    description="A theme on a priority round's ballot, named for residents in each language, with its count once "
    "the round has closed and been counted.",
    members=[
        ToOne("round", "The round."),
        ToOne("theme", "The theme (staff only: residents read its names in texts)."),
        Computed("theme_id", "The theme's id: what a vote names.", kind="id", sql=lambda alias: alias.theme),
        Column("position", "Its place on the ballot."),
        Batched(
            "texts",
            "The theme's name and description residents see, by language code: {cy: {name, description}}.",
            annotation=JSON,
            load=ballot_texts,
            default=dict,
        ),
        Computed(
            "counted_votes",
            "The dots it received, once the round closed and was counted. Null until then.",
            kind="int",
            sql=counted("votes"),
        ),
        Computed(
            "counted_voters",
            "How many residents gave it any, once the round closed and was counted. Null until then.",
            kind="int",
            sql=counted("voters"),
        ),
        Column("votes", "Its dots as last counted (0 until counted; staff only)."),
        Column("voters", "Its voters as last counted (0 until counted; staff only)."),
        Column("updated_at", "When it last changed."),
    ],
    access={
        **each(NOT_STAFF, Access(BALLOT_PUBLIC_FIELDS, where={"round": PUBLIC_ROUND})),
        **STAFF_ACCESS,
    },
    default_order=("position", "id"),
)

RESOURCES = [PRIORITY_ROUND, ROUND_THEME]


@strawberry.type(description="A round's turnout so far: how many voted and how many dots they used, never who.")
class PriorityRoundTurnout:
    voters: int = strawberry.field(description="Residents who have votes in the round.")
    homes: int = strawberry.field(description="The distinct homes they voted from.")
    dots: int = strawberry.field(description="The dots they used, in all.")


@strawberry.type(description="A theme a ballot may hold.")
class BallotChoice:
    id: strawberry.ID = strawberry.field(description="The theme's id.")
    name: str = strawberry.field(description="Its internal name.")


@only_for(STAFF_ROLES)
@strawberry.type
class PriorityRoundStaffQuery:
    @strawberry.field(description="A round's live turnout (staff only). Null for a round that is not there.")
    def priority_round_turnout(
        self,
        info: Info[Context, None],
        round_id: Annotated[strawberry.ID, strawberry.argument(description="The round.")],
    ) -> PriorityRoundTurnout | None:
        try:
            found = rounds.get_round(parse_id(round_id, "priority_round"))
        except NotFound:
            return None
        figures = ballots.turnout(found.id)
        return PriorityRoundTurnout(voters=figures.voters, homes=figures.homes, dots=figures.dots)

    @strawberry.field(
        description="The themes a ballot may hold: published for residents and in use, by name (staff only)."
    )
    def priority_round_theme_choices(self, info: Info[Context, None]) -> list[BallotChoice]:
        found = Theme.select(Theme.id, Theme.name).where(Theme.published_at.is_null(False), Theme.archived_at.is_null())
        return [BallotChoice(id=strawberry.ID(str(row.id)), name=row.name) for row in found.order_by(Theme.name)]


QUERIES = [PriorityRoundStaffQuery]


@strawberry.input(description="A round's text in one language.")
class RoundTextInput:
    locale: str = strawberry.field(description="The language code, e.g. cy.")
    text: str = strawberry.field(description="The text; blank: none in that language.")


TITLE = "Its title in each language: English required, each up to 200 characters."
DESCRIPTION = "What it is for, in each language, each up to 5,000 characters."
BALLOT = "The published themes on its ballot, in order: 2 to 50."
AREAS = "Postcode districts whose homes may vote, like CF10 or LS1 (at most 50); empty: any."
TENURES = "Tenure codes whose homes may vote (rented, shared_ownership); empty: any."
NATIONS = "Nation codes whose homes may vote (england, wales, scotland, northern_ireland); empty: any."
UNIT = "resident: each resident has the whole budget; home: a home's residents share it."


@strawberry.input(description="A new priority round, set up as a draft.")
class PriorityRoundCreateInput:
    title: list[RoundTextInput] = strawberry.field(description=TITLE)
    opens_at: dt.datetime = strawberry.field(description="When voting opens.")
    closes_at: dt.datetime = strawberry.field(description="When voting closes: after it opens.")
    theme_ids: list[strawberry.ID] = strawberry.field(description=BALLOT)
    description: list[RoundTextInput] = strawberry.field(default_factory=list, description=DESCRIPTION)
    budget: int = strawberry.field(default=3, description="Votes (dots) each voter or home has: 1 to 20.")
    max_per_theme: int = strawberry.field(
        default=1, description="Most dots one theme may take, 1 (one vote per theme) to the budget."
    )
    budget_unit: str = strawberry.field(default="resident", description=UNIT)
    tenures: list[str] = strawberry.field(default_factory=list, description=TENURES)
    nations: list[str] = strawberry.field(default_factory=list, description=NATIONS)
    areas: list[str] = strawberry.field(default_factory=list, description=AREAS)


KEPT = " Kept as it is when not given."


@strawberry.input(description="Change a round that has not opened: only the fields given change.")
class PriorityRoundUpdateInput:
    id: strawberry.ID = strawberry.field(description="The round.")
    title: list[RoundTextInput] | None = strawberry.field(default=strawberry.UNSET, description=TITLE + KEPT)
    opens_at: dt.datetime | None = strawberry.field(default=strawberry.UNSET, description="When voting opens." + KEPT)
    closes_at: dt.datetime | None = strawberry.field(default=strawberry.UNSET, description="When it closes." + KEPT)
    theme_ids: list[strawberry.ID] | None = strawberry.field(default=strawberry.UNSET, description=BALLOT + KEPT)
    description: list[RoundTextInput] | None = strawberry.field(
        default=strawberry.UNSET, description=DESCRIPTION + KEPT
    )
    budget: int | None = strawberry.field(default=strawberry.UNSET, description="1 to 20." + KEPT)
    max_per_theme: int | None = strawberry.field(default=strawberry.UNSET, description="1 to the budget." + KEPT)
    budget_unit: str | None = strawberry.field(default=strawberry.UNSET, description=UNIT + KEPT)
    tenures: list[str] | None = strawberry.field(default=strawberry.UNSET, description=TENURES + KEPT)
    nations: list[str] | None = strawberry.field(default=strawberry.UNSET, description=NATIONS + KEPT)
    areas: list[str] | None = strawberry.field(default=strawberry.UNSET, description=AREAS + KEPT)


NAMES = (
    "title",
    "description",
    "opens_at",
    "closes_at",
    "budget",
    "max_per_theme",
    "budget_unit",
    "tenures",
    "nations",
    "areas",
    "theme_ids",
)


def _values(data: Any) -> dict[str, Any]:
    """The input's fields given, as the service takes them (texts by locale, theme ids as numbers)."""
    values: dict[str, Any] = {}
    for name in NAMES:
        value = getattr(data, name)
        if value is strawberry.UNSET or (value is None and name != "description"):
            continue
        if name in ("title", "description"):
            value = {item.locale: item.text for item in value or []}
        elif name == "theme_ids":
            value = [reference_id(item) for item in value]
        values[name] = value
    return values


@mutations.add("priorityRoundCreate", roles=STAFF_ROLES, payload="PriorityRoundCreated")
def create(context: Context, data: PriorityRoundCreateInput) -> Outcome:
    """Set up a priority round as a draft (staff): its texts, dates, budget, who may vote and its ballot."""
    return Outcome(rounds.create_round(context.actor, _values(data)).id)


@mutations.add("priorityRoundUpdate", roles=STAFF_ROLES, payload="PriorityRoundUpdated")
def update(context: Context, data: PriorityRoundUpdateInput) -> Outcome:
    """Change a draft round, or a published one that has not opened (staff); once open it is frozen."""
    return Outcome(rounds.update_round(context.actor, parse_id(data.id, "priority_round"), _values(data)).id)


@strawberry.input(description="A draft round to publish.")
class PriorityRoundPublishInput:
    id: strawberry.ID = strawberry.field(description="The round, a draft whose closing time is still ahead.")


@mutations.add("priorityRoundPublish", roles=MANAGER_ROLES, payload="PriorityRoundPublished")
def publish(context: Context, data: PriorityRoundPublishInput) -> Outcome:
    """Publish a draft round (managers): public at once, open for votes between its opening and closing times."""
    return Outcome(rounds.publish_round(context.actor, parse_id(data.id, "priority_round")).id)


@strawberry.input(description="A round to cancel, with the reason.")
class PriorityRoundCancelInput:
    id: strawberry.ID = strawberry.field(description="The round, not yet counted.")
    reason: str = strawberry.field(description="Why it is cancelled, up to 1,000 characters (kept in the audit).")


@mutations.add("priorityRoundCancel", roles=MANAGER_ROLES, payload="PriorityRoundCancelled")
def cancel(context: Context, data: PriorityRoundCancelInput) -> Outcome:
    """Cancel a round that has not been counted (managers): its votes are never counted."""
    return Outcome(rounds.cancel_round(context.actor, parse_id(data.id, "priority_round"), data.reason).id)
