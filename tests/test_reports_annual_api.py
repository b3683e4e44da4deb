"""The annual report's analysis and the Ombudsman's publications through GraphQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.factories import make_ombudsman_publication
from tests.test_reports_tsm_complaints import complaint

ANALYSIS = """
query ($period: String) {
  annualComplaintsAnalysis(period: $period) {
    period { code }
    categories { stage category received refused withdrawn }
    outcomes { stage outcome responses }
    stages { stage acknowledgedOnTime { published } responded responsedOnTime: respondedOnTime { numerator denominator }
             meanWorkingDays medianWorkingDays }
    escalationRate { value }
    ombudsman { referred ordersMade }
    remedies { code count }
    compensationOffered
    refusals { code count }
    improvements { title }
  }
}
"""
CREATE = """
mutation ($input: OmbudsmanPublicationCreateInput!) {
  ombudsmanPublicationCreate(input: $input) {
    __typename
    ... on OmbudsmanPublicationCreated { ombudsmanPublication { kind publishedOn title link } }
    ... on ValidationError { problems { field code message } }
  }
}
"""


def run(browser: Any, query: str, **variables: Any) -> dict[str, Any]:
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    return body["data"]


def test_staff_read_the_analysis(browser: Any, signed_in: Any) -> None:
    complaint(dt.date(2025, 6, 2), acknowledged=dt.date(2025, 6, 3), responded=dt.date(2025, 6, 10))
    signed_in("staff")
    found = run(browser, ANALYSIS, period="2025/26")["annualComplaintsAnalysis"]
    assert found["categories"] == [{"stage": 1, "category": None, "received": 1, "refused": 0, "withdrawn": 0}]
    stage_1 = found["stages"][0]
    assert stage_1["acknowledgedOnTime"]["published"] == "100.0"
    assert stage_1["responsedOnTime"] == {"numerator": 1, "denominator": 1}
    assert stage_1["meanWorkingDays"] == "5.0" and stage_1["medianWorkingDays"] == "5.0"
    assert found["compensationOffered"] == "0.00"


def test_residents_have_no_analysis(browser: Any, signed_in: Any) -> None:
    signed_in("resident")
    assert "errors" in browser.graphql(ANALYSIS, {"period": "2025/26"}).get_json()
    assert "errors" in browser.graphql("{ ombudsmanPublications { edges { node { title } } } }").get_json()


def test_managers_record_the_ombudsmans_publications(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    entry = {
        "kind": "non_compliance",
        "publishedOn": "2025-09-01",
        "title": "Complaint Handling Failure Order",
        "summary": "Stage 2 responses were late in three cases.",
        "link": "https://www.housing-ombudsman.org.uk/example",
    }
    made = run(browser, CREATE, input=entry)["ombudsmanPublicationCreate"]["ombudsmanPublication"]
    assert made["kind"] == "non_compliance" and made["link"] == entry["link"]
    bad = run(browser, CREATE, input={**entry, "publishedOn": "2099-01-01", "link": "javascript:alert(1)"})
    problems = {(p["field"], p["code"]) for p in bad["ombudsmanPublicationCreate"]["problems"]}
    assert problems == {("publishedOn", "in_future"), ("link", "invalid")}


def test_staff_read_but_cannot_record_publications(browser: Any, signed_in: Any) -> None:
    make_ombudsman_publication()
    signed_in("staff")
    listed = run(browser, "{ ombudsmanPublications { edges { node { title } } } }")["ombudsmanPublications"]
    assert len(listed["edges"]) == 1
    body = browser.graphql(CREATE, {"input": {"kind": "other", "publishedOn": "2025-01-01", "title": "T",
                                              "summary": "S"}}).get_json()  # fmt: skip
    assert "errors" in body


def test_a_publications_summary_has_a_size_limit(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    entry = {"kind": "other", "publishedOn": "2025-09-01", "title": "A report", "summary": "x" * 5_001}
    result = run(browser, CREATE, input=entry)["ombudsmanPublicationCreate"]
    assert [(p["field"], p["code"]) for p in result["problems"]] == [("summary", "too_long")]
    assert "5,000" in result["problems"][0]["message"]
