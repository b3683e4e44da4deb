"""The Code's annual complaints performance and service improvement report: the analysis of complaint handling
(Code 2024, 8.1(b)) and the service improvements made from learning (8.1(d)), counted in SQL over a period.

The analysis covers complaints about homes in England (the Housing Ombudsman's Code governs them): received,
refused and withdrawn by stage and category; outcomes by stage; the share acknowledged and responded to on time per
stage; extensions; the mean and median working days to respond; the escalation rate; Ombudsman cases and orders;
remedies and the compensation paid; and the types of complaints refused. docs/reports.md gives every definition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import JOIN, Case, Select, Value, fn

from backend.complaints.models import (
    Category,
    Complaint,
    ComplaintResponse,
    ComplaintStage,
    ComplaintStatus,
    OmbudsmanOrder,
    Remedy,
    RemedyKind,
)
from backend.lessons.bulletins import closed_lessons
from backend.lessons.models import ActionStatus, ImprovementAction, Lesson
from backend.reports import calendar
from backend.reports.figures import PERCENT, Figure
from backend.reports.periods import Period
from backend.reports.tsm_complaints import NATION, STAGES, moment, refused_escalations, responded

#: Working days to acknowledge a stage (Code 2024 6.2 and 6.11; the Code 2022 asked the same at stage 1).
ACKNOWLEDGE_DAYS = 5
#: The most improvements the report lists; the counts cover them all.
MAX_IMPROVEMENTS = 200


def _database() -> Any:
    return Complaint._meta.database


def rows_of(query: Any) -> list[tuple[Any, ...]]:
    """A query's rows as tuples."""
    return [tuple(row) for row in query.tuples()]


def row_of(query: Any) -> tuple[Any, ...]:
    """An aggregate query's one row as a tuple."""
    return tuple(query.tuples().get())


@dataclass(frozen=True)
class CategoryRow:
    """One stage and category: received, of which refused and of which withdrawn."""

    stage: int
    category: str | None
    received: int
    refused: int
    withdrawn: int


def by_category(period: Period) -> list[CategoryRow]:
    """Stages opened in the period by stage and category, with those refused and those withdrawn among them."""
    stage = ComplaintStage.alias()
    complaint = Complaint.alias()
    category = Category.alias()
    refused = (
        (complaint.status == ComplaintStatus.REFUSED.value)
        & (complaint.stage == stage.number)
        & (stage.responded_at.is_null())
    )
    query = (
        stage.select(
            stage.number,
            category.name,
            fn.COUNT(stage.id),
            fn.SUM(Case(None, [(refused, 1)], 0)),
            fn.SUM(Case(None, [(complaint.status == ComplaintStatus.WITHDRAWN.value, 1)], 0)),
        )
        .join(complaint, on=(stage.complaint == complaint.id))
        .join(category, JOIN.LEFT_OUTER, on=(complaint.category == category.id))
        .where((complaint.nation == NATION) & (stage.opened_at >= period.start) & (stage.opened_at < period.end))
        .group_by(stage.number, category.name)
        .order_by(stage.number, category.name)
    )
    return [CategoryRow(n, name, count, int(ref or 0), int(wd or 0)) for n, name, count, ref, wd in rows_of(query)]


def outcomes(period: Period) -> dict[int, dict[str | None, int]]:
    """Responses issued in the period by stage and outcome (None: no outcome recorded)."""
    response = ComplaintResponse.alias()
    complaint = Complaint.alias()
    query = (
        response.select(response.stage, response.outcome, fn.COUNT(response.id))
        .join(complaint, on=(response.complaint == complaint.id))
        .where((complaint.nation == NATION) & (response.issued_at >= period.start) & (response.issued_at < period.end))
        .group_by(response.stage, response.outcome)
    )
    found: dict[int, dict[str | None, int]] = {number: {} for number in STAGES}
    for number, outcome, count in rows_of(query):
        found.setdefault(number, {})[outcome] = count
    return found


def acknowledged_on_time(period: Period, stage_number: int) -> Figure:
    """Stages acknowledged in the period within 5 working days of opening, of all acknowledged in the period."""
    stage = ComplaintStage.alias()
    complaint = Complaint.alias()
    taken = calendar.count_at(stage.acknowledged_at, complaint.nation) - calendar.count_at(
        stage.opened_at, complaint.nation
    )
    row = row_of(
        stage.select(fn.SUM(Case(None, [(taken <= ACKNOWLEDGE_DAYS, 1)], 0)), fn.COUNT(stage.id))
        .join(complaint, on=(stage.complaint == complaint.id))
        .where(
            (stage.number == stage_number)
            & (complaint.nation == NATION)
            & (stage.acknowledged_at >= period.start)
            & (stage.acknowledged_at < period.end)
        )
    )
    return Figure(f"acknowledged_on_time({stage_number})", int(row[0] or 0), row[1], PERCENT)


