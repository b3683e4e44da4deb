"""Reports for the regulators, the board and residents: the figures counted in SQL over a period.

Use cases by module:

- ``periods``: the regulator's year, its quarters, months and custom ranges, as UK dates and the UTC moments that
  bound them.
- ``models``: the UK calendar with each nation's working days, the statutory timescales by edition, the homes at
  each year's end; the Code's provisions as data, self-assessments with their rows, and the sector events of
  learning item 8; equality monitoring answers (kept apart, with consent) and the signal counts imported for the
  board; reports approved and published.
  each year's end; reports on their way to publication, with their frozen documents.
- ``documents``: a report as data (title, period, sections of text, figures, tables and charts), to JSON and back.
- ``output``: a report document as a PDF, a CSV file or an XLSX workbook of its figures and tables.
- ``board``: the board report's figures for a period, and its document.
- ``catalogue``: the kinds of report that can be published, with their builders.
- ``publication``: draft, approve and publish a report, frozen from approval; the governing body's response.
- ``figures``: a numerator over a denominator, kept unrounded and published to one decimal place.
- ``tsm_complaints``: the Tenant Satisfaction Measures CH01 and CH02, with the complaints behind each figure.
- ``annual``: the analysis of the Code's annual complaints performance and service improvement report.
- ``annual_report``: the annual report as a document with the Code's sections (a) to (f), to approve and publish.
- ``tsm_report``: the Tenant Satisfaction Measures (CH01, CH02, TP01 to TP12) as a document to approve and publish.
- ``publications``: the Ombudsman's findings and reports about the landlord that the annual report lists.
- ``stock``: the relevant homes at each year's end, entered or imported with their source.
- ``calendar``: the calendar's days written and refreshed, and the SQL that counts working days with it.
- ``tsm_perception``: the tenant perception measures TP01 to TP12 from the perception survey, weighted, for LCRA,
  LCHO and all.
- ``spso``: the SPSO's complaints performance indicators for homes in Scotland (received, closed at each stage,
  outcomes, working days, timescales, extensions), and the complaints behind each figure.
- ``spso_context``: what goes around the SPSO's figures: the statements of learning, complainant experience and
  training, and the areas with few or no complaints compared with their homes.
- ``spso_report``: the SPSO's indicators as a document for a quarter or a year, to print, approve and publish.
- ``provisions``: admins change, add and retire the Code's provisions when the Code changes.
- ``self_assessment``: start a self-assessment, fill in its rows, approve, reopen and publish it.
- ``self_assessment_document``: a self-assessment as a document to print and download, naming nobody.
- ``evidence``: the registry of figures the system's data gives for a row, each counted over a period.
- ``sector``: record benchmarking exercises and network meetings, and who attended them.
- ``characteristics``: a resident records, changes or withdraws their own equality answers; staff record them on a
  contact with consent, and see only whether some are recorded.
- ``equality``: complaints received, outcomes and timeliness by language, representative, channel, vulnerability and
  protected characteristic, with small numbers hidden; ``responded_in_time`` is the one timeliness definition.
- ``equality_document``: one stage's equality breakdowns as a document, with the hidden figures only marked.
- ``suppression``: the small-number rule: figures below 5 hidden, and those that would give one away from a total.
- ``signals``: import monthly disrepair, damp and mould and insurance counts by service area from CSV; read them.
- ``saved``: staff's saved GraphQL queries as named reports: checking, saving, sharing and deleting them, and the
  rows of a result.
- ``saved_schedule``: telling a scheduled report's recipients, once on its day, that it is ready to read.
- ``saved_messages``: the message that tells them, with a link that needs signing in.
- ``models``: saved reports and their recipients.
- ``demo``: demo data for the reports: homes at each year's end, the Ombudsman's publications, signals, a tenant
  perception survey with its method, equality answers and a draft self-assessment.
"""
