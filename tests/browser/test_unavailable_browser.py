"""The "try again in a minute" page in headless Chromium, checked by axe, while the server's database is away.

The server here is its own (the shared demo server must keep its database): its SQLite file sits in a folder
the test moves away and back.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import _open_context
from tests.browser.test_pages import assert_accessible
from tests.live_server import free_port, run_cli, server_environment, stop, wait_until_serving

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]


class Server:
    def __init__(self, url: str, folder: Path):
        self.url = url
        self.folder = folder
        self.away = folder.with_name("database-away")

    def cut(self) -> None:
        self.folder.rename(self.away)

    def restore(self) -> None:
        self.away.rename(self.folder)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    instance = tmp_path_factory.mktemp("unavailable-instance")
    folder = instance / "database"
    folder.mkdir()
    port = free_port()
    environ = server_environment(instance, port)
    environ["LEARNLOOP_DATABASE_URL"] = f"sqlite:///{folder}/web.sqlite3"
    run_cli(environ, "migrate")
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
            wait_until_serving(process, url + "/healthz", log)
            yield Server(url, folder)
        finally:
            stop(process)


@pytest.fixture
def new_page(chromium: Any, server: Server) -> Iterator[NewPage]:
    """Pages on this test's own server (not the shared demo one), each in a fresh context."""
    contexts: list[Any] = []

    def open_page(javascript: bool = True) -> Any:
        context = _open_context(chromium, server.url, javascript)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def outage(server: Server) -> Iterator[Server]:
    try:
        yield server
    finally:
        if server.away.exists():
            server.restore()


def test_unavailable_page_has_no_axe_violations(new_page: NewPage, outage: Server) -> None:
    page = new_page()
    outage.cut()
    response = page.goto("/")
    assert response.status == 503
    assert page.get_by_role("heading", level=1).inner_text() == "Try again in a minute"
    assert_accessible(page)


def test_form_sent_while_away_gives_the_words_back_without_javascript(new_page: NewPage, outage: Server) -> None:
    page = new_page(javascript=False)
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("rhian@example.org")
    page.get_by_label("Password", exact=True).fill("correct horse battery staple")
    outage.cut()
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Sign in").press("Enter")
    kept = page.get_by_label("What you wrote")
    assert kept.input_value() == "rhian@example.org"
    assert kept.get_attribute("readonly") is not None
    assert "correct horse battery staple" not in page.content()


def test_form_sent_while_away_page_has_no_axe_violations(new_page: NewPage, outage: Server) -> None:
    page = new_page()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("rhian@example.org")
    page.get_by_label("Password", exact=True).fill("not kept")
    outage.cut()
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Sign in").click()
    assert page.get_by_label("What you wrote").input_value() == "rhian@example.org"
    assert_accessible(page)


def test_pages_work_again_once_the_database_is_back(new_page: NewPage, outage: Server) -> None:
    page = new_page()
    outage.cut()
    assert page.goto("/").status == 503
    outage.restore()
    assert page.goto("/").status == 200
