"""Console pages for surveys.

- ``pages``: the list, the builder, a preview in any language, results, and CSV import.
"""

from portal.console.surveys import pages  # noqa: F401
