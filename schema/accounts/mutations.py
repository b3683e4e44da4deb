"""People in the API: the mutations for API tokens and representation."""

from __future__ import annotations

import strawberry

from backend.accounts import services, tokens
from schema.access import SIGNED_IN, STAFF_ROLES
from schema.context import Context
from schema.engine.mutations import MutationSpec, Outcome, parse_id


@strawberry.input
class ApiTokenCreateInput:
    owner_email: str
    scope: str
    name: str = ""


def _create_token(context: Context, input: ApiTokenCreateInput) -> Outcome:  # noqa: A002
    token, secret = tokens.create_token(context.actor, input.owner_email, input.scope, input.name)
    return Outcome(token.id, {"secret": secret})


def _revoke_token(context: Context, input: ApiTokenRevokeInput) -> Outcome:  # noqa: A002
    return Outcome(tokens.revoke_token(context.actor, parse_id(input.id, "api_token")).id)


@strawberry.input
class ApiTokenRevokeInput:
    id: strawberry.ID


@strawberry.input(description="A resident's consent for an advocate to act for them, as staff recorded it.")
class RepresentationRecordInput:
    advocate_id: strawberry.ID
    resident_id: strawberry.ID
    consent_method: str = strawberry.field(description="written, verbal, portal or email.")
    relationship: str = strawberry.field(
        default="advocate",
        description="advocate, family, friend, carer, support_worker, solicitor, councillor or other.",
    )


@strawberry.input
class RepresentationRevokeInput:
    id: strawberry.ID


def _record_representation(context: Context, input: RepresentationRecordInput) -> Outcome:  # noqa: A002
    rep = services.record_representation(
        context.actor,
        parse_id(input.advocate_id, "user"),
        parse_id(input.resident_id, "user"),
        input.consent_method,
        input.relationship,
    )
    return Outcome(rep.id)


def _revoke_representation(context: Context, input: RepresentationRevokeInput) -> Outcome:  # noqa: A002
    return Outcome(services.revoke_representation(context.actor, parse_id(input.id, "representation")).id)


MUTATIONS = [
    MutationSpec(
        "apiTokenCreate",
        ApiTokenCreateInput,
        _create_token,
        "ApiToken",
        "token",
        "ApiTokenCreated",
        SIGNED_IN,
        (("secret", str),),
        "Create an API token for yourself (admins: for anyone). The secret is in the reply, once.",
    ),
    MutationSpec(
        "apiTokenRevoke",
        ApiTokenRevokeInput,
        _revoke_token,
        "ApiToken",
        "token",
        "ApiTokenRevoked",
        SIGNED_IN,
        (),
        "Revoke an API token. Revoking twice is harmless.",
    ),
    MutationSpec(
        "representationRecord",
        RepresentationRecordInput,
        _record_representation,
        "Representation",
        "representation",
        "RepresentationRecorded",
        frozenset(STAFF_ROLES),
        (),
        "Record a resident's consent for an advocate to act for them (staff). Both are told.",
    ),
    MutationSpec(
        "representationRevoke",
        RepresentationRevokeInput,
        _revoke_representation,
        "Representation",
        "representation",
        "RepresentationRevoked",
        frozenset(STAFF_ROLES),
        (),
        "Withdraw an advocate's authority to act for a resident (staff). Both are told; revoking twice is harmless.",
    ),
]
