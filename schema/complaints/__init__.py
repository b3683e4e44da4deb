"""Contacts and complaints in the API: resources (``resources``) and the journey's mutations (``mutations``)."""

from schema.discovery import gather

# Every module's RESOURCES, mutations and QUERIES, module by module in name order: a new module needs no line here.
RESOURCES, MUTATIONS, QUERIES = gather(__name__)
