"""Equality monitoring answers: a resident records, changes or withdraws their own; staff record them on a contact.

The answers are special category data (UK GDPR article 9), kept only with the person's explicit consent and only to
check that the complaints service treats everyone fairly. So:

- a resident reads and changes only their own answers, and withdrawing consent deletes them;
- staff record answers on a contact only with the resident's consent, saying who gave it, when and how; what they
  record replaces the answers before, and no member of staff reads a person's answers back, only whether some are
  recorded (:func:`contact_status`);
- the audit trail says which answers changed, never what they are (:func:`_answer_changes`).

Answers given on a contact from an account holder are theirs, the same ones they see at /account; for someone
without an account they belong to the contact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from backend.audit.services import REDACTED, record_audit
from backend.complaints import restricted
from backend.complaints.models import Contact
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, NotAllowed, gather
from backend.reports.models import CHARACTERISTICS, ConsentGiver, EqualityProfile
from backend.timeutil import local_date, utcnow

#: The consent fields the audit trail may show: they say how consent was given, nothing about the person.
CONSENT_FIELDS = ("consent_given_by", "consent_method", "consent_given_on")
#: How staff may say consent was given; "portal" is the resident's own tick box at /account.
STAFF_CONSENT_METHODS = ("written", "verbal", "email")
RESIDENT_ROLE = "resident"


@dataclass(frozen=True)
class RecordStatus:
    """What staff may know about a contact's equality monitoring: whether answers are recorded, and the consent."""

    recorded: bool
    consent_given_by: str | None = None
    consent_method: str | None = None
    consent_given_on: dt.date | None = None
    recorded_at: dt.datetime | None = None


def own_profile(actor: Actor) -> EqualityProfile | None:
    """The signed-in resident's own answers; None when they have none, and for anyone but a resident."""
    if actor.user_id is None or not actor.has_role(RESIDENT_ROLE):
        return None
    return EqualityProfile.get_or_none(EqualityProfile.user == actor.user_id)


def save_own_profile(actor: Actor, answers: Mapping[str, str | None], consent: bool) -> EqualityProfile:
    """Record the resident's own answers with their consent given on the portal, replacing any before; return them.

    Raises NotAllowed("equality.save") for anyone but a resident signed in with write access, and Invalid listing
    every problem: ``consent`` not given (``required``), an answer not in its vocabulary (``answer``,
    ``unsupported``, at ``("answers", name)``), or no answer at all (``answers``, ``required``: withdraw instead).
    """
    _check_resident(actor)
    with gather() as problems:
        if not consent:
            problems.add("consent", "required")
        cleaned = _answers(problems, answers)
    consent_values = {
        "consent_given_by": ConsentGiver.RESIDENT.value,
        "consent_method": "portal",
        "consent_given_on": local_date(),
    }
    # Never 0: _check_resident refused anyone not signed in.
    return _save(actor, {"user": actor.user_id or 0}, cleaned, consent_values)


def withdraw_own_consent(actor: Actor) -> bool:
    """Delete the resident's own answers, as withdrawing consent does; return whether there were any.

    Raises NotAllowed("equality.save") for anyone but a resident signed in with write access.
    """
    _check_resident(actor)
    return _delete(actor, EqualityProfile.get_or_none(EqualityProfile.user == actor.user_id))


def record_for_contact(
    actor: Actor,
    contact_id: int,
    answers: Mapping[str, str | None],
    consent_given_by: str,
    consent_method: str,
    consent_given_on: dt.date | None,
) -> RecordStatus:
    """Record the answers of a contact's resident, with their consent, replacing any before; return the status.

    The answers go to the resident's account when the contact has one, else to the contact. Raises
    NotAllowed("equality.record") for anyone but staff with write access, NotFound("contact") for a contact that
    is not there or hidden from the actor, Conflict("anonymous_contact") for an anonymous one, and Invalid listing
    every problem: who consented and how (``unsupported``), the day (``required``, ``in_future``), an answer not in
    its vocabulary, or no answer at all.
    """
    if not (actor.can_write and actor.is_staff):
        raise NotAllowed("equality.record")
    contact = _someones_contact(actor, contact_id)
    with gather() as problems:
        if consent_given_by not in ConsentGiver.codes():
            problems.add("consent_given_by", "unsupported")
        if consent_method not in STAFF_CONSENT_METHODS:
            problems.add("consent_method", "unsupported")
        if consent_given_on is None:
            problems.add("consent_given_on", "required")
        elif consent_given_on > local_date():
            problems.add("consent_given_on", "in_future")
        cleaned = _answers(problems, answers)
    consent_values = {
        "consent_given_by": consent_given_by,
        "consent_method": consent_method,
        "consent_given_on": consent_given_on,
    }
    _save(actor, _owner_of(contact), cleaned, consent_values)
    return contact_status(actor, contact_id)


