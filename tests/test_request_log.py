"""The request log: one JSON line per request, with the route's template and the kind of actor, and nothing personal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backend.config import ConfigError, load_settings
from backend.context import ANONYMOUS, Actor
from portal.request_log import actor_kind, configure_logger
from tests import factories
from tests.conftest import Browser


@pytest.fixture
def logged(other_app: Any, tmp_path: Path) -> Any:
    """An app whose request lines go to a file; yields its client and a function that reads the lines so far."""
    log = tmp_path / "requests.log"
    app = other_app(request_log=f"file:{log}")

    def lines() -> list[dict[str, Any]]:
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    yield app.test_client(), lines
    configure_logger("off")  # closes the file


def test_request_line_has_the_route_template_not_the_path(logged) -> None:
    client, lines = logged
    response = client.get("/s/abcdefghijklmnopqrstuvwxyz?email=someone@example.org")
    (line,) = lines()
    assert line["route"] == "/s/<token>"
    assert set(line) == {"request_id", "method", "route", "status", "duration_ms", "actor"}
    assert line["method"] == "GET" and line["status"] == response.status_code and line["actor"] == "anonymous"
    assert line["duration_ms"] >= 0
    assert "abcdefghij" not in json.dumps(line) and "example.org" not in json.dumps(line)


def test_request_line_carries_the_request_id_echoed_in_the_answer(logged) -> None:
    client, lines = logged
    response = client.get("/", headers={"X-Request-ID": "lb-0123456789abcdef"})
    assert response.headers["X-Request-ID"] == "lb-0123456789abcdef"
    assert lines()[-1]["request_id"] == "lb-0123456789abcdef"


@pytest.mark.parametrize("sent", ["short", "x" * 65, "has spaces in it", "<script>alert(1)</script>", ""])
def test_malformed_request_id_is_replaced_by_a_new_one(client, sent: str) -> None:
    made = client.get("/", headers={"X-Request-ID": sent}).headers["X-Request-ID"]
    assert made != sent and len(made) == 32


def test_request_matching_no_route_is_logged_without_one(logged) -> None:
    client, lines = logged
    assert client.get("/no/such/page/AB-12345").status_code == 404
    client.open("/", method="BREW")
    missing, invented = lines()
    assert missing["route"] is None and missing["status"] == 404
    assert invented["method"] == "OTHER" and invented["status"] == 405


def test_signed_in_staff_are_logged_by_their_most_senior_role(logged) -> None:
    client, lines = logged
    user = factories.make_user("staff", "manager")
    assert Browser(client).sign_in(user.email).status_code == 302
    client.get("/console/")
    line = lines()[-1]
    assert line["actor"] == "manager"
    assert user.email not in json.dumps(lines())


def test_api_token_requests_are_logged_as_api_token(logged) -> None:
    client, lines = logged
    _, plain = factories.make_token()
    response = client.post(
        "/graphql", json={"query": "{ viewer { locale } }"}, headers={"Authorization": f"Bearer {plain}"}
    )
    assert response.status_code == 200
    line = lines()[-1]
    assert line["actor"] == "api_token" and line["route"] == "/graphql" and line["method"] == "POST"
    assert plain not in json.dumps(lines())


@pytest.mark.parametrize(
    ("actor", "kind"),
    [
        (ANONYMOUS, "anonymous"),
        (Actor(user_id=1, roles=frozenset({"resident"})), "resident"),
        (Actor(user_id=1, roles=frozenset({"resident", "advocate"})), "advocate"),
        (Actor(user_id=1, roles=frozenset({"panel_member", "resident"})), "panel_member"),
        (Actor(user_id=1, roles=frozenset({"staff", "admin"})), "admin"),
        (Actor(user_id=1, roles=frozenset({"admin"}), token_id=7, scope="read"), "api_token"),
    ],
)
def test_actor_kind_names_one_kind(actor: Actor, kind: str) -> None:
    assert actor_kind(actor) == kind


def test_request_log_is_off_in_development_and_on_in_production(tmp_path: Path) -> None:
    base = {"LEARNLOOP_INSTANCE_PATH": str(tmp_path), "LEARNLOOP_SECRET_KEY": "k" * 40}
    assert load_settings(base).request_log_target == "off"
    production = {**base, "LEARNLOOP_ENV": "production", "LEARNLOOP_SMTP_URL": "smtp://mail.example.org"}
    assert load_settings(production).request_log_target == "stderr"
    assert load_settings({**production, "LEARNLOOP_REQUEST_LOG": "off"}).request_log_target == "off"


@pytest.mark.parametrize("raw", ["on", "file:", "syslog", "file:" + "x" * 600])
def test_malformed_request_log_names_the_variable(tmp_path: Path, raw: str) -> None:
    with pytest.raises(ConfigError, match="LEARNLOOP_REQUEST_LOG"):
        load_settings({"LEARNLOOP_INSTANCE_PATH": str(tmp_path), "LEARNLOOP_REQUEST_LOG": raw})
