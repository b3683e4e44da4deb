"""Periodic housekeeping removes only what is past its time."""

from __future__ import annotations

import datetime as dt

from backend.accounts.models import SignInFailure, UserSession
from backend.timeutil import utcnow
from tasks.maintenance import sweep_rate_limits, sweep_sign_in_records
from tests import factories


def test_sweep_sign_in_records_forgets_old_failures_and_dead_sessions() -> None:
    old = factories.make_sign_in_failure()
    SignInFailure.update(failed_at=utcnow() - dt.timedelta(hours=2)).where(SignInFailure.id == old.id).execute()
    fresh = factories.make_sign_in_failure()
    dead, _key = factories.make_session()
    UserSession.update(expires_at=utcnow() - dt.timedelta(days=31)).where(UserSession.id == dead.id).execute()
    live, _key = factories.make_session()
    assert sweep_sign_in_records.call_local() == 2
    assert SignInFailure.get_or_none(SignInFailure.id == fresh.id) is not None
    assert UserSession.get_or_none(UserSession.id == live.id) is not None


def test_sweep_rate_limits_removes_closed_windows_only() -> None:
    from backend.ratelimit.models import RateLimitWindow

    closed = factories.make_rate_limit_window("ip:192.0.2.1")
    RateLimitWindow.update(expires_at=utcnow() - dt.timedelta(minutes=1)).where(
        RateLimitWindow.id == closed.id
    ).execute()
    open_window = factories.make_rate_limit_window("ip:192.0.2.2")
    assert sweep_rate_limits.call_local() == 1
    assert RateLimitWindow.get_or_none(RateLimitWindow.id == open_window.id) is not None
