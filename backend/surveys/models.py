"""Surveys that staff build without code: questions, the rules that invite, invitations, responses, answers."""

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

from backend.accounts.models import Tenure, User
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
    SKIPPED = "skipped", "Not sent: the person was asked to answer a survey too recently."


class ResponseChannel(Vocabulary):
    """How a survey answer reached the landlord."""

    EMAIL = "email", "Through the link in an email."
    SMS = "sms", "Through the link in a text message."
    PORTAL = "portal", "On the portal."
    PHONE = "phone", "By phone."
    POST = "post", "Through the link in a letter."
    IMPORT = "import", "Imported from answers collected elsewhere."


class TsmCode(Vocabulary):
    """The Regulator of Social Housing's tenant perception measure a question asks, or the TP09 filter."""

    TP01 = "tp01", "Overall satisfaction with the service provided by the landlord."
    TP02 = "tp02", "Satisfaction with the overall repairs service over the last 12 months."
    TP03 = "tp03", "Satisfaction with the time taken to complete the most recent repair."
    TP04 = "tp04", "Satisfaction that the home is well maintained."
    TP05 = "tp05", "Satisfaction that the home is safe."
    TP06 = "tp06", "Satisfaction that the landlord listens to tenant views and acts upon them."
    TP07 = "tp07", "Satisfaction that the landlord keeps tenants informed about things that matter to them."
    TP08 = "tp08", "Agreement that the landlord treats tenants fairly and with respect."
    TP09 = "tp09", "Satisfaction with the landlord's approach to complaints handling (asked of those who complained)."
    TP10 = "tp10", "Satisfaction that the landlord keeps communal areas clean and well maintained."
    TP11 = "tp11", "Satisfaction that the landlord makes a positive contribution to the neighbourhood."
    TP12 = "tp12", "Satisfaction with the landlord's approach to handling anti-social behaviour."
    TP09_FILTER = "tp09_filter", "The filter for TP09: made a complaint to the landlord in the last 12 months (yes)."


class TsmMethod(Vocabulary):
    """How a tenant perception survey was carried out."""

    POSTAL = "postal", "By post."
    TELEPHONE = "telephone", "By telephone."
    ONLINE = "online", "Online."
    FACE_TO_FACE = "face_to_face", "Face to face."
    MIXED = "mixed", "More than one of these."


QUESTION_KINDS = QuestionKind.codes()
#: The twelve measures, in order (tp01 is TP01); a question with one of these codes is a rating from 1 to 5.
TSM_FILTER = "tp09_filter"
TSM_MEASURES = tuple(code for code in TsmCode.codes() if code != TSM_FILTER)
TSM_METHODS = TsmMethod.codes()
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
    system = CharField(
        max_length=20,
        null=True,
        unique=True,
        help_text="Which survey the system itself sends, e.g. impact (did a change make a difference); null for "
        "surveys staff built.",
    )
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
    tsm_code = CharField(
        max_length=12,
        null=True,
        choices=TsmCode,
        help_text="The tenant perception measure it asks (tp01 to tp12) or tp09_filter, the TP09 filter; at most "
        "one question of a survey has each code; null for other questions.",
    )
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("survey", "position"), False), (("survey", "tsm_code"), True))
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
    # Set by the import of a survey run elsewhere: how the respondent holds their home, the weight the survey's
    # weighting gives the response, and the UK day it was collected (the fieldwork date).
    tenure = CharField(
        max_length=20, null=True, choices=Tenure, help_text="rented or shared_ownership; null if not known."
    )
    weight = FloatField(default=1.0, help_text="The weight the survey's weighting gives it; 1 when unweighted.")
    answered_on = DateField(null=True, help_text="The UK day the answers were collected, when the import gave one.")

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


class TsmSurveyMethod(BaseModel):
    """How a survey was carried out for the tenant perception measures of one regulator's year (1 April to 31 March).

    The regulator asks landlords to publish this beside the measures: method, sample size, the population surveyed,
    how the results were weighted and when the fieldwork ran.
    """

    id = AutoField()
    survey = ForeignKeyField(Survey, backref="tsm_methods", on_delete="CASCADE", help_text="The survey it describes.")
    year = IntegerField(help_text="The regulator's year, by the calendar year it starts in: 2025 is 2025/26.")
    method = CharField(max_length=20, choices=TsmMethod)
    sample_size = IntegerField(help_text="How many responses the survey achieved.")
    population = IntegerField(help_text="How many homes (households) the survey was drawn from.")
    weighting = TextField(default="", help_text="How the responses were weighted; empty when they were not.")
    fieldwork_start = DateField(help_text="The first UK day of fieldwork.")
    fieldwork_end = DateField(help_text="The last UK day of fieldwork.")
    recorded_by = ForeignKeyField(User, null=True, on_delete="SET NULL", help_text="Who recorded it.")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("survey", "year"), True),)
        changes = Changing()
