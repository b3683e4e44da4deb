"""``learnloop loadtest``: a tiny run against a real server, the figures it reports, and the addresses it refuses."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench import BenchError
from bench.loadrun import percentile
from bench.loadtest import Budget, Client, Samples, _pauses, check_loopback, roles_for
from tests.servers import ROOT, run_cli, site_environment, start_app_server


@pytest.mark.parametrize(
    "url", ["http://example.org", "http://10.0.0.5:5000", "http://192.168.1.2", "ftp://127.0.0.1/", "127.0.0.1:5000"]
)
def test_check_loopback_refuses_an_address_off_this_machine(url: str) -> None:
    with pytest.raises(BenchError):
        check_loopback(url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:5000/", "http://localhost:8000", "http://[::1]:5000", "http://127.0.0.2"]
)
def test_check_loopback_accepts_this_machine(url: str) -> None:
    assert check_loopback(url) == url.rstrip("/")


def test_loadtest_command_refuses_a_remote_url_before_touching_the_database(tmp_path: Path) -> None:
    environ = site_environment(tmp_path, f"sqlite:///{tmp_path}/web.sqlite3", f"sqlite:///{tmp_path}/queue.sqlite3")
    result = subprocess.run(
        [sys.executable, "-m", "portal.cli", "loadtest", "--url", "http://example.org", "--duration", "1"],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "only drives a loopback address" in result.stderr
    assert not (tmp_path / "web.sqlite3").exists()


def test_roles_for_shares_clients_five_three_two_and_every_role_from_three() -> None:
    fifty = roles_for(50)
    assert (fifty.count("resident"), fifty.count("staff"), fifty.count("tool")) == (25, 15, 10)
    assert sorted(roles_for(3)) == ["resident", "staff", "tool"]
    assert "tool" not in roles_for(10, tools=False)


def test_percentile_is_nearest_rank() -> None:
    ordered = [float(n) for n in range(1, 101)]
    assert (percentile(ordered, 0.5), percentile(ordered, 0.95), percentile(ordered, 0.99)) == (50.0, 95.0, 99.0)
    assert percentile([], 0.95) == 0.0


def test_loadtest_tiny_run_reports_every_kind_without_errors(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    environ = site_environment(instance, f"sqlite:///{instance}/web.sqlite3", f"sqlite:///{instance}/queue.sqlite3")
    run_cli(environ, "migrate")
    server = start_app_server(instance, environ)
    results = tmp_path / "load.json"
    try:
        printed = run_cli(
            environ, "loadtest", "--url", server.url, "--clients", "3", "--duration", "3", "--json", str(results)
        )
    finally:
        server.stop()
    report = json.loads(results.read_text())
    overall = report["overall"]
    assert overall["errors"] == 0, (overall["error_kinds"], server.log.read_text()[-3000:])
    assert overall["requests"] > 0 and overall["per_second"] > 0
    assert overall["p50_ms"] <= overall["p95_ms"] <= overall["p99_ms"]
    kinds = set(report["kinds"])
    assert any(kind.startswith("resident") for kind in kinds)
    assert any(kind.startswith("staff") for kind in kinds)
    assert "tool: contacts page" in kinds
    assert report["command"]["roles"] == {"resident": 1, "staff": 1, "tool": 1}
    assert "overall" in printed and "p95 ms" in printed


def test_think_pauses_have_their_mean_a_ceiling_and_end_with_the_run() -> None:
    draws = [pause() for pause in [_pauses(random.Random(1), 0.5)] for _ in range(4000)]
    assert max(draws) <= 2.0 and 0.42 < sum(draws) / len(draws) < 0.55
    budget = Budget(None, 0.2)
    budget.start()
    client = Client("http://127.0.0.1:1", Samples(), budget)
    client.think = lambda: 30.0
    started = time.monotonic()
    client.timed("nothing", lambda: None)
    assert time.monotonic() - started < 1.0  # the pause stops when the run does
    assert client.samples.times["nothing"]
