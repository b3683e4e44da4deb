"""Each member's involvement ledger: meetings attended, reviews completed, time, documents, expenses and rewards.

Entries are written from what happened (attendance at a held meeting, a review completed, a letter or leaflet
reviewed) so that a member's record needs no re-typing, and each is written once: recording the same meeting or the
same review again adds nothing. Staff add other time and expenses by hand. Expenses are money repaid and are kept
apart from rewards, which are thanks for taking part: a reward is proposed by the panel's rule for each completed
review and paid only once a manager other than the one who recorded it approves it, and never to a member who opted
out. Vouchers can count as income for benefits such as Universal Credit, so every page that shows rewards says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peewee import JOIN, Case, fn

from backend.accounts.models import User
from backend.audit.services import field_changes, record_audit
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed, NotFound, gather
from backend.events.services import record_event
from backend.lessons.sharing import day, text
from backend.panels.access import MANAGERS, require_staff
from backend.panels.models import (
    AccuracyComment,
    DocumentProposal,
    FindingsVersion,
    InvolvementEntry,
    LedgerKind,
    LessonAnnotation,
    PackItem,
    Panel,
    PanelAttendance,
    PanelMeeting,
    PanelMembership,
    PanelQuestion,
    ReviewDocument,
    ReviewStatus,
    ScrutinyReview,
)
from backend.timeutil import local_date, utcnow

MAX_NOTE = 2_000
#: A day's time at most for one entry of other time.
MAX_MINUTES = 24 * 60
#: £1,000 at most for one expense: a bound on the input, not a policy.
MAX_EXPENSE_PENCE = 100_000
#: The kinds staff enter by hand; the others are written from what happened.
MANUAL_KINDS = (LedgerKind.HOURS, LedgerKind.EXPENSE)
COMPLETED = (ReviewStatus.PUBLISHED, ReviewStatus.CLOSED)


def membership_on(panel_id: int, person_id: int, on: dt.date) -> PanelMembership | None:
    """The person's membership of the panel on a UK day, or None when they were not a member then."""
    return (
        PanelMembership.select()
        .where(
            PanelMembership.panel == panel_id,
            PanelMembership.person == person_id,
            PanelMembership.started_on <= on,
            PanelMembership.ended_on.is_null() | (PanelMembership.ended_on >= on),
        )
        .order_by(PanelMembership.started_on.desc())
        .first()
    )


def _exists(membership_id: int, kind: str, **related: Any) -> bool:
    query = InvolvementEntry.select().where(InvolvementEntry.membership == membership_id, InvolvementEntry.kind == kind)
    for name, value in related.items():
        query = query.where(getattr(InvolvementEntry, name) == value)
    return query.exists()


def record_meeting_attendance(actor: Actor, meeting_id: int) -> list[InvolvementEntry]:
    """Write one ledger entry for each member who attended a held meeting, with the time they gave.

    Returns the entries written now: none when every attendee already has one (it is safe to run twice). A member
    with no time recorded is credited with the meeting's planned length. Raises NotAllowed (staff only), NotFound
    (no such meeting) or Conflict("meeting_not_held") for a meeting that has not started yet.
    """
    require_staff(actor, "involvement.record_meeting")
    meeting = PanelMeeting.get_or_none(PanelMeeting.id == meeting_id)
    if meeting is None:
        raise NotFound("PanelMeeting", meeting_id)
    if meeting.starts_at > utcnow():
        raise Conflict("meeting_not_held")
    review = ScrutinyReview.get_by_id(meeting.review_id)  # type: ignore[attr-defined]
    held_on = local_date(meeting.starts_at)
    written: list[InvolvementEntry] = []
    with transaction():
        attended = PanelAttendance.select().where(PanelAttendance.meeting == meeting.id, PanelAttendance.attended)
        for attendance in attended.order_by(PanelAttendance.id):
            membership = membership_on(review.panel_id, attendance.person_id, held_on)  # type: ignore[attr-defined]
            if membership is None or _exists(membership.id, LedgerKind.MEETING, meeting=meeting.id):
                continue
            written.append(
                InvolvementEntry.create(
                    membership=membership.id,
                    kind=LedgerKind.MEETING,
                    occurred_on=held_on,
                    minutes_given=attendance.minutes_given or meeting.minutes_long,
                    review=review.id,
                    meeting=meeting.id,
                    recorded_by=actor.user_id,
                )
            )
        if written:
            record_audit(
                actor,
                "involvement.meeting_recorded",
                "panel_meeting",
                meeting.id,
                {"entries": {"before": None, "after": [entry.id for entry in written]}},
            )
            record_event("panels.involvement_recorded", {"meeting_id": meeting.id, "count": len(written)})
    return written


