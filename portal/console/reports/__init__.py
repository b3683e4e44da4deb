"""Reports in the console: the index of every report, the board report, and reports on their way to publication.

Pages by module:

- ``index``: /console/reports, the list of reports (add a ``ReportLink`` to ``REPORT_LINKS``) and of publications.
- ``output``: what every report page shares: the page, the print view, PDF, CSV and XLSX of a document.
- ``board``: the board report for a chosen period, its files, and drafting it for approval.
- ``publications``: one report on its way to publication: approve, publish, the governing body's response.
"""

from portal.console.reports import board, index, output, publications  # noqa: F401 - each adds its pages to bp
