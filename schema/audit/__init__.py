"""The audit trail in the API: its one read-only resource (``resources``)."""

from schema.discovery import gather

# Every module's RESOURCES, mutations and QUERIES, module by module in name order: a new module needs no line here.
RESOURCES, MUTATIONS, QUERIES = gather(__name__)
