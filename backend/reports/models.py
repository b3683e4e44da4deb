"""What reports count against and what they keep.

- The UK calendar with each nation's working days, the statutory timescales in force on each date, the relevant
  homes at each year's end (the denominator, not a count of ``Home`` rows), and the Ombudsman's findings and reports
  about the landlord.
- The Complaint Handling Code's provisions as data, and the landlord's self-assessments against them (Code 8.1-8.4),
  with the "learning from complaints" checklist and the sector learning behind its item 8. The Code's text is data,
  not code, so admins change it when the Ombudsman issues a new edition: a provision is retired (never deleted) and
  stays on every assessment that used it. Each assessment copies the wording of the provisions it was started with,
  so a published one reads as it was approved whatever happens to the Code later.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from backend.accounts.models import Nation, Tenure, User
from backend.changes import Changing, WrittenOnce
from backend.db import BaseModel, JSONField
from backend.lessons.models import ImprovementAction
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


class Checklist(Vocabulary):
    """Which list of the self-assessment a row is on."""

    CODE = "code", "A provision of the Housing Ombudsman's Complaint Handling Code: complies, yes or no."
    LEARNING = "learning", 'An item of the "learning from complaints" checklist: scored 1 (yes) or 0 (no).'


class Obligation(Vocabulary):
    """How binding a provision is, by the Code's own words."""

    MUST = "must", "Mandatory: the Code says the landlord must."
    SHOULD = "should", "Good practice: the Code says the landlord should, or states what is expected."


