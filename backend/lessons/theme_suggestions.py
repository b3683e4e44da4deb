"""Suggest themes for a lesson by text similarity, ranked by the database's own full-text ranking.

Each theme in use is one document with three parts, weighted in that order: its internal name, its resident-facing
names and descriptions in every language, and the titles, early lessons and events of the lessons already linked
to it. The lesson's own title, early lesson and event are the query: their words (less common short words), any of
which may match. SQLite ranks with FTS5's bm25(), PostgreSQL with ts_rank() over to_tsvector(); both stem English
words, so "leaks" finds "leak". No model is downloaded and nothing is linked: staff confirm each suggestion.

The index is built when it is asked for, from the tables as they are (a query-time index), so it can never be out
of step with a theme, a text, a link or a lesson, whoever changed them and however. On SQLite the documents go into
a temporary FTS5 table of the connection (never written to the database file); on PostgreSQL the documents are a
subquery that ``to_tsvector`` reads. A landlord has tens or hundreds of themes, so building it costs a few
milliseconds; the lessons read per theme are capped (the latest MAX_LESSONS_PER_THEME) so a long-lived theme costs
no more than a new one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from peewee import PostgresqlDatabase

from backend.db import db
from backend.errors import NotFound
from backend.lessons.models import Lesson, LessonTheme, Theme, ThemeText

WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 64
MAX_SUGGESTIONS = 5
MAX_LESSONS_PER_THEME = 50
#: Common English and Welsh words that say nothing about a theme.
STOP_WORDS = frozenset(
    "the and for with was were are this that from have has had not but they their them you your our out"
    " into about after before when what which who been being than then there here also more some any all"
    " very can could would should will did does its his her she him one two yn ac ar am at ei eu i o y yr"
    " mae roedd oedd wedi bod gyda ond fel hefyd".split()
)


@dataclass(frozen=True)
class Suggestion:
    """A theme suggested for a lesson, with its relevance (higher: closer) for ordering."""

    theme_id: int
    name: str
    score: float


def query_words(text: str) -> list[str]:
    """The distinct words of ``text`` worth matching: letters and digits, 3 or more long, not common words."""
    seen: dict[str, None] = {}
    for match in WORD.finditer(text.lower()):
        word = match.group()
        if len(word) >= 3 and word not in STOP_WORDS and not word.isdigit():
            seen.setdefault(word, None)
        if len(seen) >= MAX_WORDS:
            break
    return list(seen)


def _documents(exclude_lesson: int) -> list[tuple[int, str, str, str]]:
    """(theme id, internal name, resident texts, linked lessons' texts) for each theme in use."""
    themes = {
        t.id: t.name
        for t in Theme.select(Theme.id, Theme.name).where(Theme.archived_at.is_null(), Theme.merged_into.is_null())
    }
    if not themes:
        return []
    texts: dict[int, list[str]] = {}
    for row in ThemeText.select(ThemeText.theme, ThemeText.name, ThemeText.description).where(
        ThemeText.theme.in_(list(themes))
    ):
        texts.setdefault(row.theme_id, []).extend((row.name, row.description))  # type: ignore[attr-defined]
    lessons: dict[int, list[str]] = {}
    linked: Any = (
        LessonTheme.select(LessonTheme.theme, Lesson.title, Lesson.early_lesson, Lesson.event_summary)
        .join(Lesson)
        .where(LessonTheme.theme.in_(list(themes)), Lesson.id != exclude_lesson)
        .order_by(LessonTheme.theme, LessonTheme.linked_at.desc())
    )
    for theme_id, title, early, event in linked.tuples():
        parts = lessons.setdefault(theme_id, [])
        if len(parts) < MAX_LESSONS_PER_THEME * 3:
            parts.extend((title, early, event))
    return [
        (theme_id, name, " ".join(texts.get(theme_id, [])), " ".join(lessons.get(theme_id, [])))
        for theme_id, name in themes.items()
    ]


def _rank_sqlite(documents: list[tuple[int, str, str, str]], words: list[str]) -> list[tuple[int, float]]:
    db.execute_sql(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.theme_match USING fts5(name, texts, lessons, "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    db.execute_sql("DELETE FROM temp.theme_match")
    cursor = db.cursor()
    cursor.executemany("INSERT INTO temp.theme_match(rowid, name, texts, lessons) VALUES (?, ?, ?, ?)", documents)
    match = " OR ".join(f'"{word}"' for word in words)  # words are \w+ only: no query syntax reaches FTS5
    rows = db.execute_sql(
        "SELECT rowid, bm25(theme_match, 4.0, 2.0, 1.0) AS score FROM temp.theme_match "
        "WHERE theme_match MATCH ? ORDER BY score, rowid LIMIT ?",
        (match, MAX_SUGGESTIONS),
    ).fetchall()
    db.execute_sql("DELETE FROM temp.theme_match")
    return [(int(theme_id), -float(score)) for theme_id, score in rows]  # bm25 is smaller for better matches


def _rank_postgres(documents: list[tuple[int, str, str, str]], words: list[str]) -> list[tuple[int, float]]:
    rows = db.execute_sql(
        "WITH doc(id, name, texts, lessons) AS (SELECT * FROM unnest(%s::int[], %s::text[], %s::text[], %s::text[])), "
        "vec AS (SELECT id, setweight(to_tsvector('english', name), 'A') || "
        "setweight(to_tsvector('english', texts), 'B') || setweight(to_tsvector('english', lessons), 'C') AS v "
        "FROM doc), q AS (SELECT to_tsquery('english', %s) AS q) "
        "SELECT id, ts_rank(v, q.q)::float8 AS score FROM vec, q WHERE v @@ q.q ORDER BY score DESC, id LIMIT %s",
        (
            [d[0] for d in documents],
            [d[1] for d in documents],
            [d[2] for d in documents],
            [d[3] for d in documents],
            " | ".join(words),  # words are \w+ only, so they are plain lexemes to to_tsquery
            MAX_SUGGESTIONS,
        ),
    ).fetchall()
    return [(int(theme_id), float(score)) for theme_id, score in rows]


def suggest_themes(lesson_id: int) -> list[Suggestion]:
    """Up to MAX_SUGGESTIONS themes in use for the lesson, closest first, less those already linked to it.

    Empty when its words match no theme. Raises NotFound when there is no such lesson. Callers check who asks.
    """
    lesson = Lesson.get_or_none(Lesson.id == lesson_id)
    if lesson is None:
        raise NotFound("lesson", lesson_id)
    words = query_words(" ".join((lesson.title, lesson.early_lesson, lesson.event_summary)))
    linked = {row.theme_id for row in LessonTheme.select(LessonTheme.theme).where(LessonTheme.lesson == lesson.id)}  # type: ignore[attr-defined]
    documents = [d for d in _documents(lesson.id) if d[0] not in linked]
    if not words or not documents:
        return []
    rank = _rank_postgres if isinstance(db.obj, PostgresqlDatabase) else _rank_sqlite
    ranked = rank(documents, words)
    names = {d[0]: d[1] for d in documents}
    return [Suggestion(theme_id, names[theme_id], score) for theme_id, score in ranked]
