"""``/healthz``, ``/readyz`` and ``/metrics``: answered before the Flask app, so that they never touch a session.

:class:`OperationsEndpoints` wraps the app's WSGI callable (inside ``ProxyFix``, so the client address it sees
is the one the app sees). It answers the three addresses itself, and times every other request for the metrics.

- ``/healthz`` says the process is alive: ``ok``, without reading anything.
- ``/readyz`` checks the database, the task queue and the attachment store, in parallel and each within
  :data:`CHECK_TIMEOUT_SECONDS`, and answers 200 when all three answered, else 503 naming the ones that did not.
- ``/metrics`` is served only to a request with ``Authorization: Bearer <LEARNLOOP_METRICS_TOKEN>`` or from an
  address in ``LEARNLOOP_METRICS_ALLOW``. Anyone else gets the app's own 404, as for any address that is not there.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, TypeVar

from prometheus_client import CONTENT_TYPE_LATEST
from werkzeug.wsgi import ClosingIterator

from backend.attachments.storage import StorageUnusable
from backend.complaints import files
from backend.config import Settings
from backend.db import connection, database_unavailable, db
from portal import metrics
from tasks.queue import huey

logger = logging.getLogger(__name__)

#: Seconds each readiness check may take before it counts as not answering.
CHECK_TIMEOUT_SECONDS = 2.0
#: A readiness answer is reused for this long, so that a burst of probes costs one round of checks.
READY_CACHE_SECONDS = 1.0
#: The answers are data, never a document: nothing may load, frame or sniff them, or keep them.
HEADERS = [
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
]

T = TypeVar("T")
StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


@dataclass(frozen=True)
class Check:
    """One dependency's answer: whether it answered, how long it took, and if not, a short code saying why."""

    ok: bool
    latency_ms: float
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        answer: dict[str, Any] = {"ok": self.ok, "latency_ms": round(self.latency_ms, 1)}
        if self.error is not None:
            answer["error"] = self.error
        return answer


def check_database() -> None:
    """Open a connection (from the pool on PostgreSQL) and run ``SELECT 1``."""
    with connection():
        db.execute_sql("SELECT 1").fetchone()


def queue_size() -> int:
    """Tasks waiting in the queue (one cheap call on Huey's storage: a count, LLEN or ZCARD)."""
    return int(huey.storage.queue_size())


def check_storage() -> None:
    files.storage().check()


CHECKS: dict[str, Callable[[], Any]] = {"database": check_database, "queue": queue_size, "attachments": check_storage}
_executor = ThreadPoolExecutor(max_workers=2 * len(CHECKS), thread_name_prefix="readiness")


def bounded(work: Callable[[], T]) -> Callable[[], T]:
    """``work`` run on the checks' threads; it raises ``TimeoutError`` after :data:`CHECK_TIMEOUT_SECONDS`."""

    def run() -> T:
        try:
            return _executor.submit(work).result(timeout=CHECK_TIMEOUT_SECONDS)
        except FutureTimeout:
            raise TimeoutError(f"no answer within {CHECK_TIMEOUT_SECONDS} seconds") from None

    return run


def _timed(check: Callable[[], Any]) -> tuple[float, BaseException | None]:
    started = time.perf_counter()
    try:
        check()
    except Exception as error:  # a check's boundary: any failure means "not ready", said below
        return time.perf_counter() - started, error
    return time.perf_counter() - started, None


def _reason(error: BaseException) -> str:
    """A short code for what went wrong, never the error's own text (it can hold host names or paths)."""
    if isinstance(error, StorageUnusable):
        return error.reason
    if database_unavailable(error):
        return "unreachable"
    return "error"


