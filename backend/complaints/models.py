"""Contacts from every channel, and the complaint journey: regimes, stages, clocks, responses, remedies.

Personal data of people without an account sits in :class:`ContactPerson`, apart from the case. A
resident's own words (``Contact.description`` and messages from them) are written once and never changed.
"""

from __future__ import annotations

from typing import Any

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from backend.accounts.models import Home, Nation, User
from backend.attachments.filetypes import FileFamily
from backend.changes import Changing, WrittenOnce
from backend.db import BaseModel, JSONField
from backend.timeutil import utcnow
from backend.vocabulary import Vocabulary


class ContactChannel(Vocabulary):
    """How a contact reached the landlord."""

    PORTAL = "portal", "Through the resident portal."
    EMAIL = "email", "By email."
    PHONE = "phone", "By phone, logged by the member of staff who took the call."
    LETTER = "letter", "By letter."
    FACE_TO_FACE = "face_to_face", "In person, logged by the member of staff who was told."
    VERBAL_TO_STAFF = "verbal_to_staff", "Told to a member of staff in passing (a visit, a repair appointment)."
    SOCIAL_MEDIA = "social_media", "Through social media."
    REPRESENTATIVE = "representative", "Through someone acting for the resident."
    INTERPRETER = "interpreter", "Through an interpreter."


class LoggedVia(Vocabulary):
    """Where a contact was typed in."""

    PORTAL = "portal", "The resident portal."
    CONSOLE = "console", "The staff console."
    API = "api", "The API, by a tool."


class ContactKind(Vocabulary):
    """What staff found a contact to be."""

    COMPLAINT = "complaint", "An expression of dissatisfaction that needs a response: it opens a complaint."
    SERVICE_REQUEST = "service_request", "A request for a service, such as a repair."
    COMPLIMENT = "compliment", "Praise for the service or for someone."
    SUGGESTION = "suggestion", "An idea for doing things better."
    SURVEY_FEEDBACK = "survey_feedback", "Feedback given in answer to a survey."


class ContactStatus(Vocabulary):
    """Where a contact stands."""

    NEW = "new", "Not yet classified."
    OPEN = "open", "Classified and being dealt with."
    CLOSED = "closed", "Dealt with."
    MERGED = "merged", "Merged into an existing complaint."


class RepresentativeKind(Vocabulary):
    """Who acts for the resident on a contact."""

    ADVOCATE = "advocate", "An advocate."
    FAMILY_MEMBER = "family_member", "A member of the resident's family."
    COUNCILLOR = "councillor", "A local councillor."
    MP = "mp", "A Member of Parliament."
    SOLICITOR = "solicitor", "A solicitor."
    OTHER = "other", "Someone else."


class Vulnerability(Vocabulary):
    """A circumstance that may call for adjustments in how the landlord deals with someone."""

    DISABILITY = "disability", "A disability."
    MENTAL_HEALTH = "mental_health", "A mental health condition."
    HEALTH_CONDITION = "health_condition", "A physical health condition."
    OLDER_PERSON = "older_person", "An older person."
    LANGUAGE_OR_LITERACY = "language_or_literacy", "Difficulty with English, or with reading and writing."
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse."
    FINANCIAL_HARDSHIP = "financial_hardship", "Financial hardship."
    BEREAVEMENT = "bereavement", "A recent bereavement."
    YOUNG_CHILDREN = "young_children", "Young children in the home."
    OTHER = "other", "Another circumstance, described in the adjustments."


class ComplaintStatus(Vocabulary):
    """Where a complaint is on its journey."""

    RECEIVED = "received", "The stage has begun and awaits acknowledgement."
    OPEN = "open", "Acknowledged and being looked into."
    RESPONDED = "responded", "The stage's response has been issued."
    CLOSED = "closed", "Closed after a response; unless it was the final stage, the resident may still escalate."
    REFUSED = "refused", "Not taken forward, on a ground of exclusion."
    WITHDRAWN = "withdrawn", "Withdrawn by the resident."


class ClockKind(Vocabulary):
    """What a working-day clock times."""

    ACKNOWLEDGE = "acknowledge", "The time to acknowledge the stage."
    RESPOND = "respond", "The time to respond at the stage."


class ClockStatus(Vocabulary):
    """Whether a working-day clock still runs."""

    RUNNING = "running", "Counting down to its due date."
    MET = "met", "What it timed was done (in time or late: see breached)."
    STOPPED = "stopped", "Stopped without being met, because the complaint ended or moved on."


