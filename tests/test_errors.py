"""The error model: services gather every problem with one input, and the API reports each where it was sent."""

from __future__ import annotations

from typing import Any

import pytest

from backend.complaints import journey
from backend.complaints.models import ComplaintPoint, RegimeStage
from backend.errors import Invalid, gather
from schema.complaints.mutations import ComplaintRespondInput, ContactSubmitInput
from schema.errors import input_path
from tests import factories
from tests.conftest import Browser
from tests.factories import actor_of

PROBLEMS = "... on Problem { code message } ... on ValidationError { field problems { field code message } }"


def mutate(browser: Browser, name: str, input_type: str, values: dict[str, Any]) -> dict[str, Any]:
    query = f"mutation ($input: {input_type}!) {{ {name}(input: $input) {{ __typename {PROBLEMS} }} }}"
    body = browser.graphql(query, {"input": values}).get_json()
    assert "errors" not in body, body
    return body["data"][name]


def fields_and_codes(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(problem["field"], problem["code"]) for problem in result["problems"]]


# --- Gathering problems in the backend --------------------------------------------------------


def test_gather_without_problems_raises_nothing() -> None:
    with gather() as problems:
        problems.found.extend([])


def test_gather_reports_every_problem_and_the_first_speaks_for_all() -> None:
    with pytest.raises(Invalid) as caught, gather() as problems:
        problems.add("channel", "unsupported")
        problems.add("description", "too_long", maximum=10)
    assert (caught.value.field, caught.value.code) == ("channel", "unsupported")
    assert [(p.field, p.code, p.params) for p in caught.value.problems] == [
        ("channel", "unsupported", {}),
        ("description", "too_long", {"maximum": 10}),
    ]


def test_invalid_raised_out_of_gather_joins_the_problems_found_before_it() -> None:
    with pytest.raises(Invalid) as caught, gather() as problems:
        problems.add("channel", "unsupported")
        raise Invalid("locale", "unsupported")
    assert [p.field for p in caught.value.problems] == ["channel", "locale"]


def test_check_carries_on_after_a_problem_and_places_it_under_a_part_of_the_input() -> None:
    with pytest.raises(Invalid) as caught, gather() as problems:
        with problems.check("person"):
            raise Invalid.many([Invalid("email", "invalid"), Invalid("phone", "invalid")])
        problems.add("channel", "unsupported")
    assert [p.at for p in caught.value.problems] == [("person", "email"), ("person", "phone"), ("channel",)]


def test_a_problem_is_at_its_field_unless_told_otherwise() -> None:
    assert Invalid("reasons", "required").at == ("reasons",)
    assert Invalid("reasons", "required", at=("decisions", 2, "reasons")).at == ("decisions", 2, "reasons")


# --- Paths as the input was sent ---------------------------------------------------------------


def test_input_path_puts_a_backend_name_in_camel_case() -> None:
    assert input_path(("received_at",), ContactSubmitInput) == "receivedAt"


def test_input_path_names_the_id_the_input_takes() -> None:
    assert input_path(("resident",), ContactSubmitInput) == "residentId"
    assert input_path(("service_area",), ContactSubmitInput) == "serviceAreaId"


def test_input_path_writes_list_indexes_and_nested_fields() -> None:
    assert input_path(("decisions", 2, "reasons"), ComplaintRespondInput) == "decisions[2].reasons"
    assert input_path(("remedies", 0, "due_on"), ComplaintRespondInput) == "remedies[0].dueOn"


def test_input_path_follows_nested_input_types() -> None:
    assert input_path(("person", "contact_channel"), ContactSubmitInput) == "person.contactChannel"
    assert input_path(("actions", 1, "owner"), ComplaintRespondInput) == "actions[1].ownerId"


def test_input_path_leaves_a_name_the_input_lacks_in_camel_case() -> None:
    assert input_path(("response",), ComplaintRespondInput) == "response"
    assert input_path(("logged_via",), ContactSubmitInput) == "loggedVia"


