"""The transactional outbox.

Use cases by module:

- ``services``: record an outbox event in the caller's transaction and dispatch it after commit.
- ``models``: outbox events and their deliveries.
"""
