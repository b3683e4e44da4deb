"""The board report (PHSO guidance on a just and learning culture, 3.8-3.10; the Housing Ombudsman's Code 9.6-9.7):
what the governing body sees regularly about complaints, for any period.

Every figure is counted in SQL over a :class:`~backend.reports.periods.Period` of UK days. docs/reports.md
("Board report") gives each definition, its source and the choices made. In short:

- **received**: complaints whose first stage began in the period (merged contacts are not complaints);
- **resolved at the frontline**: stage 1 answered in the period, and not escalated within the escalation window
  (``escalation_window_days`` UK working days from the answer), counted once the window has passed, or at once when
  the answer's outcome is "resolved" (agreed with the resident);
- **under investigation at the period's end**: a stage after the first begun before the end, not answered, refused
  nor withdrawn by then;
- **closed in the period**: complaints closed (after a response) in the period, by the outcome of their last answer,
  with the lessons drawn from them and those lessons' improvement actions;
- **the Ombudsman**: referrals and determinations recorded in the period, and its orders: made, complied with, open
  and overdue at the period's end;
- **overdue improvement actions at the period's end**, as the monthly QA counts them;
- **complaints by month and service area**, the place where imported signals will stand beside them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal
from peewee import JOIN, SQL, Case, fn

from backend import config
from backend.complaints.models import (
    Complaint,
    ComplaintResponse,
    ComplaintStage,
    ComplaintStatus,
    Determination,
    OmbudsmanOrder,
    ResponseOutcome,
    ServiceArea,
)
from backend.i18n import translations
from backend.lessons import qa
from backend.lessons.models import ActionStatus, ImprovementAction, Lesson, LessonSource, LessonStatus
from backend.reports.documents import Chart, ChartPoint, Figure, ReportDocument, Section, Table
from backend.reports.models import SignalCount, SignalKind
from backend.reports.periods import Period, uk_midnight
from backend.timeutil import utcnow
from backend.workdays import add_working_days

KIND = "board"
#: Lessons that count as drawn from a complaint: every one but those cancelled or merged into another.
LIVE_LESSONS = tuple(s for s in LessonStatus.codes() if s not in ("cancelled", "merged"))
FINISHED_ACTIONS = (ActionStatus.DONE.value, ActionStatus.SIGNED_OFF.value, ActionStatus.VERIFIED.value)
#: The most lessons listed by name; the figures count them all.
MAX_LESSONS_LISTED = 50
OUTCOMES = ResponseOutcome.codes()


@dataclass(frozen=True)
class BoardFigures:
    """The board report's counts for one period, as counted at ``as_at`` (a stored UTC moment)."""

    received: int
    received_refused: int
    received_withdrawn: int
    escalation_requests: int
    direct_investigations: int
    stage1_answered: int
    frontline_resolved: int
    frontline_awaiting_window: int
    escalated_within_window: int
    under_investigation_at_end: int
    closed: int
    closed_by_outcome: dict[str, int]
    closed_with_lesson: int
    lessons: int
    lesson_actions: int
    lesson_actions_finished: int
    ombudsman_referrals: int
    determinations: dict[str, int]
    orders_made: int
    orders_complied: int
    orders_open_at_end: int
    orders_overdue_at_end: int
    overdue_actions_at_end: int


def _one(query: Any) -> tuple[Any, ...]:
    """The one row of an aggregate query, as a tuple."""
    return tuple(query.tuples().get())


def _rows(query: Any) -> list[tuple[Any, ...]]:
    """Every row of a grouped query, as tuples."""
    return [tuple(row) for row in query.tuples()]


def _within(column: Any, period: Period) -> Any:
    return (column >= period.start) & (column < period.end)


# --- Received ------------------------------------------------------------------------------------------------------


