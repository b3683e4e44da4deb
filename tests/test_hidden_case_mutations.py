"""A case hidden from a member of staff (a complaint that names them) answers every change keyed by its contact,
hazard, adjustment, restriction or complaint exactly as an id that is not there does: NotFound, before any other
check, and nothing changes. Required text made only of invisible characters counts as blank."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.complaints import restricted, safeguards
from backend.complaints.models import (
    Complaint,
    ComplaintPoint,
    ComplaintStaff,
    Contact,
    ContactRestriction,
    ContactReview,
    Hazard,
    HazardDismissal,
    OmbudsmanOrder,
    ReasonableAdjustment,
)
from backend.errors import Invalid
from backend.text import clean, is_blank
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of

MISSING = 999_999
TODAY = local_date()
LATER = (TODAY + dt.timedelta(days=60)).isoformat()
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff \u00a0\u180e"


@dataclass
class Hidden:
    """The ids of one case hidden from ``named`` (the complaint names them), by kind."""

    named: Any
    ids: dict[str, int]


@pytest.fixture
def hidden() -> Hidden:
    handler = factories.make_staff()
    named = factories.make_user("staff", "manager")
    complaint = factories.acknowledged_complaint(handler, description="The officer was rude to me.")
    contact = Contact.get_by_id(complaint.contact_id)
    hazard = factories.make_hazard(contact)
    adjustment = factories.make_reasonable_adjustment(contact)
    agreed = factories.make_reasonable_adjustment(contact, "Calls in the morning")
    safeguards.decide_adjustment(actor_of(handler), agreed.id, "agreed", "Fine", TODAY + dt.timedelta(days=30))
    restriction = factories.make_contact_restriction(contact)
    order = OmbudsmanOrder.create(complaint=complaint.id, text="Pay 100", due_on=TODAY, recorded_by=handler.id)
    point = ComplaintPoint.get_or_none(ComplaintPoint.complaint == complaint.id)
    restricted.name_staff(actor_of(handler), complaint.id, named.id, "subject", "Took the call")
    ids = {
        "contact": contact.id,
        "complaint": complaint.id,
        "hazard": hazard.id,
        "adjustment": adjustment.id,
        "agreed": agreed.id,
        "restriction": restriction.id,
        "order": order.id,
        "point": point.id if point else MISSING,
    }
    return Hidden(named, ids)


Build = Callable[[dict[str, int], bool], dict[str, Any]]


def blank(bad: bool, good: str) -> str:
    """The text to send: a good one, or one that would fail validation if it ran before the case was looked up."""
    return INVISIBLE if bad else good


MUTATIONS: dict[str, tuple[str, Build]] = {
    "hazardFlag": (
        "HazardFlagInput",
        lambda i, bad: (
            {"contactId": str(i["contact"]), "kind": "disrepair", "severity": "significant"}
            | ({"keywords": ["x" * 61]} if bad else {})
        ),
    ),
    "hazardRecord": (
        "HazardRecordInput",
        lambda i, bad: (
            {"id": str(i["hazard"])}
            | ({} if bad else {"investigationConcludedAt": dt.datetime.now(dt.UTC).isoformat(), "findings": "Damp"})
        ),
    ),
    "hazardClose": ("HazardCloseInput", lambda i, bad: {"id": str(i["hazard"]), "note": blank(bad, "Done")}),
    "hazardSuggestionDismiss": (
        "HazardSuggestionDismissInput",
        lambda i, bad: {"contactId": str(i["contact"]), "kind": "gas_electrical", "reason": blank(bad, "No")},
    ),
    "adjustmentRequest": (
        "AdjustmentRequestInput",
        lambda i, bad: {
            "contactId": str(i["contact"]),
            "adjustment": blank(bad, "Large print"),
            "requestedBy": "The resident",
            "requestedOn": TODAY.isoformat(),
        },
    ),
    "adjustmentDecide": (
        "AdjustmentDecideInput",
        lambda i, bad: (
            {"id": str(i["adjustment"]), "decision": "agreed", "reasons": blank(bad, "Ok")} | {"reviewDueOn": LATER}
        ),
    ),
    "adjustmentReview": (
        "AdjustmentReviewInput",
        lambda i, bad: {"id": str(i["agreed"]), "outcome": "end", "note": blank(bad, "Not needed")},
    ),
    "restrictionRecord": (
        "RestrictionRecordInput",
        lambda i, bad: {
            "contactId": str(i["contact"]),
            "behaviour": blank(bad, "Abusive calls"),
            "evidence": blank(bad, "Call logs"),
            "kind": "email_only",
            "details": "Email only",
            "equalityConsideration": blank(bad, "Considered"),
            "reviewDueOn": LATER,
        },
    ),
    "restrictionResidentTold": (
        "RestrictionResidentToldInput",
        lambda i, bad: (
            {"id": str(i["restriction"]), "residentToldOn": TODAY.isoformat()}
            | {"residentNotice": blank(bad, "Letter")}
        ),
    ),
    "restrictionReview": (
        "RestrictionReviewInput",
        lambda i, bad: {"id": str(i["restriction"]), "outcome": "end", "reviewOutcome": blank(bad, "Better")},
    ),
    "complaintContractorSet": (
        "ComplaintContractorSetInput",
        lambda i, bad: {"id": str(i["complaint"])} | ({"contractorId": str(MISSING)} if bad else {}),
    ),
    "contactReview": (
        "ContactReviewInput",
        lambda i, bad: (
            {"id": str(i["contact"]), "kind": "service_request" if bad else "complaint_offer"}
            | {"outcome": "offer_missed"}
        ),
    ),
    "contactServiceDueSet": (
        "ContactServiceDueSetInput",
        lambda i, bad: {"id": str(i["contact"]), "dueOn": "1990-01-01" if bad else TODAY.isoformat()},
    ),
    "complaintScopeRecord": (
        "ComplaintScopeRecordInput",
        lambda i, bad: {
            "id": str(i["complaint"]),
            "points": [{"pointId": str(i["point"]), "landlordResponsible": False, "signpostedTo": blank(bad, "Co")}],
        },
    ),
    "complaintUpdatesAgree": (
        "ComplaintUpdatesAgreeInput",
        lambda i, bad: (
            {"id": str(i["complaint"]), "everyDays": 0 if bad else 7, "method": "email"}
            | {"agreedOn": TODAY.isoformat()}
        ),
    ),
    "ombudsmanOrderRecord": (
        "OmbudsmanOrderRecordInput",
        lambda i, bad: {"complaintId": str(i["complaint"]), "text": blank(bad, "Pay"), "dueOn": LATER},
    ),
    "ombudsmanOrderComply": (
        "OmbudsmanOrderComplyInput",
        lambda i, bad: {"id": str(i["order"]), "compliedOn": TODAY.isoformat(), "evidence": blank(bad, "Paid")},
    ),
    "complaintRefuseEscalation": (
        "ComplaintRefuseEscalationInput",
        lambda i, bad: (
            {"id": str(i["complaint"]), "ground": "legal_proceedings", "reasons": blank(bad, "In court")}
            | {"ombudsmanDetailsGiven": True}
        ),
    ),
    "complaintInvestigate": (
        "ComplaintInvestigateInput",
        lambda i, bad: {"id": str(i["complaint"]), "reason": blank(bad, "Complex")},
    ),
    "complaintResponseSignOff": ("ComplaintSignOffInput", lambda i, bad: {"id": str(i["complaint"])}),
    "complaintResponseReturn": (
        "ComplaintResponseReturnInput",
        lambda i, bad: {"id": str(i["complaint"]), "reason": blank(bad, "Redo")},
    ),
    "complaintStaffName": (
        "ComplaintStaffNameInput",
        lambda i, bad: {"id": str(i["complaint"]), "personId": str(MISSING if bad else i["other"]), "part": "involved"},
    ),
}

WATCHED = (
    Contact,
    Complaint,
    ComplaintStaff,
    ContactReview,
    Hazard,
    HazardDismissal,
    ReasonableAdjustment,
    ContactRestriction,
    OmbudsmanOrder,
    ComplaintPoint,
)


def state() -> dict[str, Any]:
    """Every row a mutation above could change, and the audit trail's length."""
    rows: dict[str, Any] = {model.__name__: sorted(map(str, model.select().dicts())) for model in WATCHED}
    rows["audit"] = AuditEvent.select().count()
    return rows


