"""The floor: each operation's rows fetched with hand-written SQL and dumped as the same JSON the engine returns.

Each function runs its statements through the database's own ``execute_sql`` (the same driver and
connection the engine uses) and returns ``json.dumps`` of the ``data`` the GraphQL request answers
with. The runner checks once that the two agree, so the comparison is like for like.

SQL is written with ``?`` and switched to ``%s`` for PostgreSQL. Only placeholders are ever
formatted into it. Pages that hand out an ``endCursor`` seal it as the engine does (with the app's
secret; sealing is deterministic), since a client sends it back to the same API.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from typing import Any

from backend import config
from backend.db import is_postgres
from schema.engine.cursor import CursorCodec


@functools.cache
def _codec(secret: str) -> CursorCodec:
    return CursorCodec(secret)


def cursor(resource: str, ordering: str, values: list[Any]) -> str:
    return _codec(config.current().secret_key).encode(resource, ordering, values)


def run(database: Any, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    if database.param != "?":
        sql = sql.replace("?", database.param)
    return database.execute_sql(sql, tuple(params)).fetchall()


def placeholders(count: int) -> str:
    return ", ".join("?" * count)


def as_datetime(value: Any) -> dt.datetime:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


def as_date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def iso(value: Any) -> str | None:
    """A date or time as GraphQL writes it (a moment in UTC ends in Z); SQLite hands back text, PostgreSQL objects."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.replace(" ", "T")
        return text + "Z" if "T" in text else text
    if isinstance(value, dt.datetime):
        return value.isoformat() + "Z"
    return value.isoformat()


#: Actions in these are finished with, so not open (backend.lessons.lessons.SETTLED).
SETTLED = ("cancelled", "done", "signed_off", "verified")
LESSONS = """
SELECT l.id, l.reference, l.title, l.status, l.identified_on,
       (SELECT COUNT(*) FROM improvement_action a WHERE a.lesson_id = l.id AND a.status NOT IN (?, ?, ?, ?)),
       (SELECT COUNT(DISTINCT s.complaint_id) FROM lesson_source s
        WHERE s.lesson_id = l.id AND s.complaint_id IS NOT NULL)
FROM lesson l
WHERE l.archived_at IS NULL
ORDER BY l.identified_on DESC, l.id DESC
LIMIT ?"""
LESSON_THEMES = """
SELECT lt.lesson_id, t.id, t.name
FROM lesson_theme lt JOIN theme t ON t.id = lt.theme_id
WHERE lt.lesson_id IN ({ids})
ORDER BY lt.lesson_id, lt.linked_at, lt.id"""


def lessons_page(database: Any, first: int) -> str:
    """The lessons log: lessons in the log, newest first, with their themes and counts."""
    rows = run(database, LESSONS, (*SETTLED, first + 1))
    page = rows[:first]
    ids = [row[0] for row in page]
    total = run(database, "SELECT COUNT(*) FROM lesson WHERE archived_at IS NULL")[0][0]
    themes: dict[int, list[Any]] = {i: [] for i in ids}
    if ids:
        for lesson, theme_id, name in run(database, LESSON_THEMES.format(ids=placeholders(len(ids))), ids):
            themes[lesson].append({"theme": {"id": str(theme_id), "name": name}})
    nodes = [
        {
            "id": str(lesson),
            "reference": reference,
            "title": title,
            "status": status,
            "identifiedOn": iso(identified),
            "openActionCount": open_actions,
            "complaintCount": complaints,
            "themes": themes[lesson],
        }
        for lesson, reference, title, status, identified, open_actions, complaints in page
    ]
    data = {"lessons": {"totalCount": total, "pageInfo": {"hasNextPage": len(rows) > first}, "nodes": nodes}}
    return json.dumps(data)


MY_CASES = """
SELECT id, reference, kind, status, channel, received_at, description
FROM contact
WHERE resident_id = ?
ORDER BY received_at DESC, id
LIMIT ?"""
CASE_COMPLAINTS = """
SELECT contact_id, id, stage, status, team, next_due_on
FROM complaint
WHERE contact_id IN ({ids}) AND resident_id = ?
ORDER BY contact_id"""


