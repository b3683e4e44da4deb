"""Restricted cases: complaints that name a member of staff, and need-to-know cases.

- **Staff named (Code 5.8).** A complaint records the staff it is about or who were involved, with their part.
  It is hidden from each of them, on every page and through the API, and none of them may handle it.
- **Need-to-know (safeguarding, domestic abuse).** A manager flags the case, with the reason. Only the staff on
  its access list see it; everyone else is told it is not there. Every read is logged (:func:`record_reads`).
- **Support for staff complained about** (PHSO, just and learning culture): when and by whom they were told, the
  support offered, their input, and when the outcome was shared with them. Managers and the handler see it.

"Not there" and "hidden from you" are the same answer (NotFound) everywhere, so that ids reveal nothing.
The API's row filters (``schema.access.case_visible``) say the same as :func:`may_see_contact`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from peewee import Cast

from backend.accounts.models import User
from backend.audit.services import record_audit
from backend.complaints.models import (
    RESTRICTED_KINDS,
    STAFF_PARTS,
    CaseAccess,
    CaseRead,
    Complaint,
    ComplaintStaff,
    Contact,
    ContactMerge,
)
from backend.context import Actor
from backend.db import transaction
from backend.errors import Invalid, NotAllowed, NotFound, Problems, gather
from backend.text import clean
from backend.timeutil import local_date, utcnow

MAX_DETAILS = 2_000
MAX_REASON = 2_000
MAX_SUPPORT = 10_000
STAFF_ROLE_NAMES = frozenset({"staff", "manager", "admin"})
MANAGERS = ("manager", "admin")


def named_in(contact_id: int, user_id: int) -> bool:
    """Whether the complaint opened from this contact names the person."""
    return (
        ComplaintStaff.select()
        .join(Complaint)
        .where(Complaint.contact == contact_id, ComplaintStaff.person == user_id)
        .exists()
    )


def on_access_list(contact_id: int, user_id: int) -> bool:
    return CaseAccess.select().where(CaseAccess.contact == contact_id, CaseAccess.person == user_id).exists()


def hidden_contacts(user_id: int | None) -> Any:
    """A query for every contact whose case is hidden from this person, as ``may_see_contact`` decides one by one:
    the complaint names them, or the case is need-to-know and they are not on its list; and contacts merged into
    such a complaint.

    The API's row filters use it for staff (``schema.access.HIDDEN_CASE``) as one subquery, ``id IN (...)``, so a
    filter stays flat however deep a query reaches, and costs no statement of its own.
    """
    uid = user_id if user_id is not None else 0  # nobody has id 0: a visitor is named in no case
    named = (
        Complaint.select(Complaint.contact)
        .join(ComplaintStaff)
        .where(ComplaintStaff.person == uid, Complaint.contact.is_null(False))
    )
    listed = CaseAccess.select(CaseAccess.contact).where(CaseAccess.person == uid, CaseAccess.contact.is_null(False))
    unlisted = Contact.select(Contact.id).where(Contact.restricted_kind.is_null(False), Contact.id.not_in(listed))
    merged = (
        ContactMerge.select(ContactMerge.contact)
        .join(Complaint, on=(ContactMerge.complaint == Complaint.id))
        .where(Complaint.contact.in_(named | unlisted))
    )
    return named | unlisted | merged


def hidden_complaints(user_id: int | None) -> Any:
    """A query for the ids of the complaints whose cases are hidden from this person (see ``hidden_contacts``)."""
    return Complaint.select(Complaint.id).where(Complaint.contact.in_(hidden_contacts(user_id)))


def hidden_complaint_keys(user_id: int | None) -> Any:
    """The same complaints' ids as text, as the audit trail keeps its entity ids."""
    return Complaint.select(Cast(Complaint.id, "TEXT")).where(Complaint.contact.in_(hidden_contacts(user_id)))