def review_participants(review: ScrutinyReview) -> list[int]:
    """The people who took part in a review: at a meeting, in the pack, asking, drafting, signing off the findings or
    recording the panel's decision on an accuracy comment, or proposing wording."""
    meetings = PanelMeeting.select(PanelMeeting.id).where(PanelMeeting.review == review.id)
    items = PackItem.select(PackItem.id).where(PackItem.review == review.id)
    documents = ReviewDocument.select(ReviewDocument.id).where(ReviewDocument.review == review.id)
    queries: Iterable[Any] = (
        PanelAttendance.select(PanelAttendance.person).where(
            PanelAttendance.meeting.in_(meetings), PanelAttendance.attended
        ),
        LessonAnnotation.select(LessonAnnotation.author).where(LessonAnnotation.item.in_(items)),
        PanelQuestion.select(PanelQuestion.asked_by).where(PanelQuestion.review == review.id),
        FindingsVersion.select(FindingsVersion.written_by).where(FindingsVersion.review == review.id),
        FindingsVersion.select(FindingsVersion.signed_off_by).where(FindingsVersion.review == review.id),
        AccuracyComment.select(AccuracyComment.decided_by)
        .join(FindingsVersion)
        .where(FindingsVersion.review == review.id),
        DocumentProposal.select(DocumentProposal.author).where(DocumentProposal.document.in_(documents)),
    )
    people: set[int] = set()
    for query in queries:
        people.update(row[0] for row in query.tuples() if row[0] is not None)
    return sorted(people)


def record_review_completed(actor: Actor, review_id: int) -> list[InvolvementEntry]:
    """Write a "review completed" entry for each member who took part, propose each their reward, and thank them.

    A member is one who was on the panel on the day the review completed (or its last day as a member, if they
    have left since). A reward by the panel's rule (``Panel.reward_pence``) is proposed, waiting for approval, to
    each member who has not opted out. Returns the review entries written now: none when every participant already
    has one (it is safe to run twice). Raises NotAllowed (staff only), NotFound (no such review) or
    Conflict("review_not_completed") until the review is published or closed.
    """
    require_staff(actor, "involvement.record_review")
    review = ScrutinyReview.get_or_none(ScrutinyReview.id == review_id)
    if review is None:
        raise NotFound("ScrutinyReview", review_id)
    if review.status not in COMPLETED:
        raise Conflict("review_not_completed")
    panel = review.panel
    completed_on = local_date(review.published_at) if review.published_at else local_date()
    written: list[InvolvementEntry] = []
    with transaction():
        for person_id in review_participants(review):
            membership = _member_for(panel.id, person_id, completed_on)
            if membership is None or _exists(membership.id, LedgerKind.REVIEW, review=review.id):
                continue
            entry = InvolvementEntry.create(
                membership=membership.id,
                kind=LedgerKind.REVIEW,
                occurred_on=completed_on,
                review=review.id,
                note=review.topic,
                recorded_by=actor.user_id,
                thanked_at=utcnow(),
            )
            written.append(entry)
            record_event("panels.review_thanks", {"user_id": person_id, "entry_id": entry.id, "review_id": review.id})
            if panel.reward_pence and not membership.rewards_opt_out:
                if not _exists(membership.id, LedgerKind.REWARD, review=review.id):
                    InvolvementEntry.create(
                        membership=membership.id,
                        kind=LedgerKind.REWARD,
                        occurred_on=completed_on,
                        amount_pence=panel.reward_pence,
                        review=review.id,
                        note=panel.reward_rule,
                        recorded_by=actor.user_id,
                    )
        if written:
            record_audit(
                actor,
                "involvement.review_recorded",
                "scrutiny_review",
                review.id,
                {"entries": {"before": None, "after": [entry.id for entry in written]}},
            )
    return written


