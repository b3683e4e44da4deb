"""``learnloop serve --production``: gunicorn in-process, refusing development settings, stopping gracefully."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from backend.config import ConfigError, load_settings
from tests.live_server import free_port, run_cli, server_environment, stop, wait_until_serving

BODY = json.dumps({"query": "{ __typename }"}).encode()


def production_environment(instance: Path, port: int) -> dict[str, str]:
    environ = server_environment(instance, port)
    environ.update(
        LEARNLOOP_ENV="production",
        LEARNLOOP_SECRET_KEY="k" * 40,
        LEARNLOOP_WEB_WORKERS="1",
        LEARNLOOP_WEB_THREADS="2",
        LEARNLOOP_WEB_GRACEFUL_TIMEOUT="30",
    )
    return environ


def serve_production(environ: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "portal.cli", "serve", "--production", "--port", str(port)],
            env=environ,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def read_until(sock: socket.socket, marker: bytes) -> bytes:
    received = b""
    while marker not in received:
        chunk = sock.recv(65536)
        if not chunk:
            break
        received += chunk
    return received


@pytest.mark.parametrize(
    ("setting", "value", "named"),
    [
        ("LEARNLOOP_ENV", "development", "LEARNLOOP_ENV=production"),
        ("LEARNLOOP_QUEUE_URL", "memory://", "LEARNLOOP_QUEUE_URL"),
        ("LEARNLOOP_DEBUG", "on", "LEARNLOOP_DEBUG"),
    ],
)
def test_production_serve_refuses_development_settings(tmp_path: Path, setting: str, value: str, named: str) -> None:
    environ = production_environment(tmp_path, free_port())
    environ[setting] = value
    result = subprocess.run(
        [sys.executable, "-m", "portal.cli", "serve", "--production", "--port", str(free_port())],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert named in result.stderr


def test_production_serve_refuses_while_demo_accounts_exist(tmp_path: Path) -> None:
    port = free_port()
    environ = production_environment(tmp_path, port)
    development = {**environ, "LEARNLOOP_ENV": "development"}
    run_cli(development, "migrate")
    run_cli(development, "demo")
    log = tmp_path / "serve.log"
    process = serve_production(environ, port, log)
    assert process.wait(timeout=120) != 0
    assert "Demo accounts exist" in log.read_text()


def test_serve_help_documents_production_not_another_server() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "portal.cli", "serve", "--help"], capture_output=True, text=True, timeout=120, check=True
    )
    assert "--production" in result.stdout
    assert "use gunicorn" not in result.stdout


def test_sigterm_lets_the_request_in_flight_finish_and_exits_cleanly(tmp_path: Path) -> None:
    port = free_port()
    environ = production_environment(tmp_path, port)
    run_cli({**environ, "LEARNLOOP_ENV": "development"}, "migrate")
    log = tmp_path / "serve.log"
    process = serve_production(environ, port, log)
    try:
        wait_until_serving(process, f"http://127.0.0.1:{port}/how-to-complain", log)
        with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
            head = (
                f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(BODY)}\r\nExpect: 100-continue\r\nX-Request-ID: in-flight-0001\r\n"
                "Connection: close\r\n\r\n"
            )
            sock.sendall(head.encode())
            # gunicorn says "continue" once a worker thread has taken the request: it is in flight.
            assert b"100 Continue" in read_until(sock, b"\r\n\r\n")
            process.send_signal(signal.SIGTERM)
            wait_for_text(log, "Handling signal: term", process)
            sock.sendall(BODY)
            answer = read_until(sock, b'"__typename"')
        assert answer.startswith(b"HTTP/1.1 200 OK\r\n"), answer
        assert b"\r\nserver:" not in answer.lower()
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            stop(process)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    line = next(line for line in lines if line["request_id"] == "in-flight-0001")
    assert line == {**line, "method": "POST", "route": "/graphql", "status": 200, "actor": "anonymous"}


def wait_for_text(log: Path, text: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while text not in log.read_text():
        assert process.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.05)


def test_web_workers_default_to_two_per_core_plus_one(tmp_path: Path) -> None:
    settings = load_settings({"LEARNLOOP_INSTANCE_PATH": str(tmp_path)})
    assert settings.web_worker_count >= 3 and settings.web_worker_count % 2 == 1
    assert load_settings({"LEARNLOOP_INSTANCE_PATH": str(tmp_path), "LEARNLOOP_WEB_WORKERS": "7"}).web_worker_count == 7


@pytest.mark.parametrize(
    ("variable", "raw"),
    [
        ("LEARNLOOP_WEB_WORKERS", "many"),
        ("LEARNLOOP_WEB_WORKERS", "257"),
        ("LEARNLOOP_WEB_THREADS", "0"),
        ("LEARNLOOP_WEB_GRACEFUL_TIMEOUT", "-5"),
        ("LEARNLOOP_SCHEDULER_LEASE_SECONDS", "5"),
    ],
)
def test_malformed_server_setting_names_the_variable(tmp_path: Path, variable: str, raw: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        load_settings({"LEARNLOOP_INSTANCE_PATH": str(tmp_path), variable: raw})
