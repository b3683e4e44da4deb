"""Copy a SQLite database with SQLite's online backup API, and copy a backup back into an empty database.

The backup API copies the database page by page as one reader would see it: a consistent snapshot, taken while
the application goes on writing (in WAL mode writers do not wait for it). The copy is switched out of WAL mode, so
that it is one self-contained file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from backend.backups.snapshot import SQLITE, tables

BUSY_TIMEOUT_SECONDS = 30


class CopyFailed(Exception):
    """SQLite found the copy damaged; ``problem`` is what its check said."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


def copy_database(source: Path, target: Path) -> None:
    """Copy the live database at ``source`` into a new file ``target``, checked and in rollback-journal mode.

    Raises :class:`CopyFailed` when SQLite's quick check of the copy finds a problem.
    """
    with closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS)) as live:
        with closing(sqlite3.connect(target)) as copy:
            # pages=-1: the whole database in one step, so the copy never restarts because someone wrote meanwhile.
            live.backup(copy, pages=-1)
            copy.execute("PRAGMA journal_mode=DELETE")
    with read_only(target) as copy:
        result = copy.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise CopyFailed(str(result))


@contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """Open a SQLite file for reading only: reading a backup never changes it."""
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        yield connection
    finally:
        connection.close()


def has_tables(path: Path) -> bool:
    """Whether the database at ``path`` holds any table; a file that is not there holds none."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)) as connection:
        return bool(tables(connection, SQLITE))


def restore_database(backup: Path, target: Path) -> None:
    """Copy the backup's database file into the (empty) database at ``target``, with the same backup API."""
    with read_only(backup) as source, closing(sqlite3.connect(target, timeout=BUSY_TIMEOUT_SECONDS)) as live:
        source.backup(live, pages=-1)
