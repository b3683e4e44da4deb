"""The console side of reaching people without an account: how to write to them on the contact form,
their details changed, calls to make, messages flagged on the complaint; and the resident's inbox."""

from __future__ import annotations

import datetime as dt
import smtplib
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.complaints import journey
from backend.complaints.models import Complaint, Contact, ContactPerson
from backend.events.models import Delivery
from backend.notifications.models import CallTask, Letter
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of


def page_of(response: Any) -> str:
    return response.get_data(as_text=True)


def contact_form(**values: Any) -> dict[str, Any]:
    data = {
        "who": "person",
        "person_name": "Ffion Jones",
        "channel": "phone",
        "received_date": (local_date() - dt.timedelta(days=1)).isoformat(),
        "received_time": "12:00",
        "locale": "cy",
        "nation": "wales",
        "description": "Nobody came to fix the damp.",
        "wants_to_complain": "y",
        "representative_kind": "",
        "service_area": "",
        "category": "",
        "idempotency_key": "0123456789abcdef",
    }
    data.update(values)
    return data


def test_staff_record_how_to_write_to_someone_without_an_account(browser, signed_in) -> None:
    signed_in("staff")
    page = page_of(browser.client.get("/console/contacts/new"))
    assert "How should we write to them?" in page
    data = contact_form(person_address="4 Heol y Bont", person_postcode="SY23 1AA", person_contact_channel="post")
    assert browser.submit("/console/contacts/new", data).status_code == 302
    person = ContactPerson.get()
    assert (person.contact_channel, person.address) == ("post", "4 Heol y Bont")
    feedback = Letter.get(Letter.person == person.id)
    assert feedback.locale == "cy" and feedback.address.startswith("Ffion Jones\n4 Heol y Bont")


def test_post_without_an_address_is_refused_next_to_the_address(browser, signed_in) -> None:
    signed_in("staff")
    response = browser.submit("/console/contacts/new", contact_form(person_contact_channel="post"))
    page = page_of(response)
    assert response.status_code == 400
    assert 'id="person_address-error"' in page and "There is a problem" in page
    assert '<input checked id="person_contact_channel-3"' in page and "Nobody came to fix the damp.</textarea>" in page
    assert Contact.select().count() == 0


def logged_person(**person: str) -> Complaint:
    from backend.complaints.intake import NewContact, submit_contact

    contact = submit_contact(
        actor_of(factories.make_staff()),
        NewContact(
            channel="phone",
            description="Nobody came to fix the damp.",
            wants_to_complain=True,
            person={"name": "Ffion Jones", **person},
            nation="wales",
            logged_via="console",
        ),
    )
    return Complaint.get(Complaint.contact == contact.id)


def test_staff_change_their_details_and_the_change_is_audited(browser, signed_in) -> None:
    complaint = logged_person(phone="07700 900123")
    staff = signed_in("staff")
    url = f"/console/contacts/{complaint.contact_id}"
    assert "Change their details" in page_of(browser.client.get(url))
    data = {"person-name": "Ffion Jones", "person-phone": "07700 900123", "person-address": "4 Heol y Bont"}
    response = browser.submit(f"{url}/person", {**data, "person-contact_channel": "post"}, page=url)
    assert response.status_code == 302
    assert ContactPerson.get().address == "4 Heol y Bont"
    audit = AuditEvent.get(AuditEvent.action == "contact_person.updated")
    assert audit.actor_user_id == staff.id
    assert audit.changes["address"] == {"before": "", "after": "4 Heol y Bont"}


def test_a_bad_change_to_their_details_keeps_what_was_typed(browser, signed_in) -> None:
    complaint = logged_person(phone="07700 900123")
    signed_in("staff")
    url = f"/console/contacts/{complaint.contact_id}"
    data = {"person-name": "Ffion Jones", "person-phone": "07700 900999", "person-contact_channel": "email"}
    response = browser.submit(f"{url}/person", data, page=url)
    page = page_of(response)
    assert response.status_code == 400
    assert 'id="person-email-error"' in page and 'value="07700 900999"' in page
    assert ContactPerson.get().phone == "07700 900123"


def open_call() -> tuple[Complaint, CallTask]:
    complaint = logged_person(phone="07700 900123", address="4 Heol y Bont", contact_channel="phone")
    journey.acknowledge_complaint(actor_of(factories.make_staff()), complaint.id, [("Damp", "Fix it")], "A repair")
    delivery = Delivery.get(Delivery.channel == "call", Delivery.complaint_id == complaint.id)
    return complaint, CallTask.get(CallTask.delivery == delivery.id)


