"""Service requests are recorded, given a target date and reviewed (Code 1.4); managers check that contacts which
were not complaints and had no offer to complain recorded did not need one (Code 1.3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.complaints import intake, restricted, reviews
from backend.complaints.models import CaseNote, Clock, Complaint, Contact, ContactReview, Regime
from backend.errors import Conflict, Invalid, NotAllowed
from backend.timeutil import local_date, utcnow
from tests import factories
from tests.factories import actor_of


def classified(kind: str) -> Contact:
    staff = factories.make_staff()
    contact = factories.make_contact(description="The boiler is making a noise; please send someone.")
    return intake.classify_contact(actor_of(staff), contact.id, kind, "A request for a repair.")


def test_staff_set_a_service_request_target_date_and_review_it() -> None:
    staff = factories.make_staff()
    contact = classified("service_request")
    due = dt.date.today() + dt.timedelta(days=7)
    assert reviews.set_service_due(actor_of(staff), contact.id, due).service_due_on == due
    review = reviews.review_contact(actor_of(staff), contact.id, "service_request", "resolved", "Engineer came.")
    assert (review.outcome, review.reviewed_by_id) == ("resolved", staff.id)
    actions = {event.action for event in AuditEvent.select()}
    assert {"contact.service_due_set", "contact.reviewed"} <= actions


@pytest.mark.parametrize(
    ("due", "code"),
    [(dt.date(2000, 1, 1), "before_received"), (dt.date.today() + dt.timedelta(days=400), "too_far")],
)
def test_a_target_date_out_of_range_is_refused(due: dt.date, code: str) -> None:
    contact = classified("service_request")
    with pytest.raises(Invalid) as caught:
        reviews.set_service_due(actor_of(factories.make_staff()), contact.id, due)
    assert (caught.value.field, caught.value.code) == ("due_on", code)
    assert Contact.get_by_id(contact.id).service_due_on is None


def test_only_service_requests_get_a_target_date_or_a_service_review() -> None:
    contact = classified("compliment")
    staff = actor_of(factories.make_staff())
    with pytest.raises(Conflict):
        reviews.set_service_due(staff, contact.id, dt.date.today())
    with pytest.raises(Conflict):
        reviews.review_contact(staff, contact.id, "service_request", "resolved")


def test_a_review_lists_every_problem_at_once() -> None:
    contact = classified("service_request")
    with pytest.raises(Invalid) as caught:
        reviews.review_contact(
            actor_of(factories.make_staff()), contact.id, "service_request", "offer_made", "x" * 2001
        )
    assert {(p.field, p.code) for p in caught.value.problems} == {("outcome", "unsupported"), ("note", "too_long")}
    assert not ContactReview.select().exists()


def test_managers_check_the_offer_to_complain_and_record_it() -> None:
    contact = classified("suggestion")
    manager = factories.make_user("manager")
    with pytest.raises(NotAllowed):
        reviews.review_contact(actor_of(factories.make_staff()), contact.id, "complaint_offer", "offer_made")
    reviews.review_contact(actor_of(manager), contact.id, "complaint_offer", "offer_made", "Rang them.")
    assert Contact.get_by_id(contact.id).complaint_offered_at is not None
    with pytest.raises(Conflict) as caught:
        reviews.review_contact(actor_of(manager), contact.id, "complaint_offer", "offer_missed")
    assert caught.value.code == "offer_recorded"


def test_a_complaint_has_no_offer_to_check() -> None:
    complaint = factories.make_complaint()
    with pytest.raises(Conflict) as caught:
        reviews.review_contact(
            actor_of(factories.make_user("manager")), complaint.contact_id, "complaint_offer", "offer_missed"
        )
    assert caught.value.code == "is_complaint"


def test_review_contact_became_complaint_opens_stage_one_with_its_clock() -> None:
    received = dt.datetime(2026, 1, 5, 9, 0)
    staff = factories.make_staff()
    request = factories.make_contact(received_at=received)
    intake.classify_contact(actor_of(staff), request.id, "service_request", "A request for a repair.")
    review = reviews.review_contact(actor_of(staff), request.id, "service_request", "became_complaint", "Rang, upset.")
    complaint = Complaint.get(
        Complaint.contact << Contact.select(Contact.id).where(Contact.related_request == request.id)
    )
    assert (complaint.stage, complaint.status, complaint.resident_id) == (1, "received", request.resident_id)
    clock = Clock.get(Clock.complaint == complaint.id, Clock.kind == "acknowledge")
    # Received now, when the dissatisfaction was recorded, not when the request was: the clock is not already late.
    assert clock.started_on == local_date() and clock.due_on > local_date()
    assert Contact.get_by_id(request.id).kind == "service_request"  # the request carries on alongside it
    actions = [event.action for event in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions.index("contact.reviewed") < actions.index("complaint.opened")
    assert review.outcome == "became_complaint"


def test_review_contact_became_complaint_twice_while_it_runs_is_refused() -> None:
    staff = actor_of(factories.make_staff())
    request = classified("service_request")
    reviews.review_contact(staff, request.id, "service_request", "became_complaint")
    with pytest.raises(Conflict) as caught:
        reviews.review_contact(staff, request.id, "service_request", "became_complaint")
    assert caught.value.code == "already_complaint"
    assert Complaint.select().count() == 1 and ContactReview.select().count() == 1


def test_review_contact_became_complaint_without_a_regime_records_nothing() -> None:
    staff = actor_of(factories.make_staff())
    request = classified("service_request")
    Regime.update(archived_at=utcnow()).execute()
    with pytest.raises(Conflict) as caught:
        reviews.review_contact(staff, request.id, "service_request", "became_complaint")
    assert caught.value.code == "no_regime"
    # One transaction: the review and its audit entry are rolled back with the complaint that could not open.
    assert not ContactReview.select().exists() and not Complaint.select().exists()
    assert not AuditEvent.select().where(AuditEvent.action == "contact.reviewed").exists()


def test_review_contact_became_complaint_of_a_need_to_know_request_stays_hidden() -> None:
    manager = factories.make_user("manager")
    outsider = factories.make_staff()
    request = classified("service_request")
    restricted.restrict_case(actor_of(manager), request.id, "safeguarding", "Risk to the resident.")
    reviews.review_contact(actor_of(manager), request.id, "service_request", "became_complaint")
    complaint = Complaint.get()
    assert restricted.may_see_complaint(actor_of(manager), complaint)
    assert not restricted.may_see_complaint(actor_of(outsider), complaint)


def test_review_through_graphql(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    contact = classified("service_request")
    body = browser.graphql(
        "mutation ($input: ContactReviewInput!) { contactReview(input: $input) { __typename "
        "... on ContactReviewed { review { outcome } } } }",
        {"input": {"id": str(contact.id), "kind": "service_request", "outcome": "became_complaint"}},
    ).get_json()
    assert body["data"]["contactReview"] == {"__typename": "ContactReviewed", "review": {"outcome": "became_complaint"}}
    assert Contact.get(Contact.related_request == contact.id).complaint_rows.count() == 1


def test_console_service_request_queue_target_and_review(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    contact = classified("service_request")
    queue = browser.client.get("/console/service-requests")
    assert queue.status_code == 200 and contact.reference in queue.get_data(as_text=True)
    url = f"/console/contacts/{contact.id}/review/service_request"
    assert browser.client.get(url).status_code == 200
    refused = browser.submit(url, {"action": "due", "due-due_on": "2000-01-01"})
    assert refused.status_code == 400 and Contact.get_by_id(contact.id).service_due_on is None
    due = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    assert browser.submit(url, {"action": "due", "due-due_on": due}).status_code == 302
    assert Contact.get_by_id(contact.id).service_due_on.isoformat() == due
    assert browser.submit(url, {"action": "review", "review-outcome": ""}).status_code == 400
    done = browser.submit(url, {"action": "review", "review-outcome": "resolved", "review-note": "Fixed."})
    assert done.status_code == 302
    assert ContactReview.get(ContactReview.contact == contact.id).outcome == "resolved"


def test_console_review_became_complaint_opens_the_complaint(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    contact = classified("service_request")
    url = f"/console/contacts/{contact.id}/review/service_request"
    done = browser.submit(url, {"action": "review", "review-outcome": "became_complaint", "review-note": ""})
    assert done.status_code == 302
    assert Contact.get(Contact.related_request == contact.id).complaint_rows.get().stage == 1


def test_console_offer_checks_are_for_managers(browser: Any, signed_in: Any) -> None:
    contact = classified("suggestion")
    signed_in("staff")
    assert browser.client.get("/console/offer-checks").status_code == 403
    browser.sign_out()
    signed_in("manager")
    listed = browser.client.get("/console/offer-checks").get_data(as_text=True)
    assert contact.reference in listed
    url = f"/console/contacts/{contact.id}/review/complaint_offer"
    done = browser.submit(url, {"action": "review", "review-outcome": "no_dissatisfaction"})
    assert done.status_code == 302
    assert contact.reference not in browser.client.get("/console/offer-checks").get_data(as_text=True)


def opened_from(request: Contact) -> Complaint:
    return Complaint.get(Complaint.contact << Contact.select(Contact.id).where(Contact.related_request == request.id))


def test_review_contact_became_complaint_keeps_the_note_as_a_staff_note() -> None:
    staff = factories.make_staff()
    request = classified("service_request")
    reviews.review_contact(actor_of(staff), request.id, "service_request", "became_complaint", "Third visit missed.")
    complaint = opened_from(request)
    note = CaseNote.get(CaseNote.complaint == complaint.id)
    assert (note.body, note.kind, note.created_by_id) == ("Third visit missed.", "internal_note", staff.id)
    # Staff's note, not the resident's words: the complaint's own words stay the request's.
    assert Contact.get_by_id(complaint.contact_id).description == request.description


def test_review_contact_became_complaint_wants_to_complain_with_the_requests_circumstances() -> None:
    staff = factories.make_staff()
    request = classified("service_request")
    Contact.update(adjustments="Large print letters.", vulnerabilities=["disability"]).where(
        Contact.id == request.id
    ).execute()
    reviews.review_contact(actor_of(staff), request.id, "service_request", "became_complaint")
    contact = Contact.get_by_id(opened_from(request).contact_id)
    assert (contact.wants_to_complain, contact.adjustments, contact.vulnerabilities) == (
        True,
        "Large print letters.",
        ["disability"],
    )


def test_console_review_became_complaint_names_and_links_the_complaint(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    request = classified("service_request")
    url = f"/console/contacts/{request.id}/review/service_request"
    browser.submit(url, {"action": "review", "review-outcome": "became_complaint", "review-note": ""})
    complaint = opened_from(request)
    page = browser.client.get("/console/service-requests").get_data(as_text=True)
    assert complaint.reference in page and f'href="/console/complaints/{complaint.id}"' in page


def test_console_contact_of_a_request_that_became_a_complaint_links_both_ways(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    request = classified("service_request")
    reviews.review_contact(actor_of(factories.make_staff()), request.id, "service_request", "became_complaint")
    complaint = opened_from(request)
    page = browser.client.get(f"/console/contacts/{request.id}").get_data(as_text=True)
    assert f'href="/console/complaints/{complaint.id}"' in page
    assert f'href="/console/contacts/{request.id}/review/service_request"' in page
    assert "Classify this contact" not in page
    new_contact = browser.client.get(f"/console/contacts/{complaint.contact_id}").get_data(as_text=True)
    assert f'href="/console/contacts/{request.id}"' in new_contact and request.reference in new_contact
    case = browser.client.get(f"/console/complaints/{complaint.id}").get_data(as_text=True)
    assert f'href="/console/contacts/{request.id}"' in case


def test_console_review_page_links_the_complaint_the_request_led_to(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    request = classified("service_request")
    reviews.review_contact(actor_of(factories.make_staff()), request.id, "service_request", "became_complaint")
    complaint = opened_from(request)
    page = browser.client.get(f"/console/contacts/{request.id}/review/service_request").get_data(as_text=True)
    assert f'href="/console/complaints/{complaint.id}">{complaint.reference}</a>' in page
