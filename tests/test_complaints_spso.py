"""The SPSO's own steps: straight to investigation with the entry route recorded, a final response signed off by a
manager before it is issued, and an overall outcome on every response."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.complaints import approval, investigation, journey, responses, signoff
from backend.complaints.models import (
    CaseMessage,
    Clock,
    Complaint,
    ComplaintPoint,
    ComplaintResponse,
    ComplaintStage,
    ResponseDraft,
)
from backend.errors import Conflict, Invalid, NotAllowed
from backend.events.models import OutboxEvent
from tests import factories
from tests.factories import actor_of

MUTATION = """
mutation ($input: %(type)s!) {
  %(name)s(input: $input) {
    __typename%(extra)s
    ... on ValidationError { field code message }
    ... on ConflictError { code message }
    ... on NotAllowedError { message }
  }
}
"""


def resident_in(nation: str) -> Any:
    return factories.make_user(home=factories.make_home(nation=nation))


def call(browser: Any, name: str, input_type: str, values: dict[str, Any]) -> dict[str, Any]:
    extra = (
        "\n    ... on ComplaintResponded { awaitingSignOff complaint { status } }" if name == "complaintRespond" else ""
    )
    query = MUTATION % {"name": name, "type": input_type, "extra": extra}
    body = browser.graphql(query, {"input": values}).get_json()
    assert "errors" not in body, body
    return body["data"][name]


def scottish_complaint(received: dt.datetime | None = None) -> Complaint:
    return factories.make_complaint(resident_in("scotland"), received_at=received)


def stage(complaint: Any, number: int) -> ComplaintStage | None:
    return ComplaintStage.get_or_none(ComplaintStage.complaint == complaint.id, ComplaintStage.number == number)


def events(name: str) -> list[OutboxEvent]:
    return list(OutboxEvent.select().where(OutboxEvent.name == name).order_by(OutboxEvent.id))


def at_investigation(handler: Any) -> Complaint:
    """A Scottish complaint opened straight at stage 2 and acknowledged (defined) by ``handler``."""
    complaint = scottish_complaint()
    investigation.start_investigation(actor_of(factories.make_staff()), complaint.id, "Complex: three services.")
    return journey.acknowledge_complaint(actor_of(handler), complaint.id, [("Damp", "Fix it")], "A repair")


def answer(actor: Any, complaint: Any, decision: str = "not_upheld", **extra: Any) -> Any:
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id, ComplaintPoint.stage == complaint.stage)
    return responses.respond_to_complaint(
        actor,
        complaint.id,
        {point.id: (decision, "We checked the records.")},
        "Our reasons.",
        "You can ask the SPSO.",
        [responses.RemedyInput("apology", "We apologise.", dt.date(2030, 1, 10), owner_id=actor.user_id)]
        if decision in ("upheld", "partly_upheld")
        else [],
        underlying_cause="A missed inspection.",
        remedial_action="Inspections are booked centrally.",
        **extra,
    )


# --- Straight to investigation -------------------------------------------------------------------------------


def test_start_investigation_on_a_new_scottish_complaint_opens_stage_two_directly(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    complaint = scottish_complaint()
    clock_at(dt.datetime(2026, 3, 3, 10))
    moved = investigation.start_investigation(actor_of(factories.make_staff()), complaint.id, "Complex case.")
    assert (moved.stage, moved.status) == (2, "received")
    assert stage(moved, 1) is None
    second = stage(moved, 2)
    assert (second.entry_route, second.entry_reason) == ("direct", "Complex case.")
    # Its clocks count from when the complaint was received: acknowledge in 3, respond in 20 working days.
    clocks = {c.kind: c.due_on for c in Clock.select().where(Clock.complaint == complaint.id)}
    assert clocks == {"acknowledge": dt.date(2026, 3, 5), "respond": dt.date(2026, 3, 30)}
    assert events("complaint.investigation_started")[-1].payload["route"] == "direct"
    assert AuditEvent.get(AuditEvent.action == "complaint.stage_entered").changes["entry_route"]["after"] == "direct"


def test_start_investigation_after_frontline_work_is_escalated_and_keeps_stage_one() -> None:
    handler = factories.make_staff()
    complaint = journey.acknowledge_complaint(
        actor_of(handler), scottish_complaint().id, [("Noise", "Stop it")], "Quiet"
    )
    moved = investigation.start_investigation(actor_of(handler), complaint.id, "Could not resolve at frontline.")
    assert stage(moved, 2).entry_route == "escalated"
    assert stage(moved, 1).responded_at is None
    frontline = Clock.get(Clock.complaint == complaint.id, Clock.stage == 1, Clock.kind == "respond")
    assert frontline.status == "stopped"
    assert moved.handler_id is None


def test_a_missed_frontline_deadline_stays_on_record(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    complaint = scottish_complaint()
    clock_at(dt.datetime(2026, 3, 20, 10))
    moved = investigation.start_investigation(actor_of(factories.make_staff()), complaint.id, "Complex.")
    assert stage(moved, 2).entry_route == "escalated"
    assert Clock.get(Clock.complaint == complaint.id, Clock.stage == 1).breached is True


def test_start_investigation_is_refused_where_the_procedure_has_no_direct_route() -> None:
    complaint = factories.make_complaint(resident_in("england"))
    with pytest.raises(Conflict) as caught:
        investigation.start_investigation(actor_of(factories.make_staff()), complaint.id, "Complex.")
    assert caught.value.code == "not_in_procedure"
    assert Complaint.get_by_id(complaint.id).stage == 1


def test_start_investigation_is_refused_once_frontline_answered() -> None:
    complaint = factories.responded_complaint(resident=resident_in("scotland"))
    with pytest.raises(Conflict) as caught:
        investigation.start_investigation(actor_of(factories.make_staff()), complaint.id, "Complex.")
    assert caught.value.code == "not_frontline"


def test_start_investigation_needs_a_reason_and_changes_nothing_without_one() -> None:
    complaint = scottish_complaint()
    with pytest.raises(Invalid) as caught:
        investigation.start_investigation(actor_of(factories.make_staff()), complaint.id, "  ")
    assert (caught.value.field, caught.value.code) == ("reason", "required")
    assert stage(complaint, 1) is not None and stage(complaint, 2) is None


def test_resident_cannot_start_an_investigation() -> None:
    resident = resident_in("scotland")
    complaint = factories.make_complaint(resident)
    with pytest.raises(NotAllowed):
        investigation.start_investigation(actor_of(resident), complaint.id, "Please.")


def test_resident_escalation_records_the_escalated_route() -> None:
    complaint = factories.responded_complaint(resident=resident_in("scotland"))
    resident = complaint.resident
    escalated = journey.escalate_complaint(actor_of(resident), complaint.id)
    assert stage(escalated, 2).entry_route == "escalated"


# --- A final response signed off by a manager ------------------------------------------------------------------


def test_handler_final_response_waits_for_sign_off_and_sends_nothing() -> None:
    handler = factories.make_staff()
    complaint = at_investigation(handler)
    held = answer(actor_of(handler), complaint)
    assert isinstance(held, ResponseDraft) and held.status == "awaiting"
    fresh = Complaint.get_by_id(complaint.id)
    assert fresh.status == "open"
    assert not ComplaintResponse.select().where(ComplaintResponse.complaint == complaint.id).exists()
    assert (
        not CaseMessage.select().where(CaseMessage.complaint == complaint.id, CaseMessage.kind == "response").exists()
    )
    assert events("complaint.responded") == []
    assert AuditEvent.get(AuditEvent.action == "complaint.response_submitted").entity_id == str(held.id)


def test_sign_off_requested_tells_the_handlers_manager() -> None:
    manager = factories.make_user("manager")
    handler = factories.make_staff(manager=manager)
    complaint = at_investigation(handler)
    answer(actor_of(handler), complaint)
    assert [e.payload["recipient_id"] for e in events("complaint.sign_off_requested")] == [manager.id]


def test_manager_sign_off_issues_the_response_as_written() -> None:
    handler, manager = factories.make_staff(), factories.make_user("manager")
    complaint = at_investigation(handler)
    answer(actor_of(handler), complaint, decision="partly_upheld")
    response = approval.sign_off_response(actor_of(manager), complaint.id)
    assert (response.signed_off_by_id, response.outcome) == (manager.id, "partly_upheld")
    assert response.signed_off_at is not None and response.reasons == "Our reasons."
    assert Complaint.get_by_id(complaint.id).status == "closed"
    assert ResponseDraft.get(ResponseDraft.complaint == complaint.id).status == "signed_off"
    assert len(events("complaint.responded")) == 1


def test_the_author_cannot_sign_off_their_own_response() -> None:
    manager = factories.make_user("manager")
    complaint = at_investigation(manager)
    answer(actor_of(manager), complaint)  # a manager who handles it waits for another manager
    with pytest.raises(Conflict) as caught:
        approval.sign_off_response(actor_of(manager), complaint.id)
    assert caught.value.code == "own_response"


def test_staff_cannot_sign_off() -> None:
    handler = factories.make_staff()
    complaint = at_investigation(handler)
    answer(actor_of(handler), complaint)
    with pytest.raises(NotAllowed):
        approval.sign_off_response(actor_of(factories.make_staff()), complaint.id)


def test_respond_is_refused_while_a_response_awaits_sign_off() -> None:
    handler = factories.make_staff()
    complaint = at_investigation(handler)
    answer(actor_of(handler), complaint)
    with pytest.raises(Conflict) as caught:
        answer(actor_of(handler), complaint)
    assert caught.value.code == "awaiting_sign_off"


def test_returned_response_goes_back_to_the_handler_with_reasons() -> None:
    handler, manager = factories.make_staff(), factories.make_user("manager")
    complaint = at_investigation(handler)
    answer(actor_of(handler), complaint)
    with pytest.raises(Invalid):
        approval.return_response(actor_of(manager), complaint.id, "")
    draft = approval.return_response(actor_of(manager), complaint.id, "Say what the inspection found.")
    assert (draft.status, draft.return_reason) == ("returned", "Say what the inspection found.")
    assert events("complaint.response_returned")[-1].payload["recipient_id"] == handler.id
    # The handler answers again, and it waits again.
    assert isinstance(answer(actor_of(handler), complaint), ResponseDraft)


def test_manager_responding_directly_signs_it_off() -> None:
    handler, manager = factories.make_staff(), factories.make_user("manager")
    complaint = at_investigation(handler)
    response = answer(actor_of(manager), complaint)
    assert isinstance(response, ComplaintResponse) and response.signed_off_by_id == manager.id


def test_non_final_and_non_spso_responses_need_no_sign_off() -> None:
    complaint = factories.responded_complaint(resident=resident_in("scotland"))
    response = ComplaintResponse.get(ComplaintResponse.complaint == complaint.id)
    assert (response.signed_off_by_id, response.outcome) == (None, "upheld")


# --- The overall outcome ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decisions", "outcome"),
    [
        (["upheld"], "upheld"),
        (["upheld", "not_upheld"], "partly_upheld"),
        (["partly_upheld"], "partly_upheld"),
        (["not_upheld", "resolved"], "not_upheld"),
        (["resolved"], "resolved"),
        ([], None),
    ],
)
def test_outcome_of_decisions(decisions: list[str], outcome: str | None) -> None:
    assert signoff.outcome_of(decisions) == outcome


def test_an_outcome_given_is_kept() -> None:
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    response = answer(actor_of(handler), complaint, outcome="resolved")
    assert response.outcome == "resolved"


def test_an_unknown_outcome_is_refused_with_every_other_problem() -> None:
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    with pytest.raises(Invalid) as caught:
        responses.respond_to_complaint(actor_of(handler), complaint.id, {}, "", "", outcome="maybe")
    fields = {problem.field for problem in caught.value.problems}
    assert {"outcome", "response"} <= fields
    assert not ComplaintResponse.select().where(ComplaintResponse.complaint == complaint.id).exists()


# --- Through the API -------------------------------------------------------------------------------------------


def test_investigate_sign_off_through_graphql(browser: Any, signed_in: Any) -> None:
    handler = signed_in("staff")
    complaint = scottish_complaint()
    moved = call(
        browser, "complaintInvestigate", "ComplaintInvestigateInput", {"id": str(complaint.id), "reason": "Complex."}
    )
    assert moved["__typename"] == "ComplaintInvestigated"
    journey.acknowledge_complaint(actor_of(handler), complaint.id, [("Damp", "Fix it")], "A repair")
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    values = {
        "id": str(complaint.id),
        "decisions": [{"pointId": str(point.id), "decision": "not_upheld", "reasons": "Checked."}],
        "reasons": "Our reasons.",
        "nextSteps": "The SPSO.",
        "underlyingCause": "Cause.",
        "remedialAction": "Action.",
    }
    held = call(browser, "complaintRespond", "ComplaintRespondInput", values)
    assert (held["__typename"], held["awaitingSignOff"], held["complaint"]["status"]) == (
        "ComplaintResponded",
        True,
        "open",
    )
    # Staff's schema has no sign-off at all: it is for managers and admins.
    query = MUTATION % {"name": "complaintResponseSignOff", "type": "ComplaintSignOffInput", "extra": ""}
    assert "errors" in browser.graphql(query, {"input": {"id": str(complaint.id)}}).get_json()
    browser.sign_out()
    signed_in("manager")
    done = call(browser, "complaintResponseSignOff", "ComplaintSignOffInput", {"id": str(complaint.id)})
    assert done["__typename"] == "ComplaintResponseSignedOff"
    assert ComplaintResponse.get(ComplaintResponse.complaint == complaint.id).outcome == "not_upheld"


# --- The console pages -----------------------------------------------------------------------------------------


def test_console_case_page_links_to_investigation_only_where_the_procedure_allows(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    scottish, english = scottish_complaint(), factories.make_complaint(resident_in("england"))
    assert "/investigation" in browser.client.get(f"/console/complaints/{scottish.id}").get_data(as_text=True)
    assert "/investigation" not in browser.client.get(f"/console/complaints/{english.id}").get_data(as_text=True)


def test_console_investigation_page_moves_the_complaint_and_refuses_without_a_reason(
    browser: Any, signed_in: Any
) -> None:
    signed_in("staff")
    complaint = scottish_complaint()
    url = f"/console/complaints/{complaint.id}/investigation"
    page = browser.client.get(url).get_data(as_text=True)
    assert "opens straight at stage 2 (direct)" in page
    refused = browser.submit(url, {"reason": ""})
    assert refused.status_code == 400 and "Give the reason." in refused.get_data(as_text=True)
    assert Complaint.get_by_id(complaint.id).stage == 1
    done = browser.submit(url, {"reason": "Three services involved.", "confirmed": "1"})
    assert done.status_code == 302
    assert stage(complaint, 2).entry_route == "direct"
    audit = AuditEvent.get(AuditEvent.action == "complaint.investigation_started")
    assert audit.changes["stage"] == {"before": 1, "after": 2}


@pytest.mark.parametrize("reason", ["\u200b\u200b", "\u2060 \ufeff", "\u200c\u200d"])
def test_console_investigation_reason_of_invisible_characters_is_refused_before_confirming(
    browser: Any, signed_in: Any, reason: str
) -> None:
    signed_in("staff")
    complaint = scottish_complaint()
    refused = browser.submit(f"/console/complaints/{complaint.id}/investigation", {"reason": reason})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Give the reason." in page and "Check before you go on" not in page
    assert Complaint.get_by_id(complaint.id).stage == 1


def test_console_investigation_asks_again_with_what_will_happen_and_moves_nothing(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    complaint = scottish_complaint()
    url = f"/console/complaints/{complaint.id}/investigation"
    asked = browser.submit(url, {"reason": "Three services involved."})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "Check before you go on" in page and "This can't be undone." in page
    assert "opens straight at stage 2 (direct) and has no frontline stage" in page
    assert 'name="confirmed"' in page and 'value="Three services involved."' in page
    assert (Complaint.get_by_id(complaint.id).stage, stage(complaint, 2)) == (1, None)


def test_console_investigation_confirmation_of_a_started_frontline_says_it_is_escalated(
    browser: Any, signed_in: Any
) -> None:
    handler = factories.make_staff()
    complaint = journey.acknowledge_complaint(
        actor_of(handler), scottish_complaint().id, [("Noise", "Stop it")], "Quiet"
    )
    signed_in("staff")
    url = f"/console/complaints/{complaint.id}/investigation"
    page = browser.submit(url, {"reason": "Could not resolve it."}).get_data(as_text=True)
    assert "moves from the frontline stage to stage 2 (escalated)" in page
    assert Complaint.get_by_id(complaint.id).stage == 1


def test_console_investigation_change_goes_back_to_the_form_as_written(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    complaint = scottish_complaint()
    url = f"/console/complaints/{complaint.id}/investigation"
    back = browser.submit(url, {"reason": "Three services involved.", "change": "1"})
    page = back.get_data(as_text=True)
    assert back.status_code == 200
    assert "Check before you go on" not in page and "Three services involved.</textarea>" in page
    assert Complaint.get_by_id(complaint.id).stage == 1


def test_console_sign_off_page_needs_confirmation_then_issues(browser: Any, signed_in: Any) -> None:
    handler = factories.make_staff()
    complaint = at_investigation(handler)
    answer(actor_of(handler), complaint)
    signed_in("manager")
    url = f"/console/complaints/{complaint.id}/sign-off"
    assert "/sign-off" in browser.client.get(f"/console/complaints/{complaint.id}").get_data(as_text=True)
    page = browser.client.get(url).get_data(as_text=True)
    assert "Our reasons." in page and "We checked the records." in page and "Not upheld" in page
    unconfirmed = browser.submit(url, {"action": "sign"})
    assert unconfirmed.status_code == 400
    assert not ComplaintResponse.select().where(ComplaintResponse.complaint == complaint.id).exists()
    done = browser.submit(url, {"action": "sign", "sign-confirm": "y"})
    assert done.status_code == 302
    assert Complaint.get_by_id(complaint.id).status == "closed"


def test_console_return_needs_reasons(browser: Any, signed_in: Any) -> None:
    handler = factories.make_staff()
    complaint = at_investigation(handler)
    answer(actor_of(handler), complaint)
    signed_in("manager")
    url = f"/console/complaints/{complaint.id}/sign-off"
    refused = browser.submit(url, {"action": "return", "return-reason": ""})
    assert refused.status_code == 400 and "Say what the handler should change." in refused.get_data(as_text=True)
    done = browser.submit(url, {"action": "return", "return-reason": "Add the inspection date."})
    assert done.status_code == 302
    assert ResponseDraft.get(ResponseDraft.complaint == complaint.id).status == "returned"


def test_console_handler_is_told_their_final_response_waits(browser: Any, signed_in: Any) -> None:
    handler = signed_in("staff")
    complaint = at_investigation(handler)
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    data = {
        "respond-reasons": "Our reasons.",
        "respond-next_steps": "The SPSO.",
        "respond-underlying_cause": "Cause.",
        "respond-remedial_action": "Action.",
        f"respond-decision_{point.id}": "not_upheld",
        f"respond-decision_reasons_{point.id}": "Checked.",
    }
    done = browser.submit(
        f"/console/complaints/{complaint.id}/respond", data, page=f"/console/complaints/{complaint.id}"
    )
    page = browser.client.get(f"/console/complaints/{complaint.id}").get_data(as_text=True)
    assert done.status_code == 302, done.get_data(as_text=True)[:3000]
    assert "waiting for a manager&#39;s sign-off" in page or "waiting for a manager's sign-off" in page
    assert ResponseDraft.get(ResponseDraft.complaint == complaint.id).status == "awaiting"


def test_the_codes_stored_are_the_ones_documented() -> None:
    from backend.complaints.models import ContactReviewKind, ContactReviewOutcome, EntryRoute, SignOffStatus

    assert (EntryRoute.DIRECT, EntryRoute.ESCALATED) == ("direct", "escalated")
    assert (SignOffStatus.AWAITING, SignOffStatus.SIGNED_OFF, SignOffStatus.RETURNED) == (
        "awaiting",
        "signed_off",
        "returned",
    )
    assert (ContactReviewKind.SERVICE_REQUEST, ContactReviewKind.COMPLAINT_OFFER) == (
        "service_request",
        "complaint_offer",
    )
    assert {ContactReviewOutcome.RESOLVED, ContactReviewOutcome.STILL_OPEN, ContactReviewOutcome.BECAME_COMPLAINT} == {
        "resolved",
        "still_open",
        "became_complaint",
    }
    assert {
        ContactReviewOutcome.NO_DISSATISFACTION,
        ContactReviewOutcome.OFFER_MADE,
        ContactReviewOutcome.OFFER_MISSED,
    } == {
        "no_dissatisfaction",
        "offer_made",
        "offer_missed",
    }


def test_a_signed_off_draft_records_who_wrote_and_who_decided() -> None:
    handler, manager = factories.make_staff(), factories.make_user("manager")
    complaint = at_investigation(handler)
    answer(actor_of(handler), complaint)
    approval.sign_off_response(actor_of(manager), complaint.id)
    draft = ResponseDraft.get(ResponseDraft.complaint == complaint.id)
    assert (draft.submitted_by.id, draft.decided_by.id) == (handler.id, manager.id)
    assert draft.decided_at is not None


# --- Who may not sign off, and what they are told ---------------------------------------------------------------


def answered_after_frontline(frontline: Any, investigator: Any) -> Complaint:
    """A Scottish complaint ``frontline`` acknowledged at stage 1 and moved to investigation, where
    ``investigator`` handles it and answers it; the answer waits for sign-off."""
    complaint = journey.acknowledge_complaint(
        actor_of(frontline), scottish_complaint().id, [("Noise", "Stop it")], "Quiet"
    )
    investigation.start_investigation(actor_of(frontline), complaint.id, "Could not resolve it at the frontline.")
    journey.assign_complaint(actor_of(factories.make_user("manager")), complaint.id, investigator.id)
    complaint = journey.acknowledge_complaint(actor_of(investigator), complaint.id, [("Noise", "Stop it")], "Quiet")
    assert isinstance(answer(actor_of(investigator), complaint), ResponseDraft)
    return complaint


@pytest.mark.parametrize(
    "decide", [approval.sign_off_response, lambda actor, cid: approval.return_response(actor, cid, "No.")]
)
def test_an_earlier_stage_handler_cannot_decide_the_final_response(decide: Any) -> None:
    frontline = factories.make_user("manager")
    complaint = answered_after_frontline(frontline, factories.make_staff())
    with pytest.raises(Conflict) as caught:
        decide(actor_of(frontline), complaint.id)
    assert caught.value.code == "earlier_handler"
    assert ResponseDraft.get(ResponseDraft.complaint == complaint.id).status == "awaiting"


def test_sign_off_mutation_by_an_earlier_handler_says_why_not_the_stage_handler_rule(
    browser: Any, signed_in: Any
) -> None:
    from schema.error_texts import CONFLICT

    frontline = signed_in("manager")
    complaint = answered_after_frontline(frontline, factories.make_staff())
    refused = call(browser, "complaintResponseSignOff", "ComplaintSignOffInput", {"id": str(complaint.id)})
    assert (refused["__typename"], refused["code"]) == ("ConflictError", "earlier_handler")
    assert refused["message"] == CONFLICT["earlier_handler"] != CONFLICT["same_handler"]
    assert not ComplaintResponse.select().where(ComplaintResponse.complaint == complaint.id).exists()


def test_console_sign_off_page_offers_no_buttons_to_the_author_and_says_why(browser: Any, signed_in: Any) -> None:
    author = signed_in("manager")
    complaint = at_investigation(author)
    answer(actor_of(author), complaint)  # a manager who handles it waits for another manager
    page = browser.client.get(f"/console/complaints/{complaint.id}/sign-off").get_data(as_text=True)
    assert "Our reasons." in page
    assert 'value="sign"' not in page and 'value="return"' not in page
    assert "You wrote this response, so you can&#39;t sign it off or return it." in page


def test_console_sign_off_page_offers_no_buttons_to_an_earlier_stage_handler(browser: Any, signed_in: Any) -> None:
    frontline = signed_in("manager")
    complaint = answered_after_frontline(frontline, factories.make_staff())
    page = browser.client.get(f"/console/complaints/{complaint.id}/sign-off").get_data(as_text=True)
    assert 'value="sign"' not in page
    assert "You handled an earlier stage of this complaint" in page


def test_console_sign_off_page_offers_the_buttons_to_another_manager(browser: Any, signed_in: Any) -> None:
    complaint = answered_after_frontline(factories.make_staff(), factories.make_staff())
    signed_in("manager")
    page = browser.client.get(f"/console/complaints/{complaint.id}/sign-off").get_data(as_text=True)
    assert 'value="sign"' in page and 'value="return"' in page
    assert 'id="why-not-signer"' not in page


# --- A final response waiting for sign-off, as the case page and the queues say it ------------------------------


def test_console_case_page_says_the_final_response_waits_with_when_and_who(browser: Any, signed_in: Any) -> None:
    handler = factories.make_staff()
    complaint = at_investigation(handler)
    answer(actor_of(handler), complaint)
    signed_in("staff")
    page = browser.client.get(f"/console/complaints/{complaint.id}").get_data(as_text=True)
    assert 'id="awaiting-sign-off"' in page
    assert "Final response waiting for sign-off by a manager" in page and f"by {handler.display_name}." in page


def test_console_case_page_says_nothing_waits_without_a_draft(browser: Any, signed_in: Any) -> None:
    complaint = at_investigation(factories.make_staff())
    signed_in("staff")
    page = browser.client.get(f"/console/complaints/{complaint.id}").get_data(as_text=True)
    assert 'id="awaiting-sign-off"' not in page


def test_console_queue_says_the_final_response_waits(browser: Any, signed_in: Any) -> None:
    handler = factories.make_staff()
    complaint = at_investigation(handler)
    answer(actor_of(handler), complaint)
    signed_in("staff")
    page = browser.client.get("/console/complaints?view=open").get_data(as_text=True)
    assert complaint.reference in page and "Final response waiting for sign-off" in page


def test_console_case_page_offers_no_sign_off_to_the_author(browser: Any, signed_in: Any) -> None:
    author = signed_in("manager")
    complaint = at_investigation(author)
    answer(actor_of(author), complaint)
    page = browser.client.get(f"/console/complaints/{complaint.id}").get_data(as_text=True)
    assert 'id="awaiting-sign-off"' in page and f"/complaints/{complaint.id}/sign-off" not in page


def test_console_case_page_offers_no_sign_off_to_an_earlier_stage_handler(browser: Any, signed_in: Any) -> None:
    frontline = signed_in("manager")
    complaint = answered_after_frontline(frontline, factories.make_staff())
    page = browser.client.get(f"/console/complaints/{complaint.id}").get_data(as_text=True)
    assert f"/complaints/{complaint.id}/sign-off" not in page


def test_console_respond_page_says_the_response_waits_for_sign_off(browser: Any, signed_in: Any) -> None:
    handler = signed_in("staff")
    complaint = at_investigation(handler)
    answer(actor_of(handler), complaint)
    page = browser.client.get(f"/console/complaints/{complaint.id}/respond").get_data(as_text=True)
    assert 'id="step-respond"' not in page
    assert "waiting for a manager's sign-off, so it can't be answered again now" in page
