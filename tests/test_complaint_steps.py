"""One table decides which step can happen now: every state × role, through the services, GraphQL and the pages.

The expected steps below are written out by hand from the Code, not read from the table, so a change to
the table that lets a step through (or shuts one out) fails here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from playhouse.shortcuts import model_to_dict

from backend.audit.models import AuditEvent
from backend.complaints import (
    approval,
    escalation,
    intake,
    investigation,
    journey,
    notes,
    orders,
    responses,
    scope,
    steps,
    updates,
)
from backend.complaints.models import (
    CaseMessage,
    CaseNote,
    Clock,
    Complaint,
    ComplaintPoint,
    ComplaintStage,
    Contact,
    ContactMerge,
    OmbudsmanOrder,
    OutstandingAction,
    Remedy,
)
from backend.context import Actor
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.events.models import OutboxEvent
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of

RESIDENT_STEPS = {"escalate", "withdraw", "add_information"}
SPSO_STEPS = {"investigate", "sign_off"}


# --- The states, built through the services -------------------------------------------------------------


def received() -> Complaint:
    return factories.make_complaint()


def opened() -> Complaint:
    return factories.acknowledged_complaint()


def extended() -> Complaint:
    complaint = opened()
    staff = actor_of(factories.make_staff())
    return journey.extend_complaint(staff, complaint.id, 2, "Waiting for the surveyor.", local_date(), True)


def responded() -> Complaint:
    return factories.responded_complaint()


def closed_at_stage_one() -> Complaint:
    complaint = responded()
    return journey.close_complaint(actor_of(factories.make_staff()), complaint.id, "Late visits", "Text reminders")


def stage_two_received() -> Complaint:
    complaint = responded()
    return journey.escalate_complaint(actor_of(complaint.resident), complaint.id)


def stage_two_open() -> Complaint:
    complaint = stage_two_received()
    second = factories.make_staff(team="Customer resolution")
    journey.assign_complaint(actor_of(second), complaint.id, second.id)
    return journey.acknowledge_complaint(actor_of(second), complaint.id, [("Still leaking", "A new tap")], "A fix")


def closed_at_final_stage() -> Complaint:
    complaint = stage_two_open()
    _respond(actor_of(complaint.handler), complaint)
    return Complaint.get_by_id(complaint.id)


def refused() -> Complaint:
    complaint = received()
    staff = actor_of(factories.make_staff())
    return journey.refuse_complaint(staff, complaint.id, "legal_proceedings", "Court action began in May.", True)


def withdrawn() -> Complaint:
    complaint = opened()
    return journey.withdraw_complaint(actor_of(complaint.resident), complaint.id, "Sorted out now.")


def referred() -> Complaint:
    complaint = closed_at_final_stage()
    return journey.refer_to_ombudsman(actor_of(factories.make_staff()), complaint.id, "202600001")


def determined() -> Complaint:
    complaint = referred()
    staff = actor_of(factories.make_staff())
    return journey.record_determination(
        staff, complaint.id, "service_failure", "Apologise within 4 weeks.", dt.date(2030, 2, 1)
    )


STATES: dict[str, Callable[[], Complaint]] = {
    "received": received,
    "open": opened,
    "extended": extended,
    "responded": responded,
    "closed_at_stage_one": closed_at_stage_one,
    "stage_two_received": stage_two_received,
    "stage_two_open": stage_two_open,
    "closed_at_final_stage": closed_at_final_stage,
    "refused": refused,
    "withdrawn": withdrawn,
    "referred": referred,
    "determined": determined,
}

# What staff (and managers and admins) may do in each state. Residents and consenting advocates may do the
# part of it that is theirs: escalate, withdraw, add information.
STAFF_EXPECTED: dict[str, set[str]] = {
    "received": {
        "acknowledge",
        "assign",
        "offer_mediation",
        "refuse",
        "withdraw",
        "refer",
        "add_information",
        "send_update",
        "add_note",
        "merge",
    },
    "open": {
        "assign",
        "offer_mediation",
        "extend",
        "respond",
        "record_scope",
        "refuse",
        "withdraw",
        "refer",
        "add_information",
        "send_update",
        "add_note",
        "merge",
    },
    "extended": {
        "assign",
        "offer_mediation",
        "extend",
        "respond",
        "record_scope",
        "refuse",
        "withdraw",
        "refer",
        "add_information",
        "send_update",
        "add_note",
        "agree_updates",
        "merge",
    },
    "responded": {
        "assign",
        "offer_mediation",
        "escalate",
        "refuse_escalation",
        "withdraw",
        "close",
        "refer",
        "add_information",
        "send_update",
        "add_note",
        "complete_remedy",
        "complete_action",
    },
    # The Code lets the resident ask for stage 2 after a stage-1 answer, even once staff have closed it.
    "closed_at_stage_one": {
        "escalate",
        "refuse_escalation",
        "refer",
        "send_update",
        "add_note",
        "complete_remedy",
        "complete_action",
    },
    "stage_two_received": {
        "acknowledge",
        "assign",
        "offer_mediation",
        "refuse",
        "withdraw",
        "refer",
        "add_information",
        "send_update",
        "add_note",
        "complete_remedy",
        "complete_action",
        "merge",
    },
    "stage_two_open": {
        "assign",
        "offer_mediation",
        "extend",
        "respond",
        "record_scope",
        "refuse",
        "withdraw",
        "refer",
        "add_information",
        "send_update",
        "add_note",
        "complete_remedy",
        "complete_action",
        "merge",
    },
    "closed_at_final_stage": {"refer", "send_update", "add_note", "complete_remedy", "complete_action"},
    "refused": {"refer", "send_update", "add_note"},
    "withdrawn": {"add_note"},
    "referred": {
        "record_determination",
        "record_order",
        "record_compliance",
        "send_update",
        "add_note",
        "complete_remedy",
        "complete_action",
    },
    "determined": {
        "record_order",
        "record_compliance",
        "send_update",
        "add_note",
        "complete_remedy",
        "complete_action",
    },
}


# --- The roles ----------------------------------------------------------------------------------------------


def _actor(role: str, complaint: Complaint) -> Actor:
    if role == "resident":
        return actor_of(complaint.resident)
    if role in ("advocate_with_consent", "advocate_without_consent"):
        advocate = factories.make_user("advocate")
        if role == "advocate_with_consent":
            factories.make_representation(advocate, complaint.resident)
        return actor_of(advocate)
    if role == "read_only_token":
        staff = factories.make_staff()
        return Actor(user_id=staff.id, roles=staff.role_names(), token_id=1, scope="read", label="token")
    return actor_of(factories.make_user(role))


ROLES = (
    "resident",
    "advocate_with_consent",
    "advocate_without_consent",
    "staff",
    "manager",
    "admin",
    "panel_member",
    "read_only_token",
)


def expected_for(state: str, role: str) -> set[str]:
    if role in ("staff", "manager", "admin"):
        return STAFF_EXPECTED[state]
    if role in ("resident", "advocate_with_consent"):
        return STAFF_EXPECTED[state] & RESIDENT_STEPS
    return set()


def refusal_for(role: str, step: str) -> type[Exception]:
    """How a step the table does not allow is refused for this role."""
    if role in ("panel_member", "read_only_token"):
        return NotAllowed
    if role in ("resident", "advocate_with_consent", "advocate_without_consent") and step not in RESIDENT_STEPS:
        return NotAllowed
    if role == "advocate_without_consent":
        return NotFound  # as for a complaint that is not there
    if step == "sign_off" and role == "staff":
        return NotAllowed  # managers sign off
    return Conflict


# --- Taking a step with good input --------------------------------------------------------------------------


def _respond(actor: Actor, complaint: Complaint) -> Any:
    points = ComplaintPoint.select().where(
        ComplaintPoint.complaint == complaint.id, ComplaintPoint.stage == complaint.stage
    )
    return responses.respond_to_complaint(
        actor,
        complaint.id,
        {point.id: ("not_upheld", "The visit was on time.") for point in points},
        "We checked the records.",
        "What you can do next.",
        underlying_cause="Missed handover",
        remedial_action="Handover checklist",
    )


def _first(model: Any, complaint: Complaint) -> Any:
    return model.select().where(model.complaint == complaint.id, model.completed_at.is_null()).first()


def prepare(step: str, complaint: Complaint) -> dict[str, Any]:
    """What a step needs that is not the complaint: made before anything is compared."""
    if step == "assign":
        return {"handler": factories.make_staff()}
    if step == "merge":
        return {"contact": factories.make_contact(complaint.resident, description="The tap again, by phone.")}
    if step == "complete_remedy":
        return {"item": _first(Remedy, complaint)}
    if step == "complete_action":
        return {"item": _first(OutstandingAction, complaint)}
    if step == "record_compliance":
        order = OmbudsmanOrder.select().where(OmbudsmanOrder.complaint == complaint.id).first()
        return {"item": order or factories.make_ombudsman_order(complaint)}
    return {}


def take(step: str, actor: Actor, complaint: Complaint, extra: dict[str, Any]) -> Any:
    """Take one step through its service, with input that is good in every other way."""
    cid = complaint.id
    if step == "acknowledge":
        return journey.acknowledge_complaint(actor, cid, [("The tap leaks", "Fix it")], "A repair")
    if step == "assign":
        return journey.assign_complaint(actor, cid, extra["handler"].id)
    if step == "offer_mediation":
        return journey.offer_mediation(actor, cid, "Offered a meeting with a mediator.")
    if step == "extend":
        return journey.extend_complaint(actor, cid, 1, "Waiting for a contractor's report.", local_date(), True)
    if step == "respond":
        return _respond(actor, complaint)
    if step == "escalate":
        return journey.escalate_complaint(actor, cid)
    if step == "refuse":
        return journey.refuse_complaint(actor, cid, "over_twelve_months", "It happened in 2023.", True)
    if step == "withdraw":
        return journey.withdraw_complaint(actor, cid, "")
    if step == "close":
        return journey.close_complaint(actor, cid, "Late visits", "Text reminders")
    if step == "refer":
        return journey.refer_to_ombudsman(actor, cid, "202600777")
    if step == "record_determination":
        return journey.record_determination(actor, cid, "maladministration", "")
    if step == "refuse_escalation":
        return escalation.refuse_escalation(actor, cid, "legal_proceedings", "Court proceedings began.", True)
    if step == "record_order":
        return orders.record_order(actor, cid, "Apologise in writing.", local_date())
    if step == "record_compliance":
        return orders.record_compliance(actor, extra["item"].id, local_date(), "The letter of apology, sent.")
    if step == "add_information":
        return journey.add_information(actor, cid, "One more thing about the tap.")
    if step == "send_update":
        return responses.send_update(actor, cid, "The plumber comes on Friday.")
    if step == "add_note":
        return notes.add_note(actor, cid, "call_note", "Rang the resident about the tap.")
    if step == "record_scope":
        return scope.record_scope(actor, cid, [])
    if step == "agree_updates":
        return updates.agree_update_interval(actor, cid, 5, local_date(), "phone")
    if step == "merge":
        return intake.merge_contact(actor, extra["contact"].id, cid, "The same leak.")
    if step == "investigate":
        return investigation.start_investigation(actor, cid, "Complex.")
    if step == "sign_off":
        return approval.sign_off_response(actor, cid)
    if step in ("complete_remedy", "complete_action"):
        item = extra["item"]
        if item is None:
            # Nothing was promised yet, so there is nothing to complete: ask the table itself.
            return steps.require_step(actor, complaint, step)
        if step == "complete_remedy":
            return responses.complete_remedy(actor, item.id)
        return responses.complete_action(actor, item.id, "Done.")
    raise AssertionError(step)


def fingerprint(complaint_id: int) -> Any:
    """Everything a step could change about a complaint, and the records every step writes."""

    def rows(model: Any) -> list[dict[str, Any]]:
        query = model.select().where(model.complaint == complaint_id).order_by(model.id)
        return [model_to_dict(row, recurse=False) for row in query]

    return (
        model_to_dict(Complaint.get_by_id(complaint_id), recurse=False),
        rows(ComplaintStage),
        rows(Clock),
        rows(ComplaintPoint),
        rows(Remedy),
        rows(OutstandingAction),
        rows(CaseNote),
        CaseMessage.select().count(),
        ContactMerge.select().count(),
        [model_to_dict(c, recurse=False) for c in Contact.select().order_by(Contact.id)],
        AuditEvent.select().count(),
        OutboxEvent.select().count(),
    )


def test_every_step_has_a_rule_and_the_residents_are_exactly_theirs() -> None:
    # The SPSO's own steps are never open under the Code's regime (tests/test_complaints_spso.py has them).
    assert set(steps.STEPS) == set().union(*STAFF_EXPECTED.values()) | {"merge"} | SPSO_STEPS
    assert set(steps.RESIDENT_STEPS) == RESIDENT_STEPS


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_exactly_the_listed_steps_succeed(state: str, role: str) -> None:
    complaint = STATES[state]()
    actor = _actor(role, complaint)
    expected = expected_for(state, role)
    assert {rule.step for rule in steps.available_steps(actor, complaint)} == expected
    for step in steps.STEPS:
        if step in expected:
            continue
        extra = prepare(step, complaint)
        before = fingerprint(complaint.id)
        with pytest.raises((Conflict, NotAllowed, NotFound)) as caught:
            take(step, actor, complaint, extra)
        assert type(caught.value) is refusal_for(role, step), (step, caught.value)
        assert fingerprint(complaint.id) == before, step
    for step in sorted(expected):
        fresh = STATES[state]()
        actor = _actor(role, fresh)
        extra = prepare(step, fresh)
        take(step, actor, fresh, extra)


# --- Codes, and the steps that matter most to residents -------------------------------------------------


@pytest.mark.parametrize(
    ("state", "step", "code"),
    [
        ("open", "acknowledge", "already_acknowledged"),
        ("received", "respond", "not_acknowledged"),
        ("responded", "respond", "already_responded"),
        ("open", "escalate", "not_responded"),
        ("closed_at_final_stage", "escalate", "closed"),
        ("refused", "escalate", "closed"),
        ("received", "extend", "no_running_clock"),
        ("open", "close", "not_responded"),
        ("withdrawn", "refer", "withdrawn"),
        ("referred", "refer", "already_referred"),
        ("responded", "record_determination", "not_referred"),
        ("determined", "record_determination", "already_determined"),
        ("withdrawn", "send_update", "withdrawn"),
        ("responded", "merge", "not_mergeable"),
        ("closed_at_stage_one", "merge", "closed"),
        ("withdrawn", "merge", "closed"),
    ],
)
def test_a_step_out_of_turn_names_why(state: str, step: str, code: str) -> None:
    complaint = STATES[state]()
    staff = actor_of(factories.make_staff())
    extra = prepare(step, complaint)
    with pytest.raises(Conflict) as caught:
        take(step, staff, complaint, extra)
    assert caught.value.code == code


def test_escalate_at_the_final_stage_while_answered_is_final_stage() -> None:
    complaint = stage_two_open()
    Complaint.update(status="responded").where(Complaint.id == complaint.id).execute()
    with pytest.raises(Conflict) as caught:
        journey.escalate_complaint(actor_of(complaint.resident), complaint.id)
    assert caught.value.code == "final_stage"


def test_merged_contact_joins_an_unanswered_stage_one() -> None:
    complaint = opened()
    contact = factories.make_contact(complaint.resident, description="And the bath tap too.")
    intake.merge_contact(actor_of(factories.make_staff()), contact.id, complaint.id, "Same visit")
    assert Contact.get_by_id(contact.id).status == "merged"


def test_a_step_checks_the_table_again_inside_its_transaction() -> None:
    complaint = opened()
    staff = actor_of(factories.make_staff())
    stale = Complaint.get_by_id(complaint.id)
    journey.withdraw_complaint(actor_of(complaint.resident), complaint.id)
    Complaint.update(status="open").where(Complaint.id == complaint.id).execute()  # as if read before
    Complaint.update(status="withdrawn").where(Complaint.id == complaint.id).execute()
    before = fingerprint(complaint.id)
    with pytest.raises(Conflict):
        journey.take_step(staff, stale, "offer_mediation")
    assert fingerprint(complaint.id) == before


# --- When the resident asked for the next stage (Code 6.11) ---------------------------------------------


def _stage_two_ack(complaint: Complaint) -> Clock:
    return Clock.get(Clock.complaint == complaint.id, Clock.stage == 2, Clock.kind == "acknowledge")


def test_staff_record_a_phoned_request_and_the_stage_two_clock_counts_from_it(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 6, 1, 9))
    complaint = responded()
    clock_at(dt.datetime(2026, 6, 10, 15))
    asked = dt.datetime(2026, 6, 3, 11, 30, tzinfo=dt.UTC)
    escalated = journey.escalate_complaint(
        actor_of(factories.make_staff()), complaint.id, "By phone.", asked, backdate_reason="Phoned on the 3rd."
    )
    stage = ComplaintStage.get(ComplaintStage.complaint == escalated.id, ComplaintStage.number == 2)
    assert stage.opened_at == dt.datetime(2026, 6, 3, 11, 30)
    # Wednesday 3 June 2026 + 5 working days.
    assert _stage_two_ack(escalated).due_on == dt.date(2026, 6, 10)


@pytest.mark.parametrize(
    ("asked", "code"),
    [
        (dt.datetime(2026, 6, 11, 9), "in_future"),
        (dt.datetime(2026, 5, 31, 9), "before_response"),
    ],
)
def test_a_recorded_request_is_neither_in_the_future_nor_before_the_answer(
    clock_at: Any, asked: dt.datetime, code: str
) -> None:
    clock_at(dt.datetime(2026, 6, 1, 9))
    complaint = responded()
    clock_at(dt.datetime(2026, 6, 10, 15))
    before = fingerprint(complaint.id)
    with pytest.raises(Invalid) as caught:
        journey.escalate_complaint(actor_of(factories.make_staff()), complaint.id, "", asked)
    assert (caught.value.field, caught.value.code) == ("requested_at", code)
    assert fingerprint(complaint.id) == before


def test_a_resident_asks_now_whatever_time_they_send(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 6, 1, 9))
    complaint = responded()
    clock_at(dt.datetime(2026, 6, 10, 15))
    journey.escalate_complaint(actor_of(complaint.resident), complaint.id, "", dt.datetime(2026, 6, 2, 9))
    stage = ComplaintStage.get(ComplaintStage.complaint == complaint.id, ComplaintStage.number == 2)
    assert stage.opened_at == dt.datetime(2026, 6, 10, 15)


# --- What the resident is told comes next ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "step"),
    [
        ("received", "acknowledge"),
        ("open", "respond"),
        ("responded", "escalate"),
        ("closed_at_stage_one", "escalate"),
        ("closed_at_final_stage", "ombudsman"),
        ("refused", "refused"),
        ("withdrawn", "withdrawn"),
        ("referred", "referred"),
    ],
)
def test_what_happens_next_follows_the_table(state: str, step: str) -> None:
    from backend.complaints.progress import progress_of

    assert progress_of(STATES[state]()).step == step


# --- GraphQL ---------------------------------------------------------------------------------------------

STEPS_QUERY = "query ($id: ID!) { complaint(id: $id) { status availableSteps { step label } } }"
ESCALATE = """
mutation ($input: ComplaintEscalateInput!) {
  complaintEscalate(input: $input) {
    __typename
    ... on ComplaintEscalated { complaint { stage status availableSteps { step } } }
    ... on ValidationError { field code message }
    ... on ConflictError { code message }
  }
}
"""


def _steps_over_graphql(browser: Any, complaint: Complaint, **kwargs: Any) -> list[dict[str, str]]:
    body = browser.graphql(STEPS_QUERY, {"id": str(complaint.id)}, **kwargs).get_json()
    assert "errors" not in body, body
    return body["data"]["complaint"]["availableSteps"]


def test_resident_sees_only_their_steps_over_graphql(browser: Any) -> None:
    complaint = closed_at_stage_one()
    browser.sign_in(complaint.resident.email)
    assert _steps_over_graphql(browser, complaint) == [
        {"step": "ESCALATE", "label": "Take the complaint to the next stage"}
    ]


def test_staff_see_their_steps_with_labels_over_graphql(browser: Any) -> None:
    complaint = opened()
    staff = factories.make_staff()
    browser.sign_in(staff.email)
    names = [item["step"] for item in _steps_over_graphql(browser, complaint)]
    assert names == [
        "ASSIGN",
        "OFFER_MEDIATION",
        "EXTEND",
        "RESPOND",
        "REFUSE",
        "WITHDRAW",
        "REFER",
        "ADD_INFORMATION",
        "ADD_NOTE",
        "SEND_UPDATE",
        "RECORD_SCOPE",
        "MERGE",
    ]
    labels = {item["step"]: item["label"] for item in _steps_over_graphql(browser, complaint)}
    assert labels["RESPOND"] == "Respond to the complaint"


def test_a_read_only_token_has_no_steps(browser: Any) -> None:
    complaint = responded()
    _token, secret = factories.make_token(factories.make_staff(), scope="read")
    assert _steps_over_graphql(browser, complaint, headers={"Authorization": f"Bearer {secret}"}) == []


def test_resident_escalates_a_closed_stage_one_complaint_over_graphql(browser: Any) -> None:
    complaint = closed_at_stage_one()
    browser.sign_in(complaint.resident.email)
    body = browser.graphql(ESCALATE, {"input": {"id": str(complaint.id)}}).get_json()
    result = body["data"]["complaintEscalate"]
    assert result["__typename"] == "ComplaintEscalated", result
    assert (result["complaint"]["stage"], result["complaint"]["status"]) == (2, "received")
    assert {item["step"] for item in result["complaint"]["availableSteps"]} == {"WITHDRAW", "ADD_INFORMATION"}


def test_a_future_request_time_is_a_validation_error_over_graphql(browser: Any) -> None:
    complaint = responded()
    browser.sign_in(factories.make_staff().email)
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).isoformat()
    body = browser.graphql(ESCALATE, {"input": {"id": str(complaint.id), "requestedAt": later}}).get_json()
    result = body["data"]["complaintEscalate"]
    assert (result["__typename"], result["field"], result["code"]) == ("ValidationError", "requestedAt", "in_future")
    assert Complaint.get_by_id(complaint.id).stage == 1


# --- Pages -------------------------------------------------------------------------------------------------


def test_resident_page_offers_escalation_of_a_closed_stage_one_complaint_and_takes_it(browser: Any) -> None:
    complaint = closed_at_stage_one()
    browser.sign_in(complaint.resident.email)
    page = f"/cases/{complaint.contact_id}"
    html = browser.client.get(page).get_data(as_text=True)
    assert "Take my complaint to stage 2" in html
    assert "This is our final answer" not in html
    response = browser.submit(f"{page}/escalate", {"reason": ""}, page=page)
    assert response.status_code == 302
    assert (Complaint.get_by_id(complaint.id).stage, Complaint.get_by_id(complaint.id).status) == (2, "received")


def test_resident_page_offers_nothing_after_the_final_answer(browser: Any) -> None:
    complaint = closed_at_final_stage()
    browser.sign_in(complaint.resident.email)
    html = browser.client.get(f"/cases/{complaint.contact_id}").get_data(as_text=True)
    assert "Take my complaint to" not in html
    assert "Add more information" not in html


def test_console_shows_the_forms_of_the_listed_steps_only(browser: Any) -> None:
    complaint = closed_at_stage_one()
    browser.sign_in(factories.make_staff().email)
    url = f"/console/complaints/{complaint.id}"
    html = browser.client.get(url).get_data(as_text=True)
    assert f'href="{url}/escalate"' in html
    assert f'href="{url}/refer"' in html
    for hidden in ("acknowledge", "respond", "close", "withdraw", "refuse", "mediation"):
        assert f'href="{url}/{hidden}"' not in html, hidden
        page = browser.client.get(f"{url}/{hidden}").get_data(as_text=True)
        assert f'id="step-{hidden}"' not in page and "can't be done on this complaint now" in page, hidden
    assert 'id="step-escalate"' in browser.client.get(f"{url}/escalate").get_data(as_text=True)


def test_console_records_the_date_the_resident_asked(browser: Any, clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 6, 1, 9))
    complaint = responded()
    clock_at(dt.datetime(2026, 6, 10, 15))
    browser.sign_in(factories.make_staff().email)
    page = f"/console/complaints/{complaint.id}"
    response = browser.submit(
        f"{page}/escalate",
        {
            "escalate-requested_on": "2026-06-03",
            "escalate-reason": "",
            "escalate-backdate_reason": "By phone.",
            "confirmed": "1",
        },
        page=page,
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _stage_two_ack(complaint).due_on == dt.date(2026, 6, 10)


def test_console_escalation_asks_again_saying_what_will_happen(browser: Any, clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 6, 1, 9))
    complaint = responded()
    clock_at(dt.datetime(2026, 6, 10, 15))
    browser.sign_in(factories.make_staff().email)
    page = f"/console/complaints/{complaint.id}"
    sent = {"escalate-requested_on": "2026-06-09", "escalate-reason": "By phone.", "escalate-backdate_reason": "Late."}
    response = browser.submit(f"{page}/escalate", sent, page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Check before you go on" in html and "What will happen" in html
    assert "moves from stage 1 to stage 2" in html
    assert "Stage 2's deadlines count from 9 June 2026" in html
    assert "no case handler until one is assigned" in html
    assert 'name="confirmed"' in html and 'value="By phone."' in html
    assert Complaint.get_by_id(complaint.id).stage == 1


@pytest.mark.parametrize(("locale", "day"), [("cy", "9 Mehefin 2026"), ("en", "9 June 2026")])
def test_console_escalation_confirmation_writes_the_date_asked_in_the_readers_language(
    browser: Any, clock_at: Any, locale: str, day: str
) -> None:
    clock_at(dt.datetime(2026, 6, 1, 9))
    complaint = responded()
    clock_at(dt.datetime(2026, 6, 10, 15))
    browser.sign_in(factories.make_user("staff", locale=locale).email)
    page = f"/console/complaints/{complaint.id}"
    sent = {"escalate-requested_on": "2026-06-09", "escalate-reason": "By phone.", "escalate-backdate_reason": "Late."}
    html = browser.submit(f"{page}/escalate", sent, page=page).get_data(as_text=True)
    assert f'<dd class="own-words">{day}</dd>' in html and ">2026-06-09<" not in html


def test_console_escalation_goes_ahead_once_confirmed(browser: Any) -> None:
    complaint = responded()
    browser.sign_in(factories.make_staff().email)
    page = f"/console/complaints/{complaint.id}"
    sent = {"escalate-reason": "By phone.", "confirmed": "1"}
    assert browser.submit(f"{page}/escalate", sent, page=page).status_code == 302
    assert (Complaint.get_by_id(complaint.id).stage, Complaint.get_by_id(complaint.id).status) == (2, "received")


def test_console_refuses_a_request_date_before_the_answer_next_to_the_field(browser: Any, clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 6, 1, 9))
    complaint = responded()
    clock_at(dt.datetime(2026, 6, 10, 15))
    browser.sign_in(factories.make_staff().email)
    page = f"/console/complaints/{complaint.id}"
    response = browser.submit(
        f"{page}/escalate",
        {"escalate-requested_on": "2026-05-29", "escalate-reason": "Kept", "confirmed": "1"},
        page=page,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="escalate-requested_on-error"' in html
    assert "cannot be before our answer" in html
    assert "Kept" in html
    assert Complaint.get_by_id(complaint.id).stage == 1


def test_resident_withdraws_from_their_case_page_while_the_table_allows_it(browser: Any) -> None:
    complaint = opened()
    browser.sign_in(complaint.resident.email)
    page = f"/cases/{complaint.contact_id}"
    assert "Withdraw my complaint" in browser.client.get(page).get_data(as_text=True)
    response = browser.submit(f"{page}/withdraw", {"withdraw-reason": "Sorted out now."}, page=page)
    assert response.status_code == 302
    assert Complaint.get_by_id(complaint.id).status == "withdrawn"
    html = browser.client.get(page).get_data(as_text=True)
    assert "Withdraw my complaint" not in html
    assert "Add more information" not in html


def test_a_withdrawal_with_too_long_a_reason_keeps_the_words_next_to_the_field(browser: Any) -> None:
    complaint = opened()
    browser.sign_in(complaint.resident.email)
    page = f"/cases/{complaint.contact_id}"
    response = browser.submit(f"{page}/withdraw", {"withdraw-reason": "x" * 2_001}, page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="withdraw-reason-error"' in html
    assert 'href="#withdraw-reason"' in html
    assert "x" * 2_001 in html
    assert Complaint.get_by_id(complaint.id).status == "open"


def test_a_stale_withdrawal_is_refused_with_the_reason_kept(browser: Any) -> None:
    complaint = opened()
    browser.sign_in(complaint.resident.email)
    page = f"/cases/{complaint.contact_id}"
    journey.withdraw_complaint(actor_of(complaint.resident), complaint.id)  # from another tab, say
    response = browser.submit(f"{page}/withdraw", {"withdraw-reason": "Changed my mind."}, page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This complaint is closed, so it cannot change." in html
    assert "Changed my mind." in html
