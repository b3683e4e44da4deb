"""Take, renew and let go of a lease in the database, and claim one minute's periodic tasks under it.

Each function is one statement, so two workers asking at once never both win: the database settles it. Time is the
caller's clock (UTC), which every worker of a site keeps in step (NTP) as the periodic tasks' minutes already need.
"""

from __future__ import annotations

import datetime as dt

from peewee import EXCLUDED

from backend.scheduling.models import SchedulerLease
from backend.timeutil import utcnow

EPOCH = dt.datetime(1970, 1, 1)


def minute_number(moment: dt.datetime) -> int:
    """Whole minutes from 1970 to ``moment`` (a naive UTC datetime)."""
    return (moment - EPOCH) // dt.timedelta(minutes=1)


def hold_lease(name: str, holder: str, seconds: float, now: dt.datetime | None = None) -> bool:
    """Take the lease ``name`` for ``holder``, or renew it, for ``seconds``; return whether ``holder`` now holds it.

    The lease is taken when nobody holds it or its holder let it lapse, and renewed when ``holder`` holds it already.
    Returns False, and changes nothing, while someone else holds it.
    """
    now = now or utcnow()
    query = (
        SchedulerLease.insert(name=name, holder=holder, expires_at=now + dt.timedelta(seconds=seconds))
        .on_conflict(
            conflict_target=[SchedulerLease.name],
            update={SchedulerLease.holder: EXCLUDED.holder, SchedulerLease.expires_at: EXCLUDED.expires_at},
            where=(SchedulerLease.holder == holder) | (SchedulerLease.expires_at <= now),
        )
        .returning(SchedulerLease.holder)
        .tuples()
    )
    return any(True for _ in query.execute())


def claim_minute(name: str, holder: str, minute: int, now: dt.datetime | None = None) -> int | None:
    """Record that ``holder`` enqueues the periodic tasks of ``minute``; return the minute claimed before it.

    Returns ``None``, and changes nothing, unless ``holder`` holds the lease (not lapsed) and nobody has claimed this
    minute or a later one. The minute before is 0 when none was ever claimed.
    """
    now = now or utcnow()
    lease = SchedulerLease.get_or_none(SchedulerLease.name == name)
    if lease is None or lease.holder != holder or lease.expires_at <= now or lease.last_minute >= minute:
        return None
    # Compare and set: of two claims racing from the same reading, one updates the row and the other finds it moved.
    claimed = (
        SchedulerLease.update(last_minute=minute)
        .where(
            SchedulerLease.name == name,
            SchedulerLease.holder == holder,
            SchedulerLease.expires_at > now,
            SchedulerLease.last_minute == lease.last_minute,
        )
        .execute()
    )
    return int(lease.last_minute) if claimed == 1 else None


def release_lease(name: str, holder: str, now: dt.datetime | None = None) -> None:
    """Let the lease go at once if ``holder`` holds it, so another worker need not wait for it to lapse."""
    now = now or utcnow()
    SchedulerLease.update(expires_at=now).where(SchedulerLease.name == name, SchedulerLease.holder == holder).execute()