def received_in(period: Period) -> Any:
    """Complaints whose first stage began in the period: the day the landlord received them, in UK time."""
    return (
        Complaint.select(Complaint.id)
        .join(ComplaintStage, on=(ComplaintStage.complaint == Complaint.id) & (ComplaintStage.number == 1))
        .where(_within(ComplaintStage.opened_at, period))
    )


def _received(period: Period) -> tuple[int, int, int]:
    answered = ComplaintResponse.select(ComplaintResponse.id).where(ComplaintResponse.complaint == Complaint.id)
    refused = Complaint.refused_at.is_null(False) & ~fn.EXISTS(answered)
    withdrawn = Complaint.withdrawn_at.is_null(False)
    row = _one(
        Complaint.select(
            fn.COUNT(Complaint.id),
            fn.COALESCE(fn.SUM(Case(None, [(refused, 1)], 0)), 0),
            fn.COALESCE(fn.SUM(Case(None, [(withdrawn, 1)], 0)), 0),
        ).where(Complaint.id.in_(received_in(period)))
    )
    return int(row[0]), int(row[1]), int(row[2])


def _later_stages_begun(period: Period) -> tuple[int, int]:
    row = _one(
        ComplaintStage.select(
            fn.COALESCE(fn.SUM(Case(None, [(ComplaintStage.entry_route == "direct", 1)], 0)), 0),
            fn.COUNT(ComplaintStage.id),
        ).where(ComplaintStage.number == 2, _within(ComplaintStage.opened_at, period))
    )
    direct = int(row[0])
    return int(row[1]) - direct, direct


# --- Resolved at the frontline -------------------------------------------------------------------------------------


def window_end(period: Period, nations: list[str], window: int) -> Any:
    """The stored moment each stage-1 answer's escalation window ends, as SQL over ``ComplaintResponse.issued_at``.

    The window is ``window`` UK working days of the complaint's nation after the day of the answer (the day itself
    not counted; weekends and bank holidays skipped, as ``backend.complaints.escalation`` counts it), and ends at
    UK midnight after its last day. Worked out for each run of answer days in the period that share a last day, so
    the SQL is plain comparisons that read alike on SQLite and PostgreSQL.
    """
    by_nation = []
    for nation in nations:
        whens, day = [], period.first
        while day <= period.last:
            last = add_working_days(day, window, nation)
            following = day + dt.timedelta(days=1)
            while following <= period.last and add_working_days(following, window, nation) == last:
                following += dt.timedelta(days=1)
            whens.append((ComplaintResponse.issued_at < uk_midnight(following), uk_midnight(last + dt.timedelta(1))))
            day = following
        by_nation.append((nation, Case(None, whens)))
    return Case(Complaint.nation, by_nation)


def _frontline(period: Period, as_at: dt.datetime) -> tuple[int, int, int, int]:
    """(answered, resolved, awaiting the window, escalated within it) for stage-1 answers issued in the period."""
    answered: Any = (
        ComplaintResponse.select()
        .join(Complaint, on=ComplaintResponse.complaint == Complaint.id)
        .where(ComplaintResponse.stage == 1, _within(ComplaintResponse.issued_at, period))
    )
    nations = [row[0] for row in _rows(answered.select(Complaint.nation).distinct())]
    if not nations:
        return 0, 0, 0, 0
    ends = window_end(period, nations, config.current().escalation_window_days)
    Later = ComplaintStage.alias()
    escalated = fn.EXISTS(
        Later.select(Later.id).where(Later.complaint == Complaint.id, Later.number == 2, Later.opened_at < ends)
    )
    agreed = ComplaintResponse.outcome == ResponseOutcome.RESOLVED.value
    passed = ends <= as_at
    resolved = Case(None, [(escalated, 0), (passed | agreed, 1)], 0)
    awaiting = Case(None, [(escalated, 0), (passed | agreed, 0)], 1)
    found = _one(
        answered.select(
            fn.COUNT(ComplaintResponse.id),
            fn.COALESCE(fn.SUM(resolved), 0),
            fn.COALESCE(fn.SUM(awaiting), 0),
            fn.COALESCE(fn.SUM(Case(None, [(escalated, 1)], 0)), 0),
        )
    )
    return int(found[0]), int(found[1]), int(found[2]), int(found[3])


