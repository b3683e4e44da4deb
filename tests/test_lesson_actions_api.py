"""Improvement actions through real GraphQL: the path from proposed to verified, typed errors naming every missing
part, the filters, programmes, and nothing for residents or panel members."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.lessons import actions
from backend.lessons.models import ImprovementAction, Programme
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of

PROPOSE = """
mutation Propose($input: ImprovementActionProposeInput!) {
  improvementActionPropose(input: $input) {
    __typename
    ... on ImprovementActionProposed { improvementAction { id status lessonId lessonReference title owner { id } } }
    ... on ValidationError { problems { field code message } }
  }
}
"""
MOVE = """
mutation Move($input: ImprovementActionInput!) {
  authorise: improvementActionAuthorise(input: $input) {
    __typename
    ... on ImprovementActionAuthorised { improvementAction { status firstDueOn } }
    ... on ValidationError { problems { field code message } }
    ... on Problem { code message }
  }
}
"""
EVIDENCE = """
mutation Evidence($input: ImprovementActionEvidenceInput!) {
  improvementActionEvidenceAdd(input: $input) {
    __typename
    ... on ValidationError { field code problems { field code message } }
  }
}
"""
SIGN_OFF = """
mutation SignOff($input: ImprovementActionSignOffInput!) {
  improvementActionSignOff(input: $input) { __typename ... on Problem { code message } }
}
"""
VERIFY = """
mutation Verify($input: ImprovementActionVerifyInput!) {
  improvementActionVerify(input: $input) {
    __typename
    ... on ImprovementActionVerified { improvementAction { status effect } }
    ... on Problem { message }
  }
}
"""
LIST = """
query Actions($where: ImprovementActionWhere) {
  improvementActions(where: $where, first: 50) { totalCount nodes { id title overdue status } }
}
"""


def smart(lesson: Any, owner: Any, **values: Any) -> dict[str, Any]:
    return {
        "lessonId": str(lesson.id),
        "title": "Text residents the day before a repair",
        "actionType": "service_provision",
        "measure": "Missed appointments a month",
        "target": "10",
        "ownerId": str(owner.id),
        "dueOn": (local_date() + dt.timedelta(days=30)).isoformat(),
        **values,
    }


def test_api_proposes_an_action_for_a_lesson(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    lesson = factories.make_lesson(status="analysed")
    result = browser.graphql(PROPOSE, {"input": smart(lesson, staff)}).get_json()["data"]["improvementActionPropose"]
    node = result["improvementAction"]
    assert (node["status"], node["lessonId"], node["lessonReference"]) == ("proposed", str(lesson.id), lesson.reference)


def test_api_refuses_a_past_due_date_where_it_was_sent(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    sent = smart(factories.make_lesson(), staff, dueOn="2001-01-01", title="")
    problems = browser.graphql(PROPOSE, {"input": sent}).get_json()["data"]["improvementActionPropose"]["problems"]
    assert {(p["field"], p["code"]) for p in problems} == {("dueOn", "in_past"), ("title", "required")}
    assert ImprovementAction.select().count() == 0


def test_api_authorise_names_every_missing_part(browser: Any, signed_in: Any) -> None:
    lesson = factories.make_lesson()
    action = actions.propose_action(
        actor_of(factories.make_staff()), lesson.id, title="x", action_type="policy_procedure"
    )
    signed_in("manager")
    result = browser.graphql(MOVE, {"input": {"id": str(action.id)}}).get_json()["data"]["authorise"]
    summary, *parts = result["problems"]
    assert summary["code"] == "incomplete"
    assert all(part in summary["message"] for part in ("an owner", "a measure", "a target", "a due date"))
    # Then each missing part at the field that sets it, for a tool to read without parsing the sentence.
    assert [(p["field"], p["code"]) for p in parts] == [
        ("ownerId", "required"),
        ("measure", "required"),
        ("target", "required"),
        ("dueOn", "required"),
    ]
    assert all(p["message"] for p in parts)


def test_api_authorise_puts_a_past_due_date_on_due_on(browser: Any, signed_in: Any) -> None:
    action = actions.propose_action(
        actor_of(factories.make_staff()),
        factories.make_lesson(status="analysed").id,
        title="x",
        action_type="policy_procedure",
    )
    ImprovementAction.update(due_on=local_date() - dt.timedelta(days=1)).execute()
    signed_in("manager")
    result = browser.graphql(MOVE, {"input": {"id": str(action.id)}}).get_json()["data"]["authorise"]
    assert [(p["field"], p["code"]) for p in result["problems"]][1:] == [
        ("ownerId", "required"),
        ("measure", "required"),
        ("target", "required"),
        ("dueOn", "in_past"),
    ]


def test_api_authorise_an_authorised_action_says_it_is_already_authorised(browser: Any, signed_in: Any) -> None:
    boss = signed_in("manager")
    action = actions.propose_action(
        actor_of(factories.make_staff()),
        factories.make_lesson(status="analysed").id,
        title="x",
        action_type="policy_procedure",
        measure="Missed appointments",
        target="10",
        owner_id=factories.make_staff().id,
        due_on=local_date() + dt.timedelta(days=30),
    )
    actions.authorise_action(actor_of(boss), action.id)
    result = browser.graphql(MOVE, {"input": {"id": str(action.id)}}).get_json()["data"]["authorise"]
    assert (result["__typename"], result["code"]) == ("ConflictError", "already_authorised")
    assert result["message"] == "This action has been authorised already."


def test_api_evidence_problems_are_at_each_link_as_sent(browser: Any, signed_in: Any) -> None:
    boss = signed_in("manager")
    action = actions.propose_action(
        actor_of(factories.make_staff()),
        factories.make_lesson(status="analysed").id,
        title="x",
        action_type="policy_procedure",
        measure="Missed appointments",
        target="10",
        owner_id=factories.make_staff().id,
        due_on=local_date() + dt.timedelta(days=30),
    )
    actions.authorise_action(actor_of(boss), action.id)
    links = ["javascript:alert(1)", "", "http://ok.example/", "https://ok.example/report"]
    sent = {"input": {"id": str(action.id), "links": links}}
    result = browser.graphql(EVIDENCE, sent).get_json()["data"]["improvementActionEvidenceAdd"]
    assert [(p["field"], p["code"]) for p in result["problems"]] == [
        ("links[0]", "not_a_link"),
        ("links[2]", "not_a_link"),
    ]
    assert "https://" in result["problems"][0]["message"]
    nothing = browser.graphql(EVIDENCE, {"input": {"id": str(action.id)}}).get_json()["data"]
    refused = nothing["improvementActionEvidenceAdd"]
    assert (refused["field"], refused["code"]) == ("text", "none_given")


def test_api_authorise_is_not_offered_to_staff_who_are_not_managers(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    response = browser.graphql(MOVE, {"input": {"id": "1"}}).get_json()
    assert response["data"] is None or response["data"]["authorise"]["__typename"] == "NotAllowedError"


def done_action(owner: Any) -> ImprovementAction:
    boss = factories.make_user("manager")
    lesson = factories.make_lesson(status="analysed")
    action = actions.propose_action(
        actor_of(owner),
        lesson.id,
        title="Reminders",
        action_type="service_provision",
        measure="Missed",
        target="10",
        owner_id=owner.id,
        due_on=local_date() + dt.timedelta(days=10),
    )
    actions.authorise_action(actor_of(boss), action.id)
    actions.start_action(actor_of(owner), action.id)
    return actions.complete_action(actor_of(owner), action.id, text="Live.")


def test_api_sign_off_by_the_owner_is_not_allowed(browser: Any, signed_in: Any) -> None:
    owner = signed_in("manager")
    action = done_action(owner)
    result = browser.graphql(SIGN_OFF, {"input": {"id": str(action.id)}}).get_json()["data"]
    refused = result["improvementActionSignOff"]
    assert (refused["__typename"], refused["code"]) == ("NotAllowedError", "own_action")
    assert "another manager" in refused["message"]


def test_api_verify_an_action_not_signed_off_is_a_conflict(browser: Any, signed_in: Any) -> None:
    action = done_action(factories.make_staff())
    signed_in("manager")
    sent = {"id": str(action.id), "effect": "addressed", "note": "Halved."}
    result = browser.graphql(VERIFY, {"input": sent}).get_json()["data"]["improvementActionVerify"]
    assert result["__typename"] == "ConflictError" and "sign off" in result["message"]


def test_api_signs_off_and_verifies_an_action(browser: Any, signed_in: Any) -> None:
    action = done_action(factories.make_staff())
    signed_in("manager")
    assert (
        browser.graphql(SIGN_OFF, {"input": {"id": str(action.id)}}).get_json()["data"]["improvementActionSignOff"][
            "__typename"
        ]
        == "ImprovementActionSignedOff"
    )
    sent = {"id": str(action.id), "effect": "not_addressed", "note": "No change.", "nextStep": "follow_up"}
    result = browser.graphql(VERIFY, {"input": sent}).get_json()["data"]["improvementActionVerify"]
    assert result["improvementAction"] == {"status": "verified", "effect": "not_addressed"}
    assert ImprovementAction.get(ImprovementAction.follows == action.id).status == "proposed"


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"overdue": {"eq": True}}, ["Late"]),
        ({"status": {"eq": "proposed"}}, ["Proposed"]),
        ({"actionType": {"eq": "staff_training"}}, ["Training"]),
        ({"team": {"eq": "Repairs team"}}, ["Late"]),
    ],
)
def test_api_filters_actions(browser: Any, signed_in: Any, where: dict, expected: list[str]) -> None:
    lesson = factories.make_lesson()
    yesterday = local_date() - dt.timedelta(days=1)
    factories.make_improvement_action(lesson, title="Late", status="in_progress", due_on=yesterday, team="Repairs team")
    factories.make_improvement_action(lesson, title="Proposed", due_on=yesterday)
    factories.make_improvement_action(lesson, title="Training", status="authorised", action_type="staff_training")
    signed_in("staff")
    nodes = browser.graphql(LIST, {"where": where}).get_json()["data"]["improvementActions"]["nodes"]
    assert [n["title"] for n in nodes] == expected


def test_api_filters_actions_by_lesson_and_owner(browser: Any, signed_in: Any) -> None:
    owner = factories.make_staff()
    mine = factories.make_improvement_action(title="Mine", owner=owner.id)
    factories.make_improvement_action(title="Other")
    signed_in("staff")
    for where in ({"lessonId": {"eq": str(mine.lesson_id)}}, {"owner": {"id": {"eq": str(owner.id)}}}):
        nodes = browser.graphql(LIST, {"where": where}).get_json()["data"]["improvementActions"]["nodes"]
        assert [n["title"] for n in nodes] == ["Mine"]


@pytest.mark.parametrize("role", ["resident", "panel_member"])
def test_api_hides_actions_from_residents_and_panel_members(browser: Any, signed_in: Any, role: str) -> None:
    factories.make_improvement_action()
    signed_in(role)
    response = browser.graphql(LIST).get_json()
    assert response.get("data") is None and response["errors"]


def test_api_programmes_are_edited_by_managers(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    create = """mutation($input: ProgrammeCreateInput!) { programmeCreate(input: $input) { __typename } }"""
    result = browser.graphql(create, {"input": {"name": "Repairs first", "description": "The repairs programme."}})
    assert result.get_json()["data"]["programmeCreate"]["__typename"] == "ProgrammeCreated"
    assert Programme.get().name == "Repairs first"


def test_api_overdue_follows_the_uk_date_of_the_request(browser: Any, signed_in: Any, clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10))
    factories.make_improvement_action(title="Late", status="in_progress", due_on=dt.date(2026, 3, 5))
    signed_in("staff")
    overdue = {"where": {"overdue": {"eq": True}}}
    assert browser.graphql(LIST, overdue).get_json()["data"]["improvementActions"]["totalCount"] == 0
    clock_at(dt.datetime(2026, 3, 6, 10))
    assert browser.graphql(LIST, overdue).get_json()["data"]["improvementActions"]["totalCount"] == 1


UPDATE = """
mutation Update($input: ImprovementActionUpdateInput!) {
  improvementActionUpdate(input: $input) {
    __typename
    ... on ImprovementActionUpdated {
      improvementAction { title actionType measure target team dueOn owner { id } }
    }
    ... on ValidationError { problems { field code message } }
    ... on Problem { code }
  }
}
"""
DUE_CHANGE = """
mutation Due($input: ImprovementActionDueDateChangeInput!) { improvementActionDueDateChange(input: $input) { __typename } }
"""


ACTION_VALUES: dict[str, Any] = {
    "title": "Text residents the day before a repair",
    "action_type": "service_provision",
    "measure": "Missed appointments a month",
    "target": "10",
    "due_on": local_date() + dt.timedelta(days=30),
}


def test_api_update_keeps_the_smart_parts_not_given(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    action = actions.propose_action(
        actor_of(staff),
        factories.make_lesson(status="analysed").id,
        **{**ACTION_VALUES, "owner_id": staff.id, "team": "Repairs team"},
    )
    due = (local_date() + dt.timedelta(days=60)).isoformat()
    sent = {"id": str(action.id), "title": "Text and email residents", "actionType": "working_practice", "dueOn": due}
    node = browser.graphql(UPDATE, {"input": sent}).get_json()["data"]["improvementActionUpdate"]["improvementAction"]
    assert node == {
        "title": "Text and email residents",
        "actionType": "working_practice",
        "measure": "Missed appointments a month",
        "target": "10",
        "team": "Repairs team",
        "dueOn": due,
        "owner": {"id": str(staff.id)},
    }
    cleared = browser.graphql(UPDATE, {"input": {"id": str(action.id), "ownerId": None, "team": None, "target": None}})
    node = cleared.get_json()["data"]["improvementActionUpdate"]["improvementAction"]
    assert (node["owner"], node["team"], node["target"], node["measure"]) == (
        None,
        None,
        "",
        "Missed appointments a month",
    )


def test_api_update_cannot_clear_the_title_or_the_type(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    action = actions.propose_action(actor_of(staff), factories.make_lesson(status="analysed").id, **ACTION_VALUES)
    result = browser.graphql(UPDATE, {"input": {"id": str(action.id), "title": None, "actionType": None}}).get_json()
    problems = result["data"]["improvementActionUpdate"]["problems"]
    assert {(p["field"], p["code"]) for p in problems} == {("title", "required"), ("actionType", "required")}


def test_api_update_of_an_authorised_action_is_a_conflict(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    action = actions.propose_action(
        actor_of(staff), factories.make_lesson(status="analysed").id, **{**ACTION_VALUES, "owner_id": staff.id}
    )
    actions.authorise_action(actor_of(factories.make_user("manager")), action.id)
    later = (local_date() + dt.timedelta(days=90)).isoformat()
    result = browser.graphql(UPDATE, {"input": {"id": str(action.id), "dueOn": later}}).get_json()
    assert result["data"]["improvementActionUpdate"] == {"__typename": "ConflictError", "code": "not_proposed"}


def test_api_due_date_change_needs_the_new_date(browser: Any, signed_in: Any) -> None:
    signed_in("staff", "manager")
    result = browser.graphql(DUE_CHANGE, {"input": {"id": "1", "reason": "Supplier late"}}).get_json()
    assert "toDate" in result["errors"][0]["message"]