def test_input_path_without_an_input_type_only_changes_the_case() -> None:
    assert input_path(("current_password",)) == "currentPassword"


# --- Every problem with one input, reported at once --------------------------------------------


def test_contact_submit_reports_every_problem_at_once(signed_in: Any, browser: Browser) -> None:
    signed_in("staff")
    values = {
        "channel": "email",
        "description": "",
        "nation": "england",
        "receivedAt": "2999-01-01T00:00:00Z",
        "idempotencyKey": "short",
        "person": {"name": "Ada Byron", "email": "not an address"},
    }
    result = mutate(browser, "contactSubmit", "ContactSubmitInput", values)
    assert result["__typename"] == "ValidationError"
    assert fields_and_codes(result) == [
        ("description", "required"),
        ("receivedAt", "in_future"),
        ("person.email", "invalid"),
        ("idempotencyKey", "invalid"),
    ]
    assert (result["field"], result["code"], result["message"]) == (
        "description",
        "required",
        result["problems"][0]["message"],
    )
    assert all(problem["message"] for problem in result["problems"])


def test_contact_submit_names_the_resident_id_it_was_sent(signed_in: Any, browser: Browser) -> None:
    signed_in("staff")
    values = {"channel": "email", "description": "Damp", "residentId": "999999"}
    result = mutate(browser, "contactSubmit", "ContactSubmitInput", values)
    assert (result["field"], result["code"]) == ("residentId", "not_found")


def test_contact_submit_lists_every_unknown_id_at_its_field(signed_in: Any, browser: Browser) -> None:
    signed_in("staff")
    missing = "999999"
    names = ("residentId", "homeId", "serviceAreaId", "categoryId", "relatedRequestId")
    values = {"channel": "email", "description": "", **dict.fromkeys(names, missing)}
    result = mutate(browser, "contactSubmit", "ContactSubmitInput", values)
    assert fields_and_codes(result) == [
        ("description", "required"),
        ("serviceAreaId", "not_found"),
        ("categoryId", "not_found"),
        ("residentId", "not_found"),
        ("homeId", "not_found"),
        ("relatedRequestId", "not_found"),
    ]
    assert all(problem["message"] != "Check this value and try again." for problem in result["problems"])


@pytest.mark.parametrize("malformed", ["abc", "99999999999999999999999", "-1"])
def test_contact_submit_reports_a_malformed_reference_id_at_its_field(
    signed_in: Any, browser: Browser, malformed: str
) -> None:
    signed_in("staff")
    values = {"channel": "email", "description": "", "nation": "england", "serviceAreaId": malformed}
    values |= {"residentId": malformed, "relatedRequestId": malformed}
    result = mutate(browser, "contactSubmit", "ContactSubmitInput", values)
    assert fields_and_codes(result) == [
        ("description", "required"),
        ("serviceAreaId", "not_found"),
        ("residentId", "not_found"),
        ("relatedRequestId", "not_found"),
    ]


def test_malformed_id_of_what_is_acted_on_is_not_found(signed_in: Any, browser: Browser) -> None:
    signed_in("staff")
    result = mutate(browser, "contactClose", "CaseIdInput", {"id": "abc"})
    assert (result["__typename"], result["code"]) == ("NotFoundError", "not_found")


def test_assign_reports_a_malformed_handler_id_at_its_field(signed_in: Any, browser: Browser) -> None:
    complaint = factories.make_complaint()
    signed_in("staff")
    values = {"id": str(complaint.id), "handlerId": "abc"}
    result = mutate(browser, "complaintAssign", "ComplaintAssignInput", values)
    assert fields_and_codes(result) == [("handlerId", "not_staff")]


