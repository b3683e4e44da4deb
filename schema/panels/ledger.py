"""The involvement ledger in the API: a member sees only their own entries and totals; staff see everyone's.

Staff record meetings attended, completed reviews, other time and expenses; managers approve rewards (never one they
recorded); a member opts out of rewards. Members never see which member of staff recorded or approved an entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from backend.accounts.models import User
from backend.context import STAFF_ROLES
from backend.errors import Invalid
from backend.panels import ledger
from backend.panels.models import InvolvementEntry, LedgerKind, Panel, PanelMembership
from backend.timeutil import local_date
from schema.access import MANAGER_ROLES, STAFF_ACCESS, each
from schema.context import Context
from schema.engine.access import DERIVED_VARIABLES, only_for
from schema.engine.declare import Access, Column, Computed, Resource, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id

mutations = Mutations()
STAFF = frozenset(STAFF_ROLES)
MEMBER_AND_STAFF = frozenset({"panel_member", *STAFF_ROLES})


def own_entry_ids(user_id: int | None) -> Any:
    """A query for the ids of the person's own ledger entries, from every membership they have had."""
    mine = PanelMembership.select(PanelMembership.id).where(PanelMembership.person == (user_id or 0))
    return InvolvementEntry.select(InvolvementEntry.id).where(InvolvementEntry.membership.in_(mine))


DERIVED_VARIABLES["panelLedgerIds"] = own_entry_ids


def _member_name(alias: Any) -> Any:
    return (
        User.select(User.display_name)
        .join(PanelMembership, on=PanelMembership.person == User.id)
        .where(PanelMembership.id == alias.membership_id)
    )


def _panel_name(alias: Any) -> Any:
    return (
        Panel.select(Panel.name)
        .join(PanelMembership, on=PanelMembership.panel == Panel.id)
        .where(PanelMembership.id == alias.membership_id)
    )


def _panel_id(alias: Any) -> Any:
    return PanelMembership.select(PanelMembership.panel).where(PanelMembership.id == alias.membership_id)


MEMBER_FIELDS = (
    "kind",
    "occurredOn",
    "minutesGiven",
    "amountPence",
    "note",
    "membership",
    "panel",
    "panelName",
    "memberName",
    "review",
    "meeting",
    "recordedAt",
    "approvedAt",
    "thankedAt",
    "updatedAt",
)

INVOLVEMENT_ENTRY = Resource(
    name="InvolvementEntry",
    plural="involvementEntries",
    model=InvolvementEntry,
    description="One entry in a panel member's involvement ledger: a meeting attended, a review completed, other "
    "time, a letter or leaflet reviewed, an expense repaid or a reward for taking part. Expenses and rewards are "
    "kept apart; a reward is paid once a manager approves it. Vouchers can affect benefits such as Universal "
    "Credit. A member sees only their own entries.",
    members=[
        Column("kind", "What it records."),
        Column("occurred_on", "The UK day it happened."),
        Column("minutes_given", "Time given, in minutes."),
        Column("amount_pence", "For an expense or a reward: the money, in pence. 0 otherwise."),
        Column("note", "What it was, e.g. what an expense was for, the review's topic or the reward rule."),
        Column("membership", "The membership it belongs to.", kind="id"),
        Computed("panel", "The panel.", kind="id", sql=_panel_id),
        Computed("panel_name", "The panel's name.", kind="string", sql=_panel_name),
        Computed("member_name", "The member's display name.", kind="string", sql=_member_name),
        Column("review", "The review it is about; null for other time and expenses.", kind="id"),
        Column("meeting", "The meeting attended; null otherwise.", kind="id"),
        ToOne("recorded_by", "Who recorded it (staff only).", only_for=STAFF),
        Column("recorded_at", "When it was recorded."),
        ToOne("approved_by", "The manager who approved a reward (staff only).", only_for=STAFF),
        Column("approved_at", "When a reward was approved. Null: waiting for approval, or not a reward."),
        Column("thanked_at", "When the member was sent a thank-you. Null: not sent."),
        Column("updated_at"),
    ],
    access={
        **STAFF_ACCESS,
        **each({"panel_member"}, Access(MEMBER_FIELDS, where={"id": {"in": "$viewer.panelLedgerIds"}})),
    },
    default_order=("-occurred_on", "-id"),
)

RESOURCES = [INVOLVEMENT_ENTRY]


