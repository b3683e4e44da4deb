"""Fixtures for driving the real app in headless Chromium.

The app runs as a subprocess (``learnloop serve``) with its own instance folder, migrated and
loaded with the demo accounts. It never runs in this process: ``create_app`` initialises the
process-wide database proxy that the rest of the suite uses. One server and one browser serve
the whole run; each test gets fresh browser contexts, so cookies never leak between tests.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SKIP_REASON = "Chromium not installed at /usr/bin/chromium; browser tests skipped"
# Without these, Chromium tries to reach Google's services and fills the log with refusals.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "demo-password"  # noqa: S105 - public by design, see backend/demo.py
ACCOUNTS = {
    "resident": "resident@example.org",
    "welsh_resident": "preswylydd@example.org",
    "panel_member": "panel@example.org",
    "staff": "staff@example.org",
    "manager": "manager@example.org",
    "admin": "admin@example.org",
    "advocate": "advocate@example.org",
}
START_TIMEOUT = 30.0
# The pages are local and script-free: a locator that has not matched in 5s never will.
ACTION_TIMEOUT_MS = 5000


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip every browser test, with one plain reason, where Debian's Chromium is absent."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def transaction() -> None:
    """Replace the suite's per-test database transaction: these tests talk to a separate server."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_environment(instance: Path, port: int) -> dict[str, str]:
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


def _run_cli(environ: dict[str, str], *args: str) -> None:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "portal.cli", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"learnloop {' '.join(args)} failed:\n{result.stdout}{result.stderr}"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - a local http URL we built
            return True
    except urllib.error.HTTPError as error:
        error.close()
        return True
    except OSError:
        return False


def _wait_until_serving(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"learnloop serve exited with {process.returncode}:\n{log.read_text()}")
        if _answers(url):
            return
        time.sleep(0.1)
    pytest.fail(f"learnloop serve did not answer within {START_TIMEOUT:.0f}s:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve a migrated demo instance on a free port and return its address."""
    instance = tmp_path_factory.mktemp("browser-instance")
    port = _free_port()
    environ = _server_environment(instance, port)
    _run_cli(environ, "migrate")
    _run_cli(environ, "demo")
    log = instance / "serve.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "portal.cli", "serve", "--port", str(port)],
            env=environ,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_serving(process, url + "/", log)
            yield url
        finally:
            _stop(process)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Launch Debian's headless Chromium once for the run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _open_context(chromium: Any, base_url: str, javascript: bool = True, **options: Any) -> Any:
    context = chromium.new_context(base_url=base_url, java_script_enabled=javascript, locale="en-GB", **options)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    return context


@pytest.fixture
def new_page(chromium: Any, base_url: str) -> Iterator[Callable[..., Any]]:
    """Return a function that opens a page in a fresh context, closed after the test.

    ``javascript=False`` turns scripts off, as for a visitor who blocks them; other keyword
    arguments go to ``Browser.new_context`` (``storage_state``, ``viewport``, ...).
    """
    contexts: list[Any] = []

    def open_page(javascript: bool = True, **options: Any) -> Any:
        context = _open_context(chromium, base_url, javascript, **options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def sign_in_page(page: Any, email: str, password: str = DEMO_PASSWORD) -> None:
    """Fill in and submit the sign-in form the way a person would."""
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Sign in").click()


@pytest.fixture(scope="session")
def page_as(chromium: Any, base_url: str) -> Iterator[Callable[[str | None], Any]]:
    """Return a function giving one long-lived page per demo account (``None`` for a visitor).

    Opening a page costs Chromium a new renderer, and signing in costs the server a password
    hash, so tests that only read pages share these. A test that changes what the server
    remembers about a visitor (language, signing in or out) uses ``new_page`` instead.
    """
    pages: dict[str | None, Any] = {}

    def page_for(account: str | None) -> Any:
        if account not in pages:
            page = _open_context(chromium, base_url).new_page()
            if account is not None:
                sign_in_page(page, ACCOUNTS[account])
                assert "/sign-in" not in page.url, f"{account} could not sign in"
            pages[account] = page
        return pages[account]

    yield page_for
    for page in pages.values():
        page.context.close()
