"""Erase personal details and keep the figures: for one person on request (:func:`plan_erasure` then
:func:`erase_person`), and the record types' erasers the retention sweep (``backend.privacy.retention``) uses too.

Erasing a record replaces what identifies the person, and the words they (or staff, about them) wrote, with the
marker ``[erased on YYYY-MM-DD]``; contact details become empty; files are deleted from storage, with their rows.
Everything reports count stays as it was: the rows themselves, their dates, stages, kinds, categories, outcomes,
clocks, decisions, themes, homes and the coded answers. Accounts are kept as anonymous stubs, so that each
complaint still counts once for the same (now nameless) resident.

Never erased, on either path: what a legal hold keeps (``backend.privacy.holds``); a case still open, since the
landlord still owes the resident an answer; and a complaint the Ombudsman has and has not determined, or whose
orders are not yet complied with, since the Ombudsman expects the full record. Those are listed, not erased.

The audit trail records that an erasure happened (the rule or the request, each record type and its count), never
what was erased. Its own entries keep who did what to which record and when for good; the values they hold in
personal fields are erased with the record on request, and by the audit rule's period otherwise.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from peewee import fn

from backend.accounts.models import (
    ApiToken,
    PhoneVerification,
    RecoveryCode,
    SecondFactor,
    User,
    UserSession,
)
from backend.audit.models import AuditEvent
from backend.audit.services import record_audit
from backend.cocreation.models import ChangeComment, Vote
from backend.complaints import files
from backend.complaints.models import (
    Attachment,
    CaseMessage,
    CaseNote,
    Complaint,
    ComplaintPoint,
    ComplaintStatus,
    Contact,
    ContactMerge,
    ContactPerson,
    ContactRestriction,
    InboundMail,
    NoteFile,
    OmbudsmanOrder,
    ReasonableAdjustment,
)
from backend.context import Actor
from backend.db import after_commit, transaction
from backend.errors import Conflict
from backend.events.models import Delivery
from backend.notifications.models import CallTask, Letter, PortalMessage
from backend.privacy.case_records import (
    audited_records,
    erase_complaint_records,
    erase_contact_records,
    erase_panel_members,
    keep_empty,
    keep_null,
)
from backend.privacy.holds import ErasedRecord, held_contacts, held_people
from backend.surveys.models import SurveyAnswer, SurveyResponse
from backend.timeutil import local_date, utcnow

logger = logging.getLogger(__name__)

ENDED = (ComplaintStatus.CLOSED.value, ComplaintStatus.REFUSED.value, ComplaintStatus.WITHDRAWN.value)
CHUNK = 500
#: Field names whose values an audit entry's changes lose when the entry is erased.
PERSONAL_FIELDS = frozenset(
    {
        "email", "display_name", "name", "phone", "address", "postcode", "representative_name",
        "representative_contact", "accessibility_needs", "reasonable_adjustments", "adjustments", "description",
        "description_redacted", "body", "body_redacted", "body_public", "text", "text_redacted", "summary",
        "outcomes_sought", "outcome_sought", "mediation_note", "refusal_reasons", "withdrawal_reason", "reason",
        "kind_reason", "restricted_reason", "subject", "sender", "file_name", "held_recovery_codes",
        # Staff's account of a case, needs, restrictions and hazards, and a panel member's own record.
        "underlying_cause", "remedial_action", "reasons", "next_steps", "ombudsman_orders", "evidence",
        "extension_reason", "extension_good_reason", "escalation_reason", "escalation_backdate_reason",
        "extension_backdate_reason", "entry_reason", "signposted_to", "note", "details", "support_offered",
        "staff_input", "return_reason", "decision_reasons", "review_note", "behaviour", "equality_consideration",
        "resident_notice", "review_outcome", "findings", "closure_note", "keywords", "training_note", "conflicts",
        "interpreter_service", "requested_by",
    }
)  # fmt: skip
#: The record types, in the order they are erased and listed.
RECORD_TYPES = (
    "contact", "complaint", "survey_response", "delivery", "portal_message", "letter", "change_comment", "vote",
    "account", "audit_event", "inbound_mail",
)  # fmt: skip


def marker(day: dt.date) -> str:
    """What stands in for erased words: ``[erased on 2026-12-07]``. Stored as written, like the redaction labels."""
    return f"[erased on {day.isoformat()}]"


def _erase_needs_and_restrictions(adjustments: Any, restrictions: Any, text: str) -> None:
    """The words of reasonable adjustments (and who asked for one, which may be a name) and contact restrictions
    (``adjustments``, ``restrictions``: which); their kinds, statuses and dates stay."""
    ReasonableAdjustment.update(
        description=text,
        requested_by=keep_empty(ReasonableAdjustment.requested_by, text),
        decision_reasons=keep_empty(ReasonableAdjustment.decision_reasons, text),
        review_note=keep_empty(ReasonableAdjustment.review_note, text),
    ).where(adjustments).execute()
    ContactRestriction.update(
        behaviour=text,
        evidence=text,
        details=text,
        equality_consideration=keep_empty(ContactRestriction.equality_consideration, text),
        resident_notice=keep_empty(ContactRestriction.resident_notice, text),
        review_outcome=keep_empty(ContactRestriction.review_outcome, text),
    ).where(restrictions).execute()


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def not_erased(record_type: str) -> Any:
    return ErasedRecord.select(ErasedRecord.record_id).where(ErasedRecord.record_type == record_type)


def _ledger(record_type: str, ids: list[int], day: dt.date, rule: str) -> None:
    for chunk in _chunks(ids):
        rows = [{"record_type": record_type, "record_id": i, "erased_on": day, "rule": rule} for i in chunk]
        ErasedRecord.insert_many(rows).on_conflict_ignore().execute()


def _delete_files(keys: list[str]) -> None:
    """Delete stored files once the erasure has committed (a rolled-back erasure keeps them)."""

    def delete() -> None:
        store = files.storage()
        for key in keys:
            try:
                store.delete(key)
            except (OSError, ValueError):  # a key storage does not know: nothing to delete there
                logger.exception("could not delete an erased file from storage")

    if keys:
        after_commit(delete)


# --- Erasing each record type -------------------------------------------------------------------------------------


def _erase_contacts(ids: list[int], day: dt.date) -> None:
    """A case: the resident's words, their details, the messages, the mail it came by and its files."""
    text = marker(day)
    for chunk in _chunks(ids):
        Contact.update(
            description=text,
            description_redacted=text,
            adjustments="",
            restricted_reason="",
            kind_reason=keep_null(Contact.kind_reason, text),
            interpreter_service=keep_null(Contact.interpreter_service, text),
        ).where(Contact.id.in_(chunk)).execute()
        ContactPerson.update(
            name=text, email="", phone="", address="", postcode="", representative_name="", representative_contact=""
        ).where(ContactPerson.contact.in_(chunk)).execute()
        CaseMessage.update(body=text, body_redacted=text).where(CaseMessage.contact.in_(chunk)).execute()
        InboundMail.update(raw_message=b"", sender="", envelope_from="", subject=text, message_id="").where(
            InboundMail.contact.in_(chunk)
        ).execute()
        erase_contact_records(chunk, text)
        _erase_needs_and_restrictions(
            ReasonableAdjustment.contact.in_(chunk), ContactRestriction.contact.in_(chunk), text
        )
        attachments = Attachment.select(Attachment.id, Attachment.storage_key).where(Attachment.contact.in_(chunk))
        _delete_files([row.storage_key for row in attachments])
        Attachment.delete().where(Attachment.contact.in_(chunk)).execute()


