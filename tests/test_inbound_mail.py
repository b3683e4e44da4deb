"""The complaints mailbox: emails become contacts, replies join their case, machines are never answered."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import queue
import smtplib
import threading
from email.message import EmailMessage
from typing import Any

import pytest
from click.testing import CliRunner

from backend import config
from backend.audit.models import AuditEvent
from backend.complaints import inbound, journey
from backend.complaints.intake import NewContact, submit_contact
from backend.complaints.models import Attachment, CaseMessage, Complaint, Contact, ContactPerson, InboundMail
from backend.errors import Invalid
from backend.events.models import OutboxEvent
from backend.notifications.mailer import build_message
from portal.cli import main
from portal.mailbox import signature, start_receiver
from tests import factories
from tests.test_attachment_files import png_bytes
from tests.test_notifications import free_port

SECRET = "s" * 40
TRUSTED = "mx.learnloop.test"


def passed(domain: str = "example.net", server: str = TRUSTED) -> str:
    """An Authentication-Results header value our own mail server would add for mail that passed DMARC."""
    return f"{server}; spf=pass smtp.mailfrom={domain}; dkim=pass header.d={domain}; dmarc=pass header.from={domain}"


def with_results(raw: bytes, *values: str) -> bytes:
    """The message with Authentication-Results headers added on top, the first given topmost."""
    return b"".join(f"Authentication-Results: {value}\n".encode() for value in values) + raw


@pytest.fixture(autouse=True)
def trusted_server(monkeypatch: pytest.MonkeyPatch) -> str:
    """Our own mail server, whose Authentication-Results headers are believed."""
    monkeypatch.setattr(config, "_current", config.current().with_overrides(inbound_authserv_ids=(TRUSTED,)))
    return TRUSTED


def email(
    sender: str = "Sam Doe <sam@example.net>",
    subject: str = "The lift",
    text: str | None = "The lift has been broken for a week.",
    html: str | None = None,
    headers: dict[str, str] | None = None,
    files: list[tuple[str, bytes, str]] = (),  # type: ignore[assignment]
    authenticated: bool = False,
) -> bytes:
    """An email; ``authenticated``: with the header our own mail server adds when the sender passed DMARC."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "complaints@learnloop.test"
    message["Subject"] = subject
    message["Date"] = "Mon, 02 Mar 2026 09:30:00 +0000"
    for name, value in (headers or {}).items():
        message[name] = value
    if text is not None:
        message.set_content(text)
    if html is not None:
        if text is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    for name, data, kind in files:
        maintype, subtype = kind.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    if authenticated:
        return with_results(bytes(message), passed(message["From"].addresses[0].domain))
    return bytes(message)


def receive(raw: bytes, envelope_from: str | None = "sam@example.net") -> InboundMail:
    return inbound.receive_mail(raw, "webhook", envelope_from)


@pytest.fixture
def resident() -> Any:
    return factories.make_user(email="resident@example.net", home=factories.make_home())


def test_email_from_a_stranger_becomes_a_contact_from_a_person_with_that_address() -> None:
    mail = receive(email())

    assert mail.status == "contact" and mail.processed_at is not None
    contact = Contact.get_by_id(mail.contact_id)
    assert (contact.channel, contact.logged_via, contact.resident_id) == ("email", "email", None)
    assert contact.description == "The lift has been broken for a week."
    person = ContactPerson.get(ContactPerson.contact == contact.id)
    assert (person.name, person.email) == ("Sam Doe", "sam@example.net")
    assert bytes(InboundMail.get_by_id(mail.id).raw_message) == email()


def test_email_is_dated_by_its_date_header_when_that_is_plausible(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 3, 2, 11, 0))
    mail = receive(email())
    assert Contact.get_by_id(mail.contact_id).received_at == dt.datetime(2026, 3, 2, 9, 30)


