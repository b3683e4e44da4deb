"""Scrutiny panels: members, reviews, evidence packs, lesson annotations, reports, responses and recognition.

The shape follows what resident scrutiny panels do (the T4R review of the complaints journey) and what the
Regulator's Transparency, Influence and Accountability Standard asks: residents review with the evidence they need,
make recommendations, and the landlord answers each one and shows how it took the panel's views into account.

Independence is kept in the data: the panel's drafts are versions only members write; staff add factual-accuracy
comments beside a version, which the panel accepts or rejects. A signed version is frozen; any later edit is a new
version. Case evidence enters a pack only as a redacted copy frozen into the item, confirmed by a member of staff.
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
from backend.complaints.models import Complaint, RegimeStage
from backend.db import BaseModel, JSONField
from backend.lessons.models import ImprovementAction, Lesson, Theme
from backend.surveys.models import Survey
from backend.timeutil import utcnow
from backend.vocabulary import Vocabulary


class SignOffRule(Vocabulary):
    """Who may sign off the panel's report, as its terms of reference say."""

    CHAIR = "chair", "The chair alone."
    CHAIR_OR_VICE = "chair_or_vice", "The chair, or the vice-chair when the chair is absent."
    QUORUM = "quorum", "A recorded quorum of members."


class ApprovalBody(Vocabulary):
    """Who approves the landlord's response to the panel's recommendations."""

    EXECUTIVE = "executive", "An executive director."
    COMMITTEE = "committee", "A committee of the board."
    BOARD = "board", "The board."


