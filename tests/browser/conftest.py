"""Fixtures for driving the real app in headless Chromium.

The app runs as a subprocess (``learnloop serve``) with its own instance folder, migrated and
loaded with the demo accounts. It never runs in this process: ``create_app`` initialises the
process-wide database proxy that the rest of the suite uses. One server and one browser serve
the whole run; each test gets fresh browser contexts, so cookies never leak between tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.live_server import demo_server

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
DEMO_PASSWORD = "demo-password"  # public by design, see backend/demo.py
ACCOUNTS = {
    "resident": "resident@example.org",
    "welsh_resident": "preswylydd@example.org",
    "panel_member": "panel@example.org",
    "staff": "staff@example.org",
    "manager": "manager@example.org",
    "admin": "admin@example.org",
    "advocate": "advocate@example.org",
}
# The pages are local and script-free: a locator that has not matched in 30s never will, even on a machine busy
# with other work (signing in hashes a password on purpose slowly, which is what a busy machine delays first).
ACTION_TIMEOUT_MS = 30_000


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


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """Serve a migrated demo instance on a free port; give its address and environment."""
    with demo_server(tmp_path_factory.mktemp("browser-instance")) as served:
        yield served


@pytest.fixture(scope="session")
def base_url(live_server: tuple[str, dict[str, str]]) -> str:
    return live_server[0]


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
    options.setdefault("locale", "en-GB")
    context = chromium.new_context(base_url=base_url, java_script_enabled=javascript, **options)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.learnloop_scripts = javascript  # Playwright does not say whether a context runs scripts
    return context


def scripts_enabled(page: Any) -> bool:
    """Whether ``page`` runs scripts (every page not opened by ``new_page(javascript=False)`` does)."""
    return bool(getattr(page.context, "learnloop_scripts", True))


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
