"""The lessons collector: lessons from every source, root causes, themes, SMART actions, staff sharing and QA.

The model follows the Lessons Learnt Framework field by field (capture, section 1.4; review, 2.1; themes and
actions, 4.1; champions, 4.1.12; monthly QA, 6.4) and the PHSO's just and learning culture: causes name
processes, systems and teams, never a person, and a lesson holds no disciplinary content (a conduct concern is only
the flag ``referred_to_hr``).
"""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from backend.accounts.models import User
from backend.changes import Changing, WrittenOnce
from backend.complaints.models import Complaint, Contact, ServiceArea
from backend.db import BaseModel, JSONField
from backend.surveys.models import Survey, SurveyQuestion
from backend.timeutil import utcnow
from backend.vocabulary import Vocabulary


class LessonStatus(Vocabulary):
    """Where a lesson is in its life (the framework's cycle: listen, act, define the difference, inform)."""

    IDENTIFIED = "identified", "Identified: captured, not yet analysed."
    ANALYSED = "analysed", "Analysed: its root causes and themes are recorded."
    ACTIONS_AGREED = "actions_agreed", "Actions agreed: its actions are authorised."
    IN_PROGRESS = "in_progress", "In progress: its actions are being carried out."
    MEASURING_IMPACT = "measuring_impact", "Measuring impact: its actions are done and their effect is being checked."
    CLOSED = "closed", "Closed: its actions are verified."
    CANCELLED = "cancelled", "Cancelled, with the reason recorded."
    MERGED = "merged", "Merged into another lesson, with the reason recorded."


class LearningType(Vocabulary):
    """What kind of learning a lesson is (the framework's section 2.1)."""

    SYSTEMIC_ISSUE = "systemic_issue", "A systemic issue."
    SERVICE_RISK = "service_risk", "A risk to the service."
    SERVICE_IMPROVEMENT = "service_improvement", "A service improvement."
    INNOVATION = "innovation", "An innovation."
    POLICY_REVISION = "policy_revision", "A policy or procedure to revise."
    TRAINING_NEED = "training_need", "A training need or knowledge gap."
    LISTENING = "listening", "How residents feel listened to."


class SourceKind(Vocabulary):
    """Where a lesson came from."""

    COMPLAINT = "complaint", "A complaint."
    CONTACT = "contact", "A contact that was not a complaint."
    OMBUDSMAN_DETERMINATION = "ombudsman_determination", "An Ombudsman determination on a complaint."
    TSM_SURVEY = "tsm_survey", "A question of a Tenant Satisfaction Measures survey."
    TRANSACTIONAL_SURVEY = "transactional_survey", "A question of a transactional survey."
    OPERATIONAL_FEEDBACK = "operational_feedback", "Feedback from the delivery of the service."
    SCRUTINY_RECOMMENDATION = "scrutiny_recommendation", "A recommendation of a scrutiny panel."
    SPEAK_UP = "speak_up", "A note from a member of staff who spoke up; it may be anonymous."


