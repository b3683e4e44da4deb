"""The reports area of the console.

- ``saved``: saved reports: the list, and saving, changing, sharing and deleting one's own.
- ``saved_run``: running a saved report as the reader: its parameters, its table or chart, and CSV and XLSX.
"""

from portal.console.reports import saved, saved_run  # noqa: F401 - each adds its pages to the console
