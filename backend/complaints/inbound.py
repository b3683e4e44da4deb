"""The complaints mailbox: each email becomes a contact, or the resident's message on the case it names.

Both ways in, ``learnloop mail-receiver`` (SMTP) and a mail provider's webhook, call :func:`receive_mail`. It
commits the raw message before anything reads it, so no later failure loses it: a message that can't be read
becomes a contact for staff to look at, and one whose reading failed for another reason (the database went
away) is read again by the sweep (:func:`process_waiting_mail`).

What a message becomes:

- an automatic reply or a bounce (``Auto-Submitted``, ``Precedence: bulk``, a delivery report, a null sender):
  kept, never logged or answered, so two robots can't write to each other for ever;
- a reply naming a case its sender may add to (a reference ``LL-YYYY-NNNNNN`` in the subject or the text, or
  ``In-Reply-To``/``References`` naming an email Learnloop sent about the case), from a sender our own mail
  server authenticated (:func:`sender_authenticated`): the resident's message on that case, its attachments
  checked as uploads are;
- anything else: a new contact by email, from the resident whose verified address sent it (when the sender was
  authenticated), or from a person with that address. A reference its sender may not add to is treated as no
  reference at all, so a reply never tells anyone whether a case exists.
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
    # Why the From address may (or may not) be believed: see :func:`sender_authenticated`.
    authenticated: str = "not_read"


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
    mail.sender_verified = reading.authenticated == AUTHENTICATED
    if reading.automatic or _from_ourselves(reading.sender):
        return _finish(mail, "automatic")
    if _over_hourly_limit(mail):
        return _finish(mail, "held")
    if reading.authenticated != AUTHENTICATED:
        # Anyone can write any From: without our mail server's word for it, the address names nobody.
        logger.info("inbound mail %s: sender not authenticated (%s)", mail.id, reading.authenticated)
        kept, refused = _check_attachments(reading.attachments)
        mail.refused_attachments = refused
        return _log_contact(mail, reading, None, kept, why=reading.authenticated)
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
    senders = [address for _, address in addresses if address.strip()]
    reading.authenticated = sender_authenticated(message, reading.sender) if len(senders) == 1 else "not_one_sender"
    reading.text = _text_of(message)
    reading.attachments = list(_attachments_of(message))
    return reading


# --- Authentication-Results (RFC 8601) --------------------------------------------------------------------------

AUTHENTICATED = "authenticated"
MAX_AUTH_HEADERS = 20
_AUTH_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+\-^_`{|}~.@]+")
_KEYWORD = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_PROPERTY = re.compile(r"([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.([a-z0-9](?:[a-z0-9_-]*[a-z0-9])?)")


class BadHeader(ValueError):
    """An Authentication-Results header that does not follow RFC 8601's grammar: it is not believed."""


@dataclass
class AuthResult:
    """One result in an Authentication-Results header: ``dkim=pass header.d=example.net``."""

    method: str
    result: str
    properties: dict[str, str]


@dataclass
class AuthHeader:
    """One Authentication-Results header: which server wrote it, and what it found."""

    authserv_id: str
    results: list[AuthResult]


def _auth_tokens(value: str) -> list[tuple[str, str]]:
    """Split a header value into ("atom"|"quoted"|";"|"="|"/", text), dropping white space and comments."""
    tokens: list[tuple[str, str]] = []
    i, n = 0, len(value)
    while i < n:
        ch = value[i]
        if ch in " \t\r\n":
            i += 1
        elif ch == "(":
            depth = 0
            while i < n:
                if value[i] == "\\":
                    i += 2
                    continue
                if value[i] == "(":
                    depth += 1
                elif value[i] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
            if depth:
                raise BadHeader("unclosed comment")
            i += 1
        elif ch == '"':
            text: list[str] = []
            i += 1
            while i < n and value[i] != '"':
                if value[i] == "\\" and i + 1 < n:
                    i += 1
                text.append(value[i])
                i += 1
            if i >= n:
                raise BadHeader("unclosed quoted string")
            tokens.append(("quoted", "".join(text)))
            i += 1
        elif ch in ";=/":
            tokens.append((ch, ch))
            i += 1
        else:
            atom = _AUTH_ATOM.match(value, i)
            if atom is None:
                raise BadHeader(f"unexpected character {ch!r}")
            tokens.append(("atom", atom.group()))
            i = atom.end()
    return tokens


