"""A remedy or outstanding action promised in a response is due today (UK time) or later: a day that has passed is
refused by the service, the API and the console, with words that say so, and nothing is issued."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.complaints import approval, investigation, journey, responses
from backend.complaints.models import Complaint, ComplaintPoint, ComplaintResponse, OutstandingAction, Remedy
from backend.errors import Invalid
from schema.error_texts import INVALID
from tests import factories
from tests.factories import actor_of

RECEIVED = dt.datetime(2026, 3, 2, 10)  # Mon 2 March 2026, GMT
ANSWERED = dt.datetime(2026, 3, 10, 23, 30)  # Tue 10 March, 23:30 GMT: still the 10th in the UK
PASSED = dt.date(2026, 3, 9)  # after the complaint was made, but yesterday
TODAY = dt.date(2026, 3, 10)
RESPOND = """
mutation ($input: ComplaintRespondInput!) {
  complaintRespond(input: $input) {
    __typename
    ... on ValidationError { problems { field code message } }
  }
}
"""


def defined(handler: Any) -> Complaint:
    """A complaint received on RECEIVED and acknowledged by ``handler``; the clock is then at ANSWERED."""
    complaint = factories.acknowledged_complaint(handler)
    return Complaint.get_by_id(complaint.id)


def answer(handler: Any, complaint: Any, remedy_due: dt.date | None, action_due: dt.date | None) -> Any:
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id, ComplaintPoint.stage == complaint.stage)
    return responses.respond_to_complaint(
        actor_of(handler),
        complaint.id,
        {point.id: ("upheld", "We were late.")},
        "Reasons",
        "Next",
        [responses.RemedyInput("apology", "Sorry", remedy_due, owner_id=handler.id)] if remedy_due else [],
        [responses.ActionInput("Replace the tap", action_due, owner_id=handler.id)] if action_due else [],
        underlying_cause="Late visits",
        remedial_action="Reminders",
    )


@pytest.mark.parametrize(
    ("remedy_due", "action_due", "problem"),
    [
        pytest.param(PASSED, None, ("remedies", "due_in_past"), id="remedy"),
        pytest.param(TODAY, PASSED, ("actions", "due_in_past"), id="action"),
        pytest.param(dt.date(2026, 3, 1), None, ("remedies", "due_before_complaint"), id="before-complaint"),
    ],
)
def test_respond_to_complaint_refuses_a_promise_due_on_a_passed_day(
    clock_at: Any, remedy_due: dt.date, action_due: dt.date | None, problem: tuple[str, str]
) -> None:
    clock_at(RECEIVED)
    handler = factories.make_staff()
    complaint = defined(handler)
    clock_at(ANSWERED)
    with pytest.raises(Invalid) as refused:
        answer(handler, complaint, remedy_due, action_due)
    assert [(p.field, p.code) for p in refused.value.problems] == [problem]
    assert Complaint.get_by_id(complaint.id).status == "open"
    assert not Remedy.select().where(Remedy.complaint == complaint.id).exists()


def test_respond_to_complaint_accepts_promises_due_today(clock_at: Any) -> None:
    clock_at(RECEIVED)
    handler = factories.make_staff()
    complaint = defined(handler)
    clock_at(ANSWERED)
    response = answer(handler, complaint, TODAY, TODAY)
    assert isinstance(response, ComplaintResponse)
    assert Remedy.get(Remedy.complaint == complaint.id).due_on == TODAY
    assert OutstandingAction.get(OutstandingAction.complaint == complaint.id).due_on == TODAY


def test_complaint_respond_mutation_places_a_passed_due_date_on_the_action(
    browser: Any, signed_in: Any, clock_at: Any
) -> None:
    clock_at(RECEIVED)
    handler = signed_in("staff")
    complaint = defined(handler)
    clock_at(ANSWERED)
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    values = {
        "id": str(complaint.id),
        "decisions": [{"pointId": str(point.id), "decision": "not_upheld", "reasons": "On time"}],
        "reasons": "We looked into it.",
        "nextSteps": "Ask for stage 2.",
        "actions": [{"description": "Check the tap", "dueOn": PASSED.isoformat(), "ownerId": str(handler.id)}],
    }
    body = browser.graphql(RESPOND, {"input": values}).get_json()
    assert "errors" not in body, body
    problems = body["data"]["complaintRespond"]["problems"]
    assert [(p["field"], p["code"], p["message"]) for p in problems] == [
        ("actions[0].dueOn", "due_in_past", INVALID[("actions", "due_in_past")])
    ]
    assert Complaint.get_by_id(complaint.id).status == "open"


def test_console_respond_shows_a_passed_due_date_next_to_the_remedy_and_keeps_the_form(
    browser: Any, signed_in: Any, clock_at: Any
) -> None:
    clock_at(RECEIVED)
    handler = signed_in("staff")
    complaint = defined(handler)
    clock_at(ANSWERED)
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    url = f"/console/complaints/{complaint.id}/respond"
    data = {
        f"decision_{point.id}": "upheld",
        f"decision_reasons_{point.id}": "We were late.",
        "reasons": "We looked into it.",
        "next_steps": "Stage 2.",
        "underlying_cause": "Late visits",
        "remedial_action": "Reminders",
        "remedy_kind_1": "apology",
        "remedy_description_1": "An apology letter",
        "remedy_due_1": PASSED.isoformat(),
        "remedy_owner_1": str(handler.id),
    }
    sent = browser.submit(url, {f"respond-{key}": value for key, value in data.items()}, page=url)
    html = sent.get_data(as_text=True)
    assert sent.status_code == 400
    message = INVALID[("remedies", "due_in_past")].replace("'", "&#39;")
    assert f'<a href="#respond-remedy_due_1">{message}</a>' in html
    assert "An apology letter</textarea>" in html and PASSED.isoformat() in html
    assert Complaint.get_by_id(complaint.id).status == "open"


def test_sign_off_refuses_a_draft_whose_promise_fell_due_while_it_waited(clock_at: Any) -> None:
    clock_at(RECEIVED)
    handler, manager = factories.make_staff(), factories.make_user("manager")
    scottish = factories.make_complaint(factories.make_user(home=factories.make_home(nation="scotland")))
    investigation.start_investigation(actor_of(handler), scottish.id, "Complex: three services.")
    complaint = journey.acknowledge_complaint(actor_of(handler), scottish.id, [("Damp", "Fix it")], "A repair")
    clock_at(dt.datetime(2026, 3, 9, 10))
    answer(handler, complaint, PASSED, None)  # due that day: fine when written, waiting for sign-off
    clock_at(ANSWERED)
    with pytest.raises(Invalid) as refused:
        approval.sign_off_response(actor_of(manager), complaint.id)
    assert [(p.field, p.code) for p in refused.value.problems] == [("remedies", "due_in_past")]
    assert Complaint.get_by_id(complaint.id).status == "open"
