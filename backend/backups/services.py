"""Make a backup of the configured site, check one, and restore one into an empty database.

A backup is a new folder ``learnloop-backup-<UTC time>`` under the folder it is made in, readable by its owner
only. It is built under a hidden ``.partial`` name and renamed when complete, so a folder with the final name is
always a whole backup. docs/backups.md says what is in one and why.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from backend.attachments.storage import LocalStorage, Storage
from backend.backups import postgres, sqlite
from backend.backups.description import (
    ATTACHMENTS,
    DATABASE_FILES,
    DESCRIPTION,
    MANIFEST,
    SECRET_KEY,
    Description,
    file_checksum,
    secret_key_check,
    verify,
    write_json,
)
from backend.backups.files import Problem, check_store, copies_files, copy_in, copy_out
from backend.backups.snapshot import POSTGRESQL, SQLITE, Entry, applied_migrations, attachment_manifest, row_counts
from backend.config import Settings, resolve_sqlite_path
from backend.db import init_database, make_private
from backend.migrate import MIGRATIONS_DIR, migrate_up
from backend.timeutil import utcnow

PROBLEMS_SHOWN = 10


class Refused(Exception):
    """The backup or restore cannot go ahead, or did not finish; the message says why and what to do."""


@dataclass(frozen=True)
class Made:
    """A finished backup: its folder and what it holds."""

    folder: Path
    description: Description


@dataclass
class Restored:
    """What a restore did."""

    attachments: int
    not_copied: list[Problem]
    migrations_applied: list[str] = field(default_factory=list)
    secret_key_written: bool = False


def database_kind(url: str) -> str:
    return SQLITE if urlparse(url).scheme == "sqlite" else POSTGRESQL


def attachment_store(settings: Settings) -> Storage:
    """The configured attachment store, as the application opens it."""
    from backend.complaints.files import storage  # the complaints models: most of a second to import

    return storage(settings)


def create_backup(settings: Settings, parent: Path, with_secrets: bool = False) -> Made:
    """Back up the configured site into a new folder under ``parent``; return it.

    Raises :class:`Refused` when the database is not there, a tool is missing or too old, or the copy fails.
    Attachments that could not be copied are listed in the description's ``not_copied``, and the backup is kept.
    """
    parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    created = utcnow().replace(microsecond=0)
    with _private_files():
        work = Path(tempfile.mkdtemp(dir=parent, prefix=".learnloop-backup-", suffix=".partial"))
        try:
            description = _fill(settings, work, with_secrets, created.isoformat() + "Z")
            folder = _final_name(parent, "learnloop-backup-" + created.strftime("%Y%m%dT%H%M%SZ"))
            work.rename(folder)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
    return Made(folder, description)


def _fill(settings: Settings, work: Path, with_secrets: bool, created_at: str) -> Description:
    kind = database_kind(settings.database_url)
    database_file = work / DATABASE_FILES[kind]
    if kind == SQLITE:
        tool, migrations, tables, entries = _copy_sqlite(settings, database_file)
    else:
        tool, migrations, tables, entries = _dump_postgres(settings, database_file)
    write_json(work / MANIFEST, [entry.as_json() for entry in entries])
    store = attachment_store(settings)
    files_included = copies_files(store)
    not_copied = []
    if files_included:
        (work / ATTACHMENTS).mkdir()
        not_copied = copy_out(store, entries, work / ATTACHMENTS)
    checksums = {database_file.name: file_checksum(database_file), MANIFEST: file_checksum(work / MANIFEST)}
    if with_secrets:
        (work / SECRET_KEY).touch(mode=0o600)
        (work / SECRET_KEY).write_text(settings.secret_key + "\n", encoding="utf-8")
        checksums[SECRET_KEY] = file_checksum(work / SECRET_KEY)
    description = Description(
        created_at=created_at,
        database=kind,
        tool=tool,
        migrations=migrations,
        tables=tables,
        attachments=len(entries),
        attachment_bytes=sum(entry.size for entry in {entry.key: entry for entry in entries}.values()),
        files_included=files_included,
        not_copied=not_copied,
        secret_key_included=with_secrets,
        secret_key_check=secret_key_check(settings.secret_key),
        app_version=_app_version(),
        checksums=checksums,
    )
    write_json(work / DESCRIPTION, description.as_json())
    return description


def _copy_sqlite(settings: Settings, target: Path) -> tuple[str, list[str], dict[str, int], list[Entry]]:
    source = resolve_sqlite_path(settings.database_url, settings.instance_path)
    if not source.is_file():
        raise Refused(f"there is no database at {source} to back up")
    try:
        sqlite.copy_database(source, target)
    except sqlite.CopyFailed as error:
        raise Refused(f"SQLite found the copy damaged ({error.problem}); the database may need repair") from None
    # The copy is the snapshot: what is read from it is what the backup holds.
    with sqlite.read_only(target) as copy:
        found = applied_migrations(copy, SQLITE), row_counts(copy, SQLITE), attachment_manifest(copy, SQLITE)
    return (f"SQLite {sqlite3.sqlite_version} online backup", *found)


def _dump_postgres(settings: Settings, target: Path) -> tuple[str, list[str], dict[str, int], list[Entry]]:
    try:
        tool = postgres.find_tool("pg_dump")
        with postgres.snapshot(settings.database_url) as (connection, snapshot_id):
            postgres.check_dump_tool(tool, postgres.server_major(connection))
            # Read in the transaction whose snapshot pg_dump uses, while it stays open: the same moment.
            migrations = applied_migrations(connection, POSTGRESQL)
            tables = row_counts(connection, POSTGRESQL)
            entries = attachment_manifest(connection, POSTGRESQL)
            postgres.dump(tool, settings.database_url, snapshot_id, target)
    except postgres.ToolProblem as error:
        raise Refused(str(error)) from None
    return tool.version, migrations, tables, entries


@contextmanager
def _private_files() -> Iterator[None]:
    """Create every file and folder in the block readable by the owner only, pg_dump's output included.

    The umask is the process's own: the backup command runs alone in its process.
    """
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _final_name(parent: Path, name: str) -> Path:
    candidate, number = parent / name, 1
    while candidate.exists():
        number += 1
        candidate = parent / f"{name}-{number}"
    return candidate


def _app_version() -> str:
    try:
        return version("learnloop")
    except PackageNotFoundError:
        return "unknown"


def verify_backup(folder: Path) -> Description:
    """Check the backup in ``folder`` against its own checksums, restoring nothing; return its description.

    Raises :class:`~backend.backups.description.Damaged` listing what is wrong.
    """
    return verify(folder)[0]


def restore_backup(settings: Settings, folder: Path, new_secret_key: bool = False) -> Restored:
    """Restore the backup in ``folder`` into the configured, empty database and attachment store.

    Checks the backup first, then restores the database, checks its row counts and manifest against the backup's,
    copies the attachments in and checks every one in the store, and finally applies the migrations the backup's
    database lacks. Raises :class:`Damaged` for a backup that fails its checks, and :class:`Refused` when it
    cannot go ahead (the target is not empty, another kind of database, another secret key, a tool is missing)
    or when what was restored is not what the backup holds.
    """
    description, entries = verify(folder)
    kind = database_kind(settings.database_url)
    if description.database != kind:
        raise Refused(
            f"this is a {description.database} backup; it can be restored only into a {description.database} database"
        )
    _check_migrations_known(description)
    write_key = _check_secret_key(settings, description, new_secret_key)
    store = attachment_store(settings)
    if description.files_included and not isinstance(store, LocalStorage):
        raise Refused(
            "the backup holds attachment files but the configured store is not a local folder: copy "
            f"{folder / ATTACHMENTS} into the store under the same keys first, or restore into a file: store"
        )
    if kind == SQLITE:
        _restore_sqlite(settings, folder / description.database_file)
    else:
        _restore_postgres(settings, folder / description.database_file, description)
    _check_restored(settings, description, entries)
    if write_key:
        _write_secret_key(settings, folder)
    skip = frozenset(problem.key for problem in description.not_copied)
    if description.files_included and isinstance(store, LocalStorage):
        copy_in(folder / ATTACHMENTS, store, entries, skip)
    problems = check_store(store, entries, skip)
    if problems:
        raise Refused(
            f"the database is restored, but {len(problems)} attachments are missing from the store or differ "
            f"from their checksums: {_list(problem.key for problem in problems)}. Put them in the store under "
            "those keys, then run learnloop migrate"
        )
    restored = Restored(len(entries), description.not_copied, secret_key_written=write_key)
    restored.migrations_applied = _migrate(settings)
    return restored


def _check_migrations_known(description: Description) -> None:
    known = {path.stem for path in MIGRATIONS_DIR.glob("[0-9]*.py")}
    unknown = [name for name in description.migrations if name not in known]
    if unknown:
        raise Refused(
            f"the backup was made by a newer Learnloop (it has migrations this one lacks: {_list(unknown)}); "
            "restore it with that version"
        )


def _check_secret_key(settings: Settings, description: Description, new_secret_key: bool) -> bool:
    """Whether to write the backup's key into the instance folder; refuse a different key unless told to go on."""
    if secret_key_check(settings.secret_key) == description.secret_key_check or new_secret_key:
        return False
    key_file = settings.instance_path / SECRET_KEY
    from_file = key_file.is_file() and key_file.read_text().strip() == settings.secret_key
    if description.secret_key_included and from_file:
        return True
    where = "the backup's secret_key file" if description.secret_key_included else "wherever you keep it"
    raise Refused(
        "the configured secret key is not the one the backed-up site used: without it two-step sign-in, "
        f"survey answers and links already sent stop working. Set LEARNLOOP_SECRET_KEY to that key ({where}), "
        "or pass --new-secret-key to restore under this one anyway"
    )


