"""The complaints console: work queues, logging a contact for someone, the contact and case pages, and settings."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zlib
from decimal import Decimal
from typing import Any

import pytest

from backend.complaints.models import (
    Attachment,
    Clock,
    ClosureDay,
    Complaint,
    ComplaintPoint,
    ComplaintStage,
    Contact,
    ContactPerson,
    OutstandingAction,
    RegimeStage,
    Remedy,
)
from backend.timeutil import local_date
from backend.workdays import add_working_days
from tests import factories

QUEUE = "/console/complaints"


def png() -> bytes:
    """A real one-pixel PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def page_of(response: Any) -> str:
    return response.get_data(as_text=True)


def due_on(complaint: Any, day: dt.date | None) -> Any:
    Complaint.update(next_due_on=day).where(Complaint.id == complaint.id).execute()
    return complaint


def queue_refs(browser: Any, **params: str) -> list[str]:
    response = browser.client.get(QUEUE, query_string=params)
    assert response.status_code == 200
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', page_of(response))


# --- Access -------------------------------------------------------------------------------------------------

CONSOLE_PAGES = [
    "/console/complaints",
    "/console/complaints?view=new",
    "/console/contacts/new",
    "/console/contacts/{contact}",
    "/console/complaints/{complaint}",
    "/console/complaint-settings",
    "/console/complaint-settings/stages/1",
]


@pytest.mark.parametrize("path", CONSOLE_PAGES)
def test_console_case_page_refuses_a_resident(browser, signed_in, path: str) -> None:
    complaint = factories.make_complaint()
    signed_in("resident")
    url = path.format(contact=complaint.contact_id, complaint=complaint.id)
    assert browser.client.get(url).status_code == 403


@pytest.mark.parametrize("path", CONSOLE_PAGES[:-1])
@pytest.mark.parametrize("role", ["staff", "manager", "admin"])
def test_console_case_page_opens_for_staff_roles(browser, signed_in, role: str, path: str) -> None:
    complaint = factories.acknowledged_complaint()
    signed_in(role)
    url = path.format(contact=complaint.contact_id, complaint=complaint.id)
    assert browser.client.get(url).status_code == 200


def test_case_page_for_unknown_complaint_is_not_found(browser, signed_in) -> None:
    signed_in("staff")
    assert browser.client.get("/console/complaints/999999").status_code == 404
    assert browser.client.get("/console/contacts/999999").status_code == 404


def test_nav_shows_complaints_and_settings_only_to_admins(browser, signed_in) -> None:
    signed_in("staff")
    page = page_of(browser.client.get("/console/"))
    assert 'href="/console/complaints"' in page and "/console/complaint-settings" not in page
    browser.sign_out()
    signed_in("admin")
    assert 'href="/console/complaint-settings"' in page_of(browser.client.get("/console/"))


# --- Work queues --------------------------------------------------------------------------------------------


def test_queue_new_lists_unclassified_contacts_oldest_first(browser, signed_in) -> None:
    newer = factories.make_contact(received_at=dt.datetime(2026, 3, 2, 9, 0))
    older = factories.make_contact(received_at=dt.datetime(2026, 3, 1, 9, 0))
    factories.make_complaint()  # classified at once: not new
    signed_in("staff")
    assert queue_refs(browser, view="new") == [older.reference, newer.reference]


def test_queue_mine_lists_my_active_complaints_by_due_date(browser, signed_in) -> None:
    me = signed_in("staff")
    later = due_on(factories.acknowledged_complaint(me), local_date() + dt.timedelta(days=20))
    sooner = due_on(factories.acknowledged_complaint(me), local_date() + dt.timedelta(days=3))
    factories.acknowledged_complaint()  # someone else's
    closed = factories.acknowledged_complaint(me)
    Complaint.update(status="closed").where(Complaint.id == closed.id).execute()
    assert queue_refs(browser, view="mine") == [sooner.reference, later.reference]


def test_queue_at_risk_lists_complaints_due_within_two_working_days(browser, signed_in) -> None:
    today = local_date()
    edge = due_on(factories.make_complaint(), add_working_days(today, 2, "england"))
    now = due_on(factories.make_complaint(), today)
    due_on(factories.make_complaint(), add_working_days(today, 3, "england"))
    due_on(factories.make_complaint(), today - dt.timedelta(days=1))
    signed_in("staff")
    assert queue_refs(browser, view="at_risk") == [now.reference, edge.reference]


