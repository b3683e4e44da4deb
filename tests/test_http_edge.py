"""The HTTP edge: how large a body may be and when it is read, and answers to bodies that can't be read."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

import backend.config
from backend import config
from backend.config import ConfigError, load_settings
from portal.bodies import UPLOAD_ENDPOINTS
from tests import factories
from tests.conftest import Browser

VIEWER = "{ viewer { locale } }"
LIMIT = 1024 * 1024


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise AssertionError("the body was read")


def override(monkeypatch: pytest.MonkeyPatch, **values: Any) -> None:
    monkeypatch.setattr(backend.config, "_current", config.current().with_overrides(**values))


def error_of(response: Any) -> dict[str, Any]:
    return response.json["errors"][0]


def multipart(fields: dict[str, Any]) -> dict[str, Any]:
    """A multipart body built in memory (the test client would spool a large one to a file it never closes)."""
    boundary, body = encode_multipart(MultiDict(fields))
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def padded_body(size: int) -> bytes:
    """A valid GraphQL request of about ``size`` bytes."""
    return json.dumps({"query": VIEWER, "variables": {"pad": "x" * size}}).encode()


def test_graphql_refuses_a_large_content_length_before_reading_the_body(client) -> None:
    environ = {"wsgi.input": Unreadable(), "CONTENT_LENGTH": str(200 * LIMIT)}
    response = client.post("/graphql", content_type="application/json", environ_overrides=environ)
    assert response.status_code == 413
    error = error_of(response)
    assert error["extensions"] == {"code": "BODY_TOO_LARGE", "limit": LIMIT}
    assert "1,048,576" in error["message"]


def test_graphql_stops_reading_a_chunked_body_at_the_limit(client) -> None:
    environ = {
        "wsgi.input": io.BytesIO(padded_body(2 * LIMIT)),
        "wsgi.input_terminated": True,
        "HTTP_TRANSFER_ENCODING": "chunked",
        "CONTENT_LENGTH": "",
    }
    response = client.post("/graphql", content_type="application/json", environ_overrides=environ)
    assert response.status_code == 413
    assert error_of(response)["extensions"]["code"] == "BODY_TOO_LARGE"


def test_graphql_reads_a_small_chunked_body(client) -> None:
    environ = {
        "wsgi.input": io.BytesIO(padded_body(1000)),
        "wsgi.input_terminated": True,
        "HTTP_TRANSFER_ENCODING": "chunked",
        "CONTENT_LENGTH": "",
    }
    response = client.post("/graphql", content_type="application/json", environ_overrides=environ)
    assert response.json == {"data": {"viewer": {"locale": "en"}}}


def test_graphql_body_just_under_the_limit_runs(client) -> None:
    body = padded_body(LIMIT - 200)
    assert len(body) < LIMIT
    response = client.post("/graphql", data=body, content_type="application/json")
    assert response.status_code == 200
    assert response.json["data"] is not None or error_of(response)["extensions"]["code"] == "INPUT_TOO_LARGE"


def test_graphql_json_body_limit_follows_the_setting(other_app) -> None:
    app = other_app(max_body_bytes=2000)
    from backend.db import db

    with db.obj.connection_context():
        client = app.test_client()
        response = client.post("/graphql", data=padded_body(3000), content_type="application/json")
        assert response.status_code == 413
        assert error_of(response)["extensions"] == {"code": "BODY_TOO_LARGE", "limit": 2000}
        assert client.post("/graphql", data=padded_body(100), content_type="application/json").status_code == 200


def test_rate_limit_is_checked_before_the_body_is_read(client, monkeypatch, clock_at) -> None:
    override(monkeypatch, rate_limit_per_minute_ip=1)
    clock_at(dt.datetime(2026, 3, 2, 12))
    assert client.post("/graphql", json={"query": VIEWER}).status_code == 200
    environ = {"wsgi.input": Unreadable(), "CONTENT_LENGTH": str(LIMIT // 2)}
    response = client.post("/graphql", content_type="application/json", environ_overrides=environ)
    assert response.status_code == 429
    assert error_of(response)["extensions"]["code"] == "RATE_LIMITED"


def test_graphql_multipart_keeps_the_upload_limit(signed_in, browser: Browser) -> None:
    signed_in("resident", home=factories.make_home())
    operations = {
        "query": "mutation($input: ContactSubmitInput!) { contactSubmit(input: $input) { __typename } }",
        "variables": {"input": {"channel": "portal", "description": "Photo of the damp", "attachments": [None]}},
    }
    photo = b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * LIMIT)
    fields = {
        "operations": json.dumps(operations),
        "map": json.dumps({"0": ["variables.input.attachments.0"]}),
        "0": FileStorage(io.BytesIO(photo), "damp.png", content_type="image/png"),
    }
    response = browser.client.post(
        "/graphql", headers={"X-CSRF-Token": browser.csrf("/cases/new")}, **multipart(fields)
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert "data" in response.json


def test_form_without_files_refuses_a_large_body(browser: Browser) -> None:
    token = browser.csrf("/sign-in")
    fields = {
        "csrf_token": token,
        "email": "a@example.net",
        "password": "x",
        "pad": FileStorage(io.BytesIO(b"x" * 3 * LIMIT), "a"),
    }
    response = browser.client.post("/sign-in", **multipart(fields))
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_form_with_files_still_takes_a_large_body(signed_in, browser: Browser) -> None:
    signed_in("resident", home=factories.make_home())
    photo = b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * LIMIT)
    fields = {
        "csrf_token": browser.csrf("/cases/new"),
        "description": "Damp in the bedroom",
        "attachments": FileStorage(io.BytesIO(photo), "damp.png", content_type="image/png"),
    }
    response = browser.client.post("/cases/new", **multipart(fields))
    assert response.status_code != 413


@pytest.mark.parametrize("path", ["/cases/new", "/graphql"])
def test_strangers_may_not_send_large_files(browser: Browser, path: str) -> None:
    """Only someone signed in, or with a valid token, gets the upload limit: a stranger's body is refused unread."""
    photo = b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * LIMIT)
    fields = {"attachments": FileStorage(io.BytesIO(photo), "damp.png", content_type="image/png")}
    assert browser.client.post(path, **multipart(fields)).status_code in (403, 413)  # /graphql: CSRF first
    bad_token = {"Authorization": "Bearer llt_not-a-real-token"}
    fields = {"attachments": FileStorage(io.BytesIO(photo), "damp.png", content_type="image/png")}
    assert browser.client.post(path, headers=bad_token, **multipart(fields)).status_code in (401, 413)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer llt_not-a-real-token"}])
