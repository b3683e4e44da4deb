"""Lesson review, findings, responses and publication through GraphQL, for each role."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.panels import findings, publication, responses
from backend.panels.models import Recommendation
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of

ANNOTATE = """
mutation ($input: LessonAnnotationAddInput!) {
  lessonAnnotationAdd(input: $input) {
    __typename
    ... on LessonAnnotationAdded { lessonAnnotation { comment rating authorName } }
    ... on ValidationError { problems { field code } }
  }
}
"""
SAVE = """
mutation ($input: FindingsDraftSaveInput!) {
  findingsDraftSave(input: $input) {
    __typename
    ... on FindingsVersionSaved { findingsVersion { id number recommendations } }
  }
}
"""
SIGN = """
mutation ($id: ID!) { findingsSignOff(input: {id: $id}) { __typename } }
"""
RESPOND = """
mutation ($input: RecommendationRespondInput!) {
  recommendationRespond(input: $input) {
    __typename
    ... on RecommendationResponded { recommendation { decision actionStatus } }
    ... on ValidationError { problems { field code } }
  }
}
"""
RECOMMENDATIONS = "{ recommendations { nodes { number text decision reason actionStatus } } }"
PUBLIC = """
query ($ref: String!) {
  scrutinyReport(reference: $ref) { reference summary recommendations { number decision reason progress } }
}
"""


def setting() -> dict[str, Any]:
    panel = factories.make_panel()
    review = factories.make_scrutiny_review(panel)
    item = factories.make_pack_item(review, kind="lesson", lesson=factories.make_lesson().id, url="")
    chair = factories.make_panel_membership(panel, role="chair").person
    return {"panel": panel, "review": review, "item": item, "chair": chair}


def data(browser: Any, query: str, **variables: Any) -> dict[str, Any]:
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    return body["data"]


def sign_in_member(browser: Any, panel: Any) -> Any:
    person = factories.make_panel_membership(panel).person
    assert browser.sign_in(person.email).status_code == 302
    return person


def test_member_annotates_their_own_lesson_item(browser: Any) -> None:
    s = setting()
    person = sign_in_member(browser, s["panel"])
    got = data(browser, ANNOTATE, input={"itemId": str(s["item"].id), "comment": "Letters only", "rating": "partly"})
    assert got["lessonAnnotationAdd"]["lessonAnnotation"] == {
        "comment": "Letters only",
        "rating": "partly",
        "authorName": person.display_name,
    }


def test_member_of_another_panel_gets_not_found(browser: Any) -> None:
    s = setting()
    sign_in_member(browser, factories.make_panel())
    got = data(browser, ANNOTATE, input={"itemId": str(s["item"].id), "comment": "x"})
    assert got["lessonAnnotationAdd"]["__typename"] == "NotFoundError"
    factories.make_lesson_annotation(s["item"])
    assert data(browser, "{ lessonAnnotations { nodes { comment } } }")["lessonAnnotations"]["nodes"] == []


def test_staff_draft_is_refused_and_member_draft_saved_and_chair_signs(browser: Any, signed_in: Any) -> None:
    s = setting()
    signed_in("staff")
    variables = {"reviewId": str(s["review"].id), "summary": "What we found.", "recommendations": ["One"]}
    assert data(browser, SAVE, input=variables)["findingsDraftSave"]["__typename"] == "NotAllowedError"
    browser.sign_out()
    sign_in_member(browser, s["panel"])
    version = data(browser, SAVE, input=variables)["findingsDraftSave"]["findingsVersion"]
    assert version["number"] == 1
    assert data(browser, SIGN, id=version["id"])["findingsSignOff"]["__typename"] == "NotAllowedError"
    browser.sign_out()
    browser.sign_in(s["chair"].email)
    assert data(browser, SIGN, id=version["id"])["findingsSignOff"]["__typename"] == "FindingsVersionSignedOff"


def signed(s: dict[str, Any]) -> Recommendation:
    version = findings.save_draft(actor_of(s["chair"]), s["review"].id, "S", "F", ["Shorten the letter."])
    findings.sign_off(actor_of(s["chair"]), version.id)
    return Recommendation.get(Recommendation.review == s["review"].id)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"decision": "not_accepted", "reason": ""}, [{"field": "reason", "code": "required"}]),
        (
            {"decision": "accepted", "reason": "Yes"},
            [{"field": "ownerId", "code": "required"}, {"field": "dueOn", "code": "required"}],
        ),
    ],
)
def test_respond_refuses_bad_input(browser: Any, signed_in: Any, values: dict[str, Any], expected: Any) -> None:
    rec = signed(setting())
    signed_in("manager")
    got = data(browser, RESPOND, input={"id": str(rec.id), **values})["recommendationRespond"]
    assert got["problems"] == expected


def test_manager_accepts_and_member_sees_progress_but_no_owner(browser: Any, signed_in: Any) -> None:
    s = setting()
    rec = signed(s)
    signed_in("manager")
    owner = factories.make_staff()
    due = (local_date() + dt.timedelta(days=30)).isoformat()
    got = data(
        browser,
        RESPOND,
        input={"id": str(rec.id), "decision": "accepted", "reason": "Agreed", "ownerId": str(owner.id), "dueOn": due},
    )
    assert got["recommendationRespond"]["recommendation"] == {"decision": "accepted", "actionStatus": "proposed"}
    browser.sign_out()
    sign_in_member(browser, s["panel"])
    nodes = data(browser, RECOMMENDATIONS)["recommendations"]["nodes"]
    assert nodes == [
        {
            "number": 1,
            "text": "Shorten the letter.",
            "decision": "accepted",
            "reason": "Agreed",
            "actionStatus": "proposed",
        }
    ]
    body = browser.graphql("{ recommendations { nodes { owner { displayName } } } }").get_json()
    assert "errors" in body
    assert owner.display_name not in str(body)


def test_anonymous_reads_published_reports_only(browser: Any) -> None:
    s = setting()
    rec = signed(s)
    boss, other = factories.make_user("manager"), factories.make_user("manager")
    responses.respond(actor_of(boss), rec.id, "not_accepted", "It costs too much.")
    assert data(browser, PUBLIC, ref=s["review"].reference)["scrutinyReport"] is None
    responses.approve(actor_of(boss), rec.id, local_date())
    publication.draft_summary(actor_of(boss), s["review"].id, "The panel looked at complaints.")
    publication.publish(actor_of(other), s["review"].id)
    report = data(browser, PUBLIC, ref=s["review"].reference)["scrutinyReport"]
    assert report["recommendations"] == [
        {"number": 1, "decision": "not_accepted", "reason": "It costs too much.", "progress": None}
    ]
    body = browser.graphql("{ recommendations { nodes { text } } }").get_json()
    assert "errors" in body


REVIEW_RELATIONS = """
query ($id: ID!) {
  scrutinyReview(id: $id) {
    packItems { id }
    findingsVersions { number review { id } }
    panelQuestions { text review { id } item { id } }
    recommendations { number review { id } }
  }
  lessonAnnotations { nodes { item { id title } } }
}
"""


def test_member_follows_a_review_to_its_own_rows_and_back(browser: Any) -> None:
    s = setting()
    review_id = str(s["review"].id)
    factories.make_pack_item(s["review"], title="Still a draft", status="draft")
    factories.make_findings_version(s["review"])
    factories.make_panel_question(s["review"], item=s["item"].id)
    factories.make_lesson_annotation(s["item"])
    other = factories.make_scrutiny_review(factories.make_panel())
    factories.make_findings_version(other)
    factories.make_panel_question(other)
    sign_in_member(browser, s["panel"])
    got = data(browser, REVIEW_RELATIONS, id=review_id)
    review = got["scrutinyReview"]
    assert review["packItems"] == [{"id": str(s["item"].id)}]  # confirmed items only
    assert [v["review"]["id"] for v in review["findingsVersions"]] == [review_id]
    assert review["panelQuestions"][0]["item"] == {"id": str(s["item"].id)}
    assert [q["review"]["id"] for q in review["panelQuestions"]] == [review_id]
    assert [a["item"]["id"] for a in got["lessonAnnotations"]["nodes"]] == [str(s["item"].id)]
    for staff_only in ("caseSamples { id }", "panelQuestions { askedBy { id } }"):
        query = "query ($id: ID!) { scrutinyReview(id: $id) { " + staff_only + " } }"
        body = browser.graphql(query, {"id": review_id})
        assert "errors" in body.get_json(), staff_only