class Panel(BaseModel):
    """A residents' scrutiny panel: its terms of reference, the staff who support it and how it signs off."""

    id = AutoField()
    name = CharField(max_length=120, unique=True, help_text="Its name, e.g. Residents' Scrutiny Panel.")
    terms_of_reference = TextField(default="", help_text="Its terms of reference, as agreed.")
    sign_off_rule = CharField(
        max_length=20, choices=SignOffRule, default=SignOffRule.CHAIR, help_text="Who signs off its reports."
    )
    quorum = IntegerField(default=3, help_text="How many members make a quorum for a sign-off by quorum.")
    response_working_days = IntegerField(
        default=40, help_text="Working days the landlord has to respond to a recommendation."
    )
    approval_body = CharField(
        max_length=20,
        choices=ApprovalBody,
        default=ApprovalBody.EXECUTIVE,
        help_text="Who approves the landlord's responses to its recommendations.",
    )
    senior_lead = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="The senior lead told of late evidence."
    )
    reward_rule = TextField(default="", help_text="The reward for taking part, e.g. a £25 voucher per review.")
    reward_pence = IntegerField(null=True, help_text="The reward per completed review, in pence. Null: none.")
    follow_up_months = IntegerField(default=6, help_text="Months after the response that a follow-up review is due.")
    created_at = DateTimeField(default=utcnow)
    archived_at = DateTimeField(null=True, help_text="When it stopped meeting. Null: active.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()


class PanelSupport(BaseModel):
    """A member of staff who supports a panel (its officer, a minute-taker)."""

    id = AutoField()
    panel = ForeignKeyField(Panel, backref="support", on_delete="CASCADE")
    person = ForeignKeyField(User, backref="+", on_delete="CASCADE", help_text="The member of staff.")
    duty = CharField(max_length=100, default="", help_text="What they do for the panel, e.g. Panel officer.")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        changes = WrittenOnce(parents=("panel",), written_at="created_at")
        indexes = ((("panel", "person"), True),)


class PanelRole(Vocabulary):
    """A member's role on a panel."""

    MEMBER = "member", "A member."
    CHAIR = "chair", "The chair."
    VICE_CHAIR = "vice_chair", "The vice-chair."


class PapersBy(Vocabulary):
    """How a member receives meeting papers."""

    EMAIL = "email", "By email, with the workspace."
    POST = "post", "By post."
    LARGE_PRINT = "large_print", "By post, in large print."


class PanelMembership(BaseModel):
    """A resident's time on a panel: the dates, training, confidentiality, conflicts and reward choice."""

    id = AutoField()
    panel = ForeignKeyField(Panel, backref="memberships", on_delete="CASCADE")
    person = ForeignKeyField(User, backref="+", on_delete="CASCADE", help_text="The resident on the panel.")
    role = CharField(max_length=20, choices=PanelRole, default=PanelRole.MEMBER)
    started_on = DateField(help_text="The UK day they joined.")
    ended_on = DateField(null=True, index=True, help_text="The UK day they left. Null: a current member.")
    training_done_on = DateField(null=True, help_text="When they finished the induction training. Null: not yet.")
    training_note = TextField(default="", help_text="What training they did.")
    confidentiality_signed_on = DateField(
        null=True, help_text="When they signed the confidentiality agreement. Null: not signed; no evidence is shown."
    )
    conflicts = TextField(default="", help_text="Interests they declared. Empty: none.")
    rewards_opt_out = BooleanField(default=False, help_text="They asked not to receive rewards.")
    papers_by = CharField(max_length=20, choices=PapersBy, default=PapersBy.EMAIL)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(parents=("panel",))


class ReviewKind(Vocabulary):
    """What a review looks at."""

    SERVICE = "service", "A review of a service or process."
    DOCUMENTS = "documents", "A review of letters and leaflets."
    FOLLOW_UP = "follow_up", "A follow-up of an earlier review's recommendations."


class ReviewStatus(Vocabulary):
    """Where a review is."""

    PLANNED = "planned", "Planned."
    GATHERING = "gathering", "Gathering evidence."
    REPORTING = "reporting", "Drafting findings and recommendations."
    AWAITING_RESPONSE = "awaiting_response", "Signed off: waiting for the landlord's response."
    RESPONDED = "responded", "The landlord has responded: actions are followed to done."
    PUBLISHED = "published", "Published."
    CLOSED = "closed", "Closed."


class ScrutinyReview(BaseModel):
    """A panel's review of a topic: its scope, questions, timeline and conclusion."""

    id = AutoField()
    reference = CharField(max_length=20, unique=True, help_text="Its reference, SR-YYYY-NN.")
    panel = ForeignKeyField(Panel, backref="reviews", on_delete="RESTRICT")
    kind = CharField(max_length=20, choices=ReviewKind, default=ReviewKind.SERVICE)
    topic = CharField(max_length=200, help_text="What it reviews, e.g. The complaints journey.")
    scope = TextField(default="", help_text="What is in and out of scope.")
    questions = TextField(default="", help_text="The questions it sets out to answer.")
    starts_on = DateField(null=True, help_text="The UK day it starts.")
    ends_on = DateField(null=True, help_text="The UK day it is planned to report.")
    status = CharField(max_length=20, index=True, choices=ReviewStatus, default=ReviewStatus.PLANNED)
    conclusion = TextField(default="", help_text="The panel's conclusion.")
    follows = ForeignKeyField(
        "self", null=True, on_delete="SET NULL", backref="follow_ups", help_text="The review it follows up."
    )
    follow_up_due_on = DateField(null=True, help_text="When its follow-up review is due. Null: not yet set.")
    theme = ForeignKeyField(Theme, null=True, on_delete="SET NULL", backref="+", help_text="The theme it came from.")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)
    published_at = DateTimeField(null=True, index=True, help_text="When its report was published. Null: not.")
    published_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    publication_summary = TextField(default="", help_text="The redacted summary shown on the public page.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(parents=("panel",))


class ScrutinyReferenceCounter(BaseModel):
    """The last review number used in each year, so references are never reused."""

    year = IntegerField(primary_key=True)
    last = IntegerField(default=0)


class WorkSource(Vocabulary):
    """Where a topic on the work programme came from."""

    THEME = "theme", "A theme of lessons and complaints."
    VOTES = "votes", "Residents' votes."
    TREND = "trend", "A trend in the figures."
    PANEL = "panel", "The panel's own choice."
    FOLLOW_UP = "follow_up", "A follow-up of an earlier review."


class WorkProgrammeItem(BaseModel):
    """A topic on the panel's work programme, with where it came from and when it is planned."""

    id = AutoField()
    panel = ForeignKeyField(Panel, backref="work_programme", on_delete="CASCADE")
    topic = CharField(max_length=200)
    source = CharField(max_length=20, choices=WorkSource, default=WorkSource.PANEL)
    theme = ForeignKeyField(Theme, null=True, on_delete="SET NULL", backref="+")
    note = TextField(default="", help_text="Why it is on the programme.")
    planned_for = DateField(null=True, help_text="The UK day it is planned to start. Null: not scheduled.")
    review = ForeignKeyField(
        ScrutinyReview, null=True, on_delete="SET NULL", backref="+", help_text="The review it became."
    )
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(parents=("panel",))


class MeetingMode(Vocabulary):
    """How a panel meeting is held."""

    IN_PERSON = "in_person", "In person."
    ONLINE = "online", "Online."
    HYBRID = "hybrid", "In person and online."


class PanelMeeting(BaseModel):
    """A meeting of a review: when, how, the agenda, the minutes and the papers sent."""

    id = AutoField()
    review = ForeignKeyField(ScrutinyReview, backref="meetings", on_delete="CASCADE")
    starts_at = DateTimeField(index=True, help_text="When it starts (UTC).")
    minutes_long = IntegerField(default=120, help_text="How long it is planned to last, in minutes.")
    mode = CharField(max_length=20, choices=MeetingMode, default=MeetingMode.IN_PERSON)
    place = CharField(max_length=300, default="", help_text="Where, or how to join online.")
    agenda = TextField(default="")
    minutes = TextField(default="")
    papers_sent_at = DateTimeField(null=True, help_text="When the papers went to members. Null: not yet.")
    reminded_at = DateTimeField(null=True, help_text="When members were reminded. Null: not yet.")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(parents=("review",))


class PanelAttendance(BaseModel):
    """A member at a meeting, with the time they gave."""

    id = AutoField()
    meeting = ForeignKeyField(PanelMeeting, backref="attendance", on_delete="CASCADE")
    person = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    attended = BooleanField(default=True, help_text="False: sent apologies.")
    minutes_given = IntegerField(default=0, help_text="Time given, in minutes, travel and reading included.")
    recorded_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    recorded_at = DateTimeField(default=utcnow)

    class Meta:
        changes = WrittenOnce(parents=("meeting",), written_at="recorded_at")
        indexes = ((("meeting", "person"), True),)


class StaffInterview(BaseModel):
    """A member of staff the panel interviewed, with the panel's notes."""

    id = AutoField()
    review = ForeignKeyField(ScrutinyReview, backref="interviews", on_delete="CASCADE")
    interviewee_role = CharField(max_length=120, help_text="Their job, e.g. Complaints team leader; never a name.")
    person = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="The member of staff.")
    held_on = DateField()
    notes = TextField(default="")
    recorded_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(parents=("review",))


