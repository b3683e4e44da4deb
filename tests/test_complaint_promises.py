"""Promises kept: owners and due dates, the cause and remedial action of an upheld answer, the sweep that tells
people before and after a promise falls due, and the Ombudsman's orders as items."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.complaints import journey, orders, promises, responses
from backend.complaints.models import (
    Complaint,
    ComplaintPoint,
    ComplaintResponse,
    OmbudsmanOrder,
    OutstandingAction,
    Remedy,
)
from backend.errors import Conflict, Invalid, NotFound
from backend.events.models import OutboxEvent
from backend.notifications.models import Delivery
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of


def events(name: str) -> list[OutboxEvent]:
    return list(OutboxEvent.select().where(OutboxEvent.name == name).order_by(OutboxEvent.id))


def problems_of(error: Invalid) -> set[tuple[str, str]]:
    """Each problem as (its path in the input, its code)."""
    return {(".".join(str(part) for part in p.at), p.code) for p in error.problems}


def answer(handler: Any, complaint: Any, decision: str = "upheld", **extra: Any) -> ComplaintResponse:
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    values: dict[str, Any] = {
        "remedies": [responses.RemedyInput("apology", "A letter of apology.", dt.date(2030, 1, 10), None, handler.id)],
        "underlying_cause": "Nobody confirmed the appointment.",
        "remedial_action": "Appointments are confirmed the day before.",
        **extra,
    }
    return responses.respond_to_complaint(
        actor_of(handler), complaint.id, {point.id: (decision, "We were late.")}, "Reasons", "Next steps", **values
    )


# --- Owners and due dates ---------------------------------------------------------------------------------------


def test_remedy_and_action_without_an_owner_are_refused_and_nothing_changes() -> None:
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    with pytest.raises(Invalid) as caught:
        answer(
            handler,
            complaint,
            remedies=[responses.RemedyInput("apology", "Sorry.", None)],
            actions=[responses.ActionInput("Replace the tap", None)],
        )
    assert {
        ("remedies.0.owner_id", "owner_required"),
        ("remedies.0.due_on", "due_required"),
        ("actions.0.owner_id", "owner_required"),
        ("actions.0.due_on", "due_required"),
    } <= problems_of(caught.value)
    assert Complaint.get_by_id(complaint.id).status == "open"
    assert Remedy.select().count() == 0


def test_owner_must_be_an_active_member_of_staff() -> None:
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    resident = factories.make_user()
    with pytest.raises(Invalid) as caught:
        answer(
            handler,
            complaint,
            remedies=[responses.RemedyInput("apology", "Sorry.", dt.date(2030, 1, 1), None, resident.id)],
            actions=[responses.ActionInput("Fix it", dt.date(2030, 1, 1), 999_999)],
        )
    assert {("remedies.0.owner_id", "not_found"), ("actions.0.owner_id", "not_found")} <= problems_of(caught.value)


def test_remedy_keeps_its_owner() -> None:
    handler = factories.make_staff()
    answer(handler, factories.acknowledged_complaint(handler))
    assert Remedy.get().owner_id == handler.id


# --- Cause and remedial action on every upholding answer --------------------------------------------------------


@pytest.mark.parametrize("decision", ["upheld", "partly_upheld"])
def test_stage_one_answer_that_upholds_needs_the_cause_and_remedial_action(decision: str) -> None:
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    with pytest.raises(Invalid) as caught:
        answer(handler, complaint, decision, underlying_cause=" ", remedial_action="")
    assert (caught.value.field, caught.value.code) == ("response", "incomplete")
    assert caught.value.params["missing"] == ["underlying_cause", "remedial_action"]
    assert Complaint.get_by_id(complaint.id).status == "open"


def test_stage_one_answer_keeps_its_cause_and_remedial_action_on_the_response_and_the_complaint() -> None:
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    response = answer(handler, complaint)
    assert (response.underlying_cause, response.remedial_action) == (
        "Nobody confirmed the appointment.",
        "Appointments are confirmed the day before.",
    )
    complaint = Complaint.get_by_id(complaint.id)
    assert complaint.underlying_cause == "Nobody confirmed the appointment."
    # Closing later finds the record already there, so the close form starts from it.
    closed = journey.close_complaint(
        actor_of(handler), complaint.id, complaint.underlying_cause, complaint.remedial_action
    )
    assert closed.status == "closed"


def test_stage_one_answer_that_upholds_nothing_needs_no_cause() -> None:
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    response = answer(handler, complaint, "not_upheld", remedies=[], underlying_cause="", remedial_action="")
    assert response.underlying_cause is None


# --- The sweep --------------------------------------------------------------------------------------------------


def promised(due: dt.date) -> tuple[Any, Any, Any, Any]:
    """A stage-1 answer with a remedy owned by someone other than the handler, due ``due``."""
    manager = factories.make_user("manager")
    handler = factories.make_staff(manager=manager)
    owner = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    journey.assign_complaint(actor_of(handler), complaint.id, handler.id)
    answer(
        handler,
        complaint,
        remedies=[responses.RemedyInput("apology", "A letter of apology.", due, None, owner.id)],
    )
    return complaint, owner, handler, manager


def test_sweep_tells_owner_handler_and_manager_once_before_and_once_after(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    complaint, owner, handler, manager = promised(dt.date(2026, 3, 13))  # a Friday
    # Two working days before (the default): from Wednesday 11 March.
    assert promises.sweep_promises(dt.date(2026, 3, 10)) == {"due_soon": 0, "overdue": 0}
    assert promises.sweep_promises(dt.date(2026, 3, 11)) == {"due_soon": 1, "overdue": 0}
    assert promises.sweep_promises(dt.date(2026, 3, 12)) == {"due_soon": 0, "overdue": 0}
    assert promises.sweep_promises(dt.date(2026, 3, 13)) == {"due_soon": 0, "overdue": 0}
    assert promises.sweep_promises(dt.date(2026, 3, 16)) == {"due_soon": 0, "overdue": 1}
    assert promises.sweep_promises(dt.date(2026, 3, 17)) == {"due_soon": 0, "overdue": 0}
    expected = [owner.id, handler.id, manager.id]
    assert [e.payload["recipient_id"] for e in events("complaint.promise_due_soon")] == expected
    assert [e.payload["recipient_id"] for e in events("complaint.promise_overdue")] == expected
    assert events("complaint.promise_overdue")[0].payload["promise"] == "remedy"
    remedy = Remedy.get()
    assert remedy.due_soon_notified_at is not None and remedy.overdue_notified_at is not None


def test_marking_a_remedy_done_stops_the_sweep(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    _complaint, _owner, handler, _manager = promised(dt.date(2026, 3, 13))
    responses.complete_remedy(actor_of(handler), Remedy.get().id)
    assert promises.sweep_promises(dt.date(2026, 3, 20)) == {"due_soon": 0, "overdue": 0}


def test_overdue_action_is_told_once_even_if_never_warned(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    answer(handler, complaint, actions=[responses.ActionInput("Replace the tap", dt.date(2026, 3, 5), handler.id)])
    Remedy.update(completed_at=dt.datetime(2026, 3, 3)).execute()
    assert promises.sweep_promises(dt.date(2026, 3, 20)) == {"due_soon": 0, "overdue": 1}
    (event,) = events("complaint.promise_overdue")
    assert (event.payload["promise"], event.payload["recipient_id"]) == ("action", handler.id)
    assert OutstandingAction.get().due_soon_notified_at is None


def test_a_row_already_stamped_by_another_worker_is_not_told_again(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    promised(dt.date(2026, 3, 4))
    found = list(promises._candidates(dt.date(2026, 3, 10), 2, 100))
    Remedy.update(overdue_notified_at=dt.datetime(2026, 3, 10, 9)).execute()
    assert found and promises.sweep_promises(dt.date(2026, 3, 10)) == {"due_soon": 0, "overdue": 0}
    assert events("complaint.promise_overdue") == []


def test_warning_days_is_a_setting(clock_at: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from backend import config

    clock_at(dt.datetime(2026, 3, 2, 10))
    promised(dt.date(2026, 3, 13))
    monkeypatch.setattr(config, "current", lambda: config.load_settings({"LEARNLOOP_PROMISE_WARNING_DAYS": "5"}))
    assert promises.sweep_promises(dt.date(2026, 3, 6)) == {"due_soon": 1, "overdue": 0}


def test_promise_notice_reaches_staff_with_a_link_to_the_case(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    complaint, owner, _handler, _manager = promised(dt.date(2026, 3, 4))
    promises.sweep_promises(dt.date(2026, 3, 10))
    sent = list(
        Delivery.select().join(OutboxEvent).where(OutboxEvent.name == "complaint.promise_overdue").order_by(Delivery.id)
    )
    assert owner.id in {d.recipient_user_id for d in sent}
    assert all(complaint.reference in d.subject and "/console/complaints/" in d.action for d in sent)
    assert "A letter of apology." in sent[0].body


def test_sweep_task_runs_the_sweep() -> None:
    from tasks.complaints import sweep_complaint_promises

    assert sweep_complaint_promises.call_local() == {"due_soon": 0, "overdue": 0}


# --- Ombudsman orders -------------------------------------------------------------------------------------------


def referred() -> tuple[Any, Any]:
    staff = actor_of(factories.make_staff())
    complaint = factories.responded_complaint()
    journey.refer_to_ombudsman(staff, complaint.id, "202612345")
    return complaint, staff


def test_order_needs_a_referral_first() -> None:
    complaint = factories.responded_complaint()
    with pytest.raises(Conflict) as caught:
        orders.record_order(actor_of(factories.make_staff()), complaint.id, "Apologise.", dt.date(2030, 1, 1))
    assert caught.value.code == "not_referred"


def test_order_without_text_or_due_date_lists_both_and_changes_nothing() -> None:
    complaint, staff = referred()
    with pytest.raises(Invalid) as caught:
        orders.record_order(staff, complaint.id, " ", None)
    assert problems_of(caught.value) == {("text", "required"), ("due_on", "required")}
    assert OmbudsmanOrder.select().count() == 0


def test_order_is_recorded_swept_and_complied_with_and_audited(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    complaint, staff = referred()
    order = orders.record_order(staff, complaint.id, "Pay £150 within four weeks.", dt.date(2026, 3, 30))
    assert promises.sweep_promises(dt.date(2026, 3, 31)) == {"due_soon": 0, "overdue": 1}
    assert {e.payload["promise"] for e in events("complaint.promise_overdue")} == {"order"}
    with pytest.raises(Invalid) as caught:
        orders.record_compliance(staff, order.id, local_date() + dt.timedelta(days=1), "")
    assert problems_of(caught.value) == {("complied_on", "in_future"), ("evidence", "required")}
    done = orders.record_compliance(staff, order.id, dt.date(2026, 3, 2), "Paid by BACS, reference 1234.")
    assert (done.complied_on, done.evidence) == (dt.date(2026, 3, 2), "Paid by BACS, reference 1234.")
    assert (done.recorded_by.id, done.complied_by.id) == (staff.user_id, staff.user_id)
    with pytest.raises(Conflict) as caught_again:
        orders.record_compliance(staff, order.id, dt.date(2026, 3, 2), "Again.")
    assert caught_again.value.code == "already_complied"
    actions = [a.action for a in AuditEvent.select().where(AuditEvent.entity_type == "ombudsman_order")]
    assert actions == ["ombudsman_order.recorded", "ombudsman_order.complied"]


def test_compliance_on_an_order_that_is_not_there_is_not_found() -> None:
    with pytest.raises(NotFound):
        orders.record_compliance(actor_of(factories.make_staff()), 999_999, dt.date(2026, 3, 2), "Done.")


def test_determination_with_orders_needs_their_due_date_and_makes_one_item() -> None:
    complaint, staff = referred()
    with pytest.raises(Invalid) as caught:
        journey.record_determination(staff, complaint.id, "maladministration", "Pay £250.")
    assert problems_of(caught.value) == {("orders_due_on", "required")}
    assert Complaint.get_by_id(complaint.id).ombudsman_determination is None
    journey.record_determination(staff, complaint.id, "maladministration", "Pay £250.", dt.date(2030, 1, 1))
    (order,) = OmbudsmanOrder.select().where(OmbudsmanOrder.complaint == complaint.id)
    assert (order.text, order.due_on) == ("Pay £250.", dt.date(2030, 1, 1))


# --- The API ----------------------------------------------------------------------------------------------------

RECORD_ORDER = """
mutation ($input: OmbudsmanOrderRecordInput!) {
  ombudsmanOrderRecord(input: $input) {
    __typename
    ... on OmbudsmanOrderRecorded { ombudsmanOrder { text dueOn compliedOn complaint { ombudsmanOrderItems { text } } } }
    ... on ValidationError { problems { field code } }
    ... on ConflictError { code }
  }
}
"""
RESPOND = """
mutation ($input: ComplaintRespondInput!) {
  complaintRespond(input: $input) {
    __typename
    ... on ValidationError { problems { field code } }
  }
}
"""


def test_api_records_an_order_and_names_every_missing_part(browser: Any, signed_in: Any) -> None:
    complaint, _staff = referred()
    signed_in("staff")
    refused = browser.graphql(RECORD_ORDER, {"input": {"complaintId": str(complaint.id), "text": "", "dueOn": None}})
    problems = refused.get_json()["data"]["ombudsmanOrderRecord"]["problems"]
    assert {(p["field"], p["code"]) for p in problems} == {("text", "required"), ("dueOn", "required")}
    recorded = browser.graphql(
        RECORD_ORDER, {"input": {"complaintId": str(complaint.id), "text": "Apologise.", "dueOn": "2030-01-01"}}
    ).get_json()["data"]["ombudsmanOrderRecord"]
    assert recorded["ombudsmanOrder"]["dueOn"] == "2030-01-01"
    assert recorded["ombudsmanOrder"]["complaint"]["ombudsmanOrderItems"] == [{"text": "Apologise."}]


def test_api_refuses_a_remedy_without_an_owner_where_it_was_sent(browser: Any, signed_in: Any) -> None:
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    signed_in("staff")
    sent = {
        "id": str(complaint.id),
        "decisions": [{"pointId": str(point.id), "decision": "upheld", "reasons": "Late."}],
        "reasons": "Reasons",
        "nextSteps": "Stage 2",
        "remedies": [{"kind": "apology", "description": "Sorry.", "dueOn": "2030-01-01"}],
        "actions": [{"description": "Fix it", "dueOn": "2030-01-01"}],
    }
    problems = browser.graphql(RESPOND, {"input": sent}).get_json()["data"]["complaintRespond"]["problems"]
    assert {
        ("response", "incomplete"),
        ("remedies[0].ownerId", "owner_required"),
        ("actions[0].ownerId", "owner_required"),
        ("underlyingCause", "required"),
        ("remedialAction", "required"),
    } <= {(p["field"], p["code"]) for p in problems}
    assert Complaint.get_by_id(complaint.id).status == "open"


# --- The console ------------------------------------------------------------------------------------------------


def test_console_records_an_order_and_its_compliance_after_a_confirmation(browser: Any, signed_in: Any) -> None:
    complaint, _staff = referred()
    signed_in("staff")
    case_page = browser.client.get(f"/console/complaints/{complaint.id}").get_data(as_text=True)
    url = f"/console/complaints/{complaint.id}/orders"
    assert f'href="{url}"' in case_page
    assert "No orders are recorded." in browser.client.get(url).get_data(as_text=True)
    refused = browser.submit(f"{url}/new", {"text": "", "due_on": ""})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert '<a href="#text">Say what the Ombudsman ordered.</a>' in page
    assert '<a href="#due_on">Give the date the Ombudsman set for it.</a>' in page
    done = browser.submit(f"{url}/new", {"text": "Pay £150.", "due_on": "2030-01-01"})
    assert done.status_code == 302
    order = OmbudsmanOrder.get()
    comply = f"{url}/{order.id}/comply"
    unconfirmed = browser.submit(comply, {"complied_on": "2026-01-05", "evidence": "Paid."})
    assert unconfirmed.status_code == 400
    assert "Confirm that the order was complied with." in unconfirmed.get_data(as_text=True)
    assert OmbudsmanOrder.get_by_id(order.id).complied_on is None
    confirmed = browser.submit(comply, {"complied_on": "2026-01-05", "evidence": "Paid.", "confirm": "y"})
    assert confirmed.status_code == 302
    assert OmbudsmanOrder.get_by_id(order.id).complied_on == dt.date(2026, 1, 5)
    assert browser.client.get(comply).status_code == 404


def test_console_order_pages_are_not_there_before_a_referral(browser: Any, signed_in: Any) -> None:
    complaint = factories.responded_complaint()
    signed_in("staff")
    assert browser.client.get(f"/console/complaints/{complaint.id}/orders/new").status_code == 404
    assert browser.client.get("/console/complaints/999999/orders").status_code == 404


# --- The escalation window and refusing an escalation (Code 5.11) -----------------------------------------------


def answered_on(day: dt.datetime, clock_at: Any, **extra: Any) -> tuple[Any, Any]:
    clock_at(day)
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    answer(handler, complaint, **extra)
    return Complaint.get_by_id(complaint.id), handler


def test_answered_stage_one_closes_itself_after_the_window_as_the_system(clock_at: Any) -> None:
    complaint, _handler = answered_on(dt.datetime(2026, 3, 2, 10), clock_at)
    from backend.complaints import escalation

    # 20 working days after Monday 2 March is Monday 30 March: closed from the day after.
    assert escalation.close_unescalated(dt.date(2026, 3, 30)) == {"closed": 0, "incomplete": 0}
    assert escalation.close_unescalated(dt.date(2026, 3, 31)) == {"closed": 1, "incomplete": 0}
    assert escalation.close_unescalated(dt.date(2026, 4, 1)) == {"closed": 0, "incomplete": 0}
    closed = Complaint.get_by_id(complaint.id)
    assert (closed.status, closed.closed_at is not None) == ("closed", True)
    audit = AuditEvent.get(AuditEvent.action == "complaint.closed_unescalated")
    assert (audit.actor_user_id, audit.actor_label, audit.entity_id) == (None, "system", str(complaint.id))
    # A later request to escalate reopens it at stage 2.
    reopened = journey.escalate_complaint(actor_of(complaint.resident), complaint.id)
    assert (reopened.stage, reopened.status, reopened.closed_at) == (2, "received", None)


def test_window_leaves_an_incomplete_record_for_its_handler(clock_at: Any) -> None:
    complaint, _handler = answered_on(
        dt.datetime(2026, 3, 2, 10),
        clock_at,
        decision="not_upheld",
        remedies=[],
        underlying_cause="",
        remedial_action="",
    )
    from backend.complaints import escalation

    assert escalation.close_unescalated(dt.date(2026, 6, 1)) == {"closed": 0, "incomplete": 1}
    assert Complaint.get_by_id(complaint.id).status == "responded"


def test_close_task_runs_the_sweep() -> None:
    from tasks.complaints import close_unescalated_complaints

    assert close_unescalated_complaints.call_local() == {"closed": 0, "incomplete": 0}


def test_refusing_an_escalation_needs_a_procedure_ground_reasons_and_the_ombudsman(clock_at: Any) -> None:
    from backend.complaints import escalation

    complaint, handler = answered_on(dt.datetime(2026, 3, 2, 10), clock_at)
    with pytest.raises(Invalid) as caught:
        escalation.refuse_escalation(actor_of(handler), complaint.id, "over_six_months", " ", False)
    assert problems_of(caught.value) == {
        ("ground", "not_in_procedure"),
        ("reasons", "required"),
        ("ombudsman_details_given", "required"),
    }
    assert Complaint.get_by_id(complaint.id).status == "responded"
    refused = escalation.refuse_escalation(
        actor_of(handler), complaint.id, "legal_proceedings", "Court proceedings about the repair have begun.", True
    )
    assert (refused.status, refused.refusal_ground, refused.stage) == ("refused", "legal_proceedings", 1)
    (event,) = events("complaint.escalation_refused")
    assert event.payload["user_id"] == complaint.resident_id
    with pytest.raises(Conflict) as escalating:
        journey.escalate_complaint(actor_of(complaint.resident), complaint.id)
    assert escalating.value.code == "closed"


def test_refused_escalation_is_sent_in_writing_with_the_ombudsman(clock_at: Any) -> None:
    from backend.complaints import escalation

    complaint, handler = answered_on(dt.datetime(2026, 3, 2, 10), clock_at)
    escalation.refuse_escalation(actor_of(handler), complaint.id, "legal_proceedings", "Court proceedings began.", True)
    (sent,) = Delivery.select().join(OutboxEvent).where(OutboxEvent.name == "complaint.escalation_refused")
    assert complaint.reference in sent.subject
    assert "Court proceedings began." in sent.body and "Housing Ombudsman" in sent.body


def test_refusing_an_escalation_before_the_answer_is_a_conflict() -> None:
    from backend.complaints import escalation

    complaint = factories.acknowledged_complaint()
    with pytest.raises(Conflict) as caught:
        escalation.refuse_escalation(actor_of(factories.make_staff()), complaint.id, "legal_proceedings", "x", True)
    assert caught.value.code == "not_responded"


def test_console_refuses_an_escalation_only_after_a_confirmation(browser: Any, signed_in: Any) -> None:
    complaint = factories.responded_complaint()
    signed_in("staff")
    case_url = f"/console/complaints/{complaint.id}"
    url = f"{case_url}/refuse-escalation"
    assert f'href="{url}"' in browser.client.get(case_url).get_data(as_text=True)
    data = {"ground": "legal_proceedings", "reasons": "Court proceedings began.", "ombudsman_details_given": "y"}
    unconfirmed = browser.submit(url, data)
    assert unconfirmed.status_code == 400
    assert "Confirm that the request to escalate is refused." in unconfirmed.get_data(as_text=True)
    assert Complaint.get_by_id(complaint.id).status == "responded"
    assert browser.submit(url, {**data, "confirm": "y"}).status_code == 302
    assert Complaint.get_by_id(complaint.id).status == "refused"
    assert browser.client.get(url).status_code == 404