def _member_for(panel_id: int, person_id: int, on: dt.date) -> PanelMembership | None:
    """The membership on the day, else the person's latest membership of the panel that had started by then."""
    found = membership_on(panel_id, person_id, on)
    if found is not None:
        return found
    return (
        PanelMembership.select()
        .where(
            PanelMembership.panel == panel_id,
            PanelMembership.person == person_id,
            PanelMembership.started_on <= on,
        )
        .order_by(PanelMembership.started_on.desc())
        .first()
    )


def record_involvement(
    actor: Actor,
    membership_id: int,
    kind: str,
    occurred_on: Any,
    minutes_given: int | None = 0,
    amount_pence: int | None = 0,
    note: str = "",
) -> InvolvementEntry:
    """Add other time given, or an expense repaid, to a member's ledger.

    Staff only. Raises NotAllowed, NotFound (no such membership), or Invalid listing every problem: ``kind``
    "unsupported" (only hours and expense are entered by hand); ``occurred_on`` "required", "invalid" or
    "in_future"; ``minutes_given`` "out_of_range" (1 to 1,440, for hours; 0 to 1,440 with an expense);
    ``amount_pence`` "out_of_range" (1 to 100,000, for an expense; none with hours); ``note`` "what_for" (an
    expense without what it was for) or "too_long".
    """
    require_staff(actor, "involvement.record")
    membership = PanelMembership.get_or_none(PanelMembership.id == membership_id)
    if membership is None:
        raise NotFound("PanelMembership", membership_id)
    minutes = minutes_given or 0
    amount = amount_pence or 0
    with gather() as problems:
        if kind not in MANUAL_KINDS:
            problems.add("kind", "unsupported")
        on = day(problems, "occurred_on", occurred_on)
        if on is not None and on > local_date():
            problems.add("occurred_on", "in_future")
        written = text(problems, "note", note, MAX_NOTE)
        if kind == LedgerKind.EXPENSE and not written:
            problems.add("note", "what_for")
        low = 1 if kind == LedgerKind.HOURS else 0
        if not low <= minutes <= MAX_MINUTES:
            problems.add("minutes_given", "out_of_range", minimum=low, maximum=MAX_MINUTES)
        if kind == LedgerKind.EXPENSE and not 1 <= amount <= MAX_EXPENSE_PENCE:
            problems.add("amount_pence", "out_of_range", minimum=1, maximum=MAX_EXPENSE_PENCE)
        if kind == LedgerKind.HOURS and amount:
            problems.add("amount_pence", "out_of_range", minimum=0, maximum=0)
    with transaction():
        entry = InvolvementEntry.create(
            membership=membership.id,
            kind=kind,
            occurred_on=on,
            minutes_given=minutes,
            amount_pence=amount,
            note=written,
            recorded_by=actor.user_id,
        )
        values = {"kind": kind, "occurred_on": str(on), "minutes_given": minutes, "amount_pence": amount}
        record_audit(actor, "involvement.recorded", "involvement_entry", entry.id, field_changes(None, values))
        record_event("panels.involvement_recorded", {"entry_id": entry.id, "count": 1})
    return entry


def approve_reward(actor: Actor, entry_id: int) -> InvolvementEntry:
    """Approve a proposed reward, and thank the member for it in their language and by their channel.

    A manager (or an admin) other than the person who recorded it. Raises NotAllowed (anyone else, or
    NotAllowed(code="own_record") for the one who recorded it), NotFound (no such reward), Conflict
    ("already_approved"), or Conflict("opted_out") when the member has asked not to receive rewards.
    """
    if not actor.can_write or not actor.has_role(*MANAGERS) or actor.user_id is None:
        raise NotAllowed("reward.approve")
    entry = InvolvementEntry.get_or_none(InvolvementEntry.id == entry_id, InvolvementEntry.kind == LedgerKind.REWARD)
    if entry is None:
        raise NotFound("InvolvementEntry", entry_id)
    if entry.recorded_by_id == actor.user_id:  # type: ignore[attr-defined]
        raise NotAllowed("reward.approve", "own_record")
    membership = PanelMembership.get_by_id(entry.membership_id)  # type: ignore[attr-defined]
    if membership.rewards_opt_out:
        raise Conflict("opted_out")
    with transaction():
        now = utcnow()
        # Of two managers approving at once, only the first wins, and the member is thanked once.
        changed = (
            InvolvementEntry.update(approved_by=actor.user_id, approved_at=now, thanked_at=now, updated_at=now)
            .where(InvolvementEntry.id == entry.id, InvolvementEntry.approved_at.is_null())
            .execute()
        )
        if not changed:
            raise Conflict("already_approved")
        record_audit(
            actor,
            "reward.approved",
            "involvement_entry",
            entry.id,
            field_changes({"approved_at": None}, {"approved_at": now}),
        )
        record_event(
            "panels.reward_approved",
            {"user_id": membership.person_id, "entry_id": entry.id, "amount_pence": entry.amount_pence},  # type: ignore[attr-defined]
        )
    return InvolvementEntry.get_by_id(entry.id)