def answer(browser: Any, name: str, input_type: str, values: dict[str, Any]) -> dict[str, Any]:
    query = f"""mutation ($input: {input_type}!) {{
      {name}(input: $input) {{ __typename ... on Problem {{ code message }} }}
    }}"""
    body = browser.graphql(query, {"input": values}).get_json()
    assert not body.get("errors"), body
    return body["data"][name]


@pytest.mark.parametrize("bad", [False, True], ids=["valid", "invalid"])
@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_a_hidden_case_answers_like_a_missing_id_and_nothing_changes(
    browser: Any, hidden: Hidden, name: str, bad: bool
) -> None:
    input_type, build = MUTATIONS[name]
    other = factories.make_staff()
    browser.sign_in(hidden.named.email)
    before = state()
    got = answer(browser, name, input_type, build(hidden.ids | {"other": other.id}, bad))
    assert state() == before
    missing = answer(browser, name, input_type, build(dict.fromkeys(hidden.ids, MISSING) | {"other": other.id}, bad))
    assert got["__typename"] == "NotFoundError", got
    assert got == missing


@pytest.mark.parametrize(
    ("query", "model"), [("reasonableAdjustments", ReasonableAdjustment), ("contactRestrictions", ContactRestriction)]
)
def test_adjustments_and_restrictions_of_a_hidden_case_are_not_listed(
    browser: Any, hidden: Hidden, query: str, model: Any
) -> None:
    factories.make_reasonable_adjustment()
    factories.make_contact_restriction()
    browser.sign_in(hidden.named.email)
    body = browser.graphql(f"query {{ {query} {{ nodes {{ id }} }} }}").get_json()
    assert not body.get("errors"), body
    seen = {int(node["id"]) for node in body["data"][query]["nodes"]}
    hidden_rows = {row.id for row in model.select().where(model.contact == hidden.ids["contact"])}
    assert seen and hidden_rows and not seen & hidden_rows


