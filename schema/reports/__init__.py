"""Reports in the API: equality answers and breakdowns (``characteristics``, ``equality``) and the board's signals
(``signals``)."""

from schema.discovery import gather

# Every module's RESOURCES, mutations and QUERIES, module by module in name order: a new module needs no line here.
RESOURCES, MUTATIONS, QUERIES = gather(__name__)