@pytest.mark.parametrize("date", ["Mon, 02 Mar 2026 12:00:00 +0000", "Mon, 02 Feb 2026 09:30:00 +0000"])
def test_email_dated_after_it_arrived_or_long_before_is_dated_when_it_arrived(clock_at: Any, date: str) -> None:
    clock_at(dt.datetime(2026, 3, 2, 11, 0))
    raw = email().replace(b"Mon, 02 Mar 2026 09:30:00 +0000", date.encode())
    mail = receive(raw)
    assert Contact.get_by_id(mail.contact_id).received_at == dt.datetime(2026, 3, 2, 11, 0)


def test_email_from_a_residents_confirmed_address_is_their_contact(resident: Any) -> None:
    mail = receive(email(authenticated=True, sender="resident@example.net"))

    contact = Contact.get_by_id(mail.contact_id)
    assert contact.resident_id == resident.id
    assert contact.nation == "england"
    assert not ContactPerson.select().where(ContactPerson.contact == contact.id).exists()


def test_email_from_an_unconfirmed_address_is_not_matched_to_the_account() -> None:
    factories.make_user(email="unconfirmed@example.net", verified=False)
    mail = receive(email(sender="unconfirmed@example.net"))
    assert Contact.get_by_id(mail.contact_id).resident_id is None


def test_new_contact_by_email_is_acknowledged() -> None:
    mail = receive(email())
    event = OutboxEvent.select().where(OutboxEvent.name == "feedback.received").order_by(OutboxEvent.id.desc()).get()
    assert event.payload["contact_id"] == mail.contact_id


def test_html_only_email_is_read_as_text_without_markup_or_scripts() -> None:
    html = "<html><head><style>p{}</style></head><body><p>Mould in the <b>bathroom</b></p>"
    html += "<script>alert('x')</script><p>Please help &amp; call</p></body></html>"
    mail = receive(email(text=None, html=html))
    assert Contact.get_by_id(mail.contact_id).description == "Mould in the bathroom\n\nPlease help & call"


def test_reply_naming_its_case_in_the_subject_joins_the_case(resident: Any) -> None:
    complaint = factories.acknowledged_complaint(resident=resident)
    contacts = Contact.select().count()

    mail = receive(
        email(authenticated=True, sender="resident@example.net", subject=f"Re: Your complaint {complaint.reference}")
    )

    assert mail.status == "reply"
    message = mail.case_message
    assert (message.complaint_id, message.direction, message.kind) == (
        complaint.id,
        "from_resident",
        "more_information",
    )
    assert message.body == "The lift has been broken for a week."
    assert message.created_by_id == resident.id
    assert Contact.select().count() == contacts


def test_reply_naming_its_case_in_the_text_joins_the_case(resident: Any) -> None:
    complaint = factories.acknowledged_complaint(resident=resident)
    mail = receive(
        email(
            authenticated=True,
            sender="resident@example.net",
            subject="Hello",
            text=f"About {complaint.reference}: still broken",
        )
    )
    assert CaseMessage.get_by_id(mail.case_message_id).complaint_id == complaint.id


def test_reply_to_an_email_we_sent_about_the_case_joins_the_case(resident: Any) -> None:
    complaint = factories.acknowledged_complaint(resident=resident)
    delivery = factories.make_delivery(user=resident)
    delivery.provider_id, delivery.complaint_id = "<abc123@learnloop.test>", complaint.id
    delivery.save()

    mail = receive(
        email(
            authenticated=True,
            sender="resident@example.net",
            subject="Re: hello",
            headers={"In-Reply-To": "<abc123@learnloop.test>"},
        )
    )

    assert CaseMessage.get_by_id(mail.case_message_id).complaint_id == complaint.id


