"""People, homes, roles, representation and API tokens: the resources the engine serves."""

from __future__ import annotations

from backend.accounts.models import ApiToken as ApiTokenModel
from backend.accounts.models import Home, Representation, User, UserRole
from schema.engine.aggregate import month, value
from schema.engine.declare import Access, Column, Dimension, Resource, ToMany, ToOne

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