def test_respond_reports_an_unknown_action_owner_at_its_field(signed_in: Any, browser: Browser) -> None:
    handler = signed_in("staff")
    complaint = factories.acknowledged_complaint(handler)
    point = factories.make_complaint_point(complaint)
    values = {
        "id": str(complaint.id),
        "decisions": [{"pointId": str(point.id), "decision": "upheld", "reasons": "Late"}],
        "reasons": "We looked into it.",
        "nextSteps": "Ask for stage 2.",
        "remedies": [{"kind": "apology", "description": "Sorry", "dueOn": "2099-01-01", "ownerId": str(handler.id)}],
        "underlyingCause": "No reminder.",
        "remedialAction": "Reminders.",
        "actions": [
            {"description": "Fix the tap", "dueOn": "2099-01-01", "ownerId": str(handler.id)},
            {"description": "Call back", "dueOn": "2099-01-01", "ownerId": "abc"},
        ],
    }
    result = mutate(browser, "complaintRespond", "ComplaintRespondInput", values)
    assert ("actions[1].ownerId", "not_found") in fields_and_codes(result)
    assert not [field for field, _code in fields_and_codes(result) if field.startswith("actions[0]")]


def test_acknowledge_reports_each_point_where_it_was_sent(signed_in: Any, browser: Browser) -> None:
    complaint = factories.make_complaint()
    signed_in("staff")
    values = {
        "id": str(complaint.id),
        "points": [{"text": "The tap leaks"}, {"text": "x" * 2001}, {"text": "Late", "outcomeSought": "y" * 2001}],
        "outcomesSought": "",
    }
    result = mutate(browser, "complaintAcknowledge", "ComplaintAcknowledgeInput", values)
    assert fields_and_codes(result) == [
        ("points[1].text", "too_long"),
        ("points[2].outcomeSought", "too_long"),
        ("outcomesSought", "required"),
    ]


def test_respond_reports_each_decision_where_it_was_sent(signed_in: Any, browser: Browser) -> None:
    handler = signed_in("staff")
    complaint = factories.acknowledged_complaint(handler)
    point = factories.make_complaint_point(complaint)
    values = {
        "id": str(complaint.id),
        "decisions": [{"pointId": str(point.id), "decision": "upheld", "reasons": ""}],
        "reasons": "We looked into it.",
        "nextSteps": "Ask for stage 2.",
        "remedies": [{"kind": "apology", "description": "Sorry", "dueOn": None, "amount": "lots"}],
        "underlyingCause": "No reminder.",
        "remedialAction": "Reminders.",
    }
    result = mutate(browser, "complaintRespond", "ComplaintRespondInput", values)
    assert fields_and_codes(result) == [
        ("response", "incomplete"),
        ("decisions[0].reasons", "required"),
        ("remedies[0].dueOn", "due_required"),
        ("remedies[0].amount", "bad_amount"),
        ("remedies[0].ownerId", "owner_required"),
    ]
    assert "the reasons for the decision on every point" in result["message"]


def test_respond_reports_unknown_foreign_and_repeated_points_where_they_were_sent(
    signed_in: Any, browser: Browser
) -> None:
    handler = signed_in("staff")
    complaint = factories.acknowledged_complaint(handler)
    point = factories.make_complaint_point(complaint)
    foreign = factories.make_complaint_point()
    decided = {"decision": "not_upheld", "reasons": "Done on time."}
    values = {
        "id": str(complaint.id),
        "decisions": [
            {"pointId": str(point.id), **decided},
            {"pointId": "999999", **decided},
            {"pointId": str(foreign.id), **decided},
            {"pointId": str(point.id), "decision": "upheld", "reasons": ""},
            {"pointId": "abc", **decided},
        ],
        "reasons": "We looked into it.",
        "nextSteps": "Ask for stage 2.",
    }
    result = mutate(browser, "complaintRespond", "ComplaintRespondInput", values)
    assert fields_and_codes(result) == [
        ("decisions[1].pointId", "not_found"),
        ("decisions[2].pointId", "not_found"),
        ("decisions[3].pointId", "duplicate"),
        ("decisions[4].pointId", "not_found"),
    ]
    unknown, foreign_point = result["problems"][:2]
    assert unknown["message"] == foreign_point["message"]