def test_reply_from_someone_without_an_account_joins_the_case_by_the_address_recorded() -> None:
    staff = factories.make_staff()
    logged = submit_contact(
        factories.actor_of(staff),
        NewContact(
            channel="phone",
            description="The stairs are dark.",
            person={"name": "Ali Khan", "email": "ali@example.net"},
            nation="england",
            wants_to_complain=True,
        ),
    )
    complaint = Complaint.get(Complaint.contact == logged.id)

    mail = receive(email(authenticated=True, sender="ali@example.net", subject=f"Re: {complaint.reference}"))

    assert mail.status == "reply"
    assert CaseMessage.get_by_id(mail.case_message_id).complaint_id == complaint.id


def test_reference_to_someone_elses_case_becomes_a_new_contact_and_leaves_the_case_alone(resident: Any) -> None:
    complaint = factories.acknowledged_complaint(resident=resident)
    factories.make_user(email="other@example.net", home=factories.make_home())
    before = CaseMessage.select().where(CaseMessage.complaint == complaint.id).count()

    mail = receive(email(authenticated=True, sender="other@example.net", subject=f"Re: {complaint.reference}"))

    assert mail.status == "contact"
    assert Contact.get_by_id(mail.contact_id).id != complaint.contact_id
    assert CaseMessage.select().where(CaseMessage.complaint == complaint.id).count() == before


def test_reference_to_a_case_that_does_not_exist_is_answered_as_any_new_contact() -> None:
    mail = receive(email(subject="Re: LL-2026-999999"))
    assert mail.status == "contact"


def test_reply_to_a_closed_case_becomes_a_new_contact(resident: Any) -> None:
    complaint = factories.make_complaint(resident=resident)
    journey.withdraw_complaint(factories.actor_of(factories.make_staff()), complaint.id)

    mail = receive(email(authenticated=True, sender="resident@example.net", subject=f"Re: {complaint.reference}"))

    assert mail.status == "contact"
    assert Contact.get_by_id(mail.contact_id).resident_id == resident.id


def test_reply_attachments_are_checked_like_uploads(resident: Any) -> None:
    complaint = factories.acknowledged_complaint(resident=resident)
    files = [
        ("photo.png", png_bytes(), "image/png"),
        ("run.exe", b"MZ\x90\x00" + b"\x00" * 200, "application/octet-stream"),
    ]

    mail = receive(
        email(authenticated=True, sender="resident@example.net", subject=f"Re: {complaint.reference}", files=files)
    )

    kept = Attachment.select().where(Attachment.message == mail.case_message_id)
    assert [(row.file_name, row.media_type) for row in kept] == [("photo.png", "image/png")]
    assert mail.refused_attachments == [{"name": "run.exe", "reason": "unsupported_type"}]


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"X-Autoreply": "yes"},
    ],
)
def test_automatic_replies_are_kept_but_never_logged_or_answered(headers: dict[str, str]) -> None:
    contacts, events = Contact.select().count(), OutboxEvent.select().count()
    mail = receive(email(headers=headers))
    assert mail.status == "automatic"
    assert (Contact.select().count(), OutboxEvent.select().count()) == (contacts, events)


def test_a_bounce_with_the_null_sender_is_not_logged() -> None:
    assert receive(email(), envelope_from="<>").status == "automatic"


def test_mail_from_our_own_address_is_not_logged_so_no_loop_can_start() -> None:
    assert receive(email(sender=config.current().mail_from)).status == "automatic"


def test_every_email_learnloop_sends_says_it_was_written_automatically() -> None:
    message = build_message(config.current(), "someone@example.net", "Hello", "text", "<p>html</p>")
    assert message["Auto-Submitted"] == "auto-generated"


def test_a_message_that_cannot_be_read_becomes_a_contact_for_staff() -> None:
    mail = receive(b"\x00\x01garbage with no headers at all\xff")
    assert mail.status == "unreadable"
    contact = Contact.get_by_id(mail.contact_id)
    assert (contact.channel, contact.kind, contact.status) == ("email", None, "new")
    assert "garbage with no headers" in contact.description


