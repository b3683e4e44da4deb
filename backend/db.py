"""The database behind a proxy, and the one transaction helper every service uses.

``db`` is initialised from a URL by the app factory, the worker and the CLI. Services wrap their
work in :func:`transaction`, which nests (savepoints inside) and runs the callbacks registered
with :func:`after_commit` only once the outermost block has committed.
"""

from __future__ import annotations

import contextvars
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlparse

from peewee import DatabaseProxy, Model, SqliteDatabase, TextField
from playhouse.postgres_ext import PooledPsycopg3Database

from backend.config import resolve_sqlite_path

logger = logging.getLogger(__name__)

db = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": "normal",
    "cache_size": -32_000,
}


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


def make_database(url: str, instance_path: Path | None = None) -> Any:
    """Return a peewee database for ``url`` (``sqlite:///…`` or ``postgresql://…``)."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = resolve_sqlite_path(url, instance_path or Path("instance").resolve())
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=5)
    if parsed.scheme in ("postgresql", "postgres"):
        options = dict(parse_qsl(parsed.query))
        max_connections = int(options.pop("max_connections", 20))
        return PooledPsycopg3Database(
            parsed.path.lstrip("/"),
            user=parsed.username,
            password=parsed.password,
            host=parsed.hostname,
            port=parsed.port,
            max_connections=max_connections,
            stale_timeout=300,
            timeout=10,
            **options,
        )
    raise ValueError(f"unsupported database URL scheme {parsed.scheme!r}")


def init_database(url: str, instance_path: Path | None = None) -> Any:
    """Point the proxy at the database for ``url`` and return it."""
    database = make_database(url, instance_path)
    db.initialize(database)
    return database


def is_postgres() -> bool:
    return isinstance(db.obj, PooledPsycopg3Database)


_depth: contextvars.ContextVar[int] = contextvars.ContextVar("transaction_depth", default=0)
_callbacks: contextvars.ContextVar[list[Callable[[], None]] | None] = contextvars.ContextVar(
    "after_commit_callbacks", default=None
)


@contextmanager
def transaction() -> Iterator[None]:
    """Run the block atomically; after the outermost block commits, run the after-commit callbacks."""
    depth = _depth.get()
    if depth == 0:
        _callbacks.set([])
    token = _depth.set(depth + 1)
    try:
        with db.atomic():
            yield
    except BaseException:
        _depth.reset(token)
        if depth == 0:
            _callbacks.set(None)
        raise
    _depth.reset(token)
    if depth == 0:
        callbacks = _callbacks.get() or []
        _callbacks.set(None)
        for callback in callbacks:
            try:
                callback()
            except Exception:
                # The change is committed; a failed hand-off is retried by the periodic sweep.
                logger.exception("after-commit callback failed")


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the current outermost :func:`transaction` commits.

    Outside a transaction the callback runs at once.
    """
    pending = _callbacks.get()
    if pending is None:
        callback()
    else:
        pending.append(callback)


class JSONField(TextField):
    """JSON stored as text, so SQLite and PostgreSQL behave the same."""

    field_type = "TEXT"

    def db_value(self, value: Any) -> str | None:
        return None if value is None else json.dumps(value, sort_keys=True, default=str)

    def python_value(self, value: Any) -> Any:
        return None if value is None else json.loads(value)


@contextmanager
def connection(database: Any = None) -> Iterator[Any]:
    """Use the open connection, or open one for the block and close it after."""
    database = database if database is not None else db
    opened = database.is_closed()
    if opened:
        database.connect()
    try:
        yield database
    finally:
        if opened and not database.is_closed():
            database.close()