# --- Invisible text is blank --------------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00a0", "\u3000", "\u2028"])
def test_text_of_invisible_characters_is_blank(char: str) -> None:
    assert is_blank(char * 3) and is_blank(f" {char}\t")
    assert clean(f"{char} Hello {char}") == "Hello"
    assert not is_blank("a")


def test_a_restriction_of_invisible_text_names_every_blank_part() -> None:
    manager = factories.make_user("manager")
    contact = factories.make_contact()
    values = {
        "behaviour": INVISIBLE,
        "evidence": "\u200b",
        "details": "Email only",
        "equality_consideration": "\ufeff\u2060",
        "kind": "email_only",
        "review_due_on": TODAY + dt.timedelta(days=60),
    }
    with pytest.raises(Invalid) as excinfo:
        safeguards.record_restriction(actor_of(manager), contact.id, values)
    codes = {(p.field, p.code) for p in excinfo.value.problems}
    assert {("behaviour", "required"), ("evidence", "required"), ("equality_consideration", "required")} <= codes
    assert ContactRestriction.select().count() == 0


def test_a_signpost_of_invisible_text_is_required() -> None:
    from backend.complaints import scope
    from backend.complaints.models import PointScope

    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    with pytest.raises(Invalid) as refused:
        scope.record_scope(actor_of(handler), complaint.id, [scope.ScopeInput(point.id, False, INVISIBLE)])
    assert [(p.at, p.code) for p in refused.value.problems] == [(("points", 0, "signposted_to"), "required")]
    assert PointScope.select().count() == 0


def test_a_hazard_closure_note_of_invisible_text_is_missing(hidden: Hidden) -> None:
    hazard = Hazard.get_by_id(hidden.ids["hazard"])
    from backend.complaints.hazards import closure_missing

    assert "closure_note" in closure_missing(hazard, "\u200b\ufeff")


def test_the_shared_required_text_check_refuses_invisible_text() -> None:
    from backend.complaints import journey

    with pytest.raises(Invalid) as refused:
        journey.text("reason", INVISIBLE)
    assert [(p.field, p.code) for p in refused.value.problems] == [("reason", "required")]
    assert journey.text("reason", "\u200bWhy\ufeff") == "Why"
