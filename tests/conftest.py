"""Fixtures: settings, one migrated database per run, a rolled-back transaction per test, the app,
its client, and signed-in users of each role.

Set LEARNLOOP_TEST_DATABASE_URL (postgresql://…) and LEARNLOOP_TEST_QUEUE_URL (redis://…) to
run the same suite against PostgreSQL and Redis.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from flask import Flask
from flask.testing import FlaskClient

from backend import config, timeutil
from backend.accounts.passwords import use_hasher
from backend.config import Settings, load_settings
from backend.db import db
from backend.migrate import migrate_up

use_hasher(PasswordHasher.from_parameters(CHEAPEST))  # before the factories hash their password

from tests import factories  # noqa: E402


def _own_databases_per_worker() -> None:
    """Under pytest-xdist each worker process gets its own PostgreSQL database and Redis database, so workers
    never reset or flush each other's: ``<name>_gw0`` beside ``<name>``, and the Redis number counted down from the
    one given (15, 14, ...). Without workers the URLs are used as given."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    number = int(worker[2:])
    url = os.environ.get("LEARNLOOP_TEST_DATABASE_URL")
    if url:
        import psycopg
        from psycopg import sql

        parsed = urlsplit(url)
        name = f"{parsed.path.lstrip('/')}_{worker}"
        with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        os.environ["LEARNLOOP_TEST_DATABASE_URL"] = parsed._replace(path=f"/{name}").geturl()
    queue = os.environ.get("LEARNLOOP_TEST_QUEUE_URL")
    if queue and queue.startswith("redis"):
        parsed = urlsplit(queue)
        base = int(parsed.path.lstrip("/") or 0)
        os.environ["LEARNLOOP_TEST_QUEUE_URL"] = parsed._replace(path=f"/{(base - number) % 16}").geturl()


_own_databases_per_worker()
TEST_DATABASE_URL = os.environ.get("LEARNLOOP_TEST_DATABASE_URL")
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
ROLES = ("resident", "advocate", "panel_member", "staff", "manager", "admin")


