"""The scope of a complaint (Code 5.7): each point is the landlord's to put right or not, and if not, where the
resident was signposted (required then). The answer, the resident's page and the API show it."""

from __future__ import annotations

from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.complaints import scope, steps
from backend.complaints.models import ComplaintPoint, PointScope
from backend.errors import Conflict, Invalid
from backend.events.models import Delivery, OutboxEvent
from tests import factories
from tests.factories import actor_of
from tests.test_complaint_steps import _respond

HIGHWAYS = "The council's highways team, 0300 123 4567."


def points_of(complaint: Any) -> list[ComplaintPoint]:
    return list(ComplaintPoint.select().where(ComplaintPoint.complaint == complaint.id).order_by(ComplaintPoint.id))


def test_a_point_not_ours_records_where_the_resident_was_sent() -> None:
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    (point,) = points_of(complaint)
    scope.record_scope(actor_of(handler), complaint.id, [scope.ScopeInput(point.id, False, HIGHWAYS)])
    row = PointScope.get(PointScope.point == point.id)
    assert (row.landlord_responsible, row.signposted_to) == (False, HIGHWAYS)
    audit = AuditEvent.get(AuditEvent.action == "complaint_point.scope_recorded")
    assert audit.changes["landlord_responsible"] == {"before": True, "after": False}


def test_not_ours_without_a_signpost_is_refused_naming_every_problem() -> None:
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    (point,) = points_of(complaint)
    other = points_of(factories.acknowledged_complaint())[0]
    with pytest.raises(Invalid) as refused:
        scope.record_scope(
            actor_of(handler),
            complaint.id,
            [scope.ScopeInput(point.id, False, "  "), scope.ScopeInput(other.id, True, "")],
        )
    assert [(p.at, p.code) for p in refused.value.problems] == [
        (("points", 0, "signposted_to"), "required"),
        (("points", 1, "point_id"), "not_found"),
    ]
    assert PointScope.select().count() == 0


def test_scope_is_recorded_only_between_the_acknowledgement_and_the_answer() -> None:
    staff = factories.make_staff()
    received = factories.make_complaint()
    with pytest.raises(Conflict) as refused:
        scope.record_scope(actor_of(staff), received.id, [])
    assert refused.value.code == "not_acknowledged"
    answered = factories.responded_complaint()
    assert "record_scope" not in {rule.step for rule in steps.available_steps(actor_of(staff), answered)}


def test_the_answer_says_what_is_not_ours_and_where_to_go() -> None:
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    (point,) = points_of(complaint)
    scope.record_scope(actor_of(handler), complaint.id, [scope.ScopeInput(point.id, False, HIGHWAYS)])
    _respond(actor_of(handler), complaint)
    (delivery,) = Delivery.select().join(OutboxEvent).where(OutboxEvent.name == "complaint.responded")
    assert "What is not ours to put right" in delivery.body
    assert HIGHWAYS in delivery.body


def test_the_residents_page_shows_it(browser, signed_in) -> None:
    resident = signed_in("resident", home=factories.make_home())
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler, resident=resident)
    (point,) = points_of(complaint)
    scope.record_scope(actor_of(handler), complaint.id, [scope.ScopeInput(point.id, False, HIGHWAYS)])
    page = browser.client.get(f"/cases/{complaint.contact_id}").get_data(as_text=True)
    assert "This is not ours to put right." in page and "highways team" in page


def test_the_console_page_records_it_and_names_a_missing_signpost(browser, signed_in) -> None:
    complaint = factories.acknowledged_complaint()
    (point,) = points_of(complaint)
    signed_in("staff")
    url = f"/console/complaints/{complaint.id}/scope"
    assert url in browser.client.get(f"/console/complaints/{complaint.id}").get_data(as_text=True)
    sent = browser.submit(url, {f"scope-{point.id}": "not_ours", f"signposted-{point.id}": ""})
    assert sent.status_code == 400
    assert "Say where the resident was signposted" in sent.get_data(as_text=True)
    assert PointScope.select().count() == 0
    sent = browser.submit(url, {f"scope-{point.id}": "not_ours", f"signposted-{point.id}": HIGHWAYS})
    assert sent.status_code == 302
    assert PointScope.get().signposted_to == HIGHWAYS


SCOPE = """
mutation ($input: ComplaintScopeRecordInput!) {
  complaintScopeRecord(input: $input) {
    __typename
    ... on ValidationError { problems { field code } }
  }
}
"""


def test_the_api_names_the_field_as_sent(browser, signed_in) -> None:
    complaint = factories.acknowledged_complaint()
    (point,) = points_of(complaint)
    signed_in("staff")
    points = [{"pointId": str(point.id), "landlordResponsible": False}]
    result = browser.graphql(SCOPE, {"input": {"id": str(complaint.id), "points": points}}).get_json()
    assert result["data"]["complaintScopeRecord"]["problems"] == [
        {"field": "points[0].signpostedTo", "code": "required"}
    ]


def test_merging_into_an_answered_stage_says_to_open_a_new_complaint(browser, signed_in) -> None:
    complaint = factories.responded_complaint()
    contact = factories.make_contact(complaint.resident, description="The tap again.")
    signed_in("staff")
    url = f"/console/contacts/{contact.id}/merge"
    data = {"merge-complaint": complaint.reference, "merge-reason": "Same tap.", "confirmed": "1"}
    sent = browser.submit(url, data, page=f"/console/contacts/{contact.id}")
    page = sent.get_data(as_text=True)
    assert "current stage has already been answered" in page and "Open a new" in page
    assert 'href="#classify-heading"' in page


def test_a_contact_joins_a_stage_two_complaint_before_its_answer() -> None:
    from backend.complaints import intake, journey

    complaint = factories.responded_complaint()
    journey.escalate_complaint(actor_of(complaint.resident), complaint.id)
    contact = factories.make_contact(complaint.resident, description="And the boiler now.")
    merge = intake.merge_contact(actor_of(factories.make_staff()), contact.id, complaint.id, "Related.")
    assert merge.complaint_id == complaint.id