class RequestStatus(Vocabulary):
    """Where a panel's request for evidence is."""

    OPEN = "open", "Asked, not yet supplied."
    SUPPLIED = "supplied", "Supplied."
    DECLINED = "declined", "Declined, with the reason."


class EvidenceRequest(BaseModel):
    """Evidence the panel asked for, by when, and what was supplied."""

    id = AutoField()
    review = ForeignKeyField(ScrutinyReview, backref="requests", on_delete="CASCADE")
    asked = TextField(help_text="What the panel asked for.")
    asked_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    asked_at = DateTimeField(default=utcnow)
    due_on = DateField(index=True, help_text="The UK day it is due.")
    status = CharField(max_length=20, index=True, choices=RequestStatus, default=RequestStatus.OPEN)
    answer = TextField(default="", help_text="What staff said when supplying or declining it.")
    answered_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    answered_at = DateTimeField(null=True)
    escalated_at = DateTimeField(null=True, help_text="When the senior lead was told it is late. Null: not.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(parents=("review",))


class SampleMethod(Vocabulary):
    """How a case sample was drawn."""

    RANDOM = "random", "At random from the closed complaints that match."
    STRATIFIED = "stratified", "At random within each service area, in proportion."


class CaseSample(BaseModel):
    """A sample of closed complaints drawn for a review: the criteria, the method and the seed, so it can be shown."""

    id = AutoField()
    review = ForeignKeyField(ScrutinyReview, backref="samples", on_delete="CASCADE")
    method = CharField(max_length=20, choices=SampleMethod, default=SampleMethod.RANDOM)
    criteria = JSONField(default=dict, help_text="period, service areas, stage and outcome the cases were drawn from.")
    size = IntegerField(help_text="How many cases were asked for.")
    drawn = IntegerField(default=0, help_text="How many cases matched and were drawn.")
    seed = CharField(max_length=64, help_text="The random seed, so the draw can be repeated.")
    drawn_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    drawn_at = DateTimeField(default=utcnow)

    class Meta:
        changes = WrittenOnce(parents=("review",), written_at="drawn_at")


class ItemKind(Vocabulary):
    """What an item in an evidence pack is."""

    DOCUMENT = "document", "A policy, letter, leaflet or other document (a file)."
    LINK = "link", "A web page."
    SURVEY = "survey", "Survey results."
    LESSON = "lesson", "A lesson from the lessons log."
    SNAPSHOT = "snapshot", "Figures frozen on the day they were taken."
    CASE = "case", "A redacted case."


class ItemStatus(Vocabulary):
    """Whether an item is in the pack."""

    DRAFT = "draft", "Waiting for staff to confirm its redaction."
    CONFIRMED = "confirmed", "In the pack."
    WITHDRAWN = "withdrawn", "Taken out of the pack, with the reason."


class PackItem(BaseModel):
    """An item in a review's evidence pack. Members see it only once a member of staff confirmed its redaction."""

    id = AutoField()
    review = ForeignKeyField(ScrutinyReview, backref="pack", on_delete="CASCADE")
    kind = CharField(max_length=20, index=True, choices=ItemKind)
    position = IntegerField(default=0, help_text="Its place in the pack.")
    title = CharField(max_length=200, help_text="Its title as members see it.")
    note = TextField(default="", help_text="What it is and why it is in the pack.")
    url = CharField(max_length=2000, default="", help_text="A web page's address. Empty: not a link.")
    file_name = CharField(max_length=200, default="")
    media_type = CharField(max_length=100, default="")
    size = IntegerField(default=0)
    sha256 = CharField(max_length=64, default="")
    storage_key = CharField(max_length=200, null=True, unique=True)
    lesson = ForeignKeyField(Lesson, null=True, on_delete="SET NULL", backref="+", help_text="The lesson, if any.")
    survey = ForeignKeyField(Survey, null=True, on_delete="SET NULL", backref="+", help_text="The survey, if any.")
    complaint = ForeignKeyField(
        Complaint, null=True, on_delete="SET NULL", backref="+", help_text="The case it redacts; never shown."
    )
    sample = ForeignKeyField(CaseSample, null=True, on_delete="SET NULL", backref="items")
    request = ForeignKeyField(
        EvidenceRequest, null=True, on_delete="SET NULL", backref="items", help_text="The request it answers."
    )
    content = JSONField(null=True, help_text="The redacted copy (a case, a lesson) or frozen figures members see.")
    query_name = CharField(max_length=100, default="", help_text="The saved query a snapshot was taken from.")
    taken_at = DateTimeField(null=True, help_text="When a snapshot's figures or a copy was frozen.")
    status = CharField(max_length=20, index=True, choices=ItemStatus, default=ItemStatus.DRAFT)
    withdrawn_reason = TextField(default="")
    added_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    added_at = DateTimeField(default=utcnow)
    confirmed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    confirmed_at = DateTimeField(null=True)
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(parents=("review",))


class PackItemView(BaseModel):
    """One view of a pack item by a member: who and when."""

    id = AutoField()
    item = ForeignKeyField(PackItem, backref="views", on_delete="CASCADE")
    person = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    viewed_at = DateTimeField(default=utcnow, index=True)

    class Meta:
        changes = WrittenOnce(parents=("item",), written_at="viewed_at")


class InputChannel(Vocabulary):
    """How a member's contribution reached the workspace."""

    WORKSPACE = "workspace", "In the workspace."
    PAPER = "paper", "On paper, entered by staff."
    PHONE = "phone", "By phone, entered by staff."
    MEETING = "meeting", "At a meeting, entered by staff."


class Rating(Vocabulary):
    """Whether a lesson's actions address its root cause, in a member's view."""

    ADDRESSES = "addresses", "The actions address the root cause."
    PARTLY = "partly", "The actions partly address the root cause."
    DOES_NOT = "does_not", "The actions do not address the root cause."
    CANNOT_SAY = "cannot_say", "Cannot say from the evidence."


class LessonAnnotation(BaseModel):
    """A member's comment on a lesson in the pack, with their rating of its actions."""

    id = AutoField()
    item = ForeignKeyField(PackItem, backref="annotations", on_delete="CASCADE", help_text="The lesson's pack item.")
    lesson = ForeignKeyField(Lesson, null=True, on_delete="SET NULL", backref="panel_annotations")
    author = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="The member.")
    comment = TextField(default="")
    rating = CharField(max_length=20, null=True, choices=Rating)
    channel = CharField(max_length=20, choices=InputChannel, default=InputChannel.WORKSPACE)
    entered_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="Staff who entered it for the member."
    )
    created_at = DateTimeField(default=utcnow)

    class Meta:
        changes = WrittenOnce(parents=("item",), written_at="created_at")


