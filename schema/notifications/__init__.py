"""Notifications in the API: resources and the wording queries (``resources``) and mutations (``mutations``)."""

from schema.engine.mutations import Mutations
from schema.notifications import mutations
from schema.notifications.resources import RESOURCES, NotificationsQuery

MUTATIONS = Mutations(mutations.mutations)

__all__ = ["MUTATIONS", "RESOURCES", "NotificationsQuery"]
