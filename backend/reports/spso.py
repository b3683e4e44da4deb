"""The SPSO's complaints performance indicators for homes in Scotland, counted in SQL over a period.

The SPSO's model complaints handling procedure (Part 4, paragraphs 24 to 28) has the landlord report its
performance "in line with the complaints performance indicators published by SPSO" quarterly to senior management
and yearly to the public. ``docs/reports.md`` (SPSO indicators) gives each definition and its source; in short:

- **in scope**: complaints under the SPSO's procedure (regime ``spso``) about homes in Scotland;
- **received** (indicator 4): a complaint's first stage began in the period: stage 1, or stage 2 opened directly
  (a complex complaint). An escalation is not a new complaint. A complaint refused before any response was never
  taken forward, so it is not counted (it is listed apart);
- **closed** (indicators 5 to 9): a full response issued at a stage in the period (``ComplaintResponse.issued_at``),
  at stage 1, stage 2 opened directly, or stage 2 after escalation;
- **working days**: from the stage's start (receipt, or the escalation request) to the response, on the statutory
  calendar of Scotland (``backend.reports.calendar``), counted as the regime's clocks count them
  (``Regime.counting``: with ``same_day`` the day of receipt is the first working day when it is one);
- **within the timescale**: working days no more than the stage's base timescale in force when the complaint was
  received (``StatutoryTimescale``: 5 and 20), whatever extension was agreed.

Values are kept unrounded and published to one decimal place (:func:`published`). A share, rate or average with
nothing to divide by has no value, and says why (``missing``). Every figure has a key that :func:`complaints_behind`
turns back into the complaints it counts, leaving out those hidden from the reader.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from peewee import JOIN, Case, Select, fn

from backend.accounts.models import Home
from backend.complaints.models import (
    Complaint,
    ComplaintResponse,
    ComplaintStage,
    Contact,
    Regime,
    ResponseOutcome,
)
from backend.complaints.restricted import hidden_complaints
from backend.db import db
from backend.errors import Invalid
from backend.reports import calendar
from backend.reports.models import StatutoryTimescale
from backend.reports.periods import Period, quarter_of, year_of
from backend.reports.stock import homes as stock_homes
from backend.timeutil import local_date

SPSO = "spso"
NATION = "scotland"
#: The three ways a complaint is closed, in the SPSO's order.
STAGE1, DIRECT, ESCALATED = "stage1", "stage2_direct", "stage2_escalated"
STAGES = (STAGE1, DIRECT, ESCALATED)
NOT_RECORDED = "not_recorded"
#: The outcomes of a stage's response, and responses from before outcomes were recorded.
OUTCOMES = (*ResponseOutcome.codes(), NOT_RECORDED)
#: Why a figure has no value.
NO_STOCK, NOTHING_TO_DIVIDE = "no_stock", "zero_denominator"
#: The most complaints one drill-down lists.
MAX_LISTED = 1_000
MAX_KEY = 60


@dataclass(frozen=True)
class Figure:
    """One figure: what it counts and divides by, and its unrounded value (None with the reason, ``missing``)."""

    key: str
    numerator: float
    denominator: float | None = None
    value: float | None = None
    missing: str | None = None

    @property
    def published(self) -> str | None:
        return published(self.value)


def published(value: float | None) -> str | None:
    """A value as published: one decimal place, halves rounded up (22.25 is 22.3); None stays None."""
    if value is None:
        return None
    return str(Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def count(key: str, number: int) -> Figure:
    return Figure(key, number, None, float(number))


def ratio(key: str, numerator: float, denominator: float | None, scale: float, missing: str) -> Figure:
    """``numerator / denominator * scale``; no value, and why, when the denominator is 0 or unknown."""
    if not denominator:
        return Figure(key, numerator, denominator, None, NO_STOCK if denominator is None else missing)
    return Figure(key, numerator, denominator, numerator * scale / denominator)


def share(key: str, numerator: float, denominator: float) -> Figure:
    return ratio(key, numerator, denominator, 100.0, NOTHING_TO_DIVIDE)


@dataclass(frozen=True)
class StageFigures:
    """Indicators 5 to 9 for one way of closing: stage 1, stage 2 direct or stage 2 after escalation."""

    stage: str
    timescale_days: int | None
    closed: Figure
    outcomes: tuple[tuple[str, Figure], ...]
    average_days: Figure
    within: Figure
    extended: Figure


@dataclass(frozen=True)
class Indicators:
    """Every figure the SPSO asks for, for one period."""

    period: Period
    stock_year: int
    homes: int | None
    received: Figure
    per_thousand: Figure
    refused: Figure
    closed: Figure
    stages: tuple[StageFigures, ...]


def default_period(today: dt.date | None = None) -> Period:
    """The last complete quarter: the one the quarterly report to senior management is about."""
    return quarter_of(today or local_date()).previous()


def stock_year(period: Period) -> int:
    """The regulator's year whose year-end homes a period divides by: the year its last day falls in."""
    return year_of(period.last).first.year