class Lesson(BaseModel):
    """One lesson: what was learnt, from which sources, why it happened, and what is done about it."""

    id = AutoField()
    reference = CharField(max_length=20, unique=True, help_text="Its reference, LS-YYYY-NNNN.")
    title = CharField(max_length=200, help_text="A short title.")
    status = CharField(
        max_length=20,
        index=True,
        choices=LessonStatus,
        default=LessonStatus.IDENTIFIED,
        help_text="Where it is in its life.",
    )
    identified_on = DateField(index=True, help_text="The UK day it was identified.")
    identified_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who captured it.")
    owner = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="Who owns it. Null: nobody yet."
    )
    champion = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="The lessons-learnt champion who follows it."
    )
    team = CharField(max_length=100, null=True, index=True, help_text="The team it belongs to. Null: none yet.")
    service_area = ForeignKeyField(
        ServiceArea, null=True, on_delete="SET NULL", backref="lessons", help_text="The service area it is about."
    )
    # Capture (framework section 1.4).
    early_lesson = TextField(default="", help_text="The lesson as first seen.")
    event_summary = TextField(default="", help_text="The event as a whole.")
    business_impact = IntegerField(null=True, help_text="The impact on the business, 1 (least) to 5 (most).")
    resident_impact = IntegerField(null=True, help_text="The impact on residents, 1 (least) to 5 (most).")
    actions_taken = TextField(default="", help_text="Actions already taken.")
    later_findings = TextField(default="", help_text="What was found later.")
    referred_to_hr = BooleanField(
        default=False, help_text="A conduct concern was referred to HR. Nothing more is recorded here."
    )
    end_reason = TextField(default="", help_text="Why it was cancelled or merged. Empty otherwise.")
    merged_into = ForeignKeyField(
        "self", null=True, on_delete="SET NULL", backref="merged_lessons", help_text="The lesson it was merged into."
    )
    archived_at = DateTimeField(null=True, help_text="When it was archived. Null: in the log.")
    created_at = DateTimeField(default=utcnow, help_text="When it was recorded.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()


class LessonReferenceCounter(BaseModel):
    """The last number given to a lesson reference in a UK year (LS-YYYY-NNNN). It never goes back: the reference
    of a lesson deleted is never given to another (:func:`backend.lessons.lessons.next_reference`)."""

    year = IntegerField(primary_key=True, help_text="The UK year.")
    last = IntegerField(default=0, help_text="The last number given in the year.")

    class Meta:
        table_name = "lesson_reference_counter"


class LessonLearningType(BaseModel):
    """One kind of learning a lesson is."""

    id = AutoField()
    lesson = ForeignKeyField(Lesson, backref="learning_types", on_delete="CASCADE", help_text="The lesson.")
    learning_type = CharField(max_length=30, index=True, choices=LearningType, help_text="The kind of learning.")

    class Meta:
        changes = WrittenOnce(parents=("lesson",))
        indexes = ((("lesson", "learning_type"), True),)


class LessonSource(BaseModel):
    """One source a lesson came from: a link to the record, or a note for sources outside the system."""

    id = AutoField()
    lesson = ForeignKeyField(Lesson, backref="sources", on_delete="CASCADE", help_text="The lesson it fed.")
    kind = CharField(max_length=30, index=True, choices=SourceKind, help_text="What kind of source it is.")
    complaint = ForeignKeyField(
        Complaint, null=True, on_delete="CASCADE", backref="lesson_sources", help_text="The complaint, if any."
    )
    contact = ForeignKeyField(
        Contact, null=True, on_delete="CASCADE", backref="lesson_sources", help_text="The contact, if any."
    )
    survey = ForeignKeyField(Survey, null=True, on_delete="SET NULL", backref="+", help_text="The survey, if any.")
    survey_question = ForeignKeyField(
        SurveyQuestion, null=True, on_delete="SET NULL", backref="+", help_text="The survey question, if any."
    )
    reference = CharField(max_length=100, default="", help_text="A reference outside the system. Empty: none.")
    note = TextField(default="", help_text="What the source says, in a few words.")
    anonymous = BooleanField(default=False, help_text="A speak-up note given anonymously: who gave it is not kept.")
    recorded_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="Who recorded it. Null: anonymous."
    )
    recorded_at = DateTimeField(default=utcnow, help_text="When it was recorded.")

    class Meta:
        changes = WrittenOnce(parents=("lesson",), written_at="recorded_at")


class NoLessonDecision(BaseModel):
    """A recorded decision that an upheld complaint holds no wider lesson, with the reason."""

    id = AutoField()
    complaint = ForeignKeyField(
        Complaint, unique=True, on_delete="CASCADE", backref="+", help_text="The upheld complaint."
    )
    reason = TextField(help_text="Why there is no wider lesson.")
    decided_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who decided.")
    decided_at = DateTimeField(default=utcnow, help_text="When it was decided.")

    class Meta:
        changes = WrittenOnce(parents=("complaint",), written_at="decided_at")


