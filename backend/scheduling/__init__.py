"""Which worker schedules the periodic tasks: one at a time per site, by a lease kept in the database.

Use cases by module:

- ``leases``: take or renew a lease, claim a minute's periodic tasks under it, let it go.
- ``models``: the leases (when the queue is Redis, the lease is a Redis key instead: ``tasks.scheduler``).
"""
