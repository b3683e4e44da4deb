"""Equality monitoring answers in the API: a resident's own, and staff recording them on a contact with consent.

Residents read and change only their own answers (there is no argument to name anyone else's). Staff record answers
on a contact and read only whether some are recorded, never what they are. Nothing here is in a published schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from backend.accounts.models import ConsentMethod
from backend.errors import NotFound
from backend.reports import characteristics
from backend.reports.characteristics import RecordStatus
from backend.reports.models import (
    CHARACTERISTICS,
    AgeBand,
    ConsentGiver,
    DisabilityAnswer,
    EqualityProfile,
    EthnicGroup,
    GenderIdentityAnswer,
    PartnershipStatus,
    PregnancyAnswer,
    Religion,
    Sex,
    SexualOrientation,
)
from schema.access import SIGNED_IN, STAFF_ROLES
from schema.context import Context
from schema.engine.access import only_for
from schema.engine.mutations import Mutations, parse_id
from schema.error_texts import INVALID, N_
from schema.errors import NotAllowedError, ValidationError

mutations = Mutations()
NOT_ANSWERED = "Null: not answered."


@strawberry.type(
    description="Answers about the protected characteristics of the Equality Act 2010. Null: not answered."
)
class EqualityAnswers:
    age_band: AgeBand | None = strawberry.field(description=NOT_ANSWERED)  # type: ignore[valid-type]
    disability: DisabilityAnswer | None = strawberry.field(description=NOT_ANSWERED)  # type: ignore[valid-type]
    gender_identity: GenderIdentityAnswer | None = strawberry.field(description=NOT_ANSWERED)  # type: ignore[valid-type]
    partnership: PartnershipStatus | None = strawberry.field(description=NOT_ANSWERED)  # type: ignore[valid-type]
    pregnancy: PregnancyAnswer | None = strawberry.field(description=NOT_ANSWERED)  # type: ignore[valid-type]
    ethnic_group: EthnicGroup | None = strawberry.field(description=NOT_ANSWERED)  # type: ignore[valid-type]
    religion: Religion | None = strawberry.field(description=NOT_ANSWERED)  # type: ignore[valid-type]
    sex: Sex | None = strawberry.field(description=NOT_ANSWERED)  # type: ignore[valid-type]
    sexual_orientation: SexualOrientation | None = strawberry.field(description=NOT_ANSWERED)  # type: ignore[valid-type]


@strawberry.input(description="Answers about the protected characteristics. Null or left out: not answered.")
class EqualityAnswersInput:
    age_band: AgeBand | None = strawberry.field(default=None, description=NOT_ANSWERED)  # type: ignore[valid-type]
    disability: DisabilityAnswer | None = strawberry.field(default=None, description=NOT_ANSWERED)  # type: ignore[valid-type]
    gender_identity: GenderIdentityAnswer | None = strawberry.field(default=None, description=NOT_ANSWERED)  # type: ignore[valid-type]
    partnership: PartnershipStatus | None = strawberry.field(default=None, description=NOT_ANSWERED)  # type: ignore[valid-type]
    pregnancy: PregnancyAnswer | None = strawberry.field(default=None, description=NOT_ANSWERED)  # type: ignore[valid-type]
    ethnic_group: EthnicGroup | None = strawberry.field(default=None, description=NOT_ANSWERED)  # type: ignore[valid-type]
    religion: Religion | None = strawberry.field(default=None, description=NOT_ANSWERED)  # type: ignore[valid-type]
    sex: Sex | None = strawberry.field(default=None, description=NOT_ANSWERED)  # type: ignore[valid-type]
    sexual_orientation: SexualOrientation | None = strawberry.field(default=None, description=NOT_ANSWERED)  # type: ignore[valid-type]


def _answers_in(data: EqualityAnswersInput) -> dict[str, str | None]:
    return {name: (str(value) if value is not None else None) for name, value in vars(data).items()}


def _answers_of(profile: EqualityProfile) -> EqualityAnswers:
    values: dict[str, Any] = {}
    for name, vocabulary in CHARACTERISTICS.items():
        code = getattr(profile, name)
        values[name] = vocabulary.of(code) if code is not None else None
    return EqualityAnswers(**values)


@strawberry.type(description="The viewer's own equality monitoring answers and how they consented.")
class ViewerEqualityProfile:
    answers: EqualityAnswers = strawberry.field(description="Their answers.")
    consent_given_on: dt.date = strawberry.field(description="The UK day they (or someone for them) consented.")
    consent_method: ConsentMethod = strawberry.field(description="How consent was given.")  # type: ignore[valid-type]
    recorded_at: dt.datetime = strawberry.field(description="When the answers were last recorded.")


def _profile(profile: EqualityProfile) -> ViewerEqualityProfile:
    return ViewerEqualityProfile(
        answers=_answers_of(profile),
        consent_given_on=profile.consent_given_on,
        consent_method=ConsentMethod.of(profile.consent_method),
        recorded_at=profile.recorded_at,
    )


@strawberry.type(
    description="Whether equality monitoring answers are recorded for a contact's resident, and how they consented; "
    "never the answers."
)
class EqualityRecordStatus:
    recorded: bool = strawberry.field(description="Whether answers are recorded.")
    consent_given_by: ConsentGiver | None = strawberry.field(description="Who consented; null: nothing recorded.")  # type: ignore[valid-type]
    consent_method: ConsentMethod | None = strawberry.field(description="How; null: nothing recorded.")  # type: ignore[valid-type]
    consent_given_on: dt.date | None = strawberry.field(description="The UK day; null: nothing recorded.")
    recorded_at: dt.datetime | None = strawberry.field(description="When last recorded; null: nothing recorded.")


def _status(status: RecordStatus) -> EqualityRecordStatus:
    return EqualityRecordStatus(
        recorded=status.recorded,
        consent_given_by=ConsentGiver.of(status.consent_given_by) if status.consent_given_by else None,
        consent_method=ConsentMethod.of(status.consent_method) if status.consent_method else None,
        consent_given_on=status.consent_given_on,
        recorded_at=status.recorded_at,
    )


@strawberry.type
class ViewerEqualityQuery:
    @strawberry.field(
        description="The viewer's own equality monitoring answers; null when they have given none, and for anyone "
        "but a resident (only residents give them)."
    )
    def viewer_equality_profile(self, info: Info[Context, None]) -> ViewerEqualityProfile | None:
        profile = characteristics.own_profile(info.context.actor)
        return _profile(profile) if profile is not None else None


@only_for(STAFF_ROLES)
@strawberry.type
class StaffEqualityQuery:
    @strawberry.field(
        description="Whether equality monitoring answers are recorded for a contact's resident, and how they "
        "consented: never the answers. Null when there is no such contact or its case is hidden from you. Staff only."
    )
    def contact_equality_status(
        self,
        info: Info[Context, None],
        contact_id: Annotated[strawberry.ID, strawberry.argument(description="A contact.")],
    ) -> EqualityRecordStatus | None:
        try:
            return _status(characteristics.contact_status(info.context.actor, parse_id(contact_id, "contact")))
        except NotFound:
            return None


QUERIES = [ViewerEqualityQuery, StaffEqualityQuery]


@strawberry.input(description="The viewer's own equality monitoring answers, with their consent.")
class ViewerEqualityProfileSaveInput:
    consent: bool = strawberry.field(
        description="They agree to the answers being kept, only to check that the complaints service treats everyone "
        "fairly. Must be true."
    )
    answers: EqualityAnswersInput = strawberry.field(description="At least one answer; the others are not answered.")


@strawberry.type(description="What viewerEqualityProfileSave did.")
class ViewerEqualityProfileSaved:
    profile: ViewerEqualityProfile = strawberry.field(description="The answers as they are now.")


@mutations.add(
    "viewerEqualityProfileSave",
    roles=SIGNED_IN,
    payload=ViewerEqualityProfileSaved,
    errors=(ValidationError, NotAllowedError),
)
def save_own(context: Context, data: ViewerEqualityProfileSaveInput) -> ViewerEqualityProfileSaved:
    """Record the viewer's own equality monitoring answers, with their consent, replacing any given before.
    Residents only: anyone else gets a NotAllowedError."""
    profile = characteristics.save_own_profile(context.actor, _answers_in(data.answers), data.consent)
    return ViewerEqualityProfileSaved(profile=_profile(profile))


@strawberry.type(description="What a withdrawal of consent did.")
class EqualityConsentWithdrawn:
    deleted: bool = strawberry.field(description="Whether answers were deleted (false: there were none).")


@mutations.add(
    "viewerEqualityConsentWithdraw",
    roles=SIGNED_IN,
    payload=EqualityConsentWithdrawn,
    result="ViewerEqualityConsentWithdrawResult",
    errors=(NotAllowedError,),
)
def withdraw_own(context: Context) -> EqualityConsentWithdrawn:
    """Withdraw the viewer's consent to equality monitoring: their answers are deleted. Residents only: anyone else
    gets a NotAllowedError."""
    return EqualityConsentWithdrawn(deleted=characteristics.withdraw_own_consent(context.actor))


@strawberry.input(description="A resident's equality monitoring answers, recorded by staff with their consent.")
class ContactEqualityRecordInput:
    contact_id: strawberry.ID = strawberry.field(description="The contact whose resident the answers are about.")
    consent_given_by: ConsentGiver = strawberry.field(description="Who consented.")  # type: ignore[valid-type]
    consent_method: ConsentMethod = strawberry.field(description="How: written, verbal or email.")  # type: ignore[valid-type]
    consent_given_on: dt.date = strawberry.field(description="The UK day consent was given, not in the future.")
    answers: EqualityAnswersInput = strawberry.field(
        description="At least one answer. They replace every answer recorded before: what is left out is cleared."
    )


@strawberry.type(description="What contactEqualityRecord did.")
class ContactEqualityRecorded:
    status: EqualityRecordStatus = strawberry.field(description="Whether answers are recorded now, and the consent.")


@mutations.add(
    "contactEqualityRecord",
    roles=STAFF_ROLES,
    payload=ContactEqualityRecorded,
)
def record_on_contact(context: Context, data: ContactEqualityRecordInput) -> ContactEqualityRecorded:
    """Record a contact's resident's equality monitoring answers with their consent, replacing any before."""
    status = characteristics.record_for_contact(
        context.actor,
        parse_id(data.contact_id, "contact"),
        _answers_in(data.answers),
        str(data.consent_given_by),
        str(data.consent_method),
        data.consent_given_on,
    )
    return ContactEqualityRecorded(status=_status(status))


@strawberry.input(description="A contact whose resident withdrew consent to equality monitoring.")
class ContactEqualityRemoveInput:
    contact_id: strawberry.ID = strawberry.field(description="The contact.")


@mutations.add(
    "contactEqualityRemove",
    roles=STAFF_ROLES,
    payload=EqualityConsentWithdrawn,
    result="ContactEqualityRemoveResult",
)
def remove_on_contact(context: Context, data: ContactEqualityRemoveInput) -> EqualityConsentWithdrawn:
    """Delete a contact's resident's equality monitoring answers, because they withdrew consent."""
    deleted = characteristics.remove_for_contact(context.actor, parse_id(data.contact_id, "contact"))
    return EqualityConsentWithdrawn(deleted=deleted)


# The words of this module's refusals.
INVALID.update(
    {
        ("consent", "required"): N_("Tick the box to agree, or leave this page without saving."),
        ("answers", "required"): N_(
            "Answer at least one question (you can choose “Prefer not to say”), or withdraw your consent instead."
        ),
        ("answer", "unsupported"): N_("Choose one of the answers on the list."),
        ("consent_given_by", "unsupported"): N_("Choose who gave consent."),
        ("consent_method", "unsupported"): N_("Choose how consent was given: in writing, spoken or by email."),
        ("consent_given_on", "required"): N_("Give the day consent was given."),
        ("consent_given_on", "in_future"): N_("The day consent was given can't be in the future."),
    }
)