def my_cases(database: Any, resident_id: int, first: int) -> str:
    """The resident portal's "my cases": their contacts, newest first, each with the complaint it opened.

    A contact opens at most one complaint, so the complaints need no per-contact limit.
    """
    rows = run(database, MY_CASES, (resident_id, first + 1))
    page = rows[:first]
    total = run(database, "SELECT COUNT(*) FROM contact WHERE resident_id = ?", (resident_id,))[0][0]
    complaints: dict[int, list[dict[str, Any]]] = {row[0]: [] for row in page}
    if page:
        ids = [row[0] for row in page]
        sql = CASE_COMPLAINTS.format(ids=placeholders(len(ids)))
        for contact, complaint, stage, status, team, due in run(database, sql, (*ids, resident_id)):
            complaints[contact].append(
                {"id": str(complaint), "stage": stage, "status": status, "team": team, "nextDueOn": iso(due)}
            )
    nodes = [
        {
            "id": str(contact),
            "reference": reference,
            "kind": kind,
            "status": status,
            "channel": channel,
            "receivedAt": iso(received),
            "description": description,
            "complaints": complaints[contact],
        }
        for contact, reference, kind, status, channel, received, description in page
    ]
    end = cursor("Contact", "-receivedAt,id", [as_datetime(page[-1][5]), page[-1][0]]) if page else None
    info = {"hasNextPage": len(rows) > first, "endCursor": end}
    return json.dumps({"contacts": {"totalCount": total, "pageInfo": info, "nodes": nodes}})


MY_COMPLAINTS = """
SELECT c.id, c.reference, c.stage, c.status, c.team, c.nation, c.next_due_on,
       r.id, r.display_name, h.id, h.display_name, ct.id, ct.anonymous
FROM complaint c
LEFT JOIN account r ON r.id = c.resident_id
LEFT JOIN account h ON h.id = c.handler_id
LEFT JOIN contact ct ON ct.id = c.contact_id
WHERE c.handler_id = ? AND c.status IN ({statuses})
ORDER BY c.next_due_on NULLS LAST, c.id
LIMIT ?"""
RUNNING_CLOCKS = """
SELECT complaint_id, kind, due_on
FROM clock
WHERE complaint_id IN ({ids}) AND status = ?
ORDER BY complaint_id, id"""

# The names given by people without an account, for the queue's "who it is from".
CONTACT_PEOPLE = """
SELECT contact_id, name, postcode
FROM contact_person
WHERE contact_id IN ({ids})
ORDER BY contact_id, id"""

# Final responses waiting for a manager's sign-off, which the queue marks.
AWAITING_SIGN_OFF = """
SELECT complaint_id, stage
FROM response_draft
WHERE complaint_id IN ({ids}) AND status = ?
ORDER BY complaint_id, submitted_at, id"""


def my_complaints(database: Any, handler_id: int, statuses: Sequence[str], first: int, clocks: bool) -> str:
    """The console's queue of a handler's active complaints, the one due soonest first (none due last).

    With ``clocks``, each complaint's running clocks too; a complaint has at most two, so no per-complaint limit.
    """
    where = (handler_id, *statuses)
    rows = run(database, MY_COMPLAINTS.format(statuses=placeholders(len(statuses))), (*where, first + 1))
    page = rows[:first]
    total_sql = f"SELECT COUNT(*) FROM complaint WHERE handler_id = ? AND status IN ({placeholders(len(statuses))})"  # noqa: S608
    total = run(database, total_sql, where)[0][0]
    running: dict[int, list[dict[str, Any]]] = {row[0]: [] for row in page}
    if clocks and page:
        ids = [row[0] for row in page]
        for complaint, kind, due in run(database, RUNNING_CLOCKS.format(ids=placeholders(len(ids))), (*ids, "running")):
            running[complaint].append({"kind": kind, "dueOn": iso(due)})
    people: dict[int, list[dict[str, Any]]] = {row[11]: [] for row in page if row[11] is not None}
    if people:
        for contact, person, postcode in run(
            database, CONTACT_PEOPLE.format(ids=placeholders(len(people))), tuple(people)
        ):
            people[contact].append({"name": person, "postcode": postcode})
    awaiting: dict[int, list[dict[str, Any]]] = {row[0]: [] for row in page}
    if page:
        ids = [row[0] for row in page]
        for complaint, draft_stage in run(
            database, AWAITING_SIGN_OFF.format(ids=placeholders(len(ids))), (*ids, "awaiting")
        ):
            if len(awaiting[complaint]) < 5:
                awaiting[complaint].append({"stage": draft_stage})
    nodes = []
    for (
        complaint,
        reference,
        stage,
        status,
        team,
        nation,
        due,
        resident,
        name,
        handler,
        handler_name,
        contact,
        anonymous,
    ) in page:
        node = {
            "id": str(complaint),
            "reference": reference,
            "stage": stage,
            "status": status,
            "team": team,
            "nation": nation,
            "nextDueOn": iso(due),
            "resident": {"displayName": name} if resident is not None else None,
            "handler": {"id": str(handler), "displayName": handler_name} if handler is not None else None,
            "contact": {"anonymous": bool(anonymous), "people": people[contact]} if contact is not None else None,
            "awaitingSignOff": awaiting[complaint],
        }
        if clocks:
            node["clocks"] = running[complaint]
        nodes.append(node)
    end = cursor("Complaint", "nextDueOn,id", [as_date(page[-1][6]), page[-1][0]]) if page else None
    info = {"hasNextPage": len(rows) > first, "endCursor": end}
    return json.dumps({"complaints": {"totalCount": total, "pageInfo": info, "nodes": nodes}})


