"""The Huey instance, configured from ``LEARNLOOP_QUEUE_URL`` by :func:`configure_queue`.

Tasks are declared against ``huey`` at import; the composition root picks the storage
(SQLite, Redis or PostgreSQL) before anything is enqueued. Until then it runs tasks at once.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from huey import Huey
from huey.storage import MemoryStorage, PostgresStorage, PriorityRedisStorage, SqliteStorage

from backend.config import Settings, resolve_sqlite_path
from backend.db import make_private

huey = Huey("learnloop", results=False, immediate=True, utc=True)


def storage_for(url: str, settings: Settings) -> tuple[type, dict[str, Any]]:
    """Return the storage class and its arguments for a queue URL."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = resolve_sqlite_path(url, settings.instance_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        make_private(path)
        return SqliteStorage, {"filename": str(path)}
    if parsed.scheme in ("redis", "rediss"):
        # The priority queue lets statutory messages overtake bulk ones, as SQLite and PostgreSQL do.
        return PriorityRedisStorage, {"url": url}
    if parsed.scheme in ("postgresql", "postgres"):
        return PostgresStorage, {"dsn": url}
    if parsed.scheme == "memory":
        return MemoryStorage, {}
    raise ValueError(f"unsupported queue URL scheme {parsed.scheme!r}")


def configure_queue(settings: Settings, immediate: bool | None = None, url: str | None = None) -> Huey:
    """Point ``huey`` at the queue for ``settings`` (tests run it in immediate mode)."""
    storage_class, kwargs = storage_for(url or settings.queue_url, settings)
    huey.storage_class = storage_class
    huey.storage_kwargs = kwargs
    huey._immediate = settings.env == "test" if immediate is None else immediate
    huey.storage = huey.create_storage()
    if storage_class is PriorityRedisStorage and not huey.immediate:
        _move_plain_redis_queue(huey.storage)
    return huey


def _move_plain_redis_queue(storage: Any) -> None:
    """Move tasks left in a plain Redis list (by an earlier version) into the priority queue, in order."""
    conn, key = storage.conn, storage.queue_key
    if conn.type(key) not in (b"list", "list"):
        return
    items = conn.lrange(key, 0, -1)[::-1]  # the oldest first
    conn.delete(key)
    for item in items:
        storage.enqueue(item)