def test_queue_at_risk_counts_two_working_days_on_each_complaints_nation(
    browser, signed_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Friday 27 November 2026. Monday 30 November is St Andrew's Day, a bank holiday in Scotland only, so two
    # working days ahead is Tuesday 1 December in England and Wednesday 2 December in Scotland.
    monkeypatch.setattr("portal.console.complaints.cases.local_date", lambda: dt.date(2026, 11, 27))
    in_scotland = factories.make_user(home=factories.make_home("scotland"))
    english_edge = due_on(factories.make_complaint(), dt.date(2026, 12, 1))
    due_on(factories.make_complaint(), dt.date(2026, 12, 2))  # three working days ahead in England
    scottish_edge = due_on(factories.make_complaint(in_scotland), dt.date(2026, 12, 2))
    due_on(factories.make_complaint(in_scotland), dt.date(2026, 12, 3))
    signed_in("staff")
    assert queue_refs(browser, view="at_risk") == [english_edge.reference, scottish_edge.reference]
    assert queue_refs(browser, view="at_risk", nation="scotland") == [scottish_edge.reference]
    page = page_of(browser.client.get(QUEUE, query_string={"view": "at_risk", "nation": "scotland"}))
    assert "up to 2 December 2026 (two working days ahead on this nation" in page


def test_queue_unassigned_lists_new_complaints_from_the_moment_they_arrive(browser, signed_in) -> None:
    later = factories.make_complaint()  # just arrived: received, nobody handles it, due in five working days
    sooner = due_on(factories.make_complaint(), local_date() + dt.timedelta(days=1))
    handled = factories.acknowledged_complaint(factories.make_staff())
    closed = factories.make_complaint()
    Complaint.update(status="closed").where(Complaint.id == closed.id).execute()
    signed_in("staff")
    assert later.status == "received" and later.handler_id is None
    assert queue_refs(browser, view="unassigned") == [sooner.reference, later.reference]
    assert handled.reference not in queue_refs(browser, view="unassigned")


def test_queue_all_open_lists_every_active_complaint_by_due_date(browser, signed_in) -> None:
    new = factories.make_complaint()
    soonest = due_on(factories.acknowledged_complaint(factories.make_staff()), local_date())
    answered = due_on(factories.acknowledged_complaint(), None)  # waiting on the resident: nothing due from us
    Complaint.update(status="responded").where(Complaint.id == answered.id).execute()
    withdrawn = factories.make_complaint()
    Complaint.update(status="withdrawn").where(Complaint.id == withdrawn.id).execute()
    signed_in("staff")
    assert queue_refs(browser, view="open") == [soonest.reference, new.reference, answered.reference]


@pytest.mark.parametrize(("role", "view"), [("manager", "unassigned"), ("staff", "mine"), ("admin", "mine")])
def test_queue_opens_on_unassigned_for_managers_and_on_their_own_for_others(
    browser, signed_in, role: str, view: str
) -> None:
    new = factories.make_complaint()
    signed_in(role)
    page = page_of(browser.client.get(QUEUE))
    assert re.search(rf'view={view}"[^>]*aria-current="page"', page)
    assert (new.reference in page) is (view == "unassigned")


def test_queue_breached_lists_overdue_and_missed_deadlines(browser, signed_in) -> None:
    today = local_date()
    overdue = due_on(factories.make_complaint(), today - dt.timedelta(days=1))
    missed = due_on(factories.make_complaint(), today + dt.timedelta(days=5))
    Clock.update(breached=True).where(Clock.complaint == missed.id).execute()
    due_on(factories.make_complaint(), today + dt.timedelta(days=5))
    signed_in("staff")
    page = page_of(browser.client.get(QUEUE, query_string={"view": "breached"}))
    assert queue_refs(browser, view="breached") == [overdue.reference, missed.reference]
    assert "or that have already missed a deadline" in page
    assert "overdue</strong>" in page


def test_queue_awaiting_lists_acknowledged_complaints_only(browser, signed_in) -> None:
    acknowledged = factories.acknowledged_complaint()
    factories.make_complaint()
    signed_in("staff")
    assert queue_refs(browser, view="awaiting") == [acknowledged.reference]


def test_queue_stage2_lists_active_complaints_at_stage_two(browser, signed_in) -> None:
    second = factories.make_complaint()
    Complaint.update(stage=2).where(Complaint.id == second.id).execute()
    factories.make_complaint()
    signed_in("staff")
    assert queue_refs(browser, view="stage2") == [second.reference]


def test_queue_tabs_mark_the_current_view(browser, signed_in) -> None:
    signed_in("staff")
    page = page_of(browser.client.get(QUEUE, query_string={"view": "at_risk"}))
    assert re.search(r'view=at_risk"[^>]*aria-current="page">At risk<', page)


def test_queue_filters_by_service_area_category_handler_and_nation(browser, signed_in) -> None:
    area, category = factories.make_service_area("Repairs"), factories.make_category("Damp")
    handler = factories.make_staff()
    wanted = factories.acknowledged_complaint(handler)
    Complaint.update(service_area=area.id, category=category.id).where(Complaint.id == wanted.id).execute()
    factories.acknowledged_complaint()
    welsh = factories.make_complaint(factories.make_user(home=factories.make_home("wales")))
    signed_in("staff")
    assert queue_refs(browser, view="awaiting", area=str(area.id)) == [wanted.reference]
    assert queue_refs(browser, view="awaiting", category=str(category.id)) == [wanted.reference]
    assert queue_refs(browser, view="awaiting", handler=str(handler.id)) == [wanted.reference]
    assert queue_refs(browser, view="breached", nation="wales") == []
    due_on(welsh, local_date() - dt.timedelta(days=1))
    assert queue_refs(browser, view="breached", nation="wales") == [welsh.reference]


def test_queue_ignores_a_filter_value_that_is_not_an_option(browser, signed_in) -> None:
    complaint = factories.acknowledged_complaint()
    signed_in("staff")
    assert queue_refs(browser, view="awaiting", area="999999", nation="atlantis") == [complaint.reference]


def test_queue_pages_with_a_cursor(browser, signed_in) -> None:
    made = [factories.make_contact(received_at=dt.datetime(2026, 1, 1) + dt.timedelta(hours=n)) for n in range(27)]
    signed_in("staff")
    first = browser.client.get(QUEUE, query_string={"view": "new"})
    assert len(queue_refs(browser, view="new")) == 25
    after = re.search(r'href="([^"]*after=[^"]+)">Next 25<', page_of(first)).group(1).replace("&amp;", "&")
    second = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', page_of(browser.client.get(after)))
    assert second == [contact.reference for contact in made[25:]]


# --- Logging a contact --------------------------------------------------------------------------------------


def contact_form(**values: Any) -> dict[str, Any]:
    data = {
        "who": "account",
        "channel": "phone",
        "received_date": (local_date() - dt.timedelta(days=1)).isoformat(),
        "received_time": "12:00",
        "locale": "en",
        "description": "Mould in the bathroom again.\nThe fan does not work.",
        "representative_kind": "",
        "service_area": "",
        "category": "",
        "idempotency_key": "0123456789abcdef",
    }
    data.update(values)
    return data


def test_log_contact_with_an_interpreter_and_a_photo(browser, signed_in) -> None:
    resident = factories.make_user(home=factories.make_home())
    signed_in("staff")
    data = contact_form(
        resident_email=resident.email.upper(),
        channel="interpreter",
        locale="so",
        interpreter_used="y",
        interpreter_service="Language Line",
        wants_to_complain="y",
        vulnerabilities=["young_children", "language_or_literacy"],
        attachments=(io.BytesIO(png()), "mould.png"),
    )
    response = browser.submit("/console/contacts/new", data, content_type="multipart/form-data")
    contact = Contact.get()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/console/contacts/{contact.id}")
    assert (contact.resident_id, contact.locale, contact.logged_via) == (resident.id, "so", "console")
    assert (contact.interpreter_used, contact.interpreter_service) == (True, "Language Line")
    assert contact.vulnerabilities == ["language_or_literacy", "young_children"]
    assert Complaint.get(Complaint.contact == contact.id).status == "received"
    stored = Attachment.get()
    assert (stored.file_name, stored.media_type, stored.contact_id) == ("mould.png", "image/png", contact.id)
    page = page_of(browser.client.get(response.headers["Location"]))
    assert contact.reference in page and "mould.png" in page


def test_log_contact_converts_uk_time_to_utc(browser, signed_in) -> None:
    signed_in("staff")
    data = contact_form(who="anonymous", nation="england", received_date="2025-07-01", received_time="09:30")
    assert browser.submit("/console/contacts/new", data).status_code == 302
    contact = Contact.get()
    assert contact.received_at == dt.datetime(2025, 7, 1, 8, 30)
    assert contact.anonymous and contact.resident_id is None


@pytest.mark.parametrize(
    ("day", "time", "stored", "started_on"),
    [
        # 00:30 BST on Wednesday 8 July is 23:30 UTC on the 7th; the complaint arrived on the 8th in the UK.
        ("2026-07-08", "00:30", dt.datetime(2026, 7, 7, 23, 30), dt.date(2026, 7, 8)),
        # In winter UK time is UTC.
        ("2026-01-14", "00:30", dt.datetime(2026, 1, 14, 0, 30), dt.date(2026, 1, 14)),
        # 01:30 on 25 October 2026 happens twice as the clocks go back; the first (BST) is taken.
        ("2026-10-25", "01:30", dt.datetime(2026, 10, 25, 0, 30), dt.date(2026, 10, 25)),
    ],
)
def test_log_contact_reads_the_time_as_uk_time_and_counts_from_the_uk_day(
    browser, signed_in, day: str, time: str, stored: dt.datetime, started_on: dt.date
) -> None:
    resident = factories.make_user(home=factories.make_home())
    signed_in("staff")
    data = contact_form(resident_email=resident.email, received_date=day, received_time=time, wants_to_complain="y")
    assert browser.submit("/console/contacts/new", data).status_code == 302
    contact = Contact.get()
    assert contact.received_at == stored
    complaint = Complaint.get(Complaint.contact == contact.id)
    assert Clock.get(Clock.complaint == complaint.id, Clock.kind == "acknowledge").started_on == started_on


def test_log_contact_for_someone_without_an_account_keeps_their_details_apart(browser, signed_in) -> None:
    signed_in("staff")
    data = contact_form(
        who="person", person_name="Alex Doe", person_phone="0113 496 0000", channel="letter", nation="england"
    )
    assert browser.submit("/console/contacts/new", data).status_code == 302
    person = ContactPerson.get()
    assert (person.name, person.phone, person.contact.resident_id) == ("Alex Doe", "0113 496 0000", None)


def test_log_contact_twice_with_the_same_key_creates_one_contact(browser, signed_in) -> None:
    signed_in("staff")
    data = contact_form(who="anonymous", nation="england")
    first = browser.submit("/console/contacts/new", data)
    second = browser.submit("/console/contacts/new", data)
    assert first.headers["Location"] == second.headers["Location"]
    assert Contact.select().count() == 1


def test_log_contact_form_offers_a_fresh_key_and_every_channel(browser, signed_in) -> None:
    signed_in("staff")
    page = page_of(browser.client.get("/console/contacts/new"))
    key = re.search(r'name="idempotency_key" type="hidden" value="([0-9a-f]{32})"', page)
    assert key and key.group(1) not in page_of(browser.client.get("/console/contacts/new"))
    assert len(re.findall(r'name="channel" required type="radio"', page)) == 9
    assert 'accept=".3gp' in page and "multiple" in page


BAD_CONTACTS = [
    ({"channel": ""}, "Choose how this came in."),
    ({"received_date": "2999-01-01"}, "The date cannot be in the future."),
    ({"received_date": "31/02/2026"}, "Enter a real date"),
    ({"received_time": "25:00"}, "Enter a time on the 24-hour clock"),
    ({"resident_email": "nobody@example.org"}, "There is no account with this email address."),
    ({"who": "person"}, "Give the person&#39;s name."),
    ({"representative_kind": "family_member"}, "Record that the resident consents"),
]


@pytest.mark.parametrize(("values", "message"), BAD_CONTACTS, ids=[m for _, m in BAD_CONTACTS])
def test_log_contact_with_bad_input_keeps_what_was_typed(browser, signed_in, values, message) -> None:
    resident = factories.make_user()
    signed_in("staff")
    data = contact_form(**{"resident_email": resident.email, "adjustments": "Large print, please.", **values})
    response = browser.submit("/console/contacts/new", data)
    page = page_of(response)
    assert response.status_code == 400
    assert message in page and "There is a problem" in page
    assert "Mould in the bathroom again.\nThe fan does not work.</textarea>" in page
    assert "Large print, please." in page and 'value="0123456789abcdef"' in page
    assert Contact.select().count() == 0


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"person_phone": "12"}, "person_phone", "Enter a phone number using digits, spaces and + only."),
        ({"person_phone": "abc"}, "person_phone", "Enter a phone number using digits, spaces and + only."),
        ({"person_email": "bad"}, "person_email", "Enter an email address in the right format"),
        ({"person_email": "x@"}, "person_email", "Enter an email address in the right format"),
    ],
)
def test_log_contact_shows_bad_details_of_someone_without_an_account_with_the_other_mistakes(
    browser, signed_in, values, field, message
) -> None:
    signed_in("staff")
    data = contact_form(who="person", person_name="Alex Doe", nation="england", channel="", **values)
    page = page_of(browser.submit("/console/contacts/new", data))
    assert '<a href="#channel-0">Choose how this came in.</a>' in page
    assert f'<a href="#{field}">{message}' in page
    assert Contact.select().count() == 0


