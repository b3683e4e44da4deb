"""Date-times over HTTP: input needs an offset and keeps it, output is UTC with Z, and filters agree."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.complaints.models import Contact
from tests import factories

SUBMIT = """
mutation ($input: ContactSubmitInput!) {
  contactSubmit(input: $input) {
    __typename
    ... on ContactSubmitted { contact { receivedAt complaints { clocks { kind startedOn dueOn } } } }
    ... on ValidationError { field code message }
  }
}
"""
COUNT_SINCE = "query ($t: DateTime) { contacts(where: {receivedAt: {gte: $t}}) { totalCount } }"


@pytest.fixture
def tool(client: Any) -> Any:
    """POST GraphQL with a staff write token, as an integration does; return the JSON body."""
    _token, secret = factories.make_token(factories.make_staff(), scope="write")

    def post(query: str, variables: dict[str, Any] | None = None, **headers: str) -> Any:
        sent = {"Authorization": f"Bearer {secret}", **headers}
        return client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=sent).get_json()

    return post


def submit(tool: Any, received_at: str, description: str) -> dict[str, Any]:
    resident = factories.make_user(home=factories.make_home(nation="england"))
    variables = {
        "input": {
            "channel": "phone",
            "description": description,
            "residentId": str(resident.id),
            "wantsToComplain": True,
            "receivedAt": received_at,
        }
    }
    body = tool(SUBMIT, variables)
    assert "errors" not in body, body
    result = body["data"]["contactSubmit"]
    assert result["__typename"] == "ContactSubmitted", result
    return result["contact"]


@pytest.mark.parametrize(
    ("with_offset", "in_utc", "uk_date", "acknowledge_by"),
    [
        # 23:30 BST on Tuesday 7 July is 22:30 UTC the same day: counting starts on the 7th.
        ("2026-07-07T23:30:00+01:00", "2026-07-07T22:30:00Z", "2026-07-07", "2026-07-14"),
        # 00:30 BST on Wednesday 8 July is 23:30 UTC on the 7th, but in the UK it is already the 8th.
        ("2026-07-08T00:30:00+01:00", "2026-07-07T23:30:00Z", "2026-07-08", "2026-07-15"),
    ],
)
def test_receipt_with_an_offset_gives_the_same_clocks_as_the_instant_in_utc(
    tool: Any, with_offset: str, in_utc: str, uk_date: str, acknowledge_by: str
) -> None:
    local = submit(tool, with_offset, "Sent in UK summer time.")
    utc = submit(tool, in_utc, "Sent in UTC.")
    assert local["receivedAt"] == utc["receivedAt"] == in_utc
    assert local["complaints"][0]["clocks"] == utc["complaints"][0]["clocks"]
    acknowledge = next(c for c in local["complaints"][0]["clocks"] if c["kind"] == "acknowledge")
    assert (acknowledge["startedOn"], acknowledge["dueOn"]) == (uk_date, acknowledge_by)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2026-07-07T23:30:00", "offset_required"),
        ("2026-07-07T23:30", "offset_required"),
        ("2026-07-07", "offset_required"),
        ("yesterday", "not_a_date_time"),
        ("2026-07-07T23:30:00+25:00", "not_a_date_time"),
        ("2026-02-30T10:00:00Z", "not_a_date_time"),
        ("2026-07-07 23:30:00Z", "not_a_date_time"),
        ("0001-01-01T00:00:00+01:00", "not_a_date_time"),
    ],
)
def test_contact_submit_refuses_a_date_time_without_an_offset_and_changes_nothing(
    tool: Any, value: str, reason: str
) -> None:
    resident = factories.make_user(home=factories.make_home())
    variables = {
        "input": {"channel": "phone", "description": "Hello", "residentId": str(resident.id), "receivedAt": value}
    }
    body = tool(SUBMIT, variables)
    assert body.get("data") is None
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "reason": reason}
    assert value in error["message"] and "+01:00" in error["message"]
    assert Contact.select().count() == 0


def test_an_inline_date_time_without_an_offset_is_refused_the_same_way(tool: Any) -> None:
    body = tool('{ contacts(where: {receivedAt: {gte: "2026-12-01T10:00:00"}}) { totalCount } }')
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "reason": "offset_required"}
    # The HTTP edge says it in the viewer's words, without graphql-core's wrapping.
    assert error["message"].startswith("“2026-12-01T10:00:00” has no time zone offset.")


def test_an_inline_filter_value_keeps_its_offset_like_a_variable(tool: Any) -> None:
    for hour in (8, 9, 10, 11, 12):
        factories.make_contact(received_at=dt.datetime(2026, 12, 1, hour, 30))
    cases = {  # rows at 08:30, 09:30, 10:30, 11:30 and 12:30 UTC
        "2026-12-01T10:00:00+01:00": 4,  # 09:00 UTC
        "2026-12-01T10:00:00Z": 3,
        "2026-12-01T10:00:00-05:00": 0,  # 15:00 UTC
        "2026-12-01T12:00:00+03:00": 4,  # 09:00 UTC
    }
    for moment, expected in cases.items():
        literal = tool(f'{{ contacts(where: {{receivedAt: {{gte: "{moment}"}}}}) {{ totalCount }} }}')
        variable = tool(COUNT_SINCE, {"t": moment})
        assert literal == variable == {"data": {"contacts": {"totalCount": expected}}}, moment


def test_an_exact_instant_matches_however_it_is_written(tool: Any) -> None:
    factories.make_contact(received_at=dt.datetime(2026, 7, 7, 22, 30))
    for written in ("2026-07-07T22:30:00Z", "2026-07-07T23:30:00+01:00", "2026-07-07T17:30:00-05:00"):
        body = tool(f'{{ contacts(where: {{receivedAt: {{eq: "{written}"}}}}) {{ totalCount }} }}')
        assert body == {"data": {"contacts": {"totalCount": 1}}}, written


def test_date_times_come_back_in_utc_ending_in_z(tool: Any) -> None:
    factories.make_contact(received_at=dt.datetime(2026, 7, 7, 22, 30))
    factories.make_contact(received_at=dt.datetime(2026, 7, 8, 9, 15, 30, 250000))
    body = tool(
        "{ contacts(orderBy: [{field: receivedAt, direction: ASC}]) { nodes { receivedAt createdAt } }"
        " contactsAggregate { min { receivedAt } max { receivedAt } } }"
    )
    assert "errors" not in body, body
    nodes = body["data"]["contacts"]["nodes"]
    assert [n["receivedAt"] for n in nodes] == ["2026-07-07T22:30:00Z", "2026-07-08T09:15:30.250000Z"]
    assert all(n["createdAt"].endswith("Z") for n in nodes)
    [group] = body["data"]["contactsAggregate"]
    assert (group["min"]["receivedAt"], group["max"]["receivedAt"]) == (
        "2026-07-07T22:30:00Z",
        "2026-07-08T09:15:30.250000Z",
    )


def test_a_date_time_read_back_finds_its_row_again(tool: Any) -> None:
    factories.make_contact(received_at=dt.datetime(2026, 7, 8, 9, 15, 30, 250000))
    factories.make_contact(received_at=dt.datetime(2026, 7, 8, 9, 15, 31))
    read = tool("{ contacts(first: 1, orderBy: [{field: receivedAt, direction: ASC}]) { nodes { receivedAt } } }")
    moment = read["data"]["contacts"]["nodes"][0]["receivedAt"]
    body = tool("query ($t: DateTime) { contacts(where: {receivedAt: {eq: $t}}) { totalCount } }", {"t": moment})
    assert body == {"data": {"contacts": {"totalCount": 1}}}
