"""One scheduler of periodic tasks per site: the lease, its takeover when the holder dies, and each minute once."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from huey import MemoryHuey, PriorityRedisHuey, crontab

from backend.scheduling.leases import claim_minute, hold_lease, minute_number, release_lease
from tasks.queue import huey as site_queue
from tasks.scheduler import DatabaseLease, LeasedConsumer, LeasedScheduler, RedisLease, lease_for
from tests.live_server import free_port, run_cli, server_environment, stop

BACKENDS = ["database"] + (["redis"] if os.environ.get("LEARNLOOP_TEST_QUEUE_URL") else [])
SEVEN = dt.datetime(2026, 3, 2, 7, 0, 10)  # a Monday, ten seconds after the daily digest's minute


def at(minutes: int) -> dt.datetime:
    """``minutes`` after (or before) 07:00:10."""
    return SEVEN + dt.timedelta(minutes=minutes)


@pytest.fixture
def queue() -> MemoryHuey:
    """A queue of its own with two periodic tasks: one every minute, one daily at 07:00."""
    huey = MemoryHuey("lease-test", utc=True)

    @huey.periodic_task(crontab(minute="*"))
    def every_minute() -> None:
        """A sweep."""

    @huey.periodic_task(crontab(hour="7", minute="0"))
    def daily_digest() -> None:
        """The digest that must go once."""

    return huey


@pytest.fixture(params=BACKENDS)
def make_lease(request: pytest.FixtureRequest) -> Iterator[Any]:
    """Build leases on one backend, all for the same site (a fresh one per test)."""
    site = f"test-{uuid.uuid4().hex[:8]}"
    if request.param == "database":
        yield lambda holder, seconds=60: DatabaseLease(holder, seconds, name=site)
        return
    import redis

    conn = redis.Redis.from_url(os.environ["LEARNLOOP_TEST_QUEUE_URL"])
    yield lambda holder, seconds=60: RedisLease(conn, holder, seconds, prefix=site)
    conn.delete(f"{site}.lease", f"{site}.minute")
    conn.close()


def scheduler(queue: MemoryHuey, lease: Any) -> LeasedScheduler:
    stopped = threading.Event()
    stopped.set()  # so that loop() never sleeps
    return LeasedScheduler(queue, stopped, interval=1, periodic=True, lease=lease, renew_every=0)


def tick(scheduler: LeasedScheduler, now: dt.datetime) -> None:
    """What the scheduler's loop does once a minute: renew the lease, then enqueue the periodic tasks if it may."""
    scheduler.renew()
    scheduler.enqueue_periodic_tasks(now)


def enqueued(queue: MemoryHuey) -> list[str]:
    names = []
    while (task := queue.dequeue()) is not None:
        names.append(task.name)
    return sorted(names)


def test_two_schedulers_enqueue_each_minute_once(queue, make_lease) -> None:
    first, second = scheduler(queue, make_lease("host-a:1")), scheduler(queue, make_lease("host-b:1"))
    tick(first, at(0))
    tick(second, at(0))
    assert enqueued(queue) == ["daily_digest", "every_minute"]
    tick(second, at(1))
    tick(first, at(1))
    assert enqueued(queue) == ["every_minute"]
    assert first.holding and not second.holding


def test_the_loop_renews_the_lease_before_it_enqueues(queue, make_lease) -> None:
    first, second = scheduler(queue, make_lease("host-a:1")), scheduler(queue, make_lease("host-b:1"))
    first.loop(at(0))
    second.loop(at(0))
    assert enqueued(queue) == ["daily_digest", "every_minute"]


def test_a_dead_holders_lease_lapses_and_another_worker_takes_over(queue, make_lease) -> None:
    first, second = scheduler(queue, make_lease("host-a:1", 1)), scheduler(queue, make_lease("host-b:1", 1))
    tick(first, at(-1))
    tick(second, at(-1))
    assert enqueued(queue) == ["every_minute"] and not second.holding
    time.sleep(1.2)  # the first worker died: nothing renews its lease, which lapses
    tick(second, at(0))
    assert second.holding
    assert enqueued(queue) == ["daily_digest", "every_minute"]
    tick(first, at(1))  # the first comes back: the lease is someone else's now
    assert not first.holding and enqueued(queue) == []


def test_taking_over_within_a_minute_already_enqueued_does_not_enqueue_it_again(queue, make_lease) -> None:
    first, second = scheduler(queue, make_lease("host-a:1")), scheduler(queue, make_lease("host-b:1"))
    tick(first, at(0))
    first.shutdown()  # a graceful stop lets the lease go at once
    tick(second, at(0) + dt.timedelta(seconds=40))
    assert second.holding
    assert enqueued(queue) == ["daily_digest", "every_minute"]


def test_minutes_nobody_enqueued_are_caught_up_each_task_once(queue, make_lease) -> None:
    first, second = scheduler(queue, make_lease("host-a:1")), scheduler(queue, make_lease("host-b:1"))
    tick(first, at(-2))
    assert enqueued(queue) == ["every_minute"]
    first.shutdown()
    tick(second, at(2))  # 06:59, 07:00 and 07:01 went by with nobody scheduling
    assert enqueued(queue) == ["daily_digest", "every_minute"]


