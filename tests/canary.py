"""Canary personal data in every field of a complaint's case, to show that a view outside the case lets none out.

:func:`seed_canary_case` builds a complaint with a row in every table that hangs from a case, then writes canary
data everywhere: every column naming an account names its own member of staff (or the canary resident or
advocate), every contractor column a canary firm, every home the canary home, and every free-text column a
paragraph holding all the canaries, led by a tracer (``tracer-complaint-summary``) that tells which column the
words came from. The resident's details, the staff's names, the contractors and the references are the canaries.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from peewee import CharField, ForeignKeyField, Model, TextField

from backend.accounts.models import Home, User
from backend.complaints import journey, responses
from backend.complaints.case_parties import NOT_OF_THE_CASE, RESIDENT_SIDE_COLUMNS, case_rows
from backend.complaints.models import (
    CaseAccess,
    CaseNote,
    Complaint,
    ComplaintPoint,
    ComplaintStaff,
    Contact,
    ContactMerge,
    ContactPerson,
    Contractor,
    Hazard,
    InboundMail,
    OmbudsmanOrder,
    PointScope,
    UpdateInterval,
)
from backend.complaints.redaction import REPRESENTATIVE
from backend.db import JSONField
from backend.models import ALL_MODELS
from backend.notifications.models import CallTask, Letter
from backend.timeutil import utcnow
from tests import factories

RESIDENT_NAME = "Zebedee Quirkfeather"
RESIDENT_EMAIL = "canary@example.org"
RESIDENT_PHONE = "07700 900123"
RESIDENT_ADDRESS = "14 Quokka Road"
RESIDENT_POSTCODE = "QK1 9ZZ"
NI_NUMBER = "ZZ123456C"
DATE_OF_BIRTH = "03/04/1961"
HOME_REFERENCE = "QKHOME-4471"
OMBUDSMAN_REFERENCE = "QKOMB-778899"
OTHER_CASE_REFERENCE = "LL-2025-000777"
PERSON_NAME = "Perpetua Hollowmere"
PERSON_EMAIL = "hollowmere@example.net"
PERSON_PHONE = "07700 900456"
PERSON_ADDRESS = "9 Wombat Lane"
PERSON_POSTCODE = "QK2 8YY"
PERSON_REPRESENTATIVE = "Ignatius Thistlebrook"
PERSON_REPRESENTATIVE_EMAIL = "thistlebrook@example.com"
ADVOCATE_NAME = "Octavia Fernsworth"
ADVOCATE_EMAIL = "fernsworth@example.net"
ADVOCATE_PHONE = "07700 900789"
CONTRACTOR = "Canaryworks Plumbing Ltd"
POINT_CONTRACTOR = "Gorsewick Roofing Ltd"

_STAFF_FIRST_NAMES = ("Ambrose", "Perdita", "Thaddeus", "Lucasta", "Barnaby", "Clementine", "Evander", "Leopold")
_STAFF_SURNAME_STARTS = ("Brack", "Quill", "Thorn", "Fenn", "Heron", "Marl", "Sedge", "Bramble", "Corvid", "Larch")
_STAFF_SURNAME_ENDS = ("water", "ington", "combe", "wright", "hollow", "stead", "borough")

# Columns that hold a person's details rather than words about the case, and the canary each is seeded with.
PERSONAL_FIELDS = {
    "ContactPerson.name": PERSON_NAME,
    "ContactPerson.email": PERSON_EMAIL,
    "ContactPerson.phone": PERSON_PHONE,
    "ContactPerson.address": PERSON_ADDRESS,
    "ContactPerson.postcode": PERSON_POSTCODE,
    "ContactPerson.representative_name": PERSON_REPRESENTATIVE,
    "ContactPerson.representative_contact": PERSON_REPRESENTATIVE_EMAIL,
    "Letter.address": f"{PERSON_NAME}\n{PERSON_ADDRESS}\n{PERSON_POSTCODE}",
    "Contact.interpreter_service": f"Interpreting for {RESIDENT_NAME}",
    "Complaint.team": f"{RESIDENT_NAME}'s patch",
    "Complaint.ombudsman_reference": OMBUDSMAN_REFERENCE,
    "InboundMail.envelope_from": RESIDENT_EMAIL,
    "InboundMail.sender": RESIDENT_EMAIL,
    "InboundMail.subject": f"From {RESIDENT_NAME}, {RESIDENT_ADDRESS}, {RESIDENT_POSTCODE}",
    "Attachment.file_name": "quirkfeather-14-quokka-road.png",
    "NoteFile.file_name": "quirkfeather-statement.pdf",
    "ReasonableAdjustment.requested_by": RESIDENT_NAME,
    "LessonSource.reference": f"Case of {RESIDENT_NAME}",
    "QualityReview.team": f"{RESIDENT_NAME}'s patch",
    "CallTask.name": RESIDENT_NAME,
    "CallTask.phone": RESIDENT_PHONE,
}
# Short text columns that are codes, checksums, keys or the system's own words: nothing a person wrote.
CODE_CHAR_FIELDS = frozenset(
    {
        "Contact.reference",
        "Contact.locale",
        "Contact.idempotency_key",
        "Complaint.reference",
        "ContactPerson.contact_channel",
        "Attachment.media_type",
        "Attachment.sha256",
        "Attachment.storage_key",
        "NoteFile.media_type",
        "NoteFile.sha256",
        "NoteFile.storage_key",
        "InboundMail.sha256",
        "InboundMail.message_id",
        "CaseRead.via",
        "CallTask.locale",
        "Letter.locale",
    }
)
_CASE_ROOTS = (Complaint, Contact)


def case_linked_models() -> list[type[Model]]:
    """Every model whose rows hang from a complaint or a contact, through any chain of foreign keys."""
    linked: list[type[Model]] = list(_CASE_ROOTS)
    for model in ALL_MODELS:
        fields = model._meta.sorted_fields  # type: ignore[attr-defined]
        if (
            model not in linked
            and model.__module__ not in NOT_OF_THE_CASE
            and any(
                isinstance(field, ForeignKeyField) and field.rel_model in linked and field.rel_model is not model
                for field in fields
            )
        ):
            linked.append(model)
    return linked


def _name(model: type[Model], field: Any) -> str:
    return f"{model.__name__}.{field.name}"


def narrative_fields() -> list[str]:
    """Every free-text column of the case's rows, as ``Model.column``: what a person wrote about the case."""
    return [
        _name(model, field)
        for model in case_linked_models()
        for field in model._meta.sorted_fields  # type: ignore[attr-defined]
        if isinstance(field, TextField)
        and not isinstance(field, JSONField)
        and _name(model, field) not in PERSONAL_FIELDS
    ]


