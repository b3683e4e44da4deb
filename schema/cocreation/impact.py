"""Whether a change made a difference, in the API: ``changeImpact(reference)``, open to everyone, gives how many
residents answered the impact survey about a published change, the share who said it made a difference (null below
five answers, so a handful of answers never shows as a percentage), and whether it is confirmed by residents or
marked not fixed. Nothing in it names or counts a person beyond the totals.

Staff also read ``changeImpacts``: every implemented change with its answers by kind, how many residents were asked
and how many of those asks were skipped under the per-person survey cap."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from backend.cocreation import impact
from backend.context import STAFF_ROLES
from schema.access import EVERYONE
from schema.context import Context
from schema.engine.access import only_for


@strawberry.type(description="What residents said when asked whether a published change made a difference.")
class ChangeImpact:
    reference: str = strawberry.field(description="The change's reference, CH-YYYY-NN.")
    answered: int = strawberry.field(description="How many residents answered (don't know included).")
    share: int | None = strawberry.field(
        description="The whole per cent of those who answered who said yes or partly; null below five answers."
    )
    confirmed: bool = strawberry.field(description="Whether enough said yes or partly to confirm it.")
    not_fixed: bool = strawberry.field(
        description="Whether enough said no that its improvement actions were marked not addressed."
    )


@only_for(EVERYONE)
@strawberry.type
class ChangeImpactQuery:
    @strawberry.field(
        description="The impact figure of a published change by its reference; null when none is published. Open "
        "to everyone."
    )
    def change_impact(
        self,
        info: strawberry.Info[Context, None],
        reference: Annotated[str, strawberry.argument(description="The change's reference, CH-YYYY-NN.")],
    ) -> ChangeImpact | None:
        found = impact.change_impact(reference)
        return ChangeImpact(**vars(found)) if found is not None else None


@strawberry.type(description="One implemented change's impact answers, as staff see them.")
class ChangeImpactRow:
    id: strawberry.ID = strawberry.field(description="The change's id.")
    reference: str = strawberry.field(description="The change's reference, CH-YYYY-NN.")
    title: JSON = strawberry.field(description="What changed, in a line, by language code.")
    status: str = strawberry.field(description="Its status: implemented or confirmed.")
    published: bool = strawberry.field(description="Whether it is public.")
    implemented_at: dt.datetime | None = strawberry.field(description="When it was marked implemented.")
    confirmed_at: dt.datetime | None = strawberry.field(description="When residents' answers confirmed it.")
    not_fixed_at: dt.datetime | None = strawberry.field(description="When enough said no to mark it not fixed.")
    yes: int = strawberry.field(description="Answers that it made a difference.")
    partly: int = strawberry.field(description="Answers that it partly made a difference.")
    no: int = strawberry.field(description="Answers that it made no difference.")
    dont_know: int = strawberry.field(description="Answers of don't know.")
    asked: int = strawberry.field(description="How many residents were asked about it.")
    skipped: int = strawberry.field(description="Of those, how many were not sent the survey: asked too recently.")
    share: int | None = strawberry.field(description="The per cent who said yes or partly; null below five answers.")
    answered: int = strawberry.field(description="How many answered.")


@only_for(STAFF_ROLES)
@strawberry.type
class ChangeImpactStaffQuery:
    @strawberry.field(
        description="Every implemented change with its impact answers, most recently implemented first (at most "
        "200). Staff only."
    )
    def change_impacts(self, info: strawberry.Info[Context, None]) -> list[ChangeImpactRow]:
        return [_row(row) for row in impact.impact_rows()]


def _row(row: impact.ImpactRow) -> ChangeImpactRow:
    values = dict(vars(row))
    values["id"] = strawberry.ID(str(values.pop("change_id")))
    return ChangeImpactRow(**values)


QUERIES = [ChangeImpactQuery, ChangeImpactStaffQuery]