class PanelQuestion(BaseModel):
    """A member's question to staff about the review's evidence, and the answer."""

    id = AutoField()
    review = ForeignKeyField(ScrutinyReview, backref="panel_questions", on_delete="CASCADE")
    item = ForeignKeyField(PackItem, null=True, on_delete="SET NULL", backref="questions")
    asked_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    text = TextField()
    channel = CharField(max_length=20, choices=InputChannel, default=InputChannel.WORKSPACE)
    entered_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    asked_at = DateTimeField(default=utcnow)
    answer = TextField(default="", help_text="Staff's answer. Empty: not answered yet.")
    answered_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    answered_at = DateTimeField(null=True)
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(parents=("review",))


class FindingsVersion(BaseModel):
    """One version of the panel's findings and recommendations. Never changed: an edit writes the next version."""

    id = AutoField()
    review = ForeignKeyField(ScrutinyReview, backref="versions", on_delete="CASCADE")
    number = IntegerField(help_text="1 for the first draft, then one more for each edit.")
    summary = TextField(default="")
    findings = TextField(default="")
    recommendations = JSONField(default=list, help_text="The recommendations, in order, as text.")
    written_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    channel = CharField(max_length=20, choices=InputChannel, default=InputChannel.WORKSPACE)
    entered_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    written_at = DateTimeField(default=utcnow)
    signed_off_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    signed_off_at = DateTimeField(null=True, help_text="When it was signed off: it is then frozen. Null: a draft.")
    signed_off_as = CharField(max_length=20, null=True, choices=SignOffRule, help_text="By which rule.")
    quorum_members = JSONField(null=True, help_text="The members present, for a sign-off by quorum.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        # Signing off is the only change a version takes.
        changes = Changing(parents=("review",))
        indexes = ((("review", "number"), True),)


class CommentStatus(Vocabulary):
    """The panel's decision on a factual-accuracy comment."""

    OPEN = "open", "Waiting for the panel."
    ACCEPTED = "accepted", "Accepted by the panel."
    REJECTED = "rejected", "Rejected by the panel, with the reason."


class AccuracyComment(BaseModel):
    """A staff comment on the factual accuracy of a draft; only the panel decides what to do with it."""

    id = AutoField()
    version = ForeignKeyField(FindingsVersion, backref="comments", on_delete="CASCADE")
    passage = TextField(default="", help_text="The words of the draft it is about.")
    comment = TextField()
    author = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)
    status = CharField(max_length=20, choices=CommentStatus, default=CommentStatus.OPEN)
    decision_note = TextField(default="")
    decided_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    decided_at = DateTimeField(null=True)
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(parents=("version.review",))