def test_log_contact_shows_an_unknown_account_with_the_other_mistakes(browser, signed_in) -> None:
    signed_in("staff")
    data = contact_form(resident_email="nobody@example.org", channel="")
    page = page_of(browser.submit("/console/contacts/new", data))
    assert '<a href="#channel-0">Choose how this came in.</a>' in page
    assert '<a href="#resident_email">There is no account with this email address.' in page


def test_log_contact_with_an_empty_description_links_the_error_to_the_field(browser, signed_in) -> None:
    signed_in("staff")
    response = browser.submit("/console/contacts/new", contact_form(who="anonymous", description=" "))
    page = page_of(response)
    assert response.status_code == 400
    assert '<a href="#description">Write down what they told us.</a>' in page
    assert page_of(response).startswith("<!doctype html>") and "<title>Error:" in page


def test_log_contact_with_a_forbidden_file_keeps_the_words_and_asks_for_the_files_again(browser, signed_in) -> None:
    signed_in("staff")
    data = contact_form(
        who="anonymous", nation="england", attachments=(io.BytesIO(b"MZ\x90\x00" + b"\x00" * 100), "photo.jpg")
    )
    response = browser.submit("/console/contacts/new", data, content_type="multipart/form-data")
    page = page_of(response)
    assert response.status_code == 400
    assert "is not a file type we accept" in page and "Choose the files again" in page
    assert "Mould in the bathroom again." in page
    assert Contact.select().count() == 0


