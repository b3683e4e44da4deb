"""The attachment store as residents and staff meet it: a photo kept in an S3 bucket and downloaded again, a file
changed in the store refused at download, and a full store costing the files but never the resident's words."""

from __future__ import annotations

import errno
import io
from typing import Any

import pytest

from backend import config
from backend.attachments.storage import LocalStorage, NotStored
from backend.audit.models import AuditEvent
from backend.complaints import files
from backend.complaints.models import Attachment, CaseMessage, CaseNote, Contact
from tests import factories
from tests.test_cases_portal import tell_us
from tests.test_complaints_api import png


@pytest.fixture
def s3_configured(settings: Any, s3_bucket: Any) -> Any:
    """The app keeps attachments in a bucket on the local S3 server, for this test."""
    bucket, options, _client = s3_bucket
    config.set_current(
        settings.with_overrides(
            attachments_url=f"s3://{bucket}/attachments",
            s3_endpoint_url=options.endpoint_url,
            s3_region=options.region,
            s3_access_key_id=options.access_key_id,
            s3_secret_access_key=options.secret_access_key,
        )
    )
    return s3_bucket


def test_photo_sent_with_a_complaint_is_kept_in_the_bucket_and_downloaded(browser, signed_in, s3_configured) -> None:
    bucket, _options, client = s3_configured
    signed_in("resident", home=factories.make_home())
    assert tell_us(browser, "Damp on the bedroom wall.", [(png(), "damp.png")]).status_code == 302
    attachment = Attachment.get()
    assert client.head_object(Bucket=bucket, Key=f"attachments/{attachment.storage_key}")["ContentLength"] == len(png())
    response = browser.client.get(f"/attachments/{attachment.id}")
    assert response.status_code == 200
    assert response.get_data() == png()


def test_download_of_a_file_changed_in_the_bucket_is_refused(browser, signed_in, s3_configured, caplog) -> None:
    bucket, _options, client = s3_configured
    signed_in("resident", home=factories.make_home())
    tell_us(browser, "Damp on the bedroom wall.", [(png(), "damp.png")])
    attachment = Attachment.get()
    changed = png()[:-1] + b"!"
    client.put_object(Bucket=bucket, Key=f"attachments/{attachment.storage_key}", Body=changed)
    response = browser.client.get(f"/attachments/{attachment.id}")
    assert response.status_code == 500
    assert changed not in response.get_data()
    assert "We cannot send this file" in response.get_data(as_text=True)
    assert "does not match its checksum" in caplog.text and "damp" not in caplog.text


def test_download_of_a_local_file_cut_short_is_refused(browser, signed_in) -> None:
    signed_in("resident", home=factories.make_home())
    tell_us(browser, "Damp on the bedroom wall.", [(png(), "damp.png")])
    attachment = Attachment.get()
    store = files.storage()
    assert isinstance(store, LocalStorage)
    store.root.joinpath(*attachment.storage_key.split("/")).write_bytes(png()[:20])
    response = browser.client.get(f"/attachments/{attachment.id}")
    assert response.status_code == 500
    assert png()[:20] not in response.get_data()


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> LocalStorage:
    """A local store whose disk fills up part way through writing any file (ENOSPC from the write)."""
    from backend.attachments import storage as storage_module

    def fill_up(stream: Any, out: Any, max_bytes: int) -> Any:
        out.write(stream.read(10))
        out.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    store = LocalStorage(tmp_path / "attachments")
    monkeypatch.setattr(storage_module, "_copy_limited", fill_up)
    monkeypatch.setattr(files, "storage", lambda *args: store)
    return store


def stored_files(store: LocalStorage) -> list[Any]:
    return [path for path in store.root.rglob("*") if path.is_file()] if store.root.exists() else []


def test_local_store_full_part_way_raises_not_stored_and_keeps_nothing(full_disk: LocalStorage) -> None:
    with pytest.raises(NotStored) as raised:
        files.storage().save(io.BytesIO(png()), 10**6)
    assert raised.value.reason == "full"
    assert stored_files(full_disk) == []


def test_store_full_complaint_is_saved_without_its_photo_and_the_resident_is_told(
    browser, signed_in, full_disk
) -> None:
    signed_in("resident", home=factories.make_home())
    response = tell_us(browser, "Water coming through the ceiling.", [(png(), "ceiling.png")])
    assert response.status_code == 302
    contact = Contact.get()
    assert contact.description == "Water coming through the ceiling."
    assert Attachment.select().count() == 0 and stored_files(full_disk) == []
    page = browser.client.get(response.headers["Location"]).get_data(as_text=True)
    assert contact.reference in page
    assert "We could not keep your file because our file store is full" in page
    event = AuditEvent.get(AuditEvent.action == "attachments.not_kept")
    assert (event.entity_type, event.entity_id) == ("contact", str(contact.id))


def test_store_full_more_information_is_added_without_its_file(browser, signed_in, full_disk) -> None:
    resident = signed_in("resident")
    complaint = factories.make_complaint(resident=resident)
    contact_id = complaint.contact_id
    response = browser.submit(
        f"/cases/{contact_id}/more",
        {"body": "Here is the letter they sent.", "attachments": [(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "letter.pdf")]},
        page=f"/cases/{contact_id}",
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    message = CaseMessage.get(CaseMessage.body == "Here is the letter they sent.")
    assert list(message.attachments) == []
    page = browser.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Please send the file again later." in page


def test_store_full_staff_note_is_refused_and_its_words_stay_in_the_form(browser, signed_in, full_disk) -> None:
    signed_in("staff")
    complaint = factories.make_complaint()
    response = browser.submit(
        f"/console/complaints/{complaint.id}/note",
        {
            "note-kind": "call_note",
            "note-body": "Rang the contractor about the roof.",
            "note-attachments": [(io.BytesIO(png()), "a.png")],
        },
        page=f"/console/complaints/{complaint.id}/note",
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "our file store is full or not working" in page
    assert "Rang the contractor about the roof." in page
    assert CaseNote.select().count() == 0 and stored_files(full_disk) == []


def test_store_full_email_with_a_photo_waits_and_arrives_whole_once_there_is_room(
    monkeypatch: pytest.MonkeyPatch, clock_at: Any, full_disk: LocalStorage
) -> None:
    import datetime as dt

    from backend.complaints import inbound
    from backend.complaints.models import InboundMail
    from tests.test_inbound_mail import email, receive

    clock_at(dt.datetime(2026, 3, 2, 10, 0))
    mail = receive(email(files=[("boiler.png", png(), "image/png")]))
    assert mail.status == "received" and Contact.select().count() == 0
    monkeypatch.undo()  # the disk has room again
    monkeypatch.setattr(files, "storage", lambda *args: full_disk)
    clock_at(dt.datetime(2026, 3, 2, 10, 10))
    assert inbound.process_waiting_mail() == 1
    contact = Contact.get_by_id(InboundMail.get_by_id(mail.id).contact_id)
    assert contact.description.startswith("The lift has been broken")
    assert [a.file_name for a in contact.attachments] == ["boiler.png"]
