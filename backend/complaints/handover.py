"""A leaver's work handed over in one step: their open complaints, outstanding actions, remedies they own and the
people they manage go to one successor, and their account is closed at once (sessions ended, tokens revoked).

Everything happens in one transaction, each change audited, or nothing happens: a successor who may not take one
of the complaints (they handled an earlier stage of it, Code 6.13) is refused before anything moves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backend.accounts import staff
from backend.accounts.models import User
from backend.audit.services import record_audit
from backend.complaints import journey, restricted
from backend.complaints.models import (
    ACTIVE_STATUSES,
    Complaint,
    ComplaintStage,
    OutstandingAction,
    Remedy,
    RoleDesignation,
)
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, gather
from backend.events.services import record_event
from backend.timeutil import local_date, utcnow


@dataclass(frozen=True)
class Work:
    """What someone still holds: their active complaints, open actions and remedies, and the people they manage."""

    complaints: list[Complaint]
    actions: list[OutstandingAction]
    remedies: list[Remedy]
    reports: list[User]

    @property
    def empty(self) -> bool:
        return not (self.complaints or self.actions or self.remedies or self.reports)


def work_held_by(user_id: int) -> Work:
    """What a member of staff still holds, that someone must take over if they leave."""
    complaints = list(
        Complaint.select()
        .where(Complaint.handler == user_id, Complaint.status.in_(ACTIVE_STATUSES))
        .order_by(Complaint.id)
    )
    actions = list(
        OutstandingAction.select()
        .where(OutstandingAction.owner == user_id, OutstandingAction.completed_at.is_null())
        .order_by(OutstandingAction.id)
    )
    remedies = list(Remedy.select().where(Remedy.owner == user_id, Remedy.completed_at.is_null()).order_by(Remedy.id))
    reports = list(
        User.select().where(User.manager == user_id, User.is_active == True).order_by(User.id)  # noqa: E712
    )
    return Work(complaints, actions, remedies, reports)


def hand_over_and_close(actor: Actor, leaver_id: int, successor_id: int | None) -> Work:
    """Hand a leaver's work to ``successor_id`` and close their account, in one transaction; return what moved.

    A successor is needed only when there is work to hand over. Raises NotAllowed (admins only),
    NotFound("user"), Conflict("cannot_deactivate_self"), or Invalid listing every problem with the
    successor: ``required``, ``not_staff`` (no active staff, or the leaver), and ``handled_earlier_stage``
    for each complaint they may not take. Nothing changes when it is refused.
    """
    leaver = staff.check_leaver(actor, leaver_id)
    work = work_held_by(leaver.id)
    successor = staff.active_staff(successor_id) if successor_id is not None else None
    with gather() as problems:
        if successor_id is None:
            if not work.empty:
                problems.add("successor", "required")
        elif successor is None or successor.id == leaver.id:
            problems.add("successor", "not_staff")
        else:
            for complaint in work.complaints:
                if successor.id in journey.earlier_handlers(complaint):
                    problems.add("successor", "handled_earlier_stage", reference=complaint.reference)
                try:  # a complaint that names them, or a need-to-know case they are not on the list of
                    restricted.check_handler(complaint, successor.id)
                except Invalid as refused:
                    problems.add("successor", refused.code, reference=complaint.reference)
    with transaction():
        if successor is not None:
            _hand_over(actor, work, leaver, successor)
        handed = {
            "handed_over_to": {"before": None, "after": successor.id if successor else None},
            "complaints_handed_over": {"before": None, "after": [c.id for c in work.complaints]},
            "actions_handed_over": {"before": None, "after": [a.id for a in work.actions]},
        }
        staff.close_account(actor, leaver, handed)
        _end_designations(actor, leaver)
    return work


def _end_designations(actor: Actor, leaver: User) -> None:
    """A leaver holds no named complaints role from today: notices go to whoever else holds it, or to managers."""
    today = local_date()
    for held in RoleDesignation.select().where(
        RoleDesignation.person == leaver.id, (RoleDesignation.ends_on.is_null()) | (RoleDesignation.ends_on > today)
    ):
        before = held.ends_on
        held.ends_on = max(today - dt.timedelta(days=1), held.starts_on)  # the last day they held it: yesterday
        held.updated_at = utcnow()
        held.save()
        record_audit(
            actor,
            "role_designation.ended",
            "role_designation",
            held.id,
            {"ends_on": {"before": before, "after": held.ends_on}},
        )


def _hand_over(actor: Actor, work: Work, leaver: User, successor: User) -> None:
    for complaint in work.complaints:
        before = journey.snapshot(complaint)
        # Only if the leaver still holds it: someone reassigning it at this moment wins, and it is left alone.
        moved = (
            Complaint.update(handler=successor.id, team=successor.team, updated_at=utcnow())
            .where(Complaint.id == complaint.id, Complaint.handler == leaver.id)
            .execute()
        )
        if not moved:
            raise Conflict("changed")
        ComplaintStage.update(handler=successor.id).where(
            ComplaintStage.complaint == complaint.id, ComplaintStage.number == complaint.stage
        ).execute()
        fresh = journey.get_complaint(complaint.id)
        journey.save_change(actor, fresh, "complaint.handed_over", before)
        record_event("complaint.assigned", journey.staff_payload(fresh, successor.id))
    for item, kind in [(action, "outstanding_action") for action in work.actions] + [
        (remedy, "remedy") for remedy in work.remedies
    ]:
        item.owner = successor.id  # type: ignore[union-attr,assignment]
        item.updated_at = utcnow()
        item.save()
        record_audit(
            actor, f"{kind}.handed_over", kind, item.id, {"owner_id": {"before": leaver.id, "after": successor.id}}
        )
    for report in work.reports:
        report.manager = successor.id  # type: ignore[assignment]
        report.updated_at = utcnow()
        report.save()
        record_audit(
            actor,
            "account.team_changed",
            "user",
            report.id,
            {"manager_id": {"before": leaver.id, "after": successor.id}},
        )