# --- The contact page ---------------------------------------------------------------------------------------


def test_contact_page_shows_the_words_as_written_escaped(browser, signed_in) -> None:
    contact = factories.make_contact(description="First line\n<b>not bold</b>\nThird line")
    factories.make_attachment(contact)
    signed_in("staff")
    page = page_of(browser.client.get(f"/console/contacts/{contact.id}"))
    assert (
        '<blockquote class="own-words" lang="en" dir="ltr">First line\n&lt;b&gt;not bold&lt;/b&gt;\nThird line<' in page
    )
    assert re.search(r'<a href="/attachments/\d+">photo.png</a>', page)


def test_classify_contact_as_complaint_opens_it_and_goes_to_the_case(browser, signed_in) -> None:
    contact = factories.make_contact()
    area = factories.make_service_area()
    signed_in("staff")
    data = {
        "classify-kind": "complaint",
        "classify-reason": "Unhappy with the repair.",
        "classify-service_area": str(area.id),
    }
    response = browser.submit(f"/console/contacts/{contact.id}/classify", data, page=f"/console/contacts/{contact.id}")
    complaint = Complaint.get(Complaint.contact == contact.id)
    assert response.headers["Location"].endswith(f"/console/complaints/{complaint.id}")
    assert Contact.get_by_id(contact.id).service_area_id == area.id
    assert "This is now complaint" in page_of(browser.client.get(response.headers["Location"]))


def test_classify_contact_without_a_reason_shows_the_error(browser, signed_in) -> None:
    contact = factories.make_contact()
    signed_in("staff")
    data = {"classify-kind": "compliment", "classify-reason": ""}
    response = browser.submit(f"/console/contacts/{contact.id}/classify", data, page=f"/console/contacts/{contact.id}")
    assert response.status_code == 400
    assert '<a href="#classify-reason">Give the reason.</a>' in page_of(response)
    assert Contact.get_by_id(contact.id).kind is None


def test_offer_then_classify_then_close_a_service_request(browser, signed_in) -> None:
    contact = factories.make_contact()
    url = f"/console/contacts/{contact.id}"
    signed_in("staff")
    browser.submit(f"{url}/offer", {}, page=url)
    assert Contact.get_by_id(contact.id).complaint_offered_at is not None
    assert "We have recorded that they were offered the choice" in page_of(browser.client.get(url))
    browser.submit(f"{url}/classify", {"classify-kind": "service_request", "classify-reason": "A repair."}, page=url)
    assert "Close the contact" in page_of(browser.client.get(url))
    asked = browser.submit(f"{url}/close", {}, page=url)
    assert asked.status_code == 200 and 'name="confirmed"' in page_of(asked)
    assert Contact.get_by_id(contact.id).status != "closed"  # asked again first: nothing changed
    response = browser.submit(f"{url}/close", {"confirmed": "1"}, page=url)
    assert response.status_code == 302
    assert Contact.get_by_id(contact.id).status == "closed"


def test_close_an_unclassified_contact_shows_the_conflict(browser, signed_in) -> None:
    contact = factories.make_contact()
    url = f"/console/contacts/{contact.id}"
    signed_in("staff")
    response = browser.client.get(browser.submit(f"{url}/close", {"confirmed": "1"}, page=url).headers["Location"])
    assert "Classify this contact first." in page_of(response)
    assert Contact.get_by_id(contact.id).status == "new"


def test_merge_contact_into_a_complaint_by_reference(browser, signed_in) -> None:
    complaint = factories.make_complaint()
    contact = factories.make_contact(complaint.resident, description="Still leaking, called again.")
    url = f"/console/contacts/{contact.id}"
    signed_in("staff")
    data = {"merge-complaint": complaint.reference.lower(), "merge-reason": "Same leak."}
    asked = browser.submit(f"{url}/merge", data, page=url)
    assert asked.status_code == 200 and "Same leak." in page_of(asked)
    assert 'name="merge-reason" value="Same leak."' in page_of(asked)
    assert Contact.get_by_id(contact.id).status == "new"  # asked again first: nothing changed
    response = browser.submit(f"{url}/merge", {**data, "confirmed": "1"}, page=url)
    assert response.headers["Location"].endswith(f"/console/complaints/{complaint.id}")
    assert Contact.get_by_id(contact.id).status == "merged"
    assert "Still leaking, called again." in page_of(browser.client.get(response.headers["Location"]))


def test_merge_contact_into_an_unknown_complaint_shows_the_error(browser, signed_in) -> None:
    contact = factories.make_contact()
    url = f"/console/contacts/{contact.id}"
    signed_in("staff")
    response = browser.submit(f"{url}/merge", {"merge-complaint": "LL-1999-000001", "merge-reason": "x"}, page=url)
    assert response.status_code == 400
    assert "There is no complaint with this reference." in page_of(response)
    assert 'value="LL-1999-000001"' in page_of(response)


