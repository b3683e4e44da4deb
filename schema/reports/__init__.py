"""Reports in the API: each module declares its resources and mutations (see ``schema.discovery``).

- ``saved``: saved reports, staff's GraphQL queries kept as named reports, and their recipients.
- ``saved_query``: reading a saved query against a viewer's schema, and running it as that viewer.
"""

from schema.discovery import gather

# Every module's RESOURCES, mutations and QUERIES, module by module in name order: a new module needs no line here.
RESOURCES, MUTATIONS, QUERIES = gather(__name__)
