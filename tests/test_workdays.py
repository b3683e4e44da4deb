"""Working days against the maintained bank-holiday data, for every nation, 2020 to 2030."""

from __future__ import annotations

import datetime as dt

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.workdays import SUBDIVISIONS, add_working_days, is_working_day, working_days_between

NATIONS = st.sampled_from(sorted(SUBDIVISIONS))
DAYS = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))


@settings(max_examples=300, deadline=None)
@given(nation=NATIONS, day=DAYS)
def test_is_working_day_matches_the_holidays_package(nation: str, day: dt.date) -> None:
    bank = holidays.country_holidays("GB", subdiv=SUBDIVISIONS[nation], years=day.year)
    assert is_working_day(day, nation) == (day.weekday() < 5 and day not in bank)


@settings(max_examples=200, deadline=None)
@given(
    nation=NATIONS,
    start=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 6, 30)),
    count=st.integers(min_value=0, max_value=40),
)
def test_add_working_days_lands_on_a_working_day_and_counts_back(nation: str, start: dt.date, count: int) -> None:
    due = add_working_days(start, count, nation)
    assert working_days_between(start, due, nation) == count
    if count:
        assert is_working_day(due, nation)
        assert working_days_between(start, due - dt.timedelta(days=1), nation) == count - 1


@settings(max_examples=100, deadline=None)
@given(
    nation=NATIONS,
    start=DAYS,
    count=st.integers(min_value=1, max_value=20),
    closure=st.integers(min_value=1, max_value=10),
)
def test_closure_days_are_skipped(nation: str, start: dt.date, count: int, closure: int) -> None:
    closed = start + dt.timedelta(days=closure)
    plain = add_working_days(start, count, nation)
    with_closure = add_working_days(start, count, nation, {closed})
    assert with_closure >= plain
    assert with_closure == plain or is_working_day(closed, nation)


def test_nations_differ_as_the_code_says() -> None:
    assert not is_working_day(dt.date(2026, 1, 2), "scotland") and is_working_day(dt.date(2026, 1, 2), "england")
    assert not is_working_day(dt.date(2026, 4, 6), "england") and is_working_day(dt.date(2026, 4, 6), "scotland")
    assert not is_working_day(dt.date(2026, 3, 17), "northern_ireland")
    assert not is_working_day(dt.date(2026, 12, 28), "wales")  # Boxing Day falls on a Saturday: substitute day


def test_five_working_days_over_christmas() -> None:
    # Received Wednesday 23 December 2026: 24th, 29th, 30th, 31st December, then 4 January.
    assert add_working_days(dt.date(2026, 12, 23), 5, "england") == dt.date(2027, 1, 4)
