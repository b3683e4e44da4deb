"""Case samples in the API: the criteria, method and seed of each draw, and the mutation that draws one. Staff only:
a member reads the cases drawn as pack items, labelled "Case 1", "Case 2" ..., never how they were found."""

from __future__ import annotations

import strawberry

from backend.panels import samples
from backend.panels.models import CaseSample, SampleMethod
from schema.access import STAFF_ACCESS
from schema.access import STAFF_ROLES as STAFF
from schema.context import Context
from schema.engine.declare import Column, Computed, Resource, ToMany, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id

mutations = Mutations()

CASE_SAMPLE = Resource(
    name="CaseSample",
    plural="caseSamples",
    model=CaseSample,
    description="A sample of closed complaints drawn for a review: the criteria, the method and the seed, so the "
    "draw can be repeated. Staff only.",
    members=[
        Column("method", "How it was drawn."),
        Column("criteria", "The period, service areas, stage and outcome the cases were drawn from."),
        Column("size", "How many cases were asked for."),
        Column("drawn", "How many cases matched and were drawn."),
        Column("seed", "The random seed: the same criteria and seed draw the same cases."),
        Column("drawn_at", "When it was drawn."),
        Computed("review_id", "The review it was drawn for.", kind="id", sql=lambda alias: alias.review),
        ToOne("review", "The review.", target="ScrutinyReview"),
        ToOne("drawn_by", "Who drew it.", target="Person"),
        ToMany("items", "The pack items it made, one per case.", target="PackItem"),
    ],
    access=STAFF_ACCESS,
    default_order=("-drawnAt", "-id"),
)
RESOURCES = [CASE_SAMPLE]


@strawberry.input(description="Draw a sample of closed complaints for a review; each becomes a draft case item.")
class CaseSampleDrawInput:
    review_id: strawberry.ID = strawberry.field(description="The review.")
    period: str = strawberry.field(description="When they closed: a period code, e.g. 2025/26, 2025/26-Q2, 2026-03.")
    size: int = strawberry.field(description="How many cases, 1 to 50; fewer are drawn when fewer match.")
    method: SampleMethod = strawberry.field(default=SampleMethod.RANDOM, description="At random, or stratified.")
    service_area_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Only these service areas (50 at most). Empty: every area."
    )
    stage: int | None = strawberry.field(default=None, description="Only complaints that reached this stage last.")
    outcome: str | None = strawberry.field(
        default=None, description="Only complaints whose last response had this outcome (upheld, partly_upheld, ...)."
    )
    seed: str = strawberry.field(default="", description="A seed to repeat a draw (64 characters). Empty: a new one.")


@mutations.add("caseSampleDraw", roles=STAFF, payload="CaseSampleDrawn")
def draw(context: Context, data: CaseSampleDrawInput) -> Outcome:
    """Draw closed complaints at random (or stratified by service area) with a stored seed. Never a panel member's
    own case, one of their household or one they represented, nor a need-to-know case."""
    sample = samples.draw_sample(
        context.actor,
        parse_id(data.review_id, "ScrutinyReview"),
        period=data.period,
        size=data.size,
        method=str(data.method),
        service_area_ids=[parse_id(area, "service_area") for area in data.service_area_ids[: samples.MAX_AREAS + 1]],
        stage=data.stage,
        outcome=data.outcome,
        seed=data.seed,
    )
    return Outcome(sample.id)