class Decision(Vocabulary):
    """The decision on one point of complaint."""

    UPHELD = "upheld", "The landlord agrees it got this wrong."
    PARTLY_UPHELD = "partly_upheld", "The landlord agrees it got part of this wrong."
    NOT_UPHELD = "not_upheld", "The landlord finds it did nothing wrong here."
    RESOLVED = "resolved", "Put right to the resident's satisfaction before a decision was needed."


class RemedyKind(Vocabulary):
    """What the landlord does to put things right."""

    APOLOGY = "apology", "An apology."
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledging what went wrong."
    EXPLANATION = "explanation", "An explanation."
    ACTION_ON_DELAY = "action_on_delay", "Putting right a delay."
    RECONSIDER_DECISION = "reconsider_decision", "Reconsidering a decision."
    AMEND_RECORD = "amend_record", "Correcting a record."
    FINANCIAL_REDRESS = "financial_redress", "Financial redress (an amount in pounds)."
    POLICY_CHANGE = "policy_change", "Changing a policy or practice."


class RefusalGround(Vocabulary):
    """A ground of exclusion on which a complaint may be refused; each regime allows some of them."""

    OVER_TWELVE_MONTHS = "over_twelve_months", "The issue arose more than 12 months before the complaint."
    OVER_SIX_MONTHS = (
        "over_six_months",
        (
            "The complaint came more than 6 months after the resident first knew of the issue, with no special "
            "circumstances."
        ),
    )
    LEGAL_PROCEEDINGS = "legal_proceedings", "Legal proceedings have started."
    ALREADY_CONSIDERED = "already_considered", "The matter was already considered through the complaints procedure."


class Determination(Vocabulary):
    """The Ombudsman's finding on a complaint referred to them."""

    SEVERE_MALADMINISTRATION = "severe_maladministration", "Severe maladministration: the most serious finding."
    MALADMINISTRATION = "maladministration", "Maladministration: the landlord got things wrong."
    SERVICE_FAILURE = "service_failure", "Service failure: a failing that had little lasting effect."
    REASONABLE_REDRESS = "reasonable_redress", "The landlord offered reasonable redress."
    NO_MALADMINISTRATION = "no_maladministration", "No maladministration: the landlord acted properly."
    OUTSIDE_JURISDICTION = "outside_jurisdiction", "Outside the Ombudsman's jurisdiction."


class PersonChannel(Vocabulary):
    """How someone without an account asked to be written to."""

    EMAIL = "email", "By email."
    SMS = "sms", "By text message."
    POST = "post", "By post."
    PHONE = "phone", "By phone."


class MessageDirection(Vocabulary):
    """Which way a message on a case went."""

    TO_RESIDENT = "to_resident", "From the landlord to the resident."
    FROM_RESIDENT = "from_resident", "The resident's own words, written by them or taken down by staff."


class MessageKind(Vocabulary):
    """What a message on a case is."""

    ACKNOWLEDGEMENT = "acknowledgement", "The stage was acknowledged."
    MEDIATION = "mediation", "Mediation was offered."
    EXTENSION = "extension", "The response was extended."
    RESPONSE = "response", "The stage's response."
    REFUSAL = "refusal", "Why the complaint is not taken forward."
    UPDATE = "update", "An update from the landlord."
    ACTION_COMPLETED = "action_completed", "An outstanding action was finished."
    MORE_INFORMATION = "more_information", "The resident added information."
    ESCALATION_REQUEST = "escalation_request", "The resident asked for the next stage."
    MERGED_CONTACT = "merged_contact", "A later contact merged into the complaint."


class Counting(Vocabulary):
    """Whether the day a complaint is received counts towards its working days."""

    NEXT_WORKING_DAY = (
        "next_working_day",
        "Counting starts on the next working day (the day of receipt does not count).",
    )
    SAME_DAY = "same_day", "The day of receipt counts as the first working day."


class RespondFrom(Vocabulary):
    """When a stage's response clock starts."""

    ACKNOWLEDGEMENT = "acknowledgement", "When the stage is acknowledged."
    RECEIPT = "receipt", "When the stage began (the complaint or the escalation request was received)."