def set_rewards_opt_out(actor: Actor, membership_id: int, opt_out: bool) -> PanelMembership:
    """Record whether a member wants rewards. Rewards waiting for approval are then not approved.

    The member themselves, or staff. Raises NotAllowed (a read-only token), or NotFound when there is no such
    membership or it is someone else's (the same answer for both).
    """
    if not actor.can_write or actor.user_id is None:
        raise NotAllowed("rewards.opt_out")
    membership = PanelMembership.get_or_none(PanelMembership.id == membership_id)
    if membership is None or (not actor.is_staff and membership.person_id != actor.user_id):  # type: ignore[attr-defined]
        raise NotFound("PanelMembership", membership_id)
    if membership.rewards_opt_out == opt_out:
        return membership
    with transaction():
        PanelMembership.update(rewards_opt_out=opt_out, updated_at=utcnow()).where(
            PanelMembership.id == membership.id
        ).execute()
        record_audit(
            actor,
            "membership.rewards_opt_out",
            "panel_membership",
            membership.id,
            field_changes({"rewards_opt_out": membership.rewards_opt_out}, {"rewards_opt_out": opt_out}),
        )
        record_event("panel.rewards_opt_out", {"membership_id": membership.id, "opt_out": opt_out})
    return PanelMembership.get_by_id(membership.id)


def record_document_reviewed(actor: Actor, document: ReviewDocument) -> list[InvolvementEntry]:
    """Give each member who proposed wording for a document one "document" entry, once, in this transaction.

    Called when the landlord adopts the panel's wording. Returns the entries written: none the second time.
    """
    now = utcnow()
    # Only the first call marks the document reviewed, so entries are written once however often it is adopted.
    changed = (
        ReviewDocument.update(reviewed_at=now, updated_at=now)
        .where(ReviewDocument.id == document.id, ReviewDocument.reviewed_at.is_null())
        .execute()
    )
    if not changed:
        return []
    review = ScrutinyReview.get_by_id(document.review_id)  # type: ignore[attr-defined]
    authors: Any = (
        DocumentProposal.select(DocumentProposal.author)
        .where(DocumentProposal.document == document.id, DocumentProposal.author.is_null(False))
        .distinct()
        .tuples()
    )
    today = local_date()
    written = []
    for (person_id,) in authors:
        membership = _member_for(review.panel_id, person_id, today)  # type: ignore[attr-defined]
        if membership is None:
            continue
        written.append(
            InvolvementEntry.create(
                membership=membership.id,
                kind=LedgerKind.DOCUMENT,
                occurred_on=today,
                review=review.id,
                note=document.title,
                recorded_by=actor.user_id,
            )
        )
    return written


@dataclass(frozen=True)
class MemberTotals:
    """One member's involvement in a period, as the annual involvement report counts it."""

    membership_id: int
    panel_id: int
    panel: str
    member: str
    meetings: int
    reviews: int
    minutes: int
    documents: int
    expenses_pence: int
    rewards_pence: int
    rewards_waiting_pence: int


