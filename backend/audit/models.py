"""The append-only audit trail. Database triggers refuse UPDATE and DELETE on its rows.

One change alone is let through, once per row: erasing the personal values in ``changes`` while setting
``erased_on`` (migration 0051). Who acted, what they did, to which record and when stay as written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import AutoField, CharField, DateField, DateTimeField, IntegerField

from backend.changes import WrittenOnce
from backend.db import BaseModel, JSONField
from backend.timeutil import utcnow


class AppendOnlyError(Exception):
    """Audit rows are never updated or deleted."""


class AuditEvent(BaseModel):
    id = AutoField()
    occurred_at = DateTimeField(default=utcnow, index=True, help_text="When the change was made.")
    actor_user_id = IntegerField(null=True, index=True)
    actor_token_id = IntegerField(null=True)
    actor_label = CharField(
        max_length=200,
        help_text="Who acted, as text: user:<id>, token:<id>:<prefix> (a tool with an API token), system "
        "(scheduled work and the command line) or anonymous.",
    )
    action = CharField(max_length=80, index=True)
    entity_type = CharField(
        max_length=50, help_text="The kind of record changed, in snake_case: user, api_token, complaint and so on."
    )
    entity_id = CharField(max_length=50, help_text="The changed record's id, as text.")
    changes = JSONField()
    request_id = CharField(
        max_length=64,
        null=True,
        help_text="The web request that made the change (its X-Request-ID response header); for a background "
        "task, the request that caused it. Null when no request did.",
    )
    erased_on = DateField(
        null=True, help_text="The UK day the personal values in its changes were erased. Null: never erased."
    )

    class Meta:
        indexes = ((("entity_type", "entity_id"), False),)
        # The audit trail is append-only (migration 0002).
        changes = WrittenOnce()

    def save(self, force_insert: bool = False, only: Any = None) -> int:
        if self.id is not None and not force_insert:
            raise AppendOnlyError("audit events cannot be changed")
        return super().save(force_insert=force_insert, only=only)

    def delete_instance(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events cannot be deleted")

    @classmethod
    def update(cls, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("audit events cannot be changed")

    @classmethod
    def delete(cls) -> Any:
        raise AppendOnlyError("audit events cannot be deleted")

    @classmethod
    def erase_values(cls, event_id: int, changes: dict[str, Any], day: dt.date) -> int:
        """Replace one row's changes with ``changes`` (its personal values erased) and date it; once per row.

        Returns 1, or 0 when the row was erased before. The database refuses any other change.
        """
        query = super().update(changes=changes, erased_on=day)
        return int(query.where((cls.id == event_id) & cls.erased_on.is_null()).execute())
