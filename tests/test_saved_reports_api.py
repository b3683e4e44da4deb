"""Saved reports through the API: a query is checked against the saver's own schema, and staff read their own
reports, the shared ones and those they are told about, never another's private one."""

from __future__ import annotations

from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.reports.models import SavedReport
from tests import factories

CREATE = """mutation Save($input: SavedReportInput!) {
  savedReportCreate(input: $input) {
    __typename
    ... on SavedReportCreated { savedReport { id name parameters rowsPath columns display } }
    ... on ValidationError { code message field problems { field code message } }
  }
}"""
LIST = "{ savedReports { nodes { id name shared owner { id } } } }"


def save(browser: Any, **values: Any) -> dict[str, Any]:
    report = {"name": "Open complaints", "query": factories.SAVED_QUERY, **values}
    response = browser.graphql(CREATE, {"input": report})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert "errors" not in body, body
    return body["data"]["savedReportCreate"]


def problems(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    assert result["__typename"] == "ValidationError", result
    return [(p["field"], p["code"], p["message"]) for p in result["problems"]]


def test_save_saved_report_records_parameters_rows_and_audit(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    query = (
        "query Since($from: DateTime!, $status: ComplaintStatus = open, $first: Int = 20) {\n"
        "  complaints(first: $first, where: {status: {eq: $status}, closedAt: {gte: $from}}) {\n"
        "    totalCount nodes { reference status handler { displayName } }\n  }\n}"
    )
    result = save(browser, query=query)
    assert result["__typename"] == "SavedReportCreated", result
    report = result["savedReport"]
    assert report["rowsPath"] == "complaints.nodes"
    assert report["columns"] == ["reference", "status", "handler.displayName"]
    assert report["parameters"] == [
        {"name": "from", "type": "DateTime!", "default": None},
        {"name": "status", "type": "ComplaintStatus", "default": "open"},
        {"name": "first", "type": "Int", "default": 20},
    ]
    assert AuditEvent.select().where(AuditEvent.action == "saved_report.created").count() == 1


@pytest.mark.parametrize(
    ("query", "code", "words"),
    [
        ('mutation { viewerProfileUpdate(input: {displayName: "X"}) { __typename } }', "not_a_query", "mutation"),
        ("subscription { complaints { nodes { id } } }", "not_a_query", "subscription"),
        ("{ complaints { nodes { reference }", "syntax", "line 1"),
        ("{ complaints { nodes { referenz } } }", "unknown_field", "“referenz” is not a field of Complaint"),
        ("query A { complaints { nodes { id } } } query B { complaints { nodes { id } } }", "one_operation", "2"),
        (
            "query($ids: [ID!]) { complaints(where: {id: {in: $ids}}) { nodes { id } } }",
            "unsupported_parameter",
            "$ids",
        ),
        ("{ viewer { email } }", "no_rows", "no list of rows"),
    ],
)
def test_save_saved_report_refuses_bad_query(browser: Any, signed_in: Any, query: str, code: str, words: str) -> None:
    signed_in("staff")
    found = problems(save(browser, query=query))
    assert any(field == "query" and c == code and words in message for field, c, message in found), found
    assert SavedReport.select().count() == 0


def test_save_saved_report_refuses_field_the_role_cannot_read(browser: Any, signed_in: Any) -> None:
    """A field in the manager's schema but not the staff one is unknown to a member of staff saving it."""
    signed_in("staff")
    found = problems(save(browser, query="{ auditEvents { nodes { action } } complaints { nodes { id } } }"))
    assert ("query", "unknown_field") in [(f, c) for f, c, _m in found], found


def test_save_saved_report_checks_chart_and_schedule(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    resident = factories.make_user()
    found = problems(
        save(
            browser,
            display="bar",
            labelField="reference",
            valueField="status",
            schedule="weekly",
            recipientIds=[str(resident.id)],
        )
    )
    codes = {(f, c) for f, c, _m in found}
    assert {("valueField", "not_a_number"), ("scheduleWeekday", "required"), ("recipientIds[0]", "not_staff")} <= codes


def test_private_saved_report_is_not_visible_to_others(browser: Any, signed_in: Any) -> None:
    owner = factories.make_staff()
    private = factories.make_saved_report(owner, name="Mine only")
    shared = factories.make_saved_report(owner, name="For everyone", shared=True)
    told = factories.make_saved_report(owner, name="Told about it", schedule="daily")
    reader = signed_in("staff")
    factories.make_saved_report_recipient(told, reader)
    names = {node["name"] for node in browser.graphql(LIST).get_json()["data"]["savedReports"]["nodes"]}
    assert names == {"For everyone", "Told about it"}
    one = browser.graphql("query($id: ID!) { savedReport(id: $id) { name } }", {"id": str(private.id)})
    assert one.get_json()["data"]["savedReport"] is None
    assert shared.id != private.id


def test_only_owner_changes_shared_saved_report(browser: Any, signed_in: Any) -> None:
    report = factories.make_saved_report(factories.make_staff(), shared=True)
    signed_in("staff")
    response = browser.graphql(
        "mutation($id: ID!) { savedReportDelete(input: {id: $id}) { __typename ... on Problem { code } } }",
        {"id": str(report.id)},
    )
    assert response.get_json()["data"]["savedReportDelete"] == {"__typename": "NotAllowedError", "code": "not_owner"}
    assert SavedReport.get_or_none(SavedReport.id == report.id) is not None


def test_owner_shares_and_deletes_saved_report(browser: Any, signed_in: Any) -> None:
    owner = signed_in("staff")
    report = factories.make_saved_report(owner)
    shared = browser.graphql(
        "mutation($id: ID!) { savedReportShare(input: {id: $id, shared: true}) "
        "{ ... on SavedReportShared { savedReport { shared } } } }",
        {"id": str(report.id)},
    ).get_json()["data"]["savedReportShare"]
    assert shared == {"savedReport": {"shared": True}}
    deleted = browser.graphql(
        "mutation($id: ID!) { savedReportDelete(input: {id: $id}) { ... on SavedReportDeleted { name } } }",
        {"id": str(report.id)},
    ).get_json()["data"]["savedReportDelete"]
    assert deleted == {"name": "Complaints by status"}
    actions = [e.action for e in AuditEvent.select().where(AuditEvent.entity_type == "saved_report")]
    assert actions == ["saved_report.shared", "saved_report.deleted"]


def test_residents_have_no_saved_reports(browser: Any, signed_in: Any) -> None:
    signed_in()
    body = browser.graphql(LIST).get_json()
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_update_saved_report_places_problems_under_report(browser: Any, signed_in: Any) -> None:
    owner = signed_in("staff")
    report = factories.make_saved_report(owner)
    body = browser.graphql(
        "mutation($input: SavedReportUpdateInput!) { savedReportUpdate(input: $input) "
        "{ __typename ... on ValidationError { problems { field code } } } }",
        {"input": {"id": str(report.id), "report": {"name": "Again", "query": "{ complaints { nodes { nope } } }"}}},
    ).get_json()["data"]["savedReportUpdate"]
    assert body == {"__typename": "ValidationError", "problems": [{"field": "report.query", "code": "unknown_field"}]}
    assert SavedReport.get_by_id(report.id).name == "Complaints by status"


def test_run_query_refuses_mutation_and_unparsable_text(app: Any) -> None:
    from backend import config
    from schema.context import Context
    from schema.reports.saved_query import run_query

    staff = factories.make_staff()
    actor = factories.actor_of(staff)
    schema = app.extensions["learnloop.engine"].schema_for_actor(actor)
    settings = config.current()
    broken = run_query(schema, "{ complaints {", {}, Context(actor=actor), settings)
    assert (broken.data, broken.code) == (None, "failed")
    report = factories.make_saved_report(staff)
    mutation = f"mutation {{ savedReportDelete(input: {{id: {report.id}}}) {{ __typename }} }}"
    refused = run_query(schema, mutation, {}, Context(actor=actor), settings)
    assert (refused.data, refused.code) == (None, "not_a_query")
    assert SavedReport.get_or_none(SavedReport.id == report.id) is not None
