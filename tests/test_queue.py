"""The queue: built from its URL, and really carrying tasks on SQLite (and Redis when configured)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from huey.storage import MemoryStorage, PostgresStorage, PriorityRedisStorage, SqliteStorage

from backend.config import Settings
from tasks.queue import configure_queue, huey, storage_for

QUEUE_URLS = (
    ["sqlite"]
    + (["external"] if os.environ.get("LEARNLOOP_TEST_QUEUE_URL") else [])
    + (["postgresql"] if os.environ.get("LEARNLOOP_TEST_DATABASE_URL") else [])
)


@pytest.mark.parametrize(
    ("url", "storage"),
    [
        ("sqlite:///instance/queue.sqlite3", SqliteStorage),
        ("redis://127.0.0.1:6379/0", PriorityRedisStorage),
        ("postgresql://127.0.0.1/learnloop", PostgresStorage),
        ("memory://", MemoryStorage),
    ],
)
def test_storage_for_url_picks_the_backend(settings: Settings, url: str, storage: type) -> None:
    assert storage_for(url, settings)[0] is storage


def test_tests_run_tasks_immediately() -> None:
    assert huey.immediate


@pytest.fixture(params=QUEUE_URLS)
def real_queue(request: pytest.FixtureRequest, settings: Settings, tmp_path: Path) -> Iterator[object]:
    url = {
        "sqlite": lambda: f"sqlite:///{tmp_path}/queue.sqlite3",
        "external": lambda: os.environ["LEARNLOOP_TEST_QUEUE_URL"],
        "postgresql": lambda: os.environ["LEARNLOOP_TEST_DATABASE_URL"],
    }[request.param]()
    queue = configure_queue(settings, immediate=False, url=url)
    try:
        queue.flush()
        yield queue
        queue.flush()
    finally:
        queue.storage.close()
        configure_queue(settings)


def test_enqueued_dispatch_waits_for_a_worker_and_then_runs(real_queue, mail_dir: Path) -> None:
    from backend.accounts import auth
    from backend.events.models import OutboxEvent
    from tests import factories
    from tests.conftest import read_mail

    user = factories.make_user()
    auth.request_password_reset(user.email)  # after commit, the dispatch is queued, not run
    assert read_mail(mail_dir) == []
    assert real_queue.pending_count() == 1
    while real_queue.pending_count():  # the dispatch, then the delivery it queues
        real_queue.execute(real_queue.dequeue())
    assert len(read_mail(mail_dir)) == 1
    assert OutboxEvent.get(OutboxEvent.name == "account.password_reset_requested").dispatched_at is not None


def test_statutory_messages_overtake_bulk_ones_in_the_queue(real_queue) -> None:
    from tasks.dispatch import deliver

    for delivery_id in (1, 2, 3):
        deliver(delivery_id)  # bulk, queued first
    deliver(99, priority=10)  # a complaint letter, queued last
    first = real_queue.dequeue()
    assert first.args == (99,)


def test_tasks_left_in_a_plain_redis_list_move_to_the_priority_queue(settings: Settings) -> None:
    url = os.environ.get("LEARNLOOP_TEST_QUEUE_URL", "")
    if not url.startswith("redis"):
        pytest.skip("needs LEARNLOOP_TEST_QUEUE_URL to point at Redis")
    import redis

    from tasks.dispatch import deliver

    conn = redis.Redis.from_url(url)
    key = "huey.redis.learnloop"
    conn.delete(key)
    for delivery_id in (7, 8):  # as an earlier version queued them: a plain list, newest at the head
        conn.lpush(key, huey.serialize_task(deliver.s(delivery_id)))
    queue = configure_queue(settings, immediate=False, url=url)
    try:
        assert conn.type(key) == b"zset"
        assert [queue.dequeue().args for _ in range(2)] == [(7,), (8,)]
    finally:
        queue.flush()
        queue.storage.close()
        conn.close()
        configure_queue(settings)
