"""The engine the benchmark measures: the application's own, serving the real models."""

from __future__ import annotations

from backend.config import Settings
from schema.app import build_engine
from schema.engine.engine import Engine


def build_bench_engine(settings: Settings) -> Engine:
    """The application's engine, exactly as ``/graphql`` builds it."""
    return build_engine(settings)