def test_respond_keeps_each_decisions_place_after_a_repeat(signed_in: Any, browser: Browser) -> None:
    handler = signed_in("staff")
    complaint = journey.acknowledge_complaint(
        actor_of(handler), factories.make_complaint().id, [("Late", "Sooner"), ("Rude", "Sorry")], "Both"
    )
    first, second = (
        ComplaintPoint.select().where(ComplaintPoint.complaint == complaint.id).order_by(ComplaintPoint.position)
    )
    values = {
        "id": str(complaint.id),
        "decisions": [
            {"pointId": str(first.id), "decision": "not_upheld", "reasons": "On time."},
            {"pointId": str(first.id), "decision": "not_upheld", "reasons": "On time."},
            {"pointId": str(second.id), "decision": "not_upheld", "reasons": ""},
        ],
        "reasons": "We looked into it.",
        "nextSteps": "Ask for stage 2.",
    }
    result = mutate(browser, "complaintRespond", "ComplaintRespondInput", values)
    assert fields_and_codes(result) == [
        ("response", "incomplete"),
        ("decisions[2].reasons", "required"),
        ("decisions[1].pointId", "duplicate"),
    ]


def test_respond_names_every_missing_part(signed_in: Any, browser: Browser) -> None:
    handler = signed_in("staff")
    complaint = factories.acknowledged_complaint(handler)
    point = factories.make_complaint_point(complaint)
    values = {
        "id": str(complaint.id),
        "decisions": [{"pointId": str(point.id), "decision": "upheld", "reasons": "Late"}],
        "reasons": "",
        "nextSteps": "",
    }
    result = mutate(browser, "complaintRespond", "ComplaintRespondInput", values)
    assert fields_and_codes(result) == [
        ("response", "incomplete"),
        ("reasons", "required"),
        ("nextSteps", "required"),
        ("remedies", "required"),
        ("underlyingCause", "required"),
        ("remedialAction", "required"),
    ]
    assert result["problems"][1]["message"] == "Give the reasons."
    assert (
        result["problems"][3]["message"]
        == "This is not complete yet. Still missing: a remedy, because a point is upheld."
    )


def test_respond_without_a_decision_on_a_point_says_so_on_decisions(signed_in: Any, browser: Browser) -> None:
    handler = signed_in("staff")
    complaint = factories.acknowledged_complaint(handler)
    values = {"id": str(complaint.id), "decisions": [], "reasons": "Reasons", "nextSteps": "Next"}
    result = mutate(browser, "complaintRespond", "ComplaintRespondInput", values)
    assert fields_and_codes(result) == [("response", "incomplete"), ("decisions", "required")]


def test_profile_update_reports_every_problem_at_once(signed_in: Any, browser: Browser) -> None:
    signed_in("resident")
    values = {"displayName": "Sam\nPay now", "locale": "tlh", "accessibilityNeeds": "x" * 5000}
    result = mutate(browser, "viewerProfileUpdate", "ViewerProfileInput", values)
    assert fields_and_codes(result) == [
        ("displayName", "hidden_characters"),
        ("locale", "unsupported"),
        ("accessibilityNeeds", "too_long"),
    ]


def test_survey_create_reports_every_problem_at_once(signed_in: Any, browser: Browser) -> None:
    signed_in("manager")
    values = {"title": [{"locale": "cy", "text": "Arolwg"}], "expiryDays": 999, "reminderDays": -1}
    result = mutate(browser, "surveyCreate", "SurveyCreateInput", values)
    assert fields_and_codes(result) == [
        ("title", "english_required"),
        ("expiryDays", "out_of_range"),
        ("reminderDays", "out_of_range"),
    ]