def parse_authentication_results(value: str) -> AuthHeader:
    """Read one Authentication-Results header value (RFC 8601 section 2.2); raise BadHeader if it is malformed.

    Strict where a misreading could make a forged result count: the authserv-id, each ``method=result`` and each
    ``ptype.property=value`` must be where the grammar puts them, and a property named twice is refused. Extra
    ``name=value`` pairs without a dot (some providers add ``action=none``) are passed over.
    """
    tokens = _auth_tokens(value)
    position = 0

    def take(*kinds: str) -> str:
        nonlocal position
        if position >= len(tokens) or tokens[position][0] not in kinds:
            raise BadHeader("unexpected end or token")
        position += 1
        return tokens[position - 1][1]

    def peek(offset: int = 0) -> str | None:
        return tokens[position + offset][0] if position + offset < len(tokens) else None

    authserv_id = take("atom", "quoted").lower()
    if not authserv_id:
        raise BadHeader("empty authserv-id")
    if peek() == "atom" and tokens[position][1].isdigit():
        position += 1  # the version
    results: list[AuthResult] = []
    if peek() == ";" and peek(1) == "atom" and tokens[position + 1][1].lower() == "none" and peek(2) is None:
        return AuthHeader(authserv_id, results)
    while peek() is not None:
        take(";")
        method = take("atom").lower()
        if not _KEYWORD.fullmatch(method):
            raise BadHeader("bad method")
        if peek() == "/":
            take("/")
            if not take("atom").isdigit():
                raise BadHeader("bad method version")
        take("=")
        result = take("atom").lower()
        if not _KEYWORD.fullmatch(result):
            raise BadHeader("bad result")
        properties: dict[str, str] = {}
        while peek() == "atom":
            name = take("atom").lower()
            take("=")
            pvalue = take("atom", "quoted")
            if name == "reason" or _KEYWORD.fullmatch(name):
                continue  # a reason, or a provider's own name=value: neither says who sent it
            if not _PROPERTY.fullmatch(name):
                raise BadHeader("bad property")
            if name in properties:
                raise BadHeader("property given twice")
            properties[name] = pvalue.strip().lower()
        results.append(AuthResult(method, result, properties))
    return AuthHeader(authserv_id, results)


def trusted_authentication_results(message: EmailMessage) -> list[AuthHeader]:
    """The Authentication-Results headers our own mail servers added: the unbroken run of them at the top.

    Each server adds its header above those already there, so anything below a header from a server we don't
    trust (or one we can't read) may have come with the message from its sender, and is not believed.
    """
    trusted = set(current().inbound_authserv_ids)
    run: list[AuthHeader] = []
    found = [value for name, value in message.raw_items() if name.lower() == "authentication-results"]
    for value in found[:MAX_AUTH_HEADERS]:
        try:
            header = parse_authentication_results(str(value))
        except BadHeader:
            break
        if header.authserv_id not in trusted:
            break
        run.append(header)
    return run


def sender_authenticated(message: EmailMessage, sender: str) -> str:
    """Whether our own mail server vouches for the From address; ``AUTHENTICATED``, or why not.

    Believed: ``dmarc=pass`` (for the From domain, when the result names it), or ``dkim=pass`` signed by the From
    domain itself (``header.d``, or the domain of ``header.i``), in the topmost Authentication-Results headers from
    a trusted authserv-id (``LEARNLOOP_INBOUND_AUTHSERV_IDS``). A DMARC result other than pass or none there means
    not believed, whatever else the headers say.
    """
    if not current().inbound_authserv_ids:
        return "no_trusted_server"
    if "@" not in sender:
        return "no_sender"
    domain = sender.rsplit("@", 1)[1].strip().lower().rstrip(".")
    headers = trusted_authentication_results(message)
    if not headers:
        return "no_trusted_header"
    results = [result for header in headers for result in header.results]
    if any(r.method == "dmarc" and r.result not in ("pass", "none") for r in results):
        return "dmarc_failed"
    for r in results:
        if r.result != "pass":
            continue
        if r.method == "dmarc" and r.properties.get("header.from", domain).rstrip(".") == domain:
            return AUTHENTICATED
        if r.method == "dkim":
            signer = r.properties.get("header.d", "").rstrip(".")
            identity = r.properties.get("header.i", "").rsplit("@", 1)[-1].rstrip(".")
            if domain in (signer, identity):
                return AUTHENTICATED
    return "not_authenticated"


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


def _over_hourly_limit(mail: InboundMail) -> bool:
    """Whether the message's allowance for this hour is used up (a limit of 0: no limit).

    The allowances key on what can be believed. A From address our mail server vouched for has its own allowance,
    which only mail it vouched for uses, so a forger writing a resident's address can't use the resident's up.
    Mail nobody vouched for has its own allowance per From address (so an autoresponder can't loop) and one shared
    by all such mail (``LEARNLOOP_INBOUND_MAIL_UNVERIFIED_PER_HOUR``), as its From, its envelope sender and the
    connecting server (our own MX, or the provider) say nothing a forger can't choose.
    """
    settings = current()
    logged = InboundMail.select().where(
        InboundMail.id != mail.id,
        InboundMail.status.in_(("contact", "reply", "unreadable")),
        InboundMail.received_at >= utcnow() - dt.timedelta(hours=1),
        InboundMail.sender_verified == mail.sender_verified,
    )
    per_sender = settings.inbound_mail_per_sender_per_hour
    if per_sender and logged.where(InboundMail.sender == mail.sender).count() >= per_sender:
        return True
    shared = settings.inbound_mail_unverified_per_hour
    return not mail.sender_verified and bool(shared) and logged.count() >= shared


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
    mail: InboundMail, reading: Reading, user: User | None, uploads: Sequence[files.Upload], why: str = ""
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
            _finish(mail, "contact", why)
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


def _finish(mail: InboundMail, status: str, unauthenticated: str = "") -> InboundMail:
    """Record what the message became; ``unauthenticated`` says why its From address was not believed, if so."""
    changes: dict[str, dict[str, str | None]] = {"status": {"before": "received", "after": status}}
    if unauthenticated:
        changes["sender_not_authenticated"] = {"before": None, "after": unauthenticated}
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
            changes,
        )
    return mail