class ResponseDecision(Vocabulary):
    """The landlord's answer to a recommendation."""

    ACCEPTED = "accepted", "Accepted."
    PARTLY = "partly_accepted", "Partly accepted."
    NOT_ACCEPTED = "not_accepted", "Not accepted."


class Satisfaction(Vocabulary):
    """Whether the panel is satisfied with what was done about a recommendation."""

    SATISFIED = "satisfied", "Satisfied."
    PARTLY = "partly", "Partly satisfied."
    NOT_SATISFIED = "not_satisfied", "Not satisfied."


class Recommendation(BaseModel):
    """A recommendation of a signed-off report, the landlord's response on a clock, and the panel's verdict."""

    id = AutoField()
    review = ForeignKeyField(ScrutinyReview, backref="recommendations", on_delete="CASCADE")
    version = ForeignKeyField(FindingsVersion, backref="+", on_delete="RESTRICT", help_text="The signed version.")
    number = IntegerField(help_text="Its number in the report.")
    text = TextField()
    response_due_on = DateField(index=True, help_text="The UK day the landlord's response is due.")
    decision = CharField(max_length=20, null=True, choices=ResponseDecision, help_text="Null: not answered yet.")
    reason = TextField(default="", help_text="Why, in the landlord's words.")
    owner = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who owns the actions.")
    due_on = DateField(null=True, help_text="When the actions are due.")
    lesson = ForeignKeyField(
        Lesson, null=True, on_delete="SET NULL", backref="+", help_text="The lesson its actions are logged under."
    )
    action = ForeignKeyField(
        ImprovementAction, null=True, on_delete="SET NULL", backref="+", help_text="The SMART action it created."
    )
    responded_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    responded_at = DateTimeField(null=True)
    approved_by_body = CharField(max_length=20, null=True, choices=ApprovalBody)
    approved_on = DateField(null=True, help_text="When that body approved the response. Null: not yet.")
    approval_note = TextField(default="", help_text="The minute or decision reference.")
    escalated_at = DateTimeField(null=True, help_text="When an overdue response was escalated. Null: not.")
    satisfaction = CharField(max_length=20, null=True, choices=Satisfaction)
    satisfaction_note = TextField(default="")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(parents=("review",))
        indexes = ((("review", "number"), True),)


