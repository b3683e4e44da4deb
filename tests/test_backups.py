"""``learnloop backup`` and ``learnloop restore``, run as separate processes on demo sites of their own.

A demo site, with a few attachments added, is backed up and restored elsewhere; every table and every attachment
is then compared with the original. On SQLite always; on PostgreSQL too when LEARNLOOP_TEST_DATABASE_URL is set,
in databases of its own (``learnloop_backup_…``) on that server, dropped afterwards.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest

from backend.attachments.storage import LocalStorage
from backend.backups import postgres
from backend.backups.snapshot import POSTGRESQL, SQLITE, attachment_manifest, columns, quote, tables

TEST_DATABASE_URL = os.environ.get("LEARNLOOP_TEST_DATABASE_URL")
MIGRATIONS = Path(__file__).resolve().parent.parent / "backend" / "migrations"
SECRET_KEY = "backup-test-secret-" + "k" * 32
KINDS = [SQLITE, *([POSTGRESQL] if TEST_DATABASE_URL else [])]

ADD_ATTACHMENTS = """
import io
from backend.config import load_settings, set_current
from backend.context import SYSTEM
from backend.db import init_database, transaction
from backend.complaints import files
from backend.complaints.models import Contact

set_current(load_settings())
database = init_database(load_settings().database_url, load_settings().instance_path)
with database.connection_context():
    contact = Contact.select().order_by(Contact.id).first()
    uploads = [
        files.Upload(f"note-{n}.txt", io.BytesIO(f"Photo notes {n}: damp above the bathroom window.\\n".encode() * n))
        for n in (1, 2, 3)
    ]
    with transaction():
        files.record(SYSTEM, contact, None, files.prepare(uploads))
"""


@dataclass
class Site:
    """An instance folder and a database: what one ``learnloop`` process is pointed at."""

    instance: Path
    database_url: str
    kind: str

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        environ = {k: v for k, v in os.environ.items() if not k.startswith("LEARNLOOP_")}
        environ.update(
            {
                "LEARNLOOP_INSTANCE_PATH": str(self.instance),
                "LEARNLOOP_DATABASE_URL": self.database_url,
                "LEARNLOOP_QUEUE_URL": "memory://",
                "LEARNLOOP_SECRET_KEY": SECRET_KEY,
            }
        )
        environ.update(env)
        environ = {k: v for k, v in environ.items() if v}  # an empty value leaves the variable out
        command = [sys.executable, "-m", "portal.cli", *args] if args[0] != "-c" else [sys.executable, *args]
        return subprocess.run(command, env=environ, capture_output=True, text=True, timeout=900, check=False)

    @property
    def store(self) -> Path:
        return self.instance / "attachments"

    @contextmanager
    def connection(self) -> Iterator[Any]:
        if self.kind == SQLITE:
            with closing(sqlite3.connect(urlparse(self.database_url).path)) as connection:
                yield connection
        else:
            with postgres.connect(self.database_url) as connection:
                yield connection


class Databases:
    """Make empty databases for sites, and drop the PostgreSQL ones at the end."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.made: list[str] = []

    def site(self, kind: str, name: str) -> Site:
        instance = self.folder / f"{kind}-{name}"
        instance.mkdir()
        if kind == SQLITE:
            return Site(instance, f"sqlite:///{instance}/learnloop.sqlite3", kind)
        database = f"learnloop_backup_{uuid.uuid4().hex[:10]}_{name.replace('-', '_')}"
        with closing(_server()) as server:
            server.execute(f"CREATE DATABASE {database}")
        self.made.append(database)
        parsed = urlparse(TEST_DATABASE_URL)
        return Site(instance, urlunparse(parsed._replace(path="/" + database)), kind)

    def drop(self) -> None:
        with closing(_server()) as server:
            for database in self.made:
                server.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def _server() -> Any:
    import psycopg  # only the PostgreSQL runs need it

    assert TEST_DATABASE_URL
    return psycopg.connect(urlunparse(urlparse(TEST_DATABASE_URL)._replace(path="/postgres")), autocommit=True)


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    made = Databases(tmp_path_factory.mktemp("backups"))
    yield made
    if made.made:
        made.drop()