class RootCause(BaseModel):
    """A cause in the taxonomy admins edit: processes, policies, systems, never a person. Sub-causes name a parent."""

    id = AutoField()
    name = CharField(max_length=100, help_text="Its name, e.g. Process.")
    parent = ForeignKeyField(
        "self", null=True, on_delete="RESTRICT", backref="children", help_text="The cause it is part of. Null: top."
    )
    description = TextField(default="", help_text="What it covers.")
    archived_at = DateTimeField(null=True, help_text="When it was archived: no longer offered. Null: in use.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()
        indexes = ((("parent", "name"), True),)


class LessonCause(BaseModel):
    """A root cause or contributing factor of a lesson, with its own text."""

    id = AutoField()
    lesson = ForeignKeyField(Lesson, backref="causes", on_delete="CASCADE", help_text="The lesson.")
    root_cause = ForeignKeyField(
        RootCause, backref="lesson_causes", on_delete="RESTRICT", help_text="The cause in the taxonomy."
    )
    contributing = BooleanField(default=False, help_text="A contributing factor rather than a root cause.")
    detail = TextField(default="", help_text="How it caused or contributed to what happened.")
    created_at = DateTimeField(default=utcnow, help_text="When it was recorded.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(parents=("lesson",))


class Theme(BaseModel):
    """A theme lessons and contacts are grouped into; residents see its resident-facing text."""

    id = AutoField()
    name = CharField(max_length=100, unique=True, help_text="Its internal name, unique.")
    merged_into = ForeignKeyField(
        "self", null=True, on_delete="SET NULL", backref="merged_themes", help_text="The theme it was merged into."
    )
    archived_at = DateTimeField(null=True, help_text="When it was archived. Null: in use.")
    published_at = DateTimeField(
        null=True, help_text="When it was published for residents to see and vote on. Null: staff only."
    )
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()


class ThemeText(BaseModel):
    """A theme's resident-facing name and description in one language."""

    id = AutoField()
    theme = ForeignKeyField(Theme, backref="texts", on_delete="CASCADE")
    locale = CharField(max_length=10, help_text="The language, e.g. cy.")
    name = CharField(max_length=100, help_text="The name residents see.")
    description = TextField(default="", help_text="The description residents see.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(parents=("theme",))
        indexes = ((("theme", "locale"), True),)


class LessonTheme(BaseModel):
    """A link a member of staff confirmed between a lesson and a theme."""

    id = AutoField()
    lesson = ForeignKeyField(Lesson, backref="themes", on_delete="CASCADE")
    theme = ForeignKeyField(Theme, backref="lessons", on_delete="CASCADE")
    linked_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    linked_at = DateTimeField(default=utcnow)

    class Meta:
        changes = WrittenOnce(parents=("lesson", "theme"), written_at="linked_at")
        indexes = ((("lesson", "theme"), True),)


class ContactTheme(BaseModel):
    """A link a member of staff confirmed between a contact (or complaint's contact) and a theme."""

    id = AutoField()
    contact = ForeignKeyField(Contact, backref="themes", on_delete="CASCADE")
    theme = ForeignKeyField(Theme, backref="contacts", on_delete="CASCADE")
    linked_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    linked_at = DateTimeField(default=utcnow)

    class Meta:
        changes = WrittenOnce(parents=("contact", "theme"), written_at="linked_at")
        indexes = ((("contact", "theme"), True),)


class PriorityFactor(Vocabulary):
    """What a weight of the theme priority score weighs."""

    RESIDENTS_AFFECTED = "residents_affected", "The distinct residents whose contacts are linked to the theme."
    UPHELD_COMPLAINTS = "upheld_complaints", "The linked complaints with a point upheld or partly upheld."
    IMPACT = "impact", "The linked lessons' business and resident impact ratings."
    VOTES = "votes", "Residents' votes for the theme."


class PriorityWeight(BaseModel):
    """One weight of the theme priority score, visible and editable by managers."""

    id = AutoField()
    factor = CharField(max_length=30, unique=True, choices=PriorityFactor, help_text="What it weighs.")
    weight = FloatField(help_text="How much the factor counts.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()


class ThemeFigures(BaseModel):
    """A theme's figures as last worked out (:mod:`backend.lessons.theme_figures`), one row per theme.

    Triggers add the row when a theme is made and move ``version`` on whenever something the figures count changes
    (a contact or lesson linked or unlinked, a complaint opened, a point decided, an impact rated); the figures are
    current while ``refreshed_version`` equals it and ``month`` is this UK month. Statistics only: they name nobody.
    """

    theme = ForeignKeyField(Theme, primary_key=True, backref="+", on_delete="CASCADE")
    residents_affected = IntegerField(default=0)
    contacts = IntegerField(default=0)
    complaints = IntegerField(default=0)
    upheld_complaints = IntegerField(default=0)
    impact = IntegerField(default=0)
    month = DateField(null=True, help_text="The first day of the UK month the trend was worked out in.")
    version = IntegerField(default=1)
    refreshed_version = IntegerField(default=0)
    refreshed_at = DateTimeField(null=True)

    class Meta:
        table_name = "theme_figures"


class ThemeMonthFigures(BaseModel):
    """One UK month of a theme's trend, as last worked out with its ``ThemeFigures``."""

    id = AutoField()
    theme = ForeignKeyField(Theme, backref="+", on_delete="CASCADE")
    month = DateField()
    contacts = IntegerField(default=0)
    complaints = IntegerField(default=0)
    upheld_complaints = IntegerField(default=0)

    class Meta:
        table_name = "theme_month_figures"
        indexes = ((("theme", "month"), True),)


class ActionType(Vocabulary):
    """What an improvement action changes (self-assessment item 9)."""

    WORKING_PRACTICE = "working_practice", "A working practice."
    SERVICE_PROVISION = "service_provision", "How the service is provided."
    STAFF_TRAINING = "staff_training", "Staff training."
    POLICY_PROCEDURE = "policy_procedure", "A policy or procedure."
    COMPLAINT_HANDLING = "complaint_handling", "How complaints are handled."


class ActionStatus(Vocabulary):
    """Where an improvement action is on its path to done."""

    PROPOSED = "proposed", "Proposed: waiting for a manager to authorise it."
    AUTHORISED = "authorised", "Authorised: work may start."
    IN_PROGRESS = "in_progress", "In progress."
    DONE = "done", "Done, with evidence: waiting for sign-off."
    SIGNED_OFF = "signed_off", "Signed off by a manager: waiting for its effect to be verified."
    VERIFIED = "verified", "Verified: its effect was checked."
    CANCELLED = "cancelled", "Cancelled, with the reason recorded."


class Effect(Vocabulary):
    """Whether an action addressed the problem it was for."""

    ADDRESSED = "addressed", "It addressed the problem."
    PARTLY = "partly", "It partly addressed the problem."
    NOT_ADDRESSED = "not_addressed", "It did not address the problem."


class Programme(BaseModel):
    """A programme of work that complex actions feed."""

    id = AutoField()
    name = CharField(max_length=100, unique=True)
    description = TextField(default="")
    archived_at = DateTimeField(null=True, help_text="When it was archived. Null: in use.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()


class ImprovementAction(BaseModel):
    """A SMART action a lesson leads to: what, how it is measured, who, why and by when."""

    id = AutoField()
    lesson = ForeignKeyField(Lesson, backref="actions", on_delete="RESTRICT")
    title = CharField(max_length=200, help_text="Specific: what will be done, in a line.")
    description = TextField(default="", help_text="Specific: what will be done, in full.")
    measure = TextField(default="", help_text="Measurable: how its effect is measured.")
    baseline = CharField(max_length=200, default="", help_text="Measurable: the figure before.")
    target = CharField(max_length=200, default="", help_text="Measurable: the figure aimed for.")
    owner = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Achievable: who does it.")
    team = CharField(max_length=100, null=True, index=True, help_text="The team that does it.")
    cause = ForeignKeyField(
        LessonCause, null=True, on_delete="SET NULL", backref="actions", help_text="Relevant: the cause it addresses."
    )
    action_type = CharField(max_length=30, index=True, choices=ActionType)
    programme = ForeignKeyField(Programme, null=True, on_delete="SET NULL", backref="actions")
    status = CharField(max_length=20, index=True, choices=ActionStatus, default=ActionStatus.PROPOSED)
    due_on = DateField(null=True, index=True, help_text="Time-bound: the UK day it is due.")
    first_due_on = DateField(
        null=True, help_text="The due date first authorised: on time is measured against it. Null: not authorised."
    )
    proposed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    proposed_at = DateTimeField(default=utcnow)
    authorised_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    authorised_at = DateTimeField(null=True)
    started_at = DateTimeField(null=True)
    completed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    completed_at = DateTimeField(null=True, index=True)
    evidence = TextField(default="", help_text="What shows it was done.")
    signed_off_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    signed_off_at = DateTimeField(null=True)
    verified_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    verified_at = DateTimeField(null=True, index=True)
    effect = CharField(max_length=20, null=True, choices=Effect, help_text="Whether it addressed the problem.")
    effect_note = TextField(default="", help_text="How its effect was judged.")
    follows = ForeignKeyField(
        "self", null=True, on_delete="SET NULL", backref="followed_by", help_text="The action it follows on from."
    )
    cancel_reason = TextField(default="", help_text="Why it was cancelled. Empty otherwise.")
    due_soon_notified_at = DateTimeField(null=True)
    overdue_notified_at = DateTimeField(null=True, help_text="When its owner was told it is overdue.")
    overdue_escalated_at = DateTimeField(null=True, help_text="When the owner's manager was told it is overdue.")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(parents=("lesson",))


class ActionEvidence(BaseModel):
    """A piece of evidence that an action was done: text, a file or a link."""

    id = AutoField()
    action = ForeignKeyField(ImprovementAction, backref="evidence_items", on_delete="CASCADE")
    text = TextField(default="")
    url = CharField(max_length=2000, default="")
    file_name = CharField(max_length=200, default="")
    media_type = CharField(max_length=100, default="")
    size = IntegerField(default=0)
    sha256 = CharField(max_length=64, default="")
    storage_key = CharField(max_length=200, null=True, unique=True)
    added_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    added_at = DateTimeField(default=utcnow)

    class Meta:
        changes = WrittenOnce(parents=("action",), written_at="added_at")


class DueDateChange(BaseModel):
    """A change to an authorised action's due date, with the reason and the manager who authorised it."""

    id = AutoField()
    action = ForeignKeyField(ImprovementAction, backref="due_changes", on_delete="CASCADE")
    from_date = DateField()
    to_date = DateField()
    reason = TextField()
    authorised_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    changed_at = DateTimeField(default=utcnow)

    class Meta:
        changes = WrittenOnce(parents=("action",), written_at="changed_at")


class ActionDigest(BaseModel):
    """An overdue action put in a senior manager's daily digest, so each is sent once a day."""

    id = AutoField()
    action = ForeignKeyField(ImprovementAction, backref="+", on_delete="CASCADE")
    recipient = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    day = DateField()
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("action", "recipient", "day"), True),)


class Champion(BaseModel):
    """A lessons-learnt champion for a team: they see the team's lessons and actions."""

    id = AutoField()
    person = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    team = CharField(max_length=100, index=True)
    appointed_on = DateField()
    ended_on = DateField(null=True, help_text="The last day. Null: until further notice.")
    responsibilities = TextField(default="")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()


class MeetingKind(Vocabulary):
    """What kind of meeting discussed lessons (self-assessment items 10, 11 and 14)."""

    TEAM = "team", "A team meeting."
    MANAGEMENT = "management", "A management team meeting."
    SENIOR_MANAGEMENT = "senior_management", "A senior management meeting."
    GOVERNANCE_GROUP = "governance_group", "A governance group meeting."
    KNOWLEDGE_SHARING = "knowledge_sharing", "A knowledge-sharing session."


class Meeting(BaseModel):
    """A meeting where lessons and actions were discussed: who came, the agenda and the minutes."""

    id = AutoField()
    kind = CharField(max_length=20, index=True, choices=MeetingKind)
    title = CharField(max_length=200)
    held_on = DateField(index=True)
    team = CharField(max_length=100, null=True)
    minutes = TextField(default="")
    recorded_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()


class MeetingAttendee(BaseModel):
    """Someone at a meeting: a member of staff, or a name for a guest."""

    id = AutoField()
    meeting = ForeignKeyField(Meeting, backref="attendees", on_delete="CASCADE")
    person = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    name = CharField(max_length=120, default="", help_text="A guest's name. Empty: a member of staff.")

    class Meta:
        changes = WrittenOnce(parents=("meeting",))


class AgendaItem(BaseModel):
    """An item on a meeting's agenda, with the lessons or action it discussed."""

    id = AutoField()
    meeting = ForeignKeyField(Meeting, backref="agenda", on_delete="CASCADE")
    position = IntegerField(default=0)
    title = CharField(max_length=200)
    notes = TextField(default="")
    lesson = ForeignKeyField(Lesson, null=True, on_delete="SET NULL", backref="agenda_items")
    action = ForeignKeyField(ImprovementAction, null=True, on_delete="SET NULL", backref="agenda_items")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(parents=("meeting",))


class StaffBriefing(BaseModel):
    """A member of staff involved in a complaint told its outcome and the lessons drawn, and their acknowledgement."""

    id = AutoField()
    complaint = ForeignKeyField(Complaint, backref="+", on_delete="CASCADE")
    person = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    summary = TextField(help_text="The outcome and the lessons drawn, as they were told.")
    sent_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    sent_at = DateTimeField(default=utcnow)
    acknowledged_at = DateTimeField(null=True, help_text="When they acknowledged it. Null: not yet.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()
        indexes = ((("complaint", "person"), False),)


class Bulletin(BaseModel):
    """An internal lessons bulletin assembled from the lessons closed in a period, and sent to staff."""

    id = AutoField()
    title = CharField(max_length=200)
    period_start = DateField()
    period_end = DateField()
    introduction = TextField(default="")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)
    sent_at = DateTimeField(null=True, help_text="When it was sent to staff. Null: a draft.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()


class BulletinLesson(BaseModel):
    id = AutoField()
    bulletin = ForeignKeyField(Bulletin, backref="lessons", on_delete="CASCADE")
    lesson = ForeignKeyField(Lesson, backref="+", on_delete="CASCADE")

    class Meta:
        changes = WrittenOnce(parents=("bulletin",))
        indexes = ((("bulletin", "lesson"), True),)


class TrainingRecord(BaseModel):
    """Training delivered: what, to whom and when, linked to the training action it carries out."""

    id = AutoField()
    title = CharField(max_length=200)
    action = ForeignKeyField(ImprovementAction, null=True, on_delete="SET NULL", backref="training")
    delivered_on = DateField(index=True)
    audience = CharField(max_length=200, default="", help_text="Who it was for, e.g. the repairs team.")
    attendees = IntegerField(default=0, help_text="How many attended.")
    notes = TextField(default="")
    recorded_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()


class TrainingAttendee(BaseModel):
    id = AutoField()
    record = ForeignKeyField(TrainingRecord, backref="people", on_delete="CASCADE")
    person = ForeignKeyField(User, backref="+", on_delete="CASCADE")

    class Meta:
        changes = WrittenOnce(parents=("record",))
        indexes = ((("record", "person"), True),)


class StoryStatus(Vocabulary):
    """Where a success story is between its draft and its approval."""

    DRAFT = "draft", "A draft."
    SUBMITTED = "submitted", "Waiting for a manager to approve it."
    APPROVED = "approved", "Approved by a manager."
    RETURNED = "returned", "Returned to its author with a reason."


class SuccessStory(BaseModel):
    """A success story: what changed, with before and after figures, from the lessons and actions behind it."""

    id = AutoField()
    title = CharField(max_length=200)
    story = TextField()
    before_figure = CharField(max_length=200, default="")
    after_figure = CharField(max_length=200, default="")
    status = CharField(max_length=20, index=True, choices=StoryStatus, default=StoryStatus.DRAFT)
    drafted_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    approved_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    approved_at = DateTimeField(null=True)
    return_reason = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()


class StoryMedia(BaseModel):
    """An image or a video link for a success story, with its text alternative."""

    id = AutoField()
    story = ForeignKeyField(SuccessStory, backref="media", on_delete="CASCADE")
    url = CharField(max_length=2000, default="", help_text="A video or image link. Empty: an uploaded image.")
    file_name = CharField(max_length=200, default="")
    media_type = CharField(max_length=100, default="")
    size = IntegerField(default=0)
    sha256 = CharField(max_length=64, default="")
    storage_key = CharField(max_length=200, null=True, unique=True)
    alt_text = CharField(max_length=300, help_text="What it shows, for people who cannot see it.")
    added_at = DateTimeField(default=utcnow)

    class Meta:
        changes = WrittenOnce(parents=("story",), written_at="added_at")


class StoryLink(BaseModel):
    """A lesson or action a success story came from."""

    id = AutoField()
    story = ForeignKeyField(SuccessStory, backref="links", on_delete="CASCADE")
    lesson = ForeignKeyField(Lesson, null=True, on_delete="CASCADE", backref="+")
    action = ForeignKeyField(ImprovementAction, null=True, on_delete="CASCADE", backref="+")

    class Meta:
        changes = WrittenOnce(parents=("story",))


class QaReport(BaseModel):
    """The monthly QA (framework section 6.4): each rate as its numerator and denominator, and the failing items."""

    id = AutoField()
    month = DateField(unique=True, help_text="The first day of the month it covers.")
    transfer_met = IntegerField(default=0)
    transfer_due = IntegerField(default=0)
    smart_met = IntegerField(default=0)
    smart_due = IntegerField(default=0)
    on_time_met = IntegerField(default=0)
    on_time_due = IntegerField(default=0)
    overdue_count = IntegerField(default=0)
    effective_met = IntegerField(default=0)
    effective_due = IntegerField(default=0)
    complainants_told = IntegerField(
        default=0,
        help_text="Complaints whose resident was told in the month that it led to an improvement (self-assessment "
        "item 12): an action signed off, or a change implemented.",
    )
    failing = JSONField(default=dict, help_text="The failing items of each figure, by figure: lists of ids.")
    computed_at = DateTimeField(default=utcnow)
    computed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Null: the task.")
    sent_at = DateTimeField(null=True, help_text="When managers were sent it. Null: not yet.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()


class QualityCheckItem(BaseModel):
    """One item of the quality checklist admins edit, e.g. "each point answered with reasons"."""

    id = AutoField()
    text = CharField(max_length=300, help_text="What a good case shows, e.g. each point answered with reasons.")
    position = IntegerField(default=0, help_text="Its place in the checklist, from 1.")
    archived_at = DateTimeField(null=True, help_text="When it was archived. Null: in use.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()


class QualityReview(BaseModel):
    """A quality reviewer's scoring of one closed complaint drawn in a month's random sample."""

    id = AutoField()
    month = DateField(index=True, help_text="The first day of the month whose sample it is in.")
    complaint = ForeignKeyField(Complaint, backref="+", on_delete="CASCADE", help_text="The closed complaint drawn.")
    team = CharField(max_length=100, null=True, help_text="The team that handled the complaint.")
    reviewer = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    reviewed_at = DateTimeField(null=True, help_text="When it was scored. Null: drawn, not yet scored.")
    comments = TextField(default="")
    team_told_at = DateTimeField(null=True, help_text="When the scores went back to the team. Null: not yet.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()
        indexes = ((("month", "complaint"), True),)


class QaList(Vocabulary):
    """Which of a monthly QA's lists of failing items an item is on."""

    TRANSFER_COMPLAINTS = (
        "transfer_complaints",
        "Complaints with a point upheld in the month, with no lesson nor decision.",
    )
    TRANSFER_OMBUDSMAN = "transfer_ombudsman", "Complaints with an adverse Ombudsman finding, with no lesson from it."
    SMART = "smart", "Lessons needing action without a SMART action."
    ON_TIME = "on_time", "Actions completed in the month after their due date."
    OVERDUE = "overdue", "Actions open and past due at the month's end."
    EFFECTIVE = "effective", "Actions verified in the month as not (or only partly) addressed."


class QaItemKind(Vocabulary):
    """What a monthly QA's failing item is."""

    COMPLAINT = "complaint", "A complaint."
    LESSON = "lesson", "A lesson."
    ACTION = "action", "An improvement action."


class QualityResult(Vocabulary):
    """How a sampled complaint met one checklist item."""

    MET = "met", "Met."
    PARTLY = "partly", "Partly met."
    NOT_MET = "not_met", "Not met."
    NOT_APPLICABLE = "not_applicable", "Does not apply."


class QualityScore(BaseModel):
    id = AutoField()
    review = ForeignKeyField(
        QualityReview, backref="scores", on_delete="CASCADE", help_text="The review it is part of."
    )
    item = ForeignKeyField(QualityCheckItem, backref="+", on_delete="RESTRICT", help_text="The checklist item.")
    result = CharField(max_length=20, choices=QualityResult, help_text="How the case met the item.")
    note = TextField(default="", help_text="Why, in a few words. Empty: none given.")

    class Meta:
        changes = WrittenOnce(parents=("review",))
        indexes = ((("review", "item"), True),)