def unclassified_char_fields() -> list[str]:
    """Short text columns of the case's rows that are neither seeded as personal nor known as codes (should be none)."""
    return [
        _name(model, field)
        for model in case_linked_models()
        for field in model._meta.sorted_fields  # type: ignore[attr-defined]
        if isinstance(field, CharField)
        and not field.choices
        and _name(model, field) not in {*PERSONAL_FIELDS, *CODE_CHAR_FIELDS}
    ]


def tracer(field: str) -> str:
    """The word that leads the canary paragraph in ``field`` (``Complaint.summary``), to find where words went."""
    model, column = field.split(".")
    return f"tracer-{model.lower()}-{column.replace('_', '-')}"


@dataclass(frozen=True)
class _Staff:
    name: str
    email: str


def _staff_names() -> Iterator[_Staff]:
    for number, (start, end) in enumerate(itertools.product(_STAFF_SURNAME_STARTS, _STAFF_SURNAME_ENDS)):
        surname = start + end
        first = _STAFF_FIRST_NAMES[number % len(_STAFF_FIRST_NAMES)]
        yield _Staff(f"{first} {surname}", f"{surname.lower()}@landlord.example")


def _base_case(resident: User) -> tuple[Complaint, Contact]:
    """A closed complaint, answered at stage 1, with a later contact merged in and a request behind it."""
    handler = factories.make_staff()
    complaint = factories.make_complaint(resident)
    request = factories.make_contact(resident, wants_to_complain=False)
    Contact.update(related_request=request.id).where(Contact.id == complaint.contact_id).execute()  # type: ignore[attr-defined]
    merged = factories.make_contact_from_person(PERSON_NAME, wants_to_complain=False)
    ContactMerge.create(contact=merged.id, complaint=complaint.id, reason="The same leak.")
    Contact.update(status="merged").where(Contact.id == merged.id).execute()
    actor = factories.actor_of(handler)
    journey.acknowledge_complaint(actor, complaint.id, [("The tap leaks", "Fix the tap")], "A repair", "The tap")
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    responses.respond_to_complaint(
        actor,
        complaint.id,
        {point.id: ("upheld", "The repair was late.")},
        "We missed two appointments.",
        "If you are not happy, ask for stage 2.",
        [responses.RemedyInput("financial_redress", "We pay £50.", dt.date(2030, 1, 10), "50.00", owner_id=handler.id)],
        [responses.ActionInput("Replace the tap", dt.date(2030, 1, 20), owner_id=handler.id)],
        underlying_cause="Appointments were booked without checking the contractor's diary.",
        remedial_action="Bookings now check the contractor's diary.",
    )
    # Nobody escalated it: closed, as the cases a panel samples are.
    Complaint.update(status="closed", closed_at=utcnow()).where(Complaint.id == complaint.id).execute()
    return Complaint.get_by_id(complaint.id), merged