@pytest.fixture(scope="module", params=KINDS)
def demo_site(request: pytest.FixtureRequest, databases: Databases) -> Site:
    """A migrated demo site with three attachments on a contact."""
    site = databases.site(request.param, "source")
    for step in (("migrate",), ("demo",), ("-c", ADD_ATTACHMENTS)):
        result = site.run(*step)
        assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def made_backup(demo_site: Site, databases: Databases) -> Path:
    result = demo_site.run("backup", "--to", str(databases.folder / f"kept-{demo_site.kind}"))
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.split("backed up to ", 1)[1].splitlines()[0])


def table_rows(connection: Any, kind: str, table: str) -> list[tuple[Any, ...]]:
    """All the table's rows, ordered by every column in turn: a stable order to compare two copies by."""
    order = ", ".join(quote(name) for name in columns(connection, kind, table))
    return [tuple(row) for row in connection.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}").fetchall()]


def everything(site: Site) -> dict[str, list[tuple[Any, ...]]]:
    with site.connection() as connection:
        return {table: table_rows(connection, site.kind, table) for table in tables(connection, site.kind)}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_restored_site_has_every_row_and_attachment_of_the_original(
    demo_site: Site, made_backup: Path, databases: Databases
) -> None:
    target = databases.site(demo_site.kind, "restored")
    result = target.run("restore", "--from", str(made_backup))
    assert result.returncode == 0, result.stderr
    assert "attachments checked in the store: 3" in result.stdout and "up to date" in result.stdout

    original, restored = everything(demo_site), everything(target)
    assert len(original) > 100 and sum(map(len, original.values())) > 1000  # the comparison compares something
    assert list(restored) == list(original)
    for table, rows in original.items():
        assert restored[table] == rows, table
    with target.connection() as connection:
        entries = attachment_manifest(connection, target.kind)
    assert len(entries) == 3
    for entry in entries:
        assert sha256(target.store.joinpath(*entry.key.split("/"))) == entry.sha256
        assert sha256(demo_site.store.joinpath(*entry.key.split("/"))) == entry.sha256


def test_backup_is_readable_by_its_owner_only_and_holds_no_secret_key(made_backup: Path) -> None:
    found = [made_backup, *made_backup.rglob("*")]
    assert any(path.name == "backup.json" for path in found)
    for path in found:
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
    assert not (made_backup / "secret_key").exists()
    assert SECRET_KEY not in "".join(path.read_text(errors="replace") for path in found if path.is_file())


def test_backup_json_describes_the_backup(demo_site: Site, made_backup: Path) -> None:
    described = json.loads((made_backup / "backup.json").read_text())
    assert described["format"] == "learnloop-backup" and described["format_version"] == 1
    assert described["database"]["kind"] == demo_site.kind
    assert described["migrations"]["head"] == sorted(p.stem for p in MIGRATIONS.glob("0*.py"))[-1]
    assert described["counts"]["attachments"] == 3
    assert described["secret_key"]["included"] is False
    database_file = described["database"]["file"]
    assert described["checksums"][database_file]["sha256"] == sha256(made_backup / database_file)
    with demo_site.connection() as connection:
        assert (
            described["counts"]["tables"]["account"] == connection.execute("SELECT COUNT(*) FROM account").fetchone()[0]
        )


def test_restore_into_a_database_with_tables_is_refused(demo_site: Site, made_backup: Path) -> None:
    before = everything(demo_site)
    result = demo_site.run("restore", "--from", str(made_backup))
    assert result.returncode != 0
    assert "already has tables" in result.stderr
    assert everything(demo_site) == before


