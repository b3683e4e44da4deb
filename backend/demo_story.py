"""Demo history told as a story: each step is a service call run on its day in the past, with the clock seam
(``backend.timeutil.clock``, the one tests move) set to that moment, so that rows and audit entries carry the day it
happened and every rule that reads today's date (due dates, backdating, lateness) sees the day of the step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from backend import timeutil
from backend.timeutil import LOCAL_ZONE, local_date


@contextmanager
def clock_at(moment: dt.datetime) -> Iterator[None]:
    """Run the block with the clock at ``moment``, ticking on from there; the clock it had comes back after."""
    before = timeutil.clock
    started = before()
    timeutil.clock = lambda: moment + (before() - started)
    try:
        yield
    finally:
        timeutil.clock = before


class Story:
    """Steps, each at its moment in the past, run in the order they happened.

    :meth:`at` schedules a step some days before today (UK time), :meth:`now` one at the real time after them all.
    What a step makes is kept under a key (:meth:`keep`) for the steps after it. Steps given the same day and hour
    run five minutes apart, in the order they were scheduled.
    """

    def __init__(self) -> None:
        self.today = local_date()
        self.made: dict[str, Any] = {}
        self._steps: list[tuple[dt.datetime, int, Callable[[], object]]] = []
        self._later: list[Callable[[], object]] = []
        self._slots: dict[tuple[int, int], int] = {}

    def day(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    def at(self, days_ago: int, step: Callable[[], object], hour: int = 10) -> None:
        """Run ``step`` ``days_ago`` days before today (one at least: it is in the past) at ``hour`` UK time."""
        if days_ago < 1:
            raise ValueError("a step in the past is a day ago or more; now() runs one today")
        slot = self._slots.get((days_ago, hour), 0)
        self._slots[days_ago, hour] = slot + 1
        local = dt.datetime.combine(self.day(days_ago), dt.time(hour), tzinfo=LOCAL_ZONE)
        moment = local.astimezone(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=5 * slot)
        self._steps.append((moment, len(self._steps), step))

    def on(self, day: dt.date, step: Callable[[], object], hour: int = 10) -> bool:
        """Run ``step`` on ``day`` at ``hour`` UK time if that day is before today; return whether it will run."""
        days_ago = (self.today - day).days
        if days_ago < 1:
            return False
        self.at(days_ago, step, hour)
        return True

    def now(self, step: Callable[[], object]) -> None:
        self._later.append(step)

    def run(self) -> None:
        for moment, _order, step in sorted(self._steps, key=lambda item: item[:2]):
            with clock_at(moment):
                step()
        for step in self._later:
            step()

    def keep(self, key: str, made: Any) -> Any:
        self.made[key] = made
        return made

    def id(self, key: str) -> int:
        return self.made[key].id  # type: ignore[no-any-return]