def test_merge_with_an_unknown_complaint_and_no_reason_shows_both(browser, signed_in) -> None:
    contact = factories.make_contact()
    url = f"/console/contacts/{contact.id}"
    signed_in("staff")
    response = browser.submit(f"{url}/merge", {"merge-complaint": "LL-9999-99", "merge-reason": ""}, page=url)
    page = page_of(response)
    assert response.status_code == 400
    assert '<a href="#merge-complaint">There is no complaint with this reference.</a>' in page
    assert '<a href="#merge-reason">Give the reason.</a>' in page
    assert Contact.get_by_id(contact.id).status == "new"


def test_merge_contact_of_another_resident_shows_the_conflict(browser, signed_in) -> None:
    complaint = factories.make_complaint()
    contact = factories.make_contact()
    url = f"/console/contacts/{contact.id}"
    signed_in("staff")
    data = {"merge-complaint": str(complaint.id), "merge-reason": "x", "confirmed": "1"}
    response = browser.submit(f"{url}/merge", data, page=url)
    assert response.status_code == 409
    assert "That complaint belongs to another resident." in page_of(response)
    assert Contact.get_by_id(contact.id).status == "new"


def test_contact_that_is_a_complaint_links_to_it(browser, signed_in) -> None:
    complaint = factories.make_complaint()
    signed_in("staff")
    page = page_of(browser.client.get(f"/console/contacts/{complaint.contact_id}"))
    assert f'href="/console/complaints/{complaint.id}"' in page
    assert "Classify this contact" not in page


# --- The case page ------------------------------------------------------------------------------------------


def step(browser: Any, complaint: Any, name: str, data: dict[str, Any]) -> Any:
    """Send a step's form from its own page, confirming it where the page asks again."""
    url = f"/console/complaints/{complaint.id}/{name}"
    sent = {f"{name}-{key}": value for key, value in data.items()}
    return browser.submit(url, {**sent, "confirmed": "1"}, page=url)


def test_acknowledge_extend_and_respond_through_the_pages(browser, signed_in) -> None:
    complaint = factories.make_complaint()
    me = signed_in("staff")
    url = f"/console/complaints/{complaint.id}"
    acknowledged = step(
        browser,
        complaint,
        "acknowledge",
        {
            "point_1": "The repair was late",
            "outcome_1": "An apology",
            "point_3": "Nobody called back",
            "outcomes_sought": "The tap fixed",
            "summary": "Late repair and no call back.",
        },
    )
    assert acknowledged.status_code == 302 and acknowledged.headers["Location"].endswith(url)
    assert "The complaint is acknowledged." in page_of(browser.client.get(url))
    found = Complaint.get_by_id(complaint.id)
    assert (found.status, found.handler_id) == ("open", me.id)
    points = list(
        ComplaintPoint.select().where(ComplaintPoint.complaint == complaint.id).order_by(ComplaintPoint.position)
    )
    assert [(p.text, p.outcome_sought) for p in points] == [
        ("The repair was late", "An apology"),
        ("Nobody called back", ""),
    ]
    before = Clock.get(Clock.complaint == complaint.id, Clock.kind == "respond").due_on
    extended = step(
        browser,
        complaint,
        "extend",
        {
            "days": "5",
            "reason": "Waiting for a contractor.",
            "told_on": local_date().isoformat(),
            "ombudsman_details_given": "y",
        },
    )
    assert extended.status_code == 302
    clock = Clock.get(Clock.complaint == complaint.id, Clock.kind == "respond")
    assert clock.due_on > before and clock.original_due_on == before
    assert ComplaintStage.get(ComplaintStage.complaint == complaint.id).extended_days == 5
    first, second = points
    responded = step(
        browser,
        complaint,
        "respond",
        {
            f"decision_{first.id}": "upheld",
            f"decision_reasons_{first.id}": "Two missed appointments.",
            f"decision_{second.id}": "not_upheld",
            f"decision_reasons_{second.id}": "The tap was fitted to the standard.",
            "reasons": "We were late and we are sorry.",
            "next_steps": "Ask for stage 2 if you are not happy.",
            "remedy_kind_1": "financial_redress",
            "remedy_description_1": "For the time off work.",
            "remedy_amount_1": "50.00",
            "remedy_due_1": "2030-01-31",
            "remedy_owner_1": str(me.id),
            "action_description_1": "Replace the tap",
            "action_due_1": "2030-02-01",
            "action_owner_1": str(me.id),
            "underlying_cause": "Appointments were not confirmed.",
            "remedial_action": "Appointments are confirmed the day before.",
        },
    )
    assert responded.status_code == 302, page_of(responded)
    assert Complaint.get_by_id(complaint.id).status == "responded"
    remedy, action = Remedy.get(Remedy.complaint == complaint.id), OutstandingAction.get()
    assert (remedy.kind, remedy.amount, remedy.owner_id, action.owner_id) == (
        "financial_redress",
        Decimal("50"),
        me.id,
        me.id,
    )
    page = page_of(browser.client.get(url))
    assert "The response has been issued." in page and "Two missed appointments." in page
    assert "Close the complaint" in page and "Respond to the complaint" not in page


def test_respond_form_prefills_how_to_escalate_at_stage_one(browser, signed_in) -> None:
    complaint = factories.acknowledged_complaint()
    signed_in("staff")
    page = page_of(browser.client.get(f"/console/complaints/{complaint.id}/respond"))
    assert "you can ask us to look at your complaint again at stage 2" in page


