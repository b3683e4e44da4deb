"""Contacts from every channel, and the complaint journey: regimes, stages, clocks, responses, remedies.

Personal data of people without an account sits in :class:`ContactPerson`, apart from the case. A
resident's own words (``Contact.description`` and messages from them) are written once and never changed.
"""

from __future__ import annotations

from typing import Any

from peewee import (
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from backend.accounts.models import ConsentMethod, Home, Nation, User
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
    EMAIL = "email", "Read from an email to the complaints mailbox."


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


class EntryRoute(Vocabulary):
    """How a complaint reached a stage after the first (the SPSO reports stage 2 by route)."""

    DIRECT = "direct", "Opened straight at this stage, as a complex complaint, with no frontline stage."
    ESCALATED = "escalated", "Moved on from the stage before: answered and escalated, or not resolved there."


class ResponseOutcome(Vocabulary):
    """The overall outcome of a stage's response, across all its points."""

    UPHELD = "upheld", "Every point was upheld."
    PARTLY_UPHELD = "partly_upheld", "Some of the complaint was upheld (partially upheld, in the SPSO's words)."
    NOT_UPHELD = "not_upheld", "No point was upheld."
    RESOLVED = (
        "resolved",
        "Resolved: the landlord and the resident agreed what would be done, so no decision was needed.",
    )


class SignOffStatus(Vocabulary):
    """Where a final response waiting for a manager's sign-off stands."""

    AWAITING = "awaiting", "Written by the handler, waiting for a manager to sign it off; nothing is sent yet."
    SIGNED_OFF = "signed_off", "A manager signed it off, and it was issued to the resident."
    RETURNED = "returned", "A manager sent it back to the handler with reasons; it was not issued."


class ContactReviewKind(Vocabulary):
    """What a review of a contact that is not a complaint checks."""

    SERVICE_REQUEST = (
        "service_request",
        "A service request is reviewed: was it done, or did it become a complaint (1.4).",
    )
    COMPLAINT_OFFER = (
        "complaint_offer",
        "Quality check of a contact that is not a complaint and had no offer to complain recorded (1.3).",
    )


class ContactReviewOutcome(Vocabulary):
    """What a review of a contact found."""

    RESOLVED = "resolved", "Service request: done, and the resident's need met."
    STILL_OPEN = "still_open", "Service request: not done yet; it stays in the queue."
    BECAME_COMPLAINT = (
        "became_complaint",
        "Service request: the resident is dissatisfied with it, so it is a complaint.",
    )
    NO_DISSATISFACTION = "no_dissatisfaction", "Quality check: it expressed no dissatisfaction, so no offer was due."
    OFFER_MADE = "offer_made", "Quality check: it expressed dissatisfaction, and the offer to complain is made now."
    OFFER_MISSED = "offer_missed", "Quality check: the offer to complain was due and not made; learning for the team."


REVIEW_OUTCOMES = {
    "service_request": ("resolved", "still_open", "became_complaint"),
    "complaint_offer": ("no_dissatisfaction", "offer_made", "offer_missed"),
}
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
    code = CharField(
        max_length=30,
        unique=True,
        help_text="The procedure's short code, which never changes: hoc for the Housing Ombudsman's Code, spso for "
        "the SPSO's model procedure.",
    )
    name = CharField(
        max_length=200, help_text="The procedure's full name, e.g. Housing Ombudsman Complaint Handling Code."
    )
    # The home nations it applies to. A home in a nation no regime lists is refused, never given another's rules.
    nations = JSONField(default=list, help_text="Home nations it covers.")
    max_stages = IntegerField(default=2)
    # How many stages the procedure has by law; set by migrations, never by admins.
    statutory_stages = IntegerField(default=2, help_text="The stages the procedure has by law (not editable).")
    # The grounds of exclusion the procedure allows (codes from REFUSAL_GROUNDS); set by migrations.
    refusal_grounds = JSONField(default=list)
    # Whether the day of receipt counts: the Code starts the day after.
    counting = CharField(
        max_length=20,
        default="next_working_day",
        choices=Counting,
        help_text="next_working_day (the day of receipt does not count) or same_day.",
    )
    ombudsman_name = CharField(
        max_length=200, help_text="The Ombudsman residents may take a complaint to under it, e.g. Housing Ombudsman."
    )
    ombudsman_details = TextField(help_text="What residents are given: address, phone, website.")
    archived_at = DateTimeField(
        null=True, help_text="When it was retired: no new complaint is opened under it. Null while in use."
    )
    # Set by migrations from the procedure, never by admins (the SPSO's model procedure allows both).
    direct_investigation = BooleanField(
        default=False,
        help_text="Complex complaints may go straight to stage 2 (investigation), and staff may move an unresolved "
        "frontline complaint there (not editable).",
    )
    final_sign_off = BooleanField(
        default=False,
        help_text="The final stage's response is signed off by a manager, other than the handler, before it is "
        "issued (not editable).",
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class RegimeStage(BaseModel):
    """One stage of a regime with its clocks in working days. No acknowledgement days: no acknowledgement clock."""

    id = AutoField()
    regime = ForeignKeyField(Regime, backref="stages", on_delete="CASCADE", help_text="The procedure it is a stage of.")
    number = IntegerField(help_text="The stage's number, from 1.")
    name = CharField(max_length=100, help_text="The stage's name, e.g. Stage 1: frontline response.")
    acknowledge_days = IntegerField(
        null=True,
        help_text="UK working days to acknowledge the stage. Null: no acknowledgement deadline (the stage is still "
        "acknowledged before it is answered).",
    )
    respond_days = IntegerField(help_text="UK working days to respond at this stage, before any extension.")
    # "acknowledgement": the response clock starts when the stage is acknowledged; "receipt": when it opened.
    respond_from = CharField(
        max_length=20,
        default="acknowledgement",
        choices=RespondFrom,
        help_text="acknowledgement or receipt: when the response clock starts.",
    )
    max_extension_days = IntegerField(
        default=0,
        help_text="The most UK working days the response may be extended by at this stage, all extensions "
        "together, without a good reason and a manager's authorisation.",
    )
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
    regime = ForeignKeyField(Regime, backref="limits", on_delete="CASCADE", help_text="The procedure it limits.")
    number = IntegerField(help_text="The stage.")
    acknowledge_max = IntegerField(
        null=True, help_text="Most working days to acknowledge (null: the procedure sets none)."
    )
    acknowledge_required = BooleanField(
        default=False, help_text="The procedure requires an acknowledgement at this stage."
    )
    respond_max = IntegerField(help_text="Most working days to respond.")
    # "receipt": the response may not be timed from the acknowledgement instead (that would lengthen it).
    respond_from = CharField(
        max_length=20,
        choices=RespondFrom,
        help_text="receipt: the response may not be timed from the acknowledgement instead.",
    )
    extension_max = IntegerField(
        default=0, help_text="Most working days of extension without a good reason and a manager's authorisation."
    )
    extension_needs_manager = BooleanField(
        default=False, help_text="Every extension at this stage needs a manager's authorisation."
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("regime", "number"), True),)
        changes = Changing(parents=("regime",))


class ClosureDay(BaseModel):
    """A day the landlord's office is closed. It never moves a deadline: it only warns staff of one near it."""

    id = AutoField()
    day = DateField(unique=True, help_text="The date the office is closed; one row per date.")
    name = CharField(max_length=100, help_text="What the closure is, as staff see it, e.g. Staff training day.")
    created_at = DateTimeField(default=utcnow, help_text="When it was added.")
    archived_at = DateTimeField(
        null=True, help_text="When it was archived: staff are no longer warned of it. Null while it counts."
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class ServiceArea(BaseModel):
    """A part of the landlord's service that contacts and complaints are filed under."""

    id = AutoField()
    name = CharField(max_length=100, unique=True, help_text="Its name, unique, e.g. Repairs.")
    archived_at = DateTimeField(
        null=True,
        help_text="When it was archived: the console no longer offers it, and records that have it keep it. Null "
        "while in use.",
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class Category(BaseModel):
    """What a contact is about, for the work queues and for themes."""

    id = AutoField()
    name = CharField(max_length=100, unique=True, help_text="Its name, unique, e.g. Damp and mould.")
    archived_at = DateTimeField(
        null=True,
        help_text="When it was archived: the console no longer offers it, and records that have it keep it. Null "
        "while in use.",
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class RestrictedKind(Vocabulary):
    """Why a case is need-to-know: only the staff on its access list see it."""

    SAFEGUARDING = "safeguarding", "A safeguarding case: someone may be at risk of harm."
    DOMESTIC_ABUSE = "domestic_abuse", "A case that involves domestic abuse."


RESTRICTED_KINDS = RestrictedKind.codes()


class Contractor(BaseModel):
    """A contractor that delivers part of the landlord's service: complaints and points can name one (Code 5.4-5.5)."""

    id = AutoField()
    name = CharField(max_length=100, unique=True, help_text="Its name, unique, e.g. Northern Gas Services Ltd.")
    archived_at = DateTimeField(
        null=True,
        help_text="When it was archived: the console no longer offers it, and records that name it keep it. Null "
        "while in use.",
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class Contact(BaseModel):
    """Anything a resident told the landlord, by any channel, in their own words."""

    #: Not a column: set by the service that saved the contact, for its caller, to the number of files sent with it
    #: that the store could not keep (the words were saved without them; the sender is asked to send them again).
    files_not_kept: int = 0

    id = AutoField()
    reference = CharField(max_length=20, unique=True, help_text="The number the resident quotes, e.g. LL-2026-000042.")
    channel = CharField(
        max_length=20,
        index=True,
        choices=ContactChannel,
        help_text="portal, email, phone, letter, face_to_face, verbal_to_staff, social_media, representative or "
        "interpreter.",
    )
    received_at = DateTimeField(index=True, help_text="When the landlord received it.")
    received_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="The member of staff who received it."
    )
    logged_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    logged_via = CharField(max_length=10, default="portal", choices=LoggedVia, help_text="portal, console or api.")
    resident = ForeignKeyField(
        User,
        null=True,
        on_delete="SET NULL",
        backref="contacts",
        help_text="The account holder it is from. Null: anonymous, or from someone without an account.",
    )
    home = ForeignKeyField(
        Home,
        null=True,
        on_delete="SET NULL",
        backref="contacts",
        help_text="The home it is about: the one staff named, else the resident's home on record. Null: none on "
        "record.",
    )
    # The nation of the home it is about, which decides the complaints procedure: the home's when there is
    # one, else chosen by staff. Null only for a resident without a home on record, until staff choose it.
    nation = CharField(
        max_length=20,
        null=True,
        index=True,
        choices=Nation,
        help_text="england, wales, scotland or northern_ireland: the nation of the home it is about (null: not "
        "chosen yet).",
    )
    anonymous = BooleanField(default=False, help_text="No person is linked: it counts in themes but gets no replies.")
    locale = CharField(max_length=10, default="en", help_text="The language it was made in.")
    description = TextField(help_text="The resident's own words, as submitted.")
    description_redacted = TextField(help_text="The words with names, addresses and contact details replaced.")
    wants_to_complain = BooleanField(default=False, help_text="The resident said they want to make a complaint.")
    interpreter_used = BooleanField(
        default=False, help_text="An interpreter helped the resident make it (always so by the interpreter channel)."
    )
    interpreter_service = CharField(max_length=100, null=True, help_text="For example Language Line.")
    representative_kind = CharField(
        max_length=20,
        null=True,
        choices=RepresentativeKind,
        help_text="advocate, family_member, councillor, mp, solicitor or other.",
    )
    representative_user = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    representative_consent = BooleanField(
        default=False, help_text="The resident consented to the representative acting for them."
    )
    representative_consent_method = CharField(
        max_length=30,
        null=True,
        choices=ConsentMethod,
        help_text="How the resident's consent to the representative was given: written, verbal, portal or email (for "
        "an advocate's contact, as their representation records it). Null: not said.",
    )
    adjustments = TextField(default="", help_text="Reasonable adjustments the resident asked for.")
    vulnerabilities = JSONField(default=list, help_text="Vulnerability flags.")
    kind = CharField(
        max_length=20,
        null=True,
        index=True,
        choices=ContactKind,
        help_text="complaint, service_request, compliment, suggestion or survey_feedback (null: not yet).",
    )
    kind_reason = TextField(null=True, help_text="Why staff chose the kind.")
    classified_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    classified_at = DateTimeField(
        null=True,
        help_text="When its kind was decided: by staff, or at once for a contact made as a complaint. Null: not yet.",
    )
    complaint_offered_at = DateTimeField(null=True, help_text="When staff offered the choice to make a complaint.")
    complaint_offered_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    service_area = ForeignKeyField(
        ServiceArea,
        null=True,
        on_delete="SET NULL",
        backref="+",
        help_text="The part of the service it is about, as staff filed it. Null: not filed.",
    )
    category = ForeignKeyField(
        Category,
        null=True,
        on_delete="SET NULL",
        backref="+",
        help_text="What it is about, as staff filed it. Null: not filed.",
    )
    status = CharField(
        max_length=10, default="new", index=True, choices=ContactStatus, help_text="new, open, closed or merged."
    )
    service_due_on = DateField(
        null=True,
        index=True,
        help_text="For a service request: the target date to do it by, as staff set it (Code 1.4). Null: none set.",
    )
    related_request = ForeignKeyField(
        "self",
        null=True,
        on_delete="SET NULL",
        backref="complaints_about",
        help_text="The service request this dissatisfaction is about; the request stays open.",
    )
    # Need-to-know (safeguarding, domestic abuse): only the staff on its access list see the case.
    restricted_kind = CharField(
        max_length=20,
        null=True,
        index=True,
        choices=RestrictedKind,
        help_text="safeguarding or domestic_abuse: only the staff on its access list see the case. Null: not "
        "restricted.",
    )
    restricted_reason = TextField(default="", help_text="Why a manager made the case need-to-know.")
    restricted_at = DateTimeField(null=True, help_text="When it was made need-to-know. Null: it is not.")
    restricted_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="The manager who made it need-to-know."
    )
    idempotency_key = CharField(max_length=80, unique=True, null=True)
    created_at = DateTimeField(default=utcnow, help_text="When it was logged, which may be after it was received.")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class ContactPerson(BaseModel):
    """Personal details given with a contact by someone without an account, or for their representative."""

    id = AutoField()
    contact = ForeignKeyField(
        Contact,
        backref="people",
        on_delete="CASCADE",
        unique=True,
        help_text="The contact the details were given with.",
    )
    name = CharField(max_length=120, default="", help_text="Their name, on one line. Empty: not given.")
    email = CharField(max_length=254, default="", help_text="Their email address. Empty: not given.")
    phone = CharField(max_length=30, default="", help_text="Their phone number. Empty: not given.")
    address = TextField(default="", help_text="Their postal address, without the postcode. Empty: not given.")
    postcode = CharField(max_length=10, default="", help_text="Their postcode. Empty: not given.")
    representative_name = CharField(
        max_length=120, default="", help_text="The name of someone acting for them, on one line. Empty: none."
    )
    representative_contact = CharField(
        max_length=254,
        default="",
        help_text="How to reach that representative: an email address or phone number. Empty: none.",
    )
    contact_channel = CharField(
        max_length=20,
        default="",
        help_text="How they asked us to write to them: email, sms, post or phone; empty when they did not say.",
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing(parents=("contact",))


class Complaint(BaseModel):
    """A contact classified as a complaint, on its journey through the stages of its regime."""

    id = AutoField()
    reference = CharField(
        max_length=20,
        unique=True,
        help_text="The number the resident quotes, the same as its contact's, e.g. LL-2026-000042.",
    )
    contact = ForeignKeyField(
        Contact,
        backref="complaint_rows",
        on_delete="RESTRICT",
        unique=True,
        help_text="The contact it was opened from, in the resident's own words.",
    )
    resident = ForeignKeyField(
        User,
        null=True,
        on_delete="SET NULL",
        backref="complaints",
        help_text="The account holder it is from. Null: anonymous, or from someone without an account.",
    )
    home = ForeignKeyField(
        Home,
        null=True,
        on_delete="SET NULL",
        backref="complaints",
        help_text="The home it is about. Null: none on record.",
    )
    nation = CharField(
        max_length=20,
        index=True,
        choices=Nation,
        help_text="The home's nation, which chose the regime and the bank holidays.",
    )
    regime = ForeignKeyField(
        Regime,
        on_delete="RESTRICT",
        backref="complaints",
        help_text="The complaints procedure it follows, chosen by its nation when it was opened.",
    )
    stage = IntegerField(default=1, help_text="The current stage, from 1.")
    status = CharField(
        max_length=12,
        default="received",
        index=True,
        choices=ComplaintStatus,
        help_text="received (awaiting acknowledgement), open, responded, closed, refused or withdrawn.",
    )
    handler = ForeignKeyField(
        User,
        null=True,
        on_delete="SET NULL",
        backref="handled_complaints",
        help_text="The member of staff handling the current stage. Null: nobody yet (a new stage starts with nobody).",
    )
    team = CharField(max_length=100, null=True, help_text="The handler's team, which the resident sees.")
    service_area = ForeignKeyField(
        ServiceArea,
        null=True,
        on_delete="SET NULL",
        backref="+",
        help_text="The part of the service it is about, taken from its contact when it was opened.",
    )
    category = ForeignKeyField(
        Category,
        null=True,
        on_delete="SET NULL",
        backref="+",
        help_text="What it is about, taken from its contact when it was opened.",
    )
    contractor = ForeignKeyField(
        Contractor,
        null=True,
        on_delete="SET NULL",
        backref="complaints",
        help_text="The contractor whose service it is about, as staff named it (Code 5.4-5.5). Null: none named.",
    )
    summary = TextField(null=True, help_text="The handler's definition of the complaint.")
    outcomes_sought = TextField(null=True, help_text="What the resident wants to happen.")
    mediation_offered_at = DateTimeField(
        null=True, help_text="When staff last recorded offering mediation. Null: never offered."
    )
    mediation_note = TextField(
        null=True,
        help_text="How mediation was offered, as staff recorded it and the resident was sent it. Null: never offered.",
    )
    refusal_ground = CharField(max_length=30, null=True, choices=RefusalGround)
    refusal_reasons = TextField(
        null=True, help_text="Why it is not taken forward, as sent to the resident. Null unless refused."
    )
    refused_at = DateTimeField(null=True, help_text="When it was refused. Null unless refused.")
    withdrawn_at = DateTimeField(null=True, help_text="When it was withdrawn. Null unless withdrawn.")
    withdrawal_reason = TextField(
        null=True, help_text="Why it was withdrawn, if a reason was given (none is needed). Null otherwise."
    )
    underlying_cause = TextField(null=True, help_text="Required at closure (the SPSO's minimum record).")
    remedial_action = TextField(null=True, help_text="Required at closure.")
    closed_at = DateTimeField(
        null=True,
        help_text="When it ended: refused, withdrawn, or closed after a response (the final stage's response closes "
        "it). Null while active; escalation clears it.",
    )
    ombudsman_referred_at = DateTimeField(
        null=True, help_text="When staff recorded that it went to the Ombudsman. Null: not referred."
    )
    ombudsman_reference = CharField(
        max_length=50, null=True, help_text="The Ombudsman's reference for it. Null: not referred."
    )
    ombudsman_determination = CharField(
        max_length=30,
        null=True,
        choices=Determination,
        help_text="The Ombudsman's finding, as staff recorded it. Null: none recorded.",
    )
    ombudsman_determined_at = DateTimeField(
        null=True, help_text="When staff recorded the Ombudsman's finding. Null: none recorded."
    )
    ombudsman_orders = TextField(
        null=True,
        help_text="Superseded by OmbudsmanOrder items (their text was carried into one item each); no longer "
        "written. Null: none.",
    )
    # The next clock that is running, kept here so work queues sort and filter without a join.
    next_due_on = DateField(
        null=True,
        index=True,
        help_text="The earliest running clock's due date (null: nothing is waiting on the landlord).",
    )
    created_at = DateTimeField(
        default=utcnow,
        index=True,
        help_text="When it was opened: when its contact was classified as a complaint, or logged as one.",
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        # A handler's queue: their active complaints by due date.
        indexes = ((("handler", "status", "next_due_on"), False),)
        # The complaint moves its contact; every part of the case moves the complaint.
        changes = Changing(parents=("contact",))


class ComplaintStage(BaseModel):
    """One stage of one complaint: its handler, dates, any extension and how it ended."""

    id = AutoField()
    complaint = ForeignKeyField(
        Complaint, backref="stages", on_delete="CASCADE", help_text="The complaint it is a stage of."
    )
    number = IntegerField(help_text="The stage's number, from 1.")
    handler = ForeignKeyField(
        User,
        null=True,
        on_delete="SET NULL",
        backref="+",
        help_text="The member of staff who handles (or handled) this stage. Null: nobody yet.",
    )
    opened_at = DateTimeField(help_text="When the stage began (receipt, or the escalation request).")
    acknowledged_at = DateTimeField(null=True, help_text="When the stage was acknowledged. Null: not yet.")
    responded_at = DateTimeField(null=True, help_text="When the stage's response was issued. Null: not yet.")
    extended_days = IntegerField(
        default=0, help_text="UK working days the response was extended by, all extensions together."
    )
    extension_reason = TextField(
        null=True,
        help_text="Why the response was extended (the latest extension's reason, as sent to the resident). Null: not "
        "extended.",
    )
    extension_told_on = DateField(null=True, help_text="When the resident was told of the extension.")
    extension_ombudsman_details_given = BooleanField(
        default=False,
        help_text="The resident was given the Ombudsman's details when told of the extension. False: not extended.",
    )
    # Going beyond the procedure's extension cap: the good reason, and the manager who authorised it.
    extension_good_reason = TextField(null=True, help_text="Why the extension goes beyond the procedure's cap.")
    extension_authorised_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="The manager who authorised it."
    )
    extension_authorised_at = DateTimeField(
        null=True, help_text="When a manager authorised an extension, by making it themselves. Null: none needed one."
    )
    escalation_reason = TextField(null=True, help_text="The resident's reason, if they gave one (none is needed).")
    escalation_backdate_reason = TextField(
        null=True,
        help_text="Why the escalation request was recorded with an earlier date than the day it was keyed in. "
        "Null: not backdated.",
    )
    extension_backdate_reason = TextField(
        null=True,
        help_text="Why the extension was recorded as told to the resident on an earlier day than it was keyed in. "
        "Null: not backdated.",
    )
    entry_route = CharField(
        max_length=10,
        null=True,
        choices=EntryRoute,
        help_text="direct (opened straight at this stage) or escalated (moved on from the stage before). Null at "
        "stage 1.",
    )
    entry_reason = TextField(
        null=True,
        help_text="Why staff took the complaint to this stage themselves: why it is complex, or why the frontline "
        "stage could not resolve it. Null when the resident asked.",
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        # The reports find a year's stages by when they opened (CH01, the annual report) or were answered (CH02).
        indexes = (
            (("complaint", "number"), True),
            (("number", "opened_at"), False),
            (("number", "responded_at"), False),
        )
        changes = Changing(parents=("complaint",))


class ComplaintPoint(BaseModel):
    """One point of complaint, as defined at acknowledgement, with the outcome the resident seeks."""

    id = AutoField()
    complaint = ForeignKeyField(
        Complaint, backref="points", on_delete="CASCADE", help_text="The complaint it is a point of."
    )
    position = IntegerField(help_text="Its number in the complaint, from 1, continuing across stages.")
    text = TextField(help_text="The point, as the handler defined it.")
    outcome_sought = TextField(default="", help_text="What the resident wants done about it. Empty: not said.")
    stage = IntegerField(
        default=1, help_text="The stage whose acknowledgement defined it, and whose response decides it."
    )
    # The point's words never change; the contractor it is about may be named later (complaintContractorSet).
    contractor = ForeignKeyField(
        Contractor,
        null=True,
        on_delete="SET NULL",
        backref="points",
        help_text="The contractor this point is about, as staff named it. Null: none named.",
    )

    class Meta:
        changes = WrittenOnce(parents=("complaint",))


class Clock(BaseModel):
    """A working-day deadline: when it started, when it is due, and when (and whether in time) it was met."""

    id = AutoField()
    complaint = ForeignKeyField(Complaint, backref="clocks", on_delete="CASCADE", help_text="The complaint it times.")
    stage = IntegerField(help_text="The complaint's stage it times.")
    kind = CharField(max_length=12, choices=ClockKind, help_text="acknowledge or respond.")
    status = CharField(max_length=10, default="running", choices=ClockStatus, help_text="running, met or stopped.")
    started_on = DateField(
        help_text="The UK date counting starts from: when the stage began, or when it was acknowledged."
    )
    # The working days it was given when it started (the regime may change later; this clock does not).
    days = IntegerField(default=0)
    due_on = DateField(
        index=True,
        help_text="The last day to do it in time: its UK working days counted from the start, skipping weekends and "
        "the home nation's bank holidays (never the landlord's closure days). An extension moves it.",
    )
    original_due_on = DateField(help_text="The due date before any extension.")
    met_at = DateTimeField(
        null=True,
        help_text="When what it times was done: the acknowledgement or the response. Null: not done (running or "
        "stopped).",
    )
    met_on = DateField(null=True, help_text="The UK date it was met. Null: not met.")
    breached = BooleanField(
        default=False,
        help_text="It was missed: met after its due date, or still not met when it passed (an hourly sweep marks a "
        "running clock). Once true it stays true.",
    )
    working_days_taken = IntegerField(
        null=True,
        help_text="UK working days from the start to the day it was met, the start not counted. Null: not met.",
    )
    at_risk_notified_at = DateTimeField(
        null=True,
        help_text="When the handler and their manager (every manager, if nobody handles it) were warned it is due "
        "within two UK working days. Null: not warned.",
    )
    breach_notified_at = DateTimeField(
        null=True,
        help_text="When the handler and their manager (every manager, if nobody handles it) were told it was missed. "
        "Null: not told.",
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("complaint", "stage", "kind"), True), (("status", "due_on"), False))
        changes = Changing(parents=("complaint",))


class ComplaintResponse(BaseModel):
    """A stage's answer: the reasons, the way on (escalation or the Ombudsman), with decisions per point."""

    id = AutoField()
    complaint = ForeignKeyField(
        Complaint, backref="responses", on_delete="CASCADE", help_text="The complaint it answers."
    )
    stage = IntegerField(help_text="The stage it answers.")
    reasons = TextField(help_text="The reasons for its decisions, as sent to the resident.")
    next_steps = TextField(help_text="How to escalate, or how to go to the Ombudsman.")
    issued_at = DateTimeField(default=utcnow, index=True, help_text="When it was issued.")
    issued_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    underlying_cause = TextField(
        null=True,
        help_text="What caused what went wrong, as this stage found it: needed when it upholds or partly upholds "
        "any point. Null: nothing upheld, or answered before it was asked for.",
    )
    remedial_action = TextField(
        null=True,
        help_text="What the landlord is doing so it does not happen again, as this stage decided: needed when it "
        "upholds or partly upholds any point. Null: nothing upheld, or answered before it was asked for.",
    )
    outcome = CharField(
        max_length=15,
        null=True,
        index=True,
        choices=ResponseOutcome,
        help_text="The overall outcome: upheld, partly_upheld, not_upheld or resolved. Null only for a response "
        "issued before outcomes were recorded that had no decisions.",
    )
    signed_off_by = ForeignKeyField(
        User,
        null=True,
        on_delete="SET NULL",
        backref="+",
        help_text="The manager who signed off this final response before it was issued. Null: none was needed.",
    )
    signed_off_at = DateTimeField(null=True, help_text="When a manager signed it off. Null: none was needed.")

    class Meta:
        indexes = ((("complaint", "stage"), True),)
        changes = WrittenOnce(parents=("complaint",), written_at="issued_at")


class PointDecision(BaseModel):
    """The decision on one point of complaint, made in a stage's response."""

    id = AutoField()
    response = ForeignKeyField(
        ComplaintResponse, backref="decisions", on_delete="CASCADE", help_text="The response it is part of."
    )
    point = ForeignKeyField(ComplaintPoint, backref="decisions", on_delete="CASCADE", help_text="The point it decides.")
    decision = CharField(max_length=15, index=True, choices=Decision, help_text="What was decided on the point.")
    reasons = TextField(default="", help_text="Why, for this point alone (the Code asks for reasons point by point).")

    class Meta:
        changes = WrittenOnce(parents=("response.complaint",))


class Remedy(BaseModel):
    """Something the landlord will do to put things right: what, by when, and whether it was done."""

    id = AutoField()
    complaint = ForeignKeyField(
        Complaint, backref="remedies", on_delete="CASCADE", help_text="The complaint it puts right."
    )
    response = ForeignKeyField(
        ComplaintResponse, backref="remedies", on_delete="CASCADE", help_text="The response that promised it."
    )
    kind = CharField(
        max_length=25,
        index=True,
        choices=RemedyKind,
        help_text="apology, acknowledgement, explanation, action_on_delay, reconsider_decision, amend_record, "
        "financial_redress or policy_change.",
    )
    description = TextField(help_text="What will be done, as told to the resident.")
    amount = DecimalField(max_digits=10, decimal_places=2, null=True, help_text="Pounds, for financial redress.")
    owner = ForeignKeyField(
        User,
        null=True,
        on_delete="SET NULL",
        backref="+",
        help_text="Who will do it (required when it is promised). Null: promised before an owner was asked for, "
        "or the owner's account was removed.",
    )
    due_on = DateField(help_text="The date it is due by; not before the day the complaint was received.")
    completed_at = DateTimeField(null=True, help_text="When staff marked it done. Null: not yet.")
    completed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    due_soon_notified_at = DateTimeField(
        null=True,
        help_text="When its owner, the complaint's handler and the handler's manager were told it falls due soon. "
        "Null: not told.",
    )
    overdue_notified_at = DateTimeField(
        null=True,
        help_text="When its owner, the complaint's handler and the handler's manager were told it is overdue. "
        "Null: not told.",
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing(parents=("complaint",))


class OutstandingAction(BaseModel):
    """Work still to do after a response, tracked to completion with updates to the resident."""

    id = AutoField()
    complaint = ForeignKeyField(
        Complaint, backref="actions", on_delete="CASCADE", help_text="The complaint it follows from."
    )
    response = ForeignKeyField(
        ComplaintResponse, backref="actions", on_delete="CASCADE", help_text="The response that set it."
    )
    description = TextField(help_text="What is still to be done, as told to the resident.")
    owner = ForeignKeyField(
        User,
        null=True,
        on_delete="SET NULL",
        backref="+",
        help_text="Who will do it (required when it is set). Null: set before an owner was required, or the "
        "owner's account was removed.",
    )
    due_on = DateField(help_text="The date it is due by; not before the day the complaint was received.")
    completed_at = DateTimeField(null=True, help_text="When staff marked it done. Null: not yet.")
    completed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    due_soon_notified_at = DateTimeField(
        null=True,
        help_text="When its owner, the complaint's handler and the handler's manager were told it falls due soon. "
        "Null: not told.",
    )
    overdue_notified_at = DateTimeField(
        null=True,
        help_text="When its owner, the complaint's handler and the handler's manager were told it is overdue. "
        "Null: not told.",
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing(parents=("complaint",))


class OmbudsmanOrder(BaseModel):
    """One thing the Ombudsman ordered the landlord to do: what, by when, the evidence, and when it was done."""

    id = AutoField()
    complaint = ForeignKeyField(
        Complaint, backref="ombudsman_order_items", on_delete="CASCADE", help_text="The complaint it was ordered on."
    )
    text = TextField(help_text="What the Ombudsman ordered, in the order's words.")
    due_on = DateField(
        null=True,
        help_text="The date the Ombudsman set for it (required for a new order). Null: carried over from the "
        "complaint's free-text orders, which had no date.",
    )
    evidence = TextField(default="", help_text="What shows it was done (sent to the Ombudsman). Empty: none yet.")
    complied_on = DateField(null=True, help_text="The UK date it was complied with. Null: not yet.")
    recorded_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="Who recorded the order."
    )
    complied_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="Who recorded that it was complied with."
    )
    due_soon_notified_at = DateTimeField(
        null=True,
        help_text="When the complaint's handler and the handler's manager were told it falls due soon. Null: not told.",
    )
    overdue_notified_at = DateTimeField(
        null=True,
        help_text="When the complaint's handler and the handler's manager were told it is overdue. Null: not told.",
    )
    created_at = DateTimeField(default=utcnow, help_text="When it was recorded.")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing(parents=("complaint",))


class CaseMessage(BaseModel):
    """Every message about a contact: what the landlord sent the resident, and what the resident added."""

    #: Not a column: as :attr:`Contact.files_not_kept`, for a message sent with files.
    files_not_kept: int = 0

    id = AutoField()
    contact = ForeignKeyField(
        Contact,
        backref="messages",
        on_delete="CASCADE",
        help_text="The contact the case began with (the complaint's own, also for a merged contact's words).",
    )
    complaint = ForeignKeyField(
        Complaint, null=True, backref="messages", on_delete="CASCADE", help_text="The complaint it is about."
    )
    direction = CharField(max_length=15, choices=MessageDirection, help_text="to_resident or from_resident.")
    kind = CharField(
        max_length=30,
        choices=MessageKind,
        help_text="acknowledgement, extension, response, refusal, update, more_information, ...",
    )
    body = TextField(
        help_text="The text: the landlord's own words in what it sent (reasons, an update), or the resident's words."
    )
    body_redacted = TextField(
        default="",
        help_text="The text with the parties' names, contact details and addresses replaced by role words, such as "
        "[resident].",
    )
    stage = IntegerField(null=True, help_text="The complaint's stage when it was written.")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow, index=True, help_text="When it was written.")

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

    class Meta:
        # Served so that a contact merged into a hidden complaint is hidden with it; merging saves both rows itself.
        changes = WrittenOnce(written_at="merged_at")


class Attachment(BaseModel):
    """A file given with a contact or a message. The bytes live in storage; this row holds what was checked."""

    id = AutoField()
    contact = ForeignKeyField(
        Contact, backref="attachments", on_delete="CASCADE", help_text="The contact of the case it was given with."
    )
    message = ForeignKeyField(
        CaseMessage,
        null=True,
        backref="attachments",
        on_delete="SET NULL",
        help_text="The message it came with. Null: given with the contact itself.",
    )
    file_name = CharField(
        max_length=200,
        help_text="The name it was sent with, without invisible characters, ending in its type's extension.",
    )
    media_type = CharField(max_length=100, help_text="Worked out from the content.")
    family = CharField(max_length=10, choices=FileFamily, help_text="image, audio, video or document.")
    size = IntegerField(help_text="Bytes.")
    sha256 = CharField(max_length=64, help_text="Checksum of the stored bytes.")
    storage_key = CharField(max_length=200, unique=True)
    uploaded_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow, help_text="When it was uploaded.")

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
    complaint = ForeignKeyField(Complaint, backref="notes", on_delete="CASCADE", help_text="The complaint it is about.")
    kind = CharField(
        max_length=30,
        index=True,
        choices=NoteKind,
        help_text="call_note, internal_note, internal_correspondence, third_party_correspondence or "
        "investigation_document.",
    )
    body = TextField(help_text="The note, as written; it is never changed (a correction is a further note).")
    stage = IntegerField(help_text="The complaint's stage when the note was written.")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who wrote it.")
    created_at = DateTimeField(default=utcnow, index=True, help_text="When it was written.")

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
    note = ForeignKeyField(CaseNote, backref="files", on_delete="CASCADE", help_text="The staff note it is kept with.")
    file_name = CharField(max_length=200, help_text="The name it was sent with, ending in its type's extension.")
    media_type = CharField(max_length=100, help_text="Worked out from the content.")
    family = CharField(max_length=10, choices=FileFamily, help_text="image, audio, video or document.")
    size = IntegerField(help_text="Bytes.")
    sha256 = CharField(max_length=64, help_text="Checksum of the stored bytes.")
    storage_key = CharField(max_length=200, unique=True)
    uploaded_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who uploaded it.")
    created_at = DateTimeField(default=utcnow, help_text="When it was uploaded.")

    class Meta:
        changes = WrittenOnce(parents=("note.complaint",), written_at="created_at")


class StageLeaflet(BaseModel):
    """A PDF leaflet about one regime stage, enclosed with that stage's letters. The bytes live in storage."""

    id = AutoField()
    stage = ForeignKeyField(
        RegimeStage,
        backref="leaflets",
        on_delete="CASCADE",
        unique=True,
        help_text="The regime stage whose letters enclose it.",
    )
    title = CharField(max_length=200, help_text='What the letter\'s "Enclosed:" line calls it.')
    file_name = CharField(max_length=200, help_text="The name it was uploaded with (leaflet.pdf when it had none).")
    size = IntegerField(help_text="Bytes.")
    sha256 = CharField(max_length=64)
    storage_key = CharField(max_length=200, unique=True)
    uploaded_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    uploaded_at = DateTimeField(default=utcnow, help_text="When it was uploaded.")

    class Meta:
        changes = WrittenOnce(parents=("stage",), written_at="uploaded_at")


class AdjustmentStatus(Vocabulary):
    """Where a request for a reasonable adjustment stands."""

    REQUESTED = "requested", "Asked for; nobody has decided yet."
    AGREED = "agreed", "Agreed: staff make it whenever they deal with the resident, and it is reviewed by a date."
    DECLINED = "declined", "Declined, with the reasons given to the resident."
    ENDED = "ended", "No longer made: ended at a review, with the reasons."


ADJUSTMENT_STATUSES = AdjustmentStatus.codes()


class ReasonableAdjustment(BaseModel):
    """A reasonable adjustment in how the landlord deals with a resident (Code 5.10): what was asked for, by whom
    and when, whether it was agreed or declined (with reasons, and who decided), and its review date."""

    id = AutoField()
    resident = ForeignKeyField(
        User,
        null=True,
        on_delete="CASCADE",
        backref="adjustments",
        help_text="The account holder it is for: it shows on all their contacts and complaints. Null: someone "
        "without an account, known by the contact.",
    )
    contact = ForeignKeyField(
        Contact,
        null=True,
        on_delete="CASCADE",
        backref="adjustment_rows",
        help_text="The contact it was asked for with. For someone without an account, the contact whose case it "
        "covers. Null: asked for outside any contact.",
    )
    description = TextField(help_text="What the adjustment is, in plain words (for example: large print letters).")
    requested_by = CharField(
        max_length=120, help_text="Who asked for it: the resident, their advocate, a support worker, a member of staff."
    )
    requested_on = DateField(help_text="The day it was asked for.")
    recorded_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="The member of staff who recorded the request."
    )
    status = CharField(
        max_length=10,
        default="requested",
        index=True,
        choices=AdjustmentStatus,
        help_text="requested, agreed, declined or ended.",
    )
    decision_reasons = TextField(default="", help_text="Why it was agreed or declined. Empty: not decided yet.")
    decided_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="Who agreed or declined it. Null: not yet."
    )
    decided_on = DateField(null=True, help_text="The day it was agreed or declined. Null: not yet.")
    review_due_on = DateField(
        null=True, index=True, help_text="When an agreed adjustment is next reviewed. Null: not agreed, or ended."
    )
    reviewed_on = DateField(null=True, help_text="The day of its latest review. Null: not reviewed yet.")
    review_note = TextField(default="", help_text="What the latest review found.")
    review_notified_at = DateTimeField(
        null=True, help_text="When staff were told the review is due (once per review date). Null: not yet."
    )
    created_at = DateTimeField(default=utcnow, help_text="When it was recorded.")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class RestrictionKind(Vocabulary):
    """How contact with a resident is restricted because of unacceptable behaviour."""

    SINGLE_POINT_OF_CONTACT = "single_point_of_contact", "All contact goes through one named member of staff."
    WRITTEN_ONLY = "written_only", "Contact in writing only (letter or email), not by phone or in person."
    EMAIL_ONLY = "email_only", "Contact by email only."
    SET_TIMES = "set_times", "Contact only at set times or on set days."
    ACCOMPANIED_VISITS = "accompanied_visits", "Visits and meetings only with two members of staff present."
    OTHER = "other", "Another restriction, described in the details."


