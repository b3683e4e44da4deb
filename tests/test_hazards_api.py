"""Hazards and the named complaints roles through real GraphQL text, and who holds a role on a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.audit.models import AuditEvent
from backend.complaints import hazards, roles
from backend.complaints.models import Hazard, RoleDesignation
from tests import factories
from tests.factories import actor_of

PROBLEMS = "__typename ... on Problem { code message } ... on ValidationError { field problems { field code message } }"
FLAG = (
    "mutation ($input: HazardFlagInput!) { hazardFlag(input: $input) { __typename "
    "... on HazardFlagged { hazard { id kind severity status keywords escalatedTo { id } "
    "clocks { kind dueAt status } } } " + PROBLEMS + " } }"
)
CLOSE = "mutation ($input: HazardCloseInput!) { hazardClose(input: $input) { " + PROBLEMS + " } }"
RECORD = (
    "mutation ($input: HazardRecordInput!) { hazardRecord(input: $input) { "
    "... on HazardRecorded { hazard { madeSafeAt investigationConcludedAt } } " + PROBLEMS + " } }"
)
SUGGESTIONS = (
    "query ($id: ID!) { hazardSuggestions(contactId: $id) { kind words } "
    "hazardsAggregate(where: {status: {eq: open}}) { count } }"
)
DESIGNATE = (
    "mutation ($input: RoleDesignationCreateInput!) { roleDesignationCreate(input: $input) { "
    "... on RoleDesignationCreated { roleDesignation { id role startsOn person { id } } } " + PROBLEMS + " } }"
)


def run(browser: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    return body["data"]


# --- Who holds a role ------------------------------------------------------------------------------------------


def test_holder_is_whoever_is_designated_on_the_day() -> None:
    first, second = factories.make_user("manager"), factories.make_user("manager")
    factories.make_role_designation("senior_lead", first, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 3, 31))
    factories.make_role_designation("senior_lead", second, starts_on=dt.date(2026, 3, 25))
    assert roles.holder("senior_lead", dt.date(2025, 12, 31)) is None
    assert roles.holder("senior_lead", dt.date(2026, 2, 1)).id == first.id
    # During the handover the designation that started last wins.
    assert roles.holder("senior_lead", dt.date(2026, 3, 30)).id == second.id
    assert roles.holder("mrc", dt.date(2026, 3, 30)) is None


def test_holder_skips_a_deactivated_account() -> None:
    lead = factories.make_user("manager", active=False)
    factories.make_role_designation("complaints_officer", lead)
    assert roles.holder("complaints_officer", dt.date(2026, 6, 1)) is None


def test_admin_designates_a_senior_lead_and_it_is_audited(browser, signed_in) -> None:
    signed_in("admin")
    lead = factories.make_user("manager")
    made = run(
        browser,
        DESIGNATE,
        {
            "input": {
                "role": "senior_lead",
                "personId": str(lead.id),
                "startsOn": "2026-01-01",
                "note": "Board minute 12",
            }
        },
    )["roleDesignationCreate"]
    assert made["roleDesignation"]["role"] == "senior_lead" and made["roleDesignation"]["person"]["id"] == str(lead.id)
    assert AuditEvent.get(AuditEvent.action == "role_designation.created").changes["role"]["after"] == "senior_lead"
    assert roles.holder("senior_lead", dt.date(2026, 6, 1)).id == lead.id


def test_designation_of_non_staff_ending_before_it_starts_is_refused_with_both_problems(browser, signed_in) -> None:
    signed_in("admin")
    resident = factories.make_user()
    result = run(
        browser,
        DESIGNATE,
        {
            "input": {
                "role": "mrc",
                "personId": str(resident.id),
                "startsOn": "2026-05-01",
                "endsOn": "2026-04-01",
            }
        },
    )["roleDesignationCreate"]
    assert result["__typename"] == "ValidationError"
    assert {(p["field"], p["code"]) for p in result["problems"]} == {
        ("personId", "not_staff"),
        ("endsOn", "before_start"),
    }
    assert RoleDesignation.select().count() == 0


def test_staff_cannot_designate_roles(browser, signed_in) -> None:
    signed_in("staff")
    lead = factories.make_user("manager")
    body = browser.graphql(
        DESIGNATE, {"input": {"role": "mrc", "personId": str(lead.id), "startsOn": "2026-01-01"}}
    ).get_json()
    # Only admins' schema has the mutation at all.
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert RoleDesignation.select().count() == 0


# --- Hazards ----------------------------------------------------------------------------------------------------


def test_staff_confirm_a_suggestion_and_flag_the_hazard(browser, signed_in, clock_at) -> None:
    clock_at(dt.datetime(2026, 3, 2, 11, 0))
    staff = signed_in("staff")
    lead = factories.make_user("manager")
    factories.make_role_designation("senior_lead", lead)
    contact = factories.make_contact(description="Mould all over the bathroom ceiling.")
    data = run(browser, SUGGESTIONS, {"id": str(contact.id)})
    assert data["hazardSuggestions"] == [{"kind": "damp_mould", "words": ["mould"]}]
    flagged = run(
        browser,
        FLAG,
        {
            "input": {
                "contactId": str(contact.id),
                "kind": "damp_mould",
                "severity": "significant",
                "keywords": ["mould"],
            }
        },
    )["hazardFlag"]
    hazard = flagged["hazard"]
    assert hazard["status"] == "open" and hazard["keywords"] == ["mould"]
    assert hazard["escalatedTo"]["id"] == str(lead.id)
    assert [c["kind"] for c in hazard["clocks"]] == ["investigate"]
    assert Hazard.get_by_id(int(hazard["id"])).flagged_by_id == staff.id  # type: ignore[attr-defined]
    after = run(browser, SUGGESTIONS, {"id": str(contact.id)})
    assert after == {"hazardSuggestions": [], "hazardsAggregate": [{"count": 1}]}


def test_resident_sees_no_suggestions_and_cannot_flag(browser, signed_in) -> None:
    resident = signed_in("resident", home=factories.make_home())
    contact = factories.make_contact(resident, description="Mould everywhere.")
    assert run(browser, "query ($id: ID!) { hazardSuggestions(contactId: $id) { kind } }", {"id": str(contact.id)}) == {
        "hazardSuggestions": []
    }
    body = browser.graphql(
        FLAG, {"input": {"contactId": str(contact.id), "kind": "damp_mould", "severity": "emergency"}}
    ).get_json()
    assert "errors" in body or body["data"]["hazardFlag"]["__typename"] == "NotAllowedError"
    assert Hazard.select().count() == 0


def test_close_without_made_safe_date_lists_every_missing_part(browser, signed_in) -> None:
    signed_in("staff")
    hazard = factories.make_hazard()
    result = run(browser, CLOSE, {"input": {"id": str(hazard.id), "note": ""}})["hazardClose"]
    assert result["__typename"] == "ValidationError" and result["code"] == "incomplete"
    assert "the date the home was made safe" in result["message"]
    assert "when the investigation concluded" in result["message"]
    assert Hazard.get_by_id(hazard.id).status == "open"


def test_record_takes_dates_with_offsets(browser, signed_in, clock_at) -> None:
    clock_at(dt.datetime(2026, 3, 2, 9, 0))
    signed_in("staff")
    contact = factories.make_contact()
    hazard = hazards.flag_hazard(actor_of(factories.make_staff()), contact.id, "gas_electrical", "emergency")
    clock_at(dt.datetime(2026, 3, 2, 15, 0))
    recorded = run(
        browser,
        RECORD,
        {
            "input": {
                "id": str(hazard.id),
                "investigationConcludedAt": "2026-03-02T11:00:00Z",
                "findings": "Live wires behind the socket.",
                "madeSafeAt": "2026-03-02T12:30:00Z",
            }
        },
    )["hazardRecord"]
    assert recorded["hazard"] == {
        "madeSafeAt": "2026-03-02T12:30:00Z",
        "investigationConcludedAt": "2026-03-02T11:00:00Z",
    }
    closed = run(browser, CLOSE, {"input": {"id": str(hazard.id), "note": "Socket replaced."}})["hazardClose"]
    assert closed["__typename"] == "HazardClosed"


# --- Ombudsman liaison goes to the complaints officer -------------------------------------------------------------


def test_ombudsman_referral_and_determination_go_to_the_complaints_officer() -> None:
    from backend.complaints import journey
    from backend.events.models import Delivery, OutboxEvent

    officer = factories.make_user("staff")
    factories.make_role_designation("complaints_officer", officer)
    complaint = factories.responded_complaint()
    staff = actor_of(factories.make_staff())
    journey.refer_to_ombudsman(staff, complaint.id, "202612345")
    journey.record_determination(
        staff, complaint.id, "maladministration", "Pay £250 within 4 weeks.", dt.date(2027, 1, 29)
    )
    for name in ("complaint.ombudsman_liaison", "complaint.ombudsman_determined"):
        (event,) = OutboxEvent.select().where(OutboxEvent.name == name)
        assert event.payload["recipient_id"] == officer.id
    (liaison,) = Delivery.select().join(OutboxEvent).where(OutboxEvent.name == "complaint.ombudsman_liaison")
    assert liaison.recipient_user_id == officer.id and complaint.reference in liaison.subject


def test_ombudsman_liaison_goes_to_every_manager_without_a_complaints_officer() -> None:
    from backend.complaints import journey
    from backend.events.models import OutboxEvent

    managers = {factories.make_user("manager").id, factories.make_user("manager").id}
    complaint = factories.responded_complaint()
    journey.refer_to_ombudsman(actor_of(factories.make_staff()), complaint.id, "202600001")
    told = {
        e.payload["recipient_id"] for e in OutboxEvent.select().where(OutboxEvent.name == "complaint.ombudsman_liaison")
    }
    assert told >= managers


def test_admin_adds_a_keyword_in_another_language_and_it_suggests(browser, signed_in, clock_at) -> None:
    clock_at(dt.datetime(2026, 3, 2, 11, 0))
    signed_in("admin")
    made = run(
        browser,
        "mutation ($input: HazardKeywordCreateInput!) { hazardKeywordCreate(input: $input) { __typename "
        + PROBLEMS
        + " } }",
        {"input": {"locale": "pl", "kind": "damp_mould", "word": "pleśń"}},
    )["hazardKeywordCreate"]
    assert made["__typename"] == "HazardKeywordCreated"
    contact = factories.make_contact(description="W łazience jest PLEŚŃ na suficie.", locale="pl")
    assert run(browser, SUGGESTIONS, {"id": str(contact.id)})["hazardSuggestions"] == [
        {"kind": "damp_mould", "words": ["pleśń"]}
    ]
    assert AuditEvent.get(AuditEvent.action == "hazard_keyword.created").changes["word"]["after"] == "pleśń"