# --- The SQL ---------------------------------------------------------------------------------------------------


def _number(query: Select) -> Any:
    """A scalar subquery as an expression that arithmetic can use (0 beyond the calendar)."""
    return fn.COALESCE(query, 0)


def working_days(start: Any, end: Any, nation: Any, counting: str) -> Any:
    """Working days from ``start`` to ``end`` (stored moments), counted as the regime's clocks count them.

    ``next_working_day``: the working days after the day of ``start`` up to and including the day of ``end``
    (``working_days_between``). ``same_day``: the day of ``start`` counts too when it is a working day.
    """
    before = calendar.count_day_before(start, nation) if counting == "same_day" else calendar.count_at(start, nation)
    return _number(calendar.count_at(end, nation)) - _number(before)


def _scope() -> Any:
    spso = Regime.select(Regime.id).where(Regime.code == SPSO)
    return (Complaint.nation == NATION) & Complaint.regime.in_(spso)


def _in(period: Period, column: Any) -> Any:
    return (column >= period.start) & (column < period.end)


def _counting() -> str:
    regime = Regime.get_or_none(Regime.code == SPSO)
    return regime.counting if regime is not None else "next_working_day"


def _base_days() -> Select:
    """The stage's base timescale in force on the UK day the complaint was received."""
    timescale = StatutoryTimescale.alias()
    return (
        timescale.select(timescale.respond_days)
        .where(
            timescale.regime == SPSO,
            timescale.stage == ComplaintResponse.stage,
            timescale.in_force_from <= calendar.local_day(Contact.received_at),
        )
        .order_by(timescale.in_force_from.desc())
        .limit(1)
    )


def closures(period: Period) -> Select:
    """One row a full response issued in the period: the complaint, how it was closed (``bucket``), its working
    days, whether they were within the base timescale and whether the stage was extended (1 or 0), its outcome."""
    days = working_days(ComplaintStage.opened_at, ComplaintResponse.issued_at, Complaint.nation, _counting())
    bucket = Case(
        None,
        [(ComplaintResponse.stage == 1, STAGE1), (ComplaintStage.entry_route == "direct", DIRECT)],
        ESCALATED,
    )
    return (
        ComplaintResponse.select(
            ComplaintResponse.complaint.alias("complaint_id"),
            bucket.alias("bucket"),
            days.alias("days"),
            Case(None, [(days <= _number(_base_days()), 1)], 0).alias("within"),
            Case(None, [(ComplaintStage.extended_days > 0, 1)], 0).alias("extended"),
            fn.COALESCE(ComplaintResponse.outcome, NOT_RECORDED).alias("outcome"),
        )
        .join(Complaint, on=ComplaintResponse.complaint == Complaint.id)
        .join(Contact, on=Complaint.contact == Contact.id)
        .join(
            ComplaintStage,
            on=(ComplaintStage.complaint == ComplaintResponse.complaint)
            & (ComplaintStage.number == ComplaintResponse.stage),
        )
        .where(_scope(), _in(period, ComplaintResponse.issued_at), ComplaintResponse.stage.in_((1, 2)))
    )


