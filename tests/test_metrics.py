"""``/metrics``: only for its token or allowed addresses, labelled by route template, with gauges read when scraped."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from peewee import OperationalError
from prometheus_client.parser import text_string_to_metric_families
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.test import Client

from backend.complaints.clocks import at_risk_until, count_running_clocks
from backend.complaints.models import Clock, Complaint
from backend.db import count_statements, is_postgres
from backend.events.models import Delivery
from backend.timeutil import local_date, utcnow
from portal import health, metrics
from tasks.queue import huey
from tests import factories

TOKEN = "metrics-" + "k" * 40
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def served(app: Any, settings: Any) -> Any:
    """Return a function giving a WSGI client for the app with the given /metrics settings (and proxies)."""
    inner = app.wsgi_app.app  # the Flask app itself, inside OperationsEndpoints

    def serve(proxies: int = 0, **overrides: Any) -> Client:
        wrapped: Any = health.OperationsEndpoints(inner, settings.with_overrides(**overrides))
        if proxies:
            wrapped = ProxyFix(wrapped, x_for=proxies, x_proto=proxies)
        return Client(wrapped)

    return serve


def scraped(response: Any) -> dict[str, Any]:
    """Every sample of a scrape, by name and labels: ``{("learnloop_queue_depth", ()): 0.0, ...}``."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def scrape(served: Any) -> dict[str, Any]:
    return scraped(served(metrics_token=TOKEN).get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}))


def test_metrics_without_settings_is_the_ordinary_404(client: Any) -> None:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 404
    other = client.get("/no-such-page").get_data(as_text=True)
    assert response.get_data(as_text=True) == other.replace("/no-such-page", "/metrics")


