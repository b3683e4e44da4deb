"""The survey resources and mutations through real GraphQL text."""

from __future__ import annotations

from typing import Any

import pytest

from backend.surveys import answers
from tests import factories

CREATE = """
mutation ($input: SurveyCreateInput!) {
  surveyCreate(input: $input) {
    __typename
    ... on SurveyCreated { survey { id status title anonymous } }
    ... on ValidationError { field code message }
  }
}
"""
ADD = """
mutation ($input: SurveyQuestionAddInput!) {
  surveyQuestionAdd(input: $input) {
    __typename
    ... on SurveyQuestionAdded { question { id kind position condition } }
    ... on ValidationError { field code }
    ... on ConflictError { code message }
  }
}
"""
PUBLISH = """
mutation ($input: SurveyIdInput!) {
  surveyPublish(input: $input) {
    __typename
    ... on SurveyPublished { survey { status } }
    ... on ConflictError { code message }
  }
}
"""


def run(browser: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    return body["data"]


def test_staff_build_and_publish_a_survey(browser, signed_in) -> None:
    signed_in("staff")
    created = run(browser, CREATE, {"input": {"title": [{"locale": "en", "text": "After your repair"}]}})
    survey = created["surveyCreate"]["survey"]
    assert survey["status"] == "draft" and survey["title"] == {"en": "After your repair"}
    rating = run(
        browser,
        ADD,
        {"input": {"surveyId": survey["id"], "kind": "rating", "text": [{"locale": "en", "text": "How was it?"}]}},
    )["surveyQuestionAdd"]["question"]
    follow_up = run(
        browser,
        ADD,
        {
            "input": {
                "surveyId": survey["id"],
                "kind": "text",
                "text": [{"locale": "en", "text": "Why?"}],
                "condition": {"questionId": rating["id"], "lte": 2},
            }
        },
    )["surveyQuestionAdd"]["question"]
    assert follow_up["condition"] == {"question": int(rating["id"]), "lte": 2}
    published = run(browser, PUBLISH, {"input": {"id": survey["id"]}})["surveyPublish"]
    assert published == {"__typename": "SurveyPublished", "survey": {"status": "live"}}


def test_survey_create_without_english_title_is_a_validation_error(browser, signed_in) -> None:
    signed_in("manager")
    result = run(browser, CREATE, {"input": {"title": [{"locale": "cy", "text": "Arolwg"}]}})["surveyCreate"]
    assert result["__typename"] == "ValidationError" and result["field"] == "title"


def test_question_add_to_live_survey_is_a_conflict(browser, signed_in) -> None:
    signed_in("staff")
    survey = factories.make_survey(status="live")
    variables = {"input": {"surveyId": str(survey.id), "kind": "rating", "text": [{"locale": "en", "text": "Late"}]}}
    result = run(browser, ADD, variables)["surveyQuestionAdd"]
    assert result["__typename"] == "ConflictError" and result["code"] == "survey_not_draft"


def test_resident_sees_only_their_own_invitations(browser, signed_in) -> None:
    resident = signed_in("resident")
    mine = factories.make_survey_invitation(user=resident)
    factories.make_survey_invitation()
    data = run(browser, "{ surveyInvitations { nodes { id status survey { title } } } }")
    nodes = data["surveyInvitations"]["nodes"]
    assert [n["id"] for n in nodes] == [str(mine.id)]
    assert nodes[0]["survey"]["title"] == mine.survey.title


def test_resident_cannot_create_surveys(browser, signed_in) -> None:
    signed_in("resident")
    body = browser.graphql(CREATE, {"input": {"title": [{"locale": "en", "text": "X"}]}}).get_json()
    assert body.get("errors")


def answered_text_survey() -> Any:
    survey = factories.make_survey(anonymous=False)
    question = factories.make_survey_question(survey, kind="text")
    answers.record_answers(factories.make_survey_invitation(survey), {question.id: "Ring 07700 900123"}, "en")
    return survey


def test_staff_see_only_redacted_free_text(browser, signed_in) -> None:
    signed_in("staff")
    answered_text_survey()
    data = run(browser, "{ surveyAnswers { nodes { textRedacted } } }")
    assert data["surveyAnswers"]["nodes"] == [{"textRedacted": "Ring [phone]"}]
    body = browser.graphql("{ surveyAnswers { nodes { text } } }").get_json()
    assert body.get("errors")


def test_admin_sees_free_text_as_written(browser, signed_in) -> None:
    signed_in("admin")
    answered_text_survey()
    assert run(browser, "{ surveyAnswers { nodes { text } } }")["surveyAnswers"]["nodes"] == [
        {"text": "Ring 07700 900123"}
    ]


def test_survey_results_query_sums_answers(browser, signed_in) -> None:
    signed_in("manager")
    survey = factories.make_survey(anonymous=False)
    question = factories.make_survey_question(survey)
    for value, locale in (("5", "en"), ("3", "cy")):
        answers.record_answers(factories.make_survey_invitation(survey), {question.id: value}, locale)
    query = """query ($id: ID!) { surveyResults(id: $id) {
      questionId total mean counts { value count } byLocale { key total } texts { text } } }"""
    result = run(browser, query, {"id": str(survey.id)})["surveyResults"][0]
    assert result["total"] == 2 and result["mean"] == 4.0
    assert {c["value"]: c["count"] for c in result["counts"]} == {"1": 0, "2": 0, "3": 1, "4": 0, "5": 1}
    assert result["byLocale"] == [{"key": "cy", "total": 1}, {"key": "en", "total": 1}]


@pytest.mark.parametrize("survey_id", ["9223372036854775808", "-1", "abc"])
def test_results_for_an_id_beyond_any_survey_are_empty_not_an_error(browser, signed_in, survey_id: str) -> None:
    signed_in("admin")
    data = run(browser, "query ($id: ID!) { surveyResults(id: $id) { total } }", {"id": survey_id})
    assert data["surveyResults"] == []
