"""Write transactions that read first survive another connection writing in between.

The assessment saw registration fail with HTTP 500 "database is locked" on SQLite while the
worker wrote: registration read, hashed the password (slowly), then wrote. Each test here uses
connections of its own, outside the rolled-back transaction every other test runs in.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest

from backend.accounts import services
from backend.accounts.models import User
from backend.db import connection, db, in_transaction, transaction
from backend.ratelimit.services import hit, sweep_rate_limit_windows
from tests import factories

WRITER_WAIT_SECONDS = 0.5


def write_elsewhere(done: threading.Event) -> None:
    """Write and commit on this thread's own connection, as the worker would."""
    with connection():
        hit("test:another-connection", 1_000)
    done.set()


def test_register_resident_survives_a_write_between_its_read_and_its_write(
    other_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    other_app()  # a SQLite file of its own, so another thread's connection shares its data
    done = threading.Event()
    writers: list[threading.Thread] = []
    read = User.get_or_none.__func__  # type: ignore[attr-defined]

    def read_then_let_another_connection_write(cls: type[User], *args: Any, **kwargs: Any) -> Any:
        found = read(cls, *args, **kwargs)
        if in_transaction() and not writers:
            writers.append(threading.Thread(target=write_elsewhere, args=(done,)))
            writers[0].start()
            # Unfixed, the write commits now; fixed, it waits for this transaction's lock.
            done.wait(WRITER_WAIT_SECONDS)
        return found

    monkeypatch.setattr(User, "get_or_none", classmethod(read_then_let_another_connection_write))
    try:
        user = services.register_resident("race@example.org", factories.PASSWORD, "Rae Singh")
        writers[0].join(timeout=10)
        assert user is not None and User.get_by_id(user.id).email == "race@example.org"
        assert done.is_set()  # the other connection's write went through too, once this one committed
    finally:
        db.close()


def test_register_resident_hashes_before_the_transaction_begins(monkeypatch: pytest.MonkeyPatch) -> None:
    states: list[bool] = []
    real_hash = services.hash_password
    monkeypatch.setattr(
        services, "hash_password", lambda password: states.append(in_transaction()) or real_hash(password)
    )
    services.register_resident("early-hash@example.org", factories.PASSWORD, "Early Hash")
    assert states == [False]


def in_thread(work: Callable[[], Any]) -> Any:
    """Run ``work`` on a thread of its own, with its own connection, and return what it returned."""
    results: list[Any] = []

    def run() -> None:
        with connection():
            results.append(work())

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    return results[0]


def test_outermost_transaction_commits_on_the_configured_database() -> None:
    """On PostgreSQL as on SQLite, the outermost block begins, commits and is seen by other connections."""
    key, long_ago = "test:outermost-transaction", dt.datetime(2000, 1, 1)

    def write() -> None:
        with transaction():
            hit(key, 1_000, now=long_ago)

    try:
        in_thread(write)
        # A second hit goes over a limit of one only if the first was committed.
        assert in_thread(lambda: hit(key, 1, now=long_ago)) is not None
    finally:
        in_thread(lambda: sweep_rate_limit_windows(long_ago + dt.timedelta(days=1)))
