"""The monthly QA through GraphQL: managers compute, draw and score; staff read; residents see nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.complaints.models import Complaint, Contact
from backend.lessons import quality
from backend.lessons.models import QualityReview
from tests.factories import make_complaint, make_staff

COMPUTE = """
mutation ($month: String!) {
  qaReportCompute(input: {month: $month}) {
    __typename
    ... on QaReportComputed { qaReport { id month transferMet transferDue transferRate onTimeRate
                                         failing { transferComplaints onTime } } }
    ... on ValidationError { field code }
  }
}
"""
DRAW = """
mutation ($month: String!) {
  qualitySampleDraw(input: {month: $month}) { __typename ... on QualitySampleDrawn { reviews } }
}
"""
SCORE = """
mutation ($input: QualityReviewScoreInput!) {
  qualityReviewScore(input: $input) {
    __typename
    ... on QualityReviewScored { qualityReview { reviewedAt scores { result } } }
    ... on ValidationError { problems { field code } }
  }
}
"""


def closed_upheld(at: dt.datetime = dt.datetime(2026, 7, 10, 12), hidden: bool = False) -> Any:
    from backend.complaints.models import ComplaintPoint, ComplaintResponse, PointDecision

    complaint = make_complaint()
    point = ComplaintPoint.create(complaint=complaint.id, position=1, text="The tap leaks.")
    response = ComplaintResponse.create(complaint=complaint.id, stage=1, reasons="R.", next_steps="N.")
    PointDecision.create(response=response.id, point=point.id, decision="upheld")
    Complaint.update(status="closed", closed_at=at, team="Repairs team", handler=make_staff().id).where(
        Complaint.id == complaint.id
    ).execute()
    if hidden:
        Contact.update(restricted_kind="safeguarding").where(Contact.id == complaint.contact_id).execute()
    return complaint


def run(browser: Any, query: str, **variables: Any) -> dict[str, Any]:
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    return body["data"]


def test_qa_report_compute_gives_rates_and_failing_items(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    complaint = closed_upheld()
    report = run(browser, COMPUTE, month="2026-07")["qaReportCompute"]["qaReport"]
    assert (report["transferMet"], report["transferDue"], report["transferRate"]) == (0, 1, 0.0)
    assert report["onTimeRate"] is None
    assert report["failing"] == {"transferComplaints": [str(complaint.id)], "onTime": []}


def test_qa_report_failing_leaves_out_hidden_complaints(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    closed_upheld(hidden=True)
    report = run(browser, COMPUTE, month="2026-07")["qaReportCompute"]["qaReport"]
    assert (report["transferDue"], report["failing"]["transferComplaints"]) == (1, [])


def test_qa_report_compute_bad_month_is_a_validation_error(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    result = run(browser, COMPUTE, month="July")["qaReportCompute"]
    assert (result["__typename"], result["field"], result["code"]) == ("ValidationError", "month", "invalid")


def test_qa_report_compute_is_not_for_staff(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    body = browser.graphql(COMPUTE, {"month": "2026-07"}).get_json()
    assert "errors" in body  # not in staff's schema


def test_staff_read_qa_reports(browser: Any, signed_in: Any) -> None:
    from backend.context import SYSTEM
    from backend.lessons import qa

    qa.compute_report(SYSTEM, "2026-07")
    signed_in("staff")
    reports = run(browser, "{ qaReports { edges { node { month smartRate overdueCount } } } }")["qaReports"]
    assert reports["edges"] == [{"node": {"month": "2026-07-01", "smartRate": None, "overdueCount": 0}}]


def test_residents_cannot_read_qa_reports(browser: Any, signed_in: Any) -> None:
    signed_in("resident")
    assert "errors" in browser.graphql("{ qaReports { edges { node { month } } } }").get_json()


def test_quality_review_score_through_the_api(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    closed_upheld()
    review_id = run(browser, DRAW, month="2026-07")["qualitySampleDraw"]["reviews"][0]
    scores = [{"itemId": str(item.id), "result": "met"} for item in quality.checklist()]
    scored = run(browser, SCORE, input={"id": review_id, "scores": scores})["qualityReviewScore"]
    assert scored["__typename"] == "QualityReviewScored"
    assert [s["result"] for s in scored["qualityReview"]["scores"]] == ["met"] * len(scores)


def test_quality_review_score_bad_result_is_refused_before_anything_runs(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    closed_upheld()
    review_id = run(browser, DRAW, month="2026-07")["qualitySampleDraw"]["reviews"][0]
    scores = [{"itemId": str(item.id), "result": "great"} for item in quality.checklist()]
    body = browser.graphql(SCORE, {"input": {"id": review_id, "scores": scores}}).get_json()
    assert body.get("data") is None
    assert "scores[0].result" in body["errors"][0]["message"] and "'QualityResult'" in body["errors"][0]["message"]
    assert QualityReview.get_by_id(int(review_id)).reviewed_at is None


def test_quality_reviews_of_hidden_cases_are_not_listed(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    complaint = closed_upheld()
    run(browser, DRAW, month="2026-07")
    Contact.update(restricted_kind="safeguarding").where(Contact.id == complaint.contact_id).execute()
    listed = run(browser, "{ qualityReviews { edges { node { id } } } }")["qualityReviews"]["edges"]
    assert listed == []


def test_admins_edit_the_checklist(browser: Any, signed_in: Any) -> None:
    signed_in("admin")
    created = run(
        browser,
        'mutation { qualityCheckItemCreate(input: {text: "The remedy fitted the impact.", position: 9}) '
        "{ __typename } }",
    )["qualityCheckItemCreate"]
    assert created["__typename"] == "QualityCheckItemCreated"
