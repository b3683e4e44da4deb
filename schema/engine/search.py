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
import re
from typing import Any

from peewee import SQL, NodeList

from schema.engine.declare import Resource

WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 8


def words(text: str) -> list[str]:
    """The searchable words in ``text``: letters and digits only, at most MAX_WORDS."""
    return [w.lower() for w in WORD.findall(text)][:MAX_WORDS]


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

    def condition(self, scope: Any) -> Any:
        if not self.words:
            return SQL("1 = 0")
        if self.dialect == "postgres":
            inner = SQL(
                f'(SELECT "id" FROM "{self.table}_search" WHERE "document" @@ to_tsquery(\'simple\', %s))',
                [self._tsquery()],
            )
        else:
            inner = SQL(
                f'(SELECT rowid FROM "{self.table}_fts" WHERE "{self.table}_fts" MATCH ?)', [self._fts5_query()]
            )
        return NodeList((scope.pk, SQL("IN"), inner))

    def rank(self, scope: Any) -> Any:
        """A correlated rank for each row (only rows that match are ever ranked)."""
        if self.dialect == "postgres":
            # As double precision: a float4 rank would not survive the trip through a cursor exactly.
            sql = (
                f'(SELECT ts_rank("document", to_tsquery(\'simple\', %s))::float8 FROM "{self.table}_search" '
                f'WHERE "{self.table}_search"."id" = '
            )
            return NodeList((SQL(sql, [self._tsquery()]), scope.pk, SQL(")")), glue="")
        sql = f'(SELECT bm25("{self.table}_fts") FROM "{self.table}_fts" WHERE "{self.table}_fts" MATCH ? AND rowid = '
        return NodeList((SQL(sql, [self._fts5_query()]), scope.pk, SQL(")")), glue="")


def make_search(resource: Resource, text: str, request: Any) -> Search:
    return Search(resource, text, request.dialect)
