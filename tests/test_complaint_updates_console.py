"""The update interval page and its mutation: staff record what was agreed; a refusal names every missing part."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.complaints import journey
from backend.complaints.models import UpdateInterval
from tests import factories
from tests.factories import actor_of

MONDAY = dt.datetime(2026, 3, 2, 10)


def late_case(clock_at: Any) -> Any:
    clock_at(MONDAY)
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    journey.extend_complaint(actor_of(handler), complaint.id, 5, "Waiting for the surveyor.", MONDAY.date(), True)
    return complaint


def test_the_case_page_links_to_the_page_once_the_answer_is_late(browser, signed_in, clock_at) -> None:
    complaint = late_case(clock_at)
    signed_in("staff")
    page = browser.client.get(f"/console/complaints/{complaint.id}").get_data(as_text=True)
    assert f"/console/complaints/{complaint.id}/update-interval" in page


def test_staff_record_the_interval_and_go_back_to_the_case(browser, signed_in, clock_at) -> None:
    complaint = late_case(clock_at)
    signed_in("staff")
    url = f"/console/complaints/{complaint.id}/update-interval"
    assert browser.client.get(url).status_code == 200
    sent = browser.submit(url, {"every_days": "3", "agreed_on": "2026-03-02", "method": "phone", "note": "After 4pm"})
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/console/complaints/{complaint.id}")
    interval = UpdateInterval.get()
    assert (interval.every_days, interval.method, interval.note) == (3, "phone", "After 4pm")
    page = browser.client.get(url).get_data(as_text=True)
    assert "At least every 3 working days" in page and "5 March 2026" in page


def test_an_empty_form_names_every_missing_part(browser, signed_in, clock_at) -> None:
    complaint = late_case(clock_at)
    signed_in("staff")
    url = f"/console/complaints/{complaint.id}/update-interval"
    sent = browser.submit(url, {"every_days": "", "agreed_on": "", "note": ""})
    page = sent.get_data(as_text=True)
    assert sent.status_code == 400
    assert "Give how many working days apart the updates will be." in page
    assert "Give the date the interval was agreed with the resident." in page
    assert "Choose how the resident will get the updates." in page
    assert UpdateInterval.select().count() == 0


def test_the_page_does_not_offer_the_form_before_the_answer_is_late(browser, signed_in, clock_at) -> None:
    clock_at(MONDAY)
    complaint = factories.acknowledged_complaint()
    signed_in("staff")
    page = browser.client.get(f"/console/complaints/{complaint.id}/update-interval").get_data(as_text=True)
    assert 'name="every_days"' not in page


def test_a_resident_cannot_open_the_page(browser, signed_in, clock_at) -> None:
    complaint = late_case(clock_at)
    signed_in("resident")
    assert browser.client.get(f"/console/complaints/{complaint.id}/update-interval").status_code == 403


AGREE = """
mutation ($input: ComplaintUpdatesAgreeInput!) {
  complaintUpdatesAgree(input: $input) {
    __typename
    ... on ComplaintUpdatesAgreed { complaint { id } }
    ... on ValidationError { problems { field code } }
    ... on ConflictError { code }
  }
}
"""


def test_the_api_names_every_problem(browser, signed_in, clock_at) -> None:
    complaint = late_case(clock_at)
    signed_in("staff")
    result = browser.graphql(AGREE, {"input": {"id": str(complaint.id), "everyDays": 0, "agreedOn": "2026-03-09"}})
    problems = result.get_json()["data"]["complaintUpdatesAgree"]["problems"]
    assert problems == [
        {"field": "everyDays", "code": "out_of_range"},
        {"field": "agreedOn", "code": "in_future"},
        {"field": "method", "code": "required"},
    ]
    done = browser.graphql(
        AGREE, {"input": {"id": str(complaint.id), "everyDays": 5, "agreedOn": "2026-03-02", "method": "email"}}
    )
    assert done.get_json()["data"]["complaintUpdatesAgree"]["__typename"] == "ComplaintUpdatesAgreed"


def test_the_resident_sees_what_was_agreed_but_not_staff_notes(browser, signed_in, clock_at) -> None:
    complaint = late_case(clock_at)
    factories.make_update_interval(complaint)
    browser.sign_in(complaint.resident.email)
    query = "{ updateIntervals { nodes { everyDays method } } }"
    data = browser.graphql(query).get_json()["data"]
    assert data["updateIntervals"]["nodes"] == [{"everyDays": 5, "method": "phone"}]
    hidden = browser.graphql("{ updateIntervals { nodes { note } } }").get_json()
    assert "errors" in hidden


def test_the_resident_is_told_on_their_case_when_to_expect_the_next_update(browser, clock_at) -> None:
    complaint = late_case(clock_at)
    factories.make_update_interval(complaint, every_days=3)
    browser.sign_in(complaint.resident.email)
    page = browser.client.get(f"/cases/{complaint.contact_id}").get_data(as_text=True)
    assert "We will update you at least every 3 working days" in page
    assert "The next update is due by 5 March 2026." in page
