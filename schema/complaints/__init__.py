"""Contacts and complaints in the API: resources (``resources``) and the journey's mutations (``mutations``)."""

from schema.complaints.mutations import MUTATIONS
from schema.complaints.resources import RESOURCES

__all__ = ["MUTATIONS", "RESOURCES"]
