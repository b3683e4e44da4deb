"""Staff briefings (self-assessment item 6): the staff involved in a complaint are told its outcome and the lessons
drawn from it, and acknowledge that they were told.

Those who may be briefed are the staff the complaint names (subject or involved) and its handler. A manager or the
case's handler sends a briefing through the outbox. A case is hidden from its subject, yet they must be told the
outcome: the briefed person always sees their own briefing's summary, never a way into the case.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.accounts.models import User
from backend.audit.services import record_audit
from backend.complaints import restricted
from backend.complaints.models import Complaint, ComplaintResponse, ComplaintStaff
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, NotAllowed, NotFound, gather
from backend.events.services import record_event
from backend.i18n import N_, join_list, translations
from backend.lessons.models import Lesson, LessonSource, StaffBriefing
from backend.lessons.sharing import MANAGERS, MAX_TEXT, require_staff, text
from backend.timeutil import local_date, utcnow
from backend.vocabulary import Vocabulary

OUTCOME_WORDS = {
    "upheld": N_("The complaint was upheld."),
    "partly_upheld": N_("The complaint was partly upheld."),
    "not_upheld": N_("The complaint was not upheld."),
    "resolved": N_("The complaint was resolved by agreement."),
}
NO_OUTCOME = N_("The complaint has no outcome recorded yet.")
LESSONS_DRAWN = N_("Lessons drawn: %(titles)s.")
PUT_RIGHT = N_("What we are doing so it does not happen again: %(action)s")


class BriefingPart(Vocabulary):
    """Why someone may be briefed about a complaint."""

    SUBJECT = "subject", "The complaint is about them."
    INVOLVED = "involved", "They took part in what the complaint is about, or saw it."
    HANDLER = "handler", "They handle the complaint."


@dataclass(frozen=True)
class Briefable:
    """Someone who may be briefed about a complaint, and their part: subject, involved or handler."""

    person: User
    part: BriefingPart


def _may_brief(actor: Actor, complaint: Complaint) -> bool:
    return actor.has_role(*MANAGERS) or (actor.user_id is not None and actor.user_id == complaint.handler_id)  # type: ignore[attr-defined]


def _complaint(actor: Actor, complaint_id: int) -> Complaint:
    """The complaint the actor may brief about; NotFound alike when it is not there or is hidden from them."""
    complaint = restricted.visible_complaint(actor, complaint_id)
    if not _may_brief(actor, complaint):
        raise NotAllowed("staff_briefing.send")
    return complaint


def briefable(complaint: Complaint) -> list[Briefable]:
    """The staff the complaint names, then its handler (once each), who may be briefed about it."""
    found: dict[int, Briefable] = {}
    rows = (
        ComplaintStaff.select(ComplaintStaff, User)
        .join(User, on=(ComplaintStaff.person == User.id))
        .where(ComplaintStaff.complaint == complaint.id)
    )
    for row in rows.order_by(ComplaintStaff.id):
        found.setdefault(row.person.id, Briefable(row.person, BriefingPart.of(row.part)))
    handler = User.get_or_none(User.id == complaint.handler_id) if complaint.handler_id else None  # type: ignore[attr-defined]
    if handler is not None:
        found.setdefault(handler.id, Briefable(handler, BriefingPart.HANDLER))
    return list(found.values())


def lessons_of(complaint: Complaint) -> list[Lesson]:
    """The lessons drawn from the complaint (those with it as a source), oldest first."""
    query = Lesson.select().join(LessonSource).where(LessonSource.complaint == complaint.id).distinct()
    return list(query.order_by(Lesson.id))


def draft_summary(actor: Actor, complaint_id: int, locale: str = "en") -> str:
    """A briefing's summary to start from, in ``locale``: the latest outcome, what is being put right, the lessons.

    Raises NotAllowed (not a manager nor the handler) or NotFound("complaint") (not there, or hidden).
    """
    require_staff(actor, "staff_briefing.send")
    complaint = _complaint(actor, complaint_id)
    gettext = translations(locale).gettext
    response = (
        ComplaintResponse.select()
        .where(ComplaintResponse.complaint == complaint.id)
        .order_by(ComplaintResponse.stage.desc())
        .first()
    )
    lines = [gettext(OUTCOME_WORDS.get(response.outcome, NO_OUTCOME) if response else NO_OUTCOME)]
    if response is not None and response.remedial_action:
        lines.append(gettext(PUT_RIGHT) % {"action": response.remedial_action})
    titles = [lesson.title for lesson in lessons_of(complaint)]
    if titles:
        lines.append(gettext(LESSONS_DRAWN) % {"titles": join_list(titles, gettext)})
    return "\n\n".join(lines)[:MAX_TEXT]


def send_briefing(actor: Actor, complaint_id: int, person_id: int | None, summary: str) -> StaffBriefing:
    """Tell one member of staff involved in a complaint its outcome and the lessons drawn, through the outbox.

    Managers and the complaint's handler only. Marks the outcome shared with them (their ComplaintStaff row) today.
    Raises NotAllowed, NotFound("complaint") (not there, or hidden from the actor), or Invalid listing every
    problem: ``person`` "not_involved" (neither named in it nor its handler); ``summary`` "required" or "too_long".
    """
    require_staff(actor, "staff_briefing.send")
    complaint = _complaint(actor, complaint_id)
    people = {entry.person.id for entry in briefable(complaint)}
    with gather() as problems:
        if person_id not in people:
            problems.add("person", "not_involved")
        told = text(problems, "summary", summary, MAX_TEXT, required=True)
    with transaction():
        briefing = StaffBriefing.create(complaint=complaint.id, person=person_id, summary=told, sent_by=actor.user_id)
        ComplaintStaff.update(outcome_shared_on=local_date(), updated_at=utcnow()).where(
            ComplaintStaff.complaint == complaint.id,
            ComplaintStaff.person == person_id,
            ComplaintStaff.outcome_shared_on.is_null(),
        ).execute()
        changes = {"briefing": {"before": None, "after": {"id": briefing.id, "person_id": person_id}}}
        record_audit(actor, "complaint.staff_briefed", "complaint", complaint.id, changes)
        record_event("lessons.staff_briefing", {"recipient_id": person_id, "briefing_id": briefing.id})
    return briefing


def acknowledge_briefing(actor: Actor, briefing_id: int) -> StaffBriefing:
    """Record that the briefed member of staff read their briefing.

    Only the person briefed; for anyone else it is not there. Raises NotAllowed (not staff),
    NotFound("staff_briefing") or Conflict("briefing_acknowledged").
    """
    require_staff(actor, "staff_briefing.acknowledge")
    briefing = StaffBriefing.get_or_none(StaffBriefing.id == briefing_id, StaffBriefing.person == actor.user_id)
    if briefing is None:
        raise NotFound("staff_briefing", briefing_id)
    with transaction():
        now = utcnow()
        done = (
            StaffBriefing.update(acknowledged_at=now, updated_at=now)
            .where(StaffBriefing.id == briefing.id, StaffBriefing.acknowledged_at.is_null())
            .execute()
        )
        if not done:
            raise Conflict("briefing_acknowledged")
        changes = {"briefing": {"before": {"id": briefing.id}, "after": {"id": briefing.id, "acknowledged": True}}}
        record_audit(actor, "complaint.staff_briefing_acknowledged", "complaint", briefing.complaint_id, changes)  # type: ignore[attr-defined]
    return StaffBriefing.get_by_id(briefing.id)
