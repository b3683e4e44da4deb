"""People, the homes residents live in, roles, sessions, sign-in throttling, second factors and API tokens."""

from __future__ import annotations

from peewee import (
    AutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from backend.changes import Changing, WrittenOnce
from backend.context import Role
from backend.db import BaseModel, JSONField
from backend.timeutil import utcnow
from backend.vocabulary import Vocabulary


class Nation(Vocabulary):
    """A home nation of the United Kingdom: it decides the complaints procedure and the bank holidays."""

    ENGLAND = "england", "England."
    WALES = "wales", "Wales."
    SCOTLAND = "scotland", "Scotland."
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland."


class Tenure(Vocabulary):
    """How a home is held, for the regulator's measures."""

    RENTED = "rented", "Rented from the landlord."
    SHARED_OWNERSHIP = "shared_ownership", "Part owned, part rented (shared ownership)."


class PreferredChannel(Vocabulary):
    """How someone with an account asked to be contacted."""

    EMAIL = "email", "By email."
    SMS = "sms", "By text message."
    POST = "post", "By post."
    PORTAL = "portal", "Only in their inbox on the portal."
    PHONE = "phone", "By phone: a member of staff reads the message out."


class TokenScope(Vocabulary):
    """What an API token may do."""

    READ = "read", "Read only: the schema has no mutations."
    WRITE = "write", "Read and change, as the token's owner may."


class ConsentMethod(Vocabulary):
    """How a resident gave consent for an advocate to act for them."""

    WRITTEN = "written", "In writing."
    VERBAL = "verbal", "Spoken, to a member of staff."
    PORTAL = "portal", "Through the resident portal."
    EMAIL = "email", "By email."


class Relationship(Vocabulary):
    """Who an advocate is to the resident they act for."""

    ADVOCATE = "advocate", "An advocate."
    FAMILY = "family", "A member of the resident's family."
    FRIEND = "friend", "A friend."
    CARER = "carer", "A carer."
    SUPPORT_WORKER = "support_worker", "A support worker."
    SOLICITOR = "solicitor", "A solicitor."
    COUNCILLOR = "councillor", "A councillor."
    OTHER = "other", "Someone else."


NATIONS = Nation.codes()
TENURES = Tenure.codes()
CONTACT_CHANNELS = PreferredChannel.codes()
TOKEN_SCOPES = TokenScope.codes()
CONSENT_METHODS = ConsentMethod.codes()
RELATIONSHIPS = Relationship.codes()


class Landlord(BaseModel):
    id = AutoField()
    name = CharField(max_length=200)
    created_at = DateTimeField(default=utcnow)


class Home(BaseModel):
    id = AutoField()
    landlord = ForeignKeyField(Landlord, backref="homes", on_delete="RESTRICT")
    reference = CharField(max_length=50, unique=True, help_text="The landlord's own reference for the home; unique.")
    address = TextField(
        help_text="The address without the postcode, on one line or several; a letter prints it under the "
        "addressee's name."
    )
    postcode = CharField(max_length=10, help_text="The postcode, as the landlord recorded it.")
    nation = CharField(max_length=20, index=True, choices=Nation)
    tenure = CharField(max_length=20, index=True, choices=Tenure)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class User(BaseModel):
    id = AutoField()
    email = CharField(max_length=254, unique=True, help_text="The address they sign in with, in lower case; unique.")
    display_name = CharField(max_length=120)
    password_hash = CharField(max_length=255, null=True)
    home = ForeignKeyField(Home, backref="residents", null=True, on_delete="SET NULL")
    locale = CharField(max_length=10, null=True)
    contact_channel = CharField(max_length=20, default="email", choices=PreferredChannel)
    phone = CharField(
        max_length=30,
        null=True,
        help_text="A phone number as written (digits, spaces and + ( ) -), or null. Texts go to it only once it is "
        "verified; staff may call it either way.",
    )
    # Set when the person proved the number is theirs (or staff recorded it); a new number clears it.
    phone_verified_at = DateTimeField(null=True)
    accessibility_needs = TextField(
        default="",
        help_text="Support they need to communicate with the landlord, in their own words (for example large print, "
        "British Sign Language or an interpreter); empty if none.",
    )
    reasonable_adjustments = TextField(
        default="",
        help_text="Adjustments they asked the landlord to make, in their own words (for example call before "
        "visiting); empty if none.",
    )
    # Staff: the team residents are told handles their case, and the manager told of breaches.
    team = CharField(max_length=100, null=True)
    manager = ForeignKeyField("self", null=True, on_delete="SET NULL", backref="reports")
    email_verified_at = DateTimeField(
        null=True,
        help_text="When the email address was confirmed; null until it is, and until then they can't sign in.",
    )
    # Changes each time an emailed sign-in link is used, so each link works once.
    sign_in_nonce = CharField(max_length=32, null=True)
    is_active = BooleanField(
        default=True, help_text="False once the account is closed: it can't sign in and its API tokens are refused."
    )
    is_demo = BooleanField(default=False, index=True)
    created_at = DateTimeField(default=utcnow, help_text="When the account was created.")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        # "user" is reserved in PostgreSQL; a plain name keeps hand-written SQL simple.
        table_name = "account"
        changes = Changing(quiet=("password_hash", "sign_in_nonce"))

    def role_names(self) -> frozenset[str]:
        return frozenset(r.role for r in self.roles)  # type: ignore[attr-defined]  # peewee adds it at runtime


class UserRole(BaseModel):
    id = AutoField()
    user = ForeignKeyField(User, backref="roles", on_delete="CASCADE", help_text="The person who holds the role.")
    role = CharField(max_length=20, choices=Role, help_text="The role held.")
    granted_at = DateTimeField(default=utcnow, help_text="When the role was granted.")

    class Meta:
        indexes = ((("user", "role"), True),)
        changes = WrittenOnce(parents=("user",), written_at="granted_at")


class Representation(BaseModel):
    """An advocate's authority to act for a resident, with the resident's recorded consent."""

    id = AutoField()
    advocate = ForeignKeyField(
        User, backref="represents", on_delete="CASCADE", help_text="The advocate who may act for the resident."
    )
    resident = ForeignKeyField(
        User, backref="representatives", on_delete="CASCADE", help_text="The resident who gave consent."
    )
    relationship = CharField(
        max_length=30, default="advocate", choices=Relationship, help_text="Who the advocate is to the resident."
    )
    consent_method = CharField(max_length=30, choices=ConsentMethod)
    consent_recorded_at = DateTimeField(default=utcnow, help_text="When staff recorded the resident's consent.")
    consent_recorded_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    revoked_at = DateTimeField(
        null=True,
        help_text="When the authority was withdrawn; null while the advocate may act for the resident and gets "
        "copies of their messages.",
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("advocate", "resident"), False),)
        changes = Changing(parents=("advocate", "resident"))


