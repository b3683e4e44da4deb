"""The transactional outbox.

Use cases by module:

- ``services``: record an outbox event in the caller's transaction and dispatch it after commit.
- ``reactions``: what an event sets going besides its messages (a domain's function run as it is dispatched).
- ``models``: outbox events and their deliveries.
"""
