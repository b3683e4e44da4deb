"""The tenant perception measures and their method statement through real GraphQL text."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests import factories

REPORT = """
query ($period: String, $surveyId: ID) {
  tsmPerception(period: $period, surveyId: $surveyId) {
    period firstDay lastDay surveyId responsesWithoutTenure filterQuestionMissing
    groups { tenure respondents measures { code label numerator denominator value published unweightedCount } }
    methods { year method sampleSize population weighting fieldworkStart fieldworkEnd }
  }
}
"""
CREATE = """
mutation ($input: TsmSurveyMethodCreateInput!) {
  tsmSurveyMethodCreate(input: $input) {
    __typename
    ... on TsmSurveyMethodCreated { tsmSurveyMethod { id year method sampleSize recordedBy { id } } }
    ... on ValidationError { problems { field code message } }
    ... on ConflictError { code }
  }
}
"""
UPDATE = """
mutation ($input: TsmSurveyMethodUpdateInput!) {
  tsmSurveyMethodUpdate(input: $input) {
    __typename
    ... on TsmSurveyMethodUpdated { tsmSurveyMethod { sampleSize weighting } }
  }
}
"""
ADD_QUESTION = """
mutation ($input: SurveyQuestionAddInput!) {
  surveyQuestionAdd(input: $input) {
    __typename
    ... on SurveyQuestionAdded { question { tsmCode } }
    ... on ValidationError { field code message }
  }
}
"""


def coded_survey() -> Any:
    survey = factories.make_survey()
    overall = factories.make_survey_question(survey, tsm_code="tp01")
    for value, tenure, weight in (("5", "rented", 2.0), ("2", "rented", 1.0), ("4", "shared_ownership", 1.0)):
        response = factories.make_survey_response(
            survey, tenure=tenure, weight=weight, submitted_at=dt.datetime(2025, 6, 1, 12)
        )
        factories.make_survey_answer(response, overall, value)
    return survey


def test_staff_read_the_measures_by_tenure(browser, signed_in) -> None:
    survey = coded_survey()
    signed_in("staff")
    body = browser.graphql(REPORT, {"period": "2025/26", "surveyId": str(survey.id)}).get_json()
    assert "errors" not in body, body
    report = body["data"]["tsmPerception"]
    assert (report["period"], report["firstDay"], report["lastDay"]) == ("2025/26", "2025-04-01", "2026-03-31")
    assert [g["tenure"] for g in report["groups"]] == ["lcra", "lcho", "all"]
    lcra = report["groups"][0]["measures"][0]
    assert lcra["code"] == "tp01" and lcra["label"] == "Overall satisfaction"
    assert (lcra["numerator"], lcra["denominator"], lcra["unweightedCount"]) == (2.0, 3.0, 2)
    assert lcra["value"] == pytest.approx(200 / 3) and lcra["published"] == "66.7"
    empty = report["groups"][0]["measures"][4]
    assert (empty["code"], empty["value"], empty["published"]) == ("tp05", None, None)
    assert report["filterQuestionMissing"] is True


@pytest.mark.parametrize(
    ("variables", "field", "reason"),
    [
        ({"period": "2025/27"}, "period", "invalid"),
        ({"period": "2999/00"}, "period", "future"),
        ({"period": "x" * 500}, "period", "invalid"),
        ({"period": "2025/26", "surveyId": "987654"}, "surveyId", "not_found"),
        ({"period": "2025/26", "surveyId": "abc"}, "surveyId", "not_found"),
    ],
)
def test_a_bad_argument_is_a_clear_error(browser, signed_in, variables, field: str, reason: str) -> None:
    signed_in("manager")
    body = browser.graphql(REPORT, variables).get_json()
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert (error["extensions"]["field"], error["extensions"]["reason"]) == (field, reason)
    assert error["message"]


@pytest.mark.parametrize("role", ["resident", "advocate", "panel_member"])
def test_others_cannot_ask_for_the_measures(browser, signed_in, role: str) -> None:
    coded_survey()
    signed_in(role)
    body = browser.graphql(REPORT, {"period": "2025/26"}).get_json()
    assert body.get("data") is None and "tsmPerception" in body["errors"][0]["message"]


def test_a_manager_records_and_changes_the_method(browser, signed_in) -> None:
    survey = coded_survey()
    manager = signed_in("manager")
    values = {
        "surveyId": str(survey.id),
        "year": 2025,
        "method": "telephone",
        "sampleSize": 3,
        "population": 40,
        "fieldworkStart": "2025-05-01",
        "fieldworkEnd": "2025-06-30",
    }
    made = browser.graphql(CREATE, {"input": values}).get_json()["data"]["tsmSurveyMethodCreate"]
    assert made["__typename"] == "TsmSurveyMethodCreated"
    assert made["tsmSurveyMethod"]["recordedBy"]["id"] == str(manager.id)
    again = browser.graphql(CREATE, {"input": values}).get_json()["data"]["tsmSurveyMethodCreate"]
    assert again == {"__typename": "ConflictError", "code": "duplicate"}
    changed = browser.graphql(
        UPDATE, {"input": {"id": made["tsmSurveyMethod"]["id"], "sampleSize": 4, "weighting": "None."}}
    ).get_json()["data"]["tsmSurveyMethodUpdate"]
    assert changed["tsmSurveyMethod"] == {"sampleSize": 4, "weighting": "None."}
    report = browser.graphql(REPORT, {"period": "2025/26"}).get_json()["data"]["tsmPerception"]
    assert report["methods"][0]["year"] == "2025/26" and report["methods"][0]["method"] == "telephone"


def test_a_bad_method_record_lists_every_problem(browser, signed_in) -> None:
    survey = coded_survey()
    signed_in("admin")
    values = {
        "surveyId": str(survey.id),
        "year": 2025,
        "method": "postal",
        "sampleSize": 50,
        "population": 40,
        "fieldworkStart": "2025-05-01",
        "fieldworkEnd": "2026-06-30",
    }
    result = browser.graphql(CREATE, {"input": values}).get_json()["data"]["tsmSurveyMethodCreate"]
    assert [(p["field"], p["code"]) for p in result["problems"]] == [
        ("sampleSize", "above_population"),
        ("fieldworkEnd", "outside_year"),
    ]
    assert "2025/26" in result["problems"][1]["message"]


def test_staff_who_are_not_managers_have_no_method_mutations(browser, signed_in) -> None:
    signed_in("staff")
    body = browser.graphql(CREATE, {"input": {}}).get_json()
    assert body.get("data") is None and "TsmSurveyMethodCreateInput" in body["errors"][0]["message"]


def test_a_question_takes_a_tsm_code_through_the_api(browser, signed_in) -> None:
    survey = factories.make_survey(status="draft")
    signed_in("staff")
    text = [{"locale": "en", "text": "Did you complain?"}]
    base = {"surveyId": str(survey.id), "text": text, "tsmCode": "tp09_filter"}
    wrong = browser.graphql(ADD_QUESTION, {"input": {**base, "kind": "rating"}}).get_json()["data"]
    assert wrong["surveyQuestionAdd"]["code"] == "needs_yes_no"
    right = browser.graphql(ADD_QUESTION, {"input": {**base, "kind": "yes_partly_no"}}).get_json()["data"]
    assert right["surveyQuestionAdd"]["question"]["tsmCode"] == "tp09_filter"