class UserSession(BaseModel):
    """A signed-in browser. The cookie holds a random key; only its hash is stored."""

    id = AutoField()
    user = ForeignKeyField(User, backref="sessions", on_delete="CASCADE")
    key_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    revoked_at = DateTimeField(null=True)
    # New recovery codes, sealed, while the page that shows them is open (see backend.accounts.recovery_codes).
    held_recovery_codes = TextField(null=True)


class SignInFailure(BaseModel):
    """One failed sign-in, keyed by a hash of the email or of the client address."""

    id = AutoField()
    key_hash = CharField(max_length=64, index=True)
    failed_at = DateTimeField(default=utcnow, index=True)


class ApiToken(BaseModel):
    id = AutoField()
    user = ForeignKeyField(User, backref="tokens", on_delete="CASCADE")
    name = CharField(
        max_length=100,
        help_text='A label to recognise it by, up to 100 characters; if none is given, "token" and the UTC time '
        "it was made.",
    )
    scope = CharField(max_length=10, choices=TokenScope)
    prefix = CharField(max_length=16)
    token_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow, help_text="When it was created.")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    last_used_at = DateTimeField(
        null=True, help_text="When a request last used it, recorded at most once a minute; null if never used."
    )
    revoked_at = DateTimeField(null=True, help_text="When it was revoked; null while it works.")
    extra = JSONField(null=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        # Its owner does not move with it: its last use is recorded once a minute.
        changes = Changing()


class SecondFactor(BaseModel):
    """A person's authenticator app (TOTP). It protects sign-in only once a first code confirmed it."""

    id = AutoField()
    user = ForeignKeyField(User, backref="second_factors", unique=True, on_delete="CASCADE")
    # The authenticator's key, sealed (see backend.accounts.sealing): a database copy alone makes no codes.
    secret = CharField(max_length=255)
    created_at = DateTimeField(default=utcnow)
    confirmed_at = DateTimeField(null=True)
    # The 30-second step of the last code accepted: a code is never accepted twice.
    last_used_step = BigIntegerField(null=True)


class RecoveryCode(BaseModel):
    """One single-use code for when the authenticator is lost. Only a SHA-256 of the code is kept."""

    id = AutoField()
    user = ForeignKeyField(User, backref="recovery_codes", on_delete="CASCADE")
    code_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow)
    used_at = DateTimeField(null=True)


class SecuritySetting(BaseModel):
    """A site-wide security choice that admins make in the console (for example, second factors for staff)."""

    id = AutoField()
    key = CharField(max_length=80, unique=True)
    value = JSONField()
    updated_at = DateTimeField(default=utcnow)
    updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL")


class PhoneVerification(BaseModel):
    """A code texted to a number a person typed in; the number gets texts once the code comes back."""

    id = AutoField()
    user = ForeignKeyField(User, backref="phone_verifications", on_delete="CASCADE")
    phone = CharField(max_length=30)
    secret = CharField(max_length=64)
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    attempts = IntegerField(default=0)
