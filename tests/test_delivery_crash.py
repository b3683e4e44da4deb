"""A worker killed in the middle of a fan-out, then restarted: nothing lost, almost nothing twice.

Staff log 240 contacts for one resident, each with an acknowledgement to send. A real worker
process sends them over SMTP; it is killed with SIGKILL part-way through and started again. Every
acknowledgement must arrive, and only those in flight at the moment of the kill (one per worker
thread at most) may arrive twice. Runs on the SQLite queue, and on Redis and PostgreSQL where the
suite is pointed at them.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from aiosmtpd.controller import Controller

from tests.test_notifications import free_port

ROOT = Path(__file__).resolve().parent.parent
CONTACTS = 240
THREADS = 2


class SlowInbox:
    """An SMTP server that takes a little time over each message, as a real relay does."""

    def __init__(self) -> None:
        self.subjects: list[str] = []

    async def handle_DATA(self, _server, session, envelope) -> str:
        await asyncio.sleep(0.01)
        for line in envelope.content.decode("utf-8", "replace").splitlines():
            if line.startswith("Subject: "):
                self.subjects.append(line[len("Subject: ") :])
                break
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[SlowInbox, int]]:
    handler, port = SlowInbox(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A database of its own: the worker must see what the setup committed."""
    test_url = os.environ.get("LEARNLOOP_TEST_DATABASE_URL")
    if not test_url:
        yield f"sqlite:///{tmp_path}/crash.sqlite3"
        return
    import psycopg

    parsed = urlparse(test_url)
    name = f"{parsed.path.lstrip('/')}_crash"
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield parsed._replace(path=f"/{name}").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(tmp_path: Path, database_url: str, smtp_port: int) -> dict[str, str]:
    queue = os.environ.get("LEARNLOOP_TEST_QUEUE_URL") or f"sqlite:///{tmp_path}/queue.sqlite3"
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "LEARNLOOP_ENV": "development",
        "LEARNLOOP_INSTANCE_PATH": str(tmp_path / "instance"),
        "LEARNLOOP_DATABASE_URL": database_url,
        "LEARNLOOP_QUEUE_URL": queue,
        "LEARNLOOP_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
        "LEARNLOOP_SECRET_KEY": "crash-test-" + "k" * 32,
        "LEARNLOOP_DELIVERY_LEASE_SECONDS": "2",
        "LEARNLOOP_MESSAGES_PER_RECIPIENT_PER_HOUR": "0",
        "LEARNLOOP_EMAIL_PER_MINUTE": "0",
    }


def flush_queue(env: dict[str, str]) -> None:
    """Start from an empty queue (a Redis database may hold an earlier run's tasks)."""
    code = (
        "from backend.config import load_settings; from tasks.queue import configure_queue; "
        "configure_queue(load_settings(), immediate=False).flush()"
    )
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "portal.cli", "worker", "--workers", str(THREADS)]
    with log.open("ab") as output:  # the worker keeps its own copy of the file
        return subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)


def statuses(env: dict[str, str]) -> Counter[str]:
    result = subprocess.run(
        [sys.executable, "-m", "tests.crash_fanout", "status"], env=env, cwd=ROOT, check=True, capture_output=True
    )
    return Counter(status for status, _subject in json.loads(result.stdout))


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_killed_worker_resends_only_what_was_in_flight(tmp_path: Path, inbox, database_url: str) -> None:
    handler, port = inbox
    env = environment(tmp_path, database_url, port)
    log = tmp_path / "worker.log"
    flush_queue(env)
    subprocess.run([sys.executable, "-m", "tests.crash_fanout", "setup", str(CONTACTS)], env=env, cwd=ROOT, check=True)
    worker = start_worker(env, log)
    try:
        wait_for(lambda: len(handler.subjects) >= CONTACTS // 4, 90, "the first quarter to be sent")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        at_kill = len(handler.subjects)
        assert at_kill < CONTACTS, "the worker finished before it could be killed"
        time.sleep(2.5)  # the leases of what was in flight run out
        worker = start_worker(env, log)
        # The minute's sweep runs alongside the workers and reaches for the same deliveries.
        sweeper = subprocess.run(
            [sys.executable, "-m", "tests.crash_fanout", "sweep", "4"], env=env, cwd=ROOT, check=True
        )
        assert sweeper.returncode == 0
        wait_for(lambda: statuses(env) == Counter({"sent": CONTACTS}), 120, "every delivery to be sent")
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
    received = Counter(handler.subjects)
    assert len(received) == CONTACTS, log.read_text()[-3000:]  # nothing lost
    repeated = sum(count - 1 for count in received.values())
    assert repeated <= THREADS, f"{repeated} sent twice: {[s for s, c in received.items() if c > 1]}"