class RestrictionStatus(Vocabulary):
    """Whether a restriction still applies."""

    ACTIVE = "active", "It applies, until its review."
    ENDED = "ended", "It no longer applies: ended at a review."


RESTRICTION_KINDS = RestrictionKind.codes()


class ContactRestriction(BaseModel):
    """A restriction on how the landlord is contacted by a resident, because of unacceptable behaviour (Code
    5.14-5.15). It changes how staff deal with the resident, never whether their complaints are handled."""

    id = AutoField()
    resident = ForeignKeyField(
        User,
        null=True,
        on_delete="CASCADE",
        backref="restrictions",
        help_text="The account holder it applies to: it shows on all their contacts and complaints. Null: someone "
        "without an account, known by the contact.",
    )
    contact = ForeignKeyField(
        Contact,
        null=True,
        on_delete="CASCADE",
        backref="restriction_rows",
        help_text="The contact it was decided on. For someone without an account, the contact whose case it covers.",
    )
    behaviour = TextField(help_text="The behaviour that was unacceptable, described factually.")
    evidence = TextField(help_text="The evidence of that behaviour: dates, records, who saw or heard it.")
    kind = CharField(
        max_length=30,
        choices=RestrictionKind,
        help_text="single_point_of_contact, written_only, email_only, set_times, accompanied_visits or other.",
    )
    details = TextField(help_text="The restriction as the resident was told it: what they may do, and how.")
    point_of_contact = ForeignKeyField(
        User,
        null=True,
        on_delete="SET NULL",
        backref="+",
        help_text="The member of staff who is the single point of contact. Null: none named.",
    )
    equality_consideration = TextField(
        help_text="How the decision had regard to the Equality Act 2010: disabilities or other needs considered, and "
        "the adjustments kept."
    )
    decided_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="The manager who decided it."
    )
    decided_on = DateField(help_text="The day it was decided.")
    starts_on = DateField(help_text="The day it applies from.")
    review_due_on = DateField(index=True, help_text="When it is next reviewed.")
    resident_told_on = DateField(null=True, help_text="The day the resident was told. Null: not told yet.")
    resident_notice = TextField(
        default="", help_text="The letter or notice that told the resident: its text, or where it is kept."
    )
    status = CharField(
        max_length=10, default="active", index=True, choices=RestrictionStatus, help_text="active or ended."
    )
    reviewed_on = DateField(null=True, help_text="The day of its latest review. Null: not reviewed yet.")
    reviewed_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="The manager who made the latest review."
    )
    review_outcome = TextField(default="", help_text="What the latest review decided, and why.")
    ended_on = DateField(null=True, help_text="The day it stopped applying. Null: it still applies.")
    review_notified_at = DateTimeField(
        null=True, help_text="When the manager was told the review is due (once per review date). Null: not yet."
    )
    created_at = DateTimeField(default=utcnow, help_text="When it was recorded.")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class NamedRole(Vocabulary):
    """A complaints role the Code says a named person holds (Code 4.1, 9.4-9.7)."""

    COMPLAINTS_OFFICER = "complaints_officer", "The complaints officer: the Ombudsman's point of contact (Code 4.1)."
    SENIOR_LEAD = "senior_lead", "The senior lead for complaints: hazards are escalated to them (Code 9.4)."
    MRC = "mrc", "The Member Responsible for Complaints on the governing body (Code 9.5-9.7)."
    SENIOR_MANAGER = "senior_manager", "A senior manager: signs off improvement actions and gets the overdue digest."
    DPO = "dpo", "The data protection officer: reviews and approves each subject access export before release."