def test_too_large_an_email_is_refused_and_nothing_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "_current", config.current().with_overrides(inbound_mail_max_bytes=2048))
    before = InboundMail.select().count()
    with pytest.raises(Invalid) as refused:
        receive(email(text="x" * 5000))
    assert refused.value.code == "too_large"
    assert InboundMail.select().count() == before


def test_the_same_email_sent_twice_is_one_contact() -> None:
    first, second = receive(email()), receive(email())
    assert first.id == second.id
    assert Contact.select().where(Contact.channel == "email").count() == 1


def limits(monkeypatch: pytest.MonkeyPatch, per_sender: int = 2, unverified: int = 200) -> None:
    overrides = {"inbound_mail_per_sender_per_hour": per_sender, "inbound_mail_unverified_per_hour": unverified}
    monkeypatch.setattr(config, "_current", config.current().with_overrides(**overrides))


@pytest.mark.parametrize("authenticated", [True, False])
def test_a_sender_over_the_hourly_limit_is_kept_but_not_logged(
    monkeypatch: pytest.MonkeyPatch, authenticated: bool
) -> None:
    limits(monkeypatch)
    sent = [receive(email(subject=f"Number {n}", authenticated=authenticated)) for n in range(3)]
    assert [mail.status for mail in sent] == ["contact", "contact", "held"]
    assert {mail.sender_verified for mail in sent} == {authenticated}


def test_hourly_limit_forged_mail_does_not_use_up_the_real_senders_allowance(monkeypatch: pytest.MonkeyPatch) -> None:
    limits(monkeypatch)
    forged = [receive(email(subject=f"Forged {n}")).status for n in range(5)]
    assert forged == ["contact", "contact", "held", "held", "held"]
    assert receive(email(subject="Really from Sam", authenticated=True)).status == "contact"


def test_hourly_limit_forged_headers_below_an_untrusted_one_do_not_verify(monkeypatch: pytest.MonkeyPatch) -> None:
    limits(monkeypatch, per_sender=1)
    receive(email(subject="Really from Sam", authenticated=True))
    # A forger copying the trusted header under one of their own: not believed, so it is counted apart.
    raw = with_results(email(subject="Forged"), passed("example.net", server="evil.example"), passed("example.net"))
    mail = receive(raw)
    assert (mail.status, mail.sender_verified) == ("contact", False)


def test_hourly_limit_unverified_mail_shares_one_allowance(monkeypatch: pytest.MonkeyPatch) -> None:
    limits(monkeypatch, per_sender=5, unverified=3)
    statuses = [receive(email(sender=f"someone{n}@example.org")).status for n in range(4)]
    assert statuses == ["contact", "contact", "contact", "held"]
    assert receive(email(subject="Sam, vouched for", authenticated=True)).status == "contact"


def test_hourly_limit_zero_turns_each_allowance_off(monkeypatch: pytest.MonkeyPatch) -> None:
    limits(monkeypatch, per_sender=0, unverified=0)
    assert {receive(email(subject=f"Number {n}")).status for n in range(4)} == {"contact"}


def test_mail_whose_reading_failed_is_kept_and_read_by_the_sweep(
    monkeypatch: pytest.MonkeyPatch, clock_at: Any
) -> None:
    clock_at(dt.datetime(2026, 3, 2, 10, 0))

    def broken(*_args: Any) -> None:
        raise RuntimeError("database went away")

    with monkeypatch.context() as patch:
        patch.setattr(inbound, "_check_attachments", broken)
        mail = receive(email())
    assert mail.status == "received"

    clock_at(dt.datetime(2026, 3, 2, 10, 10))
    assert inbound.process_waiting_mail() == 1
    assert InboundMail.get_by_id(mail.id).status == "contact"


# The two ways in.


