"""Hazards in residents' homes: suggest them from the resident's words, flag, escalate, time, record and close them.

A hazard has its own clocks, separate from any complaint's. The figures are those of the Hazards in Social Housing
(Prescribed Requirements) (England) Regulations 2025 (Awaab's Law, SI 2025/1042, in force 27 October 2025; see
docs/complaints.md, "Hazards"):

- an emergency hazard is investigated, and the home made safe, within 24 hours of the landlord becoming aware;
- a significant hazard is investigated within 10 working days of the landlord becoming aware; the resident gets a
  written summary within 3 working days of the investigation concluding, and the relevant safety work is done
  (the home made safe) within 5 working days of it concluding. Starting the work does not meet that clock: the
  government's guidance says "undertake relevant safety work within 5 working days of the investigation
  concluding"; the 12-week long stop is for supplementary preventative work, not tracked yet.

Flagging escalates the hazard to the senior lead (``backend.complaints.roles``) and tells the resident in writing.
A sweep (``tasks/hazards.py``) warns staff once before each clock is due and once when it is missed.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any

from backend.accounts.models import User
from backend.audit.services import field_changes, record_audit
from backend.complaints import policies, restricted, roles
from backend.complaints.clocks import managers
from backend.complaints.models import (
    Complaint,
    Contact,
    ContactPerson,
    Hazard,
    HazardClock,
    HazardDismissal,
    HazardKeyword,
    HazardKind,
    HazardSeverity,
)
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed, NotFound, gather
from backend.events.services import record_event
from backend.text import clean, is_blank
from backend.timeutil import LOCAL_ZONE, local_date, utcnow
from backend.workdays import add_working_days, working_days_between

logger = logging.getLogger(__name__)

EMERGENCY_HOURS = 24
INVESTIGATE_WORKING_DAYS = 10
SUMMARY_WORKING_DAYS = 3
START_WORK_WORKING_DAYS = 5
# Staff are warned this long before a 24-hour clock is due, and from the working day before a working-day clock's.
AT_RISK_HOURS = 6
AT_RISK_WORKING_DAYS = 1
MAX_DESCRIPTION = 2_000
MAX_FINDINGS = 10_000
MAX_NOTE = 2_000
MAX_REASON = 2_000
MAX_KEYWORDS = 20
SNAPSHOT_FIELDS = (
    "kind",
    "severity",
    "status",
    "description",
    "escalated_to_id",
    "investigation_concluded_at",
    "findings",
    "summary_sent_at",
    "work_started_at",
    "made_safe_at",
    "closed_at",
    "closure_note",
)


@dataclass(frozen=True)
class Suggestion:
    """A hazard the resident's words suggest, and the configured words that suggest it."""

    kind: str
    words: tuple[str, ...]


def snapshot(hazard: Hazard) -> dict[str, Any]:
    return {name: getattr(hazard, name) for name in SNAPSHOT_FIELDS}


def get_hazard(hazard_id: int) -> Hazard:
    """The hazard; raise ``NotFound("hazard")`` when there is none."""
    hazard = Hazard.get_or_none(Hazard.id == hazard_id)
    if hazard is None:
        raise NotFound("hazard", hazard_id)
    return hazard


def _require_staff(actor: Actor, action: str) -> None:
    if not policies.can_handle(actor):
        raise NotAllowed(action)


def _contact(actor: Actor, contact_id: int) -> Contact:
    """The contact, if the actor may see it: a case hidden from them answers like one that is not there."""
    return restricted.visible_contact(actor, contact_id)


def _visible_hazard(actor: Actor, hazard_id: int) -> Hazard:
    """The hazard, if the actor may see its case; raise ``NotFound("hazard")`` alike for none and for hidden."""
    hazard = get_hazard(hazard_id)
    if not restricted.may_see_contact(actor, Contact.get_by_id(hazard.contact_id)):  # type: ignore[attr-defined]
        raise NotFound("hazard", hazard_id)
    return hazard


# --- Suggestions from the resident's own words ------------------------------------------------------------------


