"""Two production app servers and two workers on one PostgreSQL database, one Redis and one S3 bucket.

A resident signs in on one server and carries on with the same cookie on the other; a photo sent with a complaint
on one is downloaded from the other; a rate limit reached on one holds on the other; and every message the two
workers send goes out exactly once. Each server is ``learnloop serve --production`` (gunicorn, two worker processes)
with an instance folder of its own, so nothing can lean on a folder or a process only one of them sees: what they
share is named in the environment (see docs/scaling.md). Attachments go to moto's S3 server; both workers schedule
periodic tasks, and the scheduler lease keeps that to one at a time.

Needs PostgreSQL and Redis: skipped unless ``LEARNLOOP_TEST_DATABASE_URL`` and ``LEARNLOOP_TEST_QUEUE_URL`` are set.
"""

from __future__ import annotations

import email
import os
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bench.loadtest import CSRF, IDEMPOTENCY, Budget, Client, Samples
from tests.servers import (
    Running,
    create_resident,
    production,
    run_cli,
    site_environment,
    start_app_server,
    start_worker,
    wait_for,
)
from tests.test_attachment_files import png_bytes
from tests.test_faults import flush_queue, own_postgres

pytestmark = pytest.mark.skipif(
    not (os.environ.get("LEARNLOOP_TEST_DATABASE_URL") and os.environ.get("LEARNLOOP_TEST_QUEUE_URL")),
    reason="needs PostgreSQL and Redis (LEARNLOOP_TEST_DATABASE_URL and LEARNLOOP_TEST_QUEUE_URL)",
)
PASSWORD = "two-servers-test-password"
RESIDENTS = {"resident@example.org": "Sam Okafor", "tenant@example.org": "Rhian Evans"}
IP_LIMIT = 5


@dataclass
class Site:
    servers: list[Running]
    workers: list[Running]
    database_url: str
    mail: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, s3_client: Any) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("two_servers")
    options, client = s3_client
    bucket = f"learnloop-two-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": options.region})
    for database_url in own_postgres("two"):
        mail = folder / "mail"
        shared = {
            "LEARNLOOP_ATTACHMENTS_URL": f"s3://{bucket}/attachments",
            "LEARNLOOP_S3_ENDPOINT_URL": options.endpoint_url,
            "LEARNLOOP_S3_REGION": options.region,
            "LEARNLOOP_S3_ACCESS_KEY_ID": options.access_key_id,
            "LEARNLOOP_S3_SECRET_ACCESS_KEY": options.secret_access_key,
            "LEARNLOOP_SMTP_URL": f"file:{mail}",
            "LEARNLOOP_RATE_LIMIT_PER_MINUTE_IP": str(IP_LIMIT),
            # The test's messages would reach the hourly limit, which holds the rest for an hour.
            "LEARNLOOP_MESSAGES_PER_RECIPIENT_PER_HOUR": "0",
        }
        queue_url = os.environ["LEARNLOOP_TEST_QUEUE_URL"]
        first = production(site_environment(folder / "a", database_url, queue_url, **shared))
        second = production(site_environment(folder / "b", database_url, queue_url, **shared))
        flush_queue(first)
        run_cli(first, "migrate")
        for address, name in RESIDENTS.items():
            create_resident(first, address, name, PASSWORD)
        started: list[Running] = []
        try:
            started.append(start_app_server(folder / "a", first))
            started.append(start_app_server(folder / "b", second))
            started.append(start_worker(folder / "a", first, threads=2))
            started.append(start_worker(folder / "b", second, threads=2))  # both schedule: the lease picks one
            yield Site(started[:2], started[2:], database_url, mail)
        finally:
            for process in started:
                process.stop()
            flush_queue(first)
            for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
                for item in page.get("Contents", []):
                    client.delete_object(Bucket=bucket, Key=item["Key"])
            client.delete_bucket(Bucket=bucket)


OPENED: list[Client] = []


@pytest.fixture(autouse=True)
def close_browsers() -> Iterator[None]:
    """Close each test's connections: the production server keeps them alive, and a socket left open is a warning."""
    yield
    while OPENED:
        OPENED.pop().close()


def browser(server: Running) -> Client:
    OPENED.append(Client(server.url, Samples(), Budget(None, 3600)))
    return OPENED[-1]


def signed_in(server: Running, email_address: str = "resident@example.org") -> Client:
    client = browser(server)
    client.sign_in(email_address, PASSWORD)
    return client


