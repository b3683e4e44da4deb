"""People, homes, roles, representation and API tokens: the resources the engine serves."""

from __future__ import annotations

from backend.accounts.models import ApiToken as ApiTokenModel
from backend.accounts.models import Home, Representation, User, UserRole
from schema.access import ADMIN_ROLES, CONSENTED, SELF, SIGNED_IN, STAFF_ACCESS, each, staff
from schema.engine.aggregate import month, value
from schema.engine.declare import RESIDENTS, Access, Column, Dimension, Resource, ToMany, ToOne

PERSON = Resource(
    name="Person",
    plural="people",
    model=User,
    description="Someone with a Learnloop account: a resident, an advocate, a panel member or staff.",
    members=[
        Column("display_name", "The name to use when writing to them.", residents=True),
        Column("email", residents=True),
        Column("locale", "Preferred language (a locale code), or null for the site default.", residents=True),
        Column("contact_channel", "How they asked to be contacted: email, sms, post, phone or portal.", residents=True),
        Column("phone", residents=True),
        Column("accessibility_needs", residents=True),
        Column("reasonable_adjustments", residents=True),
        Column("email_verified_at", residents=True),
        Column("is_active"),
        Column("team", "Staff: the team residents are told handles their case."),
        Column("created_at"),
        Column("updated_at", "When it last changed, or its roles or representations (signing in changes nothing)."),
        ToOne("home", "The home a resident lives in.", residents=True),
        ToOne("manager", "Staff: the manager told when their cases are at risk or late."),
        ToMany("roles", residents=True),
        ToMany("tokens", residents=True),
        ToMany("represents", "Residents this advocate may act for."),
        ToMany("representatives", "Advocates who may act for this resident."),
    ],
    access={
        "resident": Access(RESIDENTS, where=SELF),
        "panel_member": Access(RESIDENTS, where=SELF),
        # An advocate sees themself and the residents who consented to be represented by them.
        "advocate": Access((RESIDENTS, "represents"), where={"or": [SELF, CONSENTED]}),
        **STAFF_ACCESS,
        "staff": Access(),  # only managers and admins count and group people
    },
    search=("display_name", "email"),
    dimensions=(
        Dimension("month", month("created_at"), description="Month the account was created."),
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
        Column("reference", residents=True),
        Column("address", filterable=True, residents=True),
        Column("postcode", residents=True),
        Column("nation", "england, wales, scotland or northern_ireland.", residents=True),
        Column("tenure", "rented or shared_ownership.", residents=True),
        Column("updated_at", "When it last changed."),
        ToMany("residents"),
    ],
    access={"resident": Access(RESIDENTS, where={"id": {"eq": "$viewer.homeId"}}), **STAFF_ACCESS},
    search=("reference", "address", "postcode"),
    dimensions=(Dimension("nation", value("nation")), Dimension("tenure", value("tenure"))),
    default_order=("reference",),
)

ROLE_GRANT = Resource(
    name="RoleGrant",
    plural="roleGrants",
    model=UserRole,
    description="One role held by one person.",
    members=[Column("role", residents=True), Column("granted_at", residents=True), ToOne("person", fk="user")],
    access={
        **each(("resident", "panel_member", "advocate"), Access(RESIDENTS, where={"person": SELF})),
        **STAFF_ACCESS,
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
        Column("updated_at", "When it last changed, its last use included (recorded once a minute)."),
        ToOne("owner", "The account the token acts as.", fk="user"),
    ],
    access={**each(SIGNED_IN - ADMIN_ROLES, Access(where={"owner": SELF})), "admin": Access(aggregate=True)},
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
        Column("updated_at", "When it last changed."),
        ToOne("advocate"),
        ToOne("resident"),
    ],
    access={"advocate": Access(where={"advocate": SELF}), "resident": Access(where={"resident": SELF}), **staff()},
    default_order=("-consentRecordedAt",),
)

RESOURCES = [PERSON, HOME, ROLE_GRANT, API_TOKEN, REPRESENTATION]
