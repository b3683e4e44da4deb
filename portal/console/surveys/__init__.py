"""Console pages for surveys.

- ``pages``: the list, the builder, a preview in any language, results, and CSV import.
- ``tsm``: the tenant perception measures (TP01 to TP12) over a period, by tenure, and their method statement.
"""

from portal.console.surveys import pages, tsm  # noqa: F401