def _erase_complaints(ids: list[int], day: dt.date) -> None:
    """A complaint's own words: its definition, points, reasons given, staff's account of it and the copies other
    records keep (``backend.privacy.case_records``), and the staff notes and their files."""
    text = marker(day)
    for chunk in _chunks(ids):
        Complaint.update(
            summary=keep_null(Complaint.summary, text),
            outcomes_sought=keep_null(Complaint.outcomes_sought, text),
            mediation_note=keep_null(Complaint.mediation_note, text),
            refusal_reasons=keep_null(Complaint.refusal_reasons, text),
            withdrawal_reason=keep_null(Complaint.withdrawal_reason, text),
            underlying_cause=keep_null(Complaint.underlying_cause, text),
            remedial_action=keep_null(Complaint.remedial_action, text),
            ombudsman_orders=keep_null(Complaint.ombudsman_orders, text),
        ).where(Complaint.id.in_(chunk)).execute()
        ComplaintPoint.update(text=text, outcome_sought="").where(ComplaintPoint.complaint.in_(chunk)).execute()
        # Staff notes are written once; the database lets their body change to the marker alone (migration 0051).
        CaseNote.update(body=text).where(
            CaseNote.complaint.in_(chunk) & ~CaseNote.body.startswith("[erased on ")
        ).execute()
        erase_complaint_records(chunk, text)
        notes = CaseNote.select(CaseNote.id).where(CaseNote.complaint.in_(chunk))
        note_files = NoteFile.select(NoteFile.id, NoteFile.storage_key).where(NoteFile.note.in_(notes))
        _delete_files([row.storage_key for row in note_files])
        NoteFile.delete().where(NoteFile.note.in_(notes)).execute()