@strawberry.type(description="One member's involvement in a period, as the annual involvement report counts it.")
class InvolvementTotals:
    membership: strawberry.ID = strawberry.field(description="The membership.")
    panel: strawberry.ID = strawberry.field(description="The panel.")
    panel_name: str = strawberry.field(description="The panel's name.")
    member_name: str = strawberry.field(description="The member's display name.")
    rewards_opt_out: bool = strawberry.field(description="Whether the member asked not to receive rewards.")
    meetings: int = strawberry.field(description="Meetings attended.")
    reviews: int = strawberry.field(description="Reviews completed.")
    minutes: int = strawberry.field(description="All the time given, in minutes: meetings, reviews and other time.")
    documents: int = strawberry.field(description="Letters and leaflets reviewed.")
    expenses_pence: int = strawberry.field(description="Expenses repaid, in pence (never counted as rewards).")
    rewards_pence: int = strawberry.field(description="Rewards approved, in pence.")
    rewards_waiting_pence: int = strawberry.field(description="Rewards waiting for a manager's approval, in pence.")


def _period(start: str | None, end: str | None) -> tuple[dt.date, dt.date]:
    """The period asked for: by default the twelve months to today. Raises Invalid for a day that is no date."""
    today = local_date()
    try:
        last = dt.date.fromisoformat(end[:10]) if end else today
    except ValueError:
        raise Invalid("end", "invalid") from None
    try:
        first = dt.date.fromisoformat(start[:10]) if start else last.replace(year=last.year - 1) + dt.timedelta(1)
    except ValueError:
        raise Invalid("start", "invalid") from None
    return first, last


def _totals(rows: list[ledger.MemberTotals]) -> list[InvolvementTotals]:
    opted = {
        row.id: row.rewards_opt_out
        for row in PanelMembership.select(PanelMembership.id, PanelMembership.rewards_opt_out).where(
            PanelMembership.id.in_([r.membership_id for r in rows])
        )
    }
    return [
        InvolvementTotals(
            membership=strawberry.ID(str(row.membership_id)),
            panel=strawberry.ID(str(row.panel_id)),
            panel_name=row.panel,
            member_name=row.member,
            rewards_opt_out=opted.get(row.membership_id, False),
            meetings=row.meetings,
            reviews=row.reviews,
            minutes=row.minutes,
            documents=row.documents,
            expenses_pence=row.expenses_pence,
            rewards_pence=row.rewards_pence,
            rewards_waiting_pence=row.rewards_waiting_pence,
        )
        for row in rows
    ]


DATE_ARG = "A UK day, YYYY-MM-DD."


@only_for(STAFF)
@strawberry.type
class LedgerStaffQuery:
    @strawberry.field(
        description="Each member's involvement totals in a period (by default the twelve months to today), by panel "
        "and member: for the annual involvement report. Staff only. An empty list when the period ends before it "
        "starts or a day is no date."
    )
    def involvement_totals(
        self,
        info: Info[Context, None],
        panel: Annotated[strawberry.ID | None, strawberry.argument(description="One panel only.")] = None,
        start: Annotated[str | None, strawberry.argument(description=DATE_ARG)] = None,
        end: Annotated[str | None, strawberry.argument(description=DATE_ARG)] = None,
    ) -> list[InvolvementTotals]:
        try:
            first, last = _period(start, end)
            return _totals(ledger.ledger_totals(first, last, reference_id(panel) if panel else None))
        except Invalid:
            return []


@only_for(MEMBER_AND_STAFF)
@strawberry.type
class LedgerMemberQuery:
    @strawberry.field(
        description="Your own involvement totals in a period (by default the twelve months to today), one per "
        "membership you have had. An empty list when the period ends before it starts or a day is no date."
    )
    def my_involvement_totals(
        self,
        info: Info[Context, None],
        start: Annotated[str | None, strawberry.argument(description=DATE_ARG)] = None,
        end: Annotated[str | None, strawberry.argument(description=DATE_ARG)] = None,
    ) -> list[InvolvementTotals]:
        viewer = info.context.actor.user_id
        if viewer is None:
            return []
        try:
            first, last = _period(start, end)
            return _totals(ledger.ledger_totals(first, last, person_id=viewer))
        except Invalid:
            return []


@strawberry.type(description="A held meeting or a completed review whose members' involvement is not yet recorded.")
class InvolvementToRecord:
    kind: str = strawberry.field(description="meeting or review.")
    id: strawberry.ID = strawberry.field(description="The meeting or the review.")
    reference: str = strawberry.field(description="The review's reference.")
    topic: str = strawberry.field(description="The review's topic.")
    on: dt.date = strawberry.field(description="The day the meeting was held, or the review completed.")


@only_for(STAFF)
@strawberry.type
class LedgerWaitingQuery:
    @strawberry.field(
        description="Held meetings with attendees not yet in the ledger, and published or closed reviews whose "
        "members are not yet thanked: newest first, up to 50 of each. Staff only."
    )
    def involvement_to_record(self, info: Info[Context, None]) -> list[InvolvementToRecord]:
        return [
            InvolvementToRecord(
                kind=row.kind, id=strawberry.ID(str(row.id)), reference=row.reference, topic=row.topic, on=row.on
            )
            for row in ledger.waiting_to_record()
        ]


