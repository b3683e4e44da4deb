"""Surveys that staff build without code: questions, the rules that invite, invitations, responses, answers."""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from backend.accounts.models import User
from backend.changes import Changing
from backend.db import BaseModel, JSONField
from backend.timeutil import utcnow
from backend.vocabulary import Vocabulary


class SurveyStatus(Vocabulary):
    """Where a survey stands."""

    DRAFT = "draft", "Being built: questions can change, nobody is invited."
    LIVE = "live", "Invitations go out and answers come in."
    CLOSED = "closed", "No longer invites or takes answers."


class QuestionKind(Vocabulary):
    """How a survey question is answered."""

    RATING = "rating", "A rating from 1 to 5."
    YES_PARTLY_NO = "yes_partly_no", "Yes, partly, no or don't know."
    SINGLE = "single", "One of the question's options."
    MULTIPLE = "multiple", "Any of the question's options."
    TEXT = "text", "Free text."


class DelayUnit(Vocabulary):
    """The unit of a survey rule's delay."""

    DAYS = "days", "Calendar days."
    WORK_DAYS = "work_days", "Working days, by the calendar of the person's home nation."
    WEEKS = "weeks", "Weeks."


class InvitationStatus(Vocabulary):
    """Where one survey invitation stands."""

    PENDING = "pending", "Waiting for its time to be sent."
    SENT = "sent", "Sent; its link works until it expires."
    ANSWERED = "answered", "Answered."
    EXPIRED = "expired", "Its link ran out before it was answered."


class ResponseChannel(Vocabulary):
    """How a survey answer reached the landlord."""

    EMAIL = "email", "Through the link in an email."
    SMS = "sms", "Through the link in a text message."
    PORTAL = "portal", "On the portal."
    PHONE = "phone", "By phone."
    POST = "post", "Through the link in a letter."
    IMPORT = "import", "Imported from answers collected elsewhere."


QUESTION_KINDS = QuestionKind.codes()
YES_PARTLY_NO = ("yes", "partly", "no", "dont_know")
RATINGS = ("1", "2", "3", "4", "5")
DELAY_UNITS = DelayUnit.codes()
RESPONSE_CHANNELS = ResponseChannel.codes()
# The answers to an anonymous survey are timed by the day, never finer (backend.surveys.batches): every stamp the
# updated_at triggers give its invitations, responses and answers is a day when the survey has this flag set.
ANONYMOUS_SURVEY = "anonymous"


class Survey(BaseModel):
    """A questionnaire. ``title`` and ``description`` map a locale code to text; English is the fallback."""

    id = AutoField()
    title = JSONField()
    description = JSONField(default=dict)
    anonymous = BooleanField(default=True)
    status = CharField(max_length=10, default="draft", index=True, choices=SurveyStatus)
    expiry_days = IntegerField(default=28)
    reminder_days = IntegerField(default=7)
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow, help_text="When it was created.")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class SurveyQuestion(BaseModel):
    """One question. ``options`` is a list of ``{"value", "label": {locale: text}}`` for choice questions.

    ``condition`` (or null) shows the question only when an earlier answer holds:
    ``{"question": id, "in": [values]}``, ``{"question": id, "lte": n}`` or ``{"question": id, "gte": n}``.
    """

    id = AutoField()
    survey = ForeignKeyField(Survey, backref="questions", on_delete="CASCADE", help_text="The survey it belongs to.")
    position = IntegerField(
        default=0,
        help_text="Its place in the survey: questions are asked in ascending order, from 1 (with gaps "
        "after a removal).",
    )
    kind = CharField(max_length=20, choices=QuestionKind)
    text = JSONField()
    options = JSONField(default=list)
    required = BooleanField(default=False, help_text="Whether a submitted response must answer it when it is shown.")
    condition = JSONField(null=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("survey", "position"), False),)
        changes = Changing(parents=("survey",))


