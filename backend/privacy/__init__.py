"""Personal data: people's rights over what Learnloop holds about them, how long it is kept, and how it is erased.

Use cases by module:

- ``access``: subject access requests (UK GDPR article 15): log, compile, the DPO's review, release, extend, refuse.
- ``export``: build one person's export: a zip of JSON files, their files and a readable page, others redacted.
- ``coverage``: every column that points at an account, and whether the export includes its rows, or why not.
- ``deadline``: the one-month clock, counted as the ICO says.
- ``reminders``: the daily notice to the DPO of requests due soon and overdue.
- ``messages``: the wording of that notice.
- ``retention``: the retention schedule, one rule per kind of record, from the ``LEARNLOOP_RETAIN_*`` settings.
- ``erasure``: erase what has passed its period (the nightly sweep) or one person's records on request.
- ``case_records``: what erasing a case or an account also reaches: staff's account of the case, the copies the
  lessons log and scrutiny panels keep, a panel member's own notes.
- ``holds``: legal holds that keep a person's or a case's records from erasure, and the ledger of what was erased.
- ``models``: subject access requests, and (defined in ``holds``) legal holds and erased records.
"""
