"""Legal holds, which keep records from erasure, and the ledger of the records erased.

A legal hold is placed on a person (every case they made, their account and their answers) or on one case (a
contact and its complaint), with the reason, by an administrator; it holds from when it is placed until its end
date, or until it is lifted. Both erasure paths skip what a hold covers and list it.
"""

from __future__ import annotations

import datetime as dt

from peewee import AutoField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from backend.accounts.models import User
from backend.audit.services import field_changes, record_audit
from backend.changes import Changing, WrittenOnce
from backend.complaints.models import Contact
from backend.context import Actor
from backend.db import BaseModel, transaction
from backend.errors import Conflict, NotAllowed, NotFound, gather
from backend.timeutil import local_date, utcnow

MAX_REASON = 1000
ENTITY = "legal_hold"


class LegalHold(BaseModel):
    """Keeps a person's records, or one case's, from erasure: why, who placed it, from when and until when."""

    id = AutoField()
    person = ForeignKeyField(
        User, null=True, on_delete="CASCADE", backref="+", help_text="The person whose records it keeps. Null: a case."
    )
    contact = ForeignKeyField(
        Contact,
        null=True,
        on_delete="CASCADE",
        backref="+",
        help_text="The case it keeps (the contact and its complaint). Null: a person.",
    )
    reason = TextField(help_text="Why the records must be kept: the claim, the proceedings or the request.")
    placed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who placed it.")
    placed_at = DateTimeField(default=utcnow, help_text="When it was placed; it holds from then.")
    held_until = DateField(null=True, help_text="The last UK day it holds. Null: until it is lifted.")
    lifted_at = DateTimeField(null=True, help_text="When it was lifted. Null: not lifted.")
    lifted_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who lifted it.")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class ErasedRecord(BaseModel):
    """One record whose personal details were erased: its type and id, the day, and the rule. Never what it held."""

    id = AutoField()
    record_type = CharField(max_length=30, help_text="complaint, contact, survey_response, delivery and so on.")
    record_id = IntegerField(help_text="The erased record's id.")
    erased_on = DateField(help_text="The UK day it was erased.")
    rule = CharField(max_length=30, help_text="retention (its period passed) or request (the person asked).")

    class Meta:
        indexes = ((("record_type", "record_id"), True),)
        changes = WrittenOnce()


def active_holds(day: dt.date) -> list[LegalHold]:
    """Every hold that holds on ``day``, oldest first."""
    query = LegalHold.select().where(
        LegalHold.lifted_at.is_null() & (LegalHold.held_until.is_null() | (LegalHold.held_until >= day))
    )
    return list(query.order_by(LegalHold.placed_at, LegalHold.id))


def held_people(day: dt.date) -> set[int]:
    """The ids of the accounts a hold keeps on ``day``."""
    return {hold.person_id for hold in active_holds(day) if hold.person_id is not None}  # type: ignore[attr-defined]


def held_contacts(day: dt.date) -> set[int]:
    """The ids of the contacts (cases) a hold keeps on ``day``: held themselves, or made by a held person."""
    holds = active_holds(day)
    contacts = {hold.contact_id for hold in holds if hold.contact_id is not None}  # type: ignore[attr-defined]
    people = [hold.person_id for hold in holds if hold.person_id is not None]  # type: ignore[attr-defined]
    if people:
        contacts |= {row.id for row in Contact.select(Contact.id).where(Contact.resident.in_(people))}
    return contacts


def _check(actor: Actor, action: str) -> None:
    if not actor.has_role("admin"):
        raise NotAllowed(action)


def place_hold(
    actor: Actor,
    *,
    reason: str,
    person_id: int | None = None,
    contact_id: int | None = None,
    held_until: dt.date | None = None,
    today: dt.date | None = None,
) -> LegalHold:
    """Place a legal hold on a person or on a case (exactly one) and return it. Admins only.

    Raises NotAllowed for anyone else, NotFound when the person or case is not there, and Invalid for a missing
    or too long reason (``reason``: required, too_long), both or neither target (``target``: one_target), or an
    end date before today (``held_until``: in_past).
    """
    _check(actor, "legal_hold.place")
    reason = (reason or "").strip()
    day = today or local_date()
    with gather() as problems:
        if not reason:
            problems.add("reason", "required")
        elif len(reason) > MAX_REASON:
            problems.add("reason", "too_long")
        if (person_id is None) == (contact_id is None):
            problems.add("target", "one_target")
        if held_until is not None and held_until < day:
            problems.add("held_until", "in_past")
    with transaction():
        if person_id is not None and not User.select().where(User.id == person_id).exists():
            raise NotFound("person")
        if contact_id is not None and not Contact.select().where(Contact.id == contact_id).exists():
            raise NotFound("contact")
        hold = LegalHold.create(
            person=person_id, contact=contact_id, reason=reason, placed_by=actor.user_id, held_until=held_until
        )
        after = {"person": person_id, "contact": contact_id, "reason": reason, "held_until": held_until}
        record_audit(actor, "legal_hold.placed", ENTITY, hold.id, field_changes(None, after))
    return hold


def lift_hold(actor: Actor, hold_id: int) -> LegalHold:
    """Lift a hold and return it. Admins only. Raises NotAllowed, NotFound, or Conflict("lifted") when it was
    lifted already (by someone else meanwhile)."""
    _check(actor, "legal_hold.lift")
    with transaction():
        now = utcnow()
        lifted = (
            LegalHold.update(lifted_at=now, lifted_by=actor.user_id)
            .where((LegalHold.id == hold_id) & LegalHold.lifted_at.is_null())
            .execute()
        )
        hold = LegalHold.get_or_none(LegalHold.id == hold_id)
        if hold is None:
            raise NotFound("legal_hold")
        if not lifted:
            raise Conflict("lifted")
        record_audit(actor, "legal_hold.lifted", ENTITY, hold.id, {"lifted_at": {"before": None, "after": str(now)}})
    return hold
