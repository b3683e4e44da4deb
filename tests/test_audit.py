"""The audit trail: written with every change, in the same transaction, and never altered."""

from __future__ import annotations

import pytest
from peewee import DatabaseError

from backend.accounts import services
from backend.accounts.models import User
from backend.audit.models import AppendOnlyError, AuditEvent
from backend.audit.services import REDACTED, field_changes
from backend.context import set_request_id
from backend.db import db, transaction
from backend.errors import Invalid
from backend.timeutil import utcnow
from tests import factories


def events_for(user_id: int) -> list[AuditEvent]:
    return list(
        AuditEvent.select()
        .where(AuditEvent.entity_type == "user", AuditEvent.entity_id == str(user_id))
        .order_by(AuditEvent.id)
    )


def test_update_profile_records_each_changed_field_before_and_after() -> None:
    user = factories.make_user()
    from backend.accounts.tokens import actor_for_user

    set_request_id("req-profile-1")
    services.update_profile(actor_for_user(user), user.id, display_name="New Name", locale="cy")
    event = events_for(user.id)[-1]
    assert event.action == "account.profile_updated"
    assert event.actor_user_id == user.id
    assert event.request_id == "req-profile-1"
    assert event.changes == {
        "display_name": {"before": user.display_name, "after": "New Name"},
        "locale": {"before": None, "after": "cy"},
    }
    assert event.occurred_at <= utcnow()


def test_update_profile_without_changes_records_nothing() -> None:
    user = factories.make_user()
    from backend.accounts.tokens import actor_for_user

    before = len(events_for(user.id))
    services.update_profile(actor_for_user(user), user.id, display_name=user.display_name)
    assert len(events_for(user.id)) == before


def test_failed_change_leaves_no_audit_event() -> None:
    user = factories.make_user()
    from backend.accounts.tokens import actor_for_user

    before = AuditEvent.select().count()
    with pytest.raises(Invalid):
        services.update_profile(actor_for_user(user), user.id, display_name="ok", contact_channel="pigeon")
    assert AuditEvent.select().count() == before


def test_audit_rolls_back_with_the_change_it_records() -> None:
    user = factories.make_user()
    from backend.accounts.tokens import actor_for_user

    before = AuditEvent.select().count()
    with pytest.raises(RuntimeError), transaction():
        services.update_profile(actor_for_user(user), user.id, display_name="Rolled Back")
        raise RuntimeError("boom")
    assert AuditEvent.select().count() == before
    assert User.get_by_id(user.id).display_name != "Rolled Back"


def test_field_changes_redacts_secrets() -> None:
    changes = field_changes({"password_hash": "old"}, {"password_hash": "new"})
    assert changes == {"password_hash": {"before": REDACTED, "after": REDACTED}}


def test_audit_rows_refuse_update_and_delete_through_the_model() -> None:
    event = AuditEvent.select().first() or factories_event()
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete_instance()
    with pytest.raises(AppendOnlyError):
        AuditEvent.update(action="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET action = 'tampered'",
        "DELETE FROM audit_event",
    ],
)
def test_audit_rows_refuse_update_and_delete_in_sql(statement: str) -> None:
    event = factories_event()
    with pytest.raises(DatabaseError), db.atomic():
        db.execute_sql(statement)
    assert AuditEvent.get_by_id(event.id).action == "account.created"


def factories_event() -> AuditEvent:
    from backend.context import SYSTEM

    user = services.create_user(SYSTEM, "audit-subject@example.net", "Subject", ["resident"])
    return AuditEvent.get(AuditEvent.entity_id == str(user.id), AuditEvent.action == "account.created")


def test_no_code_path_updates_or_deletes_audit_rows() -> None:
    # Beyond the triggers: nothing in the code base even tries.
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    pattern = re.compile(r"AuditEvent\.(update|delete)\b|(UPDATE|DELETE FROM)\s+audit_event", re.IGNORECASE)
    offenders = []
    for package in ("backend", "schema", "portal", "tasks"):
        for path in (root / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(root)}:{number}")
    assert offenders == []