def test_respond_form_at_the_final_stage_names_the_ombudsman_and_requires_the_record(browser, signed_in) -> None:
    complaint = factories.acknowledged_complaint()
    Complaint.update(stage=2).where(Complaint.id == complaint.id).execute()
    ComplaintPoint.update(stage=2).where(ComplaintPoint.complaint == complaint.id).execute()
    ComplaintStage.create(complaint=complaint.id, number=2, opened_at=dt.datetime(2026, 1, 5))
    signed_in("staff")
    page = page_of(browser.client.get(f"/console/complaints/{complaint.id}/respond"))
    assert "you can ask the Housing Ombudsman to look at your complaint" in page
    assert "the underlying cause and the remedial action are required" in page
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    data = {
        f"decision_{point.id}": "not_upheld",
        f"decision_reasons_{point.id}": "The visit was on the day we agreed.",
        "reasons": "We did what we said.",
        "next_steps": "Go to the Ombudsman.",
    }
    response = step(browser, complaint, "respond", data)
    assert response.status_code == 400
    assert '<a href="#respond-underlying_cause">Give the underlying cause.</a>' in page_of(response)
    assert '<a href="#respond-remedial_action">Give the remedial action.</a>' in page_of(response)
    assert Complaint.get_by_id(complaint.id).status == "open"


def test_respond_with_a_half_filled_remedy_row_points_at_the_missing_parts(browser, signed_in) -> None:
    complaint = factories.acknowledged_complaint()
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    signed_in("staff")
    data = {
        f"decision_{point.id}": "upheld",
        "reasons": "Sorry.",
        "next_steps": "Stage 2.",
        "remedy_description_1": "An apology letter",
    }
    response = step(browser, complaint, "respond", data)
    page = page_of(response)
    assert response.status_code == 400
    assert '<a href="#respond-remedy_kind_1">Choose the kind of remedy.</a>' in page
    assert '<a href="#respond-remedy_due_1">Give the date it will be done by.</a>' in page
    assert '<a href="#respond-remedy_owner_1">Choose who will do it.</a>' in page
    # A point is upheld, so the cause and the remedial action are asked for too, in the same list.
    assert '<a href="#respond-underlying_cause">Give the underlying cause.</a>' in page
    assert '<a href="#respond-remedial_action">Give the remedial action.</a>' in page
    assert "An apology letter</textarea>" in page
    assert Complaint.get_by_id(complaint.id).status == "open"


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("abc", "Give the amount in pounds and pence, more than 0, like 150.00."),
        ("-5", "Give the amount in pounds and pence, more than 0, like 150.00."),
        ("", "Give the amount of financial redress."),
    ],
)
def test_respond_with_a_bad_amount_lists_it_with_the_other_mistakes(browser, signed_in, amount, message) -> None:
    complaint = factories.acknowledged_complaint()
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    signed_in("staff")
    data = {
        f"decision_{point.id}": "upheld",
        "next_steps": "Stage 2.",
        "remedy_kind_1": "financial_redress",
        "remedy_description_1": "For the time off work.",
        "remedy_amount_1": amount,
        "remedy_due_1": "2030-01-31",
        "action_description_1": "Replace the tap",
        "action_due_1": "2000-01-03",
    }
    page = page_of(step(browser, complaint, "respond", data))
    assert '<a href="#respond-reasons">Give the reasons.</a>' in page
    assert '<a href="#respond-action_due_1">An action can' in page
    assert f'<a href="#respond-remedy_amount_1">{message}</a>' in page
    assert Complaint.get_by_id(complaint.id).status == "open"


def test_acknowledge_out_of_sequence_shows_the_conflict_and_changes_nothing(browser, signed_in) -> None:
    complaint = factories.acknowledged_complaint()
    signed_in("staff")
    response = step(browser, complaint, "acknowledge", {"point_1": "Something else", "outcomes_sought": "Other"})
    page = page_of(response)
    assert response.status_code == 409
    assert "This stage has already been acknowledged." in page and "<title>Error:" in page
    assert [p.text for p in ComplaintPoint.select().where(ComplaintPoint.complaint == complaint.id)] == [
        "The tap leaks"
    ]
    assert Complaint.get_by_id(complaint.id).outcomes_sought == "A repair and an apology"


def test_acknowledge_with_no_points_asks_for_one(browser, signed_in) -> None:
    complaint = factories.make_complaint()
    signed_in("staff")
    response = step(browser, complaint, "acknowledge", {"outcome_2": "Money back", "outcomes_sought": "Money"})
    assert response.status_code == 400
    assert '<a href="#acknowledge-point_2">Write down the point this outcome is for.</a>' in page_of(response)
    assert Complaint.get_by_id(complaint.id).status == "received"


def test_extend_without_the_ombudsman_details_is_refused(browser, signed_in) -> None:
    complaint = factories.acknowledged_complaint()
    signed_in("staff")
    data = {"days": "5", "reason": "Waiting.", "told_on": local_date().isoformat()}
    response = step(browser, complaint, "extend", data)
    assert response.status_code == 400
    assert '<a href="#extend-ombudsman_details_given">The resident must be given the Ombudsman' in page_of(response)
    assert ComplaintStage.get(ComplaintStage.complaint == complaint.id).extended_days == 0


@pytest.mark.parametrize(
    ("name", "data", "other"),
    [
        ("extend", {"days": "5", "told_on": local_date().isoformat()}, '<a href="#extend-reason">Give the reason.</a>'),
        ("refuse", {"ground": "legal_proceedings"}, '<a href="#refuse-reasons">Give the reasons.</a>'),
    ],
)
def test_unticked_ombudsman_details_show_with_the_other_mistakes(browser, signed_in, name, data, other) -> None:
    complaint = factories.acknowledged_complaint()
    signed_in("manager")
    page = page_of(step(browser, complaint, name, data))
    assert other in page
    assert f'<a href="#{name}-ombudsman_details_given">The resident must be given the Ombudsman' in page


def test_assign_offer_mediation_and_send_an_update(browser, signed_in) -> None:
    complaint = factories.acknowledged_complaint()
    other = factories.make_staff(team="Lettings")
    signed_in("manager")
    assert step(browser, complaint, "assign", {"handler": str(other.id)}).status_code == 302
    assert (Complaint.get_by_id(complaint.id).handler_id, Complaint.get_by_id(complaint.id).team) == (
        other.id,
        "Lettings",
    )
    assert step(browser, complaint, "mediation", {"note": "Offered by phone."}).status_code == 302
    assert step(browser, complaint, "update", {"body": "The contractor comes on Monday."}).status_code == 302
    page = page_of(browser.client.get(f"/console/complaints/{complaint.id}"))
    assert "The contractor comes on Monday." in page and "Offered by phone." in page


