"""Every other step of the journey, and the complaint settings, through real GraphQL text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from backend.complaints.models import (
    ClosureDay,
    Complaint,
    Contact,
    ContactMerge,
    OutstandingAction,
    Regime,
    RegimeStage,
    Remedy,
)
from tests import factories

TEMPLATE = """
mutation ($input: %(type)s!) {
  %(name)s(input: $input) {
    __typename
    ... on ValidationError { field code message }
    ... on ConflictError { code message }
    ... on NotAllowedError { message }
    ... on NotFoundError { message }
  }
}
"""


def call(browser: Any, name: str, input_type: str, values: dict[str, Any]) -> dict[str, Any]:
    body = browser.graphql(TEMPLATE % {"name": name, "type": input_type}, {"input": values}).get_json()
    assert "errors" not in body, body
    return body["data"][name]


def complaint_in(status: str) -> Complaint:
    return {
        "received": factories.make_complaint,
        "open": factories.acknowledged_complaint,
        "responded": factories.responded_complaint,
    }[status]()


Step = tuple[str, str, str, Callable[[Complaint], dict[str, Any]], str, Callable[[Complaint], bool]]
STEPS: list[Step] = [
    (
        "complaintOfferMediation",
        "ComplaintNoteInput",
        "open",
        lambda c: {"id": str(c.id), "note": "Offered a meeting with the repairs manager."},
        "ComplaintMediationOffered",
        lambda c: c.mediation_offered_at is not None,
    ),
    (
        "complaintRefuse",
        "ComplaintRefuseInput",
        "received",
        lambda c: {
            "id": str(c.id),
            "ground": "over_twelve_months",
            "reasons": "It happened in 2023.",
            "ombudsmanDetailsGiven": True,
        },
        "ComplaintRefused",
        lambda c: c.status == "refused",
    ),
    (
        "complaintRefuse",
        "ComplaintRefuseInput",
        "received",
        # A ground of another procedure: the Code has no six-month ground.
        lambda c: {"id": str(c.id), "ground": "over_six_months", "reasons": "Late.", "ombudsmanDetailsGiven": True},
        "ValidationError",
        lambda c: c.status == "received",
    ),
    (
        "complaintWithdraw",
        "ComplaintReasonInput",
        "open",
        lambda c: {"id": str(c.id), "reason": "Sorted out on the phone."},
        "ComplaintWithdrawn",
        lambda c: c.status == "withdrawn",
    ),
    (
        "complaintClose",
        "ComplaintCloseInput",
        "responded",
        lambda c: {"id": str(c.id), "underlyingCause": "No cover rota", "remedialAction": "A cover rota"},
        "ComplaintClosed",
        lambda c: c.status == "closed" and c.underlying_cause == "No cover rota",
    ),
    (
        "complaintClose",
        "ComplaintCloseInput",
        "open",
        lambda c: {"id": str(c.id), "underlyingCause": "x", "remedialAction": "y"},
        "ConflictError",
        lambda c: c.status == "open",
    ),
    (
        "complaintReferToOmbudsman",
        "ComplaintReferInput",
        "responded",
        lambda c: {"id": str(c.id), "reference": "202600123"},
        "ComplaintReferred",
        lambda c: c.ombudsman_reference == "202600123",
    ),
    (
        "complaintRecordDetermination",
        "ComplaintDeterminationInput",
        "responded",
        lambda c: {"id": str(c.id), "determination": "service_failure"},
        "ConflictError",
        lambda c: c.ombudsman_determination is None,
    ),
    (
        "complaintSendUpdate",
        "ComplaintMessageInput",
        "responded",
        lambda c: {"id": str(c.id), "body": "The new fan is fitted on Friday."},
        "ComplaintUpdateSent",
        lambda c: any(m.kind == "update" for m in c.messages),
    ),
    (
        "complaintAddInformation",
        "ComplaintMessageInput",
        "open",
        lambda c: {"id": str(c.id), "body": "More from the resident, by phone."},
        "ComplaintInformationAdded",
        lambda c: any(m.kind == "more_information" for m in c.messages),
    ),
    (
        "complaintEscalate",
        "ComplaintEscalateInput",
        "open",
        lambda c: {"id": str(c.id)},
        "ConflictError",
        lambda c: c.stage == 1,
    ),
]


@pytest.mark.parametrize(
    ("name", "input_type", "status", "values", "expected", "check"),
    STEPS,
    ids=[f"{step[0]}-{step[4]}" for step in STEPS],
)
def test_staff_step_through_graphql(
    browser,
    signed_in,
    name,
    input_type,
    status,
    values,
    expected,
    check,
) -> None:
    complaint = complaint_in(status)
    signed_in("staff")
    result = call(browser, name, input_type, values(complaint))
    assert result["__typename"] == expected, result
    assert check(Complaint.get_by_id(complaint.id))


def test_assign_a_handler_through_graphql(browser, signed_in) -> None:
    complaint = factories.make_complaint()
    handler = factories.make_staff(team="Lettings team")
    signed_in("staff")
    result = call(
        browser, "complaintAssign", "ComplaintAssignInput", {"id": str(complaint.id), "handlerId": str(handler.id)}
    )
    assert result["__typename"] == "ComplaintAssigned"
    assert Complaint.get_by_id(complaint.id).team == "Lettings team"
    resident = factories.make_user()
    refused = call(
        browser, "complaintAssign", "ComplaintAssignInput", {"id": str(complaint.id), "handlerId": str(resident.id)}
    )
    assert (refused["__typename"], refused["field"]) == ("ValidationError", "handlerId")


def test_remedy_and_action_completed_through_graphql(browser, signed_in) -> None:
    complaint = factories.responded_complaint()
    remedy, action = complaint.remedies.get(), complaint.actions.get()
    signed_in("staff")
    assert call(browser, "remedyComplete", "CaseIdInput", {"id": str(remedy.id)})["__typename"] == "RemedyCompleted"
    done = call(browser, "complaintActionComplete", "ActionCompleteInput", {"id": str(action.id), "note": "Fitted."})
    assert done["__typename"] == "ComplaintActionCompleted"
    assert Remedy.get_by_id(remedy.id).completed_at and OutstandingAction.get_by_id(action.id).completed_at
    again = call(browser, "remedyComplete", "CaseIdInput", {"id": str(remedy.id)})
    assert (again["__typename"], again["code"]) == ("ConflictError", "already_complete")


def test_contact_steps_through_graphql(browser, signed_in) -> None:
    complaint = factories.make_complaint()
    repeat = factories.make_contact(complaint.resident, description="Phoning again about it.")
    request = factories.make_contact()
    signed_in("staff")
    offered = call(browser, "contactOfferComplaint", "CaseIdInput", {"id": str(request.id)})
    assert offered["__typename"] == "ContactComplaintOffered"
    classified = call(
        browser,
        "contactClassify",
        "ContactClassifyInput",
        {"id": str(request.id), "kind": "service_request", "reason": "Asks for a repair."},
    )
    assert classified["__typename"] == "ContactClassified"
    closed = call(browser, "contactClose", "CaseIdInput", {"id": str(request.id)})
    assert closed["__typename"] == "ContactClosed"
    merged = call(
        browser,
        "contactMerge",
        "ContactMergeInput",
        {"id": str(repeat.id), "complaintId": str(complaint.id), "reason": "Same leak."},
    )
    assert merged["__typename"] == "ContactMerged"
    assert ContactMerge.get().complaint_id == complaint.id
    assert Contact.get_by_id(request.id).status == "closed"


def test_admin_changes_a_stage_and_adds_a_closure_day(browser, signed_in) -> None:
    stage = RegimeStage.get(RegimeStage.regime == Regime.get(Regime.code == "hoc").id, RegimeStage.number == 1)
    signed_in("admin")
    changed = call(browser, "regimeStageUpdate", "RegimeStageUpdateInput", {"id": str(stage.id), "respondDays": 8})
    assert changed["__typename"] == "RegimeStageUpdated"
    assert RegimeStage.get_by_id(stage.id).respond_days == 8
    bad = call(browser, "regimeStageUpdate", "RegimeStageUpdateInput", {"id": str(stage.id), "respondDays": 0})
    assert (bad["__typename"], bad["code"]) == ("ValidationError", "out_of_range")
    added = call(browser, "closureDayCreate", "ClosureDayCreateInput", {"day": "2030-12-27", "name": "Office closed"})
    assert added["__typename"] == "ClosureDayCreated"
    assert ClosureDay.get().day == dt.date(2030, 12, 27)


def test_staff_cannot_change_the_regime(browser, signed_in) -> None:
    stage = RegimeStage.select().first()
    signed_in("staff")
    body = browser.graphql(
        TEMPLATE % {"name": "regimeStageUpdate", "type": "RegimeStageUpdateInput"},
        {"input": {"id": str(stage.id), "respondDays": 30}},
    ).get_json()
    assert "errors" in body
    assert RegimeStage.get_by_id(stage.id).respond_days != 30


def test_regime_stages_cannot_be_created_through_the_api(browser, signed_in) -> None:
    signed_in("admin")
    body = browser.graphql("mutation { regimeStageCreate(input: {}) { __typename } }").get_json()
    assert "errors" in body