CHANNELS = ContactChannel.codes()
CONTACT_KINDS = ContactKind.codes()
CONTACT_STATUSES = ContactStatus.codes()
REPRESENTATIVE_KINDS = RepresentativeKind.codes()
VULNERABILITIES = Vulnerability.codes()
COMPLAINT_STATUSES = ComplaintStatus.codes()
ACTIVE_STATUSES = ("received", "open", "responded")
CLOCK_KINDS = ClockKind.codes()
DECISIONS = Decision.codes()
REMEDY_KINDS = RemedyKind.codes()
# Every ground any procedure knows; each regime lists the ones its procedure allows (``Regime.refusal_grounds``).
REFUSAL_GROUNDS = RefusalGround.codes()
DETERMINATIONS = Determination.codes()
# "How should we write to them?" for someone without an account (as an account's contact channel).
PERSON_CHANNELS = PersonChannel.codes()


class Regime(BaseModel):
    """A complaints procedure (the Housing Ombudsman's Code, the SPSO's model procedure) as data."""

    id = AutoField()
    code = CharField(max_length=30, unique=True)
    name = CharField(max_length=200)
    # The home nations it applies to. A home in a nation no regime lists is refused, never given another's rules.
    nations = JSONField(default=list)
    max_stages = IntegerField(default=2)
    # How many stages the procedure has by law; set by migrations, never by admins.
    statutory_stages = IntegerField(default=2)
    # The grounds of exclusion the procedure allows (codes from REFUSAL_GROUNDS); set by migrations.
    refusal_grounds = JSONField(default=list)
    # Whether the day of receipt counts: the Code starts the day after.
    counting = CharField(max_length=20, default="next_working_day", choices=Counting)
    ombudsman_name = CharField(max_length=200)
    ombudsman_details = TextField()
    archived_at = DateTimeField(null=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class RegimeStage(BaseModel):
    """One stage of a regime with its clocks in working days. No acknowledgement days: no acknowledgement clock."""

    id = AutoField()
    regime = ForeignKeyField(Regime, backref="stages", on_delete="CASCADE")
    number = IntegerField()
    name = CharField(max_length=100)
    acknowledge_days = IntegerField(null=True)
    respond_days = IntegerField()
    # "acknowledgement": the response clock starts when the stage is acknowledged; "receipt": when it opened.
    respond_from = CharField(max_length=20, default="acknowledgement", choices=RespondFrom)
    max_extension_days = IntegerField(default=0)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("regime", "number"), True),)
        changes = Changing(parents=("regime",))


class RegimeLimit(BaseModel):
    """The most a procedure allows at one stage, from the law or the ombudsman's model. Not editable by admins.

    Admins can shorten a stage's timescales within these, never exceed them or drop a required acknowledgement.
    Extending beyond ``extension_max`` needs a recorded good reason and a manager's authorisation; where
    ``extension_needs_manager`` is set, every extension needs a manager's authorisation.
    """

    id = AutoField()
    regime = ForeignKeyField(Regime, backref="limits", on_delete="CASCADE")
    number = IntegerField()
    acknowledge_max = IntegerField(null=True)
    acknowledge_required = BooleanField(default=False)
    respond_max = IntegerField()
    # "receipt": the response may not be timed from the acknowledgement instead (that would lengthen it).
    respond_from = CharField(max_length=20, choices=RespondFrom)
    extension_max = IntegerField(default=0)
    extension_needs_manager = BooleanField(default=False)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("regime", "number"), True),)
        changes = Changing(parents=("regime",))