def test_close_refer_and_record_the_determination(browser, signed_in) -> None:
    complaint = factories.responded_complaint()
    signed_in("staff")
    assert (
        step(
            browser, complaint, "close", {"underlying_cause": "No stock.", "remedial_action": "Keep taps."}
        ).status_code
        == 302
    )
    assert Complaint.get_by_id(complaint.id).status == "closed"
    assert step(browser, complaint, "refer", {"reference": "HOS-123"}).status_code == 302
    data = {"determination": "service_failure", "orders": "Pay £100."}
    refused = step(browser, complaint, "determination", data)
    assert refused.status_code == 400
    assert '<a href="#determination-orders_due_on">Give the date the Ombudsman set for the orders.</a>' in page_of(
        refused
    )
    data["orders_due_on"] = "2030-01-01"
    assert step(browser, complaint, "determination", data).status_code == 302
    found = Complaint.get_by_id(complaint.id)
    assert (found.ombudsman_reference, found.ombudsman_determination) == ("HOS-123", "service_failure")


def test_refuse_and_withdraw_end_an_active_complaint(browser, signed_in) -> None:
    refused, withdrawn = factories.make_complaint(), factories.make_complaint()
    signed_in("staff")
    data = {"ground": "legal_proceedings", "reasons": "In court.", "ombudsman_details_given": "y"}
    assert step(browser, refused, "refuse", data).status_code == 302
    assert step(browser, withdrawn, "withdraw", {"reason": "Sorted out."}).status_code == 302
    assert (Complaint.get_by_id(refused.id).status, Complaint.get_by_id(withdrawn.id).status) == (
        "refused",
        "withdrawn",
    )
    page = page_of(browser.client.get(f"/console/complaints/{refused.id}"))
    assert "Withdraw the complaint" not in page and "Legal proceedings have started" in page


def test_escalate_for_the_resident_moves_to_stage_two(browser, signed_in) -> None:
    complaint = factories.responded_complaint()
    signed_in("staff")
    assert step(browser, complaint, "escalate", {"reason": "Told us by phone."}).status_code == 302
    assert (Complaint.get_by_id(complaint.id).stage, Complaint.get_by_id(complaint.id).status) == (2, "received")


def test_complete_a_remedy_and_an_action(browser, signed_in) -> None:
    complaint = factories.responded_complaint()
    remedy, action = Remedy.get(Remedy.complaint == complaint.id), OutstandingAction.get()
    url = f"/console/complaints/{complaint.id}"
    signed_in("staff")
    assert browser.submit(f"{url}/remedies/{remedy.id}/complete", {}, page=url).status_code == 302
    response = browser.submit(
        f"{url}/actions/{action.id}/complete", {f"action-{action.id}-note": "New tap fitted."}, page=url
    )
    assert response.status_code == 302
    assert Remedy.get_by_id(remedy.id).completed_at and OutstandingAction.get_by_id(action.id).completed_at
    page = page_of(browser.client.get(url))
    assert "New tap fitted." in page and "The action is marked as done." in page


def test_unknown_step_is_not_found(browser, signed_in) -> None:
    complaint = factories.make_complaint()
    signed_in("staff")
    assert step(browser, complaint, "explode", {}).status_code == 404


def test_resident_cannot_post_a_step(browser, signed_in) -> None:
    complaint = factories.make_complaint()
    signed_in("resident")
    response = browser.submit(
        f"/console/complaints/{complaint.id}/acknowledge",
        {"acknowledge-point_1": "x", "acknowledge-outcomes_sought": "y"},
        page="/account",
    )
    assert response.status_code == 403
    assert Complaint.get_by_id(complaint.id).status == "received"


# --- Settings -----------------------------------------------------------------------------------------------

SETTINGS = "/console/complaint-settings"


def test_admin_adds_and_removes_a_closure_day(browser, signed_in) -> None:
    signed_in("admin")
    response = browser.submit(
        f"{SETTINGS}/closure-days", {"closure-day": "2030-12-27", "closure-name": "Office closed"}, page=SETTINGS
    )
    assert response.status_code == 302
    day = ClosureDay.get()
    assert (day.day, day.name) == (dt.date(2030, 12, 27), "Office closed")
    assert "27 December 2030" in page_of(browser.client.get(SETTINGS))
    assert browser.submit(f"{SETTINGS}/closure-days/{day.id}/archive", {}, page=SETTINGS).status_code == 302
    assert ClosureDay.get_by_id(day.id).archived_at is not None
    assert "27 December 2030" not in page_of(browser.client.get(SETTINGS))


def test_closure_day_already_there_is_shown_on_its_date(browser, signed_in) -> None:
    signed_in("admin")
    data = {"closure-day": "2030-12-27", "closure-name": "Office closed"}
    assert browser.submit(f"{SETTINGS}/closure-days", data, page=SETTINGS).status_code == 302
    response = browser.submit(f"{SETTINGS}/closure-days", data, page=SETTINGS)
    assert response.status_code == 400
    assert '<a href="#closure-day">There is already one like this.' in page_of(response)


def test_closure_day_with_a_bad_date_shows_the_error(browser, signed_in) -> None:
    signed_in("admin")
    response = browser.submit(
        f"{SETTINGS}/closure-days", {"closure-day": "someday", "closure-name": "Party"}, page=SETTINGS
    )
    assert response.status_code == 400
    assert '<a href="#closure-day">Enter a real date' in page_of(response)
    assert ClosureDay.select().count() == 0


def test_staff_see_settings_but_cannot_change_closure_days(browser, signed_in) -> None:
    signed_in("staff")
    page = page_of(browser.client.get(SETTINGS))
    assert "Housing Ombudsman Complaint Handling Code" in page and "Add a closure day" not in page
    data = {"closure-day": "2030-12-27", "closure-name": "Office closed"}
    assert browser.submit(f"{SETTINGS}/closure-days", data, page=SETTINGS).status_code == 403
    assert ClosureDay.select().count() == 0