# --- Under investigation, closed -----------------------------------------------------------------------------------


def under_investigation_at_end(period: Period) -> Any:
    """Complaints at a stage after the first at the period's end: begun before it, not answered, refused nor
    withdrawn by then."""
    end = period.end
    return (
        Complaint.select(Complaint.id)
        .join(ComplaintStage, on=ComplaintStage.complaint == Complaint.id)
        .where(
            ComplaintStage.number >= 2,
            ComplaintStage.opened_at < end,
            ComplaintStage.responded_at.is_null() | (ComplaintStage.responded_at >= end),
            Complaint.refused_at.is_null() | (Complaint.refused_at >= end),
            Complaint.withdrawn_at.is_null() | (Complaint.withdrawn_at >= end),
        )
        .distinct()
    )


def closed_in(period: Period) -> Any:
    """Complaints closed after a response in the period (not refused nor withdrawn), as they stand now."""
    return Complaint.select(Complaint.id).where(
        Complaint.status == ComplaintStatus.CLOSED.value, _within(Complaint.closed_at, period)
    )


def _closed_by_outcome(period: Period) -> dict[str, int]:
    """Closed complaints by the outcome of their last answer (the answer at the stage they closed at)."""
    rows = _rows(
        Complaint.select(ComplaintResponse.outcome, fn.COUNT(Complaint.id))
        .join(
            ComplaintResponse,
            on=(ComplaintResponse.complaint == Complaint.id) & (ComplaintResponse.stage == Complaint.stage),
        )
        .where(Complaint.id.in_(closed_in(period)))
        .group_by(ComplaintResponse.outcome)
    )
    found = {outcome or "": int(count) for outcome, count in rows}
    return {outcome: found.get(outcome, 0) for outcome in (*OUTCOMES, "")}


def lessons_from(period: Period) -> Any:
    """Lessons (not cancelled nor merged) drawn from a complaint closed in the period."""
    return (
        Lesson.select(Lesson.id)
        .join(LessonSource, on=LessonSource.lesson == Lesson.id)
        .where(LessonSource.complaint.in_(closed_in(period)), Lesson.status.in_(LIVE_LESSONS))
        .distinct()
    )


def _learning(period: Period) -> tuple[int, int, int, int]:
    """(complaints closed with a lesson, lessons, their actions not cancelled, those finished)."""
    with_lesson = (
        LessonSource.select(fn.COUNT(LessonSource.complaint.distinct()))
        .join(Lesson)
        .where(LessonSource.complaint.in_(closed_in(period)), Lesson.status.in_(LIVE_LESSONS))
        .scalar()
    )
    lessons = Lesson.select(fn.COUNT(Lesson.id)).where(Lesson.id.in_(lessons_from(period))).scalar()
    finished = Case(None, [(ImprovementAction.status.in_(FINISHED_ACTIONS), 1)], 0)
    actions = _one(
        ImprovementAction.select(fn.COUNT(ImprovementAction.id), fn.COALESCE(fn.SUM(finished), 0)).where(
            ImprovementAction.lesson.in_(lessons_from(period)),
            ImprovementAction.status != ActionStatus.CANCELLED.value,
        )
    )
    return int(with_lesson or 0), int(lessons or 0), int(actions[0]), int(actions[1])


