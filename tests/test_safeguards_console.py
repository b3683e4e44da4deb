"""Adjustments and restrictions through the API and on the console: who may read and decide them, the refusal
that names every missing part, one page per action, and the case page that shows them first and still works."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from backend.complaints import safeguards
from backend.complaints.models import ContactRestriction, ReasonableAdjustment
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of

TODAY = local_date()
LATER = (TODAY + dt.timedelta(days=60)).isoformat()
RECORD = """
mutation ($input: RestrictionRecordInput!) {
  restrictionRecord(input: $input) {
    __typename
    ... on RestrictionRecorded { restriction { id kind status decidedBy { id } } }
    ... on ValidationError { field code message problems { field code message } }
    ... on NotAllowedError { message }
  }
}
"""
REQUEST = """
mutation ($input: AdjustmentRequestInput!) {
  adjustmentRequest(input: $input) {
    __typename
    ... on AdjustmentRequested { adjustment { id description status resident { id } contact { id } } }
    ... on ValidationError { problems { field code } }
  }
}
"""
READ = "query { reasonableAdjustments { nodes { id } } contactRestrictions { nodes { id } } }"


def restriction_input(contact_id: int, **values: object) -> dict[str, object]:
    return {
        "contactId": str(contact_id),
        "behaviour": "Abusive calls to the repairs line.",
        "evidence": "Call recordings of 3 and 4 March.",
        "kind": "single_point_of_contact",
        "details": "Contact Sam Jones only, by email or letter.",
        "equalityConsideration": "No disability disclosed; we asked and recorded the answer.",
        "reviewDueOn": LATER,
        **values,
    }


# --- The API ---------------------------------------------------------------------------------------------------


def test_restriction_without_evidence_or_review_date_through_the_api_names_both(browser, signed_in) -> None:
    signed_in("manager")
    staff = factories.make_staff()
    contact = factories.make_contact()
    variables = {"input": restriction_input(contact.id, evidence="", reviewDueOn=None, pointOfContactId=str(staff.id))}
    made = browser.graphql(RECORD, variables).get_json()["data"]["restrictionRecord"]
    assert made["__typename"] == "ValidationError"
    assert [(p["field"], p["code"]) for p in made["problems"]] == [
        ("evidence", "required"),
        ("reviewDueOn", "required"),
    ]
    assert all(p["message"] for p in made["problems"])
    assert ContactRestriction.select().count() == 0


def test_manager_records_a_restriction_through_the_api(browser, signed_in) -> None:
    manager = signed_in("manager")
    staff = factories.make_staff()
    contact = factories.make_contact()
    variables = {"input": restriction_input(contact.id, pointOfContactId=str(staff.id))}
    made = browser.graphql(RECORD, variables).get_json()["data"]["restrictionRecord"]
    assert made["__typename"] == "RestrictionRecorded"
    assert made["restriction"]["status"] == "active" and made["restriction"]["decidedBy"]["id"] == str(manager.id)


def test_single_point_of_contact_that_is_not_a_number_is_named_with_the_other_problems(browser, signed_in) -> None:
    signed_in("manager")
    contact = factories.make_contact()
    variables = {"input": restriction_input(contact.id, pointOfContactId="nobody", evidence="")}
    made = browser.graphql(RECORD, variables).get_json()["data"]["restrictionRecord"]
    assert [(p["field"], p["code"]) for p in made["problems"]] == [
        ("evidence", "required"),
        ("pointOfContactId", "not_staff"),
    ]


def test_staff_read_restrictions_but_their_api_has_no_restriction_mutations(browser, signed_in) -> None:
    signed_in("staff")
    factories.make_contact_restriction()
    assert len(browser.graphql(READ).get_json()["data"]["contactRestrictions"]["nodes"]) == 1
    body = browser.graphql(RECORD, {"input": restriction_input(factories.make_contact().id)}).get_json()
    assert body.get("errors") and not body.get("data")
    assert ContactRestriction.select().count() == 1


@pytest.mark.parametrize("role", ["resident", "advocate", "panel_member"])
def test_others_cannot_read_adjustments_or_restrictions(browser, signed_in, role: str) -> None:
    signed_in(role)
    factories.make_contact_restriction()
    body = browser.graphql(READ).get_json()
    assert body.get("errors") and not body.get("data")


def test_staff_request_an_adjustment_through_the_api_on_the_contacts_resident(browser, signed_in) -> None:
    signed_in("staff")
    contact = factories.make_contact()
    variables = {
        "input": {
            "contactId": str(contact.id),
            "adjustment": "Easy read",
            "requestedBy": "Advocate",
            "requestedOn": str(TODAY),
        }
    }
    made = browser.graphql(REQUEST, variables).get_json()["data"]["adjustmentRequest"]
    assert made["adjustment"]["status"] == "requested"
    assert made["adjustment"]["resident"]["id"] == str(contact.resident_id)  # type: ignore[attr-defined]
    empty = browser.graphql(REQUEST, {"input": {"contactId": str(contact.id)}}).get_json()["data"]
    assert [(p["field"], p["code"]) for p in empty["adjustmentRequest"]["problems"]] == [
        ("adjustment", "required"),
        ("requestedBy", "required"),
        ("requestedOn", "required"),
    ]


# --- The console -----------------------------------------------------------------------------------------------


def test_case_page_shows_a_restriction_as_a_banner_and_every_step_still_works(browser, signed_in) -> None:
    signed_in("staff")
    complaint = factories.make_complaint()
    factories.make_contact_restriction(complaint.contact)
    page = f"/console/complaints/{complaint.id}"
    shown = html.unescape(browser.client.get(page).get_data(as_text=True))
    assert "Restriction on contact in force" in shown and "Contact by email only" in shown
    assert "Their complaints are still handled as usual." in shown
    assert f"{page}/acknowledge" in shown  # the step opens on its own page
    response = browser.submit(
        f"{page}/acknowledge",
        {
            "acknowledge-point_1": "The tap leaks",
            "acknowledge-outcome_1": "A repair",
            "acknowledge-outcomes_sought": "The tap fixed",
            "acknowledge-summary": "A leaking tap.",
        },
        page=page,
    )
    assert response.status_code == 302
    assert complaint.__class__.get_by_id(complaint.id).status == "open"


def test_case_page_shows_agreed_and_requested_adjustments_and_links_to_them(browser, signed_in) -> None:
    staff = signed_in("staff")
    complaint = factories.make_complaint()
    agreed = factories.make_reasonable_adjustment(complaint.contact, "Large print letters")
    safeguards.decide_adjustment(actor_of(staff), agreed.id, "agreed", "Easy.", TODAY + dt.timedelta(30))
    factories.make_reasonable_adjustment(complaint.contact, "Calls after 2pm")
    shown = browser.client.get(f"/console/complaints/{complaint.id}").get_data(as_text=True)
    assert "Large print letters" in shown and "Calls after 2pm" in shown
    assert f"/console/contacts/{complaint.contact_id}/safeguards?complaint={complaint.id}" in shown  # type: ignore[attr-defined]


def test_staff_ask_for_and_agree_an_adjustment_each_on_its_own_page(browser, signed_in) -> None:
    signed_in("staff")
    complaint = factories.make_complaint()
    contact_id = complaint.contact_id  # type: ignore[attr-defined]
    new = f"/console/contacts/{contact_id}/adjustments/new?complaint={complaint.id}"
    assert browser.client.get(new).status_code == 200
    refused = browser.submit(new, {"adjustment": "", "requested_by": "", "requested_on": ""})
    text = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400
    assert "Say what the adjustment is." in text and "Give the date it was asked for." in text
    done = browser.submit(
        new, {"adjustment": "Braille letters", "requested_by": "The resident", "requested_on": TODAY.isoformat()}
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/console/complaints/{complaint.id}")
    row = ReasonableAdjustment.get(ReasonableAdjustment.description == "Braille letters")
    decide = f"/console/contacts/{contact_id}/adjustments/{row.id}/decide"
    agreed = browser.submit(decide, {"decision": "agreed", "reasons": "We can.", "review_due_on": LATER})
    assert agreed.status_code == 302
    assert ReasonableAdjustment.get_by_id(row.id).status == "agreed"
    listing = browser.client.get(f"/console/contacts/{contact_id}/safeguards").get_data(as_text=True)
    assert "Braille letters" in listing and f"/adjustments/{row.id}/review" in listing


def test_staff_cannot_open_the_restriction_pages(browser, signed_in) -> None:
    signed_in("staff")
    contact = factories.make_contact()
    restriction = factories.make_contact_restriction(contact)
    assert browser.client.get(f"/console/contacts/{contact.id}/restrictions/new").status_code == 403
    assert browser.client.get(f"/console/contacts/{contact.id}/restrictions/{restriction.id}/review").status_code == 403
    listing = browser.client.get(f"/console/contacts/{contact.id}/safeguards").get_data(as_text=True)
    assert "restrictions/new" not in listing and "Contact by email only" in listing


def test_manager_restriction_page_refuses_missing_evidence_and_review_date_then_records_and_reviews(
    browser, signed_in
) -> None:
    signed_in("manager")
    contact = factories.make_contact()
    page = f"/console/contacts/{contact.id}/restrictions/new"
    form = {
        "behaviour": "Threats to staff on the phone.",
        "evidence": "",
        "kind": "email_only",
        "details": "Email us only.",
        "equality_consideration": "No needs disclosed.",
        "review_due_on": "",
    }
    refused = browser.submit(page, form)
    text = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400
    assert "Give the evidence of the behaviour" in text and "Give the date of the review." in text
    assert "Threats to staff on the phone." in text  # what was typed is kept
    assert ContactRestriction.select().count() == 0
    done = browser.submit(page, {**form, "evidence": "Call log of 3 March.", "review_due_on": LATER})
    assert done.status_code == 302
    row = ContactRestriction.get()
    review = f"/console/contacts/{contact.id}/restrictions/{row.id}/review"
    asked = browser.submit(review, {"outcome": "end", "review_outcome": "No incidents since."})
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Are you sure you want to end it?" in text
    assert 'name="confirmed" value="yes"' in text and "No incidents since." in text
    assert ContactRestriction.get_by_id(row.id).status == "active"  # nothing changes until it is confirmed
    ended = browser.submit(review, {"outcome": "end", "review_outcome": "No incidents since.", "confirmed": "yes"})
    assert ended.status_code == 302 and ContactRestriction.get_by_id(row.id).status == "ended"


def test_ending_without_saying_why_is_refused_before_any_confirmation(browser, signed_in) -> None:
    signed_in("staff")
    contact = factories.make_contact()
    row = factories.make_reasonable_adjustment(contact)
    safeguards.decide_adjustment(actor_of(factories.make_staff()), row.id, "agreed", "Fine.", TODAY + dt.timedelta(9))
    review = f"/console/contacts/{contact.id}/adjustments/{row.id}/review"
    refused = browser.submit(review, {"outcome": "end", "note": ""})
    text = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400 and "Say what the review found." in text
    assert "Are you sure" not in text and ReasonableAdjustment.get_by_id(row.id).status == "agreed"


def test_action_pages_for_a_record_that_does_not_exist_are_not_found(browser, signed_in) -> None:
    signed_in("manager")
    contact = factories.make_contact()
    assert browser.client.get(f"/console/contacts/{contact.id}/adjustments/99999/decide").status_code == 404
    assert browser.client.get(f"/console/contacts/{contact.id}/restrictions/99999/review").status_code == 404
    assert browser.client.get("/console/contacts/99999/safeguards").status_code == 404


def test_an_action_page_under_another_residents_contact_is_not_found(browser, signed_in) -> None:
    signed_in("manager")
    restriction = factories.make_contact_restriction()
    adjustment = factories.make_reasonable_adjustment()
    other = factories.make_contact()
    assert browser.client.get(f"/console/contacts/{other.id}/restrictions/{restriction.id}/review").status_code == 404
    assert browser.client.get(f"/console/contacts/{other.id}/adjustments/{adjustment.id}/decide").status_code == 404
    own = adjustment.contact_id  # type: ignore[attr-defined]
    assert browser.client.get(f"/console/contacts/{own}/adjustments/{adjustment.id}/decide").status_code == 200