def test_admin_shortens_a_stage_days(browser, signed_in) -> None:
    stage = RegimeStage.select().order_by(RegimeStage.id).first()
    signed_in("admin")
    url = f"{SETTINGS}/stages/{stage.id}"
    response = browser.submit(url, {"acknowledge_days": "3", "respond_days": "8", "max_extension_days": "6"})
    assert response.status_code == 302
    found = RegimeStage.get_by_id(stage.id)
    assert (found.acknowledge_days, found.respond_days, found.max_extension_days) == (3, 8, 6)


def test_stage_days_out_of_range_are_refused(browser, signed_in) -> None:
    stage = RegimeStage.select().order_by(RegimeStage.id).first()
    signed_in("admin")
    response = browser.submit(
        f"{SETTINGS}/stages/{stage.id}", {"acknowledge_days": "5", "respond_days": "-1", "max_extension_days": "8"}
    )
    assert response.status_code == 400
    assert "Enter a whole number from 1 to 60." in page_of(response)
    assert RegimeStage.get_by_id(stage.id).respond_days == stage.respond_days


@pytest.mark.parametrize(("kind", "prefix"), [("service-areas", "area"), ("categories", "category")])
def test_manager_adds_and_archives_a_taxonomy_entry(browser, signed_in, kind: str, prefix: str) -> None:
    signed_in("manager")
    assert (
        browser.submit(f"{SETTINGS}/{kind}", {f"{prefix}-name": "Anti-social behaviour"}, page=SETTINGS).status_code
        == 302
    )
    assert "Anti-social behaviour" in page_of(browser.client.get(SETTINGS))
    duplicate = browser.submit(f"{SETTINGS}/{kind}", {f"{prefix}-name": "Anti-social behaviour"}, page=SETTINGS)
    page = page_of(duplicate)
    assert duplicate.status_code == 400 and f'<a href="#{prefix}-name">There is already one like this.' in page
    assert f'id="{prefix}-name-error"><span class="visually-hidden">Error:</span> There is already' in page
    model = factories.make_service_area if kind == "service-areas" else factories.make_category
    item = model("Noise")
    assert browser.submit(f"{SETTINGS}/{kind}/{item.id}/archive", {}, page=SETTINGS).status_code == 302
    assert type(item).get_by_id(item.id).archived_at is not None


def test_respond_upholding_a_point_without_a_remedy_shows_what_is_missing(browser, signed_in) -> None:
    complaint = factories.acknowledged_complaint()
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    signed_in("staff")
    data = {
        f"decision_{point.id}": "upheld",
        f"decision_reasons_{point.id}": "Two missed visits.",
        "reasons": "We were late.",
        "next_steps": "Stage 2.",
        "underlying_cause": "Visits were not confirmed.",
        "remedial_action": "Visits are confirmed the day before.",
    }
    response = step(browser, complaint, "respond", data)
    assert response.status_code == 400
    assert "Still missing: a remedy, because a point is upheld." in page_of(response)
    assert "We were late.</textarea>" in page_of(response)


# --- Who a case is from ------------------------------------------------------------------------------------


def row_of(page: str, reference: str) -> str:
    """The text of the table row whose reference is ``reference``, tags removed."""
    found = re.search(rf"<tr>\s*<th scope=\"row\"><a [^>]+>{re.escape(reference)}</a></th>(.*?)</tr>", page, re.S)
    assert found, f"no row for {reference}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1)))


def test_complaint_queue_names_someone_without_an_account_by_the_name_they_gave(browser, signed_in) -> None:
    contact = factories.make_contact_from_person("Gwen Unsworth")
    signed_in("staff")
    row = row_of(page_of(browser.client.get(QUEUE, query_string={"view": "unassigned"})), contact.reference)
    assert "Gwen Unsworth" in row and "No account" not in row


def test_new_contacts_queue_names_someone_without_an_account_by_the_name_they_gave(browser, signed_in) -> None:
    contact = factories.make_contact_from_person("Gwen Unsworth", wants_to_complain=False)
    signed_in("staff")
    row = row_of(page_of(browser.client.get(QUEUE, query_string={"view": "new"})), contact.reference)
    assert "Gwen Unsworth" in row and "No account" not in row


def test_complaint_queue_still_says_anonymous_for_an_anonymous_complaint(browser, signed_in) -> None:
    contact = factories.make_contact_from_person(anonymous=True)
    signed_in("staff")
    row = row_of(page_of(browser.client.get(QUEUE, query_string={"view": "unassigned"})), contact.reference)
    assert "Anonymous" in row


def test_case_page_names_someone_without_an_account_and_how_to_reach_them(browser, signed_in) -> None:
    contact = factories.make_contact_from_person("Gwen Unsworth", phone="0113 496 0001")
    complaint = Complaint.get(Complaint.contact == contact.id)
    signed_in("staff")
    page = page_of(browser.client.get(f"/console/complaints/{complaint.id}"))
    assert "<dd>Gwen Unsworth (0113 496 0001)</dd>" in page
    assert "No account" not in page


def test_step_page_names_someone_without_an_account_in_the_case_line(browser, signed_in) -> None:
    contact = factories.make_contact_from_person("Gwen Unsworth")
    complaint = Complaint.get(Complaint.contact == contact.id)
    signed_in("staff")
    page = page_of(browser.client.get(f"/console/complaints/{complaint.id}/note"))
    assert "<dd>Gwen Unsworth</dd>" in page


@pytest.mark.parametrize(
    ("resident", "anonymous", "people", "expected"),
    [
        (None, True, [{"name": "Gwen Unsworth"}], "Anonymous"),
        ({"displayName": "Bronwen Pritchard"}, False, [{"name": "Gwen Unsworth"}], "Bronwen Pritchard"),
        (None, False, [{"name": "Gwen Unsworth"}], "Gwen Unsworth"),
        (None, False, [{"name": "  "}], "No account"),
        (None, False, [], "No account"),
        (None, False, None, "No account"),
    ],
)
def test_complainant_name_prefers_anonymous_then_the_account_then_the_name_given(
    app, resident: Any, anonymous: bool, people: Any, expected: str
) -> None:
    from portal.complaints.labels import complainant_name

    with app.test_request_context("/"):
        assert complainant_name(resident, anonymous, people) == expected
