"""The complaints mailbox: each email becomes a contact, or the resident's message on the case it names.

Both ways in, ``learnloop mail-receiver`` (SMTP) and a mail provider's webhook, call :func:`receive_mail`. It
commits the raw message before anything reads it, so no later failure loses it: a message that can't be read
becomes a contact for staff to look at, and one whose reading failed for another reason (the database went
away) is read again by the sweep (:func:`process_waiting_mail`).

What a message becomes:

- an automatic reply or a bounce (``Auto-Submitted``, ``Precedence: bulk``, a delivery report, a null sender):
  kept, never logged or answered, so two robots can't write to each other for ever;
- a reply naming a case its sender may add to (a reference ``LL-YYYY-NNNNNN`` in the subject or the text, or
  ``In-Reply-To``/``References`` naming an email Learnloop sent about the case): the resident's message on
  that case, its attachments checked as uploads are;
- anything else: a new contact by email, from the resident whose verified address sent it, or from a person
  with that address. A reference its sender may not add to is treated as no reference at all, so a reply
  never tells anyone whether a case exists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

from backend.accounts.models import Home, User
from backend.attachments.names import clean_name
from backend.audit.services import record_audit
from backend.complaints import files, intake, journey, steps
from backend.complaints.models import (
    Complaint,
    Contact,
    ContactPerson,
    InboundMail,
)
from backend.complaints.policies import represents
from backend.config import current
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, DomainError, Invalid
from backend.events.models import Delivery
from backend.events.services import record_event
from backend.names import has_hidden_characters
from backend.timeutil import utcnow

logger = logging.getLogger(__name__)

#: Who reads the mailbox: the audit trail names it, and it may add to any case a message is entitled to.
MAILBOX = Actor(user_id=None, roles=frozenset({"system"}), label="mailbox")
REFERENCE = re.compile(r"\bLL-\d{4}-\d{6}\b", re.IGNORECASE)
MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
AUTOMATIC_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply"})
ROBOT_SENDERS = frozenset({"mailer-daemon", "postmaster"})
MAX_TEXT = intake.MAX_DESCRIPTION
# A message dated further back than this is dated when it arrived: a sender's clock, not a week in a queue.
OLDEST_DATE = dt.timedelta(days=7)
MAX_REFERENCES = 20


@dataclass
class Reading:
    """What was read from one message."""

    sender: str = ""
    sender_name: str = ""
    subject: str = ""
    message_id: str = ""
    sent_at: dt.datetime | None = None
    replying_to: list[str] = field(default_factory=list)
    text: str = ""
    automatic: bool = False
    attachments: list[files.Upload] = field(default_factory=list)


def receive_mail(raw: bytes, via: str, envelope_from: str | None = None) -> InboundMail:
    """Keep an email to the complaints mailbox, then read it; return what it became.

    ``envelope_from`` is the sender the delivering server gave ("<>" for a bounce; None or "" when it
    is not known). Raises ``Invalid("message", "empty" | "too_large")`` before keeping anything; a
    failure while reading is logged and left for :func:`process_waiting_mail`, never raised.
    """
    mail = store_mail(raw, via, envelope_from)
    try:
        return process_mail(mail.id)
    except Exception:  # a boundary: the message is kept, and the sweep reads it again
        logger.exception("inbound mail %s was kept but not read; the sweep will read it", mail.id)
        return InboundMail.get_by_id(mail.id)


def store_mail(raw: bytes, via: str, envelope_from: str | None = None) -> InboundMail:
    """Commit the raw message as it arrived. The same bytes sent again return the first copy.

    Raises ``Invalid("message", "empty")`` or ``Invalid("message", "too_large", maximum=...)``.
    """
    limit = current().inbound_mail_max_bytes
    if not raw.strip():
        raise Invalid("message", "empty")
    if len(raw) > limit:
        raise Invalid("message", "too_large", maximum=limit)
    digest = hashlib.sha256(raw).hexdigest()
    with transaction():
        existing = InboundMail.get_or_none(InboundMail.sha256 == digest, InboundMail.via == via)
        if existing is not None:
            return existing
        return InboundMail.create(
            via=via,
            raw_message=raw,
            size=len(raw),
            sha256=digest,
            envelope_from=_one_line(envelope_from or "", 254),
        )


def process_waiting_mail(older_than: dt.timedelta = dt.timedelta(minutes=5), limit: int = 100) -> int:
    """Read the kept messages that reading failed for; return how many were read. Safe to run any number of times."""
    cutoff = utcnow() - older_than
    waiting = (
        InboundMail.select(InboundMail.id)
        .where(InboundMail.status == "received", InboundMail.received_at <= cutoff)
        .order_by(InboundMail.id)
        .limit(limit)
    )
    done = 0
    for row in waiting:
        try:
            process_mail(row.id)
            done += 1
        except Exception:  # a task boundary: one bad message must not stop the others
            logger.exception("inbound mail %s could not be read", row.id)
    return done


def process_mail(mail_id: int) -> InboundMail:
    """Read one kept message and log it; a message already read is returned as it is."""
    mail = InboundMail.get_by_id(mail_id)
    if mail.status != "received":
        return mail
    try:
        reading = read_message(bytes(mail.raw_message), mail.envelope_from)
    except Exception:  # untrusted bytes through the standard library's parser: any failure means "unreadable"
        logger.warning("inbound mail %s could not be parsed", mail.id, exc_info=True)
        reading = None
    if reading is None or not reading.sender:
        return _log_unreadable(mail, reading)
    mail.sender, mail.subject, mail.message_id = reading.sender, reading.subject, reading.message_id
    mail.sent_at = reading.sent_at
    if reading.automatic or _from_ourselves(reading.sender):
        return _finish(mail, "automatic")
    if _over_hourly_limit(mail, reading.sender):
        return _finish(mail, "held")
    user = verified_user(reading.sender)
    complaint = _entitled_case(reading, user)
    kept, refused = _check_attachments(reading.attachments)
    mail.refused_attachments = refused
    if complaint is not None:
        try:
            return _attach_reply(mail, reading, complaint, user, kept)
        except Conflict:
            pass  # the case is closed, or moved on as we read it: the words become a new contact instead
    return _log_contact(mail, reading, user, kept)


def read_message(raw: bytes, envelope_from: str = "") -> Reading:
    """Read an email with the standard library's parser (``policy.default``): who, when, what, and files."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    reading = Reading()
    addresses = getaddresses([str(value) for value in message.get_all("From", [])])
    for name, address in addresses:
        if "@" in address and not has_hidden_characters(address):
            reading.sender = address.strip().lower()[:254]
            reading.sender_name = _one_line(name, 120)
            break
    reading.subject = _one_line(str(message.get("Subject", "")), 300)
    reading.message_id = _one_line(str(message.get("Message-ID", "")), 300)
    reading.sent_at = _date(message.get("Date"))
    heard = " ".join(str(message.get(name, "")) for name in ("In-Reply-To", "References"))
    reading.replying_to = MESSAGE_ID.findall(heard)[-MAX_REFERENCES:]
    reading.automatic = is_automatic(message, envelope_from)
    reading.text = _text_of(message)
    reading.attachments = list(_attachments_of(message))
    return reading