class OnThisThread:
    """Runs the receiver's work on the test's own thread, inside its transaction, while a client sends."""

    def __init__(self) -> None:
        self.work: queue.Queue[tuple[bytes, str, concurrent.futures.Future[Any]]] = queue.Queue()

    def __call__(self, raw: bytes, envelope_from: str) -> Any:
        done: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self.work.put((raw, envelope_from, done))
        return done.result(timeout=20)

    def serve_while(self, sender: threading.Thread) -> None:
        while sender.is_alive() or not self.work.empty():
            try:
                raw, envelope_from, done = self.work.get(timeout=0.05)
            except queue.Empty:
                continue
            try:
                done.set_result(inbound.receive_mail(raw, "smtp", envelope_from))
            except BaseException as error:
                done.set_exception(error)


def send_by_smtp(port: int, raw: bytes, to: str = "complaints@learnloop.test", sender: str = "sam@example.net") -> Any:
    runner = OnThisThread()
    outcome: dict[str, Any] = {}
    controller = start_receiver(config.current(), None, "127.0.0.1", port, receive=runner)

    def send() -> None:
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=20) as client:
                outcome["refused"] = client.sendmail(sender, [to], raw)
        except smtplib.SMTPException as error:
            outcome["error"] = error

    thread = threading.Thread(target=send)
    try:
        thread.start()
        runner.serve_while(thread)
        thread.join()
    finally:
        controller.stop()
    return outcome


def test_email_sent_over_smtp_to_the_receiver_becomes_a_contact() -> None:
    outcome = send_by_smtp(free_port(), email())

    assert outcome == {"refused": {}}
    mail = InboundMail.select().order_by(InboundMail.id.desc()).get()
    assert (mail.via, mail.status, mail.envelope_from) == ("smtp", "contact", "sam@example.net")
    assert Contact.get_by_id(mail.contact_id).description == "The lift has been broken for a week."


def test_reply_sent_over_smtp_joins_its_case(resident: Any) -> None:
    complaint = factories.acknowledged_complaint(resident=resident)
    send_by_smtp(
        free_port(), email(authenticated=True, sender="resident@example.net", subject=f"Re: {complaint.reference}")
    )
    assert (
        CaseMessage.select()
        .where(CaseMessage.complaint == complaint.id, CaseMessage.kind == "more_information")
        .exists()
    )


def test_the_receiver_refuses_mail_for_addresses_that_are_not_the_mailbox(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        config, "_current", config.current().with_overrides(inbound_mail_addresses=("complaints@learnloop.test",))
    )
    before = InboundMail.select().count()
    outcome = send_by_smtp(free_port(), email(), to="someone@learnloop.test")
    assert isinstance(outcome["error"], smtplib.SMTPRecipientsRefused)
    assert InboundMail.select().count() == before


@pytest.fixture
def webhook_secret(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(config, "_current", config.current().with_overrides(inbound_mail_secret=SECRET))
    return SECRET


def test_the_webhook_is_not_there_without_a_secret(client: Any) -> None:
    assert client.post("/mail/inbound", data=email()).status_code == 404


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Learnloop-Mail-Secret": "wrong"}, {"X-Learnloop-Signature": "sha256=" + "0" * 64}],
)
def test_the_webhook_refuses_a_caller_without_the_secret(client: Any, webhook_secret: str, headers: dict) -> None:
    before = InboundMail.select().count()
    response = client.post("/mail/inbound", data=email(), headers=headers)
    assert response.status_code == 401
    assert InboundMail.select().count() == before


def test_the_webhook_takes_a_message_with_the_shared_secret(client: Any, webhook_secret: str) -> None:
    response = client.post(
        "/mail/inbound",
        data=email(),
        headers={"X-Learnloop-Mail-Secret": webhook_secret, "X-Envelope-From": "sam@example.net"},
        content_type="message/rfc822",
    )
    assert response.status_code == 202
    mail = InboundMail.get_by_id(response.get_json()["id"])
    assert (mail.via, mail.status) == ("webhook", "contact")