class ClosureDay(BaseModel):
    """A day the landlord's office is closed. It never moves a deadline: it only warns staff of one near it."""

    id = AutoField()
    day = DateField(unique=True)
    name = CharField(max_length=100)
    created_at = DateTimeField(default=utcnow)
    archived_at = DateTimeField(null=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class ServiceArea(BaseModel):
    id = AutoField()
    name = CharField(max_length=100, unique=True)
    archived_at = DateTimeField(null=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class Category(BaseModel):
    id = AutoField()
    name = CharField(max_length=100, unique=True)
    archived_at = DateTimeField(null=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class Contact(BaseModel):
    """Anything a resident told the landlord, by any channel, in their own words."""

    id = AutoField()
    reference = CharField(max_length=20, unique=True)
    channel = CharField(max_length=20, index=True, choices=ContactChannel)
    received_at = DateTimeField(index=True)
    received_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    logged_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    logged_via = CharField(max_length=10, default="portal", choices=LoggedVia)
    resident = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="contacts")
    home = ForeignKeyField(Home, null=True, on_delete="SET NULL", backref="contacts")
    # The nation of the home it is about, which decides the complaints procedure: the home's when there is
    # one, else chosen by staff. Null only for a resident without a home on record, until staff choose it.
    nation = CharField(max_length=20, null=True, index=True, choices=Nation)
    anonymous = BooleanField(default=False)
    locale = CharField(max_length=10, default="en")
    description = TextField()
    description_redacted = TextField()
    wants_to_complain = BooleanField(default=False)
    interpreter_used = BooleanField(default=False)
    interpreter_service = CharField(max_length=100, null=True)
    representative_kind = CharField(max_length=20, null=True, choices=RepresentativeKind)
    representative_user = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    representative_consent = BooleanField(default=False)
    representative_consent_method = CharField(max_length=30, null=True)
    adjustments = TextField(default="")
    vulnerabilities = JSONField(default=list)
    kind = CharField(max_length=20, null=True, index=True, choices=ContactKind)
    kind_reason = TextField(null=True)
    classified_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    classified_at = DateTimeField(null=True)
    complaint_offered_at = DateTimeField(null=True)
    complaint_offered_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    service_area = ForeignKeyField(ServiceArea, null=True, on_delete="SET NULL", backref="+")
    category = ForeignKeyField(Category, null=True, on_delete="SET NULL", backref="+")
    status = CharField(max_length=10, default="new", index=True, choices=ContactStatus)
    # The open service request this dissatisfaction is about; the request stays open.
    related_request = ForeignKeyField("self", null=True, on_delete="SET NULL", backref="complaints_about")
    idempotency_key = CharField(max_length=80, unique=True, null=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class ContactPerson(BaseModel):
    """Personal details given with a contact by someone without an account, or for their representative."""

    id = AutoField()
    contact = ForeignKeyField(Contact, backref="people", on_delete="CASCADE", unique=True)
    name = CharField(max_length=120, default="")
    email = CharField(max_length=254, default="")
    phone = CharField(max_length=30, default="")
    address = TextField(default="")
    postcode = CharField(max_length=10, default="")
    representative_name = CharField(max_length=120, default="")
    representative_contact = CharField(max_length=254, default="")
    # How they asked us to write to them: email, sms, post or phone; "" when they did not say.
    contact_channel = CharField(max_length=20, default="")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing(parents=("contact",))


class Complaint(BaseModel):
    """A contact classified as a complaint, on its journey through the stages of its regime."""

    id = AutoField()
    reference = CharField(max_length=20, unique=True)
    contact = ForeignKeyField(Contact, backref="complaint_rows", on_delete="RESTRICT", unique=True)
    resident = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="complaints")
    home = ForeignKeyField(Home, null=True, on_delete="SET NULL", backref="complaints")
    nation = CharField(max_length=20, index=True, choices=Nation)
    regime = ForeignKeyField(Regime, on_delete="RESTRICT", backref="complaints")
    stage = IntegerField(default=1)
    status = CharField(max_length=12, default="received", index=True, choices=ComplaintStatus)
    handler = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="handled_complaints")
    team = CharField(max_length=100, null=True)
    service_area = ForeignKeyField(ServiceArea, null=True, on_delete="SET NULL", backref="+")
    category = ForeignKeyField(Category, null=True, on_delete="SET NULL", backref="+")
    summary = TextField(null=True)
    outcomes_sought = TextField(null=True)
    mediation_offered_at = DateTimeField(null=True)
    mediation_note = TextField(null=True)
    refusal_ground = CharField(max_length=30, null=True, choices=RefusalGround)
    refusal_reasons = TextField(null=True)
    refused_at = DateTimeField(null=True)
    withdrawn_at = DateTimeField(null=True)
    withdrawal_reason = TextField(null=True)
    underlying_cause = TextField(null=True)
    remedial_action = TextField(null=True)
    closed_at = DateTimeField(null=True)
    ombudsman_referred_at = DateTimeField(null=True)
    ombudsman_reference = CharField(max_length=50, null=True)
    ombudsman_determination = CharField(max_length=30, null=True, choices=Determination)
    ombudsman_determined_at = DateTimeField(null=True)
    ombudsman_orders = TextField(null=True)
    # The next clock that is running, kept here so work queues sort and filter without a join.
    next_due_on = DateField(null=True, index=True)
    created_at = DateTimeField(default=utcnow, index=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        # A handler's queue: their active complaints by due date.
        indexes = ((("handler", "status", "next_due_on"), False),)
        # The complaint moves its contact; every part of the case moves the complaint.
        changes = Changing(parents=("contact",))


class ComplaintStage(BaseModel):
    """One stage of one complaint: its handler, dates, any extension and how it ended."""

    id = AutoField()
    complaint = ForeignKeyField(Complaint, backref="stages", on_delete="CASCADE")
    number = IntegerField()
    handler = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    opened_at = DateTimeField()
    acknowledged_at = DateTimeField(null=True)
    responded_at = DateTimeField(null=True)
    extended_days = IntegerField(default=0)
    extension_reason = TextField(null=True)
    extension_told_on = DateField(null=True)
    extension_ombudsman_details_given = BooleanField(default=False)
    # Going beyond the procedure's extension cap: the good reason, and the manager who authorised it.
    extension_good_reason = TextField(null=True)
    extension_authorised_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    extension_authorised_at = DateTimeField(null=True)
    escalation_reason = TextField(null=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("complaint", "number"), True),)
        changes = Changing(parents=("complaint",))


class ComplaintPoint(BaseModel):
    """One point of complaint, as defined at acknowledgement, with the outcome the resident seeks."""

    id = AutoField()
    complaint = ForeignKeyField(Complaint, backref="points", on_delete="CASCADE")
    position = IntegerField()
    text = TextField()
    outcome_sought = TextField(default="")
    stage = IntegerField(default=1)

    class Meta:
        changes = WrittenOnce(parents=("complaint",))


class Clock(BaseModel):
    """A working-day deadline: when it started, when it is due, and when (and whether in time) it was met."""

    id = AutoField()
    complaint = ForeignKeyField(Complaint, backref="clocks", on_delete="CASCADE")
    stage = IntegerField()
    kind = CharField(max_length=12, choices=ClockKind)
    status = CharField(max_length=10, default="running", choices=ClockStatus)
    started_on = DateField()
    # The working days it was given when it started (the regime may change later; this clock does not).
    days = IntegerField(default=0)
    due_on = DateField(index=True)
    original_due_on = DateField()
    met_at = DateTimeField(null=True)
    met_on = DateField(null=True)
    breached = BooleanField(default=False)
    working_days_taken = IntegerField(null=True)
    at_risk_notified_at = DateTimeField(null=True)
    breach_notified_at = DateTimeField(null=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("complaint", "stage", "kind"), True), (("status", "due_on"), False))
        changes = Changing(parents=("complaint",))