def is_automatic(message: EmailMessage, envelope_from: str = "") -> bool:
    """Whether a machine wrote it: an automatic reply, a bounce or a delivery report, or bulk mail (RFC 3834)."""
    submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    if submitted and submitted != "no":
        return True
    if str(message.get("Precedence", "")).strip().lower() in AUTOMATIC_PRECEDENCE:
        return True
    if any(name in message for name in ("X-Autoreply", "X-Autorespond", "List-Id")):
        return True
    if message.get_content_type() == "multipart/report":
        return True
    if envelope_from.strip() == "<>":
        return True  # the null sender is how bounces and other reports travel
    local = str(message.get("From", "")).rsplit("@", 1)[0].split("<")[-1].strip().lower()
    return local in ROBOT_SENDERS


def _text_of(message: EmailMessage) -> str:
    """The message's words: its plain part, else its HTML as text. Never the markup itself."""
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    try:
        content = body.get_content()
    except (LookupError, ValueError, AssertionError):  # an unknown charset or a broken encoding
        payload = body.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    if body.get_content_type() == "text/html":
        content = html_to_text(content)
    return _clean_text(content)


def _attachments_of(message: EmailMessage) -> Iterable[files.Upload]:
    for part in message.iter_attachments():
        name = part.get_filename() or "attachment"
        if part.is_multipart() or part.get_content_type() == "message/rfc822":
            data = part.as_bytes()
        else:
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
        yield files.Upload(name, io.BytesIO(data))