def test_catching_up_looks_back_at_most_ten_minutes(queue, make_lease) -> None:
    first, second = scheduler(queue, make_lease("host-a:1")), scheduler(queue, make_lease("host-b:1"))
    tick(first, at(-30))
    first.shutdown()
    enqueued(queue)
    tick(second, at(11))  # 07:00 is eleven minutes back
    assert enqueued(queue) == ["every_minute"]


def test_a_lease_that_cannot_be_reached_counts_as_not_held(queue, caplog) -> None:
    class Unreachable:
        def hold(self) -> bool:
            raise ConnectionError("the database is away")

    away = scheduler(queue, Unreachable())
    away.holding = True
    tick(away, at(0))
    assert not away.holding and enqueued(queue) == []
    assert "could not reach the scheduler's lease" in caplog.text


def test_a_consumer_gives_each_scheduler_it_starts_the_same_lease(queue, make_lease) -> None:
    lease = make_lease("host-a:1")
    consumer = LeasedConsumer(queue, lease=lease, lease_seconds=60, workers=1, worker_type="thread")
    restarted = consumer._create_scheduler()
    assert isinstance(restarted, LeasedScheduler)
    assert restarted.lease is lease and restarted.renew_every == 20


def test_the_lease_lives_in_redis_for_a_redis_queue_and_in_the_database_otherwise() -> None:
    assert isinstance(lease_for(site_queue, 60), DatabaseLease)  # the tests' queue is in memory
    # Neither building the storage nor the lease connects to Redis.
    assert isinstance(lease_for(PriorityRedisHuey("lease-test", url="redis://127.0.0.1:6379/3"), 60), RedisLease)


def test_hold_lease_is_refused_while_another_holds_it_and_granted_once_it_lapses() -> None:
    now = dt.datetime(2026, 3, 2, 7, 0)
    assert hold_lease("site", "a", 60, now=now)
    assert not hold_lease("site", "b", 60, now=now + dt.timedelta(seconds=59))
    assert hold_lease("site", "a", 60, now=now + dt.timedelta(seconds=59))  # renewed until 07:01:59
    assert not hold_lease("site", "b", 60, now=now + dt.timedelta(seconds=118))
    assert hold_lease("site", "b", 60, now=now + dt.timedelta(seconds=120))
    assert not hold_lease("site", "a", 60, now=now + dt.timedelta(seconds=121))


def test_claim_minute_needs_the_live_lease_and_a_minute_not_yet_claimed() -> None:
    now = dt.datetime(2026, 3, 2, 7, 0)
    minute = minute_number(now)
    assert hold_lease("site", "a", 60, now=now)
    assert claim_minute("site", "b", minute, now=now) is None
    assert claim_minute("site", "a", minute, now=now) == 0
    assert claim_minute("site", "a", minute, now=now) is None
    assert claim_minute("site", "a", minute + 1, now=now + dt.timedelta(seconds=61)) is None  # lapsed
    release_lease("site", "a", now=now + dt.timedelta(seconds=1))
    assert hold_lease("site", "b", 60, now=now + dt.timedelta(seconds=2))
    assert claim_minute("site", "b", minute + 3, now=now + dt.timedelta(seconds=2)) == minute


def lease_row(database: Path) -> tuple[str, str, int] | None:
    """The site's lease as the workers left it: holder, expiry and last minute claimed."""
    with closing(sqlite3.connect(database, timeout=10)) as conn:
        return conn.execute("SELECT holder, expires_at, last_minute FROM scheduler_lease").fetchone()


def wait_for(check: Any, what: str, logs: list[Path], seconds: float = 90) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.25)
    pytest.fail(f"no {what} within {seconds:.0f}s:\n" + "\n".join(log.read_text() for log in logs))


def test_two_worker_processes_share_one_lease_and_the_survivor_takes_it_over(tmp_path: Path) -> None:
    environ = server_environment(tmp_path, free_port())
    environ["LEARNLOOP_SCHEDULER_LEASE_SECONDS"] = "10"
    run_cli(environ, "migrate")
    database = tmp_path / "web.sqlite3"
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    workers = []
    try:
        for log in logs:
            with log.open("wb") as output:
                workers.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "portal.cli", "worker", "--workers", "1"],
                        env=environ,
                        stdin=subprocess.DEVNULL,
                        stdout=output,
                        stderr=subprocess.STDOUT,
                    )
                )
            if len(workers) == 1:
                holder = wait_for(lambda: (row := lease_row(database)) and row[2] and row[0], "first holder", logs)
        first, second = workers
        assert f":{first.pid}:" in holder
        wait_for(lambda: "Huey consumer started" in logs[1].read_text(), "second worker", logs)
        time.sleep(5)  # the second asks for the lease (every 3.3 seconds here) and is refused
        assert f":{first.pid}:" in lease_row(database)[0]
        assert "enqueueing periodic task" in logs[0].read_text()
        assert "enqueueing periodic task" not in logs[1].read_text()
        first.kill()  # dies without letting the lease go
        first.wait(timeout=30)
        wait_for(lambda: f":{second.pid}:" in lease_row(database)[0], "takeover", logs)
        second.send_signal(signal.SIGINT)  # a graceful stop lets the lease go at once
        assert second.wait(timeout=60) == 0
        _, expires_at, _ = lease_row(database)
        assert dt.datetime.fromisoformat(expires_at) <= dt.datetime.now(dt.UTC).replace(tzinfo=None)
    finally:
        for worker in workers:
            if worker.poll() is None:
                stop(worker)
