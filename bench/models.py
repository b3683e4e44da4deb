"""The benchmark's own bookkeeping: which dataset its database holds.

Everything else the benchmark reads lives in the application's real tables, made by the real migrations.
"""

from __future__ import annotations

from peewee import AutoField, DateTimeField, FloatField, IntegerField

from backend.db import BaseModel, JSONField


class BenchMeta(BaseModel):
    """What the benchmark database holds: the generator's version, scale and seed, and how long it took."""

    id = AutoField()
    version = IntegerField()
    scale = FloatField()
    seed = IntegerField()
    sizes = JSONField()
    generation_seconds = FloatField()
    generated_at = DateTimeField()

    class Meta:
        table_name = "bench_meta"


#: In dependency order, for creating the tables.
BENCH_MODELS = [BenchMeta]
