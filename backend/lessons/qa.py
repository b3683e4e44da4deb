"""The monthly QA (the Lessons Learnt Framework, section 6.4): did every lesson reach the log, become SMART actions,
get done on time and fix what it was for?

Each figure is counted in SQL over one UK calendar month (a month in British Summer Time starts and ends an hour
earlier in UTC, which is how moments are stored), kept as a numerator and a denominator with the failing items'
ids, and replaced when the month is computed again. docs/lessons.md ("Monthly QA") gives each definition and why.
A rate whose denominator is 0 has no value: "no items", never 0% nor 100%.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peewee import fn

from backend.accounts.models import User, UserRole
from backend.audit.services import field_changes, record_audit
from backend.complaints.models import (
    ClosureDay,
    Complaint,
    ComplaintResponse,
    ComplaintStatus,
    Decision,
    Determination,
    PointDecision,
)
from backend.context import Actor
from backend.db import transaction
from backend.errors import Invalid, NotAllowed, NotFound
from backend.events.services import record_event
from backend.lessons.models import (
    ActionStatus,
    DueDateChange,
    Effect,
    ImprovementAction,
    Lesson,
    LessonSource,
    LessonStatus,
    NoLessonDecision,
    QaReport,
    SourceKind,
)
from backend.lessons.notices import complaints_told
from backend.timeutil import LOCAL_ZONE, local_date, utcnow
from backend.workdays import is_working_day

logger = logging.getLogger(__name__)

MANAGERS = frozenset({"manager", "admin"})
#: A point decided so: the landlord got (part of) it wrong, so a lesson is due.
UPHELD = (Decision.UPHELD.value, Decision.PARTLY_UPHELD.value)
#: The Ombudsman's findings that the landlord failed (the Housing Ombudsman's adverse findings). Reasonable
#: redress means the landlord had already put the failing right; its lesson was due from the complaint itself.
ADVERSE = (
    Determination.SEVERE_MALADMINISTRATION.value,
    Determination.MALADMINISTRATION.value,
    Determination.SERVICE_FAILURE.value,
)
#: Lessons past analysis, which need SMART actions: not identified only, not cancelled nor merged.
NEEDS_ACTION = (
    LessonStatus.ANALYSED.value,
    LessonStatus.ACTIONS_AGREED.value,
    LessonStatus.IN_PROGRESS.value,
    LessonStatus.MEASURING_IMPACT.value,
    LessonStatus.CLOSED.value,
)
FINISHED = (ActionStatus.DONE.value, ActionStatus.SIGNED_OFF.value, ActionStatus.VERIFIED.value)
#: The figures, in the order reports show them, and the keys of ``QaReport.failing``.
FIGURES = ("transfer", "smart", "on_time", "overdue", "effective")
#: The nation whose bank holidays decide the landlord's first working day of a month.
OFFICE_NATION = "england"


@dataclass(frozen=True)
class Month:
    """A UK calendar month: its first and last days, and the UTC moments it starts and ends (end excluded)."""

    first: dt.date
    last: dt.date
    start: dt.datetime
    end: dt.datetime

    @property
    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def uk_midnight(day: dt.date) -> dt.datetime:
    """The stored (naive UTC) moment a UK day starts."""
    local = dt.datetime.combine(day, dt.time(0), tzinfo=LOCAL_ZONE)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def month_of(day: dt.date) -> Month:
    """The UK month ``day`` falls in."""
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return Month(first, following - dt.timedelta(days=1), uk_midnight(first), uk_midnight(following))


def previous_month(day: dt.date) -> dt.date:
    """The first day of the month before ``day``'s."""
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def parse_month(value: str | dt.date | None) -> dt.date:
    """The first day of a month given as YYYY-MM (or a date); raise Invalid("month", "invalid" or "future")."""
    if isinstance(value, dt.date):
        first = value.replace(day=1)
    else:
        text = (value or "").strip()
        try:
            if len(text) != 7:
                raise ValueError(text)
            first = dt.date.fromisoformat(text + "-01")
        except ValueError:
            raise Invalid("month", "invalid") from None
    if first > local_date().replace(day=1):
        raise Invalid("month", "future")
    return first