def test_the_webhook_takes_a_message_signed_with_the_secret(client: Any, webhook_secret: str) -> None:
    body = email(subject="Signed")
    response = client.post(
        "/mail/inbound", data=body, headers={"X-Learnloop-Signature": signature(webhook_secret, body)}
    )
    assert response.status_code == 202
    assert response.get_json()["status"] == "contact"


def test_the_webhook_refuses_a_message_over_the_size_limit(
    client: Any, webhook_secret: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(config, "_current", config.current().with_overrides(inbound_mail_max_bytes=2048))
    response = client.post(
        "/mail/inbound", data=email(text="x" * 4000), headers={"X-Learnloop-Mail-Secret": webhook_secret}
    )
    assert response.status_code == 413
    assert response.get_json() == {"error": "too_large"}


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("LEARNLOOP_INBOUND_MAIL_SECRET", "too short"),
        ("LEARNLOOP_INBOUND_MAIL_ADDRESSES", "complaints@learnloop.test, not-an-address"),
        ("LEARNLOOP_MAIL_RECEIVER_PORT", "70000"),
        ("LEARNLOOP_INBOUND_MAIL_MAX_BYTES", "10"),
    ],
)
def test_a_bad_mailbox_setting_stops_start_up_and_names_itself(variable: str, value: str, tmp_path: Any) -> None:
    with pytest.raises(config.ConfigError) as stopped:
        config.load_settings({"LEARNLOOP_INSTANCE_PATH": str(tmp_path), variable: value})
    assert stopped.value.variable == variable


def test_the_mailbox_settings_are_read(tmp_path: Any) -> None:
    settings = config.load_settings(
        {
            "LEARNLOOP_INSTANCE_PATH": str(tmp_path),
            "LEARNLOOP_INBOUND_MAIL_SECRET": SECRET,
            "LEARNLOOP_INBOUND_MAIL_ADDRESSES": "Complaints@Learnloop.test",
            "LEARNLOOP_MAIL_RECEIVER_HOST": "0.0.0.0",
            "LEARNLOOP_MAIL_RECEIVER_PORT": "2525",
        }
    )
    assert (settings.inbound_mail_secret, settings.inbound_mail_addresses) == (SECRET, ("complaints@learnloop.test",))
    assert (settings.mail_receiver_host, settings.mail_receiver_port) == ("0.0.0.0", 2525)


def test_the_mail_receiver_command_is_there() -> None:
    result = CliRunner().invoke(main, ["mail-receiver", "--help"])
    assert result.exit_code == 0 and "--port" in result.output


def test_the_webhook_takes_a_message_larger_than_other_requests_may_be(client: Any, webhook_secret: str) -> None:
    big = email(files=[("photo.png", png_bytes() + b"\x00" * (config.current().max_body_bytes + 1024), "image/png")])
    assert len(big) > config.current().max_body_bytes
    response = client.post("/mail/inbound", data=big, headers={"X-Learnloop-Mail-Secret": webhook_secret})
    assert response.status_code == 202


def test_a_stranger_cannot_send_a_large_body_to_the_webhook(client: Any, webhook_secret: str) -> None:
    big = email(text="x" * (config.current().max_body_bytes + 1024))
    response = client.post("/mail/inbound", data=big)
    assert response.status_code == 401 and response.get_json() == {"error": "unauthorised"}


# --- Whose mail it is: only our own mail server's word counts (RFC 8601 Authentication-Results) ----------------


def assert_new_contact_not_on_the_case(mail: InboundMail, complaint: Any, before: int) -> None:
    assert mail.status == "contact" and mail.case_message_id is None
    contact = Contact.get_by_id(mail.contact_id)
    assert contact.id != complaint.contact_id and contact.resident_id is None
    assert ContactPerson.get(ContactPerson.contact == contact.id).email == "resident@example.net"
    assert CaseMessage.select().where(CaseMessage.complaint == complaint.id).count() == before