# The endings a keyword may take and still be the same word: "damp" finds "dampness", "injur" finds "injury" and
# "injured", "anaf" finds "anafiadau"; but "gas" does not find the Welsh "gasglu" (to collect), nor "gasket".
ENDINGS = {
    "en": ("s", "es", "ed", "d", "ing", "y", "ies", "ness", "er", "ers", "ly"),
    "cy": ("au", "iau", "ion", "on", "u", "wyd", "odd", "us", "iad", "iadau", "ol"),
}


def _pattern(word: str, locale: str) -> re.Pattern[str]:
    endings = "|".join(re.escape(ending) for ending in ENDINGS.get(locale, ENDINGS["en"]))
    return re.compile(r"(?<!\w)" + re.escape(word.casefold()) + r"(?:" + endings + r")?(?!\w)")


def matches(text: str, words: list[tuple[str, str, str]]) -> list[Suggestion]:
    """The kinds whose words are words of ``text`` (any case), each with the words found, in kind order.

    ``words`` are (kind, word, locale). A word matches on word boundaries: the whole word, or the word with one of
    its language's common endings (``ENDINGS``), never the inside or the start of a longer word.
    """
    folded = text.casefold()
    found: dict[str, list[str]] = {}
    for kind, word, locale in words:
        if _pattern(word, locale).search(folded):
            found.setdefault(kind, []).append(word)
    return [Suggestion(kind, tuple(sorted(set(found[kind])))) for kind in HazardKind.codes() if kind in found]


def suggest_hazards(contact: Contact) -> list[Suggestion]:
    """What the contact's own words suggest, in its language and in English, less what staff already decided.

    A kind already flagged on the contact (open or closed), or dismissed, is not suggested again. Nothing is ever
    flagged from a suggestion until staff confirm it.
    """
    words = [
        (row.kind, row.word, row.locale)
        for row in HazardKeyword.select()
        .where(HazardKeyword.archived_at.is_null(), HazardKeyword.locale.in_({contact.locale, "en"}))
        .order_by(HazardKeyword.id)
    ]
    decided = {h.kind for h in Hazard.select(Hazard.kind).where(Hazard.contact == contact.id)} | {
        d.kind for d in HazardDismissal.select(HazardDismissal.kind).where(HazardDismissal.contact == contact.id)
    }
    return [s for s in matches(contact.description, words) if s.kind not in decided]


def dismiss_suggestion(actor: Actor, contact_id: int, kind: str, reason: str) -> HazardDismissal:
    """Record that a suggested hazard is not one, with the reason, so it is not suggested again.

    Raises NotAllowed, NotFound("contact"), Invalid (every problem at once) or Conflict("already_decided").
    """
    _require_staff(actor, "hazard.dismiss")
    contact = _contact(actor, contact_id)
    with gather() as problems:
        if kind not in HazardKind.codes():
            problems.add("hazard_kind", "unsupported", at=("kind",))
        cleaned = clean(reason)
        if not cleaned:
            problems.add("dismissal_reason", "required", at=("reason",))
        elif len(cleaned) > MAX_REASON:
            problems.add("reason", "too_long", maximum=MAX_REASON)
    if kind not in {s.kind for s in suggest_hazards(contact)}:
        raise Conflict("already_decided")
    with transaction():
        dismissal = HazardDismissal.create(contact=contact.id, kind=kind, reason=cleaned, dismissed_by=actor.user_id)
        record_audit(
            actor,
            "hazard.suggestion_dismissed",
            "contact",
            contact.id,
            {"hazard_dismissed": {"before": None, "after": kind}, "reason": {"before": None, "after": cleaned}},
        )
    return dismissal


# --- Clocks ----------------------------------------------------------------------------------------------------


def end_of_working_day(start: dt.datetime, days: int, nation: str) -> dt.datetime:
    """The end (UK midnight, stored as naive UTC) of the ``days``-th working day after ``start``'s UK date."""
    due_day = add_working_days(local_date(start), days, nation)
    midnight = dt.datetime.combine(due_day + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL_ZONE)
    return midnight.astimezone(dt.UTC).replace(tzinfo=None)