# --- The figures, each a query over the month ----------------------------------------------------------------------


def _live_lesson_source(complaint: Any, kinds: Iterable[str] | None = None) -> Any:
    """Whether a lesson not cancelled names the complaint as a source (of one of ``kinds``, when given)."""
    query = (
        LessonSource.select(LessonSource.id)
        .join(Lesson)
        .where(LessonSource.complaint == complaint, Lesson.status != LessonStatus.CANCELLED.value)
    )
    if kinds is not None:
        query = query.where(LessonSource.kind.in_(list(kinds)))
    return fn.EXISTS(query)


def complaints_due(month: Month) -> Any:
    """Complaints given their final answer in the month that upheld or partly upheld at least one point."""
    upheld = (
        PointDecision.select(PointDecision.id)
        .join(ComplaintResponse)
        .where(ComplaintResponse.complaint == Complaint.id, PointDecision.decision.in_(UPHELD))
    )
    return Complaint.select(Complaint.id).where(
        Complaint.status == ComplaintStatus.CLOSED.value,
        Complaint.closed_at >= month.start,
        Complaint.closed_at < month.end,
        fn.EXISTS(upheld),
    )


def complaint_transferred() -> Any:
    decided = NoLessonDecision.select(NoLessonDecision.id).where(NoLessonDecision.complaint == Complaint.id)
    return _live_lesson_source(Complaint.id) | fn.EXISTS(decided)


def determinations_due(month: Month) -> Any:
    """Complaints whose adverse Ombudsman determination was recorded in the month."""
    return Complaint.select(Complaint.id).where(
        Complaint.ombudsman_determination.in_(ADVERSE),
        Complaint.ombudsman_determined_at >= month.start,
        Complaint.ombudsman_determined_at < month.end,
    )


def determination_transferred() -> Any:
    # A decision of no lesson counts only if it was made knowing the Ombudsman's finding.
    decided = NoLessonDecision.select(NoLessonDecision.id).where(
        NoLessonDecision.complaint == Complaint.id, NoLessonDecision.decided_at >= Complaint.ombudsman_determined_at
    )
    return _live_lesson_source(Complaint.id, [SourceKind.OMBUDSMAN_DETERMINATION.value]) | fn.EXISTS(decided)


def lessons_due(month: Month) -> Any:
    """Lessons in the log identified by the month's end, analysed or later, not cancelled nor merged."""
    return Lesson.select(Lesson.id).where(
        Lesson.status.in_(NEEDS_ACTION), Lesson.identified_on <= month.last, Lesson.archived_at.is_null()
    )


def lesson_smart(month: Month) -> Any:
    """Whether the lesson has an action not cancelled with an owner, a measure, a target and a due date, authorised
    before the month's end."""
    action = ImprovementAction.select(ImprovementAction.id).where(
        ImprovementAction.lesson == Lesson.id,
        ImprovementAction.status != ActionStatus.CANCELLED.value,
        ImprovementAction.owner.is_null(False),
        fn.TRIM(ImprovementAction.measure) != "",
        fn.TRIM(ImprovementAction.target) != "",
        ImprovementAction.due_on.is_null(False),
        ImprovementAction.authorised_at.is_null(False),
        ImprovementAction.authorised_at < month.end,
    )
    return fn.EXISTS(action)


def completed_in(month: Month) -> Any:
    """Actions completed in the month."""
    return ImprovementAction.select(ImprovementAction.id).where(
        ImprovementAction.completed_at >= month.start, ImprovementAction.completed_at < month.end
    )


def completed_on_time(month: Month) -> Any:
    """Whether an action completed in the month was completed by the UK day its due date was first authorised for.

    Written as "completed before day d ends, and due on d or later" for each day d of the month, so that the UK
    day of each completion is found with plain comparisons that work alike on SQLite and PostgreSQL.
    """
    due = ImprovementAction.first_due_on
    on_time: Any = due >= month.last
    for day in month.days[:-1]:
        on_time |= (ImprovementAction.completed_at < uk_midnight(day + dt.timedelta(days=1))) & (due >= day)
    return due.is_null(False) & on_time


