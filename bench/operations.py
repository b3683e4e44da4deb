"""The operations measured: real GraphQL text, the person who sends it, and its hand-written floor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from peewee import SQL, fn

from backend.accounts.models import UserRole
from backend.context import Actor
from bench import BenchError, floor
from bench.dataset import TODAY
from bench.models import BenchComplaint

LESSONS_PAGE = """
query LessonsPage($first: Int!) {
  lessons(first: $first, orderBy: [{field: openedOn, direction: DESC}]) {
    totalCount
    pageInfo { hasNextPage }
    nodes {
      id
      title
      status
      openedOn
      openActions
      complaintCount
      themes(first: 10) { theme { id name } }
      actions(first: 5, where: {done: {eq: false}}) { id title dueOn }
    }
  }
}
"""

MY_COMPLAINTS = """
query MyComplaints($first: Int!) {
  complaints(first: $first) {
    totalCount
    pageInfo { hasNextPage }
    nodes {
      id
      reference
      status
      stage
      receivedAt
      closedAt
      theme { name }
      lesson { id title }
    }
  }
}
"""

COMPLAINTS_BY_MONTH_AND_THEME = """
query ComplaintsByMonthAndTheme($since: DateTime!) {
  complaintsAggregate(groupBy: [month, theme], where: {receivedAt: {gte: $since}}) {
    key { month theme }
    count
  }
}
"""

PEOPLE_SEARCH = """
query PeopleSearch($search: String!, $channel: String!, $first: Int!) {
  people(search: $search, where: {contactChannel: {eq: $channel}}, first: $first) {
    totalCount
    nodes {
      id
      displayName
      email
      contactChannel
      home { id reference postcode }
    }
  }
}
"""

PAGE_SIZE = 50
#: The page sizes run to show that the statement count does not grow with the page.
PAGE_SIZE_CHECK = (10, 100)
SEARCH_TEXT = "jones"
SEARCH_CHANNEL = "email"
#: The monthly report covers the year before the dataset's "today".
SINCE = TODAY - dt.timedelta(days=365)


@dataclass
class Operation:
    """One request: GraphQL text and variables sent as ``actor``, and ``floor(database)`` giving the same JSON."""

    key: str
    title: str
    actor: Actor
    query: str
    variables: dict[str, Any]
    floor: Callable[[Any], str]
    notes: dict[str, Any] = field(default_factory=dict)


def first_with_role(role: str) -> int:
    row = UserRole.select(fn.MIN(UserRole.user)).where(UserRole.role == role).scalar()
    if row is None:
        raise BenchError(f"the benchmark database has nobody with the {role} role; run with --regenerate")
    return int(row)


def busiest_resident() -> tuple[int, int]:
    """The resident with the most complaints (the lowest id among equals), and how many they have."""
    count = fn.COUNT(BenchComplaint.id)
    row = (
        BenchComplaint.select(BenchComplaint.resident, count.alias("n"))
        .group_by(BenchComplaint.resident)
        .order_by(SQL("n").desc(), BenchComplaint.resident)
        .tuples()
        .first()
    )
    if row is None:
        raise BenchError("the benchmark database has no complaints; run with --regenerate")
    return int(row[0]), int(row[1])


def lessons_page(staff: Actor, first: int = PAGE_SIZE) -> Operation:
    return Operation(
        "lessons_page",
        f"lessons page ({first}, staff)",
        staff,
        LESSONS_PAGE,
        {"first": first},
        partial(floor.lessons_page, first=first, themes=10, actions=5),
    )


def operations() -> list[Operation]:
    """The measured set, with actors taken from the benchmark database."""
    staff = Actor(user_id=first_with_role("staff"), roles=frozenset({"staff"}))
    manager = Actor(user_id=first_with_role("manager"), roles=frozenset({"manager"}))
    resident_id, complaints = busiest_resident()
    resident = Actor(user_id=resident_id, roles=frozenset({"resident"}))
    return [
        lessons_page(staff),
        Operation(
            "resident_cases",
            "a resident's own cases",
            resident,
            MY_COMPLAINTS,
            {"first": 20},
            partial(floor.resident_cases, resident_id=resident_id, first=20),
            {"resident_complaints": complaints},
        ),
        Operation(
            "monthly_by_theme",
            "complaints per month and theme (manager)",
            manager,
            COMPLAINTS_BY_MONTH_AND_THEME,
            {"since": SINCE.isoformat()},
            partial(floor.complaints_by_month_and_theme, since=SINCE),
        ),
        Operation(
            "people_search",
            f'people search "{SEARCH_TEXT}", {SEARCH_CHANNEL} (staff)',
            staff,
            PEOPLE_SEARCH,
            {"search": SEARCH_TEXT, "channel": SEARCH_CHANNEL, "first": 25},
            partial(floor.people_search, words=[SEARCH_TEXT], channel=SEARCH_CHANNEL, first=25),
        ),
    ]