class RoleDesignation(BaseModel):
    """A person named to a complaints role from one date, until another (or until further notice)."""

    id = AutoField()
    role = CharField(
        max_length=20,
        index=True,
        choices=NamedRole,
        help_text="complaints_officer, senior_lead or mrc.",
    )
    person = ForeignKeyField(User, on_delete="CASCADE", backref="+", help_text="The member of staff who holds it.")
    starts_on = DateField(help_text="The first UK day they hold it.")
    ends_on = DateField(null=True, help_text="The last UK day they hold it. Null: until further notice.")
    note = TextField(default="", help_text="Why, or under which decision, they were named. Empty: none given.")
    created_at = DateTimeField(default=utcnow, help_text="When the designation was recorded.")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class HazardKind(Vocabulary):
    """What kind of hazard a resident's home has."""

    DAMP_MOULD = "damp_mould", "Damp and mould."
    DISREPAIR = "disrepair", "Disrepair that puts someone at risk."
    GAS_ELECTRICAL = "gas_electrical", "Gas or electrical safety."
    SERIOUS_HARM = "serious_harm", "A risk of serious harm to someone's health or safety."


class HazardSeverity(Vocabulary):
    """How urgent a hazard is, in the words of the Hazards in Social Housing Regulations 2025."""

    EMERGENCY = "emergency", "An imminent and significant risk of harm: investigated and made safe within 24 hours."
    SIGNIFICANT = "significant", "A significant risk of harm: investigated within 10 working days."