def _erase_survey_responses(ids: list[int], day: dt.date) -> None:
    """The words of the answers, and who gave them; the ratings and choices stay for the results."""
    text = marker(day)
    for chunk in _chunks(ids):
        SurveyAnswer.update(
            text=keep_null(SurveyAnswer.text, text), text_redacted=keep_null(SurveyAnswer.text_redacted, text)
        ).where(SurveyAnswer.response.in_(chunk)).execute()
        SurveyResponse.update(user=None).where(SurveyResponse.id.in_(chunk)).execute()


def _erase_deliveries(ids: list[int], day: dt.date) -> None:
    text = marker(day)
    for chunk in _chunks(ids):
        Delivery.update(subject=text, body=text, action="").where(Delivery.id.in_(chunk)).execute()
        CallTask.update(
            name=text, phone="", subject=text, body=text, outcome_note=keep_empty(CallTask.outcome_note, text)
        ).where(CallTask.delivery.in_(chunk)).execute()


def _erase_inbound_mail(ids: list[int], day: dt.date) -> None:
    """Mail that reached no case: the message as it arrived and who sent it."""
    text = marker(day)
    for chunk in _chunks(ids):
        InboundMail.update(raw_message=b"", sender="", envelope_from="", subject=text, message_id="").where(
            InboundMail.id.in_(chunk)
        ).execute()


def _erase_portal_messages(ids: list[int], day: dt.date) -> None:
    text = marker(day)
    for chunk in _chunks(ids):
        PortalMessage.update(subject=text, body=text).where(PortalMessage.id.in_(chunk)).execute()


def _erase_letters(ids: list[int], day: dt.date) -> None:
    text = marker(day)
    for chunk in _chunks(ids):
        Letter.update(address=text, subject=text, body=text).where(Letter.id.in_(chunk)).execute()


def _erase_comments(ids: list[int], day: dt.date) -> None:
    text = marker(day)
    for chunk in _chunks(ids):
        ChangeComment.update(body=text, body_public=text, author=None).where(ChangeComment.id.in_(chunk)).execute()


def _erase_votes(ids: list[int], day: dt.date) -> None:
    """A vote keeps its dots (the round's results) and its voter, who counts once; the home it was cast from goes."""
    for chunk in _chunks(ids):
        Vote.update(home=None).where(Vote.id.in_(chunk)).execute()


def _erase_accounts(ids: list[int], day: dt.date) -> None:
    """An anonymous stub that can never sign in: no name, address, phone, needs, home, password or sessions; a panel
    member's memberships keep their dates and role but lose their notes."""
    text = marker(day)
    for user_id in ids:
        User.update(
            email=f"erased-{user_id}@erased.invalid",
            display_name=text,
            password_hash=None,
            phone=None,
            phone_verified_at=None,
            accessibility_needs="",
            reasonable_adjustments="",
            home=None,
            team=None,
            sign_in_nonce=None,
            email_verified_at=None,
            is_active=False,
            # Stamped here, not by the trigger that stamps a row left unstamped: on SQLite that trigger's second
            # UPDATE reaches the people-search index (migration 0004) before this one does, and corrupts it.
            updated_at=utcnow(),
        ).where(User.id == user_id).execute()
    for chunk in _chunks(ids):
        _erase_needs_and_restrictions(
            ReasonableAdjustment.resident.in_(chunk), ContactRestriction.resident.in_(chunk), text
        )
        erase_panel_members(chunk, text)
        for model in (UserSession, ApiToken, SecondFactor, RecoveryCode, PhoneVerification):
            model.delete().where(model.user.in_(chunk)).execute()  # type: ignore[attr-defined]


