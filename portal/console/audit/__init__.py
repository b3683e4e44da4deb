"""Console page for the audit trail.

- ``trail``: the audit trail (managers and admins), newest first, a page at a time.
"""

from portal.console.audit import trail  # noqa: F401
