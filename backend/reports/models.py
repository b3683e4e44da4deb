"""What reports count against and what they keep.

- The UK calendar with each nation's working days, the statutory timescales in force on each date, the relevant
  homes at each year's end (the denominator, not a count of ``Home`` rows), and the Ombudsman's findings and reports
  about the landlord.
- The Complaint Handling Code's provisions as data, and the landlord's self-assessments against them (Code 8.1-8.4),
  with the "learning from complaints" checklist and the sector learning behind its item 8. The Code's text is data,
  not code, so admins change it when the Ombudsman issues a new edition: a provision is retired (never deleted) and
  stays on every assessment that used it. Each assessment copies the wording of the provisions it was started with,
  so a published one reads as it was approved whatever happens to the Code later.
- Equality monitoring answers and the signals imported for the board. An :class:`EqualityProfile` holds one person's
  answers about the protected characteristics of the Equality Act 2010, given with their explicit consent, apart
  from their account and their contacts so that nothing that shows a person or a case reads it. It belongs to an
  account holder (``user``) or, for someone without an account, to the contact they made (``contact``); never both.
  Withdrawing consent deletes the row. The categories follow the ONS's Census 2021 questions for England and Wales
  (the GSS harmonised standards); docs/reports.md gives each source. A :class:`SignalCount` is one month's count of
  something outside the complaints service (disrepair claims, damp and mould cases, insurance claims) in one
  service area, imported from CSV; importing the same month, area and kind again replaces the figure.
- Staff's saved GraphQL queries, shown as a table or a chart and sent on a schedule.
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

from backend.accounts.models import ConsentMethod, Nation, Tenure, User
from backend.changes import Changing, WrittenOnce
from backend.complaints.models import Contact, ServiceArea
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


PREFER_NOT_TO_SAY = "prefer_not_to_say"


class AgeBand(Vocabulary):
    """An age band (the ONS's ten-year bands for adults)."""

    UNDER_25 = "age_16_24", "16 to 24."
    FROM_25 = "age_25_34", "25 to 34."
    FROM_35 = "age_35_44", "35 to 44."
    FROM_45 = "age_45_54", "45 to 54."
    FROM_55 = "age_55_64", "55 to 64."
    FROM_65 = "age_65_74", "65 to 74."
    FROM_75 = "age_75_plus", "75 or over."
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefers not to say."


class DisabilityAnswer(Vocabulary):
    """Whether day-to-day activities are limited by a long-term health problem or disability (Census 2021)."""

    LIMITED_A_LOT = "limited_a_lot", "Yes, limited a lot."
    LIMITED_A_LITTLE = "limited_a_little", "Yes, limited a little."
    NOT_LIMITED = "not_limited", "No."
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefers not to say."


class GenderIdentityAnswer(Vocabulary):
    """Whether the gender they identify with is the same as their sex registered at birth (Census 2021)."""

    SAME = "same", "Yes, the same."
    DIFFERENT = "different", "No, different (gender reassignment is a protected characteristic)."
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefers not to say."


class PartnershipStatus(Vocabulary):
    """Legal marriage or civil partnership status (Census 2021)."""

    NEVER = "never", "Never married and never registered a civil partnership."
    MARRIED = "married", "Married."
    CIVIL_PARTNERSHIP = "civil_partnership", "In a registered civil partnership."
    SEPARATED = "separated", "Separated, but still legally married or in a civil partnership."
    DIVORCED = "divorced", "Divorced, or a civil partnership dissolved."
    WIDOWED = "widowed", "Widowed, or a surviving civil partner."
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefers not to say."


class PregnancyAnswer(Vocabulary):
    """Whether they are pregnant or have given birth in the last 26 weeks."""

    YES = "yes", "Yes."
    NO = "no", "No."
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefers not to say."


class EthnicGroup(Vocabulary):
    """Ethnic group, as the Census 2021 in England asks it (19 groups under 5 headings)."""

    ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian."
    ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani."
    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi."
    ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese."
    ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background."
    BLACK_CARIBBEAN = "black_caribbean", "Black, Black British, Caribbean or African: Caribbean."
    BLACK_AFRICAN = "black_african", "Black, Black British, Caribbean or African: African."
    BLACK_OTHER = "black_other", "Black, Black British, Caribbean or African: any other Black background."
    MIXED_WHITE_BLACK_CARIBBEAN = "mixed_white_black_caribbean", "Mixed or multiple: White and Black Caribbean."
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african", "Mixed or multiple: White and Black African."
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or multiple: White and Asian."
    MIXED_OTHER = "mixed_other", "Mixed or multiple: any other mixed or multiple background."
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British."
    WHITE_IRISH = "white_irish", "White: Irish."
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller."
    WHITE_ROMA = "white_roma", "White: Roma."
    WHITE_OTHER = "white_other", "White: any other White background."
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab."
    OTHER_ANY = "other_any", "Other ethnic group: any other ethnic group."
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefers not to say."


class Religion(Vocabulary):
    """Religion or belief (Census 2021)."""

    NONE = "none", "No religion."
    CHRISTIAN = "christian", "Christian (all denominations)."
    BUDDHIST = "buddhist", "Buddhist."
    HINDU = "hindu", "Hindu."
    JEWISH = "jewish", "Jewish."
    MUSLIM = "muslim", "Muslim."
    SIKH = "sikh", "Sikh."
    OTHER = "other", "Any other religion or belief."
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefers not to say."


class Sex(Vocabulary):
    """Sex (Census 2021)."""

    FEMALE = "female", "Female."
    MALE = "male", "Male."
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefers not to say."


class SexualOrientation(Vocabulary):
    """Sexual orientation (Census 2021)."""

    STRAIGHT = "straight", "Straight or heterosexual."
    GAY_LESBIAN = "gay_lesbian", "Gay or lesbian."
    BISEXUAL = "bisexual", "Bisexual."
    OTHER = "other", "Another sexual orientation."
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefers not to say."


class ConsentGiver(Vocabulary):
    """Who gave consent for equality monitoring answers to be kept."""

    RESIDENT = "resident", "The person the answers are about."
    REPRESENTATIVE = (
        "representative",
        "Someone with legal authority to decide for them (for example a lasting power of attorney).",
    )


#: Each protected characteristic: the profile's field and the vocabulary of its answers, in the order forms ask.
CHARACTERISTICS: dict[str, type[Vocabulary]] = {
    "age_band": AgeBand,
    "disability": DisabilityAnswer,
    "gender_identity": GenderIdentityAnswer,
    "partnership": PartnershipStatus,
    "pregnancy": PregnancyAnswer,
    "ethnic_group": EthnicGroup,
    "religion": Religion,
    "sex": Sex,
    "sexual_orientation": SexualOrientation,
}


class EqualityProfile(BaseModel):
    """One person's equality monitoring answers, kept with their consent and apart from anything that shows them."""

    id = AutoField()
    user = ForeignKeyField(
        User,
        null=True,
        unique=True,
        on_delete="CASCADE",
        backref="+",
        help_text="The account holder the answers are about. Null: someone without an account (see contact).",
    )
    contact = ForeignKeyField(
        Contact,
        null=True,
        unique=True,
        on_delete="CASCADE",
        backref="+",
        help_text="For someone without an account, the contact they made. Null: an account holder's answers.",
    )
    age_band = CharField(max_length=20, null=True, choices=AgeBand, help_text="Null: not answered.")
    disability = CharField(max_length=20, null=True, choices=DisabilityAnswer, help_text="Null: not answered.")
    gender_identity = CharField(max_length=20, null=True, choices=GenderIdentityAnswer, help_text="Null: not answered.")
    partnership = CharField(max_length=20, null=True, choices=PartnershipStatus, help_text="Null: not answered.")
    pregnancy = CharField(max_length=20, null=True, choices=PregnancyAnswer, help_text="Null: not answered.")
    ethnic_group = CharField(max_length=30, null=True, choices=EthnicGroup, help_text="Null: not answered.")
    religion = CharField(max_length=20, null=True, choices=Religion, help_text="Null: not answered.")
    sex = CharField(max_length=20, null=True, choices=Sex, help_text="Null: not answered.")
    sexual_orientation = CharField(max_length=20, null=True, choices=SexualOrientation, help_text="Null: not answered.")
    consent_given_by = CharField(max_length=20, choices=ConsentGiver, help_text="Who consented.")
    consent_method = CharField(max_length=30, choices=ConsentMethod, help_text="How consent was given.")
    consent_given_on = DateField(help_text="The UK day consent was given.")
    recorded_by = ForeignKeyField(
        User,
        null=True,
        on_delete="SET NULL",
        backref="+",
        help_text="Who recorded the answers last: the person themselves on the portal, or a member of staff.",
    )
    recorded_at = DateTimeField(default=utcnow, help_text="When the answers were last recorded.")

    class Meta:
        # No ``changes``, and no updated_at: the API serves no resource over this table on purpose (a resource would
        # let staff list people's answers), and only served tables say how they change. recorded_at moves instead.
        table_name = "equality_profile"


class SignalKind(Vocabulary):
    """Something outside the complaints service that the board sees beside complaints, to triangulate them."""

    DISREPAIR = "disrepair", "Disrepair claims."
    DAMP_MOULD = "damp_mould", "Damp and mould cases."
    INSURANCE = "insurance", "Insurance claims."


SIGNAL_KINDS = SignalKind.codes()


class SignalCount(BaseModel):
    """One month's count of a signal in one service area, as imported; a later import replaces it."""

    id = AutoField()
    month = DateField(index=True, help_text="The first day of the calendar month it counts.")
    service_area = ForeignKeyField(
        ServiceArea, on_delete="RESTRICT", backref="+", help_text="The service area it counts in."
    )
    kind = CharField(max_length=20, choices=SignalKind, help_text="disrepair, damp_mould or insurance.")
    count = IntegerField(help_text="How many, from 0.")
    source = CharField(max_length=200, help_text="Where the figure came from, as the importer said.")
    imported_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who imported it last.")
    imported_at = DateTimeField(default=utcnow, help_text="When it was last imported.")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "signal_count"
        indexes = ((("month", "service_area", "kind"), True),)
        changes = Changing()


class ReportDisplay(Vocabulary):
    """How a saved report shows its rows."""

    TABLE = "table", "A table of the rows, one column per chosen field."
    BAR = "bar", "A bar chart of one number per row, with its figures in a table beside it."
    LINE = "line", "A line chart of one number per row in order, with its figures in a table beside it."


class ReportSchedule(Vocabulary):
    """How often a saved report's recipients are told it is ready to read."""

    NONE = "none", "Never: it is read when someone opens it."
    DAILY = "daily", "Every day."
    WEEKLY = "weekly", "Once a week, on the chosen weekday."
    MONTHLY = "monthly", "Once a month, on the chosen day (the month's last day when it is shorter)."


class SavedReport(BaseModel):
    """A GraphQL query saved by a member of staff as a named report. It always runs as the person reading it."""

    id = AutoField()
    name = CharField(max_length=120)
    description = TextField(default="")
    query = TextField(help_text="The GraphQL query: one query operation, checked against its owner's schema.")
    parameters = JSONField(
        default=list, help_text="The query's variables, in order: name, GraphQL type, default (a literal) or null."
    )
    display = CharField(max_length=10, default="table", choices=ReportDisplay)
    rows_path = CharField(max_length=300, default="", help_text="Where the rows are in the result, dotted.")
    columns = JSONField(default=list, help_text="The fields of each row shown as columns, dotted, in order.")
    label_field = CharField(max_length=300, default="", help_text="A chart's label for each row.")
    value_field = CharField(max_length=300, default="", help_text="A chart's number for each row.")
    owner = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    shared = BooleanField(default=False, help_text="True: every member of staff may read it; False: its owner only.")
    schedule = CharField(max_length=10, default="none", choices=ReportSchedule)
    schedule_weekday = IntegerField(null=True, help_text="A weekly report's day: 1 Monday to 7 Sunday.")
    schedule_day = IntegerField(null=True, help_text="A monthly report's day of the month, 1 to 31.")
    last_sent_on = DateField(null=True, help_text="The UK day its recipients were last told, once a day at most.")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(quiet=("last_sent_on",))


class SavedReportRecipient(BaseModel):
    """A member of staff told each time a scheduled report is ready; they read it as themselves."""

    id = AutoField()
    report = ForeignKeyField(SavedReport, backref="recipients", on_delete="CASCADE")
    person = ForeignKeyField(User, backref="+", on_delete="CASCADE")

    class Meta:
        changes = WrittenOnce(parents=("report",))
        indexes = ((("report", "person"), True),)
