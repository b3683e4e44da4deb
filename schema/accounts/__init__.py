"""People in the API: the viewer (``viewer``, ``phone``), resources (``resources``) and mutations (``mutations``)."""

from schema.accounts.mutations import MUTATIONS
from schema.accounts.phone import PhoneMutation
from schema.accounts.resources import RESOURCES
from schema.accounts.viewer import AccountsMutation, AccountsQuery

__all__ = ["MUTATIONS", "RESOURCES", "AccountsMutation", "AccountsQuery", "PhoneMutation"]
