"""Evidence packs through GraphQL: staff build and confirm; a member reads only their own confirmed items, and only
the fields members may see; samples, snapshots, requests and the standing data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.complaints.models import Complaint
from backend.panels.models import PackItem
from backend.timeutil import local_date, utcnow
from tests import factories

ITEMS = "query ($review: ID!) { packItems(where: {reviewId: {eq: $review}}) { nodes { id title kind content } } }"
ITEM = "query ($id: ID!) { packItem(id: $id) { id title } }"
LINK = """
mutation ($input: PackItemLinkAddInput!) {
  packItemLinkAdd(input: $input) {
    __typename
    ... on PackItemLinkAdded { packItem { id status } }
    ... on ValidationError { problems { field code } }
  }
}
"""
CONFIRM = """
mutation ($id: ID!) {
  packItemConfirm(input: {id: $id}) { __typename ... on PackItemConfirmed { packItem { status confirmedAt } } }
}
"""
SNAPSHOT = """
mutation ($input: PackItemSnapshotAddInput!) {
  packItemSnapshotAdd(input: $input) {
    __typename
    ... on PackItemSnapshotAdded { packItem { id kind content takenAt queryName } }
    ... on ValidationError { problems { field code } }
  }
}
"""
SAMPLE = """
mutation ($input: CaseSampleDrawInput!) {
  caseSampleDraw(input: $input) {
    __typename
    ... on CaseSampleDrawn { caseSample { drawn seed items { title status } } }
    ... on ValidationError { problems { field code } }
  }
}
"""
ASK = """
mutation ($input: EvidenceRequestAskInput!) {
  evidenceRequestAsk(input: $input) {
    __typename
    ... on EvidenceRequestAsked { evidenceRequest { asked dueOn status } }
  }
}
"""
STANDING = "query { panelStandingData { period complaints { code value hidden } } }"


def run(browser: Any, query: str, **variables: Any) -> dict[str, Any]:
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    return body["data"]


def member_of(review: Any, user: Any) -> None:
    factories.make_panel_membership(review.panel, user)


def test_staff_add_a_link_and_confirm_it(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    review = factories.make_scrutiny_review()
    data = {"reviewId": str(review.id), "title": "Policy", "url": "https://example.org/p"}
    added = run(browser, LINK, input=data)["packItemLinkAdd"]["packItem"]
    assert added["status"] == "draft"
    confirmed = run(browser, CONFIRM, id=added["id"])["packItemConfirm"]["packItem"]
    assert confirmed["status"] == "confirmed" and confirmed["confirmedAt"]


def test_a_bad_link_is_a_validation_error(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    review = factories.make_scrutiny_review()
    data = {"reviewId": str(review.id), "title": "", "url": "ftp://example.org"}
    problems = run(browser, LINK, input=data)["packItemLinkAdd"]["problems"]
    assert {(p["field"], p["code"]) for p in problems} == {("title", "required"), ("url", "not_a_link")}


def test_member_reads_only_confirmed_items_of_their_panel(browser: Any, signed_in: Any) -> None:
    review = factories.make_scrutiny_review()
    shown = factories.make_pack_item(review, title="Shown")
    factories.make_pack_item(review, title="Draft", status="draft")
    factories.make_pack_item(review, title="Withdrawn", status="withdrawn")
    other = factories.make_pack_item(factories.make_scrutiny_review(), title="Another panel's")
    member_of(review, signed_in("resident", "panel_member"))
    nodes = run(browser, ITEMS, review=str(review.id))["packItems"]["nodes"]
    assert [n["title"] for n in nodes] == ["Shown"]
    assert run(browser, ITEM, id=str(shown.id))["packItem"]["title"] == "Shown"
    assert run(browser, ITEM, id=str(other.id))["packItem"] is None
    assert run(browser, ITEMS, review=str(other.review_id))["packItems"]["nodes"] == []  # type: ignore[attr-defined]


def test_member_cannot_ask_for_where_an_item_came_from(browser: Any, signed_in: Any) -> None:
    member_of(factories.make_scrutiny_review(), signed_in("resident", "panel_member"))
    for field in ("complaint { id }", "lesson { id }", "survey { id }", "addedBy { id }", "fileName", "status"):
        body = browser.graphql(f"query {{ packItems {{ nodes {{ {field} }} }} }}").get_json()
        assert "errors" in body, field


def test_member_cannot_build_a_pack(browser: Any, signed_in: Any) -> None:
    review = factories.make_scrutiny_review()
    member_of(review, signed_in("resident", "panel_member"))
    body = browser.graphql(LINK, {"input": {"reviewId": str(review.id), "title": "x", "url": "https://e.org"}})
    assert "errors" in body.get_json()  # not in a member's schema


def test_snapshot_runs_the_saved_report_as_staff_and_freezes_its_rows(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    review = factories.make_scrutiny_review()
    complaint = factories.make_complaint()
    report = factories.make_saved_report(owner=staff)
    data = {"reviewId": str(review.id), "reportId": str(report.id)}
    item = run(browser, SNAPSHOT, input=data)["packItemSnapshotAdd"]["packItem"]
    assert item["kind"] == "snapshot" and item["takenAt"] and item["queryName"] == report.name
    assert [complaint.reference, "received"] in item["content"]["rows"]


def test_sample_draw_makes_draft_cases_labelled_by_number(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    review = factories.make_scrutiny_review()
    for _ in range(3):
        complaint = factories.make_complaint()
        Complaint.update(status="closed", closed_at=utcnow() - dt.timedelta(hours=1)).where(
            Complaint.id == complaint.id
        ).execute()
    month = local_date().strftime("%Y-%m")
    data = {"reviewId": str(review.id), "period": month, "size": 2, "method": "stratified", "seed": "s1"}
    sample = run(browser, SAMPLE, input=data)["caseSampleDraw"]["caseSample"]
    assert sample["drawn"] == 2 and sample["seed"] == "s1"
    assert sorted(i["title"] for i in sample["items"]) == ["Case 1", "Case 2"]
    assert {i["status"] for i in sample["items"]} == {"draft"}
    assert PackItem.select().where(PackItem.review == review.id).count() == 2


def test_member_asks_for_evidence_but_not_for_another_panels_review(browser: Any, signed_in: Any) -> None:
    review = factories.make_scrutiny_review()
    member_of(review, signed_in("resident", "panel_member"))
    due = (local_date() + dt.timedelta(days=7)).isoformat()
    asked = run(browser, ASK, input={"reviewId": str(review.id), "asked": "Letters.", "dueOn": due})
    assert asked["evidenceRequestAsk"]["evidenceRequest"]["status"] == "open"
    other = factories.make_scrutiny_review()
    refused = run(browser, ASK, input={"reviewId": str(other.id), "asked": "Letters.", "dueOn": due})
    assert refused["evidenceRequestAsk"]["__typename"] == "NotFoundError"


def test_standing_data_for_members_and_null_for_a_member_of_no_panel(browser: Any, signed_in: Any) -> None:
    user = signed_in("resident", "panel_member")
    assert run(browser, STANDING)["panelStandingData"] is None
    member_of(factories.make_scrutiny_review(), user)
    found = run(browser, STANDING)["panelStandingData"]
    assert {"code": "CH01(1)", "value": None, "hidden": True} in found["complaints"]
