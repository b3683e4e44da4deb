"""Surveys in the API: resources and results (``resources``) and the mutations that build and answer them."""

from schema.discovery import gather

# Every module's RESOURCES, mutations and QUERIES, module by module in name order: a new module needs no line here.
RESOURCES, MUTATIONS, QUERIES = gather(__name__)