QUERIES = [LedgerStaffQuery, LedgerMemberQuery, LedgerWaitingQuery]


@strawberry.input(description="A held meeting whose attendance goes into the members' ledgers.")
class PanelMeetingAttendanceRecordInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting, once it has started.")


@strawberry.type(description="The ledger entries written: none when everyone already had one.")
class LedgerEntriesWritten:
    entries: list[strawberry.ID] = strawberry.field(description="The entries written now, by id.")


@mutations.add("panelMeetingAttendanceRecord", roles=STAFF, payload=LedgerEntriesWritten)
def record_attendance(context: Context, data: PanelMeetingAttendanceRecordInput) -> LedgerEntriesWritten:
    """Write one ledger entry per member who attended a held meeting; running it again adds nothing."""
    written = ledger.record_meeting_attendance(context.actor, parse_id(data.meeting_id, "panel_meeting"))
    return LedgerEntriesWritten(entries=[strawberry.ID(str(entry.id)) for entry in written])


@strawberry.input(description="A published or closed review whose members are thanked and rewarded.")
class PanelReviewCompletionRecordInput:
    review_id: strawberry.ID = strawberry.field(description="The review, published or closed.")


@mutations.add("panelReviewCompletionRecord", roles=STAFF, payload=LedgerEntriesWritten)
def record_completion(context: Context, data: PanelReviewCompletionRecordInput) -> LedgerEntriesWritten:
    """Write a "review completed" entry per member who took part, propose their rewards by the panel's rule and
    thank them; running it again adds nothing."""
    written = ledger.record_review_completed(context.actor, parse_id(data.review_id, "scrutiny_review"))
    return LedgerEntriesWritten(entries=[strawberry.ID(str(entry.id)) for entry in written])


@strawberry.input(description="Other time given, or an expense repaid, for a member's ledger.")
class InvolvementRecordInput:
    membership_id: strawberry.ID = strawberry.field(description="The membership.")
    kind: LedgerKind = strawberry.field(description="hours or expense.")  # type: ignore[valid-type]
    occurred_on: str = strawberry.field(description="The UK day, YYYY-MM-DD, not in the future.")
    minutes_given: int = strawberry.field(default=0, description="Time given, 1 to 1,440 minutes for hours.")
    amount_pence: int = strawberry.field(default=0, description="For an expense: 1 to 100,000 pence.")
    note: str = strawberry.field(default="", description="What it was for (required for an expense), up to 2,000.")


@mutations.add("involvementRecord", roles=STAFF, payload="InvolvementRecorded", resource="InvolvementEntry")
def record(context: Context, data: InvolvementRecordInput) -> Outcome:
    """Add other time given, or an expense repaid, to a member's ledger."""
    entry = ledger.record_involvement(
        context.actor,
        parse_id(data.membership_id, "panel_membership"),
        str(data.kind),
        data.occurred_on[:10],
        data.minutes_given,
        data.amount_pence,
        data.note,
    )
    return Outcome(entry.id)


@strawberry.input(description="A reward waiting for approval.")
class RewardApproveInput:
    id: strawberry.ID = strawberry.field(description="The reward's ledger entry.")


@mutations.add("rewardApprove", roles=MANAGER_ROLES, payload="RewardApproved", resource="InvolvementEntry")
def approve(context: Context, data: RewardApproveInput) -> Outcome:
    """Approve a reward someone else recorded, and thank the member in their language and by their channel."""
    return Outcome(ledger.approve_reward(context.actor, parse_id(data.id, "involvement_entry")).id)


@strawberry.input(description="Whether a member wants rewards for taking part.")
class RewardsOptOutSetInput:
    membership_id: strawberry.ID = strawberry.field(description="Your membership (or, for staff, any).")
    opt_out: bool = strawberry.field(description="True: no rewards, now or waiting for approval.")


@strawberry.type(description="The member's choice about rewards, as recorded.")
class RewardsOptOutSet:
    membership: strawberry.ID = strawberry.field(description="The membership.")
    rewards_opt_out: bool = strawberry.field(description="Whether they asked not to receive rewards.")


@mutations.add("rewardsOptOutSet", roles=MEMBER_AND_STAFF, payload=RewardsOptOutSet)
def opt_out(context: Context, data: RewardsOptOutSetInput) -> RewardsOptOutSet:
    """Opt out of rewards, or back in; someone else's membership answers as one that is not there."""
    membership = ledger.set_rewards_opt_out(
        context.actor, parse_id(data.membership_id, "panel_membership"), bool(data.opt_out)
    )
    return RewardsOptOutSet(membership=strawberry.ID(str(membership.id)), rewards_opt_out=membership.rewards_opt_out)