class HazardStatus(Vocabulary):
    """Whether a hazard is still being dealt with."""

    OPEN = "open", "Flagged and being dealt with."
    CLOSED = "closed", "Made safe and closed."


class HazardClockKind(Vocabulary):
    """What a hazard's clock times."""

    INVESTIGATE = "investigate", "The investigation (24 hours for an emergency, 10 working days otherwise)."
    MAKE_SAFE = "make_safe", "Making an emergency hazard safe (24 hours)."
    SUMMARY = "summary", "The written summary to the resident (3 working days after the investigation)."
    START_WORK = "start_work", "The safety work done, the home made safe (5 working days after the investigation)."


class Hazard(BaseModel):
    """A hazard in a resident's home, flagged by staff from what the resident told us, on its own clocks."""

    id = AutoField()
    contact = ForeignKeyField(
        Contact, backref="hazards", on_delete="CASCADE", help_text="The contact the landlord learnt of it from."
    )
    complaint = ForeignKeyField(
        Complaint,
        null=True,
        on_delete="SET NULL",
        backref="hazards",
        help_text="The complaint opened from that contact, if one was open when the hazard was flagged. Null: none "
        "then (a later one is among the contact's complaints).",
    )
    kind = CharField(
        max_length=20,
        index=True,
        choices=HazardKind,
        help_text="damp_mould, disrepair, gas_electrical or serious_harm.",
    )
    severity = CharField(max_length=12, choices=HazardSeverity, help_text="emergency or significant.")
    status = CharField(max_length=10, default="open", index=True, choices=HazardStatus, help_text="open or closed.")
    description = TextField(default="", help_text="Where it is and what staff know of it. Empty: nothing added.")
    keywords = JSONField(
        default=list,
        help_text="The words in the resident's own words that suggested it, when staff confirmed a suggestion. "
        "Empty: flagged by staff alone.",
    )
    aware_at = DateTimeField(help_text="When the landlord became aware of it: its clocks count from here.")
    flagged_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who flagged it.")
    flagged_at = DateTimeField(default=utcnow, help_text="When it was flagged.")
    escalated_to = ForeignKeyField(
        User,
        null=True,
        on_delete="SET NULL",
        backref="+",
        help_text="The senior lead it was escalated to. Null: nobody held the role, so every manager was told.",
    )
    escalated_at = DateTimeField(null=True, help_text="When it was escalated.")
    resident_told_at = DateTimeField(
        null=True, help_text="When the letter telling the resident was queued. Null: nobody to write to."
    )
    investigation_concluded_at = DateTimeField(null=True, help_text="When the investigation concluded. Null: not yet.")
    findings = TextField(default="", help_text="What the investigation found. Empty: not recorded.")
    summary_sent_at = DateTimeField(
        null=True, help_text="When the written summary of the findings was sent to the resident. Null: not yet."
    )
    work_started_at = DateTimeField(null=True, help_text="When the safety work started. Null: not yet.")
    made_safe_at = DateTimeField(null=True, help_text="When the home was made safe. Null: not yet.")
    closed_at = DateTimeField(null=True, help_text="When it was closed. Null: open.")
    closed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who closed it.")
    closure_note = TextField(default="", help_text="Why it could be closed. Empty: open.")
    next_due_at = DateTimeField(
        null=True, index=True, help_text="The earliest running clock's deadline (null: none running)."
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing(parents=("contact",))


class HazardClock(BaseModel):
    """One of a hazard's deadlines, separate from any complaint's: when it is due and when it was met."""

    id = AutoField()
    hazard = ForeignKeyField(Hazard, backref="clocks", on_delete="CASCADE", help_text="The hazard it times.")
    kind = CharField(max_length=12, choices=HazardClockKind, help_text="investigate, make_safe, summary or start_work.")
    status = CharField(max_length=10, default="running", choices=ClockStatus, help_text="running, met or stopped.")
    started_at = DateTimeField(help_text="When counting started: awareness, or the investigation's conclusion.")
    due_at = DateTimeField(
        index=True,
        help_text="The deadline: 24 hours on, or the end of the last working day (UK time) counted from the start.",
    )
    met_at = DateTimeField(null=True, help_text="When what it times was done. Null: not done.")
    breached = BooleanField(default=False, help_text="It was missed. Once true it stays true.")
    at_risk_notified_at = DateTimeField(null=True, help_text="When staff were warned it is nearly due. Null: not.")
    breach_notified_at = DateTimeField(null=True, help_text="When staff were told it was missed. Null: not.")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("hazard", "kind"), True),)
        changes = Changing(parents=("hazard",))


