"""The database behind a proxy, and the one transaction helper every service uses.

``db`` is initialised from a URL by the app factory, the worker and the CLI. Services wrap their
work in :func:`transaction`, which nests (savepoints inside) and runs the callbacks registered
with :func:`after_commit` only once the outermost block has committed.
"""

from __future__ import annotations

import contextvars
import json
import logging
import math
import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlparse

import peewee
from peewee import (
    DatabaseError,
    DatabaseProxy,
    InterfaceError,
    Model,
    OperationalError,
    PostgresqlDatabase,
    SqliteDatabase,
    TextField,
)
from playhouse.postgres_ext import PooledPsycopg3Database

from backend.config import resolve_sqlite_path

logger = logging.getLogger(__name__)

db = DatabaseProxy()


def _render_subqueries_once() -> None:
    """Make peewee write ``x IN (subquery)`` by rendering the subquery once, not twice.

    Before writing ``x IN rhs``, peewee renders ``rhs`` on its own to see whether it is the empty list ``()``
    (PostgreSQL refuses ``IN ()``), then renders it again for the statement. A subquery that itself holds an
    ``IN (subquery)`` is so rendered four times, and so on: the cost doubles with each level. The access rules
    nest subqueries several deep, so this was most of a staff page's time. A SELECT is never ``()``, so for one
    the answer is known without rendering it; lists, tuples and values are checked as before.
    """
    check = getattr(peewee.Expression, "_is_rhs_empty", None)
    if check is None:  # a peewee that no longer checks this way
        return

    def is_rhs_empty(self: peewee.Expression, rhs: Any, ctx: Any) -> bool:
        if isinstance(rhs, peewee.SelectBase):
            return False
        return bool(check(self, rhs, ctx))

    setattr(peewee.Expression, "_is_rhs_empty", is_rhs_empty)  # noqa: B010 - a private method peewee lacks stubs for


_render_subqueries_once()

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
        make_private(path)
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


SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def make_private(path: Path) -> None:
    """Create the SQLite file ``path`` readable and writable by its owner only (0600), before SQLite opens it.

    An existing file, and any write-ahead log or shared-memory file beside it, is made 0600 too.
    SQLite gives the -wal, -shm and -journal files it creates later the database file's own mode.
    """
    if path.name == ":memory:":
        return
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass
    for candidate in (path, *(path.with_name(path.name + suffix) for suffix in SQLITE_COMPANIONS)):
        if not candidate.exists():
            continue
        try:
            candidate.chmod(0o600)
        except PermissionError:
            # Someone else's file that we may still use; say so rather than refuse to start.
            logger.warning("could not make %s readable by its owner only", candidate)


def init_database(url: str, instance_path: Path | None = None) -> Any:
    """Point the proxy at the database for ``url`` and return it."""
    database = make_database(url, instance_path)
    db.initialize(database)
    return database


class DatabaseUnavailable(Exception):
    """The database could not be reached or used just now; trying again later may work."""


QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement stopped by statement_timeout


def database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error``, or an error it was raised from, says the database cannot be reached or used just now.

    That is peewee's ``OperationalError`` or ``InterfaceError``: a refused or lost connection, a server shutting
    down, a SQLite file that cannot be opened or is locked. A statement stopped by :func:`time_limit` is not:
    the database answered, the request asked too much of it.
    """
    chain: list[BaseException] = []
    while error is not None and all(error is not seen for seen in chain):
        chain.append(error)
        error = error.__cause__ or error.__context__
    # PostgreSQL's statement_timeout (query_canceled): peewee raises its OperationalError while handling it.
    if any(isinstance(e, TimeLimitExceeded) or getattr(e, "sqlstate", None) == QUERY_CANCELED for e in chain):
        return False
    return any(
        isinstance(e, DatabaseUnavailable)
        or (isinstance(e, OperationalError | InterfaceError) and str(e) != "interrupted")
        for e in chain
    )


def is_postgres() -> bool:
    return isinstance(db.obj, PooledPsycopg3Database)


_depth: contextvars.ContextVar[int] = contextvars.ContextVar("transaction_depth", default=0)
_callbacks: contextvars.ContextVar[list[Callable[[], None]] | None] = contextvars.ContextVar(
    "after_commit_callbacks", default=None
)


def in_transaction() -> bool:
    """Return whether a :func:`transaction` block is open in this context."""
    return _depth.get() > 0


def _begin() -> Any:
    """Return the atomic block for a new outermost transaction.

    Services read and then write in one transaction. On SQLite a plain ``BEGIN`` only takes the
    write lock at the first write, and if another connection wrote in between, that upgrade
    fails at once with "database is locked" (the busy timeout does not apply). ``BEGIN
    IMMEDIATE`` takes the write lock up front and waits for it. PostgreSQL locks rows, not the
    database, and has no such mode.
    """
    if isinstance(db.obj, SqliteDatabase):
        return db.atomic("IMMEDIATE")
    return db.atomic()


@contextmanager
def transaction() -> Iterator[None]:
    """Run the block atomically; after the outermost block commits, run the after-commit callbacks.

    On SQLite the outermost block takes the write lock when it begins (see :func:`_begin`), so
    keep slow work such as password hashing outside it.
    """
    depth = _depth.get()
    if depth == 0:
        _callbacks.set([])
    token = _depth.set(depth + 1)
    try:
        with _begin():
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


class TimeLimitExceeded(Exception):
    """A SQL statement was stopped because the block's time limit of ``limit_ms`` ran out."""

    def __init__(self, limit_ms: int):
        super().__init__(f"stopped after {limit_ms} ms")
        self.limit_ms = limit_ms