def case_and_count(resident: Any) -> tuple[Any, int]:
    complaint = factories.acknowledged_complaint(resident=resident)
    return complaint, CaseMessage.select().where(CaseMessage.complaint == complaint.id).count()


def test_a_forged_from_without_authentication_results_becomes_a_new_contact(resident: Any) -> None:
    complaint, before = case_and_count(resident)

    mail = receive(email(sender="resident@example.net", subject=f"Re: {complaint.reference}"))

    assert_new_contact_not_on_the_case(mail, complaint, before)
    audit = AuditEvent.select().where(AuditEvent.entity_type == "inbound_mail", AuditEvent.entity_id == str(mail.id))
    assert audit.get().changes["sender_not_authenticated"] == {"before": None, "after": "no_trusted_header"}


def test_authentication_results_from_a_server_we_do_not_trust_are_not_believed(resident: Any) -> None:
    complaint, before = case_and_count(resident)
    raw = with_results(
        email(sender="resident@example.net", subject=f"Re: {complaint.reference}"), passed(server="mx.evil.test")
    )

    assert_new_contact_not_on_the_case(receive(raw), complaint, before)


@pytest.mark.parametrize(
    "result",
    [
        f"{TRUSTED}; dmarc=fail header.from=example.net",
        f"{TRUSTED}; dkim=pass header.d=example.net; dmarc=fail header.from=example.net",
        f"{TRUSTED}; dmarc=pass header.from=elsewhere.test",
        f"{TRUSTED}; dkim=pass header.d=elsewhere.test; spf=pass smtp.mailfrom=example.net",
        f"{TRUSTED}; dkim=fail header.d=example.net",
        f"{TRUSTED}; none",
        f"{TRUSTED}; dmarc=pass header.from=example.net header.from=example.net",
        f"{TRUSTED}; dmarc=pass (unclosed comment header.from=example.net",
        f"{TRUSTED} dmarc=pass",
    ],
)
def test_a_reply_that_did_not_pass_becomes_a_new_contact(resident: Any, result: str) -> None:
    complaint, before = case_and_count(resident)
    raw = with_results(email(sender="resident@example.net", subject=f"Re: {complaint.reference}"), result)

    assert_new_contact_not_on_the_case(receive(raw), complaint, before)


def test_a_forged_trusted_header_below_one_from_another_server_is_not_believed(resident: Any) -> None:
    complaint, before = case_and_count(resident)
    raw = with_results(
        email(sender="resident@example.net", subject=f"Re: {complaint.reference}"),
        "mx.forwarder.test; dmarc=fail header.from=example.net",
        passed(),
    )

    assert_new_contact_not_on_the_case(receive(raw), complaint, before)


def test_no_server_is_trusted_until_the_setting_names_one(resident: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "_current", config.current().with_overrides(inbound_authserv_ids=()))
    complaint, before = case_and_count(resident)

    mail = receive(email(authenticated=True, sender="resident@example.net", subject=f"Re: {complaint.reference}"))

    assert_new_contact_not_on_the_case(mail, complaint, before)


def test_a_second_from_address_is_never_believed(resident: Any) -> None:
    complaint, before = case_and_count(resident)
    raw = with_results(
        email(sender="resident@example.net, someone@example.net", subject=f"Re: {complaint.reference}"), passed()
    )

    assert_new_contact_not_on_the_case(receive(raw), complaint, before)


@pytest.mark.parametrize(
    "result",
    [
        f"{TRUSTED}; dkim=pass header.d=example.net",
        f"{TRUSTED}; dkim=pass (good signature) header.i=@Example.net; dmarc=none",
        f'"{TRUSTED}" 1; spf=pass smtp.mailfrom=example.net; dmarc/1=pass (p=none) action=none header.from=example.net',
    ],
)
def test_dkim_for_the_senders_own_domain_or_dmarc_is_believed(resident: Any, result: str) -> None:
    complaint = factories.acknowledged_complaint(resident=resident)
    raw = with_results(email(sender="resident@example.net", subject=f"Re: {complaint.reference}"), result)

    mail = receive(raw)

    assert mail.status == "reply" and CaseMessage.get_by_id(mail.case_message_id).complaint_id == complaint.id