def _refused_unanswered() -> Any:
    answered = ComplaintResponse.select(ComplaintResponse.id).where(ComplaintResponse.complaint == Complaint.id)
    return (Complaint.status == "refused") & ~fn.EXISTS(answered)


def district(postcode: Any) -> Any:
    """The postcode district (outward code) of a postcode as recorded: EH1 1AA, eh11aa and EH1  1AA give EH1.

    The inward code is always three characters, so the district is what is left without spaces; a postcode of
    three characters or fewer is kept whole.
    """
    compact = fn.UPPER(fn.REPLACE(fn.COALESCE(postcode, ""), " ", ""))
    return Case(None, [(fn.LENGTH(compact) > 3, fn.SUBSTR(compact, 1, fn.LENGTH(compact) - 3))], compact)


def receipts(period: Period, refused: bool = False) -> Select:
    """One row a complaint whose first stage began in the period (stage 1, or stage 2 opened directly): the
    complaint, its service area, whether it has a home (1 or 0) and the home's postcode district.

    Complaints refused before any response are left out, or, with ``refused``, are the only ones."""
    first = (ComplaintStage.number == 1) | ((ComplaintStage.number == 2) & (ComplaintStage.entry_route == "direct"))
    return (
        Complaint.select(
            Complaint.id.alias("complaint_id"),
            Complaint.service_area.alias("service_area_id"),
            Case(None, [(Home.id.is_null(), 0)], 1).alias("has_home"),
            district(Home.postcode).alias("district"),
        )
        .join(ComplaintStage, on=(ComplaintStage.complaint == Complaint.id) & first)
        .join(Home, JOIN.LEFT_OUTER, on=Complaint.home == Home.id)
        .where(
            _scope(),
            _in(period, ComplaintStage.opened_at),
            _refused_unanswered() if refused else ~_refused_unanswered(),
        )
    )


def grouped_rows(columns: list[Any], source: Select, *group: Any) -> list[tuple[Any, ...]]:
    """The rows of ``columns`` over a derived table (``source``, aliased), grouped by its plain columns: grouping
    by a column of a derived table rather than by an expression works alike on SQLite and PostgreSQL."""
    query = Select([source], columns)
    if group:
        query = query.group_by(*group)
    return list(query.bind(db).tuples())


def _total(source: Select) -> int:
    rows = grouped_rows([fn.COUNT(source.c.complaint_id)], source)
    return int(rows[0][0] or 0)


# --- The indicators ----------------------------------------------------------------------------------------------


def timescale_days(stage: int, on: dt.date) -> int | None:
    """The base timescale of an SPSO stage in force on a day: None where none is recorded."""
    row = (
        StatutoryTimescale.select(StatutoryTimescale.respond_days)
        .where(
            StatutoryTimescale.regime == SPSO,
            StatutoryTimescale.stage == stage,
            StatutoryTimescale.in_force_from <= on,
        )
        .order_by(StatutoryTimescale.in_force_from.desc())
        .first()
    )
    return row.respond_days if row is not None else None


