"""Faults a site must survive: a worker killed mid-fan-out, and the database gone for ten seconds under load.

The fan-out test runs on SQLite, and on PostgreSQL and Redis where the suite is pointed at them. The database
outage needs PostgreSQL: a small TCP proxy in the test stands between the app servers and PostgreSQL and is cut
for ten seconds (existing connections closed, new ones refused), so the machine's own PostgreSQL is never stopped.
"""

from __future__ import annotations

import email
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

import pytest

from tests.servers import (
    ROOT,
    create_resident,
    production,
    run_cli,
    site_environment,
    start_app_server,
    start_worker,
    wait_for,
)

FANOUT = 2000
THREADS = 4


def own_postgres(suffix: str) -> Iterator[str]:
    """A PostgreSQL database of the test's own, named after the suite's (so a run's clean-up finds it too);
    dropped afterwards."""
    import psycopg

    parsed = urlparse(os.environ["LEARNLOOP_TEST_DATABASE_URL"])
    name = f"{parsed.path.lstrip('/')[:40]}_{suffix}_{uuid.uuid4().hex[:6]}"
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parsed._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    if not os.environ.get("LEARNLOOP_TEST_DATABASE_URL"):
        yield f"sqlite:///{tmp_path}/web.sqlite3"
        return
    yield from own_postgres("faults")


def queue_url(tmp_path: Path) -> str:
    return os.environ.get("LEARNLOOP_TEST_QUEUE_URL") or f"sqlite:///{tmp_path}/queue.sqlite3"


def flush_queue(environ: dict[str, str]) -> None:
    """Start from an empty queue (a Redis database may hold an earlier run's tasks)."""
    code = (
        "from backend.config import load_settings; from tasks.queue import configure_queue; "
        "configure_queue(load_settings(), immediate=False).flush()"
    )
    subprocess.run([sys.executable, "-c", code], env=environ, cwd=ROOT, check=True)


def mail_recipients(folder: Path) -> Counter[str]:
    """How many messages each address was sent, read from the file: mail folder."""
    counts: Counter[str] = Counter()
    for path in folder.glob("*.eml") if folder.exists() else ():
        counts[str(email.message_from_bytes(path.read_bytes())["To"])] += 1
    return counts


def statuses(environ: dict[str, str]) -> Counter[str]:
    printed = subprocess.run(
        [sys.executable, "-m", "tests.crash_fanout", "status"], env=environ, cwd=ROOT, check=True, capture_output=True
    ).stdout
    return Counter(status for status, _subject in json.loads(printed))


def test_worker_killed_mid_fanout_loses_nothing_and_repeats_only_what_was_in_flight(
    tmp_path: Path, database_url: str
) -> None:
    instance = tmp_path / "instance"
    environ = production(
        site_environment(
            instance,
            database_url,
            queue_url(tmp_path),
            LEARNLOOP_DELIVERY_LEASE_SECONDS="2",
            LEARNLOOP_MESSAGES_PER_RECIPIENT_PER_HOUR="0",
            LEARNLOOP_EMAIL_PER_MINUTE="0",
        )
    )
    mail = instance / "mail"
    flush_queue(environ)
    subprocess.run(
        [sys.executable, "-m", "tests.crash_fanout", "fanout", str(FANOUT)], env=environ, cwd=ROOT, check=True
    )
    started = time.monotonic()
    worker = start_worker(instance, environ, threads=THREADS)
    try:
        wait_for(lambda: mail_recipients(mail).total() >= FANOUT // 4, 300, "the first quarter to be sent", every=0.2)
        worker.kill()
        at_kill = mail_recipients(mail).total()
        assert at_kill < FANOUT, "the worker finished before it could be killed"
        time.sleep(2.5)  # the leases of what was in flight run out
        worker = start_worker(instance, environ, threads=THREADS)
        wait_for(lambda: statuses(environ) == Counter({"sent": FANOUT}), 600, "every delivery to be sent", every=1)
    finally:
        worker.stop()
    took = time.monotonic() - started
    received = mail_recipients(mail)
    assert len(received) == FANOUT, worker.log.read_text()[-3000:]  # nothing lost
    repeated = sum(count - 1 for count in received.values())
    assert repeated <= THREADS, f"{repeated} sent twice: {[to for to, n in received.items() if n > 1]}"
    print(f"\n{FANOUT} deliveries in {took:.1f}s with {THREADS} threads; killed at {at_kill}; {repeated} sent twice")


class CuttableProxy:
    """A TCP proxy to PostgreSQL that can be cut: existing connections closed, new ones refused until restored."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.cut_off = threading.Event()
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return  # closed
            if self.cut_off.is_set():
                client.close()  # refused: the database is "down"
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)  # a pooled connection may sit idle for long: only a cut closes it
            with self.lock:
                self.open.update((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                self._close(end)

    def _close(self, end: socket.socket) -> None:
        with self.lock:
            self.open.discard(end)
        try:
            end.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        end.close()

    def cut(self) -> None:
        self.cut_off.set()
        with self.lock:
            ends = list(self.open)
        for end in ends:
            self._close(end)

    def restore(self) -> None:
        self.cut_off.clear()

    def close(self) -> None:
        self.cut()
        self.listener.close()


@dataclass
class Outcome:
    """What one request under load got: when, which, its status and whether it carried ``Retry-After``."""

    at: float
    what: str
    status: int | str
    retry_after: bool


class Resident(threading.Thread):
    """A signed-in resident who keeps reading their cases and telling the landlord things, retrying each
    submission with the same idempotency key until it is accepted."""

    def __init__(self, client: Any, stop: threading.Event, outcomes: list[Outcome], marker: str) -> None:
        super().__init__(daemon=True)
        self.client, self.stop, self.outcomes, self.marker = client, stop, outcomes, marker
        self.accepted: list[str] = []
        self.unfinished: list[str] = []
        self.token = ""

    def record(self, what: str, answer: tuple[int, dict[str, str], str] | str) -> int | str:
        status = answer if isinstance(answer, str) else answer[0]
        retry = not isinstance(answer, str) and "retry-after" in answer[1]
        self.outcomes.append(Outcome(time.monotonic(), what, status, retry))
        return status

    def call(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
        try:
            return self.client.request(method, path, body, headers)
        except (OSError, http.client.HTTPException) as error:
            self.client.close()
            return type(error).__name__

    def ready(self) -> None:
        """Fetch the form once before the load starts (a fresh server builds the resident's schema first)."""
        form = self.call("GET", "/cases/new")
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form[2])
        assert found is not None
        self.token = found.group(1)

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            description = f"{self.marker} report {n}: the door entry phone is dead."
            fields = {"csrf_token": self.token, "kind": "service_request", "description": description,
                      "adjustments": "", "idempotency_key": uuid.uuid4().hex}  # fmt: skip
            body = urlencode(fields).encode()
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": self.client.origin + "/cases/new",
            }
            while self.record("submit", self.call("POST", "/cases/new", body, headers)) != 302:
                if self.stop.is_set():
                    self.unfinished.append(description)
                    return
                time.sleep(0.2)
            self.accepted.append(description)
            self.record("read", self.call("GET", "/cases"))
            time.sleep(0.1)


