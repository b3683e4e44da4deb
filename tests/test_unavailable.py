"""When the database can't be reached: a 503 page (or JSON for the API) that gives back what was typed, and the
next request after it returns works by itself.

The database goes away for real: on SQLite the app is pointed at a copy in a folder the test takes away; on
PostgreSQL (with LEARNLOOP_TEST_DATABASE_URL set) at the test database through a TCP proxy the test cuts.
"""

from __future__ import annotations

import html
import re
import socket
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest
from peewee import InterfaceError, OperationalError, SqliteDatabase

from backend.complaints import intake
from backend.complaints.models import Contact
from backend.db import (
    DatabaseUnavailable,
    TimeLimitExceeded,
    database_unavailable,
    db,
    make_database,
)
from backend.migrate import migrate_up
from portal import health
from tests.conftest import CSRF_INPUT, TEST_DATABASE_URL
from tests.live_server import free_port

MESSAGE = "We can&#39;t save or show this right now. Please try again in a minute."
KEPT = re.compile(r'<textarea id="kept-text"[^>]*readonly>(.*?)</textarea>', re.DOTALL)


def kept_text(response: Any) -> str:
    """What the 503 page gives back, as the person would read it in the box."""
    match = KEPT.search(response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)[:2000]
    return html.unescape(match.group(1))


def csrf_token(client: Any, page: str = "/sign-in") -> str:
    match = CSRF_INPUT.search(client.get(page).get_data(as_text=True))
    assert match
    return match.group(1)


# --- SQLite: the database file's folder goes away ----------------------------------------------------------------


class FolderOutage:
    """A SQLite database in a folder that can be moved away (the file can't be opened) and put back."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.away = folder.with_name(folder.name + "-away")

    def cut(self) -> None:
        self.folder.rename(self.away)

    def restore(self) -> None:
        self.away.rename(self.folder)


@pytest.fixture
def sqlite_outage(app: Any, tmp_path: Path) -> Iterator[FolderOutage]:
    """Point the app at its own migrated SQLite database for the test, then back at the suite's."""
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "web.sqlite3"
    saved = db.obj
    if isinstance(saved, SqliteDatabase):
        # The suite's database as last committed (migrated, without this test's rolled-back rows).
        with sqlite3.connect(saved.database) as source, sqlite3.connect(path) as target:
            source.backup(target)
        database = make_database(f"sqlite:///{path}")
    else:
        database = make_database(f"sqlite:///{path}")
        with database.connection_context():
            migrate_up(database)
    db.initialize(database)
    outage = FolderOutage(folder)
    try:
        yield outage
    finally:
        if outage.away.exists():
            outage.restore()
        if not database.is_closed():
            database.close()
        db.initialize(saved)


