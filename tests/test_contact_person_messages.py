"""Nobody is left out: people without an account get their messages by the details recorded, a failed
statutory message goes by post at once (or is flagged for staff), calls become tasks, and the portal
inbox keeps a copy of everything an account holder was sent."""

from __future__ import annotations

import smtplib
from pathlib import Path
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.complaints import intake, journey
from backend.complaints.intake import NewContact, submit_contact
from backend.complaints.models import Complaint, Contact, ContactPerson
from backend.context import SYSTEM
from backend.errors import Conflict, Invalid, NotAllowed
from backend.events.models import Delivery, OutboxEvent
from backend.notifications import calls, sending, services
from backend.notifications.models import CallTask, Letter, PortalMessage
from tests import factories
from tests.conftest import read_mail
from tests.factories import actor_of

ADDRESS = "4 Heol y Bont\nAberystwyth"
REASONS = "We missed two appointments and did not call you back."


def phone_complaint(**person: str) -> Complaint:
    """A complaint taken by phone from someone without an account, logged by staff."""
    staff = factories.make_staff()
    locale = person.pop("locale", "en")
    details = {"name": "Ffion Jones", **person}
    contact = submit_contact(
        actor_of(staff),
        NewContact(
            channel="phone",
            description="Nobody came to fix the damp in the bedroom.",
            wants_to_complain=True,
            locale=locale,
            person=details,
            nation="wales",  # Aberystwyth: the Welsh procedure, whatever the language
            logged_via="console",
        ),
    )
    return Complaint.get(Complaint.contact == contact.id)


def respond(complaint: Complaint) -> None:
    from backend.complaints import responses
    from backend.complaints.models import ComplaintPoint

    handler = factories.make_staff()
    journey.acknowledge_complaint(actor_of(handler), complaint.id, [("Damp not fixed", "Fix it")], "A repair")
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    responses.respond_to_complaint(
        actor_of(handler),
        complaint.id,
        {point.id: ("upheld", "The repair was late.")},
        REASONS,
        "If you are not happy, ask for stage 2.",
        [
            responses.RemedyInput(
                "apology", "We apologise.", __import__("datetime").date(2030, 1, 10), owner_id=handler.id
            )
        ],
        [],
        underlying_cause="The appointment was not confirmed.",
        remedial_action="Appointments are confirmed the day before.",
    )


def deliveries(event: str) -> list[Delivery]:
    return list(Delivery.select().join(OutboxEvent).where(OutboxEvent.name == event).order_by(Delivery.id))


def acknowledgement_call() -> CallTask:
    (delivery,) = [d for d in deliveries("complaint.acknowledged") if d.channel == "call"]
    return CallTask.get(CallTask.delivery == delivery.id)


def test_phone_complainant_without_an_account_gets_the_answer_as_a_letter() -> None:
    complaint = phone_complaint(address=ADDRESS, postcode="SY23 1AA", contact_channel="post")
    respond(complaint)
    person = ContactPerson.get(ContactPerson.contact == complaint.contact_id)
    (delivery,) = deliveries("complaint.responded")
    assert (delivery.recipient_person_id, delivery.recipient_user_id, delivery.channel) == (person.id, None, "letter")
    letter = Letter.get(Letter.person == person.id, Letter.event == delivery.event_id)  # type: ignore[attr-defined]
    assert letter.user_id is None and letter.status == "queued"  # type: ignore[attr-defined]
    assert letter.address == f"Ffion Jones\n{ADDRESS}\nSY23 1AA"
    assert letter.body.startswith("Hello Ffion Jones,")
    assert "[link]" not in letter.body and "/cases/" not in letter.body  # no pages to open without an account
    assert REASONS in letter.body


def test_the_letter_is_in_the_language_recorded_on_the_contact() -> None:
    complaint = phone_complaint(address=ADDRESS, contact_channel="post", locale="cy")
    respond(complaint)
    (delivery,) = deliveries("complaint.responded")
    letter = Letter.get(Letter.event == delivery.event_id)  # type: ignore[attr-defined]
    assert delivery.locale == letter.locale == "cy"
    assert "Ffion Jones" in letter.body and "Hello" not in letter.body


