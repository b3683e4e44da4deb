"""The benchmark database: made fresh (the real migrations plus the bench tables), filled in batches, or reused.

A database is reused when its ``bench_meta`` row has the generator version, scale and seed asked for.
Anything else is regenerated, but only a database that is empty or was made by the benchmark: one
holding other tables is refused rather than wiped, and so is the application's own database.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from peewee import chunked

from backend.accounts.passwords import hash_password
from backend.complaints.models import Regime, RegimeStage
from backend.config import Settings, resolve_sqlite_path
from backend.db import init_database, is_postgres
from backend.lessons.models import RootCause
from backend.migrate import migrate_up
from backend.timeutil import utcnow
from backend.workdays import SUBDIVISIONS
from bench import BenchError
from bench.cases import RegimeRules, StageRules
from bench.dataset import VERSION, Table, World, sizes_for, tables
from bench.models import BENCH_MODELS, BenchMeta
from bench.progress import Progress

#: Bound parameters per INSERT, under SQLite's limit (32,766) and PostgreSQL's (65,535).
MAX_PARAMETERS = 30_000
MAX_BATCH_ROWS = 2_000
#: Every generated account shares this password, hashed once.
PASSWORD = "bench-password"  # noqa: S105 - a published test password for generated accounts


def sqlite_path(url: str, settings: Settings) -> Path | None:
    return resolve_sqlite_path(url, settings.instance_path).resolve() if urlparse(url).scheme == "sqlite" else None


def is_main_database(url: str, settings: Settings) -> bool:
    """Whether ``url`` names the application's own database."""
    ours, main = sqlite_path(url, settings), sqlite_path(settings.database_url, settings)
    if ours is not None or main is not None:
        return ours == main
    return _without_options(url) == _without_options(settings.database_url)


def _without_options(url: str) -> str:
    """The URL without its query (pool options) and fragment."""
    return urlparse(url)._replace(query="", fragment="").geturl()


def read_meta(database: Any) -> BenchMeta | None:
    if "bench_meta" not in database.get_tables():
        return None
    return BenchMeta.select().order_by(BenchMeta.id.desc()).first()


def open_dataset(
    url: str, settings: Settings, scale: float, seed: int, regenerate: bool = False
) -> tuple[Any, BenchMeta, bool]:
    """Connect to the benchmark database, generating the dataset unless a matching one is there.

    Returns the database, its ``bench_meta`` row and whether it was generated now. Raises
    :class:`BenchError` for the application's own database or one the benchmark did not make.
    """
    if is_main_database(url, settings):
        raise BenchError(f"{url} is the application's database; give the benchmark its own with --database-url")
    database = init_database(url, settings.instance_path)
    database.connect(reuse_if_open=True)
    meta = read_meta(database)
    if meta is not None and not regenerate and (meta.version, meta.scale, meta.seed) == (VERSION, scale, seed):
        # A dataset made before a later migration gains its tables and indexes, keeping its rows; ANALYZE gives
        # new indexes their statistics, as a freshly generated dataset's have.
        if migrate_up(database):
            database.execute_sql("ANALYZE")
        return database, meta, False
    if meta is None and database.get_tables():
        raise BenchError(f"{url} holds tables the benchmark did not make; point --database-url at an empty database")
    database = reset(database, url, settings)
    return database, generate(database, scale, seed), True


def reset(database: Any, url: str, settings: Settings) -> Any:
    """Empty a benchmark database: delete the SQLite file, or drop and recreate PostgreSQL's public schema."""
    if is_postgres():
        database.execute_sql("DROP SCHEMA public CASCADE")
        database.execute_sql("CREATE SCHEMA public")
        return database
    database.close()
    path = sqlite_path(url, settings)
    assert path is not None
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    database = init_database(url, settings.instance_path)
    database.connect()
    return database


def generate(database: Any, scale: float, seed: int) -> BenchMeta:
    """Create the schema and fill it; record the scale, seed and time taken in ``bench_meta``."""
    started = time.perf_counter()
    migrate_up(database)
    database.create_tables(BENCH_MODELS)
    sizes = sizes_for(scale)
    rng = random.Random(seed)  # noqa: S311 - seeded for a reproducible dataset, not for secrets
    world = World(
        sizes=sizes,
        rng=rng,
        password_hash=hash_password(PASSWORD),
        seed=seed,
        regimes=read_regimes(database),
        root_causes=read_root_causes(),
    )
    for table in tables(world):
        insert(database, table)
    database.execute_sql("ANALYZE")
    seconds = time.perf_counter() - started
    return BenchMeta.create(
        version=VERSION, scale=scale, seed=seed, sizes=sizes, generation_seconds=seconds, generated_at=utcnow()
    )


def read_regimes(database: Any) -> tuple[RegimeRules, ...]:
    """The complaint regimes and their stages as the migrations seeded them, for planning each case."""
    stages: dict[int, dict[int, StageRules]] = {}
    for row in RegimeStage.select().order_by(RegimeStage.regime, RegimeStage.number):
        stages.setdefault(row.regime_id, {})[row.number] = StageRules(
            row.acknowledge_days, row.respond_days, row.respond_from, row.max_extension_days
        )
    regimes = tuple(
        RegimeRules(r.id, tuple(r.nations or ()), r.counting, stages.get(r.id, {}))
        for r in Regime.select().where(Regime.archived_at.is_null()).order_by(Regime.id)
    )
    covered = {nation for r in regimes if r.stages for nation in r.nations}
    missing = sorted(set(SUBDIVISIONS) - covered)
    if missing:
        raise BenchError(f"the migrations seeded no complaint regime with stages for {', '.join(missing)}")
    return regimes


def read_root_causes() -> tuple[int, ...]:
    """The ids of the root causes in use as the migrations seeded them (a lesson's causes name them)."""
    causes = tuple(
        r.id for r in RootCause.select(RootCause.id).where(RootCause.archived_at.is_null()).order_by(RootCause.id)
    )
    if not causes:
        raise BenchError("the migrations seeded no root causes")
    return causes


def insert(database: Any, table: Table) -> None:
    """Insert the table's rows in batches, in one transaction, with a progress bar."""
    batch = max(1, min(MAX_BATCH_ROWS, MAX_PARAMETERS // len(table.fields)))
    with Progress(table.label, table.total) as progress, database.atomic():
        for rows in chunked(table.rows, batch):
            table.model.insert_many(rows, fields=table.fields).execute()
            progress.advance(len(rows))
    if table.explicit_ids and is_postgres():
        # The rows brought their own ids, so move the sequence past them for any later insert.
        name = table.model._meta.table_name
        database.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "  # noqa: S608 - a model's table name
            f'COALESCE((SELECT MAX(id) FROM "{name}"), 1))'
        )
