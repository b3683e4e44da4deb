"""The retention schedule: how long each kind of record keeps the person's details, from the settings.

Each :class:`Rule` names a setting (``LEARNLOOP_RETAIN_<NAME>_YEARS``) and the moment its period runs from;
:func:`sweep` erases what has passed its period (the nightly task runs it). docs/privacy.md gives the defaults and
why they were chosen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from backend.accounts.models import User
from backend.audit.models import AuditEvent
from backend.audit.services import record_audit
from backend.cocreation.models import ChangeComment, Vote
from backend.complaints.models import Complaint, Contact, ContactMerge, ContactPerson, InboundMail
from backend.config import Settings, current
from backend.context import Actor
from backend.db import transaction
from backend.events.models import Delivery
from backend.notifications.models import Letter, PortalMessage
from backend.privacy.case_records import audited_records
from backend.privacy.erasure import (
    ENDED,
    Selection,
    apply_selection,
    case_contacts,
    ids_of,
    not_erased,
    still_needed_complaints,
)
from backend.privacy.holds import held_contacts, held_people
from backend.surveys.models import SurveyResponse
from backend.timeutil import local_date, utcnow


@dataclass(frozen=True)
class Rule:
    """One line of the schedule."""

    name: str  # complaints, contacts, ...: the setting's middle word(s) and the audit's name for the rule
    attribute: str  # the Settings attribute with the years
    runs_from: str  # in words, for the audit entry and the command's output


RULES = (
    Rule("complaints", "retain_complaints_years", "after the complaint closed"),
    Rule(
        "contacts",
        "retain_contacts_years",
        "after the contact's last change, once closed (mail that reached no case: after it arrived)",
    ),
    Rule("survey_answers", "retain_survey_answers_years", "after the answers were given"),
    Rule("messages", "retain_messages_years", "after the message was written"),
    Rule("cocreation", "retain_cocreation_years", "after the comment or vote was made"),
    Rule("closed_accounts", "retain_closed_accounts_years", "after the account's last change, once closed"),
    Rule("audit", "retain_audit_years", "after the entry was written"),
)


def years_before(moment: dt.datetime, years: int) -> dt.datetime:
    """The same moment ``years`` years earlier (29 February goes to the 28th)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def cutoffs(settings: Settings, now: dt.datetime) -> dict[str, dt.datetime | None]:
    """For each rule, the moment before which its records have passed their period; None: kept for good."""
    result: dict[str, dt.datetime | None] = {}
    for rule in RULES:
        years = getattr(settings, rule.attribute)
        result[rule.name] = None if years is None else years_before(now, years)
    return result


def describe(settings: Settings, rule: Rule) -> str:
    """The rule in words, in English for the audit trail: "6 years after the complaint closed"."""
    years = getattr(settings, rule.attribute)
    return "kept for good" if years is None else f"{years} years {rule.runs_from}"


def _retention_selection(
    settings: Settings, now: dt.datetime, day: dt.date
) -> tuple[Selection, dict[str, int], dict[str, dict[str, int]]]:
    """What has passed its period, less what is held or still needed; how many a hold kept, and each rule's
    counts by record type."""
    limits = cutoffs(settings, now)
    selection = Selection()
    held_cases, held_accounts = held_contacts(day), held_people(day)
    held_counts = {rule.name: 0 for rule in RULES}
    rule_counts: dict[str, dict[str, int]] = {rule.name: {} for rule in RULES}
    if (before := limits["complaints"]) is not None:
        due = (
            Complaint.select(Complaint.id, Complaint.contact)
            .tuples()
            .where(
                Complaint.status.in_(ENDED)
                & (Complaint.closed_at < before)
                & Complaint.id.not_in(not_erased("complaint"))
                & Complaint.id.not_in(still_needed_complaints())
            )
        )
        complaints = [row for row in due if row[1] not in held_cases]  # type: ignore[index]
        held_counts["complaints"] = len(due) - len(complaints)
        selection.ids["complaint"] = sorted(row[0] for row in complaints)  # type: ignore[index]
        contacts = case_contacts(selection.ids["complaint"])
        selection.ids["contact"] = [i for i in contacts if i not in held_cases]
        rule_counts["complaints"] = {"complaint": len(complaints), "contact": len(selection.ids["contact"])}
    if (before := limits["contacts"]) is not None:
        closed = Contact.select(Contact.id).where(
            (Contact.status == "closed")
            & (Contact.updated_at < before)
            & Contact.id.not_in(Complaint.select(Complaint.contact))
            & Contact.id.not_in(ContactMerge.select(ContactMerge.contact))
            & Contact.id.not_in(not_erased("contact"))
        )
        contacts = [row.id for row in closed if row.id not in held_cases]
        held_counts["contacts"] = len(closed) - len(contacts)
        rule_counts["contacts"] = {"contact": len(contacts)}
        selection.ids["contact"] = sorted(set(selection.ids["contact"]) | set(contacts))
        _select_stray_mail(selection, before, held_accounts, held_counts, rule_counts)

    def by_person(record_type: str, rule: str, query: Any, person: Any) -> None:
        rows = list(
            query.select(query.model.id, person.alias("person_id")).where(
                query.model.id.not_in(not_erased(record_type))
            )
        )
        kept = [row.id for row in rows if row.person_id is None or row.person_id not in held_accounts]
        held_counts[rule] += len(rows) - len(kept)
        selection.ids[record_type] = sorted(kept)
        rule_counts[rule][record_type] = len(kept)

    if (before := limits["survey_answers"]) is not None:
        by_person(
            "survey_response",
            "survey_answers",
            SurveyResponse.select().where(SurveyResponse.created_at < before),
            SurveyResponse.user,
        )
    if (before := limits["messages"]) is not None:
        # A held case keeps the messages sent about it.
        deliveries = Delivery.select().where(
            (Delivery.created_at < before)
            & (Delivery.contact_id.is_null() | Delivery.contact_id.not_in(sorted(held_cases)))
        )
        by_person("delivery", "messages", deliveries, Delivery.recipient_user_id)
        by_person(
            "portal_message",
            "messages",
            PortalMessage.select().where(PortalMessage.created_at < before),
            PortalMessage.user,
        )
        by_person("letter", "messages", Letter.select().where(Letter.created_at < before), Letter.user)
    if (before := limits["cocreation"]) is not None:
        by_person(
            "change_comment",
            "cocreation",
            ChangeComment.select().where(ChangeComment.created_at < before),
            ChangeComment.author,
        )
        by_person(
            "vote", "cocreation", Vote.select().where((Vote.created_at < before) & Vote.home.is_null(False)), Vote.voter
        )
    if (before := limits["closed_accounts"]) is not None:
        # An account whose cases are still kept stays: those cases still need to know who the complainant is.
        unerased_cases = Contact.select(Contact.resident).where(
            Contact.resident.is_null(False) & Contact.id.not_in(not_erased("contact"))
        )
        by_person(
            "account",
            "closed_accounts",
            User.select().where(
                (User.is_active == False) & (User.updated_at < before) & User.id.not_in(unerased_cases)  # noqa: E712
            ),
            User.id,
        )
    if (before := limits["audit"]) is not None:
        entries = ids_of(
            AuditEvent.select(AuditEvent.id).where((AuditEvent.occurred_at < before) & AuditEvent.erased_on.is_null())
        )
        held_entries = _held_audit_entries(held_cases, held_accounts) & set(entries)
        held_counts["audit"] = len(held_entries)
        selection.ids["audit_event"] = [i for i in entries if i not in held_entries]
        rule_counts["audit"] = {"audit_event": len(selection.ids["audit_event"])}
    return selection, held_counts, rule_counts


