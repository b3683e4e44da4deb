"""People in the API: the mutations for API tokens and representation."""

from __future__ import annotations

import strawberry

from backend.accounts import services, tokens
from backend.accounts.models import ConsentMethod, Relationship, TokenScope
from schema.access import SIGNED_IN, STAFF_ROLES
from schema.context import Context
from schema.engine.mutations import Mutations, Outcome, parse_id

mutations = Mutations()


@strawberry.input
class ApiTokenCreateInput:
    owner_email: str
    scope: TokenScope
    name: str = ""


@strawberry.input
class ApiTokenRevokeInput:
    id: strawberry.ID


@strawberry.input(description="A resident's consent for an advocate to act for them, as staff recorded it.")
class RepresentationRecordInput:
    advocate_id: strawberry.ID
    resident_id: strawberry.ID
    consent_method: ConsentMethod = strawberry.field(description="How the resident gave consent.")
    relationship: Relationship = strawberry.field(
        default=Relationship.ADVOCATE, description="Who the advocate is to the resident; advocate if not given."
    )


@strawberry.input
class RepresentationRevokeInput:
    id: strawberry.ID


@mutations.add("apiTokenCreate", roles=SIGNED_IN, payload="ApiTokenCreated", node="token", extra={"secret": str})
def create_token(context: Context, data: ApiTokenCreateInput) -> Outcome:
    """Create an API token for yourself (admins: for anyone). The secret is in the reply, once."""
    token, secret = tokens.create_token(context.actor, data.owner_email, data.scope, data.name)
    return Outcome(token.id, {"secret": secret})


@mutations.add("apiTokenRevoke", roles=SIGNED_IN, payload="ApiTokenRevoked", node="token")
def revoke_token(context: Context, data: ApiTokenRevokeInput) -> Outcome:
    """Revoke an API token. Revoking twice is harmless."""
    return Outcome(tokens.revoke_token(context.actor, parse_id(data.id, "api_token")).id)


@mutations.add("representationRecord", roles=STAFF_ROLES, payload="RepresentationRecorded")
def record_representation(context: Context, data: RepresentationRecordInput) -> Outcome:
    """Record a resident's consent for an advocate to act for them (staff). Both are told."""
    representation = services.record_representation(
        context.actor,
        parse_id(data.advocate_id, "user"),
        parse_id(data.resident_id, "user"),
        data.consent_method,
        data.relationship,
    )
    return Outcome(representation.id)


@mutations.add("representationRevoke", roles=STAFF_ROLES, payload="RepresentationRevoked")
def revoke_representation(context: Context, data: RepresentationRevokeInput) -> Outcome:
    """Withdraw an advocate's authority to act for a resident (staff).

    Both are told; revoking twice is harmless.
    """
    return Outcome(services.revoke_representation(context.actor, parse_id(data.id, "representation")).id)
