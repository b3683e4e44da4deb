"""The leases that let one worker at a time schedule the periodic tasks (when the queue is not Redis)."""

from __future__ import annotations

from peewee import BigIntegerField, CharField, DateTimeField

from backend.db import BaseModel


class SchedulerLease(BaseModel):
    """Who holds the lease ``name`` until ``expires_at``, and the last minute whose periodic tasks were enqueued.

    ``last_minute`` counts whole minutes since 1970 (UTC). It survives a change of holder, so a worker that takes
    over never enqueues a minute the one before it already did.
    """

    name = CharField(max_length=100, primary_key=True)
    holder = CharField(max_length=100)
    expires_at = DateTimeField()
    last_minute = BigIntegerField(default=0)