@dataclass(frozen=True)
class ResponseTimes:
    """A stage's responses in the period: how many, in time, extended, and the working days taken."""

    stage: int
    responded: int
    in_time: Figure
    extended: Figure
    extended_beyond_cap: int
    mean_days: Decimal | None
    median_days: Decimal | None


def response_times(period: Period, stage_number: int) -> ResponseTimes:
    """In time as CH02 judges it; extended: any extension recorded; the mean and median working days taken."""
    rows = responded(period, stage_number).alias("times")
    database = _database()
    count, in_time, extended, beyond, total = row_of(
        Select(
            [rows],
            [
                fn.COUNT(Value(1)),
                fn.SUM(rows.c.in_time),
                fn.SUM(Case(None, [(rows.c.extended_days > 0, 1)], 0)),
                fn.SUM(Case(None, [(rows.c.extended_days > rows.c.extension_allowed, 1)], 0)),
                fn.SUM(rows.c.working_days),
            ],
        ).bind(database)
    )
    count = int(count or 0)
    mean = (Decimal(int(total or 0)) / Decimal(count)).quantize(Decimal("0.1")) if count else None
    return ResponseTimes(
        stage=stage_number,
        responded=count,
        in_time=Figure(f"responded_on_time({stage_number})", int(in_time or 0), count, PERCENT),
        extended=Figure(f"extended({stage_number})", int(extended or 0), count, PERCENT),
        extended_beyond_cap=int(beyond or 0),
        mean_days=mean,
        median_days=_median(rows, count, database),
    )


