"""What reports count that nothing else records: equality monitoring answers, and signals imported for the board.

An :class:`EqualityProfile` holds one person's answers about the protected characteristics of the Equality Act 2010,
given with their explicit consent, apart from their account and their contacts so that nothing that shows a person or
a case reads it. It belongs to an account holder (``user``) or, for someone without an account, to the contact they
made (``contact``); never both. Withdrawing consent deletes the row. The categories follow the ONS's Census 2021
questions for England and Wales (the GSS harmonised standards); docs/reports.md gives each source.

A :class:`SignalCount` is one month's count of something outside the complaints service (disrepair claims, damp and
mould cases, insurance claims) in one service area, imported from CSV; importing the same month, area and kind again
replaces the figure.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from backend.accounts.models import ConsentMethod, User
from backend.changes import Changing
from backend.complaints.models import Contact, ServiceArea
from backend.db import BaseModel
from backend.timeutil import utcnow
from backend.vocabulary import Vocabulary

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