def hidden_contact_keys(user_id: int | None) -> Any:
    """The hidden contacts' ids as text, as the audit trail keeps its entity ids."""
    return Contact.select(Cast(Contact.id, "TEXT")).where(Contact.id.in_(hidden_contacts(user_id)))


def may_see_contact(actor: Actor, contact: Contact) -> bool:
    """Whether staff may see this case: not named in it, and on its list when it is need-to-know.

    The system (sweeps, deliveries) sees every case; residents and advocates are decided elsewhere
    (``policies.can_view_case``) and are never affected here.
    """
    if actor.user_id is None or not actor.has_role(*STAFF_ROLE_NAMES):
        return True
    if not _sees(contact, actor.user_id):
        return False
    # A later contact merged into a complaint goes with that complaint.
    merge = ContactMerge.get_or_none(ContactMerge.contact == contact.id)
    return merge is None or _sees(Contact.get_by_id(Complaint.get_by_id(merge.complaint_id).contact_id), actor.user_id)  # type: ignore[attr-defined]


def _sees(contact: Contact, user_id: int) -> bool:
    if named_in(contact.id, user_id):
        return False
    return contact.restricted_kind is None or on_access_list(contact.id, user_id)


def may_see_complaint(actor: Actor, complaint: Complaint) -> bool:
    return may_see_contact(actor, Contact.get_by_id(complaint.contact_id))  # type: ignore[attr-defined]


def visible_complaint(actor: Actor, complaint_id: int) -> Complaint:
    """The complaint, if the actor may see it; raise NotFound alike when there is none and when it is hidden."""
    complaint = Complaint.get_or_none(Complaint.id == complaint_id)
    if complaint is None or not may_see_complaint(actor, complaint):
        raise NotFound("complaint", complaint_id)
    return complaint


def visible_contact(actor: Actor, contact_id: int) -> Contact:
    """The contact, if the actor may see it; raise NotFound alike when there is none and when it is hidden."""
    contact = Contact.get_or_none(Contact.id == contact_id)
    if contact is None or not may_see_contact(actor, contact):
        raise NotFound("contact", contact_id)
    return contact


def _staff(user_id: int | None) -> User | None:
    user = User.get_or_none(User.id == user_id, User.is_active == True) if user_id else None  # noqa: E712
    return user if user is not None and user.role_names() & STAFF_ROLE_NAMES else None


def _text(problems: Problems, name: str, value: str | None, maximum: int, required: bool = False) -> str:
    cleaned = clean(value)
    if required and not cleaned:
        problems.add(name, "required")
    elif len(cleaned) > maximum:
        problems.add(name, "too_long", maximum=maximum)
    return cleaned


def _may_manage_staff_named(actor: Actor, complaint: Complaint) -> bool:
    """Managers, and the case's handler, record who a complaint names and the support they are given."""
    return actor.can_write and (
        actor.has_role(*MANAGERS) or (actor.user_id is not None and actor.user_id == complaint.handler_id)  # type: ignore[attr-defined]
    )


def name_staff(actor: Actor, complaint_id: int, person_id: int | None, part: str, details: str = "") -> ComplaintStaff:
    """Record that the complaint names a member of staff; from then on it is hidden from them.

    Raises NotFound (no such complaint, or one hidden from the actor), NotAllowed (neither a manager nor the
    handler), or Invalid with every problem at once: person (required, not_staff, is_handler, already_named),
    part (required, unsupported), details (too_long).
    """
    if not actor.has_role(*STAFF_ROLE_NAMES):
        raise NotAllowed("complaint.name_staff")
    complaint = visible_complaint(actor, complaint_id)
    if not _may_manage_staff_named(actor, complaint):
        raise NotAllowed("complaint.name_staff")
    with gather() as problems:
        person = _staff(person_id)
        if person_id is None:
            problems.add("person", "required")
        elif person is None:
            problems.add("person", "not_staff")
        elif person.id == complaint.handler_id:  # type: ignore[attr-defined]
            # The subject can't handle their own case: the case goes to someone else first.
            problems.add("person", "is_handler")
        elif (
            ComplaintStaff.select()
            .where(ComplaintStaff.complaint == complaint.id, ComplaintStaff.person == person.id)
            .exists()
        ):
            problems.add("person", "already_named")
        if not part:
            problems.add("part", "required")
        elif part not in STAFF_PARTS:
            problems.add("part", "unsupported")
        cleaned = _text(problems, "details", details, MAX_DETAILS)
    assert person is not None
    with transaction():
        row = ComplaintStaff.create(
            complaint=complaint.id, person=person.id, part=part, details=cleaned, recorded_by=actor.user_id
        )
        # Someone named can't stay on the case's access list: they never see it.
        CaseAccess.delete().where(
            CaseAccess.contact == complaint.contact_id,  # type: ignore[attr-defined]
            CaseAccess.person == person.id,
        ).execute()
        record_audit(
            actor,
            "complaint.staff_named",
            "complaint",
            complaint.id,
            {"staff_named": {"before": None, "after": {"id": row.id, "person_id": person.id, "part": part}}},
        )
    return row