def _every_other_row(complaint: Complaint, merged: Contact) -> None:
    """One row in each remaining table that hangs from the case (the case note comes last: it is written once)."""
    contact = Contact.get_by_id(complaint.contact_id)  # type: ignore[attr-defined]
    staff = factories.make_staff()
    point = ComplaintPoint.get(ComplaintPoint.complaint == complaint.id)
    PointScope.create(point=point.id, landlord_responsible=False, signposted_to="The council.")
    OmbudsmanOrder.create(complaint=complaint.id, text="Pay £150.", due_on=dt.date(2030, 2, 1))
    UpdateInterval.create(complaint=complaint.id, stage=1, every_days=5, agreed_on=dt.date(2026, 1, 5), method="phone")
    ComplaintStaff.create(complaint=complaint.id, person=staff.id, part="subject")
    CaseAccess.create(contact=contact.id, person=staff.id)
    factories.make_case_read(contact, staff)
    factories.make_attachment(contact)
    hazard = factories.make_hazard(contact)
    Hazard.update(complaint=complaint.id).where(Hazard.id == hazard.id).execute()
    factories.make_hazard_dismissal(contact)
    factories.make_contact_restriction(contact)
    factories.make_reasonable_adjustment(contact)
    factories.make_response_draft(complaint)
    factories.make_contact_review(contact)
    message = factories.make_case_message(complaint)
    InboundMail.create(
        via="webhook", raw_message=b"x", size=1, sha256="0" * 64, contact=contact.id, case_message=message.id
    )
    factories.make_lesson_source(complaint=complaint)
    factories.make_no_lesson_decision(complaint)
    factories.make_quality_score(factories.make_quality_review(complaint))
    factories.make_staff_briefing(complaint, staff)
    factories.make_contact_theme(contact)
    factories.make_equality_profile(contact=contact)
    person = ContactPerson.get(ContactPerson.contact == merged.id)
    Letter.create(person=person.id, address="x", subject="x", body="x")
    delivery = factories.make_delivery(channel="call")
    CallTask.create(delivery=delivery, person=person.id, name="x", phone="x", subject="x", body="x")


def _people() -> tuple[User, User, Home]:
    home = factories.make_home()
    Home.update(address=RESIDENT_ADDRESS, postcode=RESIDENT_POSTCODE, reference=HOME_REFERENCE).where(
        Home.id == home.id
    ).execute()
    resident = factories.make_user(email=RESIDENT_EMAIL, home=home, phone=RESIDENT_PHONE)
    advocate = factories.make_user("advocate", email=ADVOCATE_EMAIL, phone=ADVOCATE_PHONE)
    User.update(display_name=RESIDENT_NAME).where(User.id == resident.id).execute()
    User.update(display_name=ADVOCATE_NAME).where(User.id == advocate.id).execute()
    factories.make_representation(advocate, resident)
    return User.get_by_id(resident.id), User.get_by_id(advocate.id), Home.get_by_id(home.id)


def account_columns() -> list[str]:
    """Every column of the case's rows that names an account, as ``Model.column``."""
    return [
        _name(model, field)
        for model in case_linked_models()
        for field in model._meta.sorted_fields  # type: ignore[attr-defined]
        if isinstance(field, ForeignKeyField) and field.rel_model is User
    ]


def _staff_for_columns() -> dict[str, User]:
    """A member of staff of their own for every column that names staff on the case's rows."""
    names = _staff_names()
    found: dict[str, User] = {}
    for column in account_columns():
        if column.split(".")[1] not in RESIDENT_SIDE_COLUMNS:
            staff = next(names)
            user = factories.make_user("staff", email=staff.email)
            User.update(display_name=staff.name).where(User.id == user.id).execute()
            found[column] = User.get_by_id(user.id)
    return found


