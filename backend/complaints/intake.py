"""The front door: log a contact from any channel, classify it, offer the choice to complain, merge, close.

A contact is written once in the resident's own words; classification, merging and closing add to it
and never change what they said. Every change writes its audit event and outbox event in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from peewee import IntegrityError

from backend.accounts.models import CONSENT_METHODS, NATIONS, Home, Representation, User
from backend.audit.services import field_changes, record_audit
from backend.complaints import files, journey, restricted, steps
from backend.complaints.models import (
    CHANNELS,
    CONTACT_KINDS,
    PERSON_CHANNELS,
    REPRESENTATIVE_KINDS,
    VULNERABILITIES,
    CaseMessage,
    Category,
    Complaint,
    Contact,
    ContactMerge,
    ContactPerson,
    LoggedVia,
    ServiceArea,
)
from backend.complaints.policies import can_act_for, can_handle, represents
from backend.complaints.redaction import redact_contact_text
from backend.complaints.safeguards import request_from_contact
from backend.config import KNOWN_LOCALES
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed, NotFound, Problems, gather
from backend.events.services import record_event
from backend.names import check_name
from backend.text import clean, is_blank
from backend.timeutil import utcnow

MAX_DESCRIPTION = 20_000
MAX_REASON = 2_000
PERSON_FIELDS = (
    "name",
    "email",
    "phone",
    "address",
    "postcode",
    "representative_name",
    "representative_contact",
    "contact_channel",
)
PERSON_LIMITS = {"name": 120, "email": 254, "phone": 30, "address": 500, "postcode": 10, "contact_channel": 20}
PERSON_NAMES = ("name", "representative_name")  # pasted into letters and messages: one visible line
LOGGED_VIA = LoggedVia.codes()
EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE_SHAPE = re.compile(r"\+?[0-9 ()\-]+")


@dataclass
class NewContact:
    """What someone told the landlord, and how. Only ``channel`` and ``description`` are always needed."""

    channel: str
    description: str
    resident_id: int | None = None
    home_id: int | None = None
    # The nation of the home it is about, for staff to choose when there is no home on record.
    nation: str | None = None
    anonymous: bool = False
    locale: str = "en"
    received_at: dt.datetime | None = None
    received_by_id: int | None = None
    wants_to_complain: bool = False
    interpreter_used: bool = False
    interpreter_service: str | None = None
    representative_kind: str | None = None
    representative_user_id: int | None = None
    representative_consent: bool = False
    representative_consent_method: str | None = None
    adjustments: str = ""
    vulnerabilities: Sequence[str] = ()
    person: Mapping[str, str] = field(default_factory=dict)
    related_request_id: int | None = None
    service_area_id: int | None = None
    category_id: int | None = None
    idempotency_key: str | None = None
    logged_via: str = "portal"


def get_contact(contact_id: int, actor: Actor | None = None) -> Contact:
    """Return the contact; raise ``NotFound("contact")`` if there is none, or if it is hidden from ``actor``
    (a case that names them, or a need-to-know case they are not on the list for)."""
    if actor is not None:
        return restricted.visible_contact(actor, contact_id)
    contact = Contact.get_or_none(Contact.id == contact_id)
    if contact is None:
        raise NotFound("contact", contact_id)
    return contact


# Ways in that only staff can witness: a resident logging their own contact writes it themselves.
STAFF_CHANNELS = frozenset({"phone", "letter", "face_to_face", "verbal_to_staff", "interpreter"})


def _check_new(actor: Actor, data: NewContact) -> tuple[User | None, Home | None]:
    """Validate every field and every id before anything is stored; return who it is from and their home.

    Raises one Invalid listing every problem found: an id that names nothing, or something the actor may
    not use, is ``not_found`` at its own field.
    """
    with gather() as problems:
        _check_fields(problems, actor, data)
        with problems.check():
            _check_taxonomy(data.service_area_id, data.category_id)
        resident, home = _resolve_people(problems, actor, data)
        if data.related_request_id is not None:
            with problems.check():
                _check_related_request(actor, data.related_request_id, resident)
    return resident, home


def _check_fields(problems: Problems, actor: Actor, data: NewContact) -> None:
    """Record each problem with the values given (the ids are checked by their own lookups)."""
    if data.channel not in CHANNELS:
        problems.add("channel", "unsupported")
    elif not can_handle(actor) and data.channel in STAFF_CHANNELS:
        # A call, a letter or a visit is logged by the member of staff who took it.
        problems.add("channel", "staff_only")
    with problems.check():
        journey.text("description", data.description, MAX_DESCRIPTION)
    if data.locale not in KNOWN_LOCALES:
        problems.add("locale", "unsupported")
    if data.nation is not None and data.nation not in NATIONS:
        problems.add("nation", "unsupported")
    if data.logged_via not in LOGGED_VIA:
        problems.add("logged_via", "unsupported")
    if data.anonymous and data.resident_id is not None:
        problems.add("anonymous", "with_resident")
    if not data.anonymous and data.resident_id is None and is_blank((data.person or {}).get("name")):
        problems.add("resident", "required")
    if data.received_at is not None and data.received_at > utcnow() + dt.timedelta(minutes=5):
        problems.add("received_at", "in_future")
    _check_representative(problems, data)
    if any(flag not in VULNERABILITIES for flag in data.vulnerabilities):
        problems.add("vulnerabilities", "unsupported")
    with problems.check("person"):
        check_person(data.person or {})
    with problems.check():
        journey.text("adjustments", data.adjustments, MAX_REASON, required=False)
    if data.idempotency_key is not None and not 8 <= len(data.idempotency_key) <= 80:
        problems.add("idempotency_key", "invalid")


def _check_representative(problems: Problems, data: NewContact) -> None:
    if data.representative_kind is None:
        return
    if data.representative_kind not in REPRESENTATIVE_KINDS:
        problems.add("representative_kind", "unsupported")
    if not data.representative_consent:
        problems.add("representative_consent", "required")
    method = data.representative_consent_method
    if method is not None and method not in CONSENT_METHODS:
        problems.add("representative_consent_method", "unsupported")


def check_person(person: Mapping[str, str]) -> None:
    """Check the details given for someone without an account; raise one Invalid listing every problem found."""
    person = {name: clean(value) for name, value in person.items()}  # only invisible characters is blank
    with gather() as problems:
        for name, value in person.items():
            if name not in PERSON_FIELDS:
                problems.add(name, "unknown_field")
                continue
            with problems.check():
                journey.text(name, value, PERSON_LIMITS.get(name, 254), required=False)
                if name in PERSON_NAMES:
                    check_name(name, value, PERSON_LIMITS.get(name, 254), required=False)
        # Details staff record count as verified, so they must at least be the shape of an address or a number.
        email = person.get("email") or ""
        if email and not EMAIL_SHAPE.fullmatch(email):
            problems.add("email", "invalid")
        phone = person.get("phone") or ""
        if phone and (not PHONE_SHAPE.fullmatch(phone) or not 7 <= sum(ch.isdigit() for ch in phone) <= 15):
            problems.add("phone", "invalid")
        channel = person.get("contact_channel") or ""
        if channel and channel not in PERSON_CHANNELS:
            problems.add("contact_channel", "unsupported")
        needs = {"email": "email", "sms": "phone", "phone": "phone", "post": "address"}.get(channel)
        if needs and not person.get(needs):
            # "Write to them by post" with no address would leave them without their letters.
            problems.add(needs, "required")


def _check_allowed(actor: Actor, data: NewContact) -> None:
    """Refuse a contact the actor may not log whichever ids it names. Raises NotAllowed.

    Naming a resident they can't act for is not refused here: that is ``not_found`` at ``resident``,
    exactly as for someone who isn't there, so ids can't be used to count accounts.
    """
    if data.anonymous:
        if not actor.has_role("staff", "manager", "admin", "system"):
            raise NotAllowed("contact.anonymous")
    elif not can_act_for(actor, data.resident_id) and (
        not actor.can_write or data.resident_id is None or data.resident_id == actor.user_id
    ):
        raise NotAllowed("contact.submit")
    if data.home_id is not None and not actor.has_role("staff", "manager", "admin", "system"):
        raise NotAllowed("contact.home")


def _resolve_people(problems: Problems, actor: Actor, data: NewContact) -> tuple[User | None, Home | None]:
    """Who the contact is from, and their home, recording an id that names nothing the actor may use.

    The nation is settled from the home (see :func:`contact_nation`) once both ids are known good: with an
    unknown one, whether a nation is needed can't be told.
    """
    resident = None
    if data.resident_id is not None:
        if can_act_for(actor, data.resident_id):
            resident = User.get_or_none(User.id == data.resident_id)
        if resident is None:
            problems.add("resident", "not_found")
    home_id = data.home_id or (resident.home_id if resident else None)  # type: ignore[attr-defined]
    home = Home.get_or_none(Home.id == home_id) if home_id else None
    if data.home_id is not None and home is None:
        problems.add("home", "not_found")
    known = (data.resident_id is None or resident is not None) and (data.home_id is None or home is not None)
    if known and (data.nation is None or data.nation in NATIONS):
        with problems.check():
            data.nation = contact_nation(actor, home, data.nation)
    return resident, home


def _existing(actor: Actor, key: str | None, description: str) -> Contact | None:
    if key is None:
        return None
    return Contact.get_or_none(Contact.idempotency_key == scoped_key(actor, key, description))


def scoped_key(actor: Actor, key: str, description: str) -> str:
    """The stored form of a client's idempotency key: per sender, and per words sent.

    The same form sent twice is one contact; sent again with changed words it is a new one, so nothing a
    resident wrote is ever dropped as a "duplicate".
    """
    words = hashlib.sha256(description.strip().encode()).hexdigest()[:16]
    sender = actor.user_id or actor.token_id or 0
    return f"{sender}:{hashlib.sha256(key.encode()).hexdigest()[:40]}:{words}"


def submit_contact(actor: Actor, data: NewContact, uploads: Sequence[files.Upload] = ()) -> Contact:
    """Log a contact from any channel with its attachments; open the complaint if the resident asked to complain.

    Submitting again with the same idempotency key returns the first contact and stores nothing new. When the file
    store is full or failing, the contact is saved without its files and ``files_not_kept`` on it says how many.
    Raises NotAllowed, or Invalid listing every problem: each field and each id is checked (a resident
    the actor may not act for is ``not_found``, as one that isn't there), and every attachment, before
    anything is stored.
    """
    existing = _existing(actor, data.idempotency_key, data.description or "")
    if existing is not None:
        return existing
    if not can_handle(actor):
        if data.resident_id is None and not data.anonymous:
            # Residents log their own contacts unless they say otherwise.
            data.resident_id = actor.user_id
        # Only staff record when something arrived and how it is filed; a resident's contact arrives now.
        data.received_at = None
        data.service_area_id = data.category_id = None
        # A resident's contact is about their own home, whose nation is on record (or chosen later by staff).
        data.nation = None
    _check_allowed(actor, data)
    resident, home = _check_new(actor, data)
    if data.channel == "interpreter":
        data.interpreter_used = True
    if actor.has_role("advocate") and not actor.has_role("staff", "manager", "admin") and resident is not None:
        if actor.user_id != resident.id and represents(actor.user_id, resident.id):
            data.representative_kind = data.representative_kind or "advocate"
            data.representative_user_id = actor.user_id
            data.representative_consent = True
            data.representative_consent_method = data.representative_consent_method or _consent_method(
                actor.user_id, resident.id
            )
    # A full or failing file store costs the files, never the words: the contact is saved without them.
    prepared, not_kept = files.prepare_keeping_words(uploads)
    try:
        with transaction():
            contact = _create_contact(actor, data, resident, home, prepared)
            if not_kept:
                files.record_not_kept(actor, "contact", contact.id, not_kept)
    except IntegrityError:
        files.discard(prepared)
        again = _existing(actor, data.idempotency_key, data.description or "")
        if again is not None:
            return again
        raise
    except BaseException:
        files.discard(prepared)
        raise
    contact.files_not_kept = not_kept
    return contact


def _consent_method(advocate_id: int | None, resident_id: int) -> str | None:
    """How the resident consented to this advocate acting for them, as their representation records it."""
    representation = (
        Representation.select(Representation.consent_method)
        .where(
            Representation.advocate == advocate_id,
            Representation.resident == resident_id,
            Representation.revoked_at.is_null(),
        )
        .order_by(Representation.id.desc())
        .first()
    )
    return representation.consent_method if representation else None


def contact_nation(actor: Actor, home: Home | None, chosen: str | None) -> str | None:
    """The nation a contact is about: its home's, else the one staff chose; None only for a resident's own.

    Staff logging a contact with no home on record must choose the nation, since it decides the
    complaints procedure and ombudsman. A resident without a home still has their words kept: the
    nation stays empty until staff choose it. Raises Invalid("nation", "required" or "not_home_nation").
    """
    if home is not None:
        if chosen is not None and chosen != home.nation:
            raise Invalid("nation", "not_home_nation")
        return str(home.nation)
    if chosen is None and can_handle(actor):
        raise Invalid("nation", "required")
    return chosen


def _check_related_request(actor: Actor, request_id: int, resident: User | None) -> None:
    request = Contact.get_or_none(Contact.id == request_id)
    if request is None or not (can_handle(actor) or (resident is not None and request.resident_id == resident.id)):  # type: ignore[attr-defined]
        raise Invalid("related_request", "not_found")
    if request.kind != "service_request":
        raise Invalid("related_request", "not_a_service_request")


def _create_contact(
    actor: Actor, data: NewContact, resident: User | None, home: Home | None, prepared: Sequence[files.Prepared]
) -> Contact:
    now = utcnow()
    person = {name: clean(value) for name, value in (data.person or {}).items()}
    contact = Contact.create(
        reference=f"tmp-{uuid.uuid4().hex[:16]}",
        channel=data.channel,
        received_at=data.received_at or now,
        received_by=data.received_by_id or (actor.user_id if can_handle(actor) else None),
        logged_by=actor.user_id,
        logged_via=data.logged_via,
        resident=resident.id if resident else None,
        home=home.id if home else None,
        nation=data.nation,
        anonymous=data.anonymous,
        locale=data.locale,
        description=data.description.strip(),
        description_redacted="",
        wants_to_complain=data.wants_to_complain,
        interpreter_used=data.interpreter_used,
        interpreter_service=(data.interpreter_service or "").strip() or None,
        representative_kind=data.representative_kind,
        representative_user=data.representative_user_id,
        representative_consent=data.representative_consent,
        representative_consent_method=data.representative_consent_method,
        adjustments=(data.adjustments or "").strip(),
        vulnerabilities=sorted(set(data.vulnerabilities)),
        related_request=data.related_request_id,
        service_area=data.service_area_id,
        category=data.category_id,
        idempotency_key=scoped_key(actor, data.idempotency_key, data.description) if data.idempotency_key else None,
        created_at=now,
        updated_at=now,
    )
    contact.reference = f"LL-{contact.received_at.year}-{contact.id:06d}"
    if any(person.values()):
        row = ContactPerson.create(contact=contact.id, **person)
        # Staff recorded these details, so messages use them as verified; who recorded what is kept.
        record_audit(actor, "contact_person.recorded", "contact_person", row.id, field_changes(None, person))
    contact.description_redacted = redact_contact_text(contact, contact.description)
    contact.save()
    files.record(actor, contact, None, prepared)
    request_from_contact(actor, contact)
    record_audit(
        actor,
        "contact.received",
        "contact",
        contact.id,
        field_changes(None, {"reference": contact.reference, "channel": contact.channel, "kind": None}),
    )
    complaint = None
    # Without a nation the complaint can't be opened yet; the contact waits, words kept, for staff to choose it.
    if (data.wants_to_complain or data.related_request_id is not None) and contact.nation is not None:
        complaint = _classify(actor, contact, "complaint", None)
    record_event(
        "feedback.received",
        {
            "user_id": None if contact.anonymous else contact.resident_id,  # type: ignore[attr-defined]
            "person_id": journey.person_to_write_to(contact),
            "contact_id": contact.id,
            "reference": contact.reference,
            "days": journey.first_reply_days(complaint) if complaint else 5,
        },
    )
    return contact


def _classify(actor: Actor, contact: Contact, kind: str, reason: str | None) -> Complaint | None:
    before = {"kind": contact.kind, "kind_reason": contact.kind_reason, "status": contact.status}
    contact.kind = kind
    contact.kind_reason = reason
    contact.classified_by = actor.user_id  # type: ignore[assignment]
    contact.classified_at = utcnow()
    contact.status = "open"
    contact.updated_at = utcnow()
    contact.save()
    record_audit(
        actor,
        "contact.classified",
        "contact",
        contact.id,
        field_changes(before, {"kind": kind, "kind_reason": reason, "status": contact.status}),
    )
    if kind == "complaint":
        return journey.open_complaint(actor, contact)
    return None


def classify_contact(
    actor: Actor,
    contact_id: int,
    kind: str,
    reason: str,
    service_area_id: int | None = None,
    category_id: int | None = None,
    nation: str | None = None,
) -> Contact:
    """Record what a contact is and why. Classifying it as a complaint opens the complaint and its clocks.

    ``nation`` is the nation of the home it is about, for a contact with no home on record; a complaint
    can't be opened without one. The checks go from the most binding to the least, as the journey's steps do:
    who may classify (NotAllowed), whether the contact is there for them (NotFound), whether its state allows
    it (Conflict("merged", "already_complaint")), then the values given, every problem at once (Invalid: kind,
    reason, nation, service_area, category), then whether a complaint can be opened (Conflict("no_nation")).
    Of two people classifying at once only the first opens a complaint; the second gets the Conflict.
    """
    if not can_handle(actor):
        raise NotAllowed("contact.classify")
    contact = get_contact(contact_id, actor)
    _require_classifiable(contact)
    with gather() as problems:
        if kind not in CONTACT_KINDS:
            problems.add("kind", "unsupported")
        with problems.check():
            reason = journey.text("reason", reason, MAX_REASON)
        if nation is not None and nation not in NATIONS:
            problems.add("nation", "unsupported")
        with problems.check():
            _check_taxonomy(service_area_id, category_id)
    home = Home.get_or_none(Home.id == contact.home_id) if contact.home_id else None  # type: ignore[attr-defined]
    if nation is not None:
        nation = contact_nation(actor, home, nation)
    if kind == "complaint" and (nation or contact.nation or (home.nation if home else None)) is None:
        raise Conflict("no_nation")
    with transaction():
        _claim_unclassified(contact)
        if service_area_id is not None:
            contact.service_area = service_area_id  # type: ignore[assignment]
        if category_id is not None:
            contact.category = category_id  # type: ignore[assignment]
        if nation is not None and nation != contact.nation:
            record_audit(
                actor,
                "contact.nation_set",
                "contact",
                contact.id,
                field_changes({"nation": contact.nation}, {"nation": nation}),
            )
            contact.nation = nation
        _classify(actor, contact, kind, reason)
        if kind != "complaint":
            record_event(
                "contact.classified",
                {"contact_id": contact.id, "reference": contact.reference, "kind": kind},
            )
    return contact


def _require_classifiable(contact: Contact) -> None:
    """Raise Conflict("merged") or Conflict("already_complaint") when the contact can no longer be classified."""
    if contact.status == "merged":
        raise Conflict("merged")
    if Complaint.select().where(Complaint.contact == contact.id).exists():
        raise Conflict("already_complaint")


def _claim_unclassified(contact: Contact) -> None:
    """Inside the transaction, claim the contact as it was read: not merged, no complaint opened meanwhile.

    The conditional UPDATE takes the row's write lock, so of two people classifying at once only the first goes
    on; the second reads the state again and gets its Conflict, changing nothing.
    """
    claimed = (
        Contact.update(updated_at=utcnow())
        .where(
            Contact.id == contact.id,
            Contact.status != "merged",
            Contact.id.not_in(Complaint.select(Complaint.contact)),
        )
        .execute()
    )
    if claimed != 1:
        _require_classifiable(get_contact(contact.id))
        raise Conflict("changed")


def _check_taxonomy(service_area_id: int | None, category_id: int | None) -> None:
    """Raise one Invalid naming each of the service area and the category given that isn't there."""
    with gather() as problems:
        if service_area_id is not None and not ServiceArea.select().where(ServiceArea.id == service_area_id).exists():
            problems.add("service_area", "not_found")
        if category_id is not None and not Category.select().where(Category.id == category_id).exists():
            problems.add("category", "not_found")


def record_complaint_offer(actor: Actor, contact_id: int) -> Contact:
    """Record that the person, dissatisfied, was offered the choice to make a complaint."""
    if not can_handle(actor):
        raise NotAllowed("contact.offer")
    contact = get_contact(contact_id, actor)
    if contact.complaint_offered_at is not None:
        return contact
    with transaction():
        contact.complaint_offered_at = utcnow()
        contact.complaint_offered_by = actor.user_id  # type: ignore[assignment]
        contact.save()
        record_audit(actor, "contact.complaint_offered", "contact", contact.id)
    return contact


def merge_contact(actor: Actor, contact_id: int, complaint_id: int, reason: str) -> ContactMerge:
    """Merge a contact into an existing complaint, recording who did it and why; its words stay as written.

    The Code (6.8): a related issue joins a complaint only while stage 1 is active and unanswered;
    after that it must be a new complaint. Raises NotAllowed, NotFound, Invalid("reason"), or
    Conflict("merged", "already_complaint", "other_resident", "closed", "not_mergeable").
    """
    steps.require_role(actor, "merge")
    reason = journey.text("reason", reason, MAX_REASON)
    contact = get_contact(contact_id, actor)
    complaint = journey.complaint_for_step(actor, complaint_id, "merge")
    if contact.status == "merged":
        raise Conflict("merged")
    if Complaint.select().where(Complaint.contact == contact.id).exists():
        raise Conflict("already_complaint")
    if not _same_person(contact, complaint):
        # The merged words become part of the resident's case, which they read: only their own words may go there.
        raise Conflict("other_resident")
    with transaction():
        complaint = journey.take_step(actor, complaint, "merge")
        merge = ContactMerge.create(contact=contact.id, complaint=complaint.id, reason=reason, merged_by=actor.user_id)
        before = {"status": contact.status}
        contact.status = "merged"
        contact.updated_at = utcnow()
        contact.save()
        CaseMessage.create(
            contact=complaint.contact_id,  # type: ignore[attr-defined]
            complaint=complaint.id,
            direction="from_resident",
            kind="merged_contact",
            body=contact.description,
            body_redacted=contact.description_redacted,
            stage=complaint.stage,
            created_by=actor.user_id,
        )
        record_audit(
            actor,
            "contact.merged",
            "contact",
            contact.id,
            {**field_changes(before, {"status": "merged"}), "complaint": {"before": None, "after": complaint.id}},
        )
    return merge


def close_contact(actor: Actor, contact_id: int) -> Contact:
    """Close a contact that is not a complaint (a service request done, a compliment passed on)."""
    if not can_handle(actor):
        raise NotAllowed("contact.close")
    contact = get_contact(contact_id, actor)
    if contact.kind is None:
        raise Conflict("not_classified")
    if contact.kind == "complaint":
        raise Conflict("already_complaint")
    if contact.status == "closed":
        return contact
    with transaction():
        contact.status = "closed"
        contact.updated_at = utcnow()
        contact.save()
        record_audit(
            actor, "contact.closed", "contact", contact.id, field_changes({"status": "open"}, {"status": "closed"})
        )
    return contact


def update_contact_person(actor: Actor, contact_id: int, values: Mapping[str, str]) -> ContactPerson:
    """Change the details recorded for someone without an account (only the keys given).

    Each change is audited with who made it, when, and the values before and after. Returns the
    person's details. Raises NotAllowed (not a case handler), NotFound (no such contact, or one with
    no details recorded) and Invalid (as when a contact is logged).
    """
    if not can_handle(actor) or not actor.can_write:
        raise NotAllowed("contact_person.update")
    person = ContactPerson.get_or_none(ContactPerson.contact == contact_id)
    if person is None or not restricted.may_see_contact(actor, Contact.get_by_id(contact_id)):
        raise NotFound("contact_person", contact_id)
    before = {name: getattr(person, name) for name in PERSON_FIELDS}
    after = {**before, **{name: clean(value) for name, value in values.items()}}
    check_person(after)
    changes = field_changes(before, after)
    if changes:
        with transaction():
            for name in changes:
                setattr(person, name, after[name])
            person.save()
            record_audit(actor, "contact_person.updated", "contact_person", person.id, changes)
    return person


def _same_person(contact: Contact, complaint: Complaint) -> bool:
    """Whether a contact comes from the person whose complaint it would join.

    For account holders, the same account. Two people without an account are never the same person just
    because neither has one: their recorded name must match, and their email or phone number too.
    """
    if contact.resident_id is not None or complaint.resident_id is not None:  # type: ignore[attr-defined]
        return contact.resident_id == complaint.resident_id  # type: ignore[attr-defined]
    mine = ContactPerson.get_or_none(ContactPerson.contact == contact.id)
    theirs = ContactPerson.get_or_none(ContactPerson.contact == complaint.contact_id)  # type: ignore[attr-defined]
    if mine is None or theirs is None or mine.name.strip().casefold() != theirs.name.strip().casefold():
        return False
    email = mine.email.strip().casefold()
    phone = "".join(ch for ch in mine.phone if ch.isdigit())
    return bool(email and email == theirs.email.strip().casefold()) or bool(
        phone and phone == "".join(ch for ch in theirs.phone if ch.isdigit())
    )


def complain_about_request(actor: Actor, request: Contact) -> Complaint:
    """Open a complaint about a service request, in the current transaction; the request carries on alongside it.

    Dissatisfaction with a service request is a complaint (Code 1.4). It is logged as a new contact about the
    request, as when a resident complains about one (``related_request``), received now, in the request's words,
    from the same person and home, wanting to complain, with the request's adjustments and circumstances; that
    opens stage 1 and starts its acknowledgement clock. A need-to-know request passes its restriction and access
    list on, so the complaint is hidden from the same staff. Raises
    Conflict("no_nation") when the request's nation is not known yet, and Conflict("no_regime") as opening does.
    """
    if (request.nation or (request.home.nation if request.home is not None else None)) is None:
        raise Conflict("no_nation")
    person = ContactPerson.get_or_none(ContactPerson.contact == request.id)
    data = NewContact(
        channel=request.channel,
        description=request.description,
        resident_id=request.resident_id,  # type: ignore[attr-defined]
        home_id=request.home_id,  # type: ignore[attr-defined]
        nation=request.nation,
        anonymous=request.anonymous,
        wants_to_complain=True,
        adjustments=request.adjustments,
        vulnerabilities=tuple(request.vulnerabilities or ()),
        locale=request.locale,
        interpreter_used=request.interpreter_used,
        interpreter_service=request.interpreter_service,
        representative_kind=request.representative_kind,
        representative_user_id=request.representative_user_id,  # type: ignore[attr-defined]
        representative_consent=request.representative_consent,
        representative_consent_method=request.representative_consent_method,
        person={name: getattr(person, name) for name in PERSON_FIELDS} if person is not None else {},
        related_request_id=request.id,
        service_area_id=request.service_area_id,  # type: ignore[attr-defined]
        category_id=request.category_id,  # type: ignore[attr-defined]
        logged_via=request.logged_via,
    )
    home = request.home
    contact = _create_contact(actor, data, request.resident, home, ())
    if request.restricted_kind is not None:
        restricted.carry_restriction(actor, request, contact)
    return Complaint.get(Complaint.contact == contact.id)


def log_received_contact(
    actor: Actor, data: NewContact, resident: User | None, home: Home | None, prepared: Sequence[files.Prepared]
) -> Contact:
    """Write a contact that arrived on its own (an email to the complaints mailbox), in the current transaction.

    Nobody typed it in, so there is no form to refuse: the caller has read the sender and their home, and
    the words and files are kept as they came. The nation may stay empty until staff choose it.
    """
    return _create_contact(actor, data, resident, home, prepared)