class ComplaintResponse(BaseModel):
    """A stage's answer: the reasons, the way on (escalation or the Ombudsman), with decisions per point."""

    id = AutoField()
    complaint = ForeignKeyField(Complaint, backref="responses", on_delete="CASCADE")
    stage = IntegerField()
    reasons = TextField()
    next_steps = TextField()
    issued_at = DateTimeField(default=utcnow)
    issued_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        indexes = ((("complaint", "stage"), True),)
        changes = WrittenOnce(parents=("complaint",), written_at="issued_at")


class PointDecision(BaseModel):
    id = AutoField()
    response = ForeignKeyField(ComplaintResponse, backref="decisions", on_delete="CASCADE")
    point = ForeignKeyField(ComplaintPoint, backref="decisions", on_delete="CASCADE")
    decision = CharField(max_length=15, index=True, choices=Decision)
    reasons = TextField(default="")

    class Meta:
        changes = WrittenOnce(parents=("response.complaint",))


class Remedy(BaseModel):
    """Something the landlord will do to put things right: what, by when, and whether it was done."""

    id = AutoField()
    complaint = ForeignKeyField(Complaint, backref="remedies", on_delete="CASCADE")
    response = ForeignKeyField(ComplaintResponse, backref="remedies", on_delete="CASCADE")
    kind = CharField(max_length=25, index=True, choices=RemedyKind)
    description = TextField()
    amount = DecimalField(max_digits=10, decimal_places=2, null=True)
    due_on = DateField()
    completed_at = DateTimeField(null=True)
    completed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing(parents=("complaint",))


class OutstandingAction(BaseModel):
    """Work still to do after a response, tracked to completion with updates to the resident."""

    id = AutoField()
    complaint = ForeignKeyField(Complaint, backref="actions", on_delete="CASCADE")
    response = ForeignKeyField(ComplaintResponse, backref="actions", on_delete="CASCADE")
    description = TextField()
    owner = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    due_on = DateField()
    completed_at = DateTimeField(null=True)
    completed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing(parents=("complaint",))


