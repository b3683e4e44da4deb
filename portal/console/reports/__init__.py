"""Console pages for reports.

- ``equality``: the equality breakdowns of complaints over a period, one table per dimension, small numbers hidden.
- ``characteristics``: record a contact's resident's equality answers with their consent, or remove them; the
  contact page shows only whether some are recorded (``equality_status_for``).
- ``signals``: the board report's signals by month and service area, and managers' CSV import of them.
"""

from portal.console.reports import characteristics, equality, signals  # noqa: F401 - each adds its pages to bp