class HazardKeyword(BaseModel):
    """A word that, in a resident's own words, suggests a hazard for staff to confirm or dismiss."""

    id = AutoField()
    locale = CharField(max_length=10, help_text="The language of the word, e.g. en or cy.")
    kind = CharField(max_length=20, choices=HazardKind, help_text="The hazard it suggests.")
    word = CharField(
        max_length=60,
        help_text="The word or phrase; it matches a whole word, or the word with a common ending of its language "
        "(damp: dampness), in any case.",
    )
    archived_at = DateTimeField(null=True, help_text="When it stopped being used. Null: in use.")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("locale", "word"), True),)
        changes = Changing()


class HazardDismissal(BaseModel):
    """Staff's decision that a suggested hazard is not one, so that it is no longer suggested."""

    id = AutoField()
    contact = ForeignKeyField(Contact, backref="hazard_dismissals", on_delete="CASCADE", help_text="The contact.")
    kind = CharField(max_length=20, choices=HazardKind, help_text="The hazard that was suggested.")
    reason = TextField(help_text="Why staff found it is not a hazard.")
    dismissed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who dismissed it.")
    dismissed_at = DateTimeField(default=utcnow, help_text="When.")

    class Meta:
        indexes = ((("contact", "kind"), True),)
        changes = WrittenOnce(parents=("contact",), written_at="dismissed_at")