class CaseMessage(BaseModel):
    """Every message about a contact: what the landlord sent the resident, and what the resident added."""

    id = AutoField()
    contact = ForeignKeyField(Contact, backref="messages", on_delete="CASCADE")
    complaint = ForeignKeyField(Complaint, null=True, backref="messages", on_delete="CASCADE")
    direction = CharField(max_length=15, choices=MessageDirection)
    kind = CharField(max_length=30, choices=MessageKind)
    body = TextField()
    body_redacted = TextField(default="")
    stage = IntegerField(null=True)
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow, index=True)

    class Meta:
        changes = WrittenOnce(parents=("contact", "complaint"), written_at="created_at")


class ContactMerge(BaseModel):
    """A contact merged into an existing complaint, with who did it and why. The contact's words stay as written."""

    id = AutoField()
    contact = ForeignKeyField(Contact, backref="merges", on_delete="CASCADE", unique=True)
    complaint = ForeignKeyField(Complaint, backref="merged_contacts", on_delete="CASCADE")
    reason = TextField()
    merged_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    merged_at = DateTimeField(default=utcnow)


class Attachment(BaseModel):
    """A file given with a contact or a message. The bytes live in storage; this row holds what was checked."""

    id = AutoField()
    contact = ForeignKeyField(Contact, backref="attachments", on_delete="CASCADE")
    message = ForeignKeyField(CaseMessage, null=True, backref="attachments", on_delete="SET NULL")
    file_name = CharField(max_length=200)
    media_type = CharField(max_length=100)
    family = CharField(max_length=10, choices=FileFamily)
    size = IntegerField()
    sha256 = CharField(max_length=64)
    storage_key = CharField(max_length=200, unique=True)
    uploaded_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        changes = WrittenOnce(parents=("contact", "message.complaint"), written_at="created_at")


class NoteKind(Vocabulary):
    """What a staff note on a complaint is."""

    CALL_NOTE = "call_note", "A note of a phone call."
    INTERNAL_NOTE = "internal_note", "A note for colleagues."
    INTERNAL_CORRESPONDENCE = "internal_correspondence", "Correspondence between staff."
    THIRD_PARTY_CORRESPONDENCE = "third_party_correspondence", "Correspondence with another party (a contractor)."
    INVESTIGATION_DOCUMENT = "investigation_document", "A document gathered while investigating."


NOTE_KINDS = NoteKind.codes()


class AppendOnlyNote(Exception):
    """Staff notes, like the resident's words, are written once: never changed or deleted one by one."""


class CaseNote(BaseModel):
    """Staff's own record on a complaint: call notes, internal and third-party correspondence, investigation
    documents. Only staff ever read it: never the resident, their advocate or a panel. Written once."""

    id = AutoField()
    complaint = ForeignKeyField(Complaint, backref="notes", on_delete="CASCADE")
    kind = CharField(max_length=30, index=True, choices=NoteKind)
    body = TextField()
    stage = IntegerField()
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow, index=True)

    class Meta:
        changes = WrittenOnce(parents=("complaint",), written_at="created_at")

    def save(self, force_insert: bool = False, only: Any = None) -> int:
        if self.id is not None and not force_insert:
            raise AppendOnlyNote("case notes cannot be changed")
        return super().save(force_insert=force_insert, only=only)

    def delete_instance(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnlyNote("case notes cannot be deleted")


class NoteFile(BaseModel):
    """A file kept with a staff note: checked and stored like any evidence, linked to the note alone, so that it
    is never among the contact's files that the resident sees."""

    id = AutoField()
    note = ForeignKeyField(CaseNote, backref="files", on_delete="CASCADE")
    file_name = CharField(max_length=200)
    media_type = CharField(max_length=100)
    family = CharField(max_length=10, choices=FileFamily)
    size = IntegerField()
    sha256 = CharField(max_length=64)
    storage_key = CharField(max_length=200, unique=True)
    uploaded_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        changes = WrittenOnce(parents=("note.complaint",), written_at="created_at")


class StageLeaflet(BaseModel):
    """A PDF leaflet about one regime stage, enclosed with that stage's letters. The bytes live in storage."""

    id = AutoField()
    stage = ForeignKeyField(RegimeStage, backref="leaflets", on_delete="CASCADE", unique=True)
    title = CharField(max_length=200)
    file_name = CharField(max_length=200)
    size = IntegerField()
    sha256 = CharField(max_length=64)
    storage_key = CharField(max_length=200, unique=True)
    uploaded_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    uploaded_at = DateTimeField(default=utcnow)

    class Meta:
        changes = WrittenOnce(parents=("stage",), written_at="uploaded_at")