def test_verify_passes_an_intact_backup(made_backup: Path, demo_site: Site) -> None:
    result = demo_site.run("backup", "--verify", str(made_backup))
    assert result.returncode == 0, result.stderr
    assert "is intact" in result.stdout


def _change_database(backup: Path) -> str:
    path = next(backup.glob("database.*"))
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return path.name


def _change_attachment(backup: Path) -> str:
    path = next(path for path in (backup / "attachments").rglob("*") if path.is_file())
    path.write_bytes(path.read_bytes() + b"!")
    return "has changed"


def _remove_attachment(backup: Path) -> str:
    next(path for path in (backup / "attachments").rglob("*") if path.is_file()).unlink()
    return "is missing"


def _change_manifest(backup: Path) -> str:
    manifest = json.loads((backup / "attachments.json").read_text())
    manifest[0]["sha256"] = "0" * 64
    (backup / "attachments.json").write_text(json.dumps(manifest))
    return "attachments.json"


def _change_counts(backup: Path) -> str:
    described = json.loads((backup / "backup.json").read_text())
    described["counts"]["attachments"] = 2
    (backup / "backup.json").write_text(json.dumps(described))
    return "attachments.json lists 3"


@pytest.mark.parametrize(
    "tamper", [_change_database, _change_attachment, _remove_attachment, _change_manifest, _change_counts]
)
def test_tampered_backup_is_refused_by_verify_and_by_restore(
    tamper: Any, made_backup: Path, demo_site: Site, databases: Databases, tmp_path: Path
) -> None:
    if demo_site.kind != SQLITE:
        pytest.skip("the checksums are the same on both databases")
    copy = tmp_path / made_backup.name
    shutil.copytree(made_backup, copy)
    said = tamper(copy)

    verified = demo_site.run("backup", "--verify", str(copy))
    assert verified.returncode != 0 and "fails its checks" in verified.stderr and said in verified.stderr

    target = databases.site(SQLITE, f"tampered-{tamper.__name__}")
    restored = target.run("restore", "--from", str(copy))
    assert restored.returncode != 0 and "nothing was restored" in restored.stderr
    assert not everything(target)


def test_restore_refuses_another_secret_key_unless_told(
    made_backup: Path, demo_site: Site, databases: Databases
) -> None:
    target = databases.site(demo_site.kind, "other-key")
    other_key = "another-site-key-" + "o" * 32
    refused = target.run("restore", "--from", str(made_backup), LEARNLOOP_SECRET_KEY=other_key)
    assert refused.returncode != 0 and "secret key" in refused.stderr and "--new-secret-key" in refused.stderr
    assert not everything(target)

    told = target.run("restore", "--from", str(made_backup), "--new-secret-key", LEARNLOOP_SECRET_KEY=other_key)
    assert told.returncode == 0, told.stderr


def test_backup_with_secrets_restores_the_key_into_the_instance_folder(demo_site: Site, databases: Databases) -> None:
    if demo_site.kind != SQLITE:
        pytest.skip("where the key is kept does not depend on the database")
    made = demo_site.run("backup", "--to", str(databases.folder / "with-secrets"), "--with-secrets")
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.split("backed up to ", 1)[1].splitlines()[0])
    assert (backup / "secret_key").read_text().strip() == SECRET_KEY
    assert demo_site.run("backup", "--verify", str(backup)).returncode == 0

    # A new machine in development keeps its key in the instance folder: the restore puts the old one there.
    target = databases.site(SQLITE, "key-restored")
    restored = target.run("restore", "--from", str(backup), LEARNLOOP_SECRET_KEY="")
    assert restored.returncode == 0, restored.stderr
    key_file = target.instance / "secret_key"
    assert key_file.read_text().strip() == SECRET_KEY
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


MIGRATE_TO_ONE_BEFORE_THE_LAST = """
from backend.config import load_settings
from backend.db import init_database
from backend.migrate import runner

settings = load_settings()
database = init_database(settings.database_url, settings.instance_path)
with database.connection_context():
    migrations = runner(database)
    migrations.up([m.name for m in migrations.migrations()][-2])
"""


