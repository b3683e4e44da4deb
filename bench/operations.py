"""The operations measured: real GraphQL text, the person who sends it, and its hand-written floor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from graphql import DocumentNode, FragmentDefinitionNode, FragmentSpreadNode, OperationDefinitionNode, parse, print_ast
from peewee import SQL, fn

from backend.accounts.models import UserRole
from backend.complaints.models import Complaint, Contact
from backend.context import Actor
from bench import BenchError, floor
from bench.dataset import TODAY

#: The portal's named operations; the bench reads them as text and never imports the portal.
PORTAL_OPERATIONS = Path(__file__).resolve().parent.parent / "portal" / "operations"

# The lessons log's rows as the console shows them: 50 lessons in the log, newest first, each with its themes, its
# open actions and how many complaints it came from. The portal's own ConsoleLessons is measured too once it exists
# (it asks for more per row); this text keeps to fields every declaration of Lesson serves, so it has a floor.
LESSONS_PAGE = """
query LessonsPage($first: Int!) {
  lessons(
    first: $first
    where: {archivedAt: {isNull: true}}
    orderBy: [{field: identifiedOn, direction: DESC}, {field: id, direction: DESC}]
  ) {
    totalCount
    pageInfo { hasNextPage }
    nodes {
      id
      reference
      title
      status
      identifiedOn
      openActionCount
      complaintCount
      themes(orderBy: [{field: linkedAt}, {field: id}]) { theme { id name } }
    }
  }
}
"""

# The console's queue with each complaint's running clocks as well: what the page would send if it showed
# which deadline is next (the portal's ConsoleComplaintQueue does not ask for clocks yet).
CONSOLE_QUEUE_WITH_CLOCKS = """
query ConsoleComplaintQueueWithClocks($where: ComplaintWhere, $after: String) {
  complaints(where: $where, orderBy: [{field: nextDueOn}, {field: id}], first: 25, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      reference
      stage
      status
      team
      nation
      nextDueOn
      resident { displayName }
      handler { id displayName }
      contact { anonymous people { name postcode } }
      awaitingSignOff: responseDrafts(where: {status: {eq: awaiting}}, first: 5) { stage }
      clocks(where: {status: {eq: running}}) { kind dueOn }
    }
  }
}
"""

COMPLAINTS_BY_MONTH_AND_TEAM = """
query ComplaintsByMonthAndTeam($since: DateTime!) {
  complaintsAggregate(groupBy: [month, team], where: {createdAt: {gte: $since}}) {
    key { month team }
    count
  }
}
"""

PEOPLE_SEARCH = """
query PeopleSearch($search: String!, $channel: PreferredChannel!, $first: Int!) {
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
#: The resident's cases page shows this many contacts (portal/complaints/cases.py PAGE_SIZE).
CASES_PAGE_SIZE = 20
#: The statuses of the console's queues (portal/console/complaints/cases.py ACTIVE).
ACTIVE = ["received", "open", "responded"]
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
    #: The hand-written SQL giving the same JSON; None where the bench has none (pages measured as the portal sends
    #: them, whose floor would be the page's own SQL written twice).
    floor: Callable[[Any], str] | None
    notes: dict[str, Any] = field(default_factory=dict)


def first_with_role(role: str) -> int:
    row = UserRole.select(fn.MIN(UserRole.user)).where(UserRole.role == role).scalar()
    if row is None:
        raise BenchError(f"the benchmark database has nobody with the {role} role; run with --regenerate")
    return int(row)


def portal_operations() -> tuple[dict[str, OperationDefinitionNode], dict[str, FragmentDefinitionNode]]:
    """The portal's named operations and fragments, by name."""
    operations: dict[str, OperationDefinitionNode] = {}
    fragments: dict[str, FragmentDefinitionNode] = {}
    for path in sorted(PORTAL_OPERATIONS.glob("*.graphql")):
        for definition in parse(path.read_text(), no_location=True).definitions:
            if isinstance(definition, OperationDefinitionNode) and definition.name is not None:
                operations[definition.name.value] = definition
            elif isinstance(definition, FragmentDefinitionNode):
                fragments[definition.name.value] = definition
    return operations, fragments


def has_portal_operation(name: str) -> bool:
    return name in portal_operations()[0]


def portal_operation(name: str) -> str:
    """The document the portal sends for operation ``name``: it and the fragments it uses, printed canonically.

    Built as ``portal.operations.registry`` builds it. Raises :class:`BenchError` if there is no such operation.
    """
    operations, fragments = portal_operations()
    if name not in operations:
        raise BenchError(f"the portal has no operation {name} in {PORTAL_OPERATIONS}")
    used: set[str] = set()
    stack: list[object] = [operations[name]]
    while stack:
        node = stack.pop()
        if isinstance(node, FragmentSpreadNode) and node.name.value not in used:
            used.add(node.name.value)
            stack.append(fragments[node.name.value])
            continue
        for key in getattr(node, "keys", ()):
            value = getattr(node, key, None)
            stack.extend(value if isinstance(value, (tuple, list)) else (value,))
    definitions = (operations[name], *(fragments[f] for f in sorted(used)))
    return print_ast(DocumentNode(definitions=definitions))


def busiest_resident() -> tuple[int, int]:
    """The resident who has been in touch most (the lowest id among equals), and how many contacts they made."""
    count = fn.COUNT(Contact.id)
    row = (
        Contact.select(Contact.resident, count.alias("n"))
        .where(Contact.resident.is_null(False))
        .group_by(Contact.resident)
        .order_by(SQL("n").desc(), Contact.resident)
        .tuples()
        .first()
    )
    if row is None:
        raise BenchError("the benchmark database has no contacts; run with --regenerate")
    return int(row[0]), int(row[1])


def handlers_with_active_complaints() -> list[tuple[int, int]]:
    """(handler id, active complaints) for every member of staff handling any, the busiest first."""
    count = fn.COUNT(Complaint.id)
    return [
        (int(handler), int(active))
        for handler, active in Complaint.select(Complaint.handler, count.alias("n"))
        .where(Complaint.handler.is_null(False), Complaint.status.in_(ACTIVE))
        .group_by(Complaint.handler)
        .order_by(SQL("n").desc(), Complaint.handler)
        .tuples()
    ]


def busiest_handler() -> tuple[int, int]:
    """The member of staff with the most active complaints (the lowest id among equals), and how many."""
    handlers = handlers_with_active_complaints()
    if not handlers:
        raise BenchError("the benchmark database has no active complaints with a handler; run with --regenerate")
    return handlers[0]


def lessons_page(staff: Actor, first: int = PAGE_SIZE) -> Operation:
    return Operation(
        "lessons_page",
        f"lessons page ({first}, staff)",
        staff,
        LESSONS_PAGE,
        {"first": first},
        partial(floor.lessons_page, first=first),
    )


#: The portal operations of the lessons pages, measured when the console has them: (key, title, operation,
#: variables). The log's where is what portal/console/lessons/log.py sends with no filter chosen.
PORTAL_LESSON_PAGES = (
    (
        "lessons_log",
        "lessons log as the console asks (50, staff)",
        "ConsoleLessons",
        {"where": {"and": [{"archivedAt": {"isNull": True}}]}, "after": None, "first": PAGE_SIZE},
    ),
    ("themes_dashboard", "themes dashboard (staff)", "ConsoleThemes", {"after": None, "first": PAGE_SIZE}),
)


def portal_lesson_pages(staff: Actor) -> list[Operation]:
    """The console's lessons log and themes dashboard as the portal sends them, where it has them yet."""
    return [
        Operation(key, title, staff, portal_operation(name), variables, None, {"portal_operation": name})
        for key, title, name, variables in PORTAL_LESSON_PAGES
        if has_portal_operation(name)
    ]


def my_cases(resident: Actor, contacts: int) -> Operation:
    """The resident portal's "my cases" page: ResidentCases, with the variables portal/complaints/cases.py sends."""
    mine = {"resident": {"id": {"eq": str(resident.user_id)}}}
    return Operation(
        "my_cases",
        "my cases (resident)",
        resident,
        portal_operation("ResidentCases"),
        {"where": mine, "first": CASES_PAGE_SIZE, "after": None},
        partial(floor.my_cases, resident_id=resident.user_id, first=CASES_PAGE_SIZE),
        {"resident_contacts": contacts},
    )


def my_complaints(handler: Actor, active: int, with_clocks: bool = False) -> Operation:
    """The console's "my complaints" queue, by due date, as portal/console/complaints/cases.py asks for it."""
    where = {"status": {"in": ACTIVE}, "handler": {"id": {"eq": str(handler.user_id)}}}
    return Operation(
        "my_complaints_clocks" if with_clocks else "my_complaints",
        f"my complaints by due date{' + running clocks' if with_clocks else ''} (staff)",
        handler,
        CONSOLE_QUEUE_WITH_CLOCKS if with_clocks else portal_operation("ConsoleComplaintQueue"),
        {"where": where, "after": None},
        partial(floor.my_complaints, handler_id=handler.user_id, statuses=ACTIVE, first=25, clocks=with_clocks),
        {"handler_active_complaints": active},
    )


def operations() -> list[Operation]:
    """The measured set, with actors taken from the benchmark database."""
    staff = Actor(user_id=first_with_role("staff"), roles=frozenset({"staff"}))
    manager = Actor(user_id=first_with_role("manager"), roles=frozenset({"manager"}))
    resident_id, contacts = busiest_resident()
    resident = Actor(user_id=resident_id, roles=frozenset({"resident"}))
    handler_id, active = busiest_handler()
    handler = Actor(user_id=handler_id, roles=frozenset({"staff"}))
    return [
        lessons_page(staff),
        *portal_lesson_pages(staff),
        my_cases(resident, contacts),
        my_complaints(handler, active),
        my_complaints(handler, active, with_clocks=True),
        Operation(
            "monthly_by_team",
            "complaints per month and team (manager)",
            manager,
            COMPLAINTS_BY_MONTH_AND_TEAM,
            {"since": SINCE.isoformat() + "Z"},  # the dataset is in UTC
            partial(floor.complaints_by_month_and_team, since=SINCE),
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
