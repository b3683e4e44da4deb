"""The case view for scrutiny panels: every person a case names is a party, and no canary gets through."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from backend import config
from backend.accounts.models import User
from backend.complaints.case_parties import case_parties, case_rows
from backend.complaints.case_view import LEFT_OUT, SHOWN, redacted_case
from backend.complaints.models import (
    CaseMessage,
    Clock,
    Complaint,
    ComplaintPoint,
    ComplaintResponse,
    ComplaintStage,
    Contact,
    ContactMerge,
    OutstandingAction,
    Remedy,
)
from backend.complaints.redaction import CONTRACTOR, REFERENCE, REPRESENTATIVE, RESIDENT, STAFF_MEMBER
from backend.config import Settings
from backend.db import db
from backend.errors import NotFound
from backend.timeutil import local_date
from tests import factories
from tests.canary import (
    RESIDENT_NAME,
    account_columns,
    case_linked_models,
    narrative_fields,
    seed_canary_case,
    tracer,
    unclassified_char_fields,
)

# ---------------------------------------------------------------- the canary case, seeded once for the module


@dataclass(frozen=True)
class CanaryRun:
    view: dict[str, Any]
    dumped: str
    canaries: list[str]
    seeded_summary: str
    tables: set[str]
    roles_by_column: dict[str, str | None]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def _roles_by_column(complaint: Complaint) -> dict[str, str | None]:
    """For each column naming an account, the role word the parties give that account (None: not a party)."""
    parties = case_parties(complaint)
    roles: dict[str, str | None] = {}
    for model, rows in case_rows(complaint).items():
        for column in account_columns():
            name, field = column.split(".")
            if name != model.__name__:
                continue
            for row in rows:
                user = User.get_or_none(User.id == row.__data__.get(field))
                if user is not None:
                    matching = [party.role for party in parties if user.display_name in party.names]
                    roles[column] = matching[0] if matching else None
    return roles


@pytest.fixture(scope="module")
def canary(app: Any, settings: Settings) -> CanaryRun:
    """Seed the canary case, read its view and what the test needs, then roll it all back."""
    config.set_current(settings)
    db.connect(reuse_if_open=True)
    with db.atomic() as transaction:
        complaint, canaries = seed_canary_case()
        view = redacted_case(complaint.id, "Case 3").as_dict()
        run = CanaryRun(
            view=view,
            dumped=json.dumps(view),
            canaries=canaries,
            seeded_summary=Complaint.get_by_id(complaint.id).summary,
            tables={model.__name__ for model in case_rows(complaint)},
            roles_by_column=_roles_by_column(complaint),
        )
        transaction.rollback()
    return run


def test_canary_seed_holds_every_canary(canary: CanaryRun) -> None:
    # Guards the tests below: a canary missing from what was seeded could never be found leaking.
    assert [word for word in canary.canaries if word.lower() not in canary.seeded_summary.lower()] == []
    assert len(canary.canaries) > 100


def test_canary_seed_reaches_every_table_of_the_case(canary: CanaryRun) -> None:
    assert {model.__name__ for model in case_linked_models()} - canary.tables == set()


def test_canary_seed_knows_every_short_text_column() -> None:
    # A new short text column on a case's rows must be seeded as personal data or known as a code.
    assert unclassified_char_fields() == []


def test_redacted_case_holds_no_canary(canary: CanaryRun) -> None:
    dumped = canary.dumped.lower()
    assert [word for word in canary.canaries if word.lower() in dumped] == []


def test_case_view_shows_or_leaves_out_every_narrative_column() -> None:
    narratives = set(narrative_fields())
    assert SHOWN - narratives == set()
    assert set(LEFT_OUT) - narratives == set()
    assert SHOWN & set(LEFT_OUT) == set()
    assert narratives - SHOWN - set(LEFT_OUT) == set()


@pytest.mark.parametrize("field", narrative_fields())
def test_redacted_case_column_redacted_or_left_out(canary: CanaryRun, field: str) -> None:
    found = [text for text in _strings(canary.view) if tracer(field) in text]
    if field in LEFT_OUT:
        assert found == []
        return
    assert found, f"{field} is in SHOWN but the view does not show it"
    leaks = [word for text in found for word in canary.canaries if word.lower() in text.lower()]
    assert leaks == []


@pytest.mark.parametrize("column", account_columns())
def test_case_parties_name_the_account_in_every_column(canary: CanaryRun, column: str) -> None:
    expected = {"resident": RESIDENT, "user": RESIDENT, "representative_user": REPRESENTATIVE}
    assert canary.roles_by_column[column] == expected.get(column.split(".")[1], STAFF_MEMBER)


# ---------------------------------------------------------------- single behaviours


def _named_staff(name: str, **values: Any) -> User:
    user = factories.make_staff(**values)
    User.update(display_name=name).where(User.id == user.id).execute()
    return User.get_by_id(user.id)


def _response(complaint: Complaint) -> ComplaintResponse:
    return ComplaintResponse.get(ComplaintResponse.complaint == complaint.id)


def test_redacted_case_staff_name_in_response_becomes_staff_member() -> None:
    handler = _named_staff("Tobias Reidford")
    complaint = factories.responded_complaint(handler)
    ComplaintResponse.update(reasons="Tobias Reidford visited; Mr Reidford's notes show it.").where(
        ComplaintResponse.complaint == complaint.id
    ).execute()
    view = redacted_case(complaint.id, "Case 1")
    assert view.responses[0].reasons == f"{STAFF_MEMBER} visited; {STAFF_MEMBER}'s notes show it."


def test_redacted_case_contractor_name_becomes_contractor() -> None:
    contractor = factories.make_contractor("Canaryworks Plumbing Ltd")
    complaint = factories.responded_complaint()
    Complaint.update(contractor=contractor.id).where(Complaint.id == complaint.id).execute()
    ComplaintResponse.update(reasons="Canaryworks Plumbing Ltd's engineer came; Canaryworks never rang.").where(
        ComplaintResponse.complaint == complaint.id
    ).execute()
    view = redacted_case(complaint.id, "Case 1")
    assert view.responses[0].reasons == f"{CONTRACTOR}'s engineer came; {CONTRACTOR} never rang."
    assert view.contractor_named is True


def test_redacted_case_contractor_never_linked_still_becomes_contractor() -> None:
    factories.make_contractor("Gorsewick Roofing Ltd")
    complaint = factories.responded_complaint()
    Remedy.update(description="Gorsewick Roofing will come back.").where(Remedy.complaint == complaint.id).execute()
    assert redacted_case(complaint.id, "Case 1").remedies[0].description == f"{CONTRACTOR} will come back."


def test_redacted_case_staff_only_on_a_remedy_owner_is_a_party() -> None:
    complaint = factories.responded_complaint()
    owner = _named_staff("Philippa Marlcombe")
    Remedy.update(owner=owner.id).where(Remedy.complaint == complaint.id).execute()
    Complaint.update(summary="Philippa chased the repair.").where(Complaint.id == complaint.id).execute()
    assert redacted_case(complaint.id, "Case 1").summary == f"{STAFF_MEMBER} chased the repair."


def test_redacted_case_handlers_manager_is_a_party() -> None:
    manager = _named_staff("Cosimo Larchstead")
    handler = factories.make_staff(manager=manager)
    complaint = factories.responded_complaint(handler)
    Complaint.update(summary="Passed to Cosimo Larchstead to sign off.").where(Complaint.id == complaint.id).execute()
    assert redacted_case(complaint.id, "Case 1").summary == f"Passed to {STAFF_MEMBER} to sign off."


def test_redacted_case_resident_writing_a_message_keeps_resident_role() -> None:
    complaint = factories.responded_complaint()
    resident = User.get_by_id(complaint.resident_id)  # type: ignore[attr-defined]
    CaseMessage.update(created_by=resident.id).where(CaseMessage.complaint == complaint.id).execute()
    roles = [party.role for party in case_parties(complaint) if resident.display_name in party.names]
    assert roles == [RESIDENT]


def test_redacted_case_message_redacts_body_not_stored_copy() -> None:
    complaint = factories.responded_complaint()
    owner = _named_staff("Leopold Sedgewright")
    Remedy.update(owner=owner.id).where(Remedy.complaint == complaint.id).execute()
    CaseMessage.update(body="Leopold Sedgewright will call.", body_redacted="Leopold Sedgewright will call.").where(
        CaseMessage.complaint == complaint.id
    ).execute()
    bodies = {message.body for message in redacted_case(complaint.id, "Case 1").messages}
    assert bodies == {f"{STAFF_MEMBER} will call."}


def test_redacted_case_references_become_reference() -> None:
    complaint = factories.responded_complaint()
    Complaint.update(summary=f"See {complaint.reference} and LL-2024-000001.").where(
        Complaint.id == complaint.id
    ).execute()
    view = redacted_case(complaint.id, "Case 7")
    assert view.summary == f"See {REFERENCE} and {REFERENCE}."
    assert complaint.reference not in json.dumps(view.as_dict())
    assert view.label == "Case 7"


def test_redacted_case_facts_of_the_journey() -> None:
    complaint = factories.responded_complaint()
    ComplaintStage.update(extended_days=5, extension_reason="Waiting for a survey.").where(
        ComplaintStage.complaint == complaint.id
    ).execute()
    contact = Contact.get_by_id(complaint.contact_id)  # type: ignore[attr-defined]
    view = redacted_case(complaint.id, "Case 1")
    assert (view.nation, view.channel, view.kind, view.status) == ("england", contact.channel, "complaint", "responded")
    assert view.extended is True
    assert view.stages[0].extended_days == 5
    assert view.stages[0].respond_working_days is not None
    assert [point.decisions[0].decision for point in view.points] == ["upheld"]
    assert sorted(remedy.kind for remedy in view.remedies) == ["apology"]
    point_count = ComplaintPoint.select().where(ComplaintPoint.complaint == complaint.id).count()
    assert len(view.points) == point_count


def test_redacted_case_dates_reduced_to_days_and_flags() -> None:
    complaint = factories.responded_complaint()
    noon = dt.datetime(2026, 3, 2, 12, 0)
    Complaint.update(
        closed_at=noon, mediation_offered_at=noon, refused_at=noon, withdrawn_at=noon, ombudsman_referred_at=noon
    ).where(Complaint.id == complaint.id).execute()
    Remedy.update(completed_at=noon).where(Remedy.complaint == complaint.id).execute()
    OutstandingAction.update(completed_at=noon).where(OutstandingAction.complaint == complaint.id).execute()
    ComplaintStage.update(extension_authorised_at=noon).where(ComplaintStage.complaint == complaint.id).execute()
    Clock.update(breached=True).where(Clock.complaint == complaint.id).execute()
    Contact.update(representative_kind="councillor").where(Contact.id == complaint.contact_id).execute()  # type: ignore[attr-defined]
    merged = factories.make_contact(User.get_by_id(complaint.resident_id))  # type: ignore[attr-defined]
    ContactMerge.create(contact=merged.id, complaint=complaint.id, reason="The same leak, again.")
    view = redacted_case(complaint.id, "Case 1")
    day = dt.date(2026, 3, 2)
    dates = (view.closed_on, view.mediation_offered_on, view.refused_on, view.withdrawn_on, view.ombudsman_referred_on)
    assert dates == (day, day, day, day, day)
    assert (view.remedies[0].completed_on, view.actions[0].completed_on) == (day, day)
    stage = view.stages[0]
    assert (stage.acknowledged_on, stage.acknowledge_working_days) == (view.responses[0].issued_on, 0)
    assert (stage.acknowledge_breached, stage.respond_breached, stage.extension_authorised) == (True, True, True)
    assert (view.represented, view.representative_kind, view.stages_reached) == (True, "councillor", 1)
    assert view.received_on <= view.opened_on
    assert [(c.received_on, c.merge_reason) for c in view.further_contacts] == [
        (local_date(merged.received_at), "The same leak, again.")
    ]


def test_redacted_case_as_dict_is_json_with_days() -> None:
    data = redacted_case(factories.responded_complaint().id, "Case 1").as_dict()
    assert json.loads(json.dumps(data)) == data
    assert dt.date.fromisoformat(data["stages"][0]["opened_on"])
    assert isinstance(data["points"], list)


def test_redacted_case_unknown_complaint_raises_not_found() -> None:
    with pytest.raises(NotFound):
        redacted_case(0, "Case 1")


def test_redacted_case_resident_name_in_description_becomes_resident() -> None:
    resident = factories.make_user(home=factories.make_home())
    User.update(display_name=RESIDENT_NAME).where(User.id == resident.id).execute()
    complaint = factories.make_complaint(User.get_by_id(resident.id))
    Contact.update(description=f"I am {RESIDENT_NAME}, born 03/04/1961.").where(
        Contact.id == complaint.contact_id  # type: ignore[attr-defined]
    ).execute()
    assert redacted_case(complaint.id, "Case 1").description == f"I am {RESIDENT}, born [date of birth]."
