"""Prometheus metrics: requests by route template and status, their latency, and gauges read at scrape time.

Requests are counted by every web process. Under a server with several worker processes, set
``PROMETHEUS_MULTIPROC_DIR`` to an empty folder the workers share before they start: each process then writes
its counts there and a scrape adds them up (prometheus-client's multiprocess mode). The gauges (the queue, the
deliveries, the complaint clocks) are not kept by any process: :class:`StateCollector` reads them when scraped,
with a few aggregate queries under a time limit, so every worker answers the same.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from backend.complaints.clocks import count_running_clocks
from backend.db import connection, time_limit
from backend.notifications.backlog import delivery_counts, oldest_unsent_at
from backend.timeutil import utcnow

logger = logging.getLogger(__name__)

#: The WSGI environ key where the app leaves the URL rule a request matched (see ``portal.app``).
ROUTE_KEY = "learnloop.route"
#: The route label of a request that matched no rule (a 404), so that made-up paths add no series.
UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
#: Milliseconds the scrape-time queries may take together before they are stopped.
QUERY_TIME_LIMIT_MS = 2000

REQUESTS = Counter(
    "learnloop_http_requests",
    "Requests answered, by the route's URL rule, the method and the HTTP status.",
    ["route", "method", "status"],
    registry=None,
)
LATENCY = Histogram(
    "learnloop_http_request_duration_seconds",
    "Time from receiving a request to the end of its answer, by the route's URL rule.",
    ["route"],
    registry=None,
)


def multiprocess_dir() -> str | None:
    """The folder shared by the worker processes, when prometheus-client's multiprocess mode is on."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def record_request(route: str | None, method: str, status: str, seconds: float) -> None:
    """Count one answered request and its duration."""
    label = route or UNMATCHED
    REQUESTS.labels(route=label, method=method if method in METHODS else "other", status=status).inc()
    LATENCY.labels(route=label).observe(seconds)


@dataclass(frozen=True)
class DatabaseState:
    """What the gauges read from the database at one scrape."""

    deliveries: dict[str, int]
    oldest_unsent_at: dt.datetime | None
    clocks: dict[str, int]
    seconds: float


def read_database_state() -> DatabaseState:
    """Run the scrape's aggregate queries, stopped after :data:`QUERY_TIME_LIMIT_MS` together."""
    started = time.perf_counter()
    with connection(), time_limit(QUERY_TIME_LIMIT_MS):
        deliveries = delivery_counts()
        oldest = oldest_unsent_at()
        clocks = count_running_clocks()
    return DatabaseState(deliveries, oldest, clocks, time.perf_counter() - started)


class StateCollector(Collector):
    """The gauges read at scrape time: the queue's depth, and from the database, deliveries and clocks."""

    def __init__(self, queue_size: Callable[[], int], database_state: Callable[[], DatabaseState]):
        self.queue_size = queue_size
        self.database_state = database_state

    def collect(self) -> Iterator[Metric]:
        yield from self._queue()
        yield from self._database()

    def _queue(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("learnloop_queue_up", "1 when the task queue answered this scrape, else 0.")
        try:
            depth = self.queue_size()
        except Exception as error:  # a scrape boundary: one part failing must not lose the rest
            logger.warning("metrics: the queue did not answer: %s", type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield GaugeMetricFamily("learnloop_queue_depth", "Tasks waiting in the task queue.", value=depth)

    def _database(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("learnloop_database_up", "1 when the database answered this scrape's queries, else 0.")
        try:
            state = self.database_state()
        except Exception as error:  # a scrape boundary, as above
            logger.warning("metrics: the database did not answer: %s", type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        by_status = GaugeMetricFamily(
            "learnloop_deliveries",
            "Deliveries (one message to one person by one channel) in each status.",
            labels=["status"],
        )
        for status, count in state.deliveries.items():
            by_status.add_metric([status], count)
        yield by_status
        oldest = state.oldest_unsent_at
        age = 0.0 if oldest is None else max(0.0, (utcnow() - oldest).total_seconds())
        yield GaugeMetricFamily(
            "learnloop_oldest_unsent_delivery_age_seconds",
            "Seconds the oldest delivery still to be sent (pending, sending or failed) has waited; 0 when none waits.",
            value=age,
        )
        clocks = GaugeMetricFamily(
            "learnloop_complaint_clocks",
            "Running complaint clocks at risk (due within two working days) and breached (past their due date).",
            labels=["state"],
        )
        for name in ("at_risk", "breached"):
            clocks.add_metric([name], state.clocks[name])
        yield clocks
        yield GaugeMetricFamily(
            "learnloop_metrics_database_seconds", "Seconds this scrape's database queries took.", value=state.seconds
        )


def scrape(queue_size: Callable[[], int], database_state: Callable[[], DatabaseState]) -> bytes:
    """The metrics in Prometheus's text format: this process's requests, or every process's in multiprocess mode."""
    registry = CollectorRegistry(auto_describe=False)
    folder = multiprocess_dir()
    if folder:
        MultiProcessCollector(registry, path=folder)
    else:
        for metric in (REQUESTS, LATENCY):
            registry.register(metric)
    registry.register(StateCollector(queue_size, database_state))
    return generate_latest(registry)