@pytest.mark.parametrize(
    "header",
    [None, "Bearer wrong-token-" + "x" * 30, f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer ", f"{TOKEN}"],
    ids=["none", "wrong", "basic", "longer", "empty", "no scheme"],
)
def test_metrics_without_the_token_is_404(served: Any, header: str | None) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = served(metrics_token=TOKEN).get("/metrics", headers=headers)
    assert response.status_code == 404
    assert "learnloop_" not in response.get_data(as_text=True)


def test_metrics_with_the_token_is_prometheus_text(served: Any) -> None:
    response = served(metrics_token=TOKEN).get("/metrics", headers={"Authorization": f"bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    assert "Set-Cookie" not in response.headers
    assert ("learnloop_database_up", ()) in scraped(response)


@pytest.mark.parametrize(
    ("allow", "address", "status"),
    [
        (("10.0.0.0/8",), "10.1.2.3", 200),
        (("10.0.0.0/8",), "192.0.2.1", 404),
        (("192.0.2.7/32",), "192.0.2.7", 200),
        (("10.0.0.0/8",), "::ffff:10.0.0.9", 200),
        (("2001:db8::/32",), "2001:db8::1", 200),
        (("2001:db8::/32",), "2001:db9::1", 404),
    ],
)
def test_metrics_from_an_allowed_address_is_served(served: Any, allow: Any, address: str, status: int) -> None:
    response = served(metrics_allow=allow).get("/metrics", environ_overrides={"REMOTE_ADDR": address})
    assert response.status_code == status


def test_metrics_forwarded_address_counts_only_behind_a_trusted_proxy(served: Any) -> None:
    forwarded = {"X-Forwarded-For": "10.0.0.5"}
    proxy = {"REMOTE_ADDR": "203.0.113.9"}
    untrusted = served(metrics_allow=("10.0.0.0/8",))
    assert untrusted.get("/metrics", headers=forwarded, environ_overrides=proxy).status_code == 404
    trusted = served(proxies=1, metrics_allow=("10.0.0.0/8",))
    assert trusted.get("/metrics", headers=forwarded, environ_overrides=proxy).status_code == 200


def test_requests_are_labelled_by_route_template_not_path(served: Any) -> None:
    client = served(metrics_token=TOKEN)
    before = scrape(served)
    client.get("/s/some-made-up-token", buffered=True)
    client.get("/a/path/nobody/has/1234", buffered=True)
    after = scrape(served)
    key = ("learnloop_http_requests_total", (("method", "GET"), ("route", "/s/<token>"), ("status", "400")))
    assert after[key] - before.get(key, 0) == 1
    unmatched = ("learnloop_http_requests_total", (("method", "GET"), ("route", "unmatched"), ("status", "404")))
    assert after[unmatched] - before.get(unmatched, 0) == 1
    timed = ("learnloop_http_request_duration_seconds_count", (("route", "/s/<token>"),))
    assert after[timed] - before.get(timed, 0) == 1
    assert not any("some-made-up-token" in str(labels) or "1234" in str(labels) for _, labels in after)


def test_health_probes_are_not_counted(served: Any) -> None:
    before = scrape(served)
    served().get("/healthz")
    after = scrape(served)
    counted = {labels for name, labels in after if name == "learnloop_http_requests_total"}
    assert not any(dict(labels)["route"] in ("/healthz", "/readyz") for labels in counted)
    assert sum(v for (n, _), v in after.items() if n == "learnloop_http_requests_total") == sum(
        v for (n, _), v in before.items() if n == "learnloop_http_requests_total"
    )


def test_deliveries_by_status_and_the_oldest_unsent_age(served: Any) -> None:
    old = factories.make_delivery()
    Delivery.update(created_at=utcnow() - dt.timedelta(hours=2)).where(Delivery.id == old.id).execute()
    sent = factories.make_delivery()
    Delivery.update(status="sent", created_at=utcnow() - dt.timedelta(days=3)).where(Delivery.id == sent.id).execute()
    samples = scrape(served)
    assert samples[("learnloop_deliveries", (("status", "pending"),))] >= 1
    assert samples[("learnloop_deliveries", (("status", "sent"),))] >= 1
    assert samples[("learnloop_deliveries", (("status", "dead"),))] >= 0
    age = samples[("learnloop_oldest_unsent_delivery_age_seconds", ())]
    assert 2 * 3600 - 5 <= age < 2 * 3600 + 600


def test_oldest_unsent_age_is_zero_when_nothing_waits(served: Any) -> None:
    Delivery.update(status="sent").where(Delivery.status.in_(["pending", "sending", "failed"])).execute()
    assert scrape(served)[("learnloop_oldest_unsent_delivery_age_seconds", ())] == 0


def test_complaint_clocks_at_risk_and_breached_follow_the_clock_rules(served: Any) -> None:
    today = local_date()
    before = count_running_clocks(today)
    due_soon, overdue, far_off = (factories.make_clock() for _ in range(3))
    nation = Complaint.get_by_id(due_soon.complaint_id).nation
    Clock.update(due_on=at_risk_until(today, nation)).where(Clock.id == due_soon.id).execute()
    Clock.update(due_on=today - dt.timedelta(days=1)).where(Clock.id == overdue.id).execute()
    Clock.update(due_on=today + dt.timedelta(days=30)).where(Clock.id == far_off.id).execute()
    samples = scrape(served)
    assert samples[("learnloop_complaint_clocks", (("state", "at_risk"),))] == before["at_risk"] + 1
    assert samples[("learnloop_complaint_clocks", (("state", "breached"),))] == before["breached"] + 1


def test_count_running_clocks_agrees_with_is_at_risk(served: Any) -> None:
    from backend.complaints.clocks import is_at_risk

    today = local_date()
    clocks = [factories.make_clock() for _ in range(6)]
    for offset, clock in enumerate(clocks):
        Clock.update(due_on=today + dt.timedelta(days=offset - 1)).where(Clock.id == clock.id).execute()
    running = Clock.select(Clock, Complaint).join(Complaint).where(Clock.status == "running")
    expected = sum(1 for clock in running if is_at_risk(clock, today, clock.complaint.nation) and not clock.breached)
    assert count_running_clocks(today)["at_risk"] == expected


def test_scrape_queries_are_a_fixed_few(served: Any) -> None:
    for _ in range(3):
        factories.make_delivery()
        factories.make_clock()
    with count_statements() as seen:
        metrics.read_database_state()
    # Three aggregate queries, whatever the rows; on PostgreSQL the time limit adds its own statements around them.
    queries = [sql for sql in seen if "statement_timeout" not in sql and "SAVEPOINT" not in sql]
    assert len(queries) == 3, seen
    assert len(seen) == 3 or is_postgres()


def test_queue_depth_counts_waiting_tasks(served: Any) -> None:
    before = scrape(served)[("learnloop_queue_depth", ())]
    huey.storage.enqueue(b"waiting")
    try:
        assert scrape(served)[("learnloop_queue_depth", ())] == before + 1
    finally:
        huey.storage.flush_queue()


def test_database_down_at_scrape_keeps_the_rest(served: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused() -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr(metrics, "read_database_state", refused)
    samples = scrape(served)
    assert samples[("learnloop_database_up", ())] == 0
    assert samples[("learnloop_queue_up", ())] == 1
    assert not any(name.startswith("learnloop_deliveries") for name, _ in samples)


def test_queue_down_at_scrape_keeps_the_rest(served: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> int:
        raise ConnectionError("redis went away")

    monkeypatch.setattr(health, "queue_size", broken)
    samples = scrape(served)
    assert samples[("learnloop_queue_up", ())] == 0
    assert samples[("learnloop_database_up", ())] == 1


RECORD = """
import sys
from portal import metrics
metrics.record_request("/cases/<int:contact_id>", "GET", "200", 0.05)
metrics.record_request(None, "BREW", "404", 0.01)
"""
SCRAPE = """
from portal import metrics
def refused():
    raise OSError("no database here")
print(metrics.scrape(lambda: 3, refused).decode())
"""


def test_multiprocess_mode_adds_up_every_worker(tmp_path: Path) -> None:
    folder = tmp_path / "prometheus"
    folder.mkdir()
    environ = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder), "LEARNLOOP_ENV": "test"}
    environ["LEARNLOOP_INSTANCE_PATH"] = str(tmp_path)
    for _ in range(2):  # two worker processes, one after the other, each with its own pid
        subprocess.run([sys.executable, "-c", RECORD], env=environ, cwd=ROOT, check=True, timeout=120)
    assert len(list(folder.glob("*.db"))) >= 2
    output = subprocess.run(
        [sys.executable, "-c", SCRAPE], env=environ, cwd=ROOT, check=True, timeout=120, capture_output=True, text=True
    ).stdout
    samples: dict[Any, float] = {}
    for family in text_string_to_metric_families(output):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    route = (("method", "GET"), ("route", "/cases/<int:contact_id>"), ("status", "200"))
    assert samples[("learnloop_http_requests_total", route)] == 2
    assert (
        samples[("learnloop_http_requests_total", (("method", "other"), ("route", "unmatched"), ("status", "404")))]
        == 2
    )
    assert samples[("learnloop_http_request_duration_seconds_count", (("route", "/cases/<int:contact_id>"),))] == 2
    assert samples[("learnloop_queue_depth", ())] == 3
    assert samples[("learnloop_database_up", ())] == 0


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("LEARNLOOP_METRICS_TOKEN", "short"),
        ("LEARNLOOP_METRICS_TOKEN", "has a space " + "x" * 40),
        ("LEARNLOOP_METRICS_TOKEN", "x" * 257),
        ("LEARNLOOP_METRICS_ALLOW", "10.0.0.0/8,not-an-address"),
        ("LEARNLOOP_METRICS_ALLOW", "10.0.0.0/33"),
        ("LEARNLOOP_METRICS_ALLOW", ",".join(f"10.0.0.{n}" for n in range(51))),
    ],
    ids=["token too short", "token with a space", "token too long", "not an address", "bad prefix", "too many"],
)
def test_metrics_settings_refuse_bad_values(variable: str, value: str) -> None:
    from backend.config import ConfigError, load_settings

    with pytest.raises(ConfigError) as refused:
        load_settings(environ={variable: value}, secret_key="s" * 32)
    assert refused.value.variable == variable


def test_metrics_settings_read_networks_and_addresses() -> None:
    from backend.config import load_settings

    loaded = load_settings(
        environ={
            "LEARNLOOP_METRICS_ALLOW": " 10.1.2.3/8 , 192.0.2.7,2001:db8::/32 ,",
            "LEARNLOOP_METRICS_TOKEN": TOKEN,
        },
        secret_key="s" * 32,
    )
    assert loaded.metrics_allow == ("10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32")
    assert loaded.metrics_token == TOKEN
