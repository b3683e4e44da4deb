"""What every table generator shares: the seeded generator, the sizes, and what earlier tables left behind."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bench.cases import SEEDED_REGIMES, Case, RegimeRules

#: The dataset's "today": fixed, so the same seed gives the same dates whenever it runs.
TODAY = dt.datetime(2026, 1, 1)


def weighted(pairs: tuple[tuple[str, int], ...]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    return tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)


@dataclass
class Table:
    """One table's rows: ``rows`` yields tuples in ``fields`` order; ``explicit_ids`` when they carry the id."""

    label: str
    model: Any
    fields: list[Any]
    total: int
    rows: Iterator[tuple[Any, ...]]
    explicit_ids: bool = False


@dataclass
class World:
    """What later tables need to know about earlier ones."""

    sizes: dict[str, int]
    rng: random.Random
    password_hash: str
    seed: int
    #: The complaint regimes in the database (migration 0007 seeds these).
    regimes: tuple[RegimeRules, ...] = SEEDED_REGIMES
    home_nations: list[str] = field(default_factory=list)
    resident_homes: list[int] = field(default_factory=list)
    #: How many homes were generated in each (nation, tenure): the stock counts' base.
    stock: dict[tuple[str, str], int] = field(default_factory=dict)
    #: (user id, team) of each member of staff who handles complaints.
    handlers: list[tuple[int, str]] = field(default_factory=list)
    #: Ids of the managers, who authorise, sign off and verify actions.
    managers: list[int] = field(default_factory=list)
    #: The root causes' ids as the migrations seed them (0027).
    root_causes: tuple[int, ...] = tuple(range(1, 27))
    lesson_themes: dict[int, list[int]] = field(default_factory=dict)
    lesson_opened: dict[int, dt.date] = field(default_factory=dict)
    lesson_status: dict[int, str] = field(default_factory=dict)
    lesson_team: dict[int, str] = field(default_factory=dict)
    #: The first cause recorded for each lesson that has any, by lesson.
    lesson_causes_first_id: dict[int, int] = field(default_factory=dict)
    #: Upheld complaints that became a lesson's source: complaint id -> (lesson id, when the complaint closed).
    complaint_lesson: dict[int, tuple[int, dt.datetime]] = field(default_factory=dict)
    #: Upheld complaints with a recorded "no wider lesson" decision: (complaint id, when it closed).
    no_lesson: list[tuple[int, dt.datetime]] = field(default_factory=list)
    #: Due dates moved after authorisation: (action id, from, to, when).
    due_changes: list[tuple[int, dt.date, dt.date, dt.datetime]] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)

    @property
    def today(self) -> dt.datetime:
        return TODAY

    @property
    def first_staff_id(self) -> int:
        return self.sizes["residents"] + 1

    @property
    def accounts(self) -> int:
        return self.sizes["residents"] + self.sizes["staff"] + self.sizes["managers"] + self.sizes["admins"]

    def moment(self, days: int) -> dt.datetime:
        """A whole-second moment within the ``days`` before today."""
        return TODAY - dt.timedelta(seconds=self.rng.randrange(days * 86_400))