def run_checks(checks: dict[str, Callable[[], Any]] | None = None) -> dict[str, Check]:
    """Run every check at once; one that has not answered within :data:`CHECK_TIMEOUT_SECONDS` is a ``timeout``."""
    checks = CHECKS if checks is None else checks
    deadline = time.monotonic() + CHECK_TIMEOUT_SECONDS
    futures = {name: _executor.submit(_timed, check) for name, check in checks.items()}
    results: dict[str, Check] = {}
    for name, future in futures.items():
        try:
            seconds, error = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            results[name] = Check(False, CHECK_TIMEOUT_SECONDS * 1000, "timeout")
            continue
        if error is not None:
            logger.warning("readiness: %s did not answer: %s", name, type(error).__name__)
            results[name] = Check(False, seconds * 1000, _reason(error))
        else:
            results[name] = Check(True, seconds * 1000)
    return results


class OperationsEndpoints:
    """WSGI middleware: the health, readiness and metrics addresses, and request metrics for everything else."""

    def __init__(self, app: WSGIApp, settings: Settings):
        self.app = app
        self.token = settings.metrics_token.encode()
        self.networks = [ipaddress.ip_network(network) for network in settings.metrics_allow]
        self._ready_lock = threading.Lock()
        self._ready: tuple[float, int, bytes] | None = None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if method in ("GET", "HEAD"):
            if path == "/healthz":
                return _answer(start_response, 200, "text/plain; charset=utf-8", b"ok\n", method)
            if path == "/readyz":
                status, body = self.readiness()
                return _answer(start_response, status, "application/json", body, method)
            if path == "/metrics" and self.may_read_metrics(environ):
                # The queries run on this request's thread under their own time limit (see portal.metrics).
                body = metrics.scrape(bounded(queue_size), metrics.read_database_state)
                return _answer(start_response, 200, CONTENT_TYPE_LATEST, body, method)
        return self.timed(environ, start_response)

    def readiness(self) -> tuple[int, bytes]:
        """The readiness answer, reused for :data:`READY_CACHE_SECONDS`."""
        with self._ready_lock:
            if self._ready is not None and time.monotonic() - self._ready[0] < READY_CACHE_SECONDS:
                return self._ready[1], self._ready[2]
        results = run_checks()
        failing = [name for name, result in results.items() if not result.ok]
        answer = {
            "status": "unavailable" if failing else "ok",
            "failing": failing,
            "checks": {name: result.as_json() for name, result in results.items()},
        }
        status, body = (503 if failing else 200), json.dumps(answer).encode()
        with self._ready_lock:
            self._ready = (time.monotonic(), status, body)
        return status, body

    def may_read_metrics(self, environ: dict[str, Any]) -> bool:
        """A bearer token equal to the configured one, or a client address in an allowed network."""
        header = environ.get("HTTP_AUTHORIZATION", "")
        if self.token and header[:7].lower() == "bearer ":
            if hmac.compare_digest(header[7:].strip().encode(), self.token):
                return True
        if not self.networks:
            return False
        try:
            address = ipaddress.ip_address(environ.get("REMOTE_ADDR", ""))
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return any(address in network for network in self.networks)

    def timed(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Pass the request to the app; count it, with its duration, once its answer has been sent."""
        started = time.perf_counter()
        status = ["500"]

        def recording(status_line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status[0] = status_line.split(" ", 1)[0]
            return start_response(status_line, headers, exc_info)

        def record() -> None:
            route = environ.get(metrics.ROUTE_KEY)
            metrics.record_request(route, environ.get("REQUEST_METHOD", ""), status[0], time.perf_counter() - started)

        try:
            body = self.app(environ, recording)
        except BaseException:
            record()
            raise
        return ClosingIterator(body, [record])


def _answer(start_response: StartResponse, status: int, content_type: str, body: bytes, method: str) -> list[bytes]:
    reason = {200: "OK", 503: "Service Unavailable"}[status]
    headers = [("Content-Type", content_type), ("Content-Length", str(len(body))), *HEADERS]
    start_response(f"{status} {reason}", headers)
    return [] if method == "HEAD" else [body]