def _median(rows: Any, count: int, database: Any) -> Decimal | None:
    """The median working days, in SQL: the middle row, or the mean of the middle two."""
    if not count:
        return None
    middle = rows_of(
        Select([rows], [rows.c.working_days])
        .order_by(rows.c.working_days)
        .offset((count - 1) // 2)
        .limit(2 if count % 2 == 0 else 1)
        .bind(database)
    )
    values = [int(value) for (value,) in middle]
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(Decimal("0.1"))


def escalation_rate(period: Period) -> Figure:
    """Stage 1 responses issued in the period whose complaint has gone on to stage 2 since, of all of them."""
    stage = ComplaintStage.alias()
    later = ComplaintStage.alias()
    complaint = Complaint.alias()
    escalated = fn.EXISTS(later.select(Value(1)).where((later.complaint == stage.complaint) & (later.number == 2)))
    row = row_of(
        stage.select(fn.SUM(Case(None, [(escalated, 1)], 0)), fn.COUNT(stage.id))
        .join(complaint, on=(stage.complaint == complaint.id))
        .where(
            (stage.number == 1)
            & (complaint.nation == NATION)
            & (stage.responded_at >= period.start)
            & (stage.responded_at < period.end)
        )
    )
    return Figure("escalation_rate", int(row[0] or 0), row[1], PERCENT)


@dataclass(frozen=True)
class OmbudsmanFigures:
    """Complaints taken to the Ombudsman and the Ombudsman's findings and orders in the period."""

    referred: int
    determinations: dict[str, int]
    orders_made: int
    orders_complied: int
    orders_outstanding: int
    orders_overdue: int


def ombudsman(period: Period) -> OmbudsmanFigures:
    complaint = Complaint.alias()
    in_england = complaint.nation == NATION
    referred = (
        complaint.select(fn.COUNT(complaint.id))
        .where(
            in_england
            & (complaint.ombudsman_referred_at >= period.start)
            & (complaint.ombudsman_referred_at < period.end)
        )
        .scalar()
    )
    determinations = dict(
        rows_of(
            complaint.select(complaint.ombudsman_determination, fn.COUNT(complaint.id))
            .where(
                in_england
                & complaint.ombudsman_determination.is_null(False)
                & (complaint.ombudsman_determined_at >= period.start)
                & (complaint.ombudsman_determined_at < period.end)
            )
            .group_by(complaint.ombudsman_determination)
        )
    )
    order = OmbudsmanOrder.alias()
    made_in = (order.created_at >= period.start) & (order.created_at < period.end)
    complied = order.complied_on.is_null(False) & (order.complied_on <= period.last)
    made, done, overdue = row_of(
        order.select(
            fn.COUNT(order.id),
            fn.SUM(Case(None, [(complied, 1)], 0)),
            fn.SUM(Case(None, [(~complied & (order.due_on < period.last), 1)], 0)),
        )
        .join(complaint, on=(order.complaint == complaint.id))
        .where(in_england & made_in)
    )
    made = int(made or 0)
    return OmbudsmanFigures(
        referred=int(referred or 0),
        determinations={str(k): v for k, v in determinations.items()},
        orders_made=made,
        orders_complied=int(done or 0),
        orders_outstanding=made - int(done or 0),
        orders_overdue=int(overdue or 0),
    )


@dataclass(frozen=True)
class Remedies:
    """Remedies offered in responses issued in the period, by kind, and the financial redress offered and paid."""

    by_kind: dict[str, int]
    compensation_offered: Decimal
    compensation_paid: Decimal


def remedies(period: Period) -> Remedies:
    remedy = Remedy.alias()
    response = ComplaintResponse.alias()
    complaint = Complaint.alias()
    scope = (complaint.nation == NATION) & (response.issued_at >= period.start) & (response.issued_at < period.end)
    base = (
        remedy.select()
        .join(response, on=(remedy.response == response.id))
        .join(complaint, on=(remedy.complaint == complaint.id))
        .where(scope)
    )
    by_kind = dict(rows_of(base.select(remedy.kind, fn.COUNT(remedy.id)).group_by(remedy.kind)))
    money = remedy.kind == RemedyKind.FINANCIAL_REDRESS.value
    offered, paid = row_of(
        base.select(
            fn.SUM(Case(None, [(money, remedy.amount)], 0)),
            fn.SUM(Case(None, [(money & remedy.completed_at.is_null(False), remedy.amount)], 0)),
        )
    )
    return Remedies(
        by_kind={str(k): v for k, v in by_kind.items()},
        compensation_offered=Decimal(str(offered or 0)).quantize(Decimal("0.01")),
        compensation_paid=Decimal(str(paid or 0)).quantize(Decimal("0.01")),
    )


def refusals(period: Period) -> dict[str, int]:
    """The types of complaints refused in the period (Code 2024 8.1(b)): refusals and refused escalations by
    ground of exclusion."""
    complaint = Complaint.alias()
    query = (
        complaint.select(complaint.refusal_ground, fn.COUNT(complaint.id))
        .where(
            (complaint.nation == NATION)
            & (complaint.status == ComplaintStatus.REFUSED.value)
            & (complaint.refused_at >= period.start)
            & (complaint.refused_at < period.end)
        )
        .group_by(complaint.refusal_ground)
    )
    return {str(ground): count for ground, count in rows_of(query)}


@dataclass(frozen=True)
class Improvement:
    """An improvement action finished in the period, with the lesson it came from."""

    action_id: int
    title: str
    lesson_reference: str
    lesson_title: str
    finished_at: dt.datetime | None


@dataclass(frozen=True)
class Improvements:
    """The service improvements made from learning in the period (Code 2024 8.1(d))."""

    lessons_closed: int
    actions_finished: int
    listed: list[Improvement]


def improvements(period: Period) -> Improvements:
    """Lessons closed and actions signed off or verified in the period, and those actions, newest first."""
    # Closed when it last stepped to "closed", as the lessons bulletin counts it.
    lessons_closed = len(closed_lessons(period.first, period.last))
    finished_at = fn.COALESCE(ImprovementAction.verified_at, ImprovementAction.signed_off_at)
    finished = (
        (ImprovementAction.status.in_((ActionStatus.SIGNED_OFF.value, ActionStatus.VERIFIED.value)))
        & (finished_at >= period.start)
        & (finished_at < period.end)
    )
    count = ImprovementAction.select(fn.COUNT(ImprovementAction.id)).where(finished).scalar()
    rows = rows_of(
        ImprovementAction.select(
            ImprovementAction.id, ImprovementAction.title, Lesson.reference, Lesson.title, finished_at.alias("done")
        )
        .join(Lesson)
        .where(finished)
        .order_by(finished_at.desc(), ImprovementAction.id.desc())
        .limit(MAX_IMPROVEMENTS)
    )
    listed = [
        Improvement(action_id, title, reference, lesson_title, moment(done))
        for action_id, title, reference, lesson_title, done in rows
    ]
    return Improvements(int(lessons_closed or 0), int(count or 0), listed)


@dataclass(frozen=True)
class Analysis:
    """Section (b) of the annual report, and the improvements of section (d)."""

    period: Period
    categories: list[CategoryRow]
    outcomes: dict[int, dict[str | None, int]]
    acknowledged: dict[int, Figure]
    times: dict[int, ResponseTimes]
    escalation: Figure
    ombudsman: OmbudsmanFigures
    remedies: Remedies
    refusals: dict[str, int]
    refused_escalations: int
    improvements: Improvements


def analyse(period: Period) -> Analysis:
    """Every figure of the annual report's analysis for ``period`` (the regulator's year, usually)."""
    escalations = refused_escalations(period).alias("refused_escalations")
    return Analysis(
        period=period,
        categories=by_category(period),
        outcomes=outcomes(period),
        acknowledged={number: acknowledged_on_time(period, number) for number in STAGES},
        times={number: response_times(period, number) for number in STAGES},
        escalation=escalation_rate(period),
        ombudsman=ombudsman(period),
        remedies=remedies(period),
        refusals=refusals(period),
        refused_escalations=int(Select([escalations], [fn.COUNT(Value(1))]).bind(_database()).scalar() or 0),
        improvements=improvements(period),
    )
