"""Who hears when an improvement action is implemented (self-assessment items 12 and 16).

- Done, with its evidence: the senior managers are told, as they sign it off (every manager while nobody is
  designated a senior manager), except whoever recorded it done.
- Signed off: the residents whose complaints fed the action's lesson may be told what changed because they
  complained, in words a manager writes for them. Internal titles and notes never go to residents. Each notice is
  an outbox event naming the complaint, so the complaint's delivery log shows who was told and when; the audit
  trail records which complaints were told, never their people.
- A change marked implemented: each resident whose complaint is linked to it is told that it helped change this
  (``backend.cocreation.change_messages``), once per complaint, recorded as a ``ChangeNotice``.

:func:`complaints_told` counts both for the monthly QA and the self-assessment's item 12.
"""

from __future__ import annotations

import datetime as dt

from peewee import SQL, Select, fn

from backend.audit.services import record_audit
from backend.cocreation.models import ChangeNotice, NoticeKind
from backend.complaints import restricted, roles
from backend.complaints.clocks import managers
from backend.complaints.journey import resident_payload
from backend.complaints.models import Complaint
from backend.context import Actor
from backend.events.models import Delivery, OutboxEvent
from backend.events.services import record_event
from backend.lessons.models import ImprovementAction, Lesson, LessonSource

SENIOR_MANAGER = "senior_manager"
MAX_RESIDENT_MESSAGE = 2_000


def senior_manager_ids() -> set[int]:
    """The active managers designated senior managers today; empty when nobody is (a designated person who is not a
    manager does not count)."""
    return {user.id for user in roles.senior_managers()}


def signers(exclude: int | None = None) -> list[int]:
    """Who signs off actions: the senior managers, or every manager while nobody is designated one."""
    found = senior_manager_ids() or {user.id for user in managers()}
    return sorted(person for person in found if person != exclude)


def tell_done(action: ImprovementAction, done_by: int | None) -> None:
    """Tell the people who sign off that an action is done and waits for them (call inside the transaction)."""
    lesson = Lesson.get_by_id(action.lesson_id)  # type: ignore[attr-defined]
    for person in signers(exclude=done_by):
        record_event(
            "lessons.action_done",
            {
                "recipient_id": person,
                "action_id": action.id,
                "lesson_id": lesson.id,
                "reference": lesson.reference,
                "title": action.title[:200],
                "due_on": action.due_on.isoformat() if action.due_on else None,
            },
        )


def source_complaints(lesson_id: int) -> list[Complaint]:
    """The complaints that fed a lesson, oldest first, without duplicates."""
    return list(
        Complaint.select()
        .join(LessonSource, on=(LessonSource.complaint == Complaint.id))
        .where(LessonSource.lesson == lesson_id)
        .distinct()
        .order_by(Complaint.id)
    )


def reachable(complaint: Complaint) -> bool:
    """Whether a complaint's resident can be written to: not anonymous, and an account or details to write to."""
    payload = resident_payload(complaint)
    return payload["user_id"] is not None or payload["person_id"] is not None


def tell_complainants(actor: Actor, action: ImprovementAction, message: str) -> int:
    """Tell each reachable resident whose complaint fed the lesson what changed; returns how many were told.

    Call inside the transaction that signs the action off. One notice per complaint; anonymous complaints are
    left out, as nobody can be written to.
    """
    told: list[int] = []
    for complaint in source_complaints(action.lesson_id):  # type: ignore[attr-defined]
        if not reachable(complaint):
            continue
        record_event("lessons.improvement_made", resident_payload(complaint, change=message))
        told.append(complaint.id)
    record_audit(
        actor,
        "improvement_action.complainants_told",
        "improvement_action",
        action.id,
        {
            "lesson_id": {"before": None, "after": action.lesson_id},  # type: ignore[attr-defined]
            "complaint_ids": {"before": None, "after": told},
        },
    )
    return len(told)


def complainants_count(actor: Actor, lesson_id: int) -> int:
    """How many residents signing off an action of this lesson could tell, for the sign-off page; a complaint
    hidden from ``actor`` (need-to-know) is not counted, so the number tells them nothing of it."""
    return sum(
        1
        for complaint in source_complaints(lesson_id)
        if reachable(complaint) and restricted.may_see_complaint(actor, complaint)
    )


def complaints_told(start: dt.datetime, end: dt.datetime) -> int:
    """How many complaints' residents were told between ``start`` and ``end`` (end excluded) that the complaint led
    to an improvement: a change it is linked to implemented (a ``ChangeNotice``), or an action of its lesson signed
    off (the notice's deliveries, which name the case). A complaint told both ways, or twice, counts once. One
    statement."""
    helped = ChangeNotice.select(ChangeNotice.contact.alias("contact_id")).where(
        ChangeNotice.kind == NoticeKind.COMPLAINT_HELPED.value,
        ChangeNotice.contact.is_null(False),
        ChangeNotice.created_at >= start,
        ChangeNotice.created_at < end,
    )
    improved = (
        Delivery.select(Delivery.contact_id.alias("contact_id"))
        .join(OutboxEvent, on=(Delivery.event == OutboxEvent.id))
        .where(
            OutboxEvent.name == "lessons.improvement_made",
            OutboxEvent.created_at >= start,
            OutboxEvent.created_at < end,
            Delivery.contact_id.is_null(False),
        )
    )
    told = (helped | improved).alias("told")  # UNION: each case once
    return int(Select([told], [fn.COUNT(SQL("*"))]).scalar(Delivery._meta.database) or 0)