class ApprovalMeeting(BaseModel):
    """A planned meeting of a body that approves responses: the response clock allows for the next one."""

    id = AutoField()
    body = CharField(max_length=20, choices=ApprovalBody)
    meets_on = DateField(index=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        changes = WrittenOnce(written_at="created_at")
        indexes = ((("body", "meets_on"), True),)


class LedgerKind(Vocabulary):
    """What an entry in a member's involvement ledger records."""

    MEETING = "meeting", "A meeting attended."
    REVIEW = "review", "A review completed."
    HOURS = "hours", "Other time given."
    DOCUMENT = "document", "A letter or leaflet reviewed."
    EXPENSE = "expense", "An expense repaid."
    REWARD = "reward", "A reward for taking part."


class InvolvementEntry(BaseModel):
    """One entry in a member's involvement ledger. Expenses and rewards are kept apart; a reward needs approval."""

    id = AutoField()
    membership = ForeignKeyField(PanelMembership, backref="ledger", on_delete="CASCADE")
    kind = CharField(max_length=20, index=True, choices=LedgerKind)
    occurred_on = DateField(index=True)
    minutes_given = IntegerField(default=0)
    amount_pence = IntegerField(default=0, help_text="Money for an expense or a reward, in pence.")
    note = TextField(default="")
    review = ForeignKeyField(ScrutinyReview, null=True, on_delete="SET NULL", backref="+")
    meeting = ForeignKeyField(PanelMeeting, null=True, on_delete="SET NULL", backref="+")
    recorded_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    recorded_at = DateTimeField(default=utcnow)
    approved_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    approved_at = DateTimeField(null=True, help_text="When a reward was approved. Null: waiting, or not a reward.")
    thanked_at = DateTimeField(null=True, help_text="When the thank-you message went. Null: not sent.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(parents=("membership",))


class DocumentKind(Vocabulary):
    """What a document under a letters-and-leaflets review is."""

    WORDING = "wording", "The wording of a message (a letter, email, text or portal message)."
    LEAFLET = "leaflet", "The leaflet enclosed with a stage's letters."


class ReviewDocument(BaseModel):
    """A message wording or a stage leaflet under a review of letters and leaflets."""

    id = AutoField()
    review = ForeignKeyField(ScrutinyReview, backref="documents", on_delete="CASCADE")
    kind = CharField(max_length=20, choices=DocumentKind)
    event = CharField(max_length=80, default="", help_text="The message's event, for wording. Empty: a leaflet.")
    channel = CharField(max_length=20, default="", help_text="The message's channel, for wording.")
    stage = ForeignKeyField(
        RegimeStage, null=True, on_delete="SET NULL", backref="+", help_text="The stage whose leaflet it is."
    )
    title = CharField(max_length=200, help_text="What members know it by, e.g. Stage 1 acknowledgement letter.")
    note = TextField(default="", help_text="What staff ask the panel to look at.")
    added_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    added_at = DateTimeField(default=utcnow)
    reviewed_at = DateTimeField(
        null=True, help_text="When it counted as reviewed in the members' ledgers. Null: not yet."
    )
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(parents=("review",))


class ProposalStatus(Vocabulary):
    """Where a member's proposed wording is."""

    PROPOSED = "proposed", "Proposed by a member."
    APPROVED = "approved", "Approved by the panel."
    ADOPTED = "adopted", "Adopted by the landlord: it is the wording in use."
    DECLINED = "declined", "Not taken forward, with the reason."


class DocumentProposal(BaseModel):
    """A member's proposed wording for a document under review, in one language, and what became of it."""

    id = AutoField()
    document = ForeignKeyField(ReviewDocument, backref="proposals", on_delete="CASCADE")
    locale = CharField(max_length=10, help_text="The language of the wording.")
    subject = TextField(default="", help_text="The proposed subject line, for message wording.")
    text = TextField(help_text="The proposed wording.")
    author = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="The member.")
    created_at = DateTimeField(default=utcnow)
    status = CharField(max_length=20, index=True, choices=ProposalStatus, default=ProposalStatus.PROPOSED)
    approved_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    approved_at = DateTimeField(null=True, help_text="When the panel approved it. Null: not approved.")
    adopted_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    adopted_at = DateTimeField(null=True, help_text="When the landlord adopted it. Null: not adopted.")
    adopted_ref = CharField(max_length=64, default="", help_text="For a leaflet: the SHA-256 of the PDF adopted.")
    decision_note = TextField(default="", help_text="Why it was not taken forward.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(parents=("document",))