def test_several_headers_from_our_own_servers_count_together(resident: Any) -> None:
    complaint = factories.acknowledged_complaint(resident=resident)
    raw = with_results(
        email(sender="resident@example.net", subject=f"Re: {complaint.reference}"),
        f"{TRUSTED}; spf=pass smtp.mailfrom=example.net",
        f"{TRUSTED}; dkim=pass header.d=example.net",
    )
    assert receive(raw).status == "reply"


def test_a_forged_from_is_not_logged_as_the_residents_own_contact(resident: Any) -> None:
    mail = receive(email(sender="resident@example.net"))
    contact = Contact.get_by_id(mail.contact_id)
    assert contact.resident_id is None
    assert ContactPerson.get(ContactPerson.contact == contact.id).email == "resident@example.net"


@pytest.mark.parametrize(
    ("value", "ids"),
    [("", ()), ("MX.Example.org, mx2.example.org", ("mx.example.org", "mx2.example.org"))],
)
def test_the_trusted_mail_servers_are_read(tmp_path: Any, value: str, ids: tuple[str, ...]) -> None:
    settings = config.load_settings({"LEARNLOOP_INSTANCE_PATH": str(tmp_path), "LEARNLOOP_INBOUND_AUTHSERV_IDS": value})
    assert settings.inbound_authserv_ids == ids


def test_a_bad_trusted_mail_server_name_stops_start_up(tmp_path: Any) -> None:
    with pytest.raises(config.ConfigError) as stopped:
        config.load_settings(
            {"LEARNLOOP_INSTANCE_PATH": str(tmp_path), "LEARNLOOP_INBOUND_AUTHSERV_IDS": "mx; dmarc=pass"}
        )
    assert stopped.value.variable == "LEARNLOOP_INBOUND_AUTHSERV_IDS"


# --- The webhook refuses strangers before it reads, and answers in JSON -----------------------------------------


class Unreadable:
    """A request body of ``size`` bytes that fails the test if anything reads it."""

    def __init__(self, size: int) -> None:
        self.size, self.position = size, 0

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> None:
        self.position = self.size if whence == 2 else offset

    def read(self, *_args: Any) -> bytes:
        pytest.fail("the body was read")

    readline = readlines = read


@pytest.mark.parametrize("headers", [{}, {"X-Learnloop-Mail-Secret": "wrong"}])
def test_a_stranger_is_refused_before_the_body_is_read_whatever_its_size(
    client: Any, webhook_secret: str, headers: dict
) -> None:
    length = config.current().inbound_mail_max_bytes * 4
    response = client.post("/mail/inbound", input_stream=Unreadable(length), headers=headers)
    assert response.status_code == 401
    assert response.get_json() == {"error": "unauthorised"}


def test_a_signed_request_declaring_too_large_a_body_is_refused_unread(client: Any, webhook_secret: str) -> None:
    length = config.current().inbound_mail_max_bytes * 4
    response = client.post(
        "/mail/inbound",
        input_stream=Unreadable(length),
        headers={"X-Learnloop-Signature": "sha256=" + "0" * 64},
    )
    assert response.status_code == 413
    assert response.get_json() == {"error": "too_large"}


def test_the_provider_over_the_size_limit_is_told_so_in_json(
    client: Any, webhook_secret: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(config, "_current", config.current().with_overrides(inbound_mail_max_bytes=2048))
    big = email(text="x" * (200 * 1024))
    response = client.post("/mail/inbound", data=big, headers={"X-Learnloop-Mail-Secret": webhook_secret})
    assert response.status_code == 413
    assert response.get_json() == {"error": "too_large"}
