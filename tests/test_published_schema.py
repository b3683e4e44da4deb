"""The committed SDL under docs/schema/ is the schema the API serves, role by role, so every change is reviewed."""

from __future__ import annotations

import difflib

import pytest

from schema import published


@pytest.mark.parametrize(("role", "scope"), list(published.published()))
def test_committed_schema_matches_the_running_one(app, role: str, scope: str) -> None:
    engine = app.extensions["learnloop.engine"]
    path = published.SCHEMA_DIR / published.file_name(role, scope)
    assert path.exists(), f"{path.name} is missing: run `learnloop schema print --all`"
    running = published.sdl(engine, role, scope)
    committed = path.read_text(encoding="utf-8")
    if running != committed:
        diff = "".join(
            list(difflib.unified_diff(committed.splitlines(True), running.splitlines(True), path.name, "running"))[:60]
        )
        pytest.fail(f"the schema differs from {path.name}; review, then run `learnloop schema print --all`:\n{diff}")


def test_no_stale_schema_files() -> None:
    expected = {published.file_name(role, scope) for role, scope in published.published()}
    found = {path.name for path in published.SCHEMA_DIR.glob("*.graphql")}
    assert found == expected


def test_unknown_role_is_refused(app) -> None:
    with pytest.raises(ValueError, match="unknown role"):
        published.sdl(app.extensions["learnloop.engine"], "owner", "write")