def lesson_rows(period: Period, limit: int = MAX_LESSONS_LISTED) -> list[tuple[str, str, str, int, int]]:
    """The lessons drawn from complaints closed in the period: (reference, title, status, actions, finished).

    Lessons referred to HR are left out of the list (they are counted): a board report is about systems, never about
    the conduct of a member of staff.
    """
    finished = ImprovementAction.status.in_(FINISHED_ACTIONS)
    live = ImprovementAction.status != ActionStatus.CANCELLED.value
    query = _rows(
        Lesson.select(
            Lesson.reference,
            Lesson.title,
            Lesson.status,
            fn.COALESCE(fn.SUM(Case(None, [(live, 1)], 0)), 0),
            fn.COALESCE(fn.SUM(Case(None, [(finished, 1)], 0)), 0),
        )
        .join(ImprovementAction, JOIN.LEFT_OUTER, on=ImprovementAction.lesson == Lesson.id)
        .where(Lesson.id.in_(lessons_from(period)), Lesson.referred_to_hr == False)  # noqa: E712
        .group_by(Lesson.id, Lesson.reference, Lesson.title, Lesson.status)
        .order_by(Lesson.reference)
        .limit(limit)
    )
    return [(ref, title, status, int(actions), int(done)) for ref, title, status, actions, done in query]


# --- The Ombudsman, overdue actions --------------------------------------------------------------------------------


def _ombudsman(period: Period) -> tuple[int, dict[str, int]]:
    referrals = Complaint.select().where(_within(Complaint.ombudsman_referred_at, period)).count()
    rows = _rows(
        Complaint.select(Complaint.ombudsman_determination, fn.COUNT(Complaint.id))
        .where(_within(Complaint.ombudsman_determined_at, period), Complaint.ombudsman_determination.is_null(False))
        .group_by(Complaint.ombudsman_determination)
    )
    found = {code: int(count) for code, count in rows}
    return referrals, {code: found.get(code, 0) for code in Determination.codes()}


def _orders(period: Period) -> tuple[int, int, int, int]:
    """(made in the period, complied with in it, open at its end, of those overdue at its end)."""
    open_at_end = (OmbudsmanOrder.created_at < period.end) & (
        OmbudsmanOrder.complied_on.is_null() | (OmbudsmanOrder.complied_on > period.last)
    )
    overdue = open_at_end & OmbudsmanOrder.due_on.is_null(False) & (OmbudsmanOrder.due_on <= period.last)
    made = _within(OmbudsmanOrder.created_at, period)
    complied = (OmbudsmanOrder.complied_on >= period.first) & (OmbudsmanOrder.complied_on <= period.last)
    row = _one(
        OmbudsmanOrder.select(
            *(fn.COALESCE(fn.SUM(Case(None, [(test, 1)], 0)), 0) for test in (made, complied, open_at_end, overdue))
        )
    )
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


def overdue_actions_at_end(period: Period) -> Any:
    """Improvement actions open and past due at the period's end, counted as the monthly QA counts them."""
    return qa.overdue_at_end(qa.Month(period.first, period.last, period.start, period.end))


# --- By month and service area -------------------------------------------------------------------------------------


def received_by_month_and_area(period: Period) -> list[tuple[dt.date, str | None, int]]:
    """Complaints received in each UK month of the period, by service area: (first day, area name, count)."""
    months = period.months()
    opened = ComplaintStage.opened_at
    month = Case(None, [(opened < m.end, m.first) for m in months])
    rows = _rows(
        Complaint.select(month.alias("month"), ServiceArea.name, fn.COUNT(Complaint.id))
        .join(ComplaintStage, on=(ComplaintStage.complaint == Complaint.id) & (ComplaintStage.number == 1))
        .join(ServiceArea, JOIN.LEFT_OUTER, on=ServiceArea.id == Complaint.service_area)
        .where(_within(opened, period))
        # By position: PostgreSQL does not see a CASE with its own parameters as the one selected.
        .group_by(SQL("1"), ServiceArea.name)
    )
    found = []
    for first, area, count in rows:
        day = first if isinstance(first, dt.date) else dt.date.fromisoformat(str(first)[:10])
        found.append((day, area, int(count)))
    return sorted(found, key=lambda row: (row[0], row[1] or ""))