class _TextOnly(HTMLParser):
    """Collect an HTML document's text: no markup, no scripts, no styles; block elements end lines."""

    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table"})
    SKIPPED = frozenset({"script", "style", "head", "title", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, _attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The words of an HTML email as plain text, markup dropped; what it shows is kept, what it runs is not."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _clean_text(text: str) -> str:
    """Strip control characters (tabs and line ends kept) and cut to the longest contact there may be."""
    kept = "".join(ch for ch in text.replace("\r\n", "\n") if ch in "\n\t" or ch.isprintable() or ch == " ")
    return kept.strip()[:MAX_TEXT]


def _one_line(value: str, maximum: int) -> str:
    return " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())[:maximum]


def _date(value: object) -> dt.datetime | None:
    if value is None:
        return None
    try:
        moment = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def _from_ourselves(sender: str) -> bool:
    own = getaddresses([current().mail_from])
    return any(address.lower() == sender for _, address in own) or sender in current().inbound_mail_addresses


def _over_hourly_limit(mail: InboundMail, sender: str) -> bool:
    """Whether this sender has had as many emails logged this hour as one sender may (0: no limit)."""
    limit = current().inbound_mail_per_sender_per_hour
    if not limit:
        return False
    logged = (
        InboundMail.select()
        .where(
            InboundMail.sender == sender,
            InboundMail.id != mail.id,
            InboundMail.status.in_(("contact", "reply", "unreadable")),
            InboundMail.received_at >= utcnow() - dt.timedelta(hours=1),
        )
        .count()
    )
    return logged >= limit


def verified_user(address: str) -> User | None:
    """The active account whose confirmed sign-in address this is; None if none (or not confirmed)."""
    return User.get_or_none(
        User.email == address.strip().lower(),
        User.email_verified_at.is_null(False),
        User.is_active == True,  # noqa: E712
    )


def _entitled_case(reading: Reading, user: User | None) -> Complaint | None:
    """The first case the message names that its sender may add to, or None.

    A case is named by an email Learnloop sent about it that this one answers, or by its reference in the
    subject or the text. One the sender may not add to is passed over, exactly as one that doesn't exist.
    """
    for complaint in _named_cases(reading):
        if may_reply(complaint, reading.sender, user):
            return complaint
    return None


def _named_cases(reading: Reading) -> Iterable[Complaint]:
    if reading.replying_to:
        sent = (
            Delivery.select(Delivery.complaint_id)
            .where(Delivery.provider_id.in_(reading.replying_to), Delivery.complaint_id.is_null(False))
            .order_by(Delivery.id.desc())
        )
        for row in sent:
            complaint = Complaint.get_or_none(Complaint.id == row.complaint_id)
            if complaint is not None:
                yield complaint
    references = REFERENCE.findall(reading.subject) + REFERENCE.findall(reading.text)
    for reference in dict.fromkeys(ref.upper() for ref in references[:MAX_REFERENCES]):
        complaint = Complaint.get_or_none(Complaint.reference == reference)
        if complaint is not None:
            yield complaint


def may_reply(complaint: Complaint, sender: str, user: User | None) -> bool:
    """Whether mail from ``sender`` may be added to the complaint: the resident's (or their consenting
    advocate's) confirmed address, or the address recorded for someone without an account."""
    contact = Contact.get_by_id(complaint.contact_id)  # type: ignore[attr-defined]
    if contact.anonymous:
        return False
    resident_id = complaint.resident_id  # type: ignore[attr-defined]
    if resident_id is not None:
        return user is not None and (user.id == resident_id or represents(user.id, resident_id))
    person = ContactPerson.get_or_none(ContactPerson.contact == contact.id)
    return person is not None and bool(person.email.strip()) and person.email.strip().lower() == sender


def _check_attachments(uploads: Sequence[files.Upload]) -> tuple[list[files.Upload], list[dict[str, str]]]:
    """Check each file as an upload is checked; keep those that pass, up to the number a contact may carry."""
    kept: list[files.Upload] = []
    refused: list[dict[str, str]] = []
    allowed = current().attachments_per_contact
    for upload in uploads:
        name = clean_name(upload.file_name)
        if len(kept) >= allowed:
            refused.append({"name": name, "reason": "too_many"})
            continue
        try:
            files.check([upload])
        except Invalid as problem:
            refused.append({"name": name, "reason": problem.code})
            continue
        kept.append(upload)
    return kept, refused


def _received_at(reading: Reading, mail: InboundMail) -> dt.datetime:
    """When the landlord received it: the message's date, unless that is after it arrived or long before."""
    arrived = mail.received_at
    sent = reading.sent_at
    if sent is None or sent > arrived or sent < arrived - OLDEST_DATE:
        return arrived
    return sent


def _attach_reply(
    mail: InboundMail, reading: Reading, complaint: Complaint, user: User | None, uploads: Sequence[files.Upload]
) -> InboundMail:
    """Add the reply to its case as the resident's message. Raises Conflict when the case takes none now."""
    writer = Actor(user_id=user.id, roles=frozenset({"system"}), label="mailbox") if user is not None else MAILBOX
    steps.require_step(MAILBOX, complaint, "add_information")
    body = reading.text or reading.subject or "-"
    prepared = files.prepare(uploads)
    try:
        with transaction():
            complaint = journey.take_step(MAILBOX, complaint, "add_information")
            message = journey.add_message(writer, complaint, "more_information", body, direction="from_resident")
            contact = Contact.get_by_id(complaint.contact_id)  # type: ignore[attr-defined]
            files.record(writer, contact, message, prepared)
            record_audit(
                writer,
                "complaint.information_added",
                "complaint",
                complaint.id,
                {"inbound_mail": {"before": None, "after": mail.id}},
            )
            if complaint.handler_id:  # type: ignore[attr-defined]
                record_event(
                    "complaint.information_added",
                    journey.staff_payload(complaint, complaint.handler_id),  # type: ignore[attr-defined]
                )
            mail.contact, mail.case_message = contact.id, message.id  # type: ignore[assignment]
            _finish(mail, "reply")
    except BaseException:
        files.discard(prepared)
        raise
    return mail


def _log_contact(
    mail: InboundMail, reading: Reading, user: User | None, uploads: Sequence[files.Upload]
) -> InboundMail:
    """Log the message as a new contact by email, from the resident whose confirmed address sent it, or a person."""
    resident = user if user is not None and "resident" in user.role_names() else None
    home = Home.get_or_none(Home.id == resident.home_id) if resident and resident.home_id else None  # type: ignore[attr-defined]
    person = {} if resident else _person(reading)
    data = intake.NewContact(
        channel="email",
        description=reading.text or reading.subject or "-",
        resident_id=resident.id if resident else None,
        home_id=home.id if home else None,
        nation=str(home.nation) if home else None,
        locale=(resident.locale if resident and resident.locale else "en"),
        received_at=_received_at(reading, mail),
        person=person,
        logged_via="email",
    )
    prepared = files.prepare(uploads)
    try:
        with transaction():
            contact = intake.log_received_contact(MAILBOX, data, resident, home, prepared)
            mail.contact = contact.id  # type: ignore[assignment]
            _finish(mail, "contact")
    except BaseException:
        files.discard(prepared)
        raise
    return mail


def _person(reading: Reading) -> dict[str, str]:
    """The sender as someone without an account: their name as the email gave it, and their address."""
    name = reading.sender_name or reading.sender.split("@", 1)[0]
    person = {"name": name[:120], "email": reading.sender, "contact_channel": "email"}
    try:
        intake.check_person(person)
    except DomainError:
        person["name"] = reading.sender[:120]
        if not intake.EMAIL_SHAPE.fullmatch(reading.sender):
            person = {"name": reading.sender[:120]}
    return person


def _log_unreadable(mail: InboundMail, reading: Reading | None) -> InboundMail:
    """A message that can't be read as an email: a contact with its bytes as text, for staff to look at."""
    raw = bytes(mail.raw_message)
    text = _clean_text(raw.decode("utf-8", "replace")) or "-"
    data = intake.NewContact(
        channel="email",
        description=text,
        received_at=mail.received_at,
        logged_via="email",
    )
    with transaction():
        contact = intake.log_received_contact(MAILBOX, data, None, None, [])
        mail.contact = contact.id  # type: ignore[assignment]
        if reading is not None:
            mail.subject, mail.message_id = reading.subject, reading.message_id
        _finish(mail, "unreadable")
    return mail


def _finish(mail: InboundMail, status: str) -> InboundMail:
    with transaction():
        mail.status = status
        mail.processed_at = utcnow()
        mail.updated_at = utcnow()
        mail.save()
        record_audit(
            MAILBOX,
            "inbound_mail.read",
            "inbound_mail",
            mail.id,
            {"status": {"before": "received", "after": status}},
        )
    return mail
