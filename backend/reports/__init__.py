"""Reports for the regulators, the board and residents: the figures counted in SQL over a period.

Use cases by module:

- ``periods``: the regulator's year, its quarters, months and custom ranges, as UK dates and the UTC moments that
  bound them.
- ``saved``: staff's saved GraphQL queries as named reports: checking, saving, sharing and deleting them, and the
  rows of a result.
- ``saved_schedule``: telling a scheduled report's recipients, once on its day, that it is ready to read.
- ``saved_messages``: the message that tells them, with a link that needs signing in.
- ``models``: saved reports and their recipients.
"""