def indicators(period: Period) -> Indicators:
    """Indicators 4 to 9 for a period (the statements and areas are in ``spso_context``)."""
    year = stock_year(period)
    homes = stock_homes(year, NATION)
    received = _total(receipts(period).alias("r"))
    refused = _total(receipts(period, refused=True).alias("r"))
    rows = closures(period).alias("c")
    outcome_sums = [fn.SUM(Case(None, [(rows.c.outcome == code, 1)], 0)) for code in OUTCOMES]
    grouped = grouped_rows(
        [
            rows.c.bucket,
            fn.COUNT(rows.c.complaint_id),
            fn.SUM(rows.c.days),
            fn.SUM(rows.c.within),
            fn.SUM(rows.c.extended),
            *outcome_sums,
        ],
        rows,
        rows.c.bucket,
    )
    found = {row[0]: [int(value or 0) for value in row[1:]] for row in grouped}
    all_closed = sum(values[0] for values in found.values())
    stages = []
    for bucket in STAGES:
        closed, days, within, extended, *outcomes = found.get(bucket, [0] * (4 + len(OUTCOMES)))
        stages.append(
            StageFigures(
                stage=bucket,
                timescale_days=timescale_days(1 if bucket == STAGE1 else 2, period.last),
                closed=share(f"closed:{bucket}", closed, all_closed),
                outcomes=tuple(
                    (code, share(f"outcome:{bucket}:{code}", number, closed))
                    for code, number in zip(OUTCOMES, outcomes, strict=True)
                ),
                average_days=ratio(f"days:{bucket}", days, closed, 1.0, NOTHING_TO_DIVIDE),
                within=share(f"within:{bucket}", within, closed),
                extended=share(f"extended:{bucket}", extended, closed),
            )
        )
    return Indicators(
        period=period,
        stock_year=year,
        homes=homes,
        received=count("received", received),
        per_thousand=ratio("received", received, homes, 1000.0, NOTHING_TO_DIVIDE),
        refused=count("refused", refused),
        closed=count("closed", all_closed),
        stages=tuple(stages),
    )


# --- Drilling down -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drill:
    """The complaints behind a figure that the reader may see (at most ``MAX_LISTED``, by id), and how many more
    there are: hidden from the reader, or past the list's end."""

    complaints: tuple[tuple[int, str], ...]
    hidden: int
    more: int


def _condition(period: Period, key: str) -> tuple[Select, Any]:
    """The rows a figure's key counts, and the condition on them; raise Invalid("figure", "unknown")."""
    parts = key.split(":") if len(key) <= MAX_KEY else []
    name, rest = (parts[0], parts[1:]) if parts else ("", [])
    if name in ("received", "refused") and not rest:
        rows = receipts(period, refused=name == "refused").alias("r")
        return rows, None
    if name == "service_area" and len(rest) == 1:
        rows = receipts(period).alias("r")
        if rest[0] == "none":
            return rows, rows.c.service_area_id.is_null()
        if rest[0].isdigit():
            return rows, rows.c.service_area_id == int(rest[0])
    if name == "area" and len(rest) == 1:
        rows = receipts(period).alias("r")
        if rest[0] == "none":
            return rows, rows.c.has_home == 0
        return rows, (rows.c.has_home == 1) & (rows.c.district == rest[0])
    if name == "closed" and not rest:
        return closures(period).alias("c"), None
    if name in ("closed", "days", "within", "extended", "outcome") and rest and rest[0] in STAGES:
        rows = closures(period).alias("c")
        condition = rows.c.bucket == rest[0]
        if name in ("within", "extended") and len(rest) == 1:
            return rows, condition & (getattr(rows.c, name) == 1)
        if name in ("closed", "days") and len(rest) == 1:
            return rows, condition
        if name == "outcome" and len(rest) == 2 and rest[1] in OUTCOMES:
            return rows, condition & (rows.c.outcome == rest[1])
    raise Invalid("figure", "unknown")


def complaints_behind(period: Period, key: str, user_id: int | None) -> Drill:
    """The complaints a figure counts, as (id, reference), leaving out those hidden from ``user_id``.

    Raises Invalid("figure", "unknown") for a key no figure has.
    """
    rows, condition = _condition(period, key)
    query = Select([rows], [rows.c.complaint_id]).distinct()
    if condition is not None:
        query = query.where(condition)
    total = _total(query.alias("f"))
    visible = (
        Complaint.select(Complaint.id, Complaint.reference)
        .where(Complaint.id.in_(query), Complaint.id.not_in(hidden_complaints(user_id)))
        .order_by(Complaint.id)
    )
    seen = visible.count()
    listed = tuple((row.id, row.reference) for row in visible.limit(MAX_LISTED))
    return Drill(complaints=listed, hidden=total - seen, more=seen - len(listed))