def overdue_at_end(month: Month) -> Any:
    """Actions open at the month's end whose due date, as it stood then, was the month's last day or earlier.

    Open: not cancelled, proposed before the end, and not completed by then. The due date then is the one a later
    change moved it from (the first change after the end), else today's.
    """
    later_change = (
        DueDateChange.select(DueDateChange.from_date)
        .where(DueDateChange.action == ImprovementAction.id, DueDateChange.changed_at >= month.end)
        .order_by(DueDateChange.changed_at, DueDateChange.id)
        .limit(1)
    )
    due_then = fn.COALESCE(later_change, ImprovementAction.due_on)
    finished_undated = ImprovementAction.status.in_(FINISHED) & ImprovementAction.completed_at.is_null()
    return ImprovementAction.select(ImprovementAction.id).where(
        ImprovementAction.status != ActionStatus.CANCELLED.value,
        ImprovementAction.proposed_at < month.end,
        ImprovementAction.completed_at.is_null() | (ImprovementAction.completed_at >= month.end),
        ~finished_undated,
        due_then.is_null(False),
        due_then <= month.last,
    )


def verified_in(month: Month) -> Any:
    """Actions verified in the month."""
    return ImprovementAction.select(ImprovementAction.id).where(
        ImprovementAction.verified_at >= month.start, ImprovementAction.verified_at < month.end
    )


def _ids(query: Any) -> list[Any]:
    """The first column of each row of ``query``."""
    return [row[0] for row in query.tuples()]


def figures(first: dt.date) -> dict[str, Any]:
    """Count every figure of the month starting ``first``: the QaReport columns, and ``failing`` by figure."""
    month = month_of(first)
    complaints = complaints_due(month)
    determinations = determinations_due(month)
    lessons = lessons_due(month)
    completed = completed_in(month)
    verified = verified_in(month)
    failing = {
        "transfer_complaints": _ids(complaints.where(~complaint_transferred()).order_by(Complaint.id)),
        "transfer_ombudsman": _ids(determinations.where(~determination_transferred()).order_by(Complaint.id)),
        "smart": _ids(lessons.where(~lesson_smart(month)).order_by(Lesson.id)),
        "on_time": _ids(completed.where(~completed_on_time(month)).order_by(ImprovementAction.id)),
        "overdue": _ids(overdue_at_end(month).order_by(ImprovementAction.id)),
        "effective": _ids(
            verified.where(
                ImprovementAction.effect.is_null() | (ImprovementAction.effect != Effect.ADDRESSED.value)
            ).order_by(ImprovementAction.id)
        ),
    }
    transfer_due = complaints.count() + determinations.count()
    smart_due = lessons.count()
    on_time_due = completed.count()
    effective_due = verified.count()
    return {
        "transfer_due": transfer_due,
        "transfer_met": transfer_due - len(failing["transfer_complaints"]) - len(failing["transfer_ombudsman"]),
        "smart_due": smart_due,
        "smart_met": smart_due - len(failing["smart"]),
        "on_time_due": on_time_due,
        "on_time_met": on_time_due - len(failing["on_time"]),
        "overdue_count": len(failing["overdue"]),
        "effective_due": effective_due,
        "effective_met": effective_due - len(failing["effective"]),
        "complainants_told": complaints_told(month.start, month.end),
        "failing": failing,
    }


def rate(met: int, due: int) -> float | None:
    """A rate as a percentage; None ("no items") when nothing was due."""
    return None if not due else round(100.0 * met / due, 1)


def rates(report: QaReport) -> dict[str, float | None]:
    """The report's four rates by figure (None: no items)."""
    return {
        "transfer": rate(report.transfer_met, report.transfer_due),
        "smart": rate(report.smart_met, report.smart_due),
        "on_time": rate(report.on_time_met, report.on_time_due),
        "effective": rate(report.effective_met, report.effective_due),
    }


