"""The board report and report publications in the API: staff-only figures, the publication steps by role, and
published reports open to everyone without naming anyone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.complaints.models import ComplaintStage
from backend.reports import publication
from tests import factories
from tests.factories import actor_of

PERIOD = "2025/26-Q1"
BOARD = """query ($period: String!) { boardReport(period: $period) {
  period firstDay lastDay figures { section code value text unit } document } }"""
DRAFT = """mutation ($input: ReportPublicationDraftInput!) { reportPublicationDraft(input: $input) {
  __typename ... on ReportPublicationDrafted { reportPublication { id status } }
  ... on Problem { code message } } }"""
APPROVE = """mutation ($id: ID!) { reportPublicationApprove(input: {id: $id}) {
  __typename ... on ReportPublicationApproved { reportPublication { status approvedBy { id } } }
  ... on Problem { code message } } }"""
PUBLISH = """mutation ($id: ID!) { reportPublicationPublish(input: {id: $id}) {
  __typename ... on ReportPublicationPublished { reportPublication { status } } ... on Problem { code } } }"""
RESPOND = """mutation ($id: ID!, $text: String!, $on: Date!) {
  reportPublicationResponseRecord(input: {id: $id, text: $text, respondedOn: $on}) {
  __typename ... on ReportPublicationResponseRecorded { reportPublication { governingBodyResponse } }
  ... on Problem { code } } }"""
PUBLIC = "{ reportPublications { nodes { id status title governingBodyResponse figures { code value } } } }"


def data(browser: Any, query: str, **variables: Any) -> dict[str, Any]:
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    return body["data"]


def test_staff_read_the_board_reports_figures(browser: Any, signed_in: Any) -> None:
    made = factories.make_complaint(received_at=dt.datetime(2025, 4, 2, 9))
    ComplaintStage.update(opened_at=dt.datetime(2025, 4, 2, 9)).where(ComplaintStage.complaint == made.id).execute()
    signed_in("staff")
    report = data(browser, BOARD, period=PERIOD)["boardReport"]
    assert (report["period"], report["firstDay"], report["lastDay"]) == (PERIOD, "2025-04-01", "2025-06-30")
    received = next(f for f in report["figures"] if f["code"] == "received")
    assert received == {"section": "received", "code": "received", "value": 1.0, "text": "1", "unit": "count"}
    assert report["document"]["kind"] == "board" and report["document"]["format"] == 1


def test_a_bad_period_is_an_input_error(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    body = browser.graphql(BOARD, {"period": "2025-13"}).get_json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["reason"] == "invalid"


def test_residents_have_no_board_report(browser: Any, signed_in: Any) -> None:
    signed_in("resident")
    assert "errors" in browser.graphql(BOARD, {"period": PERIOD}).get_json()


def test_draft_approve_respond_and_publish_through_the_api(browser: Any, signed_in: Any) -> None:
    drafter = factories.make_user("staff")
    draft = publication.draft_report(actor_of(drafter), "board", PERIOD)
    manager = signed_in("manager")
    approved = data(browser, APPROVE, id=str(draft.id))["reportPublicationApprove"]
    assert approved["reportPublication"] == {"status": "approved", "approvedBy": {"id": str(manager.id)}}
    responded = data(browser, RESPOND, id=str(draft.id), text="Accepted.", on="2025-07-20")
    assert responded["reportPublicationResponseRecord"]["reportPublication"]["governingBodyResponse"] == "Accepted."
    assert data(browser, PUBLISH, id=str(draft.id))["reportPublicationPublish"]["reportPublication"]["status"] == (
        "published"
    )


def test_a_manager_cannot_approve_their_own_draft_through_the_api(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    drafted = data(browser, DRAFT, input={"kind": "board", "period": PERIOD})["reportPublicationDraft"]
    result = data(browser, APPROVE, id=drafted["reportPublication"]["id"])["reportPublicationApprove"]
    assert (result["__typename"], result["code"]) == ("NotAllowedError", "own_report")
    assert "another manager" in result["message"]


def test_staff_draft_but_cannot_approve(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    drafted = data(browser, DRAFT, input={"kind": "board", "period": PERIOD})["reportPublicationDraft"]
    assert drafted["reportPublication"]["status"] == "draft"
    assert "errors" in browser.graphql(APPROVE, {"id": drafted["reportPublication"]["id"]}).get_json()


def test_visitors_read_published_reports_only_and_nobody_named(browser: Any, client: Any) -> None:
    manager = factories.make_user("manager")
    draft = publication.draft_report(actor_of(factories.make_user("staff")), "board", PERIOD)
    publication.draft_report(actor_of(manager), "board", "2025-04")  # stays a draft
    publication.approve_report(actor_of(manager), draft.id)
    publication.record_response(actor_of(manager), draft.id, "Accepted.", dt.date(2025, 7, 20))
    publication.publish_report(actor_of(manager), draft.id)
    nodes = data(browser, PUBLIC)["reportPublications"]["nodes"]
    assert [(n["id"], n["status"], n["governingBodyResponse"]) for n in nodes] == [
        (str(draft.id), "published", "Accepted.")
    ]
    assert any(f["code"] == "received" for f in nodes[0]["figures"])
    named = browser.graphql("{ reportPublications { nodes { draftedBy { id } } } }").get_json()
    assert "errors" in named
