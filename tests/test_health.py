"""``/healthz`` says the process is alive without touching anything; ``/readyz`` checks what the app depends on."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from peewee import OperationalError

from backend.attachments.storage import LocalStorage, StorageUnusable
from backend.complaints import files
from backend.config import load_settings
from backend.db import count_statements
from portal import health


@pytest.fixture(autouse=True)
def fresh_readiness(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    """Every test sees its own checks' answer, not one a test before it left in the cache."""
    monkeypatch.setattr(health, "READY_CACHE_SECONDS", 0)
    (settings.instance_path / "attachments").mkdir(parents=True, exist_ok=True)


def ready(client: Any) -> tuple[int, dict[str, Any]]:
    response = client.get("/readyz")
    assert response.mimetype == "application/json"
    return response.status_code, json.loads(response.data)


def test_healthz_answers_ok_without_a_statement_or_a_cookie(client: Any) -> None:
    with count_statements() as seen:
        response = client.get("/healthz")
    assert (response.status_code, response.data) == (200, b"ok\n")
    assert seen == []
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_for_a_signed_in_browser_reads_no_session(browser: Any, signed_in: Any) -> None:
    signed_in("resident")
    with count_statements() as seen:
        response = browser.client.get("/healthz")
    assert response.status_code == 200
    assert seen == []
    assert "Set-Cookie" not in response.headers


def test_healthz_head_has_no_body(client: Any) -> None:
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.data == b""


def test_healthz_post_is_not_there(client: Any) -> None:
    assert client.post("/healthz").status_code == 404


def test_readyz_all_answering_is_200_with_each_latency(client: Any) -> None:
    status, answer = ready(client)
    assert status == 200, answer
    assert answer["status"] == "ok"
    assert answer["failing"] == []
    assert set(answer["checks"]) == {"database", "queue", "attachments"}
    for check in answer["checks"].values():
        assert check["ok"] is True
        assert isinstance(check["latency_ms"], int | float) and check["latency_ms"] >= 0
        assert "error" not in check


def test_readyz_says_nothing_about_versions_or_settings(client: Any, settings: Any) -> None:
    body = client.get("/readyz").get_data(as_text=True)
    assert "version" not in body.lower()
    assert str(settings.instance_path) not in body
    assert "sqlite" not in body.lower() and "postgres" not in body.lower()


def test_readyz_missing_attachment_folder_is_503_naming_it(
    client: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(files, "storage", lambda settings=None: LocalStorage(tmp_path / "not-mounted"))
    status, answer = ready(client)
    assert status == 503
    assert answer["status"] == "unavailable"
    assert answer["failing"] == ["attachments"]
    assert answer["checks"]["attachments"]["error"] == "missing"
    assert answer["checks"]["database"]["ok"] is True


def test_readyz_unreachable_database_is_503_naming_it(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused() -> None:
        raise OperationalError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", refused)
    status, answer = ready(client)
    assert status == 503
    assert answer["failing"] == ["database"]
    assert answer["checks"]["database"]["error"] == "unreachable"
    assert "refused" not in json.dumps(answer)  # the driver's words stay in the log


def test_readyz_queue_that_fails_is_503_naming_it(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> int:
        raise ConnectionError("redis went away")

    monkeypatch.setitem(health.CHECKS, "queue", broken)
    status, answer = ready(client)
    assert status == 503
    assert answer["failing"] == ["queue"]
    assert answer["checks"]["queue"]["error"] == "error"


def test_readyz_check_that_hangs_is_a_timeout(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "CHECK_TIMEOUT_SECONDS", 0.2)
    monkeypatch.setitem(health.CHECKS, "queue", lambda: time.sleep(1))
    started = time.monotonic()
    status, answer = ready(client)
    assert time.monotonic() - started < 1
    assert status == 503
    assert answer["checks"]["queue"] == {"ok": False, "latency_ms": 200.0, "error": "timeout"}


def test_readyz_answer_is_reused_within_the_cache_time(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr(health, "READY_CACHE_SECONDS", 60)
    monkeypatch.setattr(client.application.wsgi_app, "_ready", None)
    monkeypatch.setitem(health.CHECKS, "queue", lambda: calls.append(1))
    ready(client)
    ready(client)
    assert calls == [1]


def test_readyz_sets_no_cookie(browser: Any, signed_in: Any) -> None:
    signed_in("resident")
    response = browser.client.get("/readyz")
    assert "Set-Cookie" not in response.headers


def test_local_storage_check_leaves_nothing_behind(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    storage.check()
    assert list(tmp_path.iterdir()) == []


def test_local_storage_check_missing_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(StorageUnusable) as raised:
        LocalStorage(tmp_path / "gone").check()
    assert raised.value.reason == "missing"


def test_local_storage_check_file_in_place_of_the_folder_raises(tmp_path: Path) -> None:
    (tmp_path / "store").write_text("not a folder")
    with pytest.raises(StorageUnusable) as raised:
        LocalStorage(tmp_path / "store").check()
    assert raised.value.reason == "missing"


def test_local_storage_check_unwritable_folder_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    with pytest.raises(StorageUnusable) as raised:
        LocalStorage(tmp_path).check()
    assert raised.value.reason == "not_writable"


def test_a_new_sites_own_attachments_folder_is_ready_before_any_upload(tmp_path: Path) -> None:
    """The default folder, inside the instance folder, is made with the site; one named elsewhere never is."""
    instance = tmp_path / "instance"
    instance.mkdir()
    settings = load_settings(environ={"LEARNLOOP_INSTANCE_PATH": str(instance)}, secret_key="k" * 32)
    files.storage(settings).check()
    assert (instance / "attachments").is_dir()
    assert (instance / "attachments").stat().st_mode & 0o777 == 0o700
    elsewhere = tmp_path / "volume" / "attachments"
    with pytest.raises(StorageUnusable):
        files.storage(settings, url=f"file:{elsewhere}").check()
    assert not elsewhere.exists()