class UpdateMethod(Vocabulary):
    """How the resident agreed to hear from the landlord while their answer is late."""

    PHONE = "phone", "By phone."
    EMAIL = "email", "By email."
    SMS = "sms", "By text message."
    POST = "post", "By post."
    PORTAL = "portal", "On their case in the portal."


UPDATE_METHODS = UpdateMethod.codes()


class UpdateInterval(BaseModel):
    """How often the resident will hear from us while their answer is late, as agreed with them (Code 5.9).

    One per complaint stage; agreeing again replaces it. An update is any message from the landlord to the
    resident on the case. An hourly sweep tells the handler once when an update is missed, and their manager
    once when it is missed by a further interval.
    """

    id = AutoField()
    complaint = ForeignKeyField(
        Complaint, backref="update_intervals", on_delete="CASCADE", help_text="The complaint whose answer is late."
    )
    stage = IntegerField(help_text="The complaint's stage it was agreed for; it ends when that stage is answered.")
    every_days = IntegerField(help_text="UK working days between updates, as agreed with the resident (1 to 20).")
    agreed_on = DateField(help_text="The UK date it was agreed with the resident; the first update is due from it.")
    method = CharField(max_length=10, choices=UpdateMethod, help_text="How the resident will get the updates.")
    note = TextField(default="", help_text="Anything else agreed, in staff's words. Empty: nothing more.")
    agreed_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="Who recorded the agreement."
    )
    missed_due_on = DateField(
        null=True,
        help_text="The due date of the last update the sweep found missed. Null: none missed yet.",
    )
    missed_notified_at = DateTimeField(
        null=True, help_text="When the handler was told the update due on missed_due_on was missed. Null: not told."
    )
    manager_notified_at = DateTimeField(
        null=True,
        help_text="When the handler's manager was told that update was still missing a further interval later. "
        "Null: not told.",
    )
    created_at = DateTimeField(default=utcnow, help_text="When it was first recorded.")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("complaint", "stage"), True),)
        changes = Changing(parents=("complaint",))


