"""Write audit events. Called by every service that changes state, inside its transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from backend.audit.models import AuditEvent
from backend.context import Actor, get_request_id

REDACTED = "[redacted]"
SECRET_FIELDS = frozenset({"password_hash", "token_hash", "key_hash"})


def field_changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any], fields: Iterable[str] | None = None
) -> dict[str, dict[str, Any]]:
    """Return ``{field: {"before": …, "after": …}}`` for each field whose value differs.

    Secret fields are recorded as changed without their values.
    """
    before = before or {}
    names = list(fields) if fields is not None else sorted(set(before) | set(after))
    changes: dict[str, dict[str, Any]] = {}
    for name in names:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if name in SECRET_FIELDS:
            old = REDACTED if old is not None else None
            new = REDACTED if new is not None else None
        changes[name] = {"before": _plain(old), "after": _plain(new)}
    return changes


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return sorted(_plain(v) for v in value)
    return str(value)


def record_audit(
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: object,
    changes: Mapping[str, Mapping[str, Any]] | None = None,
) -> AuditEvent:
    """Append one audit event and return it. Never updates an existing row."""
    return AuditEvent.create(
        actor_user_id=actor.user_id,
        actor_token_id=actor.token_id,
        actor_label=actor.label or (f"user:{actor.user_id}" if actor.user_id else "system"),
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        changes=dict(changes or {}),
        request_id=get_request_id(),
    )
