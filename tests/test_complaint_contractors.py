"""Contractors (Code 5.4-5.5): a list managed by managers, named on complaints and their points, and reports that
group complaints by contractor."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.complaints import contractors
from backend.complaints.models import Complaint, ComplaintPoint
from backend.errors import Invalid, NotAllowed
from tests import factories
from tests.factories import actor_of

MUTATION = """
mutation ($input: %(type)s!) {
  %(name)s(input: $input) {
    __typename
    ... on ValidationError { field code message problems { field code } }
    ... on NotAllowedError { message }
  }
}
"""


def call(browser: Any, name: str, input_type: str, values: dict[str, Any]) -> dict[str, Any]:
    body = browser.graphql(MUTATION % {"name": name, "type": input_type}, {"input": values}).get_json()
    assert "errors" not in body, body
    return body["data"][name]


def test_staff_name_the_contractor_of_a_complaint_and_a_point() -> None:
    staff = factories.make_staff()
    complaint = factories.acknowledged_complaint(staff)
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    gas, joiner = factories.make_contractor("Gas Co"), factories.make_contractor("Joiners Ltd")
    contractors.set_contractors(actor_of(staff), complaint.id, gas.id, [(point.id, joiner.id)])
    assert Complaint.get_by_id(complaint.id).contractor_id == gas.id
    assert ComplaintPoint.get_by_id(point.id).contractor_id == joiner.id
    audit = AuditEvent.get(AuditEvent.action == "complaint.contractors_named")
    assert audit.changes["contractor_id"] == {"before": None, "after": gas.id}
    assert audit.changes[f"point_{point.id}_contractor_id"] == {"before": None, "after": joiner.id}


def test_every_unusable_contractor_and_point_is_named_and_nothing_changes() -> None:
    staff = factories.make_staff()
    complaint = factories.acknowledged_complaint(staff)
    other_point = ComplaintPoint.get(ComplaintPoint.complaint == factories.acknowledged_complaint().id)
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    archived = factories.make_contractor()
    archived.archived_at = dt.datetime(2026, 1, 1)
    archived.save()
    good = factories.make_contractor()
    with pytest.raises(Invalid) as caught:
        contractors.set_contractors(
            actor_of(staff),
            complaint.id,
            archived.id,
            [(other_point.id, good.id), (point.id, 999_999), (point.id, good.id)],
        )
    found = {(p.field, p.code, p.at) for p in caught.value.problems}
    assert found == {
        ("contractor_id", "not_found", ("contractor_id",)),
        ("points", "not_found", ("points", 0, "point_id")),
        ("points", "not_found", ("points", 1, "contractor_id")),
        ("points", "duplicate", ("points", 2, "point_id")),
    }
    assert Complaint.get_by_id(complaint.id).contractor_id is None


def test_residents_cannot_name_contractors() -> None:
    complaint = factories.make_complaint()
    with pytest.raises(NotAllowed):
        contractors.set_contractors(actor_of(complaint.resident), complaint.id, factories.make_contractor().id)


def test_managers_keep_the_list_and_reports_group_by_contractor(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    created = browser.graphql(
        'mutation { contractorCreate(input: {name: "Gas Co"}) { __typename ... on ContractorCreated { contractor { id } } } }'
    ).get_json()["data"]["contractorCreate"]
    gas = created["contractor"]["id"]
    first, second, third = (factories.make_complaint() for _ in range(3))
    for complaint in (first, second):
        done = call(
            browser,
            "complaintContractorSet",
            "ComplaintContractorSetInput",
            {"id": str(complaint.id), "contractorId": gas},
        )
        assert done["__typename"] == "ComplaintContractorSet"
    refused = call(
        browser, "complaintContractorSet", "ComplaintContractorSetInput", {"id": str(third.id), "contractorId": "x"}
    )
    assert refused["__typename"] == "ValidationError" and refused["field"] == "contractorId"
    body = browser.graphql("{ complaintsAggregate(groupBy: [contractor]) { key { contractor } count } }").get_json()
    assert "errors" not in body, body
    counts = {str(group["key"]["contractor"]): group["count"] for group in body["data"]["complaintsAggregate"]}
    assert counts[str(gas)] == 2 and counts["None"] == 1


def test_staff_cannot_change_the_list(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    body = browser.graphql('mutation { contractorCreate(input: {name: "Gas Co"}) { __typename } }').get_json()
    assert "errors" in body  # not in staff's schema


def test_console_settings_keep_the_list(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    added = browser.submit(
        "/console/complaint-settings/contractors", {"contractor-name": "Gas Co"}, page="/console/complaint-settings"
    )
    assert added.status_code == 302
    page = browser.client.get("/console/complaint-settings").get_data(as_text=True)
    assert "Gas Co" in page
    refused = browser.submit(
        "/console/complaint-settings/contractors", {"contractor-name": "G" * 101}, page="/console/complaint-settings"
    )
    assert refused.status_code == 400


def test_console_page_names_the_contractors_of_a_complaint(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    complaint = factories.acknowledged_complaint()
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    gas = factories.make_contractor("Gas Co")
    case = browser.client.get(f"/console/complaints/{complaint.id}").get_data(as_text=True)
    assert f"/console/complaints/{complaint.id}/contractor" in case
    url = f"/console/complaints/{complaint.id}/contractor"
    assert "Gas Co" in browser.client.get(url).get_data(as_text=True)
    done = browser.submit(url, {"contractor": str(gas.id), f"point_{point.id}": str(gas.id)})
    assert done.status_code == 302
    assert Complaint.get_by_id(complaint.id).contractor_id == gas.id
    assert ComplaintPoint.get_by_id(point.id).contractor_id == gas.id
    assert "Gas Co" in browser.client.get(f"/console/complaints/{complaint.id}").get_data(as_text=True)
