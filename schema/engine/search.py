"""Full-text search: FTS5 on SQLite, tsvector on PostgreSQL, ranked in both.

Table names in the SQL below come from model metadata, never from a request; the words are
always bound parameters.

Each searchable table has a companion index kept in step by triggers (see the search migration):
``<table>_fts`` (FTS5, external content) on SQLite and ``<table>_search`` (tsvector, GIN) on
PostgreSQL. User input is reduced to words, each matched as a prefix, so no query syntax from the
user ever reaches the search engine.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from typing import Any

from peewee import SQL, NodeList, Table, fn

from schema.engine.declare import Resource

WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 8


def words(text: str) -> list[str]:
    """The searchable words in ``text``: letters and digits only, at most MAX_WORDS.

    The scan stops at the last word kept, so a long text costs no more than a short one.
    """
    return [match.group().lower() for match in itertools.islice(WORD.finditer(text), MAX_WORDS)]


class Search:
    """A search over one resource for one request: a condition and a rank for ordering."""

    def __init__(self, resource: Resource, text: str, dialect: str):
        self.resource = resource
        self.table = resource.model._meta.table_name
        self.words = words(text)
        self.dialect = dialect
        self.signature = hashlib.sha256(" ".join(self.words).encode()).hexdigest()[:12]

    @property
    def descending(self) -> bool:
        # bm25() is smaller for better matches; ts_rank() is larger.
        return self.dialect == "postgres"

    def _fts5_query(self) -> str:
        return " ".join(f'"{w}"*' for w in self.words)

    def _tsquery(self) -> str:
        return " & ".join(f"{w}:*" for w in self.words)

    def ranked(self) -> Any:
        """The matching ids with their score, as a derived table joined once to the page query.

        Joining it (rather than ranking each row in a correlated subquery) runs the full-text
        match once per request, however many rows match.
        """
        if not self.words:
            empty = Table(f"{self.table}_fts" if self.dialect != "postgres" else f"{self.table}_search")
            nothing = empty.select(SQL("CAST(NULL AS INTEGER)").alias("id"), SQL("CAST(NULL AS REAL)").alias("score"))
            return nothing.where(SQL("1 = 0")).alias("ranked")
        if self.dialect == "postgres":
            table = Table(f"{self.table}_search")
            query = SQL("to_tsquery('simple', %s)", [self._tsquery()])
            score = NodeList((SQL("ts_rank("), table.c.document, SQL(", "), query, SQL(")::float8")), glue="")
            return (
                table.select(table.c.id.alias("id"), score.alias("score"))
                .where(NodeList((table.c.document, SQL("@@"), query)))
                .alias("ranked")
            )
        table = Table(f"{self.table}_fts")
        return (
            table.select(SQL("rowid").alias("id"), fn.bm25(SQL(f'"{self.table}_fts"')).alias("score"))
            .where(SQL(f'"{self.table}_fts" MATCH ?', [self._fts5_query()]))
            .alias("ranked")
        )


def make_search(resource: Resource, text: str, request: Any) -> Search:
    return Search(resource, text, request.dialect)
