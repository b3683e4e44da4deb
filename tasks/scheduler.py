"""One scheduler of periodic tasks per site, however many ``learnloop worker`` processes run.

Every worker runs huey's scheduler, which enqueues delayed tasks as they fall due; that is safe to do from many. The
periodic tasks (digests, sweeps, reminders) must be enqueued once a minute by exactly one, or residents get two
digests. So each worker's scheduler keeps asking for a lease, every third of its length: one worker holds it and
renews it while it lives; the others are refused until it lapses, and the first to ask after that takes it over.

On top of the lease, each minute is claimed once: the holder records the minute it enqueues, and nobody (the same
holder or the next) enqueues that minute or an earlier one again. So even a holder that stalled past its lease and
woke up, or one taking over within the minute the last one already did, cannot enqueue a minute twice.

The lease lives in Redis when the queue is Redis (a key that expires by Redis's own clock), and in the database
otherwise (``backend.scheduling``).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
import uuid
from typing import Any, Protocol

from huey import Huey
from huey.consumer import Consumer, Scheduler
from huey.storage import RedisStorage

from backend.db import connection
from backend.scheduling.leases import claim_minute, hold_lease, minute_number, release_lease
from backend.timeutil import utcnow

logger = logging.getLogger(__name__)

LEASE_NAME = "periodic"
#: The most minutes a scheduler looks back for minutes nobody enqueued (the usual gap is a lease and a minute).
CATCH_UP_MINUTES = 10


class Lease(Protocol):
    """The right to enqueue the periodic tasks, held by one worker at a time."""

    def hold(self) -> bool:
        """Take or renew the lease; return whether this worker holds it."""

    def claim_minute(self, minute: int) -> int | None:
        """Claim ``minute`` while holding the lease: the minute claimed before it (0: none), or None if refused."""

    def release(self) -> None:
        """Let the lease go, if held, so that another worker takes it at once."""


def holder_name() -> str:
    """This process's name in the lease: the machine, the process id and a random part (pids are reused)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


class DatabaseLease:
    """The lease in the site's database (one row of ``scheduler_lease``)."""

    def __init__(self, holder: str, seconds: float, name: str = LEASE_NAME) -> None:
        self.holder, self.seconds, self.name = holder, seconds, name

    def hold(self) -> bool:
        with connection():
            return hold_lease(self.name, self.holder, self.seconds)

    def claim_minute(self, minute: int) -> int | None:
        with connection():
            return claim_minute(self.name, self.holder, minute)

    def release(self) -> None:
        with connection():
            release_lease(self.name, self.holder)


# Each script runs atomically in Redis, so two workers never both see the lease free.
HOLD_SCRIPT = """
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""
CLAIM_SCRIPT = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
if tonumber(ARGV[2]) <= last then return -1 end
redis.call('SET', KEYS[2], ARGV[2])
return last
"""
RELEASE_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisLease:
    """The lease as a Redis key that expires (``<prefix>.lease``), beside the last minute claimed (``.minute``)."""

    def __init__(self, conn: Any, holder: str, seconds: float, prefix: str) -> None:
        self.holder, self.milliseconds = holder, max(1, int(seconds * 1000))
        self.keys = [f"{prefix}.lease", f"{prefix}.minute"]
        self._hold = conn.register_script(HOLD_SCRIPT)
        self._claim = conn.register_script(CLAIM_SCRIPT)
        self._release = conn.register_script(RELEASE_SCRIPT)

    def hold(self) -> bool:
        return bool(self._hold(keys=self.keys[:1], args=[self.holder, self.milliseconds]))

    def claim_minute(self, minute: int) -> int | None:
        previous = int(self._claim(keys=self.keys, args=[self.holder, minute]))
        return None if previous < 0 else previous

    def release(self) -> None:
        self._release(keys=self.keys[:1], args=[self.holder])


def lease_for(huey: Huey, seconds: float, holder: str | None = None) -> Lease:
    """The lease in Redis when the queue is Redis, else in the database."""
    holder = holder or holder_name()
    if isinstance(huey.storage, RedisStorage):
        return RedisLease(huey.storage.conn, holder, seconds, prefix=f"{huey.name}.scheduler")
    return DatabaseLease(holder, seconds)


class LeasedScheduler(Scheduler):
    """huey's scheduler, enqueueing the periodic tasks only while it holds the lease, each minute once."""

    def __init__(self, huey: Huey, stop_flag: Any, interval: int, periodic: bool, lease: Lease, renew_every: float):
        super().__init__(huey, stop_flag, interval, periodic)
        self.lease = lease
        self.renew_every = renew_every
        self.holding = False
        self._next_renewal = time.monotonic()

    def loop(self, now: Any = None) -> None:
        if self.periodic:
            self.renew()
        super().loop(now)

    def renew(self) -> None:
        """Take or renew the lease when it is time to; a lease that can't be reached counts as not held."""
        if time.monotonic() < self._next_renewal:
            return
        self._next_renewal = time.monotonic() + self.renew_every
        try:
            holding = self.lease.hold()
        except Exception:  # the task boundary: the database or Redis is away; try again at the next renewal
            logger.exception("could not reach the scheduler's lease")
            holding = False
        if holding != self.holding:
            logger.info("this worker %s the periodic tasks", "now schedules" if holding else "no longer schedules")
        self.holding = holding

    def enqueue_periodic_tasks(self, now: Any) -> None:
        """Enqueue this minute's periodic tasks if this worker holds the lease and nobody enqueued them yet.

        Minutes that nobody enqueued since the last claimed one (the holder died, or stalled), up to
        :data:`CATCH_UP_MINUTES`, are enqueued now, each task once: a 07:00 digest is sent late, not lost.
        """
        now = now or utcnow()  # huey's clock is UTC too (the queue is built with utc=True)
        if not self.holding:
            return
        minute = minute_number(now)
        try:
            previous = self.lease.claim_minute(minute)
        except Exception:  # the task boundary, as in renew()
            logger.exception("could not claim this minute's periodic tasks")
            return
        if previous is None:
            return
        missed = min(minute - previous - 1, CATCH_UP_MINUTES) if previous else 0
        due: dict[str, Any] = {}
        for back in range(missed, -1, -1):
            for task in self.huey.read_periodic(now - dt.timedelta(minutes=back)):
                due.setdefault(task.name, task)
        for task in due.values():
            logger.info("enqueueing periodic task %s", task.name)
            try:
                self.huey.enqueue(task)
            except Exception:  # the task boundary: the next minute's tasks still go
                logger.exception("could not enqueue periodic task %s", task.name)

    def shutdown(self) -> None:
        if self.holding:
            try:
                self.lease.release()
            except Exception:  # stopping anyway: the lease lapses by itself
                logger.exception("could not let the scheduler's lease go")
            self.holding = False


class LeasedConsumer(Consumer):
    """huey's consumer with a :class:`LeasedScheduler` (also when it restarts one that died)."""

    def __init__(self, huey: Huey, lease: Lease, lease_seconds: float, **options: Any) -> None:
        self.lease = lease
        self.renew_every = lease_seconds / 3
        super().__init__(huey, **options)

    def _create_scheduler(self) -> LeasedScheduler:
        return LeasedScheduler(
            huey=self.huey,
            stop_flag=self.stop_flag,
            interval=self.scheduler_interval,
            periodic=self.periodic,
            lease=self.lease,
            renew_every=self.renew_every,
        )