class PointScope(BaseModel):
    """Whether a point of complaint is the landlord's to put right (Code 5.7) and, if not, where the resident was
    signposted. Recorded before the stage's answer, which shows it; a point with no row is the landlord's."""

    id = AutoField()
    point = ForeignKeyField(
        ComplaintPoint, backref="scopes", unique=True, on_delete="CASCADE", help_text="The point of complaint."
    )
    landlord_responsible = BooleanField(
        default=True, help_text="The point is about something the landlord is responsible for."
    )
    signposted_to = TextField(
        default="",
        help_text="Where the resident was signposted (who is responsible, and how to reach them); required when the "
        "landlord is not responsible. Empty otherwise.",
    )
    recorded_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="Who last recorded the scope."
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing(parents=("point.complaint",))


class StaffPart(Vocabulary):
    """A member of staff's part in what a complaint is about (Code 5.8)."""

    SUBJECT = "subject", "The complaint is about them."
    INVOLVED = "involved", "They took part in what the complaint is about, or saw it."


STAFF_PARTS = StaffPart.codes()


class ComplaintStaff(BaseModel):
    """A member of staff a complaint names, with their part, and the support they are given while it is handled.

    The complaint is hidden from them (not in their queues, searches, counts or the API) and they may never handle
    it. The support record follows the PHSO's just and learning culture guidance: when and by whom they were told,
    the support offered, their own input and when the outcome was shared with them. Managers and the case's
    handler see it; the resident never does.
    """

    id = AutoField()
    complaint = ForeignKeyField(
        Complaint, backref="staff_named", on_delete="CASCADE", help_text="The complaint that names them."
    )
    person = ForeignKeyField(User, backref="+", on_delete="CASCADE", help_text="The member of staff it names.")
    part = CharField(max_length=10, choices=StaffPart, help_text="subject or involved.")
    details = TextField(default="", help_text="Their part in what happened, in a few words.")
    recorded_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="Who recorded that the complaint names them."
    )
    recorded_at = DateTimeField(default=utcnow, help_text="When it was recorded.")
    told_on = DateField(null=True, help_text="The day they were told of the complaint. Null: not yet.")
    told_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="Who told them of the complaint."
    )
    support_offered = TextField(default="", help_text="The support offered to them (a manager, a union rep, EAP).")
    staff_input = TextField(default="", help_text="Their own account and input, as they gave it.")
    outcome_shared_on = DateField(
        null=True, help_text="The day the outcome of the complaint was shared with them. Null: not yet."
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing(parents=("complaint",))
        indexes = ((("complaint", "person"), True),)


class CaseAccess(BaseModel):
    """A member of staff on a need-to-know case's access list: only they see the case, and every read is logged."""

    id = AutoField()
    contact = ForeignKeyField(
        Contact, backref="access_list", on_delete="CASCADE", help_text="The case's contact (and its complaint)."
    )
    person = ForeignKeyField(User, backref="+", on_delete="CASCADE", help_text="The member of staff who may see it.")
    reason = TextField(default="", help_text="Why they need to know.")
    granted_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="The manager who put them on the list."
    )
    granted_at = DateTimeField(default=utcnow, help_text="When they were put on the list.")

    class Meta:
        changes = WrittenOnce(parents=("contact",), written_at="granted_at")
        indexes = ((("contact", "person"), True),)


