"""What reports count against: the UK calendar with each nation's working days, the statutory timescales in force
on each date, and the relevant homes at each year's end (the denominator, not a count of ``Home`` rows); and the
reports approved and published, each a frozen copy of the document as it was approved."""

from __future__ import annotations

from peewee import AutoField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from backend.accounts.models import Nation, Tenure, User
from backend.changes import Changing, WrittenOnce
from backend.db import BaseModel, JSONField
from backend.timeutil import utcnow
from backend.vocabulary import Vocabulary


class UkDay(BaseModel):
    """One UK calendar day: the stored moment it starts, and each nation's running count of working days.

    A nation's count on a day is how many of its working days (not a weekend, not one of its bank holidays) there
    are from the calendar's first day up to and including this one, so the working days after one date up to and
    including a later one are the difference of their counts. Landlords' closure days play no part: the statutory
    measures count on the statutory calendar.
    """

    day = DateField(primary_key=True, help_text="The UK calendar date.")
    starts_at = DateTimeField(unique=True, help_text="The stored (UTC) moment the UK day starts.")
    england = IntegerField(help_text="England's working days from the calendar's start up to this day.")
    wales = IntegerField(help_text="Wales's working days from the calendar's start up to this day.")
    scotland = IntegerField(help_text="Scotland's working days from the calendar's start up to this day.")
    northern_ireland = IntegerField(help_text="Northern Ireland's working days from the calendar's start up to it.")

    class Meta:
        table_name = "uk_day"
        changes = WrittenOnce()


class TimescaleStart(Vocabulary):
    """What a statutory response timescale runs from."""

    ACKNOWLEDGEMENT = "acknowledgement", "The stage's acknowledgement."
    RECEIPT = "receipt", "The stage's start: the complaint's receipt, or the escalation request."


class StatutoryTimescale(BaseModel):
    """A stage's response timescale as a procedure set it from a date: the one in force when a complaint was
    received governs it, whatever the procedure says now. Set by migrations from the published procedures."""

    id = AutoField()
    regime = CharField(max_length=30, help_text="The procedure's code: hoc or spso.")
    stage = IntegerField(help_text="The stage, from 1.")
    in_force_from = DateField(help_text="The first UK date of receipt it governs.")
    respond_days = IntegerField(help_text="Working days to respond, before any extension.")
    starts_from = CharField(max_length=20, choices=TimescaleStart, help_text="acknowledgement or receipt.")
    extension_cap = IntegerField(help_text="Most working days of extension allowed without a recorded good reason.")
    source = TextField(help_text="Where the timescale comes from: the procedure, its edition and paragraph.")

    class Meta:
        table_name = "statutory_timescale"
        indexes = ((("regime", "stage", "in_force_from"), True),)
        changes = WrittenOnce()


class StockCount(BaseModel):
    """The relevant homes a landlord owned at the end of a regulator's year, by nation and tenure, with its source.

    The denominator of the measures per 1,000 homes: entered or imported by managers, never counted from homes.
    """

    id = AutoField()
    year = IntegerField(help_text="The regulator's year it closes, by its first calendar year: 2025 is 2025/26.")
    nation = CharField(max_length=20, choices=Nation, help_text="The homes' nation.")
    tenure = CharField(max_length=20, choices=Tenure, help_text="rented (low-cost rental) or shared_ownership.")
    homes = IntegerField(help_text="The number of relevant homes owned on 31 March at the year's end.")
    source = TextField(help_text="Where the number comes from, e.g. the statistical data return.")
    entered_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who entered it.")
    entered_at = DateTimeField(default=utcnow, help_text="When it was entered or last changed.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        table_name = "stock_count"
        indexes = ((("year", "nation", "tenure"), True),)
        changes = Changing()


class OmbudsmanPublicationKind(Vocabulary):
    """What the Ombudsman published about the landlord (the Code's annual report, sections c, e and f)."""

    NON_COMPLIANCE = "non_compliance", "A finding that the landlord did not comply with the Code."
    ANNUAL_LANDLORD_REPORT = "annual_landlord_report", "The Ombudsman's annual report on the landlord's performance."
    SPECIAL_REPORT = "special_report", "A special investigation or report about the landlord."
    OTHER = "other", "Another report or publication about the landlord."


class OmbudsmanPublication(BaseModel):
    """A finding, report or publication of the Ombudsman about the landlord, recorded by a manager for the annual
    report (Code 2024 8.1(c), (e) and (f)). It names no resident: it is published with the report."""

    id = AutoField()
    kind = CharField(max_length=30, choices=OmbudsmanPublicationKind, help_text="What it is.")
    published_on = DateField(index=True, help_text="The UK day the Ombudsman issued it.")
    title = CharField(max_length=200, help_text="Its title, as the Ombudsman gave it.")
    summary = TextField(help_text="What it found or said, and what the landlord did about it; no resident's details.")
    link = CharField(max_length=500, default="", help_text="Where it is published (https); empty: not online.")
    archived_at = DateTimeField(null=True, help_text="When it was archived: left out of new reports. Null: in use.")
    created_at = DateTimeField(default=utcnow, help_text="When it was recorded.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        table_name = "ombudsman_publication"
        changes = Changing()


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
