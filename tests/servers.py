"""App servers and workers in subprocesses, for the load, multi-server and fault tests.

The one place that says how a web server is started: switching the tests to the production server is a
change to :func:`server_command` alone. Each process gets the environment it is given (a database URL, a
queue URL, a store URL, one secret key for all of them), so several servers can share one state.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.live_server import answers, free_port

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0


@dataclass
class Running:
    """A started process, the log it writes and (for a web server) the address it answers on."""

    process: subprocess.Popen[bytes]
    log: Path
    url: str = ""

    def stop(self, timeout: float = 15) -> None:
        """Ask it to stop (SIGTERM: a test run in the background ignores SIGINT, and so would its children), then
        kill it if it will not."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def kill(self) -> None:
        """SIGKILL: no clean-up, as when a machine loses power or the kernel ends it."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def site_environment(instance: Path, database_url: str, queue_url: str, **extra: str) -> dict[str, str]:
    """The environment every process of one site shares: the same database, queue, mail folder and secret key."""
    environ = {key: value for key, value in os.environ.items() if not key.startswith("LEARNLOOP_")}
    environ.update(
        PYTHONPATH=str(ROOT),
        LEARNLOOP_ENV="development",
        LEARNLOOP_INSTANCE_PATH=str(instance),
        LEARNLOOP_DATABASE_URL=database_url,
        LEARNLOOP_QUEUE_URL=queue_url,
        LEARNLOOP_SMTP_URL=f"file:{instance}/mail",
        LEARNLOOP_SECRET_KEY="several-servers-" + "s" * 32,
    )
    environ.update(extra)
    return environ


def production(environ: dict[str, str], web_workers: int = 2) -> dict[str, str]:
    """The same site's environment with production settings: what ``learnloop serve --production`` asks for.

    The tests talk plain HTTP to 127.0.0.1, so the session cookie may go without TLS; the request log is off to keep
    the servers' logs to what went wrong, and a stopping server waits at most five seconds for requests in flight.
    """
    return {
        **environ,
        "LEARNLOOP_WEB_GRACEFUL_TIMEOUT": "5",
        "LEARNLOOP_ENV": "production",
        "LEARNLOOP_WEB_WORKERS": str(web_workers),
        "LEARNLOOP_SESSION_COOKIE_SECURE": "off",
        "LEARNLOOP_REQUEST_LOG": "off",
    }


def create_resident(environ: dict[str, str], email: str, name: str, password: str) -> None:
    """Make a resident's account the way an operator would (production refuses the demo's accounts)."""
    run_cli(environ, "users", "create", "--email", email, "--name", name, "--role", "resident", "--password", password)


def run_cli(environ: dict[str, str], *args: str, timeout: float = 300) -> str:
    """Run a ``learnloop`` command to the end and return what it printed; fail the test when it fails."""
    result = subprocess.run(
        [sys.executable, "-m", "portal.cli", *args],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"learnloop {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def server_command(port: int, environ: dict[str, str]) -> list[str]:
    """The command that serves the app on ``port``: the production server (gunicorn) when the environment says
    production, else the threaded development server."""
    command = [sys.executable, "-m", "portal.cli", "serve", "--port", str(port)]
    return [*command, "--production"] if environ.get("LEARNLOOP_ENV") == "production" else command


def _spawn(command: list[str], environ: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as output:  # the child keeps its own copy of the file
        return subprocess.Popen(
            command, env=environ, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT
        )


def start_app_server(instance: Path, environ: dict[str, str]) -> Running:
    """Start a web server for the site on a free port and wait until it answers."""
    port = free_port()
    environ = {**environ, "LEARNLOOP_BASE_URL": environ.get("LEARNLOOP_BASE_URL", f"http://127.0.0.1:{port}")}
    instance.mkdir(parents=True, exist_ok=True)
    log = instance / f"serve-{port}.log"
    process = _spawn(server_command(port, environ), environ, log)
    running = Running(process, log, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + START_TIMEOUT
    while not answers(running.url + "/"):
        if process.poll() is not None or time.monotonic() > deadline:
            running.stop()
            raise AssertionError(f"the server did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)
    return running


def start_worker(instance: Path, environ: dict[str, str], threads: int = 2) -> Running:
    """Start a queue worker for the site; several may run, as a lease lets one at a time schedule periodic tasks."""
    instance.mkdir(parents=True, exist_ok=True)
    log = instance / "worker.log"
    command = [sys.executable, "-m", "portal.cli", "worker", "--workers", str(threads)]
    return Running(_spawn(command, environ, log), log)


def wait_for(condition, timeout: float, what: str, every: float = 0.1) -> None:  # type: ignore[no-untyped-def]
    """Wait until ``condition()`` is true, or fail naming ``what`` did not happen."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(every)