def reset_postgres(url: str) -> None:
    """Empty the test database so migrations start from nothing."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def settings(instance_path: Path) -> Settings:
    environ = {
        "LEARNLOOP_ENV": "test",
        "LEARNLOOP_INSTANCE_PATH": str(instance_path),
        "LEARNLOOP_DATABASE_URL": TEST_DATABASE_URL or f"sqlite:///{instance_path}/test.sqlite3",
        "LEARNLOOP_QUEUE_URL": "memory://",
        "LEARNLOOP_SMTP_URL": f"file:{instance_path}/mail",
        "LEARNLOOP_BASE_URL": "http://learnloop.test",
    }
    return load_settings(environ=environ, secret_key="test-secret-" + "x" * 32)


@pytest.fixture(scope="session")
def app(settings: Settings) -> Iterator[Flask]:
    from portal.app import create_app

    if TEST_DATABASE_URL:
        reset_postgres(TEST_DATABASE_URL)
    application = create_app(settings)
    application.config.update(TESTING=True)
    with db.obj.connection_context():
        migrate_up(db.obj)
    yield application
    if not db.is_closed():
        db.close()


@pytest.fixture(autouse=True)
def transaction(request: pytest.FixtureRequest) -> Iterator[None]:
    """Run each test inside a transaction that is rolled back, so tests never see each other."""
    request.getfixturevalue("app")
    config.set_current(request.getfixturevalue("settings"))
    db.connect(reuse_if_open=True)
    with db.atomic() as txn:
        yield
        txn.rollback()


@pytest.fixture
def mail_dir(settings: Settings) -> Iterator[Path]:
    folder = settings.instance_path / "mail"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.eml"):
        old.unlink()
    yield folder


def read_mail(folder: Path) -> list[Any]:
    from email import policy
    from email.parser import BytesParser

    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(path.read_bytes()) for path in sorted(folder.glob("*.eml"))]


@pytest.fixture
def other_app(settings: Settings, tmp_path: Path) -> Iterator[Any]:
    """Build a second app (for example with production settings) on its own SQLite file.

    ``create_app`` points the process-wide database proxy at its database; this puts it back.
    """
    from portal.app import create_app

    saved = db.obj

    def build(**overrides: Any) -> Flask:
        url = f"sqlite:///{tmp_path}/other.sqlite3"
        built = create_app(settings.with_overrides(database_url=url, **overrides))
        with db.obj.connection_context():
            migrate_up(db.obj)
        return built

    yield build
    from tasks.queue import configure_queue

    db.initialize(saved)
    config.set_current(settings)
    configure_queue(settings)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class Browser:
    """A test client that fills in the CSRF token the way a browser submitting the page would."""

    def __init__(self, client: FlaskClient):
        self.client = client

    def csrf(self, page: str = "/sign-in") -> str:
        response = self.client.get(page)
        match = CSRF_INPUT.search(response.get_data(as_text=True))
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def submit(self, url: str, data: dict[str, Any], page: str | None = None, **kwargs: Any) -> Any:
        token = self.csrf(page or url)
        return self.client.post(url, data={"csrf_token": token, **data}, **kwargs)

    def sign_in(self, email: str, password: str = factories.PASSWORD) -> Any:
        return self.submit("/sign-in", {"email": email, "password": password})

    def sign_out(self) -> Any:
        return self.submit("/sign-out", {}, page="/")

    def graphql(self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        return self.client.post("/graphql", json={"query": query, "variables": variables or {}}, **kwargs)


@pytest.fixture
def browser(client: FlaskClient) -> Browser:
    return Browser(client)


@pytest.fixture
def signed_in(browser: Browser) -> Any:
    """Return a function that creates a user with the given roles and signs them in."""

    def sign_in_as(*roles: str, **user_kwargs: Any) -> Any:
        user = factories.make_user(*roles, **user_kwargs)
        response = browser.sign_in(user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return sign_in_as


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3-compatible server (moto's) on a free local port, for the whole run; its address."""
    import socket

    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(scope="session")
def s3_client(s3_endpoint: str) -> Any:
    """The options that reach the local S3 server, and one client for it (a client takes a second to make)."""
    from backend.attachments.s3 import make_client
    from backend.attachments.storage import S3Options

    options = S3Options(endpoint_url=s3_endpoint, region="eu-west-2", access_key_id="test", secret_access_key="test")
    return options, make_client(options)


@pytest.fixture
def s3_bucket(s3_client: Any) -> Iterator[Any]:
    """A new, empty bucket on the local S3 server, the options that reach it and a client; removed afterwards."""
    import uuid

    options, client = s3_client
    name = f"learnloop-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    yield name, options, client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=name):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=name, Key=item["Key"])
    client.delete_bucket(Bucket=name)


@pytest.fixture
def clock_at(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Stop the clock at a UTC moment, everywhere at once: ``clock_at(dt.datetime(2026, 3, 2, 10))``.

    Call it again to move the clock; the real clock comes back after the test.
    """

    def set_time(moment: dt.datetime) -> None:
        monkeypatch.setattr(timeutil, "clock", lambda: moment)

    return set_time


@pytest.fixture
def no_rate_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """No per-address or per-token rate limit, for tests whose many requests are the point."""
    relaxed = config.current().with_overrides(rate_limit_per_minute_ip=0, rate_limit_per_minute_token=0)
    monkeypatch.setattr(config, "_current", relaxed)


@pytest.fixture
def unlimited(no_rate_limits: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """No rate limit and room for queries that ask for every field at once: for walks of the whole schema."""
    relaxed = config.current().with_overrides(graphql_max_tokens=1_000_000, graphql_max_cost=10**9)
    monkeypatch.setattr(config, "_current", relaxed)