def _select_stray_mail(
    selection: Selection,
    before: dt.datetime,
    held_accounts: set[int],
    held_counts: dict[str, int],
    rule_counts: dict[str, dict[str, int]],
) -> None:
    """Mail that reached no case (automatic, held, never read), received before ``before``, under the contacts rule:
    like a contact, it is what someone told the landlord. Mail that reached a case goes with the case. Mail from a
    held account's address stays, and counts as held."""
    rows = list(
        InboundMail.select(InboundMail.id, InboundMail.sender, InboundMail.envelope_from).where(
            InboundMail.contact.is_null()
            & (InboundMail.received_at < before)
            & InboundMail.id.not_in(not_erased("inbound_mail"))
        )
    )
    held_addresses = {row.email.lower() for row in User.select(User.email).where(User.id.in_(sorted(held_accounts)))}
    kept = [row.id for row in rows if not ({row.sender.lower(), row.envelope_from.lower()} & held_addresses)]
    held_counts["contacts"] += len(rows) - len(kept)
    selection.ids["inbound_mail"] = sorted(kept)
    rule_counts["contacts"]["inbound_mail"] = len(kept)


def _held_audit_entries(held_cases: set[int], held_accounts: set[int]) -> set[int]:
    """The audit entries about what a hold keeps: its cases' contacts, complaints and people, and its accounts, and
    about the records erasing them would reach (``backend.privacy.case_records.audited_records``)."""
    complaints = Complaint.select(Complaint.id).where(Complaint.contact.in_(sorted(held_cases)))
    people = ContactPerson.select(ContactPerson.id).where(ContactPerson.contact.in_(sorted(held_cases)))
    complaint_ids = [row.id for row in complaints] if held_cases else []
    entities: list[tuple[str, list[int]]] = [
        ("contact", sorted(held_cases)),
        ("complaint", complaint_ids),
        ("contact_person", [row.id for row in people] if held_cases else []),
        ("user", sorted(held_accounts)),
        # The records an erasure of those would reach too: hazards, remedies, orders, panel memberships.
        *audited_records(sorted(held_cases), complaint_ids, sorted(held_accounts)),
    ]
    found: set[int] = set()
    for entity_type, ids in entities:
        if ids:
            query = AuditEvent.select(AuditEvent.id).where(
                (AuditEvent.entity_type == entity_type) & AuditEvent.entity_id.in_([str(i) for i in ids])
            )
            found |= {row.id for row in query}
    if held_accounts:  # what a held person did themselves can be about them too
        found |= {
            row.id
            for row in AuditEvent.select(AuditEvent.id).where(AuditEvent.actor_user_id.in_(sorted(held_accounts)))
        }
    return found


def sweep(actor: Actor, settings: Settings | None = None, now: dt.datetime | None = None) -> dict[str, int]:
    """Erase every record past its retention period, except what is held or still needed; safe to run again.

    Returns the count erased per record type. Writes one audit entry per rule that erased something (the rule,
    each record type's count, and how many a legal hold kept), in the same transaction.
    """
    settings = settings or current()
    now = now or utcnow()
    day = local_date(now)
    with transaction():
        selection, held, by_rule = _retention_selection(settings, now, day)
        apply_selection(selection, day, "retention")
        for rule in RULES:
            erased = {t: n for t, n in by_rule[rule.name].items() if n}
            if not erased and not held[rule.name]:
                continue
            changes: dict[str, dict[str, Any]] = {f"{t}_count": {"before": None, "after": n} for t, n in erased.items()}
            changes["rule"] = {"before": None, "after": describe(settings, rule)}
            changes["held_count"] = {"before": None, "after": held[rule.name]}
            record_audit(actor, "privacy.retention_erased", "retention_rule", rule.name, changes)
    return selection.counts()
