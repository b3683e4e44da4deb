"""The audit trail, served by the engine to managers and admins (privacy requests' entries to admins only)."""

from __future__ import annotations

from backend.audit.models import AuditEvent
from backend.surveys.answers import ANONYMOUS_RESPONDENT
from schema.access import ADMIN_ROLES, NOT_ABOUT_HIDDEN_CASE, each
from schema.engine.aggregate import month, value
from schema.engine.declare import Access, Column, Dimension, Resource

# Entries kept before anonymous answers stopped being audited one by one: each timed one response, which
# was enough to match it to its invitation. The rows stay (the trail is append-only) but are not served.
NOT_ANONYMOUS = {"not": {"actorLabel": {"eq": ANONYMOUS_RESPONDENT}}}
#: Entries about people's privacy requests (who asked for their data, who is under a legal hold, who was erased
#: and when) are for admins only: a manager could otherwise learn that someone on their team asked for theirs.
ADMIN_ONLY_ACTIONS = ("subject_access_request.", "legal_hold.", "privacy.")
ADMIN_ONLY_ENTITIES = ["subject_access_request", "legal_hold"]
NOT_ADMIN_ONLY = {
    "not": {
        "or": [
            {"entityType": {"in": ADMIN_ONLY_ENTITIES}},
            *({"action": {"startsWith": prefix}} for prefix in ADMIN_ONLY_ACTIONS),
        ]
    }
}
AUDIT_EVENT = Resource(
    name="AuditEvent",
    plural="auditEvents",
    model=AuditEvent,
    description="One recorded change: who did what to which record, and each field before and after. "
    "Entries are never changed or deleted.",
    members=[
        Column("occurred_at"),
        Column("actor_user_id", "The person who acted, if any.", kind="id"),
        Column("actor_token_id", "The API token they used, if any.", kind="id"),
        Column("actor_label"),
        Column("action", "What happened, e.g. account.created."),
        Column("entity_type"),
        Column("entity_id", kind="string"),
        Column("changes", "Each changed field: {before, after}."),
        Column("request_id"),
    ],
    access={
        **each(ADMIN_ROLES, Access(where={"and": [NOT_ANONYMOUS, NOT_ABOUT_HIDDEN_CASE]}, aggregate=True)),
        "manager": Access(where={"and": [NOT_ANONYMOUS, NOT_ABOUT_HIDDEN_CASE, NOT_ADMIN_ONLY]}, aggregate=True),
    },
    dimensions=(
        Dimension("month", month("occurred_at")),
        Dimension("action", value("action")),
        Dimension("entityType", value("entity_type")),
    ),
    default_order=("-occurredAt",),
    max_page_size=100,
)

RESOURCES = [AUDIT_EVENT]
