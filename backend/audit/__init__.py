"""The append-only audit trail.

Use cases by module:

- ``services``: write an audit event inside the caller's transaction.
- ``models``: the audit event table (database triggers refuse UPDATE and DELETE).
"""
