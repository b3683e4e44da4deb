"""The reports area of the console: the index of reports, the regulators' measures, the homes they divide by, the
board report, self-assessments, and reports on their way to publication.

- ``index``: /console/reports, the list of reports (add a ``ReportLink`` to ``REPORT_LINKS``) and of publications.
- ``periods``: the period a report page covers, read from the page's address, and the periods to choose from.
- ``tsm``: the Tenant Satisfaction Measures on complaints (CH01, CH02), the complaints behind each figure, and CSV.
- ``stock``: the relevant homes at each year's end: the list, entering and correcting one, importing a CSV.
- ``spso``: the SPSO's complaints performance indicators for homes in Scotland, and the complaints behind each.
- ``spso_document``: the SPSO's indicators as a report for a quarter or a year: print view, files and drafting.
- ``self_assessment``: the self-assessments against the Complaint Handling Code: the list, one assessment with every
  provision by section, filling in a row, approving, sending back to draft and publishing.
- ``sector``: benchmarking and network meetings for learning item 8, with who attended and the attendance rate.
- ``labels``: the words for the self-assessment's codes and figures, in the reader's language.
- ``output``: what every report page shares: the page, the print view, PDF, CSV and XLSX of a document.
- ``document_pages``: the pages every report built as a document has: the report, print view, files and drafting.
- ``board``: the board report for a chosen period, its files, and drafting it for approval.
- ``annual``: the Code's annual complaints performance and service improvement report for a regulator's year.
- ``publications``: one report on its way to publication: approve, publish, the governing body's response.
- ``equality``: the equality breakdowns of complaints over a period, one table per dimension, small numbers hidden.
- ``characteristics``: record a contact's resident's equality answers with their consent, or remove them; the
  contact page shows only whether some are recorded (``equality_status_for``).
- ``signals``: the board report's signals by month and service area, and managers' CSV import of them.
- ``saved``: saved reports: the list, and saving, changing, sharing and deleting one's own.
- ``saved_run``: running a saved report as the reader: its parameters, its table or chart, and CSV and XLSX.
"""

from portal.console.reports import (  # noqa: F401 - each adds its pages to the console
    annual,
    board,
    characteristics,
    equality,
    index,
    labels,
    output,
    publications,
    saved,
    saved_run,
    sector,
    self_assessment,
    signals,
    spso,
    spso_document,
    stock,
    tsm,
)
