"""The resident's cases in the portal: telling us with a photo, bad files, following a complaint, escalating,
adding information, and attachments served only to people who may see the case."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from backend.complaints.models import Attachment, CaseMessage, Complaint, Contact
from tests import factories
from tests.test_complaints_api import png


def form_key(browser: Any) -> str:
    page = browser.client.get("/cases/new").get_data(as_text=True)
    return re.search(r'name="idempotency_key" type="hidden" value="([0-9a-f]+)"', page)[1]


def tell_us(browser: Any, description: str, files: list[tuple[bytes, str]] = (), **extra: Any) -> Any:
    data = {
        "kind": "complaint",
        "description": description,
        "idempotency_key": extra.pop("idempotency_key", None) or form_key(browser),
        "attachments": [(io.BytesIO(content), name) for content, name in files],
        **extra,
    }
    return browser.submit("/cases/new", data, page="/cases/new", content_type="multipart/form-data")


def test_resident_submits_a_complaint_with_a_photo_and_gets_a_reference(browser, signed_in) -> None:
    resident = signed_in("resident", home=factories.make_home())
    response = tell_us(browser, "Mould in the bathroom again.", [(png(), "mould.png")])
    assert response.status_code == 302
    contact = Contact.get(Contact.resident == resident.id)
    page = browser.client.get(response.headers["Location"]).get_data(as_text=True)
    assert contact.reference in page
    assert "Mould in the bathroom again." in page
    assert "mould.png" in page
    assert Complaint.get(Complaint.contact == contact.id).status == "received"
    assert Attachment.get().media_type == "image/png"


def test_double_submit_creates_one_contact(browser, signed_in) -> None:
    signed_in("resident")
    key = form_key(browser)
    tell_us(browser, "The fence is down.", idempotency_key=key)
    tell_us(browser, "The fence is down.", idempotency_key=key)
    assert Contact.select().count() == 1


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "photo.jpg", "not a file type we accept"),
        (b"<html><script>alert(1)</script></html>", "page.html", "is a program or a web page"),
    ],
)
def test_forbidden_file_is_refused_and_the_words_stay(browser, signed_in, content, name, words) -> None:
    signed_in("resident")
    response = tell_us(browser, "My words must not be lost.", [(content, name)])
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert words in page and name in page
    assert "My words must not be lost." in page
    assert Contact.select().count() == 0 and Attachment.select().count() == 0


def test_too_large_file_is_refused_before_anything_is_stored(browser, signed_in, other_app) -> None:
    app = other_app(attachment_max_bytes=1024)
    client = app.test_client()
    from tests.conftest import Browser

    other = Browser(client)
    resident = factories.make_user()
    other.sign_in(resident.email)
    big = png() + b"\x00" * 4096
    response = tell_us(other, "A long story with a big photo.", [(big, "big.png")])
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "too large" in page and "A long story with a big photo." in page
    assert Contact.select().count() == 0 and Attachment.select().count() == 0


def test_empty_description_is_refused(browser, signed_in) -> None:
    signed_in("resident")
    response = tell_us(browser, "   ")
    assert response.status_code == 400
    assert "Tell us what happened, in your own words." in response.get_data(as_text=True)


def test_case_page_shows_where_the_complaint_is(browser, signed_in) -> None:
    resident = signed_in("resident", home=factories.make_home())
    complaint = factories.acknowledged_complaint(factories.make_staff(team="Repairs team"), resident=resident)
    page = browser.client.get(f"/cases/{complaint.contact_id}").get_data(as_text=True)
    assert "Where your complaint is" in page
    assert "stage 1" in page
    assert "Repairs team" in page
    assert "we are looking into your complaint" in page
    assert "The tap leaks" in page


def test_resident_escalates_from_the_case_page(browser, signed_in) -> None:
    resident = signed_in("resident", home=factories.make_home())
    complaint = factories.responded_complaint(resident=resident)
    page = browser.client.get(f"/cases/{complaint.contact_id}").get_data(as_text=True)
    assert "Not happy with our answer?" in page
    response = browser.submit(
        f"/cases/{complaint.contact_id}/escalate", {"reason": ""}, page=f"/cases/{complaint.contact_id}"
    )
    assert response.status_code == 302
    assert Complaint.get_by_id(complaint.id).stage == 2


def test_resident_adds_information_with_a_file(browser, signed_in) -> None:
    resident = signed_in("resident", home=factories.make_home())
    complaint = factories.acknowledged_complaint(resident=resident)
    response = browser.submit(
        f"/cases/{complaint.contact_id}/more",
        {"body": "Here is the letter they sent.", "attachments": [(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "letter.pdf")]},
        page=f"/cases/{complaint.contact_id}",
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    message = CaseMessage.get(CaseMessage.kind == "more_information")
    assert message.body == "Here is the letter they sent."
    assert [a.file_name for a in message.attachments] == ["letter.pdf"]


def test_other_residents_case_is_not_found(browser, signed_in) -> None:
    complaint = factories.make_complaint()
    signed_in("resident")
    assert browser.client.get(f"/cases/{complaint.contact_id}").status_code == 404


def test_attachment_is_served_only_to_people_who_may_see_the_case(browser, signed_in) -> None:
    owner = signed_in("resident")
    tell_us(browser, "Photo of the leak.", [(png(), "leak.png")])
    attachment = Attachment.get()
    response = browser.client.get(f"/attachments/{attachment.id}")
    assert response.status_code == 200 and response.data == png()
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    browser.sign_out()
    signed_in("resident")
    assert browser.client.get(f"/attachments/{attachment.id}").status_code == 404
    browser.sign_out()
    signed_in("staff")
    assert browser.client.get(f"/attachments/{attachment.id}").status_code == 200
    browser.sign_out()
    assert browser.client.get(f"/attachments/{attachment.id}").status_code in (302, 401)
    assert owner.id


def test_advocate_tells_us_on_behalf_of_a_resident_who_consented(browser, signed_in) -> None:
    resident = factories.make_user(home=factories.make_home())
    advocate = signed_in("advocate")
    factories.make_representation(advocate, resident)
    response = tell_us(browser, "Writing for my client about the damp.", on_behalf_of=str(resident.id))
    assert response.status_code == 302
    contact = Contact.get()
    assert (contact.resident_id, contact.representative_user_id, contact.representative_kind) == (
        resident.id,
        advocate.id,
        "advocate",
    )
    assert "Writing for my client" in browser.client.get("/cases").get_data(as_text=True)


def test_cases_list_shows_only_the_residents_own(browser, signed_in) -> None:
    factories.make_contact(description="Somebody else's words")
    resident = signed_in("resident")
    factories.make_contact(resident, description="My own words")
    page = browser.client.get("/cases").get_data(as_text=True)
    assert "My own words" in page and "Somebody else" not in page