def test_graphql_does_not_read_a_strangers_body(browser: Browser, headers: dict[str, str]) -> None:
    body = io.BytesIO(b"--x\r\n" + b"x" * 100_000)
    response = browser.client.post(
        "/graphql",
        input_stream=body,
        content_type="multipart/form-data; boundary=x",
        headers={"Content-Length": str(len(body.getvalue())), **headers},
    )
    assert response.status_code in (401, 403)
    assert body.tell() == 0, "the body was read"


def test_every_form_that_sends_files_posts_to_an_upload_endpoint(app) -> None:
    """A new form with a file field must be added to UPLOAD_ENDPOINTS, or it would refuse its own files."""
    from pathlib import Path

    templates = Path(app.root_path) / "templates"
    multipart = sorted(
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if 'enctype="multipart/form-data"' in path.read_text()
    )
    assert multipart == [
        "cases/new.html",
        "cases/show.html",
        "console/complaints/_case_notes.html",
        "console/complaints/contact_new.html",
        "console/complaints/stage.html",
        "console/lessons/action_evidence.html",
        "console/lessons/story_media.html",
        "console/panels/pack_form.html",
        "console/panels/review_documents.html",
        "console/reports/signals_import.html",
        "console/reports/stock.html",
        "console/surveys/import.html",
    ]
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert UPLOAD_ENDPOINTS <= endpoints