# --- Computing, sending and the monthly run ------------------------------------------------------------------------

COLUMNS = (
    "transfer_met",
    "transfer_due",
    "smart_met",
    "smart_due",
    "on_time_met",
    "on_time_due",
    "overdue_count",
    "effective_met",
    "effective_due",
    "complainants_told",
    "failing",
)


def _snapshot(report: QaReport) -> dict[str, Any]:
    return {name: getattr(report, name) for name in COLUMNS}


def compute_report(actor: Actor, month: str | dt.date) -> QaReport:
    """Count the month's QA figures and keep them, replacing any counted before; return the report.

    For managers and admins (and the system's monthly task). The month is YYYY-MM, not after this one. Recomputing
    never sends the report again. Raises NotAllowed or Invalid("month", "invalid" or "future").
    """
    if not actor.has_role("system") and not (actor.can_write and actor.has_role(*MANAGERS)):
        raise NotAllowed("qa_report.compute")
    first = parse_month(month)
    counted = figures(first)
    with transaction():
        QaReport.insert(month=first).on_conflict_ignore().execute()
        report = QaReport.get(QaReport.month == first)
        before = _snapshot(report)
        for name, value in counted.items():
            setattr(report, name, value)
        report.computed_at = utcnow()
        report.computed_by = actor.user_id  # type: ignore[assignment]
        report.save()
        changes = field_changes(before, _snapshot(report), [name for name in COLUMNS if name != "failing"])
        record_audit(actor, "qa_report.computed", "qa_report", report.id, changes or None)
    return report


def managers() -> list[int]:
    """The ids of every active manager, who receive the monthly report."""
    return _ids(
        User.select(User.id)
        .join(UserRole)
        .where(UserRole.role == "manager", User.is_active == True)  # noqa: E712
        .distinct()
        .order_by(User.id)
    )


def send_report(report_id: int) -> bool:
    """Send the report to every manager, once: True if it was sent now, False if it had been sent already.

    Raises NotFound when there is no such report.
    """
    report = QaReport.get_or_none(QaReport.id == report_id)
    if report is None:
        raise NotFound("qa_report")
    with transaction():
        # Of two runs at once only the first marks it sent, and only that one queues the messages.
        marked = QaReport.update(sent_at=utcnow()).where(QaReport.id == report.id, QaReport.sent_at.is_null()).execute()
        if not marked:
            return False
        for person in managers():
            record_event(
                "lessons.qa_report",
                {"recipient_id": person, "report_id": report.id, "month": report.month.isoformat()},
            )
    return True


def first_working_day(first: dt.date) -> dt.date:
    """The landlord's first working day of the month starting ``first``: no weekend, bank holiday nor closure day."""
    month = month_of(first)
    closures = set(
        _ids(ClosureDay.select(ClosureDay.day).where(ClosureDay.day >= month.first, ClosureDay.day <= month.last))
    )
    day = month.first
    while not is_working_day(day, OFFICE_NATION, closures) and day < month.last:
        day += dt.timedelta(days=1)
    return day


def run_monthly(actor: Actor, today: dt.date | None = None) -> dict[str, Any]:
    """Compute and send last month's report, from this month's first working day on, until it is sent.

    Safe to run any number of times: before the first working day it does nothing; once the report was sent it
    does nothing. Returns what it did: {"month": "YYYY-MM-DD" or None, "sent": bool}.
    """
    today = today or local_date()
    last = previous_month(today)
    if today < first_working_day(today.replace(day=1)):
        return {"month": None, "sent": False}
    existing = QaReport.get_or_none(QaReport.month == last)
    if existing is not None and existing.sent_at is not None:
        return {"month": last.isoformat(), "sent": False}
    report = compute_report(actor, last)
    sent = send_report(report.id)
    if sent:
        logger.info("monthly QA for %s sent", last.isoformat())
    return {"month": last.isoformat(), "sent": sent}
