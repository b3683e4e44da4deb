"""People in the API: the mutations for API tokens and representation."""

from __future__ import annotations

import strawberry

from backend.accounts import services, tokens
from backend.accounts.models import ConsentMethod, Relationship, TokenScope
from schema.access import SIGNED_IN, STAFF_ROLES
from schema.context import Context
from schema.engine.mutations import Mutations, Outcome, parse_id

mutations = Mutations()


@strawberry.input(description="A new API token.")
class ApiTokenCreateInput:
    owner_email: str = strawberry.field(
        description="The email address of the account the token acts as: your own (admins: anyone's)."
    )
    scope: TokenScope = strawberry.field(description="What the token may do.")
    name: str = strawberry.field(
        default="",
        description='A label to recognise it by, up to 100 characters; if empty, "token" and the UTC time it was made.',
    )


@strawberry.input(description="The API token to revoke.")
class ApiTokenRevokeInput:
    id: strawberry.ID = strawberry.field(description="The ApiToken's id.")


@strawberry.input(description="A resident's consent for an advocate to act for them, as staff recorded it.")
class RepresentationRecordInput:
    advocate_id: strawberry.ID = strawberry.field(
        description="The advocate's Person id; they must hold the advocate role."
    )
    resident_id: strawberry.ID = strawberry.field(
        description="The resident's Person id; they must hold the resident role."
    )
    consent_method: ConsentMethod = strawberry.field(description="How the resident gave consent.")
    relationship: Relationship = strawberry.field(
        default=Relationship.ADVOCATE, description="Who the advocate is to the resident; advocate if not given."
    )


@strawberry.input(description="The representation to end.")
class RepresentationRevokeInput:
    id: strawberry.ID = strawberry.field(description="The Representation's id.")


SECRET = (str, "The secret, shown only here (only its hash is kept): send it as Authorization: Bearer <secret>.")


@mutations.add("apiTokenCreate", roles=SIGNED_IN, payload="ApiTokenCreated", node="token", extra={"secret": SECRET})
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