def test_restoring_an_older_backup_applies_the_migrations_it_lacks(databases: Databases) -> None:
    older = databases.site(SQLITE, "older")
    assert older.run("-c", MIGRATE_TO_ONE_BEFORE_THE_LAST).returncode == 0
    made = older.run("backup", "--to", str(databases.folder / "older-backups"))
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.split("backed up to ", 1)[1].splitlines()[0])

    target = databases.site(SQLITE, "newer")
    restored = target.run("restore", "--from", str(backup))
    assert restored.returncode == 0, restored.stderr
    last = sorted(p.stem for p in MIGRATIONS.glob("0*.py"))[-1]
    assert f"applied {last}" in restored.stdout
    assert "pending" not in target.run("migrate", "--status").stdout


def test_backup_refuses_without_pg_dump_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(postgres.ToolProblem, match="pg_dump was not found on PATH"):
        postgres.find_tool("pg_dump")


def test_backup_refuses_a_pg_dump_older_than_the_server() -> None:
    with pytest.raises(postgres.ToolProblem, match="version 14 but the server is version 16"):
        postgres.check_dump_tool(postgres.Tool("/usr/bin/pg_dump", "pg_dump (PostgreSQL) 14.2", 14), 16)
    postgres.check_dump_tool(postgres.Tool("/usr/bin/pg_dump", "pg_dump (PostgreSQL) 16.1", 16), 16)


def test_password_reaches_the_tools_in_their_environment_only() -> None:
    conninfo, environment = postgres.libpq_target(
        "postgresql://ll:s3cret@db.example:5433/site?max_connections=5&sslmode=require"
    )
    assert "s3cret" not in conninfo and "max_connections" not in conninfo
    assert conninfo == "postgresql://ll@db.example:5433/site?sslmode=require"
    assert environment == {"PGPASSWORD": "s3cret"}


def test_backup_and_verify_options_are_exclusive(tmp_path: Path) -> None:
    site = Site(tmp_path, f"sqlite:///{tmp_path}/x.sqlite3", SQLITE)
    neither, both = site.run("backup"), site.run("backup", "--to", "a", "--verify", "b")
    assert neither.returncode == both.returncode == 2
    assert "either --to DIR or --verify BACKUP" in neither.stderr


def test_attachment_missing_from_the_store_is_listed_and_the_backup_still_restores(
    demo_site: Site, databases: Databases
) -> None:
    if demo_site.kind != SQLITE:
        pytest.skip("copying the files does not depend on the database")
    lost = next(path for path in demo_site.store.rglob("*") if path.is_file() and not path.name.startswith("."))
    key = "/".join(lost.relative_to(demo_site.store).parts)
    aside = lost.with_name(".aside")
    lost.rename(aside)
    try:
        made = demo_site.run("backup", "--to", str(databases.folder / "with-a-file-lost"))
    finally:
        aside.rename(lost)
    assert made.returncode != 0 and "1 of the attachments" in made.stderr
    backup = Path(made.stdout.split("backed up to ", 1)[1].splitlines()[0])
    described = json.loads((backup / "backup.json").read_text())
    assert described["attachments"]["not_copied"] == [{"key": key, "problem": "missing"}]
    assert demo_site.run("backup", "--verify", str(backup)).returncode == 0

    target = databases.site(SQLITE, "file-lost")
    restored = target.run("restore", "--from", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "already missing when the backup was made: 1" in restored.stdout
    assert not target.store.joinpath(*key.split("/")).exists()


@pytest.mark.parametrize("key", ["../../outside", "/etc/passwd", "ab/cd/" + "0" * 64, ".upload-x.part"])
def test_placing_a_file_refuses_a_key_the_store_could_not_have_made(key: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a storage key"):
        LocalStorage(tmp_path / "store").put(key, io.BytesIO(b"content"), 100)
    assert not any(path.is_file() for path in tmp_path.rglob("*"))