def _named_row(actor: Actor, row_id: int) -> ComplaintStaff:
    row = ComplaintStaff.get_or_none(ComplaintStaff.id == row_id) if 0 < row_id < 2**63 else None
    if row is None or not actor.has_role(*STAFF_ROLE_NAMES):
        raise NotFound("complaint_staff", row_id)
    complaint = Complaint.get_by_id(row.complaint_id)  # type: ignore[attr-defined]
    if not may_see_complaint(actor, complaint):
        raise NotFound("complaint_staff", row_id)
    if not _may_manage_staff_named(actor, complaint):
        raise NotAllowed("complaint.staff_support")
    return row


def record_support(
    actor: Actor,
    row_id: int,
    told_on: dt.date | None,
    support_offered: str,
    staff_input: str,
    outcome_shared_on: dt.date | None,
) -> ComplaintStaff:
    """Record the support given to a member of staff a complaint names (PHSO: keep them informed and engaged).

    ``told_on``: when they were told of the complaint (the actor is recorded as who told them, the first time).
    Raises NotFound (no such record, or its complaint is hidden from the actor), NotAllowed (neither a manager
    nor the handler), or Invalid with every problem at once: told_on (in_future), outcome_shared_on (in_future,
    before_told), support_offered / staff_input (too_long).
    """
    row = _named_row(actor, row_id)
    now = utcnow()
    today = local_date(now)
    with gather() as problems:
        if told_on is not None and told_on > today:
            problems.add("told_on", "in_future_for_staff")
        if outcome_shared_on is not None and outcome_shared_on > today:
            problems.add("outcome_shared_on", "in_future")
        elif outcome_shared_on is not None and (told_on is None or outcome_shared_on < told_on):
            problems.add("outcome_shared_on", "before_told")
        offered = _text(problems, "support_offered", support_offered, MAX_SUPPORT)
        given = _text(problems, "staff_input", staff_input, MAX_SUPPORT)
    fields = ("told_on", "support_offered", "staff_input", "outcome_shared_on")
    before = {name: getattr(row, name) for name in fields}
    with transaction():
        if told_on is not None and row.told_on is None:
            row.told_by = actor.user_id  # type: ignore[assignment]
        row.told_on = told_on
        row.support_offered = offered
        row.staff_input = given
        row.outcome_shared_on = outcome_shared_on
        row.updated_at = now
        row.save()
        after = {name: getattr(row, name) for name in fields}
        changes = {
            name: {"before": _plain(before[name]), "after": _plain(after[name])}
            for name in fields
            if before[name] != after[name]
        }
        record_audit(actor, "complaint_staff.support_recorded", "complaint_staff", row.id, changes)
    return row


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def _managed_contact(actor: Actor, contact_id: int, action: str) -> Contact:
    """The case, for a manager who may see it; NotFound when it is hidden, NotAllowed for anyone not a manager."""
    if not actor.can_write or not actor.has_role(*MANAGERS):
        raise NotAllowed(action)
    return visible_contact(actor, contact_id)