# --- bodies that can't be read are clear client errors ---------------------------------------


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_deeply_nested_json_is_a_400_not_a_500(client, depth: int) -> None:
    response = client.post("/graphql", data="[" * depth + "]" * depth, content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["extensions"]["code"] == "BAD_REQUEST"


def test_deeply_nested_variables_in_a_get_are_a_400(client) -> None:
    variables = "[" * 100_000 + "]" * 100_000
    response = client.get("/graphql", query_string={"query": VIEWER, "variables": variables})
    assert response.status_code == 400
    assert error_of(response)["extensions"]["code"] == "BAD_REQUEST"


def test_deeply_nested_multipart_operations_are_a_400(signed_in, browser: Browser) -> None:
    signed_in("resident")
    response = browser.client.post(
        "/graphql",
        data={"operations": "[" * 100_000 + "]" * 100_000, "map": "{}"},
        content_type="multipart/form-data",
        headers={"X-CSRF-Token": browser.csrf("/cases/new")},
    )
    assert response.status_code in (400, 413)
    assert error_of(response)["extensions"]["code"] in ("BAD_REQUEST", "BODY_TOO_LARGE")


# --- settings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("variable", "raw"), [("LEARNLOOP_MAX_BODY_BYTES", "1MB"), ("LEARNLOOP_MAX_BODY_BYTES", "0")])
def test_malformed_body_limit_names_the_variable(tmp_path, variable: str, raw: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(environ={"LEARNLOOP_INSTANCE_PATH": str(tmp_path), variable: raw}, secret_key="k" * 32)
    assert raised.value.variable == variable


def test_body_limits_have_documented_defaults(tmp_path) -> None:
    settings = load_settings(environ={"LEARNLOOP_INSTANCE_PATH": str(tmp_path)}, secret_key="k" * 32)
    assert settings.max_body_bytes == LIMIT
    assert settings.upload_max_bytes == 20 * LIMIT * 10 + 2 * LIMIT
    custom = load_settings(
        environ={"LEARNLOOP_INSTANCE_PATH": str(tmp_path), "LEARNLOOP_MAX_BODY_BYTES": "4096"}, secret_key="k" * 32
    )
    assert custom.max_body_bytes == 4096


# --- response headers -----------------------------------------------------------------------


def test_bearer_token_answers_are_never_stored(client) -> None:
    _token, plain = factories.make_token(factories.make_user("staff"), "read")
    response = client.post("/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_refused_bearer_token_answers_are_never_stored(client) -> None:
    response = client.post("/graphql", json={"query": VIEWER}, headers={"Authorization": "Bearer llt_unknown"})
    assert response.status_code == 401
    assert response.headers["Cache-Control"] == "no-store"


def test_anonymous_graphql_answers_are_never_stored(client) -> None:
    assert client.post("/graphql", json={"query": VIEWER}).headers["Cache-Control"] == "no-store"


def test_public_pages_may_still_be_cached(client) -> None:
    assert "Cache-Control" not in client.get("/sign-in").headers


@pytest.mark.parametrize("path", ["/sign-in", "/graphql", "/no-such-page"])
def test_every_response_denies_powerful_browser_features(client, path: str) -> None:
    policy = client.get(path).headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


@pytest.fixture
def production(other_app) -> Any:
    """Build a production app behind one trusted proxy; return its test client."""

    def build(**overrides: Any) -> Any:
        app = other_app(env="production", trusted_proxies=1, session_cookie_secure=True, **overrides)
        return app.test_client()

    return build


def _get(client: Any, headers: dict[str, str] | None = None) -> Any:
    from backend.db import db

    with db.obj.connection_context():
        return client.get("/sign-in", headers=headers or {})


def test_production_over_https_sends_hsts(production) -> None:
    client = production()
    response = _get(client, {"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_production_over_plain_http_sends_no_hsts(production) -> None:
    assert "Strict-Transport-Security" not in _get(production()).headers


def test_hsts_max_age_follows_the_setting_and_zero_turns_it_off(production) -> None:
    headers = {"X-Forwarded-Proto": "https"}
    assert _get(production(hsts_max_age=600), headers).headers["Strict-Transport-Security"] == "max-age=600"
    assert "Strict-Transport-Security" not in _get(production(hsts_max_age=0), headers).headers


def test_development_sends_no_hsts_even_over_https(client) -> None:
    response = client.get("/sign-in", base_url="https://localhost")
    assert "Strict-Transport-Security" not in response.headers


def test_development_server_does_not_announce_its_version(tmp_path) -> None:
    import subprocess
    import sys
    import urllib.request

    from tests.live_server import free_port, server_environment, stop, wait_until_serving

    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "portal.cli", "serve", "--port", str(port)],
            env=server_environment(tmp_path, port),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}/static/no-such-file"
            wait_until_serving(process, url, log)
            try:
                urllib.request.urlopen(url, timeout=5)  # a local http URL we built
            except urllib.error.HTTPError as error:
                headers = error.headers
                error.close()
        finally:
            stop(process)
    assert "Server" not in headers
    assert "Werkzeug" not in str(headers)


@pytest.mark.parametrize("raw", ["a year", "-1"])
def test_malformed_hsts_max_age_names_the_variable(tmp_path, raw: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(
            environ={"LEARNLOOP_INSTANCE_PATH": str(tmp_path), "LEARNLOOP_HSTS_MAX_AGE": raw}, secret_key="k" * 32
        )
    assert raised.value.variable == "LEARNLOOP_HSTS_MAX_AGE"


def test_hsts_max_age_defaults_to_a_year_and_zero_is_allowed(tmp_path) -> None:
    base = {"LEARNLOOP_INSTANCE_PATH": str(tmp_path)}
    assert load_settings(environ=base, secret_key="k" * 32).hsts_max_age == 365 * 24 * 3600
    assert load_settings(environ={**base, "LEARNLOOP_HSTS_MAX_AGE": "0"}, secret_key="k" * 32).hsts_max_age == 0
