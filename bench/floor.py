"""The floor: each operation's rows fetched with hand-written SQL and dumped as the same JSON the engine returns.

Each function runs its statements through the database's own ``execute_sql`` (the same driver and
connection the engine uses) and returns ``json.dumps`` of the ``data`` the GraphQL request answers
with. The runner checks once that the two agree, so the comparison is like for like.

SQL is written with ``?`` and switched to ``%s`` for PostgreSQL. Only placeholders are ever
formatted into it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from backend.db import is_postgres


def run(database: Any, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    if database.param != "?":
        sql = sql.replace("?", database.param)
    return database.execute_sql(sql, tuple(params)).fetchall()


def placeholders(count: int) -> str:
    return ", ".join("?" * count)


def iso(value: Any) -> str | None:
    """A date or time as GraphQL writes it; SQLite hands back text, PostgreSQL objects."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.replace(" ", "T")
    return value.isoformat()


LESSONS = """
SELECT l.id, l.title, l.status, l.opened_on,
       (SELECT COUNT(*) FROM bench_action a WHERE a.lesson_id = l.id AND a.done = ?),
       (SELECT COUNT(*) FROM bench_complaint c WHERE c.lesson_id = l.id)
FROM bench_lesson l
ORDER BY l.opened_on DESC, l.id
LIMIT ?"""
LESSON_THEMES = """
SELECT lt.lesson_id, t.id, t.name
FROM bench_lesson_theme lt JOIN bench_theme t ON t.id = lt.theme_id
WHERE lt.lesson_id IN ({ids})
ORDER BY lt.lesson_id, lt.id"""
OPEN_ACTIONS = """
SELECT lesson_id, id, title, due_on FROM (
  SELECT a.lesson_id, a.id, a.title, a.due_on,
         ROW_NUMBER() OVER (PARTITION BY a.lesson_id ORDER BY a.due_on, a.id) AS rn
  FROM bench_action a
  WHERE a.lesson_id IN ({ids}) AND a.done = ?
) AS numbered
WHERE rn <= ?
ORDER BY lesson_id, rn"""


def lessons_page(database: Any, first: int, themes: int, actions: int) -> str:
    """The console's lessons page: newest first, with themes, open actions and counts."""
    rows = run(database, LESSONS, (False, first + 1))
    page = rows[:first]
    ids = [row[0] for row in page]
    total = run(database, "SELECT COUNT(*) FROM bench_lesson")[0][0]
    by_lesson: dict[int, dict[str, list[Any]]] = {i: {"themes": [], "actions": []} for i in ids}
    if ids:
        in_ids = placeholders(len(ids))
        for lesson, theme_id, name in run(database, LESSON_THEMES.format(ids=in_ids), ids):
            if len(by_lesson[lesson]["themes"]) < themes:
                by_lesson[lesson]["themes"].append({"theme": {"id": str(theme_id), "name": name}})
        for lesson, action_id, title, due in run(database, OPEN_ACTIONS.format(ids=in_ids), (*ids, False, actions)):
            by_lesson[lesson]["actions"].append({"id": str(action_id), "title": title, "dueOn": iso(due)})
    nodes = [
        {
            "id": str(lesson),
            "title": title,
            "status": status,
            "openedOn": iso(opened),
            "openActions": open_actions,
            "complaintCount": complaints,
            **by_lesson[lesson],
        }
        for lesson, title, status, opened, open_actions, complaints in page
    ]
    data = {"lessons": {"totalCount": total, "pageInfo": {"hasNextPage": len(rows) > first}, "nodes": nodes}}
    return json.dumps(data)


CASES = """
SELECT c.id, c.reference, c.status, c.stage, c.received_at, c.closed_at, t.id, t.name, l.id, l.title
FROM bench_complaint c
LEFT JOIN bench_theme t ON t.id = c.theme_id
LEFT JOIN bench_lesson l ON l.id = c.lesson_id AND l.status = ?
WHERE c.resident_id = ?
ORDER BY c.received_at DESC, c.id
LIMIT ?"""


def resident_cases(database: Any, resident_id: int, first: int) -> str:
    """A resident's own complaints, newest first, with the theme and the published lesson each fed."""
    rows = run(database, CASES, ("published", resident_id, first + 1))
    total = run(database, "SELECT COUNT(*) FROM bench_complaint WHERE resident_id = ?", (resident_id,))[0][0]
    nodes = [
        {
            "id": str(row[0]),
            "reference": row[1],
            "status": row[2],
            "stage": row[3],
            "receivedAt": iso(row[4]),
            "closedAt": iso(row[5]),
            "theme": {"name": row[7]} if row[6] is not None else None,
            "lesson": {"id": str(row[8]), "title": row[9]} if row[8] is not None else None,
        }
        for row in rows[:first]
    ]
    data = {"complaints": {"totalCount": total, "pageInfo": {"hasNextPage": len(rows) > first}, "nodes": nodes}}
    return json.dumps(data)


MONTHLY_SQLITE = """
SELECT strftime('%Y-%m', received_at), theme_id, COUNT(*)
FROM bench_complaint WHERE received_at >= ?
GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 1000"""
MONTHLY_POSTGRES = """
SELECT to_char(received_at, 'YYYY-MM'), theme_id, COUNT(*)
FROM bench_complaint WHERE received_at >= ?
GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 1000"""


def complaints_by_month_and_theme(database: Any, since: dt.datetime) -> str:
    """Complaints received since ``since``, counted per month and theme."""
    if is_postgres():
        rows = run(database, MONTHLY_POSTGRES, (since,))
    else:
        rows = run(database, MONTHLY_SQLITE, (since.isoformat(" "),))  # as SQLite stores it
    groups = [{"key": {"month": month, "theme": str(theme)}, "count": count} for month, theme, count in rows]
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
