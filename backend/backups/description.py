"""``backup.json``: what a backup holds, and the size and SHA-256 of each of its files, written and checked.

A backup folder holds:

- ``backup.json``: this description;
- ``database.sqlite3`` (a SQLite copy) or ``database.pgdump`` (a ``pg_dump`` custom-format archive);
- ``attachments.json``: the manifest, every stored attachment's key, table, size and SHA-256;
- ``attachments/``: a copy of each of those files under its key, when the store is a local folder;
- ``secret_key``: only in a backup made with ``--with-secrets``.

``backup.json`` holds the checksums of the database file, the manifest and the key; the manifest holds those of
the attachments. Checking a backup follows that chain, so a change to any file is found.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backend.attachments.storage import CHUNK_SIZE, LocalStorage
from backend.backups.files import Problem, check_store
from backend.backups.snapshot import POSTGRESQL, SQLITE, Entry

FORMAT = "learnloop-backup"
FORMAT_VERSION = 1
DESCRIPTION = "backup.json"
MANIFEST = "attachments.json"
ATTACHMENTS = "attachments"
SECRET_KEY = "secret_key"  # noqa: S105 - the name of the file that holds it
DATABASE_FILES = {SQLITE: "database.sqlite3", POSTGRESQL: "database.pgdump"}
KNOWN_FILES = frozenset({MANIFEST, SECRET_KEY, *DATABASE_FILES.values()})
MAX_DESCRIPTION_BYTES = 16 * 1024 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024 * 1024
KEY_CHECK_PURPOSE = b"learnloop.backup.secret-key-check"


class Damaged(Exception):
    """The backup is not what its own checksums say, or not a backup at all; ``problems`` says what, plainly."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Description:
    """What ``backup.json`` says."""

    created_at: str
    database: str
    tool: str
    migrations: list[str]
    tables: dict[str, int]
    attachments: int
    attachment_bytes: int
    files_included: bool
    not_copied: list[Problem]
    secret_key_included: bool
    secret_key_check: str
    app_version: str
    checksums: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def database_file(self) -> str:
        return DATABASE_FILES[self.database]

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": self.created_at,
            "learnloop_version": self.app_version,
            "database": {"kind": self.database, "file": self.database_file, "made_with": self.tool},
            "migrations": {"head": self.migrations[-1] if self.migrations else None, "applied": self.migrations},
            "counts": {
                "tables": self.tables,
                "attachments": self.attachments,
                "attachment_bytes": self.attachment_bytes,
            },
            "attachments": {
                "manifest": MANIFEST,
                "files": ATTACHMENTS if self.files_included else None,
                "not_copied": [{"key": problem.key, "problem": problem.what} for problem in self.not_copied],
            },
            "secret_key": {"included": self.secret_key_included, "check": self.secret_key_check},
            "checksums": self.checksums,
        }

    @classmethod
    def from_json(cls, raw: Any) -> Description:
        """Read ``backup.json`` back; raise :class:`Damaged` when it is not one this version can read."""
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise Damaged([f"{DESCRIPTION} does not describe a Learnloop backup"])
        if raw.get("format_version") != FORMAT_VERSION:
            raise Damaged(
                [f"{DESCRIPTION} is format version {raw.get('format_version')!r}; this reads {FORMAT_VERSION}"]
            )
        try:
            database, counts, attachments = raw["database"], raw["counts"], raw["attachments"]
            description = cls(
                created_at=str(raw["created_at"]),
                database=str(database["kind"]),
                tool=str(database["made_with"]),
                migrations=[str(name) for name in raw["migrations"]["applied"]],
                tables={str(name): int(count) for name, count in counts["tables"].items()},
                attachments=int(counts["attachments"]),
                attachment_bytes=int(counts["attachment_bytes"]),
                files_included=attachments["files"] == ATTACHMENTS,
                not_copied=[Problem(str(item["key"]), str(item["problem"])) for item in attachments["not_copied"]],
                secret_key_included=bool(raw["secret_key"]["included"]),
                secret_key_check=str(raw["secret_key"]["check"]),
                app_version=str(raw["learnloop_version"]),
                checksums={str(name): dict(value) for name, value in raw["checksums"].items()},
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise Damaged([f"{DESCRIPTION} is incomplete or malformed"]) from None
        if description.database not in DATABASE_FILES:
            raise Damaged([f"{DESCRIPTION} names an unknown database kind"])
        return description


def secret_key_check(secret_key: str) -> str:
    """A value that tells whether two sites share a secret key without revealing it: an HMAC of a fixed text."""
    return hmac.new(secret_key.encode(), KEY_CHECK_PURPOSE, hashlib.sha256).hexdigest()


def file_checksum(path: Path) -> dict[str, Any]:
    """The file's size and SHA-256, as ``backup.json`` records them."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_SIZE):
            size += len(chunk)
            digest.update(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def write_json(path: Path, value: Any) -> None:
    """Write ``value`` as JSON to a new file, readable by its owner only."""
    path.touch(mode=0o600, exist_ok=False)
    path.write_text(json.dumps(value, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _read_json(path: Path, limit: int) -> Any:
    if not path.is_file():
        raise Damaged([f"{path.name} is missing"])
    if path.stat().st_size > limit:
        raise Damaged([f"{path.name} is larger than any backup makes it"])
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Damaged([f"{path.name} is not valid JSON"]) from None


def read_manifest(folder: Path) -> list[Entry]:
    """The attachments' manifest of the backup in ``folder``; raise :class:`Damaged` when it is not one."""
    raw = _read_json(folder / MANIFEST, MAX_MANIFEST_BYTES)
    try:
        if not isinstance(raw, list):
            raise ValueError("not a list")
        return [Entry.from_json(item) for item in raw]
    except ValueError:
        raise Damaged([f"{MANIFEST} is malformed"]) from None


def verify(folder: Path) -> tuple[Description, list[Entry]]:
    """Check every file of the backup in ``folder`` against its checksum; return its description and manifest.

    Raises :class:`Damaged` listing every problem found: a file missing, changed, or not what a backup holds.
    """
    if not folder.is_dir():
        raise Damaged([f"{folder} is not a backup folder"])
    description = Description.from_json(_read_json(folder / DESCRIPTION, MAX_DESCRIPTION_BYTES))
    problems = []
    expected = {description.database_file, MANIFEST} | ({SECRET_KEY} if description.secret_key_included else set())
    for name in sorted(expected - set(description.checksums)):
        problems.append(f"{DESCRIPTION} records no checksum for {name}")
    for name, recorded in sorted(description.checksums.items()):
        if name not in KNOWN_FILES:
            problems.append(f"{DESCRIPTION} lists {name!r}, which no backup holds")
        elif not (folder / name).is_file():
            problems.append(f"{name} is missing")
        elif file_checksum(folder / name) != recorded:
            problems.append(f"{name} has changed since the backup was made (its size or checksum differs)")
    if problems:
        raise Damaged(problems)
    entries = read_manifest(folder)
    if len(entries) != description.attachments:
        raise Damaged([f"{MANIFEST} lists {len(entries)} attachments; {DESCRIPTION} says {description.attachments}"])
    if description.files_included:
        skip = frozenset(problem.key for problem in description.not_copied)
        for problem in check_store(LocalStorage(folder / ATTACHMENTS), entries, skip):
            state = "is missing" if problem.what == "missing" else "has changed since the backup was made"
            problems.append(f"{ATTACHMENTS}/{problem.key} {state}")
    if problems:
        raise Damaged(problems)
    return description, entries