def restrict_case(actor: Actor, contact_id: int, kind: str, reason: str) -> Contact:
    """Make a case need-to-know (safeguarding, domestic abuse), with the reason; a manager's decision.

    The manager and the case's handler are put on its access list, so that the case stays in hand. Raises
    NotAllowed (not a manager), NotFound (no such case, or hidden from the actor), Invalid with every problem at
    once: kind (required, unsupported), reason (required, too_long).
    """
    contact = _managed_contact(actor, contact_id, "contact.restrict")
    with gather() as problems:
        if not kind:
            problems.add("kind", "required")
        elif kind not in RESTRICTED_KINDS:
            problems.add("kind", "unsupported")
        cleaned = _text(problems, "reason", reason, MAX_REASON, required=True)
    before = {"restricted_kind": contact.restricted_kind, "restricted_reason": contact.restricted_reason}
    with transaction():
        contact.restricted_kind = kind
        contact.restricted_reason = cleaned
        contact.restricted_at = contact.restricted_at or utcnow()
        contact.restricted_by = actor.user_id  # type: ignore[assignment]
        contact.save()
        record_audit(
            actor,
            "contact.restricted",
            "contact",
            contact.id,
            {name: {"before": before[name], "after": getattr(contact, name)} for name in before},
        )
        complaint = Complaint.get_or_none(Complaint.contact == contact.id)
        keep = [actor.user_id, complaint.handler_id if complaint else None]  # type: ignore[attr-defined]
        for person_id in {p for p in keep if p is not None}:
            _add_to_list(actor, contact, person_id, "")
    return contact


def carry_restriction(actor: Actor, source: Contact, contact: Contact) -> None:
    """In the current transaction, make a new contact of a need-to-know case need-to-know too, with its access list.

    A complaint about a need-to-know service request is the same case: it is hidden from the same staff.
    """
    contact.restricted_kind = source.restricted_kind
    contact.restricted_reason = source.restricted_reason
    contact.restricted_at = utcnow()
    contact.restricted_by = source.restricted_by_id  # type: ignore[attr-defined]
    contact.save()
    record_audit(
        actor,
        "contact.restricted",
        "contact",
        contact.id,
        {
            "restricted_kind": {"before": None, "after": source.restricted_kind},
            "from_contact": {"before": None, "after": source.id},
        },
    )
    for row in CaseAccess.select().where(CaseAccess.contact == source.id).order_by(CaseAccess.id):
        _add_to_list(actor, contact, row.person_id, row.reason)  # type: ignore[attr-defined]


def lift_restriction(actor: Actor, contact_id: int, reason: str) -> Contact:
    """End a case's need-to-know status (its list and read log are kept). Raises as :func:`restrict_case`."""
    contact = _managed_contact(actor, contact_id, "contact.restrict")
    with gather() as problems:
        cleaned = _text(problems, "reason", reason, MAX_REASON, required=True)
        if contact.restricted_kind is None:
            problems.add("kind", "not_restricted")
    with transaction():
        before = contact.restricted_kind
        contact.restricted_kind = None
        contact.restricted_at = None
        contact.save()
        record_audit(
            actor,
            "contact.restriction_lifted",
            "contact",
            contact.id,
            {"restricted_kind": {"before": before, "after": None}, "reason": {"before": None, "after": cleaned}},
        )
    return contact


def _add_to_list(actor: Actor, contact: Contact, person_id: int, reason: str) -> CaseAccess | None:
    if on_access_list(contact.id, person_id):
        return None
    row = CaseAccess.create(contact=contact.id, person=person_id, reason=reason, granted_by=actor.user_id)
    record_audit(
        actor,
        "contact.access_granted",
        "contact",
        contact.id,
        {"access": {"before": None, "after": {"person_id": person_id, "reason": reason}}},
    )
    return row


