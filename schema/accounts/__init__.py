"""People in the API: the viewer (``viewer``, ``phone``), resources (``resources``) and mutations (``mutations``)."""

from schema.accounts import mutations, phone, viewer
from schema.accounts.resources import RESOURCES
from schema.accounts.viewer import AccountsQuery
from schema.engine.mutations import Mutations

MUTATIONS = Mutations(viewer.mutations, phone.mutations, mutations.mutations)

__all__ = ["MUTATIONS", "RESOURCES", "AccountsQuery"]
