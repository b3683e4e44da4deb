"""The SQLite files (database, queue, and their write-ahead logs) are readable by their owner only."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from backend.config import Settings
from backend.db import make_database


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The umask most systems start with, under which new files are world-readable (0644)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("usual_umask")
def test_new_database_and_its_wal_and_shm_files_are_private(tmp_path: Path) -> None:
    database = make_database(f"sqlite:///{tmp_path}/data.sqlite3")
    database.connect()
    try:
        database.execute_sql("CREATE TABLE note (body TEXT)")
        database.execute_sql("INSERT INTO note VALUES ('private')")
        files = sorted(path.name for path in tmp_path.iterdir())
        assert files == ["data.sqlite3", "data.sqlite3-shm", "data.sqlite3-wal"]
        assert {name: mode(tmp_path / name) for name in files} == dict.fromkeys(files, 0o600)
    finally:
        database.close()


@pytest.mark.usefixtures("usual_umask")
def test_existing_world_readable_database_is_made_private(tmp_path: Path) -> None:
    for name in ("old.sqlite3", "old.sqlite3-wal"):
        (tmp_path / name).touch(mode=0o644)
    make_database(f"sqlite:///{tmp_path}/old.sqlite3")
    assert mode(tmp_path / "old.sqlite3") == 0o600
    assert mode(tmp_path / "old.sqlite3-wal") == 0o600


@pytest.mark.usefixtures("usual_umask")
def test_sqlite_queue_file_is_private(tmp_path: Path) -> None:
    from tasks.queue import storage_for

    settings = Settings(instance_path=tmp_path)
    storage_class, arguments = storage_for(f"sqlite:///{tmp_path}/queue.sqlite3", settings)
    storage = storage_class(name="learnloop-test", **arguments)
    storage.enqueue(b"task")
    assert mode(tmp_path / "queue.sqlite3") == 0o600
    for companion in tmp_path.glob("queue.sqlite3-*"):
        assert mode(companion) == 0o600