def _paragraph(complaint: Complaint, staff: dict[str, User]) -> str:
    """Every canary, written the ways people write them."""
    staff_lines = [f"{user.display_name} ({user.email}), {user.display_name.split()[-1]}'s" for user in staff.values()]
    return (
        f"{RESIDENT_NAME} (Mr Quirkfeather, QUIRKFEATHER, Zebedee\nQuirkfeather, Quirkfeather's neighbour, "
        f"Z. Quirkfeather), date of birth {DATE_OF_BIRTH}, NI number {NI_NUMBER}, of {RESIDENT_ADDRESS}, "
        f"{RESIDENT_POSTCODE}, rang from {RESIDENT_PHONE} and wrote from {RESIDENT_EMAIL} about "
        f"{complaint.reference} and {OTHER_CASE_REFERENCE}; home {HOME_REFERENCE}; Ombudsman {OMBUDSMAN_REFERENCE}. "
        f"{PERSON_NAME} of {PERSON_ADDRESS} {PERSON_POSTCODE} ({PERSON_PHONE}, {PERSON_EMAIL}) and "
        f"{PERSON_REPRESENTATIVE} ({PERSON_REPRESENTATIVE_EMAIL}). Advocate {ADVOCATE_NAME} "
        f"({ADVOCATE_EMAIL}, {ADVOCATE_PHONE}). Staff: {'; '.join(staff_lines)}. Contractors: {CONTRACTOR} "
        f"(Canaryworks's van), {POINT_CONTRACTOR} and Gorsewick Roofing Limited."
    )


def _fill(complaint: Complaint, users: dict[str, User], homes: Home, paragraph: str) -> None:
    """Write the canaries into every column of every row of the case, except the written-once case note."""
    contractors = {
        "Complaint.contractor": Contractor.get(Contractor.name == CONTRACTOR),
        "ComplaintPoint.contractor": Contractor.get(Contractor.name == POINT_CONTRACTOR),
    }
    for model, rows in case_rows(complaint).items():
        if model is CaseNote:
            continue
        values: dict[Any, Any] = {}
        for field in model._meta.sorted_fields:  # type: ignore[attr-defined]
            name = _name(model, field)
            if isinstance(field, ForeignKeyField) and field.rel_model is User:
                values[field] = users[name if name in users else field.name].id
            elif isinstance(field, ForeignKeyField) and field.rel_model is Contractor:
                values[field] = contractors[name].id
            elif isinstance(field, ForeignKeyField) and field.rel_model is Home:
                values[field] = homes.id
            elif name in PERSONAL_FIELDS:
                values[field] = PERSONAL_FIELDS[name]
            elif isinstance(field, JSONField) and name == "ResponseDraft.content":
                values[field] = {"reasons": f"{tracer(name)} {paragraph}"}
            elif isinstance(field, TextField) and not isinstance(field, JSONField):
                values[field] = f"{tracer(name)} {paragraph}"
        if values:
            model.update(values).where(model._meta.primary_key.in_([row.id for row in rows])).execute()  # type: ignore[attr-defined]


def _canaries(complaint: Complaint, staff: dict[str, User]) -> list[str]:
    """Every canary: each person's names and details, the firms, the references."""
    people = [
        RESIDENT_NAME,
        PERSON_NAME,
        PERSON_REPRESENTATIVE,
        ADVOCATE_NAME,
        *(u.display_name for u in staff.values()),
    ]
    words = {word for name in people for word in name.split()}
    details = [
        RESIDENT_EMAIL,
        RESIDENT_PHONE,
        "900123",
        RESIDENT_ADDRESS,
        "Quokka",
        RESIDENT_POSTCODE,
        NI_NUMBER,
        DATE_OF_BIRTH,
        HOME_REFERENCE,
        OMBUDSMAN_REFERENCE,
        OTHER_CASE_REFERENCE,
        complaint.reference,
        PERSON_EMAIL,
        PERSON_PHONE,
        PERSON_ADDRESS,
        "Wombat",
        PERSON_POSTCODE,
        PERSON_REPRESENTATIVE_EMAIL,
        ADVOCATE_EMAIL,
        ADVOCATE_PHONE,
        CONTRACTOR,
        "Canaryworks",
        POINT_CONTRACTOR,
        "Gorsewick",
        *(user.email for user in staff.values()),
    ]
    return sorted({*people, *words, *details})


def seed_canary_case() -> tuple[Complaint, list[str]]:
    """Return a closed complaint whose every row and column holds canary personal data, and the canaries to look for.

    Call it once per test: the canary accounts' email addresses and the canary firms' names are unique.
    """
    factories.make_contractor(CONTRACTOR)
    factories.make_contractor(POINT_CONTRACTOR)
    resident, advocate, home = _people()
    complaint, merged = _base_case(resident)
    _every_other_row(complaint, merged)
    staff = _staff_for_columns()
    sides = {column: advocate if role == REPRESENTATIVE else resident for column, role in RESIDENT_SIDE_COLUMNS.items()}
    paragraph = _paragraph(complaint, staff)
    note = CaseNote.create(
        complaint=complaint.id,
        kind="call_note",
        body=f"{tracer('CaseNote.body')} {paragraph}",
        stage=1,
        created_by=staff["CaseNote.created_by"].id,
    )
    factories.make_note_file(note)
    _fill(complaint, {**staff, **sides}, home, paragraph)
    return Complaint.get_by_id(complaint.id), _canaries(complaint, staff)
