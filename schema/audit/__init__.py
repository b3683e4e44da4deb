"""The audit trail in the API: its one read-only resource (``resources``)."""

from schema.audit.resources import RESOURCES

__all__ = ["RESOURCES"]