def test_record_update_reports_every_problem_at_once(signed_in: Any, browser: Browser) -> None:
    signed_in("admin")
    stage = RegimeStage.select().first()
    values = {"id": str(stage.id), "name": "", "maxExtensionDays": 99}
    result = mutate(browser, "regimeStageUpdate", "RegimeStageUpdateInput", values)
    assert fields_and_codes(result) == [
        ("name", "required"),
        ("maxExtensionDays", "out_of_range"),
    ]


# --- Every typed error is a Problem --------------------------------------------------------------


def test_not_found_error_is_a_problem_with_a_code(signed_in: Any, browser: Browser) -> None:
    signed_in("staff")
    result = mutate(browser, "complaintWithdraw", "ComplaintReasonInput", {"id": "999999"})
    assert result["__typename"] == "NotFoundError"
    assert result["code"] == "not_found" and result["message"]


def test_not_allowed_error_is_a_problem_with_a_code(signed_in: Any, browser: Browser) -> None:
    signed_in("resident")
    values = {"channel": "email", "description": "Damp", "anonymous": True}
    result = mutate(browser, "contactSubmit", "ContactSubmitInput", values)
    assert (result["__typename"], result["code"]) == ("NotAllowedError", "not_allowed")
    assert result["message"]


def test_conflict_error_keeps_its_domain_code(signed_in: Any, browser: Browser) -> None:
    signed_in("staff")
    complaint = factories.acknowledged_complaint()
    values = {"id": str(complaint.id), "points": [{"text": "Again"}], "outcomesSought": "A fix"}
    result = mutate(browser, "complaintAcknowledge", "ComplaintAcknowledgeInput", values)
    assert (result["__typename"], result["code"]) == ("ConflictError", "already_acknowledged")


def test_a_due_date_before_the_complaint_is_placed_on_the_action(signed_in: Any, browser: Browser) -> None:
    handler = signed_in("staff")
    complaint = factories.acknowledged_complaint(handler)
    point = factories.make_complaint_point(complaint)
    values = {
        "id": str(complaint.id),
        "decisions": [{"pointId": str(point.id), "decision": "not_upheld", "reasons": "On time"}],
        "reasons": "We looked into it.",
        "nextSteps": "Ask for stage 2.",
        "actions": [{"description": "Check", "dueOn": "2030-01-01"}, {"description": "", "dueOn": "2000-01-01"}],
    }
    result = mutate(browser, "complaintRespond", "ComplaintRespondInput", values)
    assert fields_and_codes(result) == [
        ("actions[0].ownerId", "owner_required"),
        ("actions[1].description", "required"),
        ("actions[1].dueOn", "due_before_complaint"),
        ("actions[1].ownerId", "owner_required"),
    ]


def test_own_account_change_with_nobody_signed_in_is_sign_in_required(app: Any) -> None:
    from schema.context import Context

    schema = app.extensions["learnloop.engine"].schema_for(frozenset({"resident"}))
    mutation = 'mutation { viewerProfileUpdate(input: {locale: "cy"}) { ... on Problem { code message } } }'
    result = schema.execute_sync(mutation, context_value=Context())
    assert result.data == {
        "viewerProfileUpdate": {"code": "sign_in_required", "message": "You need to sign in to do that."}
    }


def test_a_field_and_code_two_inputs_share_gets_the_message_of_what_it_is_about() -> None:
    from backend.errors import Invalid
    from schema.error_texts import message_for

    def plain(text: str) -> str:
        return text

    order = message_for(Invalid("due_on", "too_far", about="promise"), plain)
    review = message_for(Invalid("due_on", "too_far", maximum=90), plain)
    assert order == "Check the date: it is more than five years away."
    assert review == "Set a target date at most 90 days ahead."
    assert "%(" not in order + review
    complied = message_for(Invalid("evidence", "required", about="ombudsman_order"), plain)
    assert complied == "Say what shows the order was complied with."