def _write_secret_key(settings: Settings, folder: Path) -> None:
    key = (folder / SECRET_KEY).read_text(encoding="utf-8").strip()
    target = settings.instance_path / SECRET_KEY
    temporary = target.with_name(".secret_key.partial")
    temporary.unlink(missing_ok=True)
    temporary.touch(mode=0o600)
    temporary.write_text(key)
    temporary.replace(target)


def _restore_sqlite(settings: Settings, backup: Path) -> None:
    target = resolve_sqlite_path(settings.database_url, settings.instance_path)
    if sqlite.has_tables(target):
        raise Refused(f"the database at {target} already has tables: restore only into an empty database")
    target.parent.mkdir(parents=True, exist_ok=True)
    make_private(target)
    sqlite.restore_database(backup, target)


def _restore_postgres(settings: Settings, dump: Path, description: Description) -> None:
    try:
        tool = postgres.find_tool("pg_restore")
        with postgres.connect(settings.database_url) as connection:
            if postgres.has_tables(connection):
                raise Refused("the database already has tables: restore only into an empty database")
        made = postgres.VERSION.search(description.tool)
        if made and tool.major < int(made.group(1)):
            raise Refused(
                f"{tool.path} is version {tool.major} but the dump was made by version {made.group(1)}: "
                "install those client programs (or later) and put them first on PATH"
            )
        postgres.restore(tool, settings.database_url, dump)
    except postgres.ToolProblem as error:
        raise Refused(str(error)) from None


