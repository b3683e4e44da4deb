"""Contacts and complaints in the API: resources (``resources``) and the journey's mutations (``mutations``)."""

from schema.complaints.resources import log_case_reads
from schema.discovery import gather

# Every module's RESOURCES, mutations and QUERIES, module by module in name order: a new module needs no line here.
RESOURCES, MUTATIONS, QUERIES = gather(__name__)
# Every row that belongs to a case logs its reads when the case is need-to-know, as the case itself does.
log_case_reads(RESOURCES)