def carried_over(client: Client, server: Running) -> Client:
    """The same browser pointed at the other server: only its cookies go with it."""
    other = browser(server)
    other.cookies = dict(client.cookies)
    return other


def multipart(fields: dict[str, str], files: dict[str, tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    for name, (filename, media_type, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {media_type}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def tell_us(client: Client, description: str, photo: bytes | None = None) -> str:
    """Send the portal's form (a complaint, with a photo when given); return the new case's address."""
    status, _headers, page = client.request("GET", "/cases/new")
    token, key = CSRF.search(page), IDEMPOTENCY.search(page)
    assert status == 200 and token and key
    fields = {
        "csrf_token": token.group(1),
        "kind": "complaint",
        "description": description,
        "adjustments": "",
        "idempotency_key": key.group(1),
    }
    files = {"attachments": ("boiler.png", "image/png", photo)} if photo else {}
    body, content_type = multipart(fields, files)
    headers = {"Content-Type": content_type, "Referer": client.origin + "/cases/new"}
    status, headers, _text = client.request("POST", "/cases/new", body, headers)
    assert status == 302, status
    return headers["location"]


def test_session_signed_in_on_one_server_carries_on_at_the_other(site: Site) -> None:
    first, second = site.servers
    client = signed_in(first)
    other = carried_over(client, second)
    status, _headers, page = other.request("GET", "/cases")
    assert status == 200
    assert "Sam Okafor" in page or "/sign-out" in page
    signed_out = browser(second)
    assert signed_out.request("GET", "/cases")[0] == 302  # the cookie, not the server, signs the resident in


def test_photo_sent_to_one_server_downloads_from_the_other(site: Site) -> None:
    first, second = site.servers
    client = signed_in(first)
    photo = png_bytes()
    case = tell_us(client, "The boiler leaks onto the kitchen floor (see the photo).", photo)
    other = carried_over(client, second)
    status, _headers, page = other.request("GET", case.replace(first.url, ""))
    assert status == 200
    link = re.search(r'href="(/attachments/\d+)"', page)
    assert link, "the case page on the other server lists the photo"
    status, headers, _text = other.request("GET", link.group(1))
    assert status == 200 and headers["content-type"] == "image/png"
    assert int(headers["content-length"]) == len(photo)


def test_rate_limit_reached_on_one_server_holds_on_the_other(site: Site) -> None:
    first, second = site.servers
    body = b'{"query": "{ __typename }"}'
    headers = {"Content-Type": "application/json"}
    for _attempt in range(2):  # once more if the minute's window turned over in the middle
        window = int(time.time() // 60)
        answers = [browser(first).request("POST", "/graphql", body, headers)[0] for _ in range(IP_LIMIT)]
        refused, found, _text = browser(second).request("POST", "/graphql", body, headers)
        if int(time.time() // 60) == window:
            break
    assert answers == [200] * IP_LIMIT
    assert refused == 429 and int(found["retry-after"]) >= 1


def sent_by_email(database_url: str) -> tuple[int, int, int]:
    """How many email deliveries are sent, how many are not finished, and the most attempts any sent one took."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        sent, attempts = conn.execute(
            "SELECT count(*), coalesce(max(attempts), 0) FROM delivery WHERE channel = 'email' AND status = 'sent'"
        ).fetchone()
        waiting = conn.execute("SELECT count(*) FROM delivery WHERE status IN ('pending', 'sending')").fetchone()[0]
    return sent, waiting, attempts


def test_every_message_from_two_workers_goes_out_exactly_once(site: Site) -> None:
    first, second = site.servers
    clients = [signed_in(first, "resident@example.org"), signed_in(second, "tenant@example.org")]
    for n in range(10):
        tell_us(clients[n % 2], f"The lift is broken again, week {n + 1}.")
    wait_for(lambda: sent_by_email(site.database_url)[1] == 0, 180, "both workers to send everything", every=0.5)
    time.sleep(1)  # a send racing the count would show as a file too many
    sent, waiting, attempts = sent_by_email(site.database_url)
    files = sorted(site.mail.glob("*.eml"))
    recipients = [str(email.message_from_bytes(path.read_bytes())["To"]) for path in files]
    assert waiting == 0
    assert sent >= 10
    assert len(files) == sent, f"{len(files)} mail files for {sent} sent deliveries"  # none sent twice
    assert attempts == 1
    assert recipients.count("resident@example.org") >= 5