def test_page_while_the_database_is_away_is_503_with_retry_after(client: Any, sqlite_outage: FolderOutage) -> None:
    sqlite_outage.cut()
    response = client.get("/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert "no-store" in response.headers["Cache-Control"]  # it may hold what a signed-in person wrote
    body = response.get_data(as_text=True)
    assert MESSAGE in body
    assert "<h1>Try again in a minute</h1>" in body
    assert 'id="kept-text"' not in body  # nothing was sent, so there is nothing to give back


def test_next_request_after_the_database_returns_works(client: Any, sqlite_outage: FolderOutage) -> None:
    assert client.get("/").status_code == 200
    sqlite_outage.cut()
    assert client.get("/").status_code == 503
    sqlite_outage.restore()
    assert client.get("/").status_code == 200


def test_503_page_is_in_the_language_the_browser_chose(client: Any, sqlite_outage: FolderOutage) -> None:
    sqlite_outage.cut()
    response = client.get("/", headers={"Accept-Language": "cy"})
    assert response.status_code == 503
    assert '<html lang="cy"' in response.get_data(as_text=True)


def test_sign_in_form_gives_back_the_email_but_never_the_password_or_token(
    client: Any, sqlite_outage: FolderOutage
) -> None:
    token = csrf_token(client)
    sqlite_outage.cut()
    response = client.post(
        "/sign-in", data={"csrf_token": token, "email": "rhian@example.org", "password": "correct horse battery"}
    )
    assert response.status_code == 503
    assert kept_text(response) == "rhian@example.org"
    body = response.get_data(as_text=True)
    assert "correct horse battery" not in body
    assert token not in kept_text(response)


def test_text_given_back_is_escaped(client: Any, sqlite_outage: FolderOutage) -> None:
    token = csrf_token(client)
    sqlite_outage.cut()
    words = '<script>alert("x")</script> & the rest'
    response = client.post("/sign-in", data={"csrf_token": token, "email": words, "password": "x"})
    body = response.get_data(as_text=True)
    assert "<script>alert" not in body
    assert kept_text(response) == words


def test_graphql_while_the_database_is_away_is_503_json(client: Any, sqlite_outage: FolderOutage) -> None:
    sqlite_outage.cut()
    response = client.post("/graphql", json={"query": "{ viewer { roles } }"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert response.get_json() == {
        "errors": [
            {
                "message": "We can't save or show this right now. Please try again in a minute.",
                "extensions": {"code": "UNAVAILABLE"},
            }
        ]
    }


def test_readyz_names_the_database_while_it_is_away(client: Any, sqlite_outage: FolderOutage, monkeypatch: Any) -> None:
    monkeypatch.setattr(health, "READY_CACHE_SECONDS", 0)
    sqlite_outage.cut()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"]["error"] == "unreachable"


def test_healthz_while_the_database_is_away_is_still_ok(client: Any, sqlite_outage: FolderOutage) -> None:
    sqlite_outage.cut()
    assert client.get("/healthz").status_code == 200


# --- Failing mid-request -------------------------------------------------------------------------------------------


@pytest.fixture
def failing_statements(sqlite_outage: FolderOutage) -> Iterator[dict[str, bool]]:
    """Every SQL statement fails as if the connection had dropped, while ``state["down"]`` is true."""
    database = db.obj
    original = database.execute_sql
    state = {"down": False}

    def execute_sql(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        if state["down"]:
            raise OperationalError("disk I/O error")
        return original(sql, params, *args, **kwargs)

    database.execute_sql = execute_sql
    try:
        yield state
    finally:
        del database.execute_sql


def test_graphql_losing_the_database_mid_request_is_503_json(client: Any, failing_statements: dict[str, bool]) -> None:
    failing_statements["down"] = True
    response = client.post("/graphql", json={"query": "{ publicStories { __typename } }"})
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.get_json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
    failing_statements["down"] = False
    again = client.post("/graphql", json={"query": "{ publicStories { __typename } }"})
    assert again.status_code == 200, again.get_data(as_text=True)


def test_complaint_form_that_could_not_be_saved_gives_back_every_word(
    browser: Any, signed_in: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed_in("resident")
    token = csrf_token(browser.client, "/cases/new")
    before = Contact.select().count()

    def connection_lost(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(intake, "submit_contact", connection_lost)
    words = "The boiler has not worked for a week.\nMy children are cold. Please send someone."
    response = browser.client.post(
        "/cases/new",
        data={
            "csrf_token": token,
            "kind": "complaint",
            "description": words,
            "adjustments": "Large print letters",
            "idempotency_key": "a" * 32,
        },
    )
    assert response.status_code == 503, response.get_data(as_text=True)[:500]
    assert kept_text(response) == f"complaint\n\n{words}\n\nLarge print letters"
    assert Contact.select().count() == before


def test_files_sent_with_a_form_that_failed_are_said_to_be_lost(
    browser: Any, signed_in: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from tests.test_complaints_api import png

    signed_in("resident")
    token = csrf_token(browser.client, "/cases/new")
    monkeypatch.setattr(intake, "submit_contact", lambda *a, **k: (_ for _ in ()).throw(InterfaceError("closed")))
    response = browser.client.post(
        "/cases/new",
        data={
            "csrf_token": token,
            "kind": "complaint",
            "description": "A photo of the damp",
            "attachments": (io.BytesIO(png()), "damp.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 503, response.get_data(as_text=True)[:3000]
    assert "Any files you attached were not kept" in response.get_data(as_text=True)


# --- What counts as the database being unavailable -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (OperationalError("connection refused"), True),
        (InterfaceError("the connection is closed"), True),
        (DatabaseUnavailable(), True),
        (OperationalError("interrupted"), False),
        (TimeLimitExceeded(5000), False),
        (ValueError("not a database error"), False),
    ],
    ids=["operational", "interface", "named", "interrupted by the time limit", "time limit", "other"],
)
def test_database_unavailable_tells_which_errors(error: Exception, unavailable: bool) -> None:
    assert database_unavailable(error) is unavailable


def test_database_unavailable_looks_through_the_cause() -> None:
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as lost:
            raise RuntimeError("the operation failed") from lost
    except RuntimeError as wrapped:
        assert database_unavailable(wrapped)


def test_a_statement_stopped_by_postgresqls_statement_timeout_is_not_unavailability() -> None:
    """peewee raises its OperationalError while handling psycopg's QueryCanceled: the database answered."""
    import psycopg.errors

    try:
        try:
            raise psycopg.errors.QueryCanceled("canceling statement due to statement timeout")
        except psycopg.errors.QueryCanceled as canceled:
            raise OperationalError(str(canceled))  # noqa: B904 - peewee's reraise leaves the driver's as the context
    except OperationalError as raised:
        assert isinstance(raised.__context__, psycopg.errors.QueryCanceled)
        assert not database_unavailable(raised)


# --- PostgreSQL: the connection goes through a proxy the test cuts ------------------------------------------------


class TcpProxy:
    """Forward a local port to PostgreSQL; :meth:`cut` drops every connection and refuses new ones until restored."""

    def __init__(self, host: str, port: int):
        self.upstream = (host, port)
        self.port = free_port()
        self.lock = threading.Lock()
        self.sockets: list[socket.socket] = []
        self.listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        assert self.listener is not None
        _close(self.listener)
        with self.lock:
            for sock in self.sockets:
                _close(sock)
            self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self.lock:
                self.sockets += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            _close(source)
            _close(target)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


@pytest.fixture
def postgres_outage(app: Any) -> Iterator[TcpProxy]:
    if not TEST_DATABASE_URL or not TEST_DATABASE_URL.startswith("postgres"):
        pytest.skip("set LEARNLOOP_TEST_DATABASE_URL to a PostgreSQL database to cut its connection")
    parsed = urlparse(TEST_DATABASE_URL)
    proxy = TcpProxy(parsed.hostname or "127.0.0.1", parsed.port or 5432)
    credentials = parsed.netloc.rsplit("@", 1)[0] + "@" if "@" in parsed.netloc else ""
    url = urlunparse(parsed._replace(netloc=f"{credentials}127.0.0.1:{proxy.port}", query="connect_timeout=3"))
    saved = db.obj
    database = make_database(url)
    db.initialize(database)
    try:
        yield proxy
    finally:
        if not database.is_closed():
            database.close()
        database.close_all()
        db.initialize(saved)
        proxy.cut()


def test_postgres_cut_is_503_and_the_next_request_after_it_returns_works(
    client: Any, postgres_outage: TcpProxy
) -> None:
    assert client.get("/").status_code == 200
    postgres_outage.cut()
    response = client.get("/")
    assert response.status_code == 503
    assert MESSAGE in response.get_data(as_text=True)
    graphql = client.post("/graphql", json={"query": "{ publicStories { __typename } }"})
    assert graphql.status_code == 503
    assert graphql.get_json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
    postgres_outage.restore()
    assert client.get("/").status_code == 200


def test_postgres_cut_mid_request_gives_back_what_was_typed(client: Any, postgres_outage: TcpProxy) -> None:
    token = csrf_token(client)
    database = db.obj
    original = database.execute_sql

    def cut_first(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        del database.execute_sql  # the next statement, and every one after, goes as usual
        postgres_outage.cut()
        return original(sql, params, *args, **kwargs)

    database.execute_sql = cut_first
    response = client.post("/sign-in", data={"csrf_token": token, "email": "sam@example.org", "password": "secret!"})
    assert response.status_code == 503, response.get_data(as_text=True)[:500]
    assert kept_text(response) == "sam@example.org"
    postgres_outage.restore()
    assert client.get("/sign-in").status_code == 200
