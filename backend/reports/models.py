"""What the reports keep: the Complaint Handling Code's provisions as data, and the landlord's self-assessments
against them (Code 8.1-8.4), with the "learning from complaints" checklist and the sector learning behind its item 8.

The Code's text is data, not code, so admins change it when the Ombudsman issues a new edition: a provision is
retired (never deleted) and stays on every assessment that used it. Each assessment copies the wording of the
provisions it was started with, so a published one reads as it was approved whatever happens to the Code later.
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

from backend.accounts.models import User
from backend.changes import Changing, WrittenOnce
from backend.db import BaseModel, JSONField
from backend.lessons.models import ImprovementAction
from backend.timeutil import utcnow
from backend.vocabulary import Vocabulary


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