class CaseRead(BaseModel):
    """One read of a need-to-know case: who read it, when, and through what (a console page, the API, a file).

    Written once and never changed; a read moves nothing else.
    """

    id = AutoField()
    contact = ForeignKeyField(Contact, backref="reads", on_delete="CASCADE", help_text="The case's contact.")
    person = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="Who read it. Null: an account since removed."
    )
    token_id = IntegerField(null=True, help_text="The API token they used, if any.")
    via = CharField(
        max_length=100,
        default="",
        help_text="The named operation that returned it (a console page's, or an API tool's), or file for a download.",
    )
    read_at = DateTimeField(default=utcnow, index=True, help_text="When it was read.")

    class Meta:
        changes = WrittenOnce(written_at="read_at")


class AssignmentEnd(Vocabulary):
    """Why someone stopped handling a complaint's stage."""

    REASSIGNED = "reassigned", "The stage was given to someone else."
    STAGE_ENDED = "stage_ended", "The complaint moved on to its next stage."


class ComplaintAssignment(BaseModel):
    """Who handled which stage of a complaint, from when to when.

    The stage-2 different-person rule (Code 6.13) reads it: anyone who held an earlier stage, even for a while,
    can't handle a later one.
    """

    id = AutoField()
    complaint = ForeignKeyField(
        Complaint, backref="assignments", on_delete="CASCADE", help_text="The complaint handled."
    )
    stage = IntegerField(help_text="The stage they handled.")
    handler = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="Who handled it. Null: an account since removed."
    )
    assigned_at = DateTimeField(default=utcnow, help_text="When they were given the stage.")
    ended_at = DateTimeField(
        null=True, help_text="When it passed to someone else or the stage ended. Null: they still hold it."
    )
    ended_because = CharField(
        max_length=12, null=True, choices=AssignmentEnd, help_text="reassigned or stage_ended. Null: still held."
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing(parents=("complaint",))


class InboundVia(Vocabulary):
    """How an email reached Learnloop."""

    SMTP = "smtp", "Learnloop's own mail receiver (learnloop mail-receiver)."
    WEBHOOK = "webhook", "A mail provider's inbound webhook."


class InboundStatus(Vocabulary):
    """What became of an email to the complaints mailbox."""

    RECEIVED = "received", "Kept, not yet read: it is read at once, or by the next sweep if that failed."
    CONTACT = "contact", "Logged as a new contact for staff to classify."
    REPLY = "reply", "Added to the case its reference named, as the resident's message."
    UNREADABLE = "unreadable", "Could not be read as an email: logged as a contact for staff to look at."
    AUTOMATIC = "automatic", "An automatic reply or a bounce: kept, never answered or logged as a contact."
    HELD = "held", "More mail from its sender this hour than the limit allows: kept, not logged or answered."


class InboundMail(BaseModel):
    """An email to the complaints mailbox, kept as it arrived before anything reads it, and what became of it."""

    id = AutoField()
    via = CharField(max_length=10, choices=InboundVia, help_text="smtp or webhook: how it reached Learnloop.")
    received_at = DateTimeField(default=utcnow, index=True, help_text="When Learnloop received it.")
    raw_message = BlobField(help_text="The message as it arrived, byte for byte (at most the configured size).")
    size = IntegerField(help_text="Bytes.")
    sha256 = CharField(max_length=64, index=True, help_text="Checksum of the raw message, to spot one sent twice.")
    envelope_from = CharField(
        max_length=254, default="", help_text="The sender the delivering server gave (empty for a bounce)."
    )
    sender = CharField(
        max_length=254, default="", index=True, help_text="The From address, in lower case. Empty: none readable."
    )
    sender_verified = BooleanField(
        default=False,
        help_text="Our own mail server vouched for the From address (a trusted Authentication-Results header). "
        "False: anyone could have written it, or not read yet.",
    )
    subject = CharField(max_length=300, default="", help_text="The subject line, cut to 300 characters.")
    message_id = CharField(max_length=300, default="", help_text="The Message-ID header. Empty: none.")
    sent_at = DateTimeField(null=True, help_text="The Date header, in UTC. Null: none readable.")
    status = CharField(
        max_length=12,
        default="received",
        index=True,
        choices=InboundStatus,
        help_text="received, contact, reply, unreadable, automatic or held.",
    )
    contact = ForeignKeyField(
        Contact,
        null=True,
        on_delete="SET NULL",
        backref="inbound_mails",
        help_text="The contact it was logged as, or the contact of the case it was added to. Null: neither.",
    )
    case_message = ForeignKeyField(
        CaseMessage,
        null=True,
        on_delete="SET NULL",
        backref="+",
        help_text="The case message it became, for a reply. Null: not a reply.",
    )
    refused_attachments = JSONField(
        default=list,
        help_text="Attachments not kept, each with its name and why: unsupported_type, script, too_large, empty or "
        "too_many (they are still in the raw message).",
    )
    processed_at = DateTimeField(null=True, help_text="When it was read. Null: not yet.")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class ResponseDraft(BaseModel):
    """A final response written by a handler, waiting for a manager's sign-off before it is issued (the SPSO's
    model procedure: the final position is signed off by an appropriate manager). Nothing is sent until then."""

    id = AutoField()
    complaint = ForeignKeyField(
        Complaint, backref="response_drafts", on_delete="CASCADE", help_text="The complaint it would answer."
    )
    stage = IntegerField(help_text="The stage it would answer: the regime's final stage.")
    content = JSONField(
        default=dict,
        help_text="What the handler wrote, as the respond step takes it: decisions, reasons, next steps, remedies, "
        "actions, underlying cause, remedial action and outcome.",
    )
    status = CharField(
        max_length=12,
        default="awaiting",
        index=True,
        choices=SignOffStatus,
        help_text="awaiting, signed_off or returned.",
    )
    submitted_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", help_text="The handler who wrote it."
    )
    submitted_at = DateTimeField(default=utcnow, help_text="When it was sent for sign-off.")
    decided_by = ForeignKeyField(
        User,
        null=True,
        on_delete="SET NULL",
        backref="+",
        help_text="The manager who signed it off or returned it. Null: still waiting.",
    )
    decided_at = DateTimeField(null=True, help_text="When it was signed off or returned. Null: still waiting.")
    return_reason = TextField(
        null=True, help_text="Why the manager returned it, for the handler. Null unless returned."
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing(parents=("complaint",))


class ContactReview(BaseModel):
    """A review of a contact that is not a complaint: a service request's review (Code 1.4), or a manager's quality
    check that dissatisfaction was met with the offer to complain (Code 1.3). Written once."""

    id = AutoField()
    contact = ForeignKeyField(Contact, backref="reviews", on_delete="CASCADE", help_text="The contact reviewed.")
    kind = CharField(
        max_length=20, index=True, choices=ContactReviewKind, help_text="service_request or complaint_offer."
    )
    outcome = CharField(max_length=20, index=True, choices=ContactReviewOutcome, help_text="What the review found.")
    note = TextField(default="", help_text="What the reviewer noted. Empty: nothing.")
    reviewed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who reviewed it.")
    reviewed_at = DateTimeField(default=utcnow, index=True, help_text="When it was reviewed.")

    class Meta:
        changes = WrittenOnce(parents=("contact",), written_at="reviewed_at")
