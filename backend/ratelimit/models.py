"""Fixed-window request counters, kept in the database so that every web process shares them."""

from __future__ import annotations

from peewee import AutoField, CharField, DateTimeField, IntegerField

from backend.db import BaseModel


class RateLimitWindow(BaseModel):
    """How many requests one key made in one fixed window. The key is stored only as a hash."""

    id = AutoField()
    key_hash = CharField(max_length=64)
    window_start = DateTimeField()
    expires_at = DateTimeField(index=True)
    hits = IntegerField(default=0)

    class Meta:
        indexes = ((("key_hash", "window_start"), True),)