class CodeProvision(BaseModel):
    """One row of the self-assessment: a numbered provision of the Code, or an item of the learning checklist."""

    id = AutoField()
    checklist = CharField(max_length=10, default="code", choices=Checklist, help_text="code or learning.")
    edition = CharField(max_length=40, help_text="The edition it belongs to, e.g. 2024.")
    effective_on = DateField(help_text="The UK day the edition took effect, e.g. 2024-04-01.")
    number = CharField(max_length=10, help_text="Its number, e.g. 6.2 (a learning item: 1 to 16).")
    section = IntegerField(help_text="The section it is in, e.g. 6 (learning items: 0).")
    section_title = CharField(max_length=200, help_text="The section's title, e.g. Complaint stages.")
    requirement = TextField(help_text="What it requires, as the Code says it (or a faithful summary).")
    obligation = CharField(max_length=10, default="must", choices=Obligation, help_text="must or should.")
    position = IntegerField(default=0, help_text="Its place in the list, lowest first.")
    retired_at = DateTimeField(null=True, help_text="When it was retired: new assessments leave it out. Null: in use.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()
        indexes = ((("checklist", "edition", "number"), True),)


class AssessmentTrigger(Vocabulary):
    """Why a self-assessment was made (Code 8.1, 8.3 and 8.4)."""

    ANNUAL = "annual", "The annual self-assessment (Code 8.1)."
    RESTRUCTURE = "restructure", "After a significant restructure (Code 8.3)."
    MERGER = "merger", "After a merger (Code 8.3)."
    PROCEDURE_CHANGE = "procedure_change", "After a change in procedures (Code 8.3)."
    OMBUDSMAN_REQUEST = "ombudsman_request", "At the Ombudsman's request, after an investigation (Code 8.4)."


class AssessmentStatus(Vocabulary):
    """Where a self-assessment is between its draft and its publication."""

    DRAFT = "draft", "A draft: its items may be filled in."
    APPROVED = "approved", "Approved by a manager who did not draft it: its figures are kept as they were."
    PUBLISHED = "published", "Published after the governing body approved it: frozen, nothing changes it."


class SelfAssessment(BaseModel):
    """A self-assessment against the Code over a period, drafted, approved and published."""

    id = AutoField()
    period = CharField(max_length=40, help_text="The period it covers, as a code: 2025/26, 2025/26-Q1, a range.")
    period_first = DateField(help_text="The first UK day it covers.")
    period_last = DateField(help_text="The last UK day it covers.")
    trigger = CharField(max_length=20, choices=AssessmentTrigger, default="annual", help_text="Why it was made.")
    context = TextField(default="", help_text="What led to it (the restructure, the request). Empty: none given.")
    status = CharField(max_length=10, index=True, choices=AssessmentStatus, default="draft")
    drafted_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who started it.")
    approved_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who approved it.")
    approved_at = DateTimeField(null=True, help_text="When it was approved. Null: not yet.")
    governing_body_approved_on = DateField(
        null=True, help_text="The UK day the governing body approved it (Code 8.2). Null: not recorded yet."
    )
    published_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who published it.")
    published_at = DateTimeField(null=True, help_text="When it was published. Null: not yet.")
    created_at = DateTimeField(default=utcnow, help_text="When it was started.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()


class SelfAssessmentItem(BaseModel):
    """How the landlord meets one provision (or learning item) in a self-assessment, with its evidence."""

    id = AutoField()
    assessment = ForeignKeyField(SelfAssessment, backref="items", on_delete="CASCADE")
    provision = ForeignKeyField(CodeProvision, backref="+", on_delete="RESTRICT", help_text="The row it answers.")
    # The provision's wording when the assessment was started, so that a later edit of the Code changes nothing here.
    checklist = CharField(max_length=10, choices=Checklist, help_text="code or learning.")
    number = CharField(max_length=10, help_text="The provision's number.")
    section = IntegerField(help_text="The provision's section.")
    section_title = CharField(max_length=200, help_text="The section's title.")
    requirement = TextField(help_text="What the provision requires, as it was worded.")
    obligation = CharField(max_length=10, choices=Obligation, help_text="must or should.")
    position = IntegerField(default=0, help_text="Its place in the list, lowest first.")
    complies = BooleanField(
        null=True, help_text="Whether the landlord complies (a learning item: scores 1). Null: not assessed."
    )
    evidence = TextField(default="", help_text="The evidence staff give, beside any figure the system works out.")
    explanation = TextField(default="", help_text="Why it does not comply, and by when it will. Required then.")
    action = ForeignKeyField(
        ImprovementAction, null=True, on_delete="SET NULL", backref="+", help_text="The action that will put it right."
    )
    links = JSONField(default=list, help_text="Links to more evidence: a list of {label, url}.")
    figure = JSONField(null=True, help_text="The system's figure as it was at approval. Null: worked out when read.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(parents=("assessment",))
        indexes = ((("assessment", "provision"), True),)


class SectorEventKind(Vocabulary):
    """How the landlord learns from other landlords (learning item 8)."""

    BENCHMARK = "benchmark", "Benchmarking complaint handling against other landlords."
    NETWORK_MEETING = "network_meeting", "A meeting of a complaint-handling network."


class SectorEvent(BaseModel):
    """A benchmarking exercise or a complaint-handling network meeting, and who went from the staff."""

    id = AutoField()
    kind = CharField(max_length=20, index=True, choices=SectorEventKind, help_text="benchmark or network_meeting.")
    name = CharField(max_length=200, help_text="Its name, e.g. North West complaints network, June.")
    held_on = DateField(index=True, help_text="The UK day it took place.")
    expected = BooleanField(
        default=True,
        help_text="The landlord was expected to attend (a meeting of a network it belongs to): it counts towards "
        "the attendance rate.",
    )
    notes = TextField(default="", help_text="What was compared or learnt. Empty: none written.")
    recorded_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who recorded it.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()


class SectorEventAttendee(BaseModel):
    """A member of staff who attended a sector event."""

    id = AutoField()
    event = ForeignKeyField(SectorEvent, backref="attendees", on_delete="CASCADE")
    person = ForeignKeyField(User, backref="+", on_delete="CASCADE")

    class Meta:
        changes = WrittenOnce(parents=("event",))
        indexes = ((("event", "person"), True),)


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
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()