def grant_access(actor: Actor, contact_id: int, person_id: int | None, reason: str) -> CaseAccess:
    """Put a member of staff on a need-to-know case's access list. A manager on the list does this.

    Raises NotAllowed (not a manager), NotFound (no such case, or hidden from the actor), Invalid with every
    problem at once: person (required, not_staff, named, already_listed), reason (required, too_long), kind
    (not_restricted: the case is not need-to-know).
    """
    contact = _managed_contact(actor, contact_id, "contact.access")
    with gather() as problems:
        person = _staff(person_id)
        if person_id is None:
            problems.add("person", "required")
        elif person is None:
            problems.add("person", "not_staff")
        elif named_in(contact.id, person.id):
            problems.add("person", "named")
        elif on_access_list(contact.id, person.id):
            problems.add("person", "already_listed")
        cleaned = _text(problems, "reason", reason, MAX_REASON, required=True)
        if contact.restricted_kind is None:
            problems.add("kind", "not_restricted")
    assert person is not None
    with transaction():
        row = _add_to_list(actor, contact, person.id, cleaned)
    assert row is not None
    return row


def revoke_access(actor: Actor, contact_id: int, person_id: int) -> Contact:
    """Take a member of staff off a need-to-know case's access list.

    Raises NotAllowed (not a manager), NotFound (no such case, hidden from the actor, or the person is not on
    the list), Invalid("person", "is_handler") for the case's handler (reassign the case first) or
    Invalid("person", "self") for the manager themself (someone must keep the case in hand).
    """
    contact = _managed_contact(actor, contact_id, "contact.access")
    row = CaseAccess.get_or_none(CaseAccess.contact == contact.id, CaseAccess.person == person_id)
    if row is None:
        raise NotFound("case_access", person_id)
    complaint = Complaint.get_or_none(Complaint.contact == contact.id)
    if complaint is not None and complaint.handler_id == person_id:  # type: ignore[attr-defined]
        raise Invalid("person", "is_handler")
    if person_id == actor.user_id:
        raise Invalid("person", "self")
    with transaction():
        row.delete_instance()
        record_audit(
            actor,
            "contact.access_revoked",
            "contact",
            contact.id,
            {"access": {"before": {"person_id": person_id}, "after": None}},
        )
    return contact


def check_handler(complaint: Complaint, handler_id: int) -> None:
    """Raise Invalid when the person may not handle this complaint: it names them, or it is need-to-know and
    they are not on its list (a manager puts them on it first)."""
    if (
        ComplaintStaff.select()
        .where(ComplaintStaff.complaint == complaint.id, ComplaintStaff.person == handler_id)
        .exists()
    ):
        raise Invalid("handler", "named_in_complaint")
    contact = Contact.get_by_id(complaint.contact_id)  # type: ignore[attr-defined]
    if contact.restricted_kind is not None and not on_access_list(contact.id, handler_id):
        raise Invalid("handler", "need_to_know")


def may_be_told(complaint: Complaint, people: Iterable[int]) -> list[int]:
    """Those of ``people`` the complaint is not hidden from, in the order given, for staff notices about it."""
    named = {row.person_id for row in ComplaintStaff.select().where(ComplaintStaff.complaint == complaint.id)}  # type: ignore[attr-defined]
    contact = Contact.get_by_id(complaint.contact_id)  # type: ignore[attr-defined]
    listed = None
    if contact.restricted_kind is not None:
        listed = {row.person_id for row in CaseAccess.select().where(CaseAccess.contact == contact.id)}  # type: ignore[attr-defined]
    return [p for p in people if p not in named and (listed is None or p in listed)]


def record_reads(user_id: int | None, token_id: int | None, contact_ids: Iterable[int], via: str) -> None:
    """Log that the person read these need-to-know cases (callers pass only restricted ones)."""
    rows = [
        {"contact": contact_id, "person": user_id, "token_id": token_id, "via": via[:100], "read_at": utcnow()}
        for contact_id in sorted(set(contact_ids))
    ]
    if rows:
        CaseRead.insert_many(rows).execute()
