"""Count requests per key in fixed windows, and sweep the windows that have ended.

One ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` statement both counts a hit and reads the
new total, so concurrent web processes never lose a hit (SQLite 3.35+ and PostgreSQL alike).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math

from peewee import EXCLUDED

from backend.ratelimit.models import RateLimitWindow
from backend.timeutil import utcnow

EPOCH = dt.datetime(1970, 1, 1)


def _key_hash(key: str, window_seconds: int) -> str:
    # The window length is part of the key, so two limits on the same key never share a counter.
    return hashlib.sha256(f"{window_seconds}:{key}".encode()).hexdigest()


def window_bounds(now: dt.datetime, window_seconds: int) -> tuple[dt.datetime, dt.datetime]:
    """Return the start and end of the fixed window that holds ``now``."""
    elapsed = int((now - EPOCH).total_seconds())
    start = EPOCH + dt.timedelta(seconds=elapsed - elapsed % window_seconds)
    return start, start + dt.timedelta(seconds=window_seconds)


def hit(key: str, limit: int, window_seconds: int = 60, amount: int = 1, now: dt.datetime | None = None) -> int | None:
    """Count ``amount`` requests for ``key`` and return how many seconds to wait if that goes over ``limit``.

    Returns ``None`` while the key is within its limit for the current window (a limit of 0 or less
    means no limit, and nothing is counted). Refused requests are counted too, so a client that
    keeps hammering stays refused until the window ends.
    """
    if limit <= 0:
        return None
    now = now or utcnow()
    start, end = window_bounds(now, window_seconds)
    query = (
        RateLimitWindow.insert(key_hash=_key_hash(key, window_seconds), window_start=start, expires_at=end, hits=amount)
        .on_conflict(
            conflict_target=[RateLimitWindow.key_hash, RateLimitWindow.window_start],
            update={RateLimitWindow.hits: RateLimitWindow.hits + EXCLUDED.hits},
        )
        .returning(RateLimitWindow.hits)
        .tuples()
    )
    (hits,) = next(iter(query.execute()))
    if hits <= limit:
        return None
    return max(1, math.ceil((end - now).total_seconds()))


def sweep_rate_limit_windows(now: dt.datetime | None = None) -> int:
    """Delete the counters of windows that have ended; return how many were deleted."""
    now = now or utcnow()
    return RateLimitWindow.delete().where(RateLimitWindow.expires_at <= now).execute()