# --- Counting and laying out ---------------------------------------------------------------------------------------


def board_figures(period: Period, as_at: dt.datetime | None = None) -> BoardFigures:
    """Count the board report's figures for ``period``, as things stand at ``as_at`` (now when not given)."""
    as_at = as_at or utcnow()
    received, refused, withdrawn = _received(period)
    escalations, direct = _later_stages_begun(period)
    answered, resolved, awaiting, escalated = _frontline(period, as_at)
    with_lesson, lessons, actions, finished = _learning(period)
    referrals, determinations = _ombudsman(period)
    made, complied, open_orders, overdue_orders = _orders(period)
    return BoardFigures(
        received=received,
        received_refused=refused,
        received_withdrawn=withdrawn,
        escalation_requests=escalations,
        direct_investigations=direct,
        stage1_answered=answered,
        frontline_resolved=resolved,
        frontline_awaiting_window=awaiting,
        escalated_within_window=escalated,
        under_investigation_at_end=under_investigation_at_end(period).count(),
        closed=closed_in(period).count(),
        closed_by_outcome=_closed_by_outcome(period),
        closed_with_lesson=with_lesson,
        lessons=lessons,
        lesson_actions=actions,
        lesson_actions_finished=finished,
        ombudsman_referrals=referrals,
        determinations=determinations,
        orders_made=made,
        orders_complied=complied,
        orders_open_at_end=open_orders,
        orders_overdue_at_end=overdue_orders,
        overdue_actions_at_end=overdue_actions_at_end(period).count(),
    )


def frontline_share(figures: BoardFigures) -> float | None:
    """Resolved at the frontline as a share of stage-1 answers whose outcome is known (None: none known)."""
    known = figures.stage1_answered - figures.frontline_awaiting_window
    return None if known <= 0 else 100.0 * figures.frontline_resolved / known


def period_label(period: Period, locale: str) -> str:
    """The period in words: "1 April 2025 to 31 March 2026 (2025/26)"."""
    gettext = translations(locale).gettext
    babel_locale = config.formatting_locale(locale)
    return gettext("%(first)s to %(last)s (%(code)s)") % {
        "first": format_date(period.first, "d MMMM y", locale=babel_locale),
        "last": format_date(period.last, "d MMMM y", locale=babel_locale),
        "code": period.code,
    }


