"""A real Learnloop server in a subprocess, migrated and loaded with the demo data.

It never runs in the test process: ``create_app`` initialises the process-wide database proxy
that the rest of the suite uses.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_environment(instance: Path, port: int) -> dict[str, str]:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("LEARNLOOP_")}
    environ.update(
        LEARNLOOP_ENV="development",
        LEARNLOOP_INSTANCE_PATH=str(instance),
        LEARNLOOP_DATABASE_URL=f"sqlite:///{instance}/web.sqlite3",
        LEARNLOOP_QUEUE_URL=f"sqlite:///{instance}/queue.sqlite3",
        LEARNLOOP_SMTP_URL=f"file:{instance}/mail",
        LEARNLOOP_BASE_URL=f"http://127.0.0.1:{port}",
    )
    return environ


def run_cli(environ: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "portal.cli", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"learnloop {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
    return result.stdout


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):  # a local http URL we built
            return True
    except urllib.error.HTTPError as error:
        error.close()
        return True
    except OSError:
        return False


def wait_until_serving(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"learnloop serve exited with {process.returncode}:\n{log.read_text()}")
        if answers(url):
            return
        time.sleep(0.1)
    pytest.fail(f"learnloop serve did not answer within {START_TIMEOUT:.0f}s:\n{log.read_text()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def demo_server(instance: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """Serve a migrated demo instance on a free port; yield its address and environment."""
    port = free_port()
    environ = server_environment(instance, port)
    run_cli(environ, "migrate")
    run_cli(environ, "demo")
    log = instance / "serve.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "portal.cli", "serve", "--port", str(port)],
            env=environ,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_serving(process, url + "/", log)
            yield url, environ
        finally:
            stop(process)