def _check_restored(settings: Settings, description: Description, entries: list[Entry]) -> None:
    """Read the restored database as the backup read its source, and compare."""
    with _reading(settings) as (connection, kind):
        tables = row_counts(connection, kind)
        restored = attachment_manifest(connection, kind)
    differ = sorted(
        name for name in set(tables) | set(description.tables) if tables.get(name) != description.tables.get(name)
    )
    if differ or restored != entries:
        what = f"tables {_list(differ)}" if differ else "the attachments' rows"
        raise Refused(f"the restored database is not what the backup holds ({what} differ): empty it and try again")


@contextmanager
def _reading(settings: Settings) -> Iterator[tuple[Any, str]]:
    if database_kind(settings.database_url) == SQLITE:
        with sqlite.read_only(resolve_sqlite_path(settings.database_url, settings.instance_path)) as connection:
            yield connection, SQLITE
    else:
        with postgres.connect(settings.database_url) as connection:
            yield connection, POSTGRESQL


def _migrate(settings: Settings) -> list[str]:
    database = init_database(settings.database_url, settings.instance_path)
    with database.connection_context():
        return migrate_up(database)


def _list(items: Any) -> str:
    names = list(items)
    shown = ", ".join(names[:PROBLEMS_SHOWN])
    return shown + (f" and {len(names) - PROBLEMS_SHOWN} more" if len(names) > PROBLEMS_SHOWN else "")