@dataclass
class TimeLimit:
    """The budget of one :func:`time_limit` block. ``deadline`` is on the ``time.monotonic`` clock."""

    limit_ms: int
    deadline: float = math.inf
    interrupted: bool = field(default=False)

    @property
    def exceeded(self) -> bool:
        """Whether a statement was stopped, or the block has run past its deadline."""
        return self.interrupted or time.monotonic() >= self.deadline

    def remaining_ms(self) -> int:
        return max(1, math.ceil((self.deadline - time.monotonic()) * 1000))


def check_deadline() -> None:
    """Raise :class:`TimeLimitExceeded` if the innermost :func:`time_limit` block has run past its deadline.

    The limit stops SQL by itself; Python work between statements (compiling a large filter, say)
    calls this now and then so that the limit covers it too. Outside a block it does nothing.
    """
    limit = _active_limit.get()
    if limit is not None and time.monotonic() >= limit.deadline:
        limit.interrupted = True
        raise TimeLimitExceeded(limit.limit_ms)


#: SQLite calls the progress handler every this many virtual-machine instructions.
SQLITE_PROGRESS_STEPS = 1000
_active_limit: contextvars.ContextVar[TimeLimit | None] = contextvars.ContextVar("time_limit", default=None)


@contextmanager
def time_limit(limit_ms: int, database: Any = None) -> Iterator[TimeLimit]:
    """Stop any SQL statement in the block that is still running ``limit_ms`` milliseconds after entry.

    A limit of 0 or less means no limit. Blocks nest; the inner one never outlives the outer.
    A statement that is stopped raises :class:`TimeLimitExceeded` out of the block (the driver's
    error is its ``__cause__``); when something else catches it first, as GraphQL resolvers do,
    ``TimeLimit.exceeded`` tells the caller afterwards. On SQLite the limit covers all the SQL
    the block runs (a progress handler checks the clock); on PostgreSQL it is the connection's
    ``statement_timeout`` for the block, so it bounds each statement rather than their sum.
    """
    database = database if database is not None else db
    outer = _active_limit.get()
    if limit_ms <= 0:
        yield outer if outer is not None else TimeLimit(limit_ms)
        return
    limit = TimeLimit(limit_ms, time.monotonic() + limit_ms / 1000)
    if outer is not None:
        limit.deadline = min(limit.deadline, outer.deadline)
    token = _active_limit.set(limit)
    target = database.obj if isinstance(database, DatabaseProxy) else database
    guard = _postgres_time_limit if isinstance(target, PostgresqlDatabase) else _sqlite_time_limit
    try:
        with guard(database, limit, outer):
            yield limit
    except DatabaseError as error:
        if limit.exceeded:
            raise TimeLimitExceeded(limit_ms) from error
        raise
    finally:
        _active_limit.reset(token)


def _progress_check(limit: TimeLimit) -> Callable[[], int]:
    def check() -> int:
        if time.monotonic() >= limit.deadline:
            limit.interrupted = True
            return 1  # non-zero makes SQLite stop the statement with "interrupted"
        return 0

    return check


@contextmanager
def _sqlite_time_limit(database: Any, limit: TimeLimit, outer: TimeLimit | None) -> Iterator[None]:
    connection = database.connection()
    connection.set_progress_handler(_progress_check(limit), SQLITE_PROGRESS_STEPS)
    try:
        yield
    finally:
        if outer is not None:
            connection.set_progress_handler(_progress_check(outer), SQLITE_PROGRESS_STEPS)
        else:
            connection.set_progress_handler(None, 0)


@contextmanager
def _postgres_time_limit(database: Any, limit: TimeLimit, outer: TimeLimit | None) -> Iterator[None]:
    from psycopg.pq import TransactionStatus  # half a second to import, and only PostgreSQL needs it

    previous = database.execute_sql("SELECT current_setting('statement_timeout')").fetchone()[0]
    # Inside a transaction a cancelled statement poisons it; a savepoint lets the block's end recover.
    savepoint = f"time_limit_{uuid.uuid4().hex}" if database.in_transaction() else None
    if savepoint:
        database.execute_sql(f'SAVEPOINT "{savepoint}"')
    database.execute_sql("SELECT set_config('statement_timeout', %s, false)", (str(limit.remaining_ms()),))
    try:
        yield
    finally:
        if savepoint:
            failed = database.connection().info.transaction_status == TransactionStatus.INERROR
            database.execute_sql(f'{"ROLLBACK TO" if failed else "RELEASE"} SAVEPOINT "{savepoint}"')
        database.execute_sql("SELECT set_config('statement_timeout', %s, false)", (previous,))


@contextmanager
def count_statements(database: Any = None) -> Iterator[list[str]]:
    """Record every SQL statement sent to the database inside the block (benchmarks and tests)."""
    database = database if database is not None else db.obj
    original = database.execute_sql
    seen: list[str] = []

    def counting(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        seen.append(sql)
        return original(sql, params, *args, **kwargs)

    database.execute_sql = counting
    try:
        yield seen
    finally:
        del database.execute_sql
