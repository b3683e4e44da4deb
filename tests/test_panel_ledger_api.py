"""The involvement ledger and the letters-and-leaflets review through real GraphQL, per role: a member sees only their
own entries and totals and their own panels' documents, never a member of staff's id; staff see everything."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.panels.models import DocumentProposal, InvolvementEntry
from backend.timeutil import local_date, utcnow
from tests import factories

ENTRIES = """
query { involvementEntries(first: 50) { totalCount nodes { id kind amountPence memberName panelName membership } } }
"""
STAFF_ENTRIES = "query { involvementEntries(first: 50) { nodes { id recordedBy { id } approvedBy { id } } } }"
TOTALS = "query { myInvolvementTotals { memberName meetings minutes expensesPence rewardsPence rewardsOptOut } }"
STAFF_TOTALS = """
query($panel: ID, $start: String, $end: String) {
  involvementTotals(panel: $panel, start: $start, end: $end) { memberName meetings rewardsWaitingPence }
}
"""
OPT_OUT = """
mutation($input: RewardsOptOutSetInput!) {
  rewardsOptOutSet(input: $input) { __typename ... on RewardsOptOutSet { rewardsOptOut } ... on Problem { code } }
}
"""
RECORD = """
mutation($input: InvolvementRecordInput!) {
  involvementRecord(input: $input) {
    __typename
    ... on InvolvementRecorded { involvementEntry { kind amountPence } }
    ... on ValidationError { problems { field code message } }
  }
}
"""
APPROVE = """
mutation($input: RewardApproveInput!) {
  rewardApprove(input: $input) {
    __typename ... on RewardApproved { involvementEntry { approvedAt } } ... on Problem { code message }
  }
}
"""
DOCUMENTS = """
query { reviewDocuments(first: 20) { nodes { id title wordingInUse placeholders proposals { text mine } } } }
"""
SUBMIT = """
mutation($input: DocumentProposalSubmitInput!) {
  documentProposalSubmit(input: $input) {
    __typename
    ... on DocumentProposalSubmitted { documentProposal { status authorName mine } }
    ... on ValidationError { problems { field code message } }
    ... on Problem { code }
  }
}
"""


def member(panel: Any = None, **values: Any) -> Any:
    return factories.make_panel_membership(panel, **values)


def sign_in(browser: Any, user: Any) -> None:
    assert browser.sign_in(user.email).status_code == 302


def test_a_member_sees_only_their_own_entries(browser: Any) -> None:
    mine = member()
    other = member(mine.panel)
    factories.make_involvement_entry(mine, kind="expense", amount_pence=800)
    factories.make_involvement_entry(other, kind="expense", amount_pence=900)
    sign_in(browser, mine.person)
    data = browser.graphql(ENTRIES).get_json()["data"]["involvementEntries"]
    assert data["totalCount"] == 1
    node = data["nodes"][0]
    assert (node["amountPence"], node["memberName"], node["membership"]) == (
        800,
        mine.person.display_name,
        str(mine.id),
    )


def test_a_member_cannot_ask_who_recorded_or_approved_an_entry(browser: Any) -> None:
    mine = member()
    factories.make_involvement_entry(mine, recorded_by=factories.make_staff().id)
    sign_in(browser, mine.person)
    response = browser.graphql(STAFF_ENTRIES).get_json()
    assert response.get("data") is None and "recordedBy" in str(response["errors"])


def test_staff_see_every_entry_and_who_recorded_it(browser: Any, signed_in: Any) -> None:
    recorder = factories.make_staff()
    factories.make_involvement_entry(member(), recorded_by=recorder.id)
    factories.make_involvement_entry(member())
    signed_in("staff")
    nodes = browser.graphql(STAFF_ENTRIES).get_json()["data"]["involvementEntries"]["nodes"]
    assert len(nodes) == 2 and {"id": str(recorder.id)} in [n["recordedBy"] for n in nodes]


def test_a_resident_sees_no_ledger(browser: Any, signed_in: Any) -> None:
    factories.make_involvement_entry(member())
    signed_in("resident")
    response = browser.graphql(ENTRIES).get_json()
    assert response.get("data") is None and response["errors"]


def test_my_totals_count_my_own_involvement(browser: Any) -> None:
    mine = member()
    factories.make_involvement_entry(mine, kind="meeting", minutes_given=120)
    factories.make_involvement_entry(mine, kind="reward", minutes_given=0, amount_pence=2500, approved_at=utcnow())
    factories.make_involvement_entry(member(mine.panel), kind="meeting")
    sign_in(browser, mine.person)
    (row,) = browser.graphql(TOTALS).get_json()["data"]["myInvolvementTotals"]
    assert row == {
        "memberName": mine.person.display_name,
        "meetings": 1,
        "minutes": 120,
        "expensesPence": 0,
        "rewardsPence": 2500,
        "rewardsOptOut": False,
    }


def test_staff_totals_by_panel_and_period(browser: Any, signed_in: Any) -> None:
    mine = member()
    factories.make_involvement_entry(mine, kind="meeting")
    factories.make_involvement_entry(mine, kind="reward", minutes_given=0, amount_pence=2500)
    member()  # another panel's member
    signed_in("staff")
    today = local_date().isoformat()
    start = (local_date() - dt.timedelta(days=7)).isoformat()
    variables = {"panel": str(mine.panel_id), "start": start, "end": today}
    rows = browser.graphql(STAFF_TOTALS, variables).get_json()["data"]["involvementTotals"]
    assert rows == [{"memberName": mine.person.display_name, "meetings": 1, "rewardsWaitingPence": 2500}]
    assert browser.graphql(STAFF_TOTALS, {"start": "nonsense"}).get_json()["data"]["involvementTotals"] == []


def test_staff_totals_are_not_offered_to_members(browser: Any) -> None:
    mine = member()
    sign_in(browser, mine.person)
    response = browser.graphql(STAFF_TOTALS).get_json()
    assert response.get("data") is None


def test_a_member_opts_out_of_rewards(browser: Any) -> None:
    mine = member()
    sign_in(browser, mine.person)
    result = browser.graphql(OPT_OUT, {"input": {"membershipId": str(mine.id), "optOut": True}}).get_json()
    assert result["data"]["rewardsOptOutSet"] == {"__typename": "RewardsOptOutSet", "rewardsOptOut": True}


def test_a_member_opting_out_for_someone_else_is_told_it_is_not_there(browser: Any) -> None:
    mine = member()
    other = member(mine.panel)
    sign_in(browser, mine.person)
    result = browser.graphql(OPT_OUT, {"input": {"membershipId": str(other.id), "optOut": True}}).get_json()
    missing = browser.graphql(OPT_OUT, {"input": {"membershipId": "999999", "optOut": True}}).get_json()
    assert result["data"]["rewardsOptOutSet"] == missing["data"]["rewardsOptOutSet"]
    assert result["data"]["rewardsOptOutSet"]["__typename"] == "NotFoundError"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "expense", "amountPence": 0, "note": "Bus"}, "amountPence"),
        ({"kind": "expense", "amountPence": 500, "note": ""}, "note"),
        ({"kind": "hours", "minutesGiven": 0}, "minutesGiven"),
        ({"kind": "hours", "minutesGiven": 60, "occurredOn": "2999-01-01"}, "occurredOn"),
        ({"kind": "reward", "amountPence": 2500}, "kind"),
    ],
)
def test_api_record_involvement_bad_input_names_the_field(
    browser: Any, signed_in: Any, values: dict[str, Any], field: str
) -> None:
    mine = member()
    signed_in("staff")
    sent = {"membershipId": str(mine.id), "occurredOn": local_date().isoformat(), "minutesGiven": 0, **values}
    result = browser.graphql(RECORD, {"input": sent}).get_json()["data"]["involvementRecord"]
    assert result["__typename"] == "ValidationError"
    assert field in {p["field"] for p in result["problems"]}
    assert all(p["message"] for p in result["problems"])
    assert not InvolvementEntry.select().exists()


def test_api_records_an_expense(browser: Any, signed_in: Any) -> None:
    mine = member()
    signed_in("staff")
    sent = {"membershipId": str(mine.id), "kind": "expense", "occurredOn": local_date().isoformat()}
    result = browser.graphql(RECORD, {"input": {**sent, "amountPence": 640, "note": "Bus fares"}}).get_json()
    assert result["data"]["involvementRecord"]["involvementEntry"] == {"kind": "expense", "amountPence": 640}


def test_api_reward_approval_by_its_recorder_is_refused_with_the_reason(browser: Any, signed_in: Any) -> None:
    me = signed_in("manager")
    reward = factories.make_involvement_entry(member(), kind="reward", amount_pence=2500, recorded_by=me.id)
    result = browser.graphql(APPROVE, {"input": {"id": str(reward.id)}}).get_json()["data"]["rewardApprove"]
    assert result["__typename"] == "NotAllowedError" and "another manager" in result["message"]


def test_api_reward_approval_by_a_second_manager(browser: Any, signed_in: Any) -> None:
    reward = factories.make_involvement_entry(member(), kind="reward", amount_pence=2500)
    signed_in("manager")
    result = browser.graphql(APPROVE, {"input": {"id": str(reward.id)}}).get_json()["data"]["rewardApprove"]
    assert result["involvementEntry"]["approvedAt"]


def test_api_reward_approval_is_not_offered_to_members(browser: Any) -> None:
    mine = member()
    reward = factories.make_involvement_entry(mine, kind="reward", amount_pence=2500)
    sign_in(browser, mine.person)
    response = browser.graphql(APPROVE, {"input": {"id": str(reward.id)}}).get_json()
    assert response.get("data") is None or response["data"]["rewardApprove"]["__typename"] != "RewardApproved"
    assert InvolvementEntry.get_by_id(reward.id).approved_at is None


def test_a_member_sees_only_their_own_panels_documents(browser: Any) -> None:
    mine = member()
    review = factories.make_scrutiny_review(mine.panel, kind="documents")
    ours = factories.make_review_document(review)
    factories.make_review_document()  # another panel's
    sign_in(browser, mine.person)
    nodes = browser.graphql(DOCUMENTS).get_json()["data"]["reviewDocuments"]["nodes"]
    assert [node["id"] for node in nodes] == [str(ours.id)]
    assert "reference" in nodes[0]["placeholders"] and "{{ team }}" in nodes[0]["wordingInUse"]


def test_a_member_proposes_wording(browser: Any) -> None:
    mine = member()
    document = factories.make_review_document(factories.make_scrutiny_review(mine.panel, kind="documents"))
    sign_in(browser, mine.person)
    sent = {"documentId": str(document.id), "locale": "en", "text": "Dear {{ name }}, we have {{ reference }}."}
    result = browser.graphql(SUBMIT, {"input": sent}).get_json()["data"]["documentProposalSubmit"]
    assert result["documentProposal"] == {"status": "proposed", "authorName": mine.person.display_name, "mine": True}


def test_a_member_proposing_for_another_panels_document_is_told_it_is_not_there(browser: Any) -> None:
    mine = member()
    document = factories.make_review_document()
    sign_in(browser, mine.person)
    sent = {"documentId": str(document.id), "locale": "en", "text": "Hello"}
    result = browser.graphql(SUBMIT, {"input": sent}).get_json()["data"]["documentProposalSubmit"]
    assert result["__typename"] == "NotFoundError"
    assert not DocumentProposal.select().exists()


def test_a_proposal_with_an_unknown_placeholder_is_refused_with_its_name(browser: Any) -> None:
    mine = member()
    document = factories.make_review_document(factories.make_scrutiny_review(mine.panel, kind="documents"))
    sign_in(browser, mine.person)
    sent = {"documentId": str(document.id), "locale": "en", "text": "Dear {{ nickname }}"}
    result = browser.graphql(SUBMIT, {"input": sent}).get_json()["data"]["documentProposalSubmit"]
    assert result["problems"][0]["code"] == "unknown_placeholder" and "nickname" in result["problems"][0]["message"]
