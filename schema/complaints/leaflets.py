"""Leaflets enclosed with letters, one per regime stage: read by staff, attached and removed by admins."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.file_uploads import Upload

from backend.complaints import leaflets
from backend.complaints.models import StageLeaflet
from backend.errors import Invalid
from schema.access import ADMIN_ROLES as ADMINS
from schema.access import staff
from schema.context import Context
from schema.engine.declare import Column, Resource, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id

mutations = Mutations()

STAGE_LEAFLET = Resource(
    name="StageLeaflet",
    plural="stageLeaflets",
    model=StageLeaflet,
    description="A PDF leaflet about a regime stage, enclosed with every letter about that stage.",
    members=[
        Column("title"),
        Column("file_name"),
        Column("size"),
        Column("uploaded_at"),
        ToOne("stage"),
    ],
    access=staff(),
)


@strawberry.input(description="A PDF leaflet for a regime stage (multipart request); it replaces any earlier one.")
class StageLeafletSetInput:
    id: strawberry.ID = strawberry.field(description="The regime stage.")
    title: str = strawberry.field(description='What the letter\'s "Enclosed:" line calls it, up to 200 characters.')
    file: Upload = strawberry.field(
        description="The leaflet: a readable, unencrypted PDF, no larger than the attachment size limit."
    )


@strawberry.input(description="Stop enclosing a regime stage's leaflet.")
class StageLeafletRemoveInput:
    id: strawberry.ID = strawberry.field(description="The regime stage.")


@mutations.add("stageLeafletSet", roles=ADMINS, payload="StageLeafletSet", node="leaflet")
def set_leaflet(context: Context, data: StageLeafletSetInput) -> Outcome:
    """Enclose a PDF leaflet with every letter about a regime stage."""
    upload: Any = data.file
    stream = getattr(upload, "stream", None)
    if stream is None or not hasattr(stream, "read"):
        raise Invalid("file", "not_a_file")
    name = str(getattr(upload, "filename", "") or "leaflet.pdf")
    leaflet = leaflets.set_stage_leaflet(context.actor, parse_id(data.id, "regime_stage"), stream, name, data.title)
    return Outcome(leaflet.id)


@mutations.add("stageLeafletRemove", roles=ADMINS, payload="StageLeafletRemoved", resource="RegimeStage")
def remove_leaflet(context: Context, data: StageLeafletRemoveInput) -> Outcome:
    """Stop enclosing a regime stage's leaflet."""
    stage_id = parse_id(data.id, "regime_stage")
    leaflets.remove_stage_leaflet(context.actor, stage_id)
    return Outcome(stage_id)


RESOURCES = [STAGE_LEAFLET]
