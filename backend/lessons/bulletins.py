"""The internal lessons bulletin (self-assessment item 7): the lessons closed in a period, sent to all staff.

A manager assembles it (the titles and early lessons of the lessons closed in the period: no personal data),
previews it, then sends it to every active member of staff through the outbox, one message each. Sending twice
sends nothing more: only the first send of a bulletin goes out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import fn

from backend.accounts.models import User, UserRole
from backend.audit.models import AuditEvent
from backend.audit.services import field_changes, record_audit
from backend.context import STAFF_ROLES, Actor
from backend.db import transaction
from backend.errors import Conflict, NotFound, Problems, gather
from backend.events.services import record_event
from backend.lessons.models import Bulletin, BulletinLesson, Lesson, LessonStatus
from backend.lessons.sharing import MAX_TEXT, MAX_TITLE, day, require_manager, text, values_of
from backend.timeutil import LOCAL_ZONE, utcnow

FIELDS = ("title", "period_start", "period_end", "introduction")
MAX_PERIOD_DAYS = 366
MAX_LESSONS = 200


def _utc_start(day_: dt.date) -> dt.datetime:
    """The naive UTC moment a UK day starts."""
    local = dt.datetime.combine(day_, dt.time(), tzinfo=LOCAL_ZONE)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


STATUS_SET = "lesson.status_set"


def _closing_moments(since: dt.datetime) -> dict[int, dt.datetime]:
    """When each lesson closed since a moment was last closed, from the audit trail (its step to "closed")."""
    events = (
        AuditEvent.select(AuditEvent.entity_id, AuditEvent.occurred_at, AuditEvent.changes)
        .where(AuditEvent.entity_type == "lesson", AuditEvent.action == STATUS_SET, AuditEvent.occurred_at >= since)
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    )
    moments: dict[int, dt.datetime] = {}
    for event in events:
        step = (event.changes or {}).get("status") or {}
        if step.get("after") == LessonStatus.CLOSED.value:
            moments[int(event.entity_id)] = event.occurred_at
    return moments


def closed_lessons(start: dt.date, end: dt.date) -> list[Lesson]:
    """The lessons closed between two UK days, inclusive, in the order they closed.

    A lesson closes when it steps to "closed"; its closing moment is the last such step in the audit trail (a
    lesson stepped back and closed again counts when it last closed), whatever changed on it since. A closed
    lesson with no step in the trail at all (recorded closed, e.g. imported) counts by when it last changed.
    """
    start_at, end_at = _utc_start(start), _utc_start(end + dt.timedelta(days=1))
    moments = {key: at for key, at in _closing_moments(start_at).items() if at < end_at}
    stepped = AuditEvent.select(AuditEvent.id).where(
        AuditEvent.entity_type == "lesson",
        AuditEvent.action == STATUS_SET,
        AuditEvent.entity_id == Lesson.id.cast("text"),
    )
    unstepped = ~fn.EXISTS(stepped) & (Lesson.updated_at >= start_at) & (Lesson.updated_at < end_at)
    query = Lesson.select().where(Lesson.status == LessonStatus.CLOSED, Lesson.id.in_(sorted(moments)) | unstepped)
    found = sorted(query, key=lambda x: (moments.get(x.id, x.updated_at), x.id))
    return found[:MAX_LESSONS]


def bulletin_lessons(bulletin: Bulletin) -> list[Lesson]:
    """The lessons a bulletin holds, in the order assembled."""
    query = Lesson.select().join(BulletinLesson).where(BulletinLesson.bulletin == bulletin.id)
    return list(query.order_by(BulletinLesson.id))


def check_period(problems: Problems, start: dt.date, end: dt.date, at: str = "period_end") -> bool:
    """Whether a bulletin's period can be used; records ``period_end`` "before_start" or "too_long" (over
    MAX_PERIOD_DAYS) at ``at`` otherwise."""
    if end < start:
        problems.add("period_end", "before_start", at=(at,))
        return False
    if (end - start).days > MAX_PERIOD_DAYS:
        problems.add("period_end", "too_long", at=(at,), maximum=MAX_PERIOD_DAYS)
        return False
    return True


def preview_lessons(start: dt.date, end: dt.date) -> list[Lesson]:
    """The lessons a bulletin for this period would hold. Raises Invalid as :func:`check_period` does."""
    with gather() as problems:
        check_period(problems, start, end)
    return closed_lessons(start, end)


def create_bulletin(actor: Actor, title: str, period_start: Any, period_end: Any, introduction: str = "") -> Bulletin:
    """Assemble a bulletin from the lessons closed in a period, as a draft to preview.

    Managers only. Raises NotAllowed, or Invalid listing every problem: ``title`` "required" or "too_long";
    ``introduction`` "too_long"; ``period_start``/``period_end`` "required" or "invalid"; ``period_end``
    "before_start" or "too_long" (over a year); ``period_end`` "no_closed_lessons" when none closed in it.
    """
    require_manager(actor, "bulletin.create")
    with gather() as problems:
        heading = text(problems, "title", title, MAX_TITLE, required=True, line=True)
        intro = text(problems, "introduction", introduction, MAX_TEXT)
        start = day(problems, "period_start", period_start)
        end = day(problems, "period_end", period_end)
        lessons: list[Lesson] = []
        if start and end and check_period(problems, start, end):
            lessons = closed_lessons(start, end)
            if not lessons:
                problems.add("period_end", "no_closed_lessons")
    with transaction():
        bulletin = Bulletin.create(
            title=heading, introduction=intro, period_start=start, period_end=end, created_by=actor.user_id
        )
        for lesson in lessons:
            BulletinLesson.create(bulletin=bulletin.id, lesson=lesson.id)
        changes = field_changes(None, {**values_of(bulletin, FIELDS), "lesson_ids": [x.id for x in lessons]})
        record_audit(actor, "bulletin.created", "bulletin", bulletin.id, changes)
    return bulletin


def active_staff_ids() -> list[int]:
    """Every active member of staff, by id."""
    query = (
        User.select(User.id)
        .join(UserRole)
        .where(User.is_active == True, UserRole.role.in_(sorted(STAFF_ROLES)))  # noqa: E712
        .distinct()
    )
    return sorted(row.id for row in query)


def send_bulletin(actor: Actor, bulletin_id: int) -> Bulletin:
    """Send a bulletin to every active member of staff, one message each; it is then no longer a draft.

    Managers only. Raises NotAllowed, NotFound("bulletin") or Conflict("already_sent"): of two sends, even at
    once, only the first goes out.
    """
    require_manager(actor, "bulletin.send")
    bulletin = Bulletin.get_or_none(Bulletin.id == bulletin_id)
    if bulletin is None:
        raise NotFound("bulletin", bulletin_id)
    with transaction():
        now = utcnow()
        # The conditional update is the lock: a second send finds sent_at set and changes nothing.
        sent = (
            Bulletin.update(sent_at=now, updated_at=now)
            .where(Bulletin.id == bulletin.id, Bulletin.sent_at.is_null())
            .execute()
        )
        if not sent:
            raise Conflict("already_sent")
        people = active_staff_ids()
        for person in people:
            record_event("lessons.bulletin", {"recipient_id": person, "bulletin_id": bulletin.id})
        record_audit(
            actor, "bulletin.sent", "bulletin", bulletin.id, {"recipients": {"before": None, "after": len(people)}}
        )
    return Bulletin.get_by_id(bulletin.id)