def _nation(hazard: Hazard) -> str:
    """The calendar the working days count on: the home's nation (Awaab's Law itself applies in England)."""
    contact = Contact.get_by_id(hazard.contact_id)  # type: ignore[attr-defined]
    return contact.nation or "england"


def _start(hazard: Hazard, kind: str, started_at: dt.datetime, due_at: dt.datetime) -> None:
    HazardClock.create(hazard=hazard.id, kind=kind, started_at=started_at, due_at=due_at)


def start_clocks(hazard: Hazard) -> None:
    """Start the clocks that run from awareness: both 24-hour ones for an emergency, the investigation's otherwise."""
    aware = hazard.aware_at
    if hazard.severity == HazardSeverity.EMERGENCY:
        due = aware + dt.timedelta(hours=EMERGENCY_HOURS)
        _start(hazard, "investigate", aware, due)
        _start(hazard, "make_safe", aware, due)
    else:
        _start(hazard, "investigate", aware, end_of_working_day(aware, INVESTIGATE_WORKING_DAYS, _nation(hazard)))


def _meet(hazard: Hazard, kind: str, moment: dt.datetime) -> None:
    clock = HazardClock.get_or_none(
        HazardClock.hazard == hazard.id, HazardClock.kind == kind, HazardClock.status == "running"
    )
    if clock is None:
        return
    clock.status = "met"
    clock.met_at = moment
    clock.breached = clock.breached or moment > clock.due_at
    clock.save()


def refresh_next_due(hazard: Hazard) -> None:
    first = (
        HazardClock.select(HazardClock.due_at)
        .where(HazardClock.hazard == hazard.id, HazardClock.status == "running")
        .order_by(HazardClock.due_at)
        .first()
    )
    hazard.next_due_at = first.due_at if first else None


# --- Flagging, escalation and the resident's letter ------------------------------------------------------------


def _check_keywords(keywords: list[str] | tuple[str, ...], problems: Any) -> list[str]:
    cleaned = [str(word).strip() for word in keywords or () if str(word).strip()]
    if len(cleaned) > MAX_KEYWORDS:
        problems.add("keywords", "too_many", maximum=MAX_KEYWORDS)
    if any(len(word) > 60 for word in cleaned):
        problems.add("keywords", "too_long", maximum=60)
    return cleaned[:MAX_KEYWORDS]


def flag_hazard(
    actor: Actor,
    contact_id: int,
    kind: str,
    severity: str,
    description: str = "",
    keywords: list[str] | tuple[str, ...] = (),
) -> Hazard:
    """Flag a hazard on a contact: start its clocks, escalate it to the senior lead and tell the resident in writing.

    Its clocks count from when the landlord became aware: when the contact was received. ``keywords`` are the
    words of a suggestion staff confirmed. Raises NotAllowed, NotFound("contact"), Invalid (every problem at
    once) or Conflict("already_flagged") when the same kind is already open on the contact.
    """
    _require_staff(actor, "hazard.flag")
    contact = _contact(actor, contact_id)
    with gather() as problems:
        if kind not in HazardKind.codes():
            problems.add("hazard_kind", "unsupported", at=("kind",))
        if severity not in HazardSeverity.codes():
            problems.add("severity", "unsupported")
        text = (description or "").strip()
        if len(text) > MAX_DESCRIPTION:
            problems.add("hazard_description", "too_long", at=("description",), maximum=MAX_DESCRIPTION)
        words = _check_keywords(keywords, problems)
    with transaction():
        # The unique index can't say "one open hazard of a kind", so the check sits inside the write transaction.
        if Hazard.select().where(Hazard.contact == contact.id, Hazard.kind == kind, Hazard.status == "open").exists():
            raise Conflict("already_flagged")
        complaint = Complaint.get_or_none(Complaint.contact == contact.id)
        lead = roles.holder("senior_lead")
        hazard = Hazard.create(
            contact=contact.id,
            complaint=complaint.id if complaint else None,
            kind=kind,
            severity=severity,
            description=text,
            keywords=words,
            aware_at=contact.received_at,
            flagged_by=actor.user_id,
            escalated_to=lead,
            escalated_at=utcnow(),
        )
        start_clocks(hazard)
        refresh_next_due(hazard)
        hazard.resident_told_at = utcnow() if _tell_resident(contact, hazard) else None
        hazard.save()
        record_audit(actor, "hazard.flagged", "hazard", hazard.id, field_changes(None, snapshot(hazard)))
        for person in [lead.id] if lead else [user.id for user in managers()]:
            record_event("hazard.escalated", _staff_payload(hazard, contact, person))
    return hazard


