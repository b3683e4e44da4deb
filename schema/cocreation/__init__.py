"""Resident co-creation in the API: each module declares its resources and mutations (see ``schema.discovery``)."""

from schema.discovery import gather

# Every module's RESOURCES, mutations and QUERIES, module by module in name order: a new module needs no line here.
RESOURCES, MUTATIONS, QUERIES = gather(__name__)