MONTHLY_SQLITE = """
SELECT strftime('%Y-%m', created_at), team, COUNT(*)
FROM complaint WHERE created_at >= ?
GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 1000"""
MONTHLY_POSTGRES = """
SELECT to_char(created_at, 'YYYY-MM'), team, COUNT(*)
FROM complaint WHERE created_at >= ?
GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 1000"""


def complaints_by_month_and_team(database: Any, since: dt.datetime) -> str:
    """Complaints opened since ``since``, counted per month and handling team (none: not yet assigned)."""
    if is_postgres():
        rows = run(database, MONTHLY_POSTGRES, (since,))
    else:
        rows = run(database, MONTHLY_SQLITE, (since.isoformat(" "),))  # as SQLite stores it
    groups = [{"key": {"month": month, "team": team}, "count": count} for month, team, count in rows]
    return json.dumps({"complaintsAggregate": groups})


SEARCH_SQLITE = """
SELECT a.id, a.display_name, a.email, a.contact_channel, h.id, h.reference, h.postcode
FROM account_fts JOIN account a ON a.id = account_fts.rowid
LEFT JOIN home h ON h.id = a.home_id
WHERE account_fts MATCH ? AND a.contact_channel = ?
ORDER BY bm25(account_fts), a.display_name, a.id
LIMIT ?"""
SEARCH_COUNT_SQLITE = """
SELECT COUNT(*) FROM account_fts JOIN account a ON a.id = account_fts.rowid
WHERE account_fts MATCH ? AND a.contact_channel = ?"""
SEARCH_POSTGRES = """
SELECT a.id, a.display_name, a.email, a.contact_channel, h.id, h.reference, h.postcode
FROM account_search s JOIN account a ON a.id = s.id
LEFT JOIN home h ON h.id = a.home_id
WHERE s.document @@ to_tsquery('simple', ?) AND a.contact_channel = ?
ORDER BY ts_rank(s.document, to_tsquery('simple', ?))::float8 DESC, a.display_name, a.id
LIMIT ?"""
SEARCH_COUNT_POSTGRES = """
SELECT COUNT(*) FROM account_search s JOIN account a ON a.id = s.id
WHERE s.document @@ to_tsquery('simple', ?) AND a.contact_channel = ?"""


def people_search(database: Any, words: Sequence[str], channel: str, first: int) -> str:
    """People whose name or email has words starting with ``words``, with one contact channel, best match first."""
    if is_postgres():
        match = " & ".join(f"{w}:*" for w in words)
        rows = run(database, SEARCH_POSTGRES, (match, channel, match, first))
        total = run(database, SEARCH_COUNT_POSTGRES, (match, channel))[0][0]
    else:
        match = " ".join(f'"{w}"*' for w in words)
        rows = run(database, SEARCH_SQLITE, (match, channel, first))
        total = run(database, SEARCH_COUNT_SQLITE, (match, channel))[0][0]
    nodes = [
        {
            "id": str(row[0]),
            "displayName": row[1],
            "email": row[2],
            "contactChannel": row[3],
            "home": {"id": str(row[4]), "reference": row[5], "postcode": row[6]} if row[4] is not None else None,
        }
        for row in rows
    ]
    return json.dumps({"people": {"totalCount": total, "nodes": nodes}})