needs_postgres_and_redis = pytest.mark.skipif(
    not (os.environ.get("LEARNLOOP_TEST_DATABASE_URL") and os.environ.get("LEARNLOOP_TEST_QUEUE_URL")),
    reason="needs PostgreSQL and Redis (LEARNLOOP_TEST_DATABASE_URL and LEARNLOOP_TEST_QUEUE_URL)",
)
OUTAGE_SECONDS = 10
PASSWORD = "fault-test-password"
RESIDENTS = {"resident@example.org": "Sam Okafor", "tenant@example.org": "Rhian Evans"}
RESUME_SECONDS = 20


def contacts_described(database_url: str, marker: str) -> Counter[str]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT description FROM contact WHERE description LIKE %s", (marker + "%",)).fetchall()
    return Counter(row[0] for row in rows)


@needs_postgres_and_redis
def test_database_gone_for_ten_seconds_answers_503_loses_nothing_and_recovers(tmp_path: Path) -> None:
    from bench.loadtest import Budget, Client, Samples

    for database_url in own_postgres("outage"):
        parsed = urlparse(database_url)
        proxy = CuttableProxy((parsed.hostname or "127.0.0.1", parsed.port or 5432))
        through_proxy = parsed._replace(netloc=f"{parsed.username or 'postgres'}@127.0.0.1:{proxy.port}").geturl()
        environ = production(
            site_environment(tmp_path / "instance", through_proxy, os.environ["LEARNLOOP_TEST_QUEUE_URL"])
        )
        flush_queue(environ)
        run_cli(environ, "migrate")
        for address, name in RESIDENTS.items():
            create_resident(environ, address, name, PASSWORD)
        servers = [start_app_server(tmp_path / "a", environ), start_app_server(tmp_path / "b", environ)]
        stop, outcomes = threading.Event(), []  # type: ignore[var-annotated]
        residents = []
        try:
            for n, (address, server) in enumerate(
                [("resident@example.org", servers[0]), ("tenant@example.org", servers[1])] * 2
            ):
                client = Client(server.url, Samples(), Budget(None, 3600))
                client.sign_in(address, PASSWORD)
                residents.append(Resident(client, stop, outcomes, f"Outage {n}"))
                residents[-1].ready()
            for resident in residents:
                resident.start()
            started = tuple(residents)
            wait_for(lambda: all(r.accepted for r in started), 120, "everyone to be served once")  # noqa: B023
            cut_at = time.monotonic()
            proxy.cut()
            time.sleep(OUTAGE_SECONDS)
            proxy.restore()
            restored_at = time.monotonic()
            time.sleep(RESUME_SECONDS)
            stop.set()
            for resident in residents:
                resident.join(60)
        finally:
            stop.set()
            for resident in residents:
                resident.client.close()  # the production server keeps connections alive
            for server in servers:
                server.stop()
            proxy.close()
        before = [o for o in outcomes if o.at < cut_at]
        during = [o for o in outcomes if cut_at <= o.at < restored_at]
        failed = [o for o in outcomes if o.status not in (200, 302)]
        last = [o for o in outcomes if o.at > restored_at + RESUME_SECONDS / 2]
        logs = "\n".join(server.log.read_text()[-2000:] for server in servers)
        assert before and all(o.status in (200, 302) for o in before), (
            Counter(f"{o.what} {o.status}" for o in before),
            logs,
        )
        # First what must hold whatever the answer while it is away: it comes back, and nothing is lost.
        answered = Counter(f"{o.what} {o.status}" for o in last)
        assert last and all(o.status in (200, 302) for o in last), f"service did not resume by itself: {answered}"
        accepted = [d for resident in residents for d in resident.accepted]
        stored = contacts_described(database_url, "Outage ")
        assert all(stored[d] == 1 for d in accepted), "an accepted submission was lost or stored twice"
        assert sum(stored.values()) <= len(accepted) + sum(len(r.unfinished) for r in residents)
        # Then the answer while it is away: a clear 503 that says when to try again, never a 500.
        assert any(o.status == 503 for o in during), (
            f"no 503 while the database was away: {Counter(str(o.status) for o in during)}"
        )
        assert all(o.status == 503 and o.retry_after for o in failed), (
            f"failures other than 503 with Retry-After: {Counter(str(o.status) for o in failed)}\n{logs}"
        )
