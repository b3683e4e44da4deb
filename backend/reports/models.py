"""Reports approved and published: each a frozen copy of the document as it was approved."""

from __future__ import annotations

from peewee import AutoField, CharField, DateField, DateTimeField, ForeignKeyField, TextField

from backend.accounts.models import User
from backend.changes import Changing
from backend.db import BaseModel, JSONField
from backend.timeutil import utcnow
from backend.vocabulary import Vocabulary


class PublicationStatus(Vocabulary):
    """Where a report stands on its way to publication."""

    DRAFT = "draft", "Drafted: its figures may be counted again until a manager approves it."
    APPROVED = "approved", "Approved by a manager: frozen, waiting to be published."
    PUBLISHED = "published", "Published: anyone may read it, with the governing body's response; it never changes."


class ReportPublication(BaseModel):
    """A report (the board report, the annual report, ...) for one period, on its way from draft to published.

    ``snapshot`` is the whole document as JSON (``backend.reports.documents``): counted when drafted (and again
    each time it is redrafted), then frozen from approval on, so every page and file of it is made from the
    snapshot and never from the live data.
    """

    id = AutoField()
    kind = CharField(max_length=40, index=True, help_text="Which report it is, e.g. board.")
    period_code = CharField(max_length=40, help_text="The period it covers, as a period code, e.g. 2025/26.")
    title = CharField(max_length=200, help_text="The document's title, in its language.")
    locale = CharField(max_length=10, default="en", help_text="The language it was drafted in.")
    status = CharField(
        max_length=10,
        default="draft",
        index=True,
        choices=PublicationStatus,
        help_text="draft, approved or published.",
    )
    snapshot = JSONField(help_text="The whole document, as drafted: its sections, figures, tables and charts.")
    drafted_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who drafted it.")
    drafted_at = DateTimeField(default=utcnow, help_text="When its figures were last counted.")
    approved_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="The manager who approved it. Null: not yet."
    )
    approved_at = DateTimeField(null=True, help_text="When it was approved. Null: not yet.")
    published_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="Who published it. Null: not yet."
    )
    published_at = DateTimeField(null=True, index=True, help_text="When it was published. Null: not yet.")
    governing_body_response = TextField(
        default="", help_text="The governing body's response, published alongside. Empty: none recorded yet."
    )
    governing_body_responded_on = DateField(
        null=True, help_text="The UK day the governing body gave its response. Null: none recorded yet."
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()
