"""Contacts and complaints in the API: resources (``resources``) and the journey's mutations (``mutations``)."""

from schema.complaints import leaflets, mutations, previews
from schema.complaints.resources import RESOURCES as JOURNEY_RESOURCES
from schema.engine.mutations import Mutations

MUTATIONS = Mutations(mutations.mutations, leaflets.mutations, previews.mutations)
RESOURCES = [*JOURNEY_RESOURCES, *leaflets.RESOURCES]

__all__ = ["MUTATIONS", "RESOURCES"]