def test_without_a_stated_preference_an_email_address_is_used_first(mail_dir: Path) -> None:
    complaint = phone_complaint(email="ffion@example.org", address=ADDRESS, phone="07700 900123")
    journey.acknowledge_complaint(actor_of(factories.make_staff()), complaint.id, [("Damp", "Fix it")], "A repair")
    (delivery,) = deliveries("complaint.acknowledged")
    assert (delivery.channel, delivery.status) == ("email", "sent")
    sent = [m for m in read_mail(mail_dir) if complaint.reference in m["Subject"]]
    assert {m["To"] for m in sent} == {"ffion@example.org"}
    assert "unsubscribe" not in str(sent[-1]).lower()


def test_a_number_staff_recorded_receives_statutory_texts_without_a_code(settings: Any) -> None:
    complaint = phone_complaint(phone="07700 900123", contact_channel="sms")
    journey.acknowledge_complaint(actor_of(factories.make_staff()), complaint.id, [("Damp", "Fix it")], "A repair")
    (delivery,) = [d for d in deliveries("complaint.acknowledged") if d.channel == "sms"]
    assert (delivery.channel, delivery.status) == ("sms", "sent")
    texts = [p.read_text() for p in (settings.instance_path / "sms").glob("*.txt")]
    assert any("To: 07700 900123" in t and complaint.reference in t for t in texts)


def test_the_acknowledgement_of_the_contact_reaches_them_too() -> None:
    complaint = phone_complaint(address=ADDRESS)
    (delivery,) = deliveries("feedback.received")
    assert delivery.channel == "letter" and delivery.status == "sent"
    assert Letter.select().where(Letter.body.contains(complaint.contact.reference)).exists()


def test_anonymous_contacts_still_get_nothing() -> None:
    submit_contact(
        SYSTEM,
        NewContact(
            channel="phone", description="Bins", anonymous=True, nation="england", person={"phone": "0113 496 0000"}
        ),
    )
    assert deliveries("feedback.received") == []


def bounce(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(settings: Any, message: Any) -> None:
        raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"no such user")})

    monkeypatch.setattr("backend.notifications.sending.send_message", refuse)


def test_a_bounced_statutory_email_goes_at_once_as_a_letter(monkeypatch: pytest.MonkeyPatch) -> None:
    complaint = phone_complaint(email="gone@example.org", address=ADDRESS, contact_channel="email")
    bounce(monkeypatch)
    journey.acknowledge_complaint(actor_of(factories.make_staff()), complaint.id, [("Damp", "Fix it")], "A repair")
    statuses = [(d.channel, d.status) for d in deliveries("complaint.acknowledged")]
    assert statuses == [("email", "bounced"), ("letter", "sent")]
    assert Letter.select().where(Letter.subject.contains(complaint.reference)).count() == 1


def test_a_bounced_statutory_email_to_an_account_holder_goes_as_a_letter(monkeypatch: pytest.MonkeyPatch) -> None:
    resident = factories.make_user("resident", home=factories.make_home())
    complaint = factories.make_complaint(resident=resident)
    bounce(monkeypatch)
    journey.acknowledge_complaint(actor_of(factories.make_staff()), complaint.id, [("Damp", "Fix it")], "A repair")
    statuses = [(d.channel, d.status) for d in deliveries("complaint.acknowledged")]
    assert statuses == [("email", "bounced"), ("letter", "sent")]
    assert Letter.get(Letter.user == resident.id).address.endswith(resident.home.postcode)


def test_a_failed_statutory_message_with_no_address_is_flagged_for_staff(monkeypatch: pytest.MonkeyPatch) -> None:
    bounce(monkeypatch)
    complaint = phone_complaint(email="gone@example.org")
    journey.acknowledge_complaint(actor_of(factories.make_staff()), complaint.id, [("Damp", "Fix it")], "A repair")
    flagged = [d for d in deliveries("complaint.acknowledged") if d.status == "unreachable"]
    assert [(d.channel, d.last_error, d.complaint_id) for d in flagged] == [
        ("letter", "no_postal_address", complaint.id)
    ]
    assert not Letter.select().where(Letter.subject.contains(complaint.reference)).exists()


def test_staff_send_a_flagged_letter_once_an_address_is_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    bounce(monkeypatch)
    complaint = phone_complaint(email="gone@example.org")
    staff = factories.make_staff()
    journey.acknowledge_complaint(actor_of(staff), complaint.id, [("Damp", "Fix it")], "A repair")
    flagged = Delivery.get(Delivery.status == "unreachable", Delivery.complaint_id == complaint.id)
    intake.update_contact_person(actor_of(staff), complaint.contact_id, {"address": ADDRESS})
    services.retry_delivery(actor_of(staff), flagged.id)
    sending.send_delivery(flagged.id)
    assert Delivery.get_by_id(flagged.id).status == "sent"
    assert Letter.get(Letter.subject.contains(complaint.reference)).address.startswith("Ffion Jones\n4 Heol")