class _Words:
    """The document's language: translated words and numbers written as the language writes them."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.gettext: Callable[[str], str] = translations(locale).gettext
        self.babel = config.formatting_locale(locale)

    def number(self, value: int | float) -> str:
        return format_decimal(value, format="#,##0", locale=self.babel)

    def percent(self, value: float | None) -> str:
        if value is None:
            return self.gettext("no answers yet")
        return self.gettext("%(rate)s%%") % {"rate": format_decimal(value, format="#,##0.0", locale=self.babel)}

    def count(self, code: str, label: str, value: int) -> Figure:
        return Figure(code, label, value, self.number(value), "count")

    def month(self, first: dt.date) -> str:
        return format_date(first, "MMMM y", locale=self.babel)


def board_document(period: Period, locale: str = "en", as_at: dt.datetime | None = None) -> ReportDocument:
    """The board report for ``period`` in ``locale``, counted as things stand at ``as_at`` (now when not given)."""
    as_at = as_at or utcnow()
    figures = board_figures(period, as_at)
    words = _Words(locale)
    sections = (
        _received_section(figures, words),
        _frontline_section(figures, words),
        _investigation_section(figures, words),
        _closed_section(period, figures, words),
        _ombudsman_section(figures, words),
        _actions_section(figures, words),
        _signals_section(period, words),
    )
    return ReportDocument(
        kind=KIND,
        title=words.gettext("Complaints report to the board"),
        period_code=period.code,
        period_label=period_label(period, locale),
        locale=locale,
        produced_at=as_at.replace(microsecond=0).isoformat(),
        sections=sections,
    )


def _received_section(figures: BoardFigures, words: _Words) -> Section:
    _ = words.gettext
    return Section(
        "received",
        _("Complaints received"),
        paragraphs=(
            _(
                "Complaints whose first stage began in the period, on the UK day the landlord received them. "
                "Refused and withdrawn complaints are counted as received, and shown again as things stand now."
            ),
        ),
        figures=(
            words.count("received", _("Complaints received"), figures.received),
            words.count("received_refused", _("of which refused under an exclusion"), figures.received_refused),
            words.count("received_withdrawn", _("of which withdrawn"), figures.received_withdrawn),
            words.count("escalation_requests", _("Requests to escalate to stage 2"), figures.escalation_requests),
            words.count(
                "direct_investigations", _("Complaints taken straight to stage 2"), figures.direct_investigations
            ),
        ),
    )


def _frontline_section(figures: BoardFigures, words: _Words) -> Section:
    _ = words.gettext
    share = frontline_share(figures)
    return Section(
        "frontline",
        _("Resolved at the frontline"),
        paragraphs=(
            _(
                "Stage 1 answers issued in the period. An answer counts as resolved at the frontline when the "
                "resident did not ask to escalate within %(days)s working days of it (once that time has passed), "
                "or at once when its outcome was resolved by agreement with the resident."
            )
            % {"days": config.current().escalation_window_days},
        ),
        figures=(
            words.count("stage1_answered", _("Stage 1 answers issued"), figures.stage1_answered),
            words.count("frontline_resolved", _("Resolved at the frontline"), figures.frontline_resolved),
            words.count(
                "escalated_within_window", _("Escalated within the escalation window"), figures.escalated_within_window
            ),
            words.count(
                "frontline_awaiting_window",
                _("Still within the escalation window when counted"),
                figures.frontline_awaiting_window,
            ),
            Figure(
                "frontline_share",
                _("Resolved at the frontline, as a share of answers whose outcome is known"),
                share,
                words.percent(share),
                "percent",
            ),
        ),
    )


def _investigation_section(figures: BoardFigures, words: _Words) -> Section:
    _ = words.gettext
    return Section(
        "investigation",
        _("Under investigation at the end of the period"),
        paragraphs=(
            _(
                "Complaints at stage 2 when the period ended: stage 2 had begun, and had not been answered, refused "
                "or withdrawn."
            ),
        ),
        figures=(
            words.count(
                "under_investigation_at_end", _("Under investigation at stage 2"), figures.under_investigation_at_end
            ),
        ),
    )


def outcome_label(code: str, gettext: Callable[[str], str]) -> str:
    labels = {
        "upheld": gettext("Upheld"),
        "partly_upheld": gettext("Partly upheld"),
        "not_upheld": gettext("Not upheld"),
        "resolved": gettext("Resolved by agreement"),
        "": gettext("No outcome recorded"),
    }
    return labels[code]


def _closed_section(period: Period, figures: BoardFigures, words: _Words) -> Section:
    _ = words.gettext
    outcomes = [(code, n) for code, n in figures.closed_by_outcome.items() if code or n]
    chart = Chart(
        "closed_by_outcome",
        "bar",
        _("Complaints closed, by outcome"),
        _("A bar for each outcome of the last answer of the complaints closed in the period."),
        _("Outcome"),
        _("Complaints"),
        tuple(ChartPoint(outcome_label(code, _), n, words.number(n)) for code, n in outcomes),
    )
    lessons = Table(
        "lessons",
        _("Lessons drawn from complaints closed in the period"),
        (_("Lesson"), _("Title"), _("Status"), _("Improvement actions"), _("Actions finished")),
        tuple(
            (reference, title, lesson_status_label(status, _), actions, done)
            for reference, title, status, actions, done in lesson_rows(period)
        ),
    )
    return Section(
        "closed",
        _("Closed complaints: findings, learning and actions"),
        paragraphs=(
            _(
                "Complaints closed in the period after a response, by the outcome of their last answer, and the "
                "lessons recorded from them with those lessons' improvement actions. Lessons referred to HR are "
                "counted but not listed. At most %(count)s lessons are listed."
            )
            % {"count": MAX_LESSONS_LISTED},
        ),
        figures=(
            words.count("closed", _("Complaints closed"), figures.closed),
            words.count("closed_with_lesson", _("Closed complaints with a lesson"), figures.closed_with_lesson),
            words.count("lessons", _("Lessons drawn from them"), figures.lessons),
            words.count("lesson_actions", _("Improvement actions on those lessons"), figures.lesson_actions),
            words.count("lesson_actions_finished", _("of which finished"), figures.lesson_actions_finished),
        ),
        tables=(lessons,),
        charts=(chart,),
    )


def lesson_status_label(code: str, gettext: Callable[[str], str]) -> str:
    labels = {
        "identified": gettext("Identified"),
        "analysed": gettext("Analysed"),
        "actions_agreed": gettext("Actions agreed"),
        "in_progress": gettext("In progress"),
        "measuring_impact": gettext("Measuring impact"),
        "closed": gettext("Closed"),
    }
    return labels.get(code, code)


def determination_label(code: str, gettext: Callable[[str], str]) -> str:
    labels = {
        "severe_maladministration": gettext("Severe maladministration"),
        "maladministration": gettext("Maladministration"),
        "service_failure": gettext("Service failure"),
        "reasonable_redress": gettext("Reasonable redress"),
        "no_maladministration": gettext("No maladministration"),
        "outside_jurisdiction": gettext("Outside the Ombudsman's jurisdiction"),
    }
    return labels[code]


def _ombudsman_section(figures: BoardFigures, words: _Words) -> Section:
    _ = words.gettext
    determinations = Table(
        "determinations",
        _("The Ombudsman's determinations recorded in the period"),
        (_("Determination"), _("Complaints")),
        tuple((determination_label(code, _), n) for code, n in figures.determinations.items()),
    )
    return Section(
        "ombudsman",
        _("The Ombudsman: referrals, determinations and orders"),
        paragraphs=(
            _(
                "Referrals and determinations recorded in the period; the Ombudsman's orders made and complied with "
                "in the period, and those still open, and overdue, when it ended."
            ),
        ),
        figures=(
            words.count("ombudsman_referrals", _("Complaints referred to the Ombudsman"), figures.ombudsman_referrals),
            words.count("orders_made", _("Orders made"), figures.orders_made),
            words.count("orders_complied", _("Orders complied with"), figures.orders_complied),
            words.count("orders_open_at_end", _("Orders open at the end of the period"), figures.orders_open_at_end),
            words.count("orders_overdue_at_end", _("of which past their due date"), figures.orders_overdue_at_end),
        ),
        tables=(determinations,),
    )


def _actions_section(figures: BoardFigures, words: _Words) -> Section:
    _ = words.gettext
    return Section(
        "overdue_actions",
        _("Overdue improvement actions"),
        paragraphs=(
            _(
                "Improvement actions open at the end of the period whose due date, as it stood then, had passed "
                "(counted as the monthly lessons QA counts them)."
            ),
        ),
        figures=(
            words.count(
                "overdue_actions_at_end", _("Overdue actions at the end of the period"), figures.overdue_actions_at_end
            ),
        ),
    )


def _signals_section(period: Period, words: _Words) -> Section:
    """Complaints by month and service area, with the imported signals (disrepair claims, damp and mould cases,
    insurance claims) beside them by service area and by month; a slot saying none are imported until some are."""
    _ = words.gettext
    rows = received_by_month_and_area(period)
    months = [m.first for m in period.months()]
    areas = sorted({area or "" for _first, area, _count in rows})
    counts = {(first, area or ""): count for first, area, count in rows}
    by_month = {first: sum(c for (m, _a), c in counts.items() if m == first) for first in months}
    table = Table(
        "by_month_and_area",
        _("Complaints received by month and service area"),
        (_("Month"), *[area or _("No service area") for area in areas], _("All")),
        tuple(
            (words.month(first), *[counts.get((first, area), 0) for area in areas], by_month[first]) for first in months
        ),
    )
    chart = Chart(
        "received_by_month",
        "line",
        _("Complaints received by month"),
        _("A line through the number of complaints received in each month of the period."),
        _("Month"),
        _("Complaints"),
        tuple(ChartPoint(words.month(first), by_month[first], words.number(by_month[first])) for first in months),
    )
    signals = imported_signals(period)
    if not signals:
        return Section(
            "signals",
            _("Complaints beside other signals, by service area and month"),
            paragraphs=(
                _(
                    "Complaints received in each month, by the service area they are about. No disrepair claims, "
                    "damp and mould cases or insurance claims have been imported for these months yet: managers "
                    "import them on the signals page."
                ),
            ),
            tables=(table,),
            charts=(chart,),
            slot=True,
        )
    kinds = SignalKind.codes()
    kind_names = {
        "disrepair": _("Disrepair claims"),
        "damp_mould": _("Damp and mould cases"),
        "insurance": _("Insurance claims"),
    }
    area_totals = {area: sum(counts.get((first, area), 0) for first in months) for area in areas}
    signal_areas = sorted({area for (_m, area, _k) in signals} | set(areas))
    by_area = Table(
        "signals_by_area",
        _("Complaints beside signals, by service area, over the period"),
        (_("Service area"), _("Complaints"), *(kind_names[kind] for kind in kinds)),
        tuple(
            (
                area or _("No service area"),
                area_totals.get(area, 0),
                *(_signal_total(signals, kind, area=area) for kind in kinds),
            )
            for area in signal_areas
        ),
    )
    by_month_signals = Table(
        "signals_by_month",
        _("Complaints beside signals, by month"),
        (_("Month"), _("Complaints"), *(kind_names[kind] for kind in kinds)),
        tuple(
            (
                words.month(first),
                by_month[first],
                *(
                    sum(n for (m, _a, k), n in signals.items() if m == first.replace(day=1) and k == kind)
                    for kind in kinds
                ),
            )
            for first in months
        ),
    )
    return Section(
        "signals",
        _("Complaints beside other signals, by service area and month"),
        paragraphs=(
            _(
                "Complaints received in each month beside the disrepair claims, damp and mould cases and insurance "
                "claims imported for the same months and service areas: a rise in one without the others can show "
                "where residents are not complaining."
            ),
        ),
        tables=(table, by_area, by_month_signals),
        charts=(chart,),
    )


def _signal_total(
    signals: dict[tuple[dt.date, str, str], int], kind: str, month: dt.date | None = None, area: str | None = None
) -> int:
    """One kind's total over the signals of a month or of a service area."""
    return sum(
        count
        for (at, name, found), count in signals.items()
        if found == kind and (month is None or at == month) and (area is None or name == area)
    )


def imported_signals(period: Period) -> dict[tuple[dt.date, str, str], int]:
    """The imported signals of the months the period touches, by (month, service area name, kind), summed in SQL."""
    rows = _rows(
        SignalCount.select(SignalCount.month, ServiceArea.name, SignalCount.kind, fn.SUM(SignalCount.count))
        .join(ServiceArea)
        .where((SignalCount.month >= period.first.replace(day=1)) & (SignalCount.month <= period.last))
        .group_by(SignalCount.month, ServiceArea.name, SignalCount.kind)
    )
    return {(_day(month), name, kind): int(total or 0) for month, name, kind, total in rows}


def _day(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
