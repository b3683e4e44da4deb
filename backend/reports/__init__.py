"""Reports for the regulators, the board and residents: the figures counted in SQL over a period.

Use cases by module:

- ``periods``: the regulator's year, its quarters, months and custom ranges, as UK dates and the UTC moments that
  bound them.
- ``documents``: a report as data (title, period, sections of text, figures, tables and charts), to JSON and back.
- ``output``: a report document as a PDF, a CSV file or an XLSX workbook of its figures and tables.
- ``board``: the board report's figures for a period, and its document.
- ``catalogue``: the kinds of report that can be published, with their builders.
- ``publication``: draft, approve and publish a report, frozen from approval; the governing body's response.
- ``models``: reports on their way to publication, with their frozen documents.
"""
