"""The published schema: the SDL each role sees, one file per role and token scope under ``docs/schema/``.

The files are committed, and a test fails when the running schema differs from them, so every change to
the API is seen in review. ``learnloop schema print`` writes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from backend.context import ROLES
from schema.engine.access import ANONYMOUS_ROLE
from schema.engine.engine import Engine

SCOPES = ("read", "write")
PUBLISHED_ROLES = (*ROLES, ANONYMOUS_ROLE)
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "docs" / "schema"


def sdl(engine: Engine, role: str, scope: str) -> str:
    """The schema a token of one role and scope sees, as SDL ending in a newline."""
    if role not in PUBLISHED_ROLES:
        raise ValueError(f"unknown role {role!r}; known: {', '.join(PUBLISHED_ROLES)}")
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}; known: {', '.join(SCOPES)}")
    return engine.schema_for(frozenset({role}), writable=scope == "write").as_str() + "\n"


def file_name(role: str, scope: str) -> str:
    return f"{role}.{scope}.graphql"


def published() -> Iterator[tuple[str, str]]:
    """Every (role, scope) with a committed file. Visitors have no token, so only what they can send."""
    for role in PUBLISHED_ROLES:
        for scope in SCOPES:
            if role == ANONYMOUS_ROLE and scope == "read":
                continue
            yield role, scope


def write_all(engine: Engine, directory: Path = SCHEMA_DIR) -> list[Path]:
    """Write every published file; return those whose text changed."""
    directory.mkdir(parents=True, exist_ok=True)
    changed = []
    for role, scope in published():
        path = directory / file_name(role, scope)
        text = sdl(engine, role, scope)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
