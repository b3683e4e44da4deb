"""The self-assessment pages of the console, and the same steps through GraphQL: managers start, fill in, approve
and publish; staff read; residents see nothing."""

from __future__ import annotations

import html
from typing import Any

from backend.reports.models import SelfAssessment, SelfAssessmentItem
from tests.factories import make_self_assessment, make_staff, make_user


def row(assessment_id: int, number: str) -> Any:
    return SelfAssessmentItem.get(SelfAssessmentItem.assessment == assessment_id, SelfAssessmentItem.number == number)


def test_manager_starts_an_annual_self_assessment(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    response = browser.submit("/console/reports/self-assessment/new", {"period": "2024/25", "trigger": "annual"})
    assert response.status_code == 302
    made = SelfAssessment.get(SelfAssessment.period == "2024/25")
    assert response.headers["Location"].endswith(f"/console/reports/self-assessment/{made.id}")
    page = html.unescape(browser.client.get(response.headers["Location"]).get_data(as_text=True))
    for number in range(1, 10):
        assert f'id="section-{number}-heading"' in page
    assert 'id="learning-heading"' in page
    assert "Stage 1 complaints acknowledged in time: <strong>no items</strong>" in page


def test_annual_self_assessment_of_a_month_is_refused_on_the_form(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    response = browser.submit("/console/reports/self-assessment/new", {"period": "2024-06", "trigger": "annual"})
    assert response.status_code == 400
    assert "covers a year from 1 April" in html.unescape(response.get_data(as_text=True))


def test_a_row_that_does_not_comply_needs_an_explanation(browser: Any, signed_in: Any) -> None:
    manager = signed_in("manager")
    assessment = make_self_assessment(manager)
    item = row(assessment.id, "5.9")
    url = f"/console/reports/self-assessment/{assessment.id}/items/{item.id}"
    response = browser.submit(url, {"complies": "no", "evidence": "Not yet."})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert 'href="#explanation"' in page and "Explain why it does not comply" in page
    response = browser.submit(url, {"complies": "no", "explanation": "Intervals go live in May."})
    assert response.status_code == 302
    assert row(assessment.id, "5.9").complies is False


def test_a_link_on_a_row_must_be_a_safe_address(browser: Any, signed_in: Any) -> None:
    manager = signed_in("manager")
    assessment = make_self_assessment(manager)
    url = f"/console/reports/self-assessment/{assessment.id}/items/{row(assessment.id, '3.4').id}"
    response = browser.submit(url, {"complies": "yes", "links_0_label": "Policy", "links_0_url": "ftp://x.example"})
    assert response.status_code == 400
    assert 'href="#links_0_url"' in response.get_data(as_text=True)


def test_approve_then_publish_freezes_the_page(browser: Any, signed_in: Any) -> None:
    assessment = make_self_assessment(make_user("manager"))
    signed_in("manager")
    assert browser.submit(f"/console/reports/self-assessment/{assessment.id}/approve", {}).status_code == 302
    response = browser.submit(
        f"/console/reports/self-assessment/{assessment.id}/publish", {"governing_body_approved_on": "2025-06-24"}
    )
    assert response.status_code == 302
    page = browser.client.get(f"/console/reports/self-assessment/{assessment.id}").get_data(as_text=True)
    assert "is published: it is frozen" in page
    assert "/approve" not in page and "/publish" not in page
    item = row(assessment.id, "6.2")
    form = browser.client.get(f"/console/reports/self-assessment/{assessment.id}/items/{item.id}")
    assert 'name="complies"' not in form.get_data(as_text=True)


def test_who_started_it_is_not_offered_approval(browser: Any, signed_in: Any) -> None:
    manager = signed_in("manager")
    assessment = make_self_assessment(manager)
    page = browser.client.get(f"/console/reports/self-assessment/{assessment.id}").get_data(as_text=True)
    assert f"/console/reports/self-assessment/{assessment.id}/approve" not in page
    response = browser.submit(f"/console/reports/self-assessment/{assessment.id}/approve", {})
    assert response.status_code == 400
    assert "you can&#39;t approve it" in response.get_data(as_text=True)


def test_staff_read_but_are_not_offered_changes(browser: Any, signed_in: Any) -> None:
    assessment = make_self_assessment()
    signed_in("staff")
    page = browser.client.get(f"/console/reports/self-assessment/{assessment.id}").get_data(as_text=True)
    assert "Section 6: Complaint stages" in page
    item = row(assessment.id, "6.2")
    url = f"/console/reports/self-assessment/{assessment.id}/items/{item.id}"
    assert 'name="complies"' not in browser.client.get(url).get_data(as_text=True)
    assert browser.client.get("/console/reports/self-assessment/new").status_code == 403


def test_residents_cannot_open_the_pages(browser: Any, signed_in: Any) -> None:
    assessment = make_self_assessment()
    signed_in("resident")
    assert browser.client.get(f"/console/reports/self-assessment/{assessment.id}").status_code in (302, 403)


def test_sector_event_recorded_and_attendance_shown(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    person = make_staff()
    response = browser.submit(
        "/console/reports/self-assessment/sector-learning/new",
        {
            "kind": "network_meeting",
            "name": "North West complaints network",
            "held_on": "2024-06-12",
            "expected": "y",
            "attendees": [str(person.id)],
        },
    )
    assert response.status_code == 302
    page = browser.client.get("/console/reports/self-assessment/sector-learning?year=2024").get_data(as_text=True)
    assert "North West complaints network" in page and person.display_name in page
    assert "1 of 1 (100%)" in page


START = """
mutation ($input: SelfAssessmentStartInput!) {
  selfAssessmentStart(input: $input) {
    __typename
    ... on SelfAssessmentStarted { selfAssessment { id status itemsCount } }
    ... on ValidationError { field code }
  }
}
"""
READ = """
query ($id: ID!) {
  selfAssessment(id: $id) {
    status
    items(where: {number: {eq: "6.2"}}) { number obligation figure { code kind met due link kept } }
  }
}
"""


def test_api_manager_starts_and_staff_reads_with_the_figure(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    variables = {"input": {"period": "2024/25", "trigger": "annual"}}
    body = browser.graphql(START, variables).get_json()
    started = body["data"]["selfAssessmentStart"]["selfAssessment"]
    assert started["status"] == "draft" and started["itemsCount"] > 80
    browser.sign_out()
    signed_in("staff")
    found = browser.graphql(READ, {"id": started["id"]}).get_json()["data"]["selfAssessment"]
    (item,) = found["items"]
    assert item["figure"] == {
        "code": "stage1_acknowledged_in_time",
        "kind": "share",
        "met": 0,
        "due": 0,
        "link": "/console/reports/annual",
        "kept": False,
    }


def test_api_staff_have_no_mutation_and_residents_no_field(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    body = browser.graphql(START, {"input": {"period": "2024/25", "trigger": "annual"}}).get_json()
    assert "errors" in body
    browser.sign_out()
    signed_in("resident")
    body = browser.graphql("{ selfAssessments { nodes { id } } }").get_json()
    assert "errors" in body and "selfAssessments" in body["errors"][0]["message"]


def test_api_evidence_figure_over_any_period(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    query = '{ evidenceFigure(checklist: "learning", number: "13", period: "2024/25") { kind } }'
    assert browser.graphql(query).get_json()["data"]["evidenceFigure"] == {"kind": "none"}
    query = '{ evidenceFigure(checklist: "code", number: "6.2", period: "not a period") { kind } }'
    assert browser.graphql(query).get_json()["data"]["evidenceFigure"] is None