def erase_audit_values(changes: Any, day: dt.date) -> Any:
    """``changes`` with every value held under a personal field name replaced by the marker (nulls stay null)."""
    text = marker(day)

    def scrub(value: Any, personal: bool) -> Any:
        if isinstance(value, dict):
            return {key: scrub(inner, personal or key in PERSONAL_FIELDS) for key, inner in value.items()}
        if isinstance(value, list):
            return [scrub(inner, personal) for inner in value]
        return text if personal and value is not None and value != "" else value

    return scrub(changes, False)


def _erase_audit_events(ids: list[int], day: dt.date) -> None:
    for chunk in _chunks(ids):
        for event in AuditEvent.select(AuditEvent.id, AuditEvent.changes).where(AuditEvent.id.in_(chunk)):
            AuditEvent.erase_values(event.id, erase_audit_values(event.changes, day), day)


ERASERS: dict[str, Callable[[list[int], dt.date], None]] = {
    "contact": _erase_contacts,
    "complaint": _erase_complaints,
    "survey_response": _erase_survey_responses,
    "delivery": _erase_deliveries,
    "portal_message": _erase_portal_messages,
    "letter": _erase_letters,
    "change_comment": _erase_comments,
    "vote": _erase_votes,
    "account": _erase_accounts,
    "audit_event": _erase_audit_events,
    "inbound_mail": _erase_inbound_mail,
}


# --- What may not be erased ------------------------------------------------------------------------------------


def still_needed_complaints() -> Any:
    """Complaints that may not be erased: open, or with the Ombudsman (undetermined, or orders not complied with)."""
    unmet_orders = OmbudsmanOrder.select(OmbudsmanOrder.complaint).where(OmbudsmanOrder.complied_on.is_null())
    return Complaint.select(Complaint.id).where(
        Complaint.status.not_in(ENDED)
        | (Complaint.ombudsman_referred_at.is_null(False) & Complaint.ombudsman_determined_at.is_null())
        | Complaint.id.in_(unmet_orders)
    )


