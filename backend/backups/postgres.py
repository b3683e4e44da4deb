"""Dump a PostgreSQL database with ``pg_dump`` in an exported snapshot, and restore a dump with ``pg_restore``.

:func:`snapshot` opens a read-only REPEATABLE READ transaction and exports its snapshot. ``pg_dump --snapshot``
then dumps exactly what that transaction sees, and the caller reads the manifest and counts in the same
transaction while it stays open: the dump and the manifest describe one moment, however busy the site is.

The password never goes on a command line, where any user of the machine could read it: the tools get it in
their environment (``PGPASSWORD``), and the connection string they are given has none.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

# Options our database URL may carry that are the connection pool's, not libpq's.
POOL_OPTIONS = ("max_connections",)
VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")
STDERR_LINES = 5


class ToolProblem(Exception):
    """``pg_dump`` or ``pg_restore`` is missing, too old or failed, or the database cannot be reached; the message
    says which and what to do."""


@dataclass(frozen=True)
class Tool:
    """A PostgreSQL client program found on PATH, and its major version."""

    path: str
    version: str
    major: int


def find_tool(name: str) -> Tool:
    """Find ``name`` (``pg_dump`` or ``pg_restore``) on PATH and read its version.

    Raises :class:`ToolProblem` when it is not there or its version cannot be read.
    """
    path = shutil.which(name)
    if path is None:
        raise ToolProblem(f"{name} was not found on PATH: install the PostgreSQL client programs")
    # The program found on PATH, with fixed arguments: nothing a user sends reaches a command line here.
    output = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30, check=False).stdout  # noqa: S603
    match = VERSION.search(output)
    if match is None:
        raise ToolProblem(f"could not read the version of {path}")
    return Tool(path=path, version=output.strip(), major=int(match.group(1)))


def server_major(connection: Any) -> int:
    """The PostgreSQL server's major version (``server_version_num`` 150004 is 15)."""
    return int(connection.execute("SHOW server_version_num").fetchone()[0]) // 10000


def libpq_target(url: str) -> tuple[str, dict[str, str]]:
    """The connection string to give a client program, without the password, and the environment that holds it."""
    parsed = urlparse(url)
    options = [(key, value) for key, value in parse_qsl(parsed.query) if key not in POOL_OPTIONS]
    netloc = parsed.hostname or ""
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if parsed.port:
        netloc = f"{netloc}:{parsed.port}"
    if parsed.username:
        netloc = f"{parsed.username}@{netloc}"
    conninfo = urlunparse(("postgresql", netloc, parsed.path, "", urlencode(options), ""))
    environment = {"PGPASSWORD": parsed.password} if parsed.password else {}
    return conninfo, environment


@contextmanager
def connect(url: str) -> Iterator[Any]:
    """A psycopg connection to the database ``url`` names; raise :class:`ToolProblem` when it cannot be reached."""
    import psycopg  # half a second to import, and only PostgreSQL needs it

    conninfo, environment = libpq_target(url)
    try:
        connection = psycopg.connect(conninfo, password=environment.get("PGPASSWORD"))
    except psycopg.OperationalError as error:
        raise ToolProblem(f"could not connect to the database: {str(error).strip()}") from None
    with connection:
        yield connection


@contextmanager
def snapshot(url: str) -> Iterator[tuple[Any, str]]:
    """A connection in a read-only REPEATABLE READ transaction, and the id of its exported snapshot.

    The snapshot stays valid for ``pg_dump --snapshot`` for as long as the block runs.
    """
    from psycopg import IsolationLevel  # as in connect(): only PostgreSQL needs psycopg

    with connect(url) as connection:
        connection.isolation_level = IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        # The transaction's first statement fixes its snapshot, so this is the snapshot every later read sees.
        snapshot_id = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        try:
            yield connection, snapshot_id
        finally:
            connection.rollback()


def check_dump_tool(tool: Tool, server: int) -> None:
    """Refuse a ``pg_dump`` older than the server: it cannot dump what a newer server may hold."""
    if tool.major < server:
        raise ToolProblem(
            f"{tool.path} is version {tool.major} but the server is version {server}: "
            f"install the PostgreSQL {server} client programs (or later) and put them first on PATH"
        )


def dump(tool: Tool, url: str, snapshot_id: str, target: Path) -> None:
    """Dump the database in custom format into ``target``, as the exported snapshot sees it.

    Raises :class:`ToolProblem` with the end of ``pg_dump``'s own message when it fails.
    """
    conninfo, environment = libpq_target(url)
    command = [tool.path, "--format=custom", "--no-owner", f"--snapshot={snapshot_id}", f"--file={target}", conninfo]
    _run(command, environment, "pg_dump")


def restore(tool: Tool, url: str, source: Path) -> None:
    """Restore a custom-format dump into the (empty) database ``url`` names, all or nothing.

    Objects get the restoring user as their owner, and no grants are restored: the roles of the machine the backup
    came from need not exist here. Raises :class:`ToolProblem` with the end of ``pg_restore``'s message.
    """
    conninfo, environment = libpq_target(url)
    command = [
        tool.path,
        "--no-owner",
        "--no-acl",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={conninfo}",
        str(source),
    ]
    _run(command, environment, "pg_restore")


def has_tables(connection: Any) -> bool:
    """Whether the database holds any table, view or sequence outside PostgreSQL's own schemas."""
    row = connection.execute(
        "SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')"
        " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
        " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'"
    ).fetchone()
    return bool(row[0])


def _run(command: list[str], environment: dict[str, str], name: str) -> None:
    result = subprocess.run(  # noqa: S603 - the operator's own configuration and paths, as a list, no shell
        command, env={**os.environ, **environment}, capture_output=True, text=True, timeout=None, check=False
    )
    if result.returncode != 0:
        # DETAIL and CONTEXT lines can quote rows (a key that clashed, the line of data COPY was at): people's data.
        lines = [line for line in result.stderr.strip().splitlines() if not line.startswith(("DETAIL", "CONTEXT"))]
        said = "\n".join(line[:300] for line in lines[-STDERR_LINES:])
        raise ToolProblem(f"{name} failed (exit status {result.returncode}): {said}")
