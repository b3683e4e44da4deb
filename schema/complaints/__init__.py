"""Contacts and complaints in the API: resources (``resources``) and the journey's mutations (``mutations``)."""

from schema.complaints import leaflets, previews
from schema.complaints.mutations import MUTATIONS as JOURNEY_MUTATIONS
from schema.complaints.resources import RESOURCES as JOURNEY_RESOURCES

MUTATIONS = [*JOURNEY_MUTATIONS, *leaflets.MUTATIONS, *previews.MUTATIONS]
RESOURCES = [*JOURNEY_RESOURCES, *leaflets.RESOURCES]

__all__ = ["MUTATIONS", "RESOURCES"]