@dataclass
class Selection:
    """What an erasure will erase, by record type, and what it keeps and why."""

    ids: dict[str, list[int]] = field(default_factory=lambda: {t: [] for t in RECORD_TYPES})
    # (record type, id, reason): legal_hold, open or ombudsman.
    kept: list[tuple[str, int, str]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {record_type: len(ids) for record_type, ids in self.ids.items()}


def ids_of(query: Any) -> list[int]:
    return sorted({row.id for row in query})


def case_contacts(complaint_ids: list[int]) -> list[int]:
    """Every contact of these complaints: the one each was opened from, and those merged into it."""
    own = [row[0] for row in Complaint.select(Complaint.contact).where(Complaint.id.in_(complaint_ids)).tuples()]  # type: ignore[index]
    merged = [
        row[0]  # type: ignore[index]
        for row in ContactMerge.select(ContactMerge.contact).where(ContactMerge.complaint.in_(complaint_ids)).tuples()
    ]
    return sorted(set(own) | set(merged))


def apply_selection(selection: Selection, day: dt.date, rule: str) -> None:
    for record_type in RECORD_TYPES:
        ids = selection.ids[record_type]
        if ids:
            ERASERS[record_type](ids, day)
            _ledger(record_type, ids, day, rule)


# --- Erasure on request ------------------------------------------------------------------------------------------


@dataclass
class PersonPlan:
    """What erasing one person would do: the account (if any) and the selection."""

    account_id: int | None
    person_ids: list[int]  # ContactPerson rows with the address (people without an account)
    selection: Selection
    email: str = ""  # the address it was planned for, in lower case

    @property
    def found(self) -> bool:
        return self.account_id is not None or bool(self.person_ids)

    def same_as(self, other: PersonPlan) -> bool:
        """Whether ``other`` would erase and keep exactly what this plan does."""

        def shape(plan: PersonPlan) -> Any:
            ids = {t: sorted(ids) for t, ids in plan.selection.ids.items()}
            return plan.account_id, sorted(plan.person_ids), ids, sorted(plan.selection.kept)

        return shape(self) == shape(other)


def plan_erasure(email: str, today: dt.date | None = None) -> PersonPlan:
    """Work out what erasing the person with this email address would erase and keep; changes nothing.

    The person is their account with the address, and any details given with a contact under it by someone
    without an account. ``found`` is False when neither exists.
    """
    day = today or local_date()
    address = email.strip().lower()
    account = User.get_or_none(User.email == address)
    account_id = account.id if account is not None else None
    people = (
        # Compared whole, in lower case: a pattern (LIKE) would let "_" or "%" in an address match other people.
        list(
            ContactPerson.select(ContactPerson.id, ContactPerson.contact).where(
                fn.LOWER(ContactPerson.email) == address
            )
        )
        if address
        else []
    )
    person_ids = sorted(row.id for row in people)
    selection = Selection()
    contact_query = Contact.select(Contact.id).where(Contact.id.in_([row.contact_id for row in people]))  # type: ignore[attr-defined]
    if account_id is not None:
        contact_query = Contact.select(Contact.id).where(
            (Contact.resident == account_id) | Contact.id.in_([row.contact_id for row in people])  # type: ignore[attr-defined]
        )
    contacts = ids_of(contact_query)
    held_cases = held_contacts(day)
    person_held = account_id is not None and account_id in held_people(day)
    needed = {row.id for row in still_needed_complaints()}
    complaint_of = {
        row.contact_id: row.id  # type: ignore[attr-defined]
        for row in Complaint.select(Complaint.id, Complaint.contact).where(Complaint.contact.in_(contacts))
    }
    erased_contacts = set(
        ids_of(Contact.select(Contact.id).where(Contact.id.in_(contacts) & Contact.id.in_(not_erased("contact"))))
    )
    keep: list[tuple[str, int, str]] = []
    for contact in Contact.select(Contact.id, Contact.status).where(Contact.id.in_(contacts)):
        complaint_id = complaint_of.get(contact.id)
        if person_held or contact.id in held_cases:
            keep.append(("contact", contact.id, "legal_hold"))
        elif complaint_id is not None and complaint_id in needed:
            keep.append(("contact", contact.id, "ombudsman" if _with_ombudsman(complaint_id) else "open"))
        elif complaint_id is None and contact.status in ("new", "open"):
            keep.append(("contact", contact.id, "open"))
        elif contact.id not in erased_contacts:
            selection.ids["contact"].append(contact.id)
            if complaint_id is not None:
                selection.ids["complaint"].append(complaint_id)
    selection.kept = keep
    if account_id is not None and not person_held:
        _select_for_account(selection, account_id, keep_account=bool(keep))
    elif person_held:
        selection.kept.append(("account", account_id or 0, "legal_hold"))
    # The details given with a kept case stay with it, and so do the messages sent to them.
    done = set(selection.ids["contact"]) | erased_contacts
    erasable = [row.id for row in people if row.contact_id in done]  # type: ignore[attr-defined]
    if erasable:
        deliveries = Delivery.select(Delivery.id).where(Delivery.recipient_person_id.in_(erasable))
        letters = Letter.select(Letter.id).where(Letter.person.in_(erasable))
        selection.ids["delivery"] = sorted(set(selection.ids["delivery"]) | set(ids_of(deliveries)))
        selection.ids["letter"] = sorted(set(selection.ids["letter"]) | set(ids_of(letters)))
    if address:  # mail from the address that reached no case (a case's mail goes with the case)
        mail = InboundMail.select(InboundMail.id).where(
            InboundMail.contact.is_null()
            & ((InboundMail.sender == address) | (fn.LOWER(InboundMail.envelope_from) == address))
            & InboundMail.id.not_in(not_erased("inbound_mail"))
        )
        if person_held:  # a hold on the person keeps everything about them, their mail too
            selection.kept += [("inbound_mail", mail_id, "legal_hold") for mail_id in ids_of(mail)]
        else:
            selection.ids["inbound_mail"] = ids_of(mail)
    _audit_about(selection, account_id, erasable)
    return PersonPlan(account_id, person_ids, selection, address)


def _with_ombudsman(complaint_id: int) -> bool:
    """Whether a complaint kept as still needed is kept for the Ombudsman (it has ended) rather than being open."""
    complaint = Complaint.get_by_id(complaint_id)
    return complaint.status in ENDED


def _select_for_account(selection: Selection, account_id: int, keep_account: bool) -> None:
    """The account's own records; the account itself stays while any of its cases is kept."""
    ids = selection.ids
    ids["survey_response"] = ids_of(SurveyResponse.select(SurveyResponse.id).where(SurveyResponse.user == account_id))
    # A kept case keeps the messages sent about it.
    kept_cases = [record_id for record_type, record_id, _ in selection.kept if record_type == "contact"]
    ids["delivery"] = ids_of(
        Delivery.select(Delivery.id).where(
            ((Delivery.recipient_user_id == account_id) | (Delivery.copy_for_user_id == account_id))
            & (Delivery.contact_id.is_null() | Delivery.contact_id.not_in(kept_cases))
        )
    )
    ids["portal_message"] = ids_of(PortalMessage.select(PortalMessage.id).where(PortalMessage.user == account_id))
    ids["letter"] = ids_of(Letter.select(Letter.id).where(Letter.user == account_id))
    ids["change_comment"] = ids_of(ChangeComment.select(ChangeComment.id).where(ChangeComment.author == account_id))
    ids["vote"] = ids_of(Vote.select(Vote.id).where(Vote.voter == account_id))
    if keep_account:
        selection.kept.append(("account", account_id, "cases_kept"))
    elif (
        not ErasedRecord.select()
        .where((ErasedRecord.record_type == "account") & (ErasedRecord.record_id == account_id))
        .exists()
    ):
        ids["account"] = [account_id]


def _audit_about(selection: Selection, account_id: int | None, person_ids: list[int]) -> None:
    """The audit entries about the records being erased (and the account, the people's details, and the records
    around them that :func:`backend.privacy.case_records.audited_records` lists)."""
    entities: list[tuple[str, list[int]]] = [
        ("contact", selection.ids["contact"]),
        ("complaint", selection.ids["complaint"]),
        ("contact_person", person_ids if selection.ids["contact"] else []),
        ("user", selection.ids["account"]),
        ("change_comment", selection.ids["change_comment"]),
        *audited_records(selection.ids["contact"], selection.ids["complaint"], selection.ids["account"]),
    ]
    found: set[int] = set()
    for entity_type, ids in entities:
        for chunk in _chunks(ids):
            query = AuditEvent.select(AuditEvent.id).where(
                (AuditEvent.entity_type == entity_type)
                & AuditEvent.entity_id.in_([str(i) for i in chunk])
                & AuditEvent.erased_on.is_null()
            )
            found |= {row.id for row in query}
    selection.ids["audit_event"] = sorted(found)


def erase_person(actor: Actor, plan: PersonPlan, today: dt.date | None = None) -> dict[str, int]:
    """Erase what ``plan`` selected (see :func:`plan_erasure`), and audit it; returns the count per record type.

    Safe to run again: what was erased before is not selected again. Raises Conflict("erasure_plan_changed"),
    erasing nothing, when the plan worked out again now differs from ``plan`` (records changed since). The audit
    entry is about the account (or, for someone without one, the first details given with a contact) and lists
    the counts and what was kept.
    """
    day = today or local_date()
    with transaction():
        # What was shown may have changed since (a case reopened, a hold placed, new records): erase only if the
        # plan worked out again now, inside this transaction, is the same; else nothing.
        if not plan.same_as(plan_erasure(plan.email, today=day)):
            raise Conflict("erasure_plan_changed")
        apply_selection(plan.selection, day, "request")
        counts = plan.selection.counts()
        changes: dict[str, Any] = {f"{t}_count": {"before": None, "after": n} for t, n in counts.items() if n}
        changes["kept_count"] = {"before": None, "after": len(plan.selection.kept)}
        entity = ("user", plan.account_id) if plan.account_id is not None else ("contact_person", plan.person_ids[0])
        record_audit(actor, "privacy.erased_on_request", entity[0], entity[1], changes)
    return counts
