"""Notifications in the API: resources and the wording queries (``resources``) and mutations (``mutations``)."""

from schema.notifications.mutations import MUTATIONS
from schema.notifications.resources import RESOURCES, NotificationsQuery

__all__ = ["MUTATIONS", "RESOURCES", "NotificationsQuery"]