def test_a_dead_statutory_message_goes_as_a_letter(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    def outage(settings: Any, message: Any) -> None:
        raise OSError("connection refused")

    monkeypatch.setattr("backend.notifications.sending.send_message", outage)
    complaint = phone_complaint(email="ffion@example.org", address=ADDRESS)
    journey.acknowledge_complaint(actor_of(factories.make_staff()), complaint.id, [("Damp", "Fix it")], "A repair")
    (email,) = deliveries("complaint.acknowledged")
    follow_up = None
    for _ in range(sending.MAX_ATTEMPTS - 1):
        Delivery.update(next_attempt_at=dt.datetime(2000, 1, 1)).where(Delivery.id == email.id).execute()
        follow_up = sending.send_delivery(email.id)
    assert Delivery.get_by_id(email.id).status == "dead" and follow_up is not None
    sending.send_delivery(follow_up)
    assert Delivery.get_by_id(follow_up).status == "sent"
    assert Letter.select().where(Letter.subject.contains(complaint.reference)).count() == 1


def test_the_phone_preference_puts_a_call_in_the_staff_queue() -> None:
    complaint = phone_complaint(phone="07700 900123", address=ADDRESS, contact_channel="phone")
    journey.acknowledge_complaint(actor_of(factories.make_staff()), complaint.id, [("Damp", "Fix it")], "A repair")
    delivery, written = deliveries("complaint.acknowledged")
    assert (delivery.channel, delivery.status) == ("call", "sent")
    # Read out as they asked, and sent in writing as the Code requires.
    assert (written.channel, written.status) == ("letter", "sent")
    call = CallTask.get(CallTask.delivery == delivery.id)
    assert (call.name, call.phone, call.status) == ("Ffion Jones", "07700 900123", "open")
    assert complaint.reference in call.subject and "Your complaint is at stage 1." in call.body


def test_an_account_holder_who_prefers_calls_is_called_not_emailed(mail_dir: Path) -> None:
    resident = factories.make_user("resident", home=factories.make_home())
    resident.contact_channel, resident.phone = "phone", "07700 900456"
    resident.save()
    factories.acknowledged_complaint(resident=resident)
    call = CallTask.get(CallTask.user == resident.id)
    assert call.phone == "07700 900456"
    assert not [m for m in read_mail(mail_dir) if m["To"] == resident.email and "complaint" in m["Subject"]]


def test_completing_a_call_is_recorded_and_audited() -> None:
    complaint = phone_complaint(phone="07700 900123", contact_channel="phone")
    journey.acknowledge_complaint(actor_of(factories.make_staff()), complaint.id, [("Damp", "Fix it")], "A repair")
    call = acknowledgement_call()
    staff = factories.make_staff()
    done, letter = calls.complete_call(actor_of(staff), call.id, "done", "Read it out; she was happy.")
    assert (done.status, done.completed_by_id, letter) == ("done", staff.id, None)  # type: ignore[attr-defined]
    audit = AuditEvent.get(AuditEvent.action == "call.completed")
    assert audit.actor_user_id == staff.id and audit.changes["status"] == {"before": "open", "after": "done"}
    with pytest.raises(Conflict):
        calls.complete_call(actor_of(staff), call.id, "not_reached")


def test_a_statutory_call_not_reached_goes_by_post_once_an_address_is_known() -> None:
    complaint = phone_complaint(phone="07700 900123", contact_channel="phone")
    journey.acknowledge_complaint(actor_of(factories.make_staff()), complaint.id, [("Damp", "Fix it")], "A repair")
    assert [d.channel for d in deliveries("complaint.acknowledged")] == ["call"]
    person = ContactPerson.get(ContactPerson.contact == complaint.contact_id)
    intake.update_contact_person(actor_of(factories.make_staff()), complaint.contact_id, {"address": ADDRESS})
    _, letter = calls.complete_call(actor_of(factories.make_staff()), acknowledgement_call().id, "not_reached")
    assert letter is not None
    sending.send_delivery(letter)
    sent = Letter.get(Letter.person == person.id, Letter.event == Delivery.get_by_id(letter).event_id)  # type: ignore[attr-defined]
    assert complaint.reference in sent.subject


def test_a_call_with_an_address_is_also_posted_once_even_if_not_reached() -> None:
    complaint = phone_complaint(phone="07700 900123", address=ADDRESS, contact_channel="phone")
    journey.acknowledge_complaint(actor_of(factories.make_staff()), complaint.id, [("Damp", "Fix it")], "A repair")
    call = acknowledgement_call()
    _, letter = calls.complete_call(actor_of(factories.make_staff()), call.id, "not_reached")
    if letter is not None:
        sending.send_delivery(letter)
    assert Letter.select().where(Letter.event == call.event_id).count() == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(("outcome", "note"), [("maybe", ""), ("done", "x" * 2001)])
def test_a_call_outcome_is_checked(outcome: str, note: str) -> None:
    complaint = phone_complaint(phone="07700 900123", contact_channel="phone")
    journey.acknowledge_complaint(actor_of(factories.make_staff()), complaint.id, [("Damp", "Fix it")], "A repair")
    with pytest.raises(Invalid):
        calls.complete_call(actor_of(factories.make_staff()), acknowledgement_call().id, outcome, note)
    assert acknowledgement_call().status == "open"


def test_only_staff_complete_calls() -> None:
    complaint = phone_complaint(phone="07700 900123", contact_channel="phone")
    journey.acknowledge_complaint(actor_of(factories.make_staff()), complaint.id, [("Damp", "Fix it")], "A repair")
    with pytest.raises(NotAllowed):
        calls.complete_call(actor_of(factories.make_user("resident")), acknowledgement_call().id, "done")


def test_recording_and_changing_a_persons_details_is_audited() -> None:
    complaint = phone_complaint(phone="07700 900123")
    person = ContactPerson.get(ContactPerson.contact == complaint.contact_id)
    recorded = AuditEvent.get(AuditEvent.action == "contact_person.recorded", AuditEvent.entity_id == str(person.id))
    assert recorded.changes["phone"] == {"before": None, "after": "07700 900123"}
    staff = factories.make_staff()
    intake.update_contact_person(actor_of(staff), complaint.contact_id, {"phone": "07700 900999"})
    changed = AuditEvent.get(AuditEvent.action == "contact_person.updated")
    assert changed.actor_user_id == staff.id
    assert changed.changes == {"phone": {"before": "07700 900123", "after": "07700 900999"}}


@pytest.mark.parametrize(
    ("person", "field"),
    [
        ({"contact_channel": "pigeon"}, "contact_channel"),
        ({"contact_channel": "post"}, "address"),
        ({"contact_channel": "sms"}, "phone"),
        ({"contact_channel": "email"}, "email"),
    ],
)
def test_how_to_write_to_them_needs_the_details_it_uses(person: dict[str, str], field: str) -> None:
    with pytest.raises(Invalid) as error:
        phone_complaint(**person)
    assert error.value.field == field


def test_a_resident_who_chose_letters_sees_each_letter_in_their_inbox() -> None:
    resident = factories.make_user("resident", home=factories.make_home())
    resident.contact_channel = "post"
    resident.save()
    complaint = factories.acknowledged_complaint(resident=resident)
    inbox = list(PortalMessage.select().where(PortalMessage.user == resident.id))
    letters = list(Letter.select().where(Letter.user == resident.id))
    assert {m.channel for m in inbox} == {"letter"} and len(inbox) == len(letters) == 2
    assert any(complaint.reference in m.subject for m in inbox)


def test_an_emailed_message_is_kept_in_the_inbox_without_its_secret_links(mail_dir: Path) -> None:
    resident = factories.make_user("resident")
    from backend.db import transaction
    from backend.events.services import record_event

    with transaction():
        record_event("account.password_reset_requested", {"user_id": resident.id})
    (copy,) = PortalMessage.select().where(PortalMessage.user == resident.id)
    assert copy.channel == "email" and "[link]" in copy.body and "token=" not in copy.body


def sms_files(settings: Any) -> set[Path]:
    return set((settings.instance_path / "sms").glob("*.txt"))


@pytest.mark.parametrize("contact_channel", ["sms", ""])
def test_a_text_only_complainant_is_not_told_of_a_copy_that_was_never_sent(settings: Any, contact_channel: str) -> None:
    """Name and number only: the text says staff will be in touch, and the written copy waits, flagged, for
    an address, instead of a line about an email that does not exist."""
    complaint = phone_complaint(phone="07700 900123", contact_channel=contact_channel)
    earlier = sms_files(settings)
    journey.acknowledge_complaint(actor_of(factories.make_staff()), complaint.id, [("Damp", "Fix it")], "A repair")
    text, written = deliveries("complaint.acknowledged")
    assert (text.channel, text.status) == ("sms", "sent")
    assert "full message by" not in text.body
    assert "We need an email or postal address to send you the full message in writing" in text.body
    assert (written.channel, written.status, written.last_error) == ("letter", "unreachable", "no_postal_address")
    assert written.complaint_id == complaint.id and written.recipient_person_id == text.recipient_person_id
    assert "Fix it" in written.body  # the full message, ready to go once an address is recorded
    sent = [path.read_text() for path in sms_files(settings) - earlier]
    assert sent and not [t for t in sent if "full message by" in t]
    assert [t for t in sent if "We will contact you to ask for it." in t]
    assert not Letter.select().where(Letter.subject.contains(complaint.reference)).exists()


def test_the_flagged_written_copy_goes_once_an_address_is_recorded() -> None:
    complaint = phone_complaint(phone="07700 900123", contact_channel="sms")
    staff = factories.make_staff()
    journey.acknowledge_complaint(actor_of(staff), complaint.id, [("Damp", "Fix it")], "A repair")
    flagged = Delivery.get(Delivery.status == "unreachable", Delivery.complaint_id == complaint.id)
    intake.update_contact_person(actor_of(staff), complaint.contact_id, {"address": ADDRESS})
    services.retry_delivery(actor_of(staff), flagged.id)
    sending.send_delivery(flagged.id)
    letter = Letter.get(Letter.subject.contains(complaint.reference))
    assert letter.address.startswith("Ffion Jones\n4 Heol") and "Fix it" in letter.body


@pytest.mark.parametrize(
    ("person", "channel", "pointer"),
    [
        ({"email": "ffion@example.org"}, "email", "We have also sent you the full message by email."),
        ({"address": ADDRESS}, "letter", "We have also sent you the full message by post."),
    ],
)
def test_a_text_names_the_channel_that_carries_the_written_copy(
    person: dict[str, str], channel: str, pointer: str
) -> None:
    complaint = phone_complaint(phone="07700 900123", contact_channel="sms", **person)
    journey.acknowledge_complaint(actor_of(factories.make_staff()), complaint.id, [("Damp", "Fix it")], "A repair")
    text, written = deliveries("complaint.acknowledged")
    assert text.channel == "sms" and pointer in text.body
    assert (written.channel, written.status) == (channel, "sent")


def test_an_account_holder_who_reads_texts_is_pointed_to_the_copy_that_exists() -> None:
    """An account holder with a number and no email or home: the copy is in their portal messages, and the
    text says so; when even that can't be used, the copy waits as a flagged letter and the text says so."""
    from backend.notifications.models import ChannelStatus

    names = iter(("first", "second"))

    def texted_resident() -> Any:
        resident = factories.make_user(
            email=f"{next(names)}@example.invalid", phone="07700 900456", phone_verified=True
        )
        resident.contact_channel = "sms"
        resident.save()
        return resident

    first = texted_resident()
    factories.acknowledged_complaint(resident=first)
    text, written = [d for d in deliveries("complaint.acknowledged") if d.recipient_user_id == first.id]
    assert text.channel == "sms" and "in your messages on our website" in text.body
    assert (written.channel, written.status) == ("portal", "sent")

    second = texted_resident()
    ChannelStatus.create(user=second.id, channel="portal", reason="closed")
    complaint = factories.acknowledged_complaint(resident=second)
    text, written = [d for d in deliveries("complaint.acknowledged") if d.recipient_user_id == second.id]
    assert text.channel == "sms" and "full message" in text.body
    assert "We need an email or postal address to send you the full message in writing" in text.body
    assert (written.channel, written.status, written.complaint_id) == ("letter", "unreachable", complaint.id)


@pytest.mark.parametrize(
    ("details", "field"),
    [({"email": "not-an-email"}, "email"), ({"phone": "abc"}, "phone"), ({"phone": "12"}, "phone")],
)
def test_recorded_details_that_cannot_be_an_address_or_number_are_refused(details: dict[str, str], field: str) -> None:
    """Details staff record count as verified, so they must be the shape of an email address or a number."""
    before = Contact.select().count()
    with pytest.raises(Invalid) as caught:
        phone_complaint(**details)
    assert (caught.value.field, caught.value.code) == (field, "invalid")
    assert Contact.select().count() == before
