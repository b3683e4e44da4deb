"""People, homes, roles, representation and API tokens: the viewer, and the resources the engine serves."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from backend.accounts import phone as phone_verification
from backend.accounts import services, tokens
from backend.accounts.models import ApiToken as ApiTokenModel
from backend.accounts.models import Home, Representation, User, UserRole
from backend.errors import DomainError
from schema.context import Context
from schema.engine.aggregate import month, value
from schema.engine.declare import Access, Column, Dimension, Resource, ToMany, ToOne
from schema.engine.mutations import MutationSpec, Outcome, parse_id
from schema.errors import (
    NotAllowedError,
    NotFoundError,
    ValidationError,
    read_only_refusal,
    to_error,
)
from schema.messages import SIGN_IN_REQUIRED


@strawberry.type(description="Who is making the request.")
class Viewer:
    id: strawberry.ID | None
    is_authenticated: bool
    email: str | None
    display_name: str | None
    roles: list[str]
    locale: str
    contact_channel: str | None
    phone: str | None
    phone_verified: bool
    accessibility_needs: str | None
    reasonable_adjustments: str | None
    email_verified: bool
    via_token: bool
    token_scope: str | None

    @strawberry.field(
        description="Whether a code texted to the viewer's unverified phone number can still be typed in "
        "(false before one is sent, and once it runs out or is tried too often)."
    )
    def phone_code_pending(self) -> bool:
        return self.id is not None and phone_verification.phone_code_pending(int(self.id))


def viewer_from(context: Context, user: User | None = None) -> Viewer:
    actor = context.actor
    if user is None and actor.user_id is not None:
        user = User.get_or_none(User.id == actor.user_id)
    if user is None:
        return Viewer(
            id=None,
            is_authenticated=False,
            email=None,
            display_name=None,
            roles=[],
            locale=context.locale,
            contact_channel=None,
            phone=None,
            phone_verified=False,
            accessibility_needs=None,
            reasonable_adjustments=None,
            email_verified=False,
            via_token=False,
            token_scope=None,
        )
    return Viewer(
        id=strawberry.ID(str(user.id)),
        is_authenticated=True,
        email=user.email,
        display_name=user.display_name,
        roles=sorted(user.role_names()),
        locale=context.locale,
        contact_channel=user.contact_channel,
        phone=user.phone,
        phone_verified=user.phone_verified_at is not None,
        accessibility_needs=user.accessibility_needs,
        reasonable_adjustments=user.reasonable_adjustments,
        email_verified=user.email_verified_at is not None,
        via_token=actor.token_id is not None,
        token_scope=actor.scope,
    )


@strawberry.input
class ViewerProfileInput:
    display_name: str | None = strawberry.UNSET
    locale: str | None = strawberry.UNSET
    contact_channel: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    accessibility_needs: str | None = strawberry.UNSET
    reasonable_adjustments: str | None = strawberry.UNSET


@strawberry.input
class ApiTokenCreateInput:
    owner_email: str
    scope: str
    name: str = ""


ViewerProfileResult = Annotated[
    Viewer | ValidationError | NotAllowedError | NotFoundError, strawberry.union("ViewerProfileResult")
]


@strawberry.type
class AccountsQuery:
    @strawberry.field(description="Who is signed in, with their roles and language.")
    def viewer(self, info: Info[Context, None]) -> Viewer:
        return viewer_from(info.context)


@strawberry.type
class AccountsMutation:
    @strawberry.mutation(description="Change the viewer's name, language, contact channel or needs.")
    def viewer_profile_update(self, info: Info[Context, None], input: ViewerProfileInput) -> ViewerProfileResult:
        context = info.context
        if (refusal := read_only_refusal(context)) is not None:
            return refusal
        if context.actor.user_id is None:
            return NotAllowedError(message=context.gettext(SIGN_IN_REQUIRED))
        values = {key: value for key, value in vars(input).items() if value is not strawberry.UNSET}
        try:
            user = services.update_profile(context.actor, context.actor.user_id, **values)
        except DomainError as error:
            return to_error(error, context)  # type: ignore[return-value]
        return viewer_from(context, user)


# --- Resources served by the engine -------------------------------------------------------

SELF = {"id": {"eq": "$viewer.id"}}
PERSONAL = (
    "displayName",
    "email",
    "locale",
    "contactChannel",
    "phone",
    "accessibilityNeeds",
    "reasonableAdjustments",
    "emailVerifiedAt",
    "home",
    "roles",
    "rolesCount",
    "tokens",
    "tokensCount",
)
STAFF_ROLES = ("staff", "manager", "admin")

PERSON = Resource(
    name="Person",
    plural="people",
    model=User,
    description="Someone with a Learnloop account: a resident, an advocate, a panel member or staff.",
    members=[
        Column("display_name", "The name to use when writing to them."),
        Column("email"),
        Column("locale", "Preferred language (a locale code), or null for the site default."),
        Column("contact_channel", "How they asked to be contacted: email, sms, post, phone or portal."),
        Column("phone"),
        Column("accessibility_needs", filterable=False, sortable=False),
        Column("reasonable_adjustments", filterable=False, sortable=False),
        Column("email_verified_at"),
        Column("is_active"),
        Column("team", "Staff: the team residents are told handles their case."),
        Column("created_at"),
        ToOne("home", "home", "Home", "The home a resident lives in."),
        ToOne("manager", "manager", "Person", "Staff: the manager told when their cases are at risk or late."),
        ToMany("roles", "RoleGrant", "user"),
        ToMany("tokens", "ApiToken", "user"),
        ToMany("represents", "Representation", "advocate", "Residents this advocate may act for."),
        ToMany("representatives", "Representation", "resident", "Advocates who may act for this resident."),
    ],
    access={
        "resident": Access(PERSONAL, where=SELF),
        "panel_member": Access(PERSONAL, where=SELF),
        # An advocate sees themself and the residents who consented to be represented by them.
        "advocate": Access(
            PERSONAL + ("represents", "representsCount"),
            where={"or": [SELF, {"representatives": {"some": {"advocate": SELF, "revokedAt": {"isNull": True}}}}]},
        ),
        **{role: Access(aggregate=role != "staff") for role in STAFF_ROLES},
    },
    search=("display_name", "email"),
    dimensions=(
        Dimension("month", month("created_at"), "Month the account was created."),
        Dimension("locale", value("locale")),
        Dimension("contactChannel", value("contact_channel")),
    ),
    default_order=("displayName",),
)

HOME = Resource(
    name="Home",
    plural="homes",
    model=Home,
    description="A home the landlord owns, with its nation (for working days) and tenure (for regulator measures).",
    members=[
        Column("reference"),
        Column("address", sortable=False),
        Column("postcode"),
        Column("nation", "england, wales, scotland or northern_ireland."),
        Column("tenure", "rented or shared_ownership."),
        ToMany("residents", "Person", "home"),
    ],
    access={
        "resident": Access(
            ("reference", "address", "postcode", "nation", "tenure"), where={"id": {"eq": "$viewer.homeId"}}
        ),
        **{role: Access(aggregate=True) for role in STAFF_ROLES},
    },
    search=("reference", "address", "postcode"),
    dimensions=(Dimension("nation", value("nation")), Dimension("tenure", value("tenure"))),
    default_order=("reference",),
)

ROLE_GRANT = Resource(
    name="RoleGrant",
    plural="roleGrants",
    model=UserRole,
    description="One role held by one person.",
    members=[Column("role"), Column("granted_at"), ToOne("person", "user", "Person")],
    access={
        "resident": Access(("role", "grantedAt"), where={"person": SELF}),
        "panel_member": Access(("role", "grantedAt"), where={"person": SELF}),
        "advocate": Access(("role", "grantedAt"), where={"person": SELF}),
        **{role: Access(aggregate=True) for role in STAFF_ROLES},
    },
    dimensions=(Dimension("role", value("role")),),
    default_order=("role",),
)

API_TOKEN = Resource(
    name="ApiToken",
    plural="apiTokens",
    model=ApiTokenModel,
    description="A credential for a third-party tool. Its secret is shown once, when it is created.",
    members=[
        Column("name"),
        Column("scope", "read or write."),
        Column("prefix", "The first characters of the secret, to recognise it by."),
        Column("created_at"),
        Column("last_used_at"),
        Column("revoked_at"),
        ToOne("owner", "user", "Person", "The account the token acts as."),
    ],
    access={
        role: Access(
            ("name", "scope", "prefix", "createdAt", "lastUsedAt", "revokedAt", "owner"), where={"owner": SELF}
        )
        for role in ("resident", "advocate", "panel_member", "staff", "manager")
    }
    | {"admin": Access(aggregate=True)},
    default_order=("-createdAt",),
)

REPRESENTATION = Resource(
    name="Representation",
    plural="representations",
    model=Representation,
    description="A resident's recorded consent for an advocate to act for them.",
    members=[
        Column("relationship"),
        Column("consent_method", "written, verbal, portal or email."),
        Column("consent_recorded_at"),
        Column("revoked_at"),
        ToOne("advocate", "advocate", "Person"),
        ToOne("resident", "resident", "Person"),
    ],
    access={
        "advocate": Access(where={"advocate": SELF}),
        "resident": Access(where={"resident": SELF}),
        **{role: Access() for role in STAFF_ROLES},
    },
    default_order=("-consentRecordedAt",),
)

RESOURCES = [PERSON, HOME, ROLE_GRANT, API_TOKEN, REPRESENTATION]


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


SIGNED_IN = frozenset({"resident", "advocate", "panel_member", "staff", "manager", "admin"})
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