def remove_for_contact(actor: Actor, contact_id: int) -> bool:
    """Delete the answers of a contact's resident (they withdrew consent); return whether there were any.

    Raises NotAllowed("equality.record"), NotFound("contact") and Conflict("anonymous_contact") as
    :func:`record_for_contact` does.
    """
    if not (actor.can_write and actor.is_staff):
        raise NotAllowed("equality.record")
    contact = _someones_contact(actor, contact_id)
    return _delete(actor, _profile_of(_owner_of(contact)))


def contact_status(actor: Actor, contact_id: int) -> RecordStatus:
    """Whether answers are recorded for a contact's resident, and how consent was given: never the answers.

    Raises NotAllowed("equality.status") for anyone but staff, and NotFound("contact") for a contact that is not
    there or is hidden from the actor. An anonymous contact has nothing recorded.
    """
    if not actor.is_staff:
        raise NotAllowed("equality.status")
    contact = restricted.visible_contact(actor, contact_id)
    if contact.anonymous:
        return RecordStatus(recorded=False)
    profile = _profile_of(_owner_of(contact))
    if profile is None:
        return RecordStatus(recorded=False)
    return RecordStatus(
        recorded=True,
        consent_given_by=profile.consent_given_by,
        consent_method=profile.consent_method,
        consent_given_on=profile.consent_given_on,
        recorded_at=profile.recorded_at,
    )


# --- Helpers ---------------------------------------------------------------------------------------------------


def _check_resident(actor: Actor) -> None:
    if actor.user_id is None or not actor.has_role(RESIDENT_ROLE) or not actor.can_write:
        raise NotAllowed("equality.save")


def _someones_contact(actor: Actor, contact_id: int) -> Contact:
    contact = restricted.visible_contact(actor, contact_id)
    if contact.anonymous:
        raise Conflict("anonymous_contact")
    return contact


def _owner_of(contact: Contact) -> dict[str, int]:
    """Whose answers a contact's are: its resident's account, or for someone without one the contact itself."""
    resident_id = contact.resident_id  # type: ignore[attr-defined]
    return {"user": resident_id} if resident_id is not None else {"contact": contact.id}


def _profile_of(owner: Mapping[str, int]) -> EqualityProfile | None:
    if "user" in owner:
        return EqualityProfile.get_or_none(EqualityProfile.user == owner["user"])
    return EqualityProfile.get_or_none(EqualityProfile.contact == owner["contact"])


def _answers(problems: Any, answers: Mapping[str, str | None]) -> dict[str, str | None]:
    """Each characteristic's answer as a code, or None when not answered; records problems as it goes."""
    cleaned: dict[str, str | None] = {}
    for name in answers:
        if name not in CHARACTERISTICS:
            problems.add("answer", "unsupported", at=("answers", name))
    for name, vocabulary in CHARACTERISTICS.items():
        value = (answers.get(name) or "").strip() or None
        if value is not None and value not in vocabulary.codes():
            problems.add("answer", "unsupported", at=("answers", name))
        cleaned[name] = value
    if not any(cleaned.values()):
        problems.add("answers", "required")
    return cleaned


def _save(
    actor: Actor, owner: Mapping[str, int], answers: Mapping[str, str | None], consent: Mapping[str, Any]
) -> EqualityProfile:
    values = {**answers, **consent, "recorded_by": actor.user_id, "recorded_at": utcnow()}
    with transaction():
        profile = _profile_of(owner)
        before = _plain(profile) if profile is not None else None
        if profile is None:
            profile = EqualityProfile.create(**owner, **values)
            action = "equality_profile.recorded"
        else:
            EqualityProfile.update(**values).where(EqualityProfile.id == profile.id).execute()
            profile = EqualityProfile.get_by_id(profile.id)
            action = "equality_profile.changed"
        record_audit(actor, action, "equality_profile", profile.id, _answer_changes(before, _plain(profile)))
    return profile


def _delete(actor: Actor, profile: EqualityProfile | None) -> bool:
    if profile is None:
        return False
    with transaction():
        deleted = EqualityProfile.delete().where(EqualityProfile.id == profile.id).execute()
        if deleted:
            record_audit(
                actor,
                "equality_profile.withdrawn",
                "equality_profile",
                profile.id,
                _answer_changes(_plain(profile), None),
            )
    return bool(deleted)


def _plain(profile: EqualityProfile) -> dict[str, Any]:
    return {name: getattr(profile, name) for name in (*CHARACTERISTICS, *CONSENT_FIELDS)}


def _answer_changes(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """What changed, for the audit trail: the consent as it is, each answer only as changed, never its value."""
    before, after = before or {}, after or {}
    changes: dict[str, dict[str, Any]] = {}
    for name in (*CHARACTERISTICS, *CONSENT_FIELDS):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if name in CHARACTERISTICS:
            changes[name] = {
                "before": REDACTED if old is not None else None,
                "after": REDACTED if new is not None else None,
            }
        else:
            changes[name] = {
                "before": str(old) if old is not None else None,
                "after": str(new) if new is not None else None,
            }
    return changes