def test_calls_to_make_show_the_number_and_the_message_to_read(browser, signed_in) -> None:
    complaint, call = open_call()
    signed_in("staff")
    page = page_of(browser.client.get("/console/calls"))
    assert "Calls to make" in page and "07700 900123" in page and 'href="tel:07700900123"' in page
    assert complaint.reference in page and "Your complaint is at stage 1." in page


def test_staff_record_a_call_as_done(browser, signed_in) -> None:
    _, call = open_call()
    staff = signed_in("staff")
    data = {f"call-{call.id}-outcome": "done", f"call-{call.id}-note": "Read it out."}
    response = browser.submit(f"/console/calls/{call.id}", data, page="/console/calls")
    assert response.status_code == 302
    done = CallTask.get_by_id(call.id)
    assert (done.status, done.outcome_note, done.completed_by_id) == ("done", "Read it out.", staff.id)  # type: ignore[attr-defined]
    assert "Read it out." in page_of(browser.client.get("/console/calls?status=done"))


def test_a_call_not_reached_sends_a_letter(browser, signed_in) -> None:
    complaint, call = open_call()
    signed_in("staff")
    data = {f"call-{call.id}-outcome": "not_reached"}
    response = browser.submit(f"/console/calls/{call.id}", data, page="/console/calls")
    assert response.status_code == 302
    letter = Letter.get(Letter.event == call.event_id)  # type: ignore[attr-defined]
    assert letter.address.startswith("Ffion Jones\n4 Heol y Bont") and complaint.reference in letter.subject


def test_a_call_without_an_outcome_shows_the_error_and_keeps_the_note(browser, signed_in) -> None:
    _, call = open_call()
    signed_in("staff")
    data = {f"call-{call.id}-note": "Tried at 10:00."}
    response = browser.submit(f"/console/calls/{call.id}", data, page="/console/calls")
    page = page_of(response)
    assert response.status_code == 400
    assert "Choose how the call went." in page and f'href="#call-{call.id}-outcome-0"' in page
    assert "Tried at 10:00.</textarea>" in page and "<title>Error:" in page
    assert CallTask.get_by_id(call.id).status == "open"


def test_residents_cannot_see_calls(browser, signed_in) -> None:
    signed_in("resident")
    assert browser.client.get("/console/calls").status_code in (403, 404)


def test_an_unreachable_message_is_flagged_on_the_complaint_and_in_the_log(
    browser, signed_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    complaint = logged_person(email="gone@example.org")

    def refuse(settings: Any, message: Any) -> None:
        raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"no such user")})

    monkeypatch.setattr("backend.notifications.sending.send_message", refuse)
    journey.acknowledge_complaint(actor_of(factories.make_staff()), complaint.id, [("Damp", "Fix it")], "A repair")
    signed_in("staff")
    page = page_of(browser.client.get(f"/console/complaints/{complaint.id}"))
    assert "1 message could not be sent" in page and complaint.reference in page
    log = page_of(browser.client.get("/console/deliveries?status=unreachable"))
    assert "Needs action: no postal address" in log and "Send again" in log


def test_a_resident_who_chose_letters_finds_them_in_their_inbox(browser, signed_in) -> None:
    resident = signed_in("resident", home=factories.make_home())
    resident.contact_channel = "post"
    resident.save()
    complaint = factories.acknowledged_complaint(resident=resident)
    page = page_of(browser.client.get("/messages"))
    assert "Sent to you by post" in page and complaint.reference in page


def test_a_written_copy_with_nowhere_to_go_is_flagged_on_the_complaint(browser, signed_in) -> None:
    """Name and number only: the text went, and its written copy waits on the complaint page for an address."""
    complaint = logged_person(phone="07700 900123", contact_channel="sms")
    journey.acknowledge_complaint(actor_of(factories.make_staff()), complaint.id, [("Damp", "Fix it")], "A repair")
    signed_in("staff")
    page = page_of(browser.client.get(f"/console/complaints/{complaint.id}"))
    assert "1 message could not be sent" in page
    log = page_of(browser.client.get("/console/deliveries?status=unreachable"))
    assert "Needs action: no postal address" in log and complaint.reference in log
