"""Subject access requests (UK GDPR article 15): who asked, when, the one-month clock, each step and the export.

The export itself (a zip) lives in the attachments storage under ``export_key``; the row keeps only its key, size
and SHA-256, never a download link. Legal holds and the ledger of erased records are defined in ``holds``, beside
their use cases, and imported here so the model scan finds them.
"""

from __future__ import annotations

from peewee import AutoField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from backend.accounts.models import User
from backend.changes import Changing
from backend.db import BaseModel
from backend.timeutil import utcnow
from backend.vocabulary import Vocabulary


class AccessRequestStatus(Vocabulary):
    """Where a subject access request stands."""

    RECEIVED = "received", "Logged; the export has not been compiled yet (or was sent back to be compiled again)."
    COMPILED = "compiled", "The export is compiled and waits for the data protection officer's review."
    APPROVED = "approved", "The data protection officer approved the export; it can be released."
    RELEASED = "released", "The export was given to the person."
    REFUSED = "refused", "Refused, with the reason (manifestly unfounded or excessive, or identity not confirmed)."
    WITHDRAWN = "withdrawn", "The person withdrew the request."


class ReleaseMethod(Vocabulary):
    """How the export reached the person."""

    EMAIL = "email", "By email, as an encrypted file or a link that expires."
    POST = "post", "By post, on a storage device or on paper."
    IN_PERSON = "in_person", "Handed over in person."
    PORTAL = "portal", "Through a secure portal outside Learnloop."


OPEN_STATUSES = (AccessRequestStatus.RECEIVED, AccessRequestStatus.COMPILED, AccessRequestStatus.APPROVED)


class SubjectAccessRequest(BaseModel):
    """One person's request for a copy of everything held about them, and each step of answering it."""

    id = AutoField()
    person = ForeignKeyField(User, backref="+", on_delete="CASCADE", help_text="The person asking (an account).")
    received_at = DateTimeField(index=True, help_text="When the landlord received the request.")
    received_on = DateField(help_text="The UK day it was received: day one of the month the law allows.")
    due_on = DateField(index=True, help_text="The last day to answer: one calendar month on, moved to a working day.")
    extended_to = DateField(null=True, help_text="The later last day, when extended by up to two months. Null: none.")
    extension_reason = TextField(default="", help_text="Why it was extended, as told to the person. Empty: none.")
    extended_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    extended_at = DateTimeField(null=True)
    channel = CharField(max_length=40, default="", help_text="How the request arrived, as staff recorded it.")
    note = TextField(default="", help_text="What the person asked for, in staff's words. Empty: everything.")
    third_parties = TextField(
        default="",
        help_text="Names of other people (neighbours, other residents) to take out of the export, one a line.",
    )
    status = CharField(max_length=12, default="received", index=True, choices=AccessRequestStatus)
    logged_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who logged it.")
    compiled_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    compiled_at = DateTimeField(null=True)
    export_key = CharField(max_length=200, null=True, help_text="The zip's key in the attachments storage.")
    export_size = IntegerField(null=True, help_text="The zip's size in bytes.")
    export_sha256 = CharField(max_length=64, null=True, help_text="The zip's SHA-256, in hex.")
    summary = TextField(default="", help_text="What the export holds, as JSON: a count of each kind of record.")
    reviewed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="The DPO.")
    reviewed_at = DateTimeField(null=True)
    review_note = TextField(default="", help_text="Why the DPO sent it back, or what they noted on approval.")
    released_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    released_at = DateTimeField(null=True)
    release_method = CharField(max_length=12, null=True, choices=ReleaseMethod)
    closed_reason = TextField(default="", help_text="Why it was refused or withdrawn. Empty otherwise.")
    closed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    closed_at = DateTimeField(null=True)
    reminded_on = DateField(null=True, help_text="The UK day the DPO was last told about it (once a day at most).")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


from backend.privacy.holds import ErasedRecord, LegalHold  # noqa: E402 - after the models above, which holds may use

__all__ = ["AccessRequestStatus", "ErasedRecord", "LegalHold", "ReleaseMethod", "SubjectAccessRequest"]