def _tell_resident(contact: Contact, hazard: Hazard) -> bool:
    """Queue the letter telling the resident (or the person without an account); False when nobody can be told."""
    user_id = None if contact.anonymous else contact.resident_id  # type: ignore[attr-defined]
    person_id = None
    if user_id is None and not contact.anonymous:
        person = ContactPerson.get_or_none(ContactPerson.contact == contact.id)
        person_id = person.id if person is not None else None
    if user_id is None and person_id is None:
        return False
    event = "hazard.reported_emergency" if hazard.severity == HazardSeverity.EMERGENCY else "hazard.reported"
    record_event(
        event,
        {
            "user_id": user_id,
            "person_id": person_id,
            "contact_id": contact.id,
            "hazard_id": hazard.id,
            "reference": contact.reference,
        },
    )
    return True


def _staff_payload(hazard: Hazard, contact: Contact, person_id: int, **extra: Any) -> dict[str, Any]:
    return {
        "recipient_id": person_id,
        "hazard_id": hazard.id,
        "contact_id": contact.id,
        "reference": contact.reference,
        **extra,
    }


# --- Recording what was done, and closing -----------------------------------------------------------------------


def _moment(name: str, value: dt.datetime | None, hazard: Hazard, problems: Any) -> dt.datetime | None:
    """A stored (naive UTC) moment, or None with the problem recorded: not in the future, not before awareness,
    and not recorded already."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    if getattr(hazard, name) is not None:
        problems.add(name, "already_recorded")
    elif value > utcnow():
        problems.add(name, "in_future")
    elif value < hazard.aware_at:
        problems.add(name, "before_aware")
    else:
        return value
    return None


def record_progress(
    actor: Actor,
    hazard_id: int,
    *,
    investigation_concluded_at: dt.datetime | None = None,
    findings: str | None = None,
    summary_sent_at: dt.datetime | None = None,
    work_started_at: dt.datetime | None = None,
    made_safe_at: dt.datetime | None = None,
) -> Hazard:
    """Record what was done and when; each moment is recorded once and meets its clock.

    Concluding the investigation of a significant hazard starts its summary and safety-work clocks. The findings
    are required with the conclusion; the summary and the work need the investigation concluded. Raises
    NotAllowed, NotFound("hazard"), Invalid (every problem at once) or Conflict("hazard_closed").
    """
    _require_staff(actor, "hazard.record")
    hazard = _visible_hazard(actor, hazard_id)
    if hazard.status == "closed":
        raise Conflict("hazard_closed")
    given = {
        "investigation_concluded_at": investigation_concluded_at,
        "summary_sent_at": summary_sent_at,
        "work_started_at": work_started_at,
        "made_safe_at": made_safe_at,
    }
    with gather() as problems:
        if all(value is None for value in given.values()):
            problems.add("investigation_concluded_at", "nothing_to_record")
        moments = {name: _moment(name, value, hazard, problems) for name, value in given.items()}
        text = clean(findings)
        if investigation_concluded_at is not None and not text:
            problems.add("findings", "required")
        if len(text) > MAX_FINDINGS:
            problems.add("findings", "too_long", maximum=MAX_FINDINGS)
        concluded = moments["investigation_concluded_at"] or hazard.investigation_concluded_at
        if concluded is None and investigation_concluded_at is None:
            for name in ("summary_sent_at", "work_started_at"):
                if moments[name] is not None:
                    problems.add(name, "investigation_first")
        elif concluded is not None:
            for name in ("summary_sent_at", "work_started_at"):
                moment = moments[name]
                if moment is not None and moment < concluded:
                    problems.add(name, "before_investigation")
    before = snapshot(hazard)
    with transaction():
        hazard = get_hazard(hazard_id)
        if hazard.status == "closed":
            raise Conflict("hazard_closed")
        _apply(hazard, moments, text)
        hazard.save()
        record_audit(actor, "hazard.recorded", "hazard", hazard.id, field_changes(before, snapshot(hazard)))
    return hazard


def _apply(hazard: Hazard, moments: dict[str, dt.datetime | None], findings: str) -> None:
    concluded = moments["investigation_concluded_at"]
    if concluded is not None:
        hazard.investigation_concluded_at = concluded
        hazard.findings = findings
        _meet(hazard, "investigate", concluded)
        if hazard.severity == HazardSeverity.SIGNIFICANT:
            nation = _nation(hazard)
            _start(hazard, "summary", concluded, end_of_working_day(concluded, SUMMARY_WORKING_DAYS, nation))
            _start(hazard, "start_work", concluded, end_of_working_day(concluded, START_WORK_WORKING_DAYS, nation))
    if moments["summary_sent_at"] is not None:
        hazard.summary_sent_at = moments["summary_sent_at"]
        _meet(hazard, "summary", hazard.summary_sent_at)
    if moments["work_started_at"] is not None:
        # Kept as a record only: the 5-working-day clock asks for the safety work done, not begun.
        hazard.work_started_at = moments["work_started_at"]
    if moments["made_safe_at"] is not None:
        hazard.made_safe_at = moments["made_safe_at"]
        _meet(hazard, "make_safe", hazard.made_safe_at)
        _meet(hazard, "start_work", hazard.made_safe_at)
    refresh_next_due(hazard)


def closure_missing(hazard: Hazard, note: str) -> list[str]:
    """What a hazard needs before it closes: the made-safe date, the investigation, the summary (significant
    hazards) and why it can be closed."""
    missing = []
    if hazard.investigation_concluded_at is None:
        missing.append("investigation_concluded_at")
    if hazard.severity == HazardSeverity.SIGNIFICANT and hazard.summary_sent_at is None:
        missing.append("summary_sent_at")
    if hazard.made_safe_at is None:
        missing.append("made_safe_at")
    if is_blank(note):
        missing.append("closure_note")
    return missing


def close_hazard(actor: Actor, hazard_id: int, note: str) -> Hazard:
    """Close a hazard that was made safe, stopping any clock still running (a missed one stays breached).

    Raises NotAllowed, NotFound("hazard"), Invalid("closure", "incomplete", missing=[...]) naming every missing
    part, Invalid("closure_note", "too_long") or Conflict("hazard_closed").
    """
    _require_staff(actor, "hazard.close")
    hazard = _visible_hazard(actor, hazard_id)
    if hazard.status == "closed":
        raise Conflict("hazard_closed")
    missing = closure_missing(hazard, note or "")
    if missing:
        raise Invalid("closure", "incomplete", missing=missing)
    note = clean(note)
    if len(note) > MAX_NOTE:
        raise Invalid("closure_note", "too_long", maximum=MAX_NOTE)
    before = snapshot(hazard)
    with transaction():
        now = utcnow()
        # Of two people closing at once only the first moves the row; the second changes nothing.
        moved = (
            Hazard.update(
                status="closed",
                closed_at=now,
                closed_by=actor.user_id,
                closure_note=note,
                next_due_at=None,
                updated_at=now,
            )
            .where(Hazard.id == hazard.id, Hazard.status == "open")
            .execute()
        )
        if moved != 1:
            raise Conflict("hazard_closed")
        HazardClock.update(breached=True).where(
            HazardClock.hazard == hazard.id, HazardClock.status == "running", HazardClock.due_at < now
        ).execute()
        HazardClock.update(status="stopped").where(
            HazardClock.hazard == hazard.id, HazardClock.status == "running"
        ).execute()
        hazard = get_hazard(hazard.id)
        record_audit(actor, "hazard.closed", "hazard", hazard.id, field_changes(before, snapshot(hazard)))
    return hazard


def deadline_day(clock: HazardClock) -> dt.date | None:
    """The UK day a working-day clock is due by (the end of it); None for a 24-hour clock, due at a time."""
    if clock.due_at - clock.started_at <= dt.timedelta(hours=EMERGENCY_HOURS):
        return None
    return local_date(clock.due_at - dt.timedelta(microseconds=1))


# --- The sweep ---------------------------------------------------------------------------------------------------


def is_at_risk(clock: HazardClock, now: dt.datetime, nation: str) -> bool:
    """A 24-hour clock is at risk in its last hours; a working-day clock from the working day before it is due."""
    if clock.status != "running" or now > clock.due_at:
        return False
    due_day = deadline_day(clock)
    if due_day is None:
        return clock.due_at - now <= dt.timedelta(hours=AT_RISK_HOURS)
    return working_days_between(local_date(now), due_day, nation) <= AT_RISK_WORKING_DAYS


def sweep_hazards(now: dt.datetime | None = None, limit: int = 1000) -> dict[str, int]:
    """Warn staff of hazard clocks nearly due and tell them of those missed, once each; safe to run any number of
    times. Returns how many clocks were newly flagged of each kind."""
    now = now or utcnow()
    flagged = {"at_risk": 0, "breached": 0}
    candidates = (
        HazardClock.select(HazardClock, Hazard)
        .join(Hazard)
        .where(
            HazardClock.status == "running",
            HazardClock.breach_notified_at.is_null(),
            HazardClock.due_at <= now + dt.timedelta(days=21),
        )
        .order_by(HazardClock.due_at)
        .limit(limit)
    )
    for clock in candidates:
        hazard = clock.hazard
        if now > clock.due_at:
            with transaction():
                if _stamp(clock, "breach_notified_at", breached=True):
                    _notify("hazard.clock_breached", hazard, clock)
                    flagged["breached"] += 1
        elif clock.at_risk_notified_at is None and is_at_risk(clock, now, _nation(hazard)):
            with transaction():
                if _stamp(clock, "at_risk_notified_at"):
                    _notify("hazard.clock_at_risk", hazard, clock)
                    flagged["at_risk"] += 1
    if flagged["at_risk"] or flagged["breached"]:
        logger.info("hazard sweep: %s at risk, %s breached", flagged["at_risk"], flagged["breached"])
    return flagged


def _stamp(clock: HazardClock, stamp: str, breached: bool = False) -> bool:
    """Set the notice stamp if nobody else has (two workers sweeping at once tell people only once)."""
    values: dict[Any, Any] = {getattr(HazardClock, stamp): utcnow(), HazardClock.updated_at: utcnow()}
    if breached:
        values[HazardClock.breached] = True
    moved = (
        HazardClock.update(values)
        .where(HazardClock.id == clock.id, getattr(HazardClock, stamp).is_null(), HazardClock.status == "running")
        .execute()
    )
    return moved == 1


def recipients(hazard: Hazard) -> list[int]:
    """Who hears about a hazard's clocks: the senior lead, the complaint's handler and whoever flagged it; every
    manager when none of them can be told."""
    people: list[int] = []
    lead = roles.holder("senior_lead")
    if lead is not None:
        people.append(lead.id)
    # The complaint may have been opened from the contact after the hazard was flagged.
    complaint = Complaint.get_or_none(Complaint.contact == hazard.contact_id)  # type: ignore[attr-defined]
    for user_id in (complaint.handler_id if complaint else None, hazard.flagged_by_id):  # type: ignore[attr-defined]
        if user_id is not None and user_id not in people:
            user = User.get_or_none(User.id == user_id)
            if user is not None and user.is_active:
                people.append(user_id)
    return people or [user.id for user in managers()]


def _notify(event: str, hazard: Hazard, clock: HazardClock) -> None:
    contact = Contact.get_by_id(hazard.contact_id)  # type: ignore[attr-defined]
    for person in recipients(hazard):
        record_event(
            event,
            _staff_payload(hazard, contact, person, clock=clock.kind, due_at=clock.due_at.isoformat()),
        )
