"""Personal data: people's rights over what Learnloop holds about them.

Use cases by module:

- ``access``: subject access requests (UK GDPR article 15): log, compile, the DPO's review, release, extend, refuse.
- ``export``: build one person's export: a zip of JSON files, their files and a readable page, others redacted.
- ``coverage``: every column that points at an account, and whether the export includes its rows, or why not.
- ``deadline``: the one-month clock, counted as the ICO says.
- ``reminders``: the daily notice to the DPO of requests due soon and overdue.
- ``messages``: the wording of that notice.
- ``models``: subject access requests.
"""