class SurveyRule(BaseModel):
    """Invite the person named in each ``event_name`` outbox event, ``delay_amount`` ``delay_unit`` later."""

    id = AutoField()
    survey = ForeignKeyField(Survey, backref="rules", on_delete="CASCADE", help_text="The survey it invites people to.")
    event_name = CharField(max_length=80, index=True)
    delay_amount = IntegerField(
        default=0, help_text="How many delay units after the event the invitation is due, from 0 to 365."
    )
    delay_unit = CharField(max_length=10, default="days", choices=DelayUnit)
    active = BooleanField(
        default=True, help_text="Whether it invites people; an inactive rule is skipped. Rules start active."
    )
    # The highest outbox event id already considered, so the sweep never rereads old events.
    last_event_id = IntegerField(default=0)
    created_at = DateTimeField(default=utcnow, help_text="When it was added: only events after that invite.")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing(parents=("survey",), quiet=("last_event_id",))


class SurveyInvitation(BaseModel):
    """One person asked to answer one survey, with its own link, one reminder and an expiry date."""

    id = AutoField()
    survey = ForeignKeyField(
        Survey, backref="invitations", on_delete="CASCADE", help_text="The survey it invites the person to."
    )
    rule = ForeignKeyField(SurveyRule, backref="invitations", null=True, on_delete="SET NULL")
    user = ForeignKeyField(User, backref="survey_invitations", on_delete="CASCADE", help_text="The person invited.")
    event_id = IntegerField(null=True)
    # rule:event:user, so an event never invites the same person twice for the same rule.
    key = CharField(max_length=100, unique=True)
    status = CharField(max_length=10, default="pending", index=True, choices=InvitationStatus)
    due_at = DateTimeField(index=True, help_text="When it is to be sent: the time of the event plus the rule's delay.")
    sent_at = DateTimeField(null=True, help_text="When it was sent; null while pending.")
    reminded_at = DateTimeField(null=True, help_text="When its one reminder was sent; null if none was.")
    expires_at = DateTimeField(
        null=True, help_text="When its link stops working: sentAt plus the survey's expiryDays. Null until sent."
    )
    answered_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow, help_text="When it was created, once its rule saw the event.")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing(parents=("survey",), days_when=("survey", ANONYMOUS_SURVEY))


class SurveyResponse(BaseModel):
    """One person's answers to one survey. ``user`` is set only when the survey is linked, not anonymous.

    An anonymous survey's responses are ``held`` until enough are ready to reach staff together (see
    :mod:`backend.surveys.batches`), and their times are days, never moments.
    """

    id = AutoField()
    survey = ForeignKeyField(Survey, backref="responses", on_delete="CASCADE", help_text="The survey answered.")
    # A keyed hash of the invitation, not a link to it: an anonymous response cannot be traced to a person,
    # yet answering again from the same invitation finds this response and updates it.
    invitation_key = CharField(max_length=64, null=True, unique=True)
    user = ForeignKeyField(
        User, null=True, on_delete="SET NULL", help_text="The person who answered; null for an anonymous survey."
    )
    locale = CharField(max_length=10, default="en")
    channel = CharField(max_length=20, default="email", choices=ResponseChannel)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    submitted_at = DateTimeField(null=True)
    held = BooleanField(default=False)

    class Meta:
        changes = Changing(parents=("survey",), days_when=("survey", ANONYMOUS_SURVEY))


class SurveyAnswer(BaseModel):
    """One answer. ``value`` holds a rating or a choice, ``choices`` the values picked in a multiple choice,
    ``text`` the words as given and ``text_redacted`` the same with personal data removed."""

    id = AutoField()
    response = ForeignKeyField(
        SurveyResponse, backref="answers", on_delete="CASCADE", help_text="The response it is part of."
    )
    question = ForeignKeyField(
        SurveyQuestion, backref="answers", on_delete="CASCADE", help_text="The question it answers."
    )
    value = CharField(max_length=50, null=True)
    number = IntegerField(null=True)
    choices = JSONField(null=True)
    text = TextField(null=True)
    text_redacted = TextField(null=True)
    created_at = DateTimeField(
        default=utcnow, help_text="When it was first given (for an anonymous survey, the day it was released)."
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("response", "question"), True),)
        changes = Changing(parents=("response",), days_when=("response.survey", ANONYMOUS_SURVEY))