def ledger_totals(
    start: dt.date, end: dt.date, panel_id: int | None = None, person_id: int | None = None
) -> list[MemberTotals]:
    """Each membership's totals between two UK days (inclusive), by panel and member name; [] when there are none.

    ``minutes`` adds up all the time given (meetings, reviews, other hours); rewards count once approved, and those
    waiting for approval are given apart. Raises Invalid("period_end", "before_start") for a period ending before it
    starts.
    """
    if end < start:
        raise Invalid("period_end", "before_start", at=("end",))
    entry = InvolvementEntry

    def count(kind: str) -> Any:
        return fn.COALESCE(fn.SUM(_when(entry.kind == kind, 1)), 0)

    def money(kind: str, approved: bool | None = None) -> Any:
        condition = entry.kind == kind
        if approved is True:
            condition &= entry.approved_at.is_null(False)
        elif approved is False:
            condition &= entry.approved_at.is_null()
        return fn.COALESCE(fn.SUM(_when(condition, entry.amount_pence)), 0)

    query = (
        PanelMembership.select(
            PanelMembership.id,
            Panel.id,
            Panel.name,
            User.display_name,
            count(LedgerKind.MEETING),
            count(LedgerKind.REVIEW),
            fn.COALESCE(fn.SUM(entry.minutes_given), 0),
            count(LedgerKind.DOCUMENT),
            money(LedgerKind.EXPENSE),
            money(LedgerKind.REWARD, approved=True),
            money(LedgerKind.REWARD, approved=False),
        )
        .join(Panel, on=PanelMembership.panel == Panel.id)
        .switch(PanelMembership)
        .join(User, on=PanelMembership.person == User.id)
        .switch(PanelMembership)
        .join(
            entry,
            JOIN.LEFT_OUTER,
            on=(entry.membership == PanelMembership.id) & (entry.occurred_on >= start) & (entry.occurred_on <= end),
        )
        .group_by(PanelMembership.id, Panel.id, Panel.name, User.display_name)
        .order_by(Panel.name, User.display_name, PanelMembership.id)
    )
    if panel_id is not None:
        query = query.where(PanelMembership.panel == panel_id)
    if person_id is not None:
        query = query.where(PanelMembership.person == person_id)
    # A member counts in a period they were on the panel for, or in which they have entries.
    query = query.where(
        (PanelMembership.started_on <= end) & (PanelMembership.ended_on.is_null() | (PanelMembership.ended_on >= start))
        | entry.id.is_null(False)
    )
    rows: Any = query.tuples()
    return [MemberTotals(*_numbers(row)) for row in rows]


def _numbers(row: Any) -> list[Any]:
    """A row with its sums as whole numbers (PostgreSQL sums integers as decimals)."""
    return [v if isinstance(v, str) or v is None else int(v) for v in row]


def _when(condition: Any, value: Any) -> Any:
    return Case(None, [(condition, value)], 0)


@dataclass(frozen=True)
class ToRecord:
    """A held meeting or a completed review whose members' involvement is not yet in their ledgers."""

    kind: str  # "meeting" or "review"
    id: int
    reference: str
    topic: str
    on: dt.date


def waiting_to_record(limit: int = 50) -> list[ToRecord]:
    """Held meetings with an attendee not yet in the ledger, and completed reviews with no "review" entry yet.

    Newest first, up to ``limit`` of each; [] when everything is recorded.
    """
    ledgered = InvolvementEntry.select(InvolvementEntry.meeting).where(
        InvolvementEntry.kind == LedgerKind.MEETING, InvolvementEntry.meeting.is_null(False)
    )
    attended = PanelAttendance.select(PanelAttendance.meeting).where(PanelAttendance.attended)
    meetings = (
        PanelMeeting.select(PanelMeeting, ScrutinyReview)
        .join(ScrutinyReview)
        .where(
            PanelMeeting.starts_at <= utcnow(),
            PanelMeeting.id.in_(attended),
            PanelMeeting.id.not_in(ledgered),
        )
        .order_by(PanelMeeting.starts_at.desc())
        .limit(limit)
    )
    recorded = InvolvementEntry.select(InvolvementEntry.review).where(
        InvolvementEntry.kind == LedgerKind.REVIEW, InvolvementEntry.review.is_null(False)
    )
    reviews = (
        ScrutinyReview.select()
        .where(ScrutinyReview.status.in_(COMPLETED), ScrutinyReview.id.not_in(recorded))
        .order_by(ScrutinyReview.id.desc())
        .limit(limit)
    )
    found = [ToRecord("meeting", m.id, m.review.reference, m.review.topic, local_date(m.starts_at)) for m in meetings]
    found += [
        ToRecord("review", r.id, r.reference, r.topic, local_date(r.published_at) if r.published_at else local_date())
        for r in reviews
    ]
    return found
