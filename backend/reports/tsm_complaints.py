"""The Tenant Satisfaction Measures on complaints, CH01 and CH02, counted in SQL over a regulator's year.

- **CH01(s)**: stage ``s`` complaints received in the year ÷ the relevant homes at the year's end × 1,000. A stage
  is received when it opens: stage 1 on receipt, stage 2 when the escalation was asked for, so last year's
  complaint escalated this year counts in this year's CH01(2). Complaints refused under a ground of exclusion are
  left out and listed on their own; withdrawn ones count (they were received); merged contacts have no complaint
  of their own. Complaints with no home can be put under neither tenure: they are a data-quality exception.
- **CH02(s)**: stage ``s`` complaints responded to in the year within the Code's timescales ÷ those responded to in
  the year × 100, whatever year they were received in. Within the timescale: the working days from the stage's
  start (the acknowledgement under the 2024 Code) to the response are at most the timescale in force when the
  complaint was received, plus any extension told to the resident by the original due date with the Ombudsman's
  details, capped (10 at stage 1, 20 at stage 2 under the 2024 Code) unless a good reason was recorded.

Both are for homes in England (the Regulator of Social Housing's measures), low-cost rental (``rented``) and
low-cost home ownership (``shared_ownership``) apart. Working days are the statutory calendar's
(``backend.reports.calendar``): weekends and bank holidays, never the landlord's closure days. docs/reports.md
gives every definition and its source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from peewee import JOIN, Case, Select, Value, fn

from backend.accounts.models import Home, Tenure
from backend.complaints.models import Complaint, ComplaintStage, ComplaintStatus, Contact, Regime
from backend.reports import calendar
from backend.reports.figures import PER_THOUSAND, PERCENT, Figure
from backend.reports.models import StatutoryTimescale, TimescaleStart
from backend.reports.periods import YEAR, Period, uk_midnight, year_of
from backend.reports.stock import homes
from backend.vocabulary import Vocabulary

NATION = "england"
REGIME = "hoc"
STAGES = (1, 2)
TENURES = Tenure.codes()
#: The most complaints one drill-down page lists.
MAX_ROWS = 500


class TsmList(Vocabulary):
    """Which complaints behind the CH01 and CH02 figures a list holds."""

    RECEIVED = "received", "Stages received in the period that CH01 counts (refused ones left out)."
    RESPONDED = "responded", "Stages responded to in the period that CH02 counts, each in time or late."
    LATE = "late", "Stages responded to in the period outside the Code's timescales."
    REFUSED = "refused", "Stages received in the period and refused under a ground of exclusion: left out of CH01."
    REFUSED_ESCALATIONS = "refused_escalations", "Escalations to stage 2 refused in the period: no stage 2 opened."
    NO_HOME = "no_home", "Stages received in the period about no home on record: a data-quality exception."


def _refused_here(stage: Any, complaint: Any) -> Any:
    """The stage was refused under a ground of exclusion: never taken forward, so never answered."""
    return (
        (complaint.status == ComplaintStatus.REFUSED.value)
        & (complaint.stage == stage.number)
        & (stage.responded_at.is_null())
    )


def received(period: Period, stage_number: int) -> Select:
    """Stage ``stage_number`` of every complaint about a home in England received in the period (refused ones
    too, flagged), one row each: the complaint, its reference, its home's tenure (null: no home), when the stage
    opened, whether it was refused and whether it was withdrawn."""
    stage = ComplaintStage.alias()
    complaint = Complaint.alias()
    home = Home.alias()
    return (
        stage.select(
            complaint.id.alias("complaint_id"),
            complaint.reference.alias("reference"),
            home.tenure.alias("tenure"),
            stage.opened_at.alias("opened_at"),
            Case(None, [(_refused_here(stage, complaint), 1)], 0).alias("refused"),
            complaint.refusal_ground.alias("refusal_ground"),
            Case(None, [(complaint.status == ComplaintStatus.WITHDRAWN.value, 1)], 0).alias("withdrawn"),
        )
        .join(complaint, on=(stage.complaint == complaint.id))
        .join(home, JOIN.LEFT_OUTER, on=(complaint.home == home.id))
        .where(
            (stage.number == stage_number)
            & (complaint.nation == NATION)
            & (stage.opened_at >= period.start)
            & (stage.opened_at < period.end)
        )
    )


def refused_escalations(period: Period) -> Select:
    """Complaints whose escalation to stage 2 was refused in the period under a ground of exclusion: their stage 2
    never opened, so CH01(2) never counts them; the annual report lists them with the refusals."""
    stage = ComplaintStage.alias()
    complaint = Complaint.alias()
    home = Home.alias()
    return (
        complaint.select(
            complaint.id.alias("complaint_id"),
            complaint.reference.alias("reference"),
            home.tenure.alias("tenure"),
            complaint.refused_at.alias("refused_at"),
            complaint.refusal_ground.alias("refusal_ground"),
        )
        .join(stage, on=(stage.complaint == complaint.id) & (stage.number == complaint.stage))
        .join(home, JOIN.LEFT_OUTER, on=(complaint.home == home.id))
        .where(
            (complaint.nation == NATION)
            & (complaint.status == ComplaintStatus.REFUSED.value)
            & stage.responded_at.is_null(False)
            & (complaint.refused_at >= period.start)
            & (complaint.refused_at < period.end)
        )
    )


def responded(period: Period, stage_number: int) -> Select:
    """Stage ``stage_number`` of every complaint about a home in England responded to in the period, one row each,
    with how its time is judged: the working days taken, the timescale in force when the complaint was received,
    the extension allowed and whether it was within the Code's timescales."""
    stage = ComplaintStage.alias()
    complaint = Complaint.alias()
    contact = Contact.alias()
    home = Home.alias()
    timescale = StatutoryTimescale.alias()
    in_force, start, taken, allowed = judgement(
        stage, complaint, contact, timescale, REGIME, _in_force(stage_number, contact.received_at)
    )
    rows = (
        stage.select(
            complaint.id.alias("complaint_id"),
            complaint.reference.alias("reference"),
            home.tenure.alias("tenure"),
            contact.received_at.alias("received_at"),
            start.alias("started_at"),
            stage.responded_at.alias("responded_at"),
            taken.alias("working_days"),
            timescale.respond_days.alias("timescale_days"),
            stage.extended_days.alias("extended_days"),
            allowed.alias("extension_allowed"),
            timescale.source.alias("timescale_source"),
        )
        .join(complaint, on=(stage.complaint == complaint.id))
        .join(contact, on=(complaint.contact == contact.id))
        .join(timescale, on=(timescale.id == in_force))
        .join(home, JOIN.LEFT_OUTER, on=(complaint.home == home.id))
        .where(
            (stage.number == stage_number)
            & (complaint.nation == NATION)
            & (stage.responded_at >= period.start)
            & (stage.responded_at < period.end)
        )
    )
    judged = rows.alias("judged")
    in_time = judged.c.working_days <= judged.c.timescale_days + judged.c.extension_allowed
    columns = [*(judged.c[name] for name in RESPONDED_COLUMNS), Case(None, [(in_time, 1)], 0).alias("in_time")]
    return Select([judged], columns).bind(Complaint._meta.database)


def judgement(
    stage: Any, complaint: Any, contact: Any, timescale: Any, regime: Any, in_force: Any = None
) -> tuple[Any, Any, Any, Any]:
    """How a stage's response is timed, as SQL over the aliases given (a stage, its complaint, the complaint's
    contact and the statutory timescale joined on the first expression): the id of the timescale in force for
    ``regime`` (a code, or an expression) when the complaint was received; when the timescale started (the
    acknowledgement, or the stage's opening if never acknowledged, or the opening under a timescale from receipt);
    the working days taken to the response; and the extension that counts (told by the original due date with the
    Ombudsman's details, capped unless a good reason was recorded). ``in_force`` replaces the lookup of the
    timescale in force where the caller knows the stage and regime (:func:`_in_force`, one expression)."""
    if in_force is None:
        newer = StatutoryTimescale.alias()
        received_day = calendar.local_day(contact.received_at)
        in_force = calendar.scalar(
            newer.select(newer.id)
            .where((newer.regime == regime) & (newer.stage == stage.number) & (newer.in_force_from <= received_day))
            .order_by(newer.in_force_from.desc())
            .limit(1)
        )
    start = Case(
        None,
        [
            (
                timescale.starts_from == TimescaleStart.ACKNOWLEDGEMENT.value,
                fn.COALESCE(stage.acknowledged_at, stage.opened_at),
            )
        ],
        stage.opened_at,
    )
    started = calendar.count_at(start, complaint.nation)
    taken = calendar.count_at(stage.responded_at, complaint.nation) - started
    told_in_time = (
        (stage.extended_days > 0)
        & stage.extension_told_on.is_null(False)
        & (stage.extension_ombudsman_details_given == True)  # noqa: E712 (peewee builds SQL from ==)
        & (calendar.count_before(stage.extension_told_on, complaint.nation) < started + timescale.respond_days)
    )
    good_reason = stage.extension_good_reason.is_null(False) & (fn.TRIM(stage.extension_good_reason) != "")
    capped = Case(None, [(stage.extended_days > timescale.extension_cap, timescale.extension_cap)], stage.extended_days)
    allowed = Case(None, [(told_in_time & good_reason, stage.extended_days), (told_in_time, capped)], 0)
    return in_force, start, taken, allowed


def responded_in_time(complaint_id: Any, stage_number: Any) -> Any:
    """Whether the stage of a complaint (expressions from the query this goes into) was responded to within the
    timescales of the complaint's own procedure in force when it was received, judged as CH02 judges it."""
    stage = ComplaintStage.alias()
    complaint = Complaint.alias()
    contact = Contact.alias()
    regime = Regime.alias()
    timescale = StatutoryTimescale.alias()
    in_force, _start, taken, allowed = judgement(stage, complaint, contact, timescale, regime.code)
    return fn.EXISTS(
        stage.select(stage.id)
        .join(complaint, on=(stage.complaint == complaint.id))
        .join(contact, on=(complaint.contact == contact.id))
        .join(regime, on=(complaint.regime == regime.id))
        .join(timescale, on=(timescale.id == in_force))
        .where(
            (stage.complaint == complaint_id)
            & (stage.number == stage_number)
            & stage.responded_at.is_null(False)
            & (taken <= timescale.respond_days + allowed)
        )
    )


def _in_force(stage_number: int, received_at: Any) -> Any:
    """The id of the stage's timescale in force when the complaint was received (a stored moment): the newest
    version whose first UK day had begun by then, none before the first. The versions are few, so they are read
    once and compared as moments (a UK day's first moment, as ``uk_day`` has it) in one expression, rather than a
    subquery per complaint that looks up its UK date and then the versions (docs/performance.md)."""
    versions: Any = (
        StatutoryTimescale.select(StatutoryTimescale.id, StatutoryTimescale.in_force_from)
        .where((StatutoryTimescale.regime == REGIME) & (StatutoryTimescale.stage == stage_number))
        .order_by(StatutoryTimescale.in_force_from.desc())
        .tuples()
    )
    newest_first = [(received_at >= uk_midnight(first_day), version) for version, first_day in versions]
    return Case(None, newest_first) if newest_first else Value(None)


RESPONDED_COLUMNS = (
    "complaint_id",
    "reference",
    "tenure",
    "received_at",
    "started_at",
    "responded_at",
    "working_days",
    "timescale_days",
    "extended_days",
    "extension_allowed",
    "timescale_source",
)


@dataclass(frozen=True)
class TenureFigures:
    """The four measures for one tenure (``None``: both together)."""

    tenure: str | None
    homes: int | None
    ch01: dict[int, Figure]
    ch02: dict[int, Figure]


@dataclass(frozen=True)
class TsmComplaints:
    """CH01 and CH02 for a period, by tenure and for both together, with the exceptions listed beside them."""

    period: Period
    stock_year: int
    tenures: list[TenureFigures]
    no_home_received: dict[int, int] = field(default_factory=dict)
    no_home_responded: dict[int, int] = field(default_factory=dict)
    refused: dict[int, int] = field(default_factory=dict)
    refused_escalations: int = 0
    withdrawn: dict[int, int] = field(default_factory=dict)

    @property
    def is_annual(self) -> bool:
        return self.period.kind == YEAR


def received_counts(period: Period, stage_number: int) -> tuple[dict[str | None, int], int, int]:
    """Received stage counts by tenure (refused left out), with the refused and the withdrawn among them."""
    rows = received(period, stage_number).alias("received_rows")
    query = Select([rows], [rows.c.tenure, rows.c.refused, fn.COUNT(Value(1)), fn.SUM(rows.c.withdrawn)]).group_by(
        rows.c.tenure, rows.c.refused
    )
    by_tenure: dict[str | None, int] = {}
    refused = withdrawn = 0
    for tenure, was_refused, count, withdrawn_count in query.bind(Complaint._meta.database).tuples():
        if was_refused:
            refused += count
            continue
        by_tenure[tenure] = by_tenure.get(tenure, 0) + count
        withdrawn += int(withdrawn_count or 0)
    return by_tenure, refused, withdrawn


def responded_counts(period: Period, stage_number: int) -> dict[str | None, tuple[int, int]]:
    """(in time, responded) by tenure."""
    rows = responded(period, stage_number).alias("responded_rows")
    query = Select([rows], [rows.c.tenure, fn.SUM(rows.c.in_time), fn.COUNT(Value(1))]).group_by(rows.c.tenure)
    return {
        tenure: (int(in_time or 0), count) for tenure, in_time, count in query.bind(Complaint._meta.database).tuples()
    }


def stock_year(period: Period) -> int:
    """The regulator's year whose end's homes a period's CH01 divides by: the year the period ends in."""
    return year_of(period.last).first.year


def compute(period: Period) -> TsmComplaints:
    """CH01 and CH02 for ``period`` (the regulator's year; shorter periods give the same counts over fewer days,
    divided by the homes at the end of the year they end in, and are not the annual measure)."""
    year = stock_year(period)
    received_by_stage, refused, withdrawn = {}, {}, {}
    responded_by_stage = {}
    for number in STAGES:
        received_by_stage[number], refused[number], withdrawn[number] = received_counts(period, number)
        responded_by_stage[number] = responded_counts(period, number)
    homes_by_tenure = {tenure: homes(year, NATION, tenure) for tenure in TENURES}
    tenures = []
    for tenure in (*TENURES, None):
        wanted = TENURES if tenure is None else (tenure,)
        stock = homes_by_tenure[tenure] if tenure else _sum_known(homes_by_tenure.values())
        ch01 = {
            number: Figure(
                f"CH01({number})",
                sum(received_by_stage[number].get(t, 0) for t in wanted),
                stock,
                PER_THOUSAND,
            )
            for number in STAGES
        }
        ch02 = {
            number: Figure(
                f"CH02({number})",
                sum(responded_by_stage[number].get(t, (0, 0))[0] for t in wanted),
                sum(responded_by_stage[number].get(t, (0, 0))[1] for t in wanted),
                PERCENT,
            )
            for number in STAGES
        }
        tenures.append(TenureFigures(tenure, stock, ch01, ch02))
    return TsmComplaints(
        period=period,
        stock_year=year,
        tenures=tenures,
        no_home_received={n: received_by_stage[n].get(None, 0) for n in STAGES},
        no_home_responded={n: responded_by_stage[n].get(None, (0, 0))[1] for n in STAGES},
        refused=refused,
        refused_escalations=_count(refused_escalations(period)),
        withdrawn=withdrawn,
    )


def _sum_known(values: Any) -> int | None:
    """The homes of both tenures together: None unless both were entered (a part would overstate the rate)."""
    found = list(values)
    return None if any(value is None for value in found) else sum(found)


def _count(query: Select) -> int:
    rows = query.alias("counted")
    return int(Select([rows], [fn.COUNT(Value(1))]).bind(Complaint._meta.database).scalar() or 0)


@dataclass(frozen=True)
class Behind:
    """One complaint behind a figure, as the drill-down lists it."""

    complaint_id: int
    reference: str
    tenure: str | None
    opened_at: Any = None
    responded_at: Any = None
    started_at: Any = None
    working_days: int | None = None
    timescale_days: int | None = None
    extended_days: int | None = None
    extension_allowed: int | None = None
    in_time: bool | None = None
    refusal_ground: str | None = None
    withdrawn: bool = False


def behind(
    period: Period,
    kind: str,
    stage_number: int,
    tenure: str | None,
    hidden: Any,
    offset: int = 0,
    limit: int = MAX_ROWS,
) -> tuple[list[Behind], int, int]:
    """The complaints behind a figure, oldest first, leaving out those in ``hidden`` (a query of complaint ids the
    viewer may not see): (a page of them, how many the viewer may see, how many are left out as hidden)."""
    if kind == TsmList.REFUSED_ESCALATIONS.value:
        query = refused_escalations(period)
        order = "refused_at"
    elif kind in (TsmList.RESPONDED.value, TsmList.LATE.value):
        query = responded(period, stage_number)
        order = "responded_at"
    else:
        query = received(period, stage_number)
        order = "opened_at"
    rows = query.alias("behind_rows")
    wanted: Any = Value(1) == Value(1)
    if kind == TsmList.LATE.value:
        wanted &= rows.c.in_time == 0
    elif kind == TsmList.RECEIVED.value:
        wanted &= rows.c.refused == 0
    elif kind == TsmList.REFUSED.value:
        wanted &= rows.c.refused == 1
    if kind == TsmList.NO_HOME.value:
        wanted &= rows.c.tenure.is_null()
    elif tenure is not None:
        wanted &= rows.c.tenure == tenure
    elif kind not in (TsmList.REFUSED.value, TsmList.REFUSED_ESCALATIONS.value):
        wanted &= rows.c.tenure.is_null(False)
    database = Complaint._meta.database
    every = Select([rows], [fn.COUNT(Value(1))]).where(wanted).bind(database).scalar() or 0
    visible = wanted & rows.c.complaint_id.not_in(hidden)
    shown = Select([rows], [fn.COUNT(Value(1))]).where(visible).bind(database).scalar() or 0
    page = (
        Select([rows], [rows.c[name] for name in _columns(kind)])
        .where(visible)
        .order_by(rows.c[order], rows.c.complaint_id)
        .offset(offset)
        .limit(limit)
        .bind(database)
        .dicts()
    )
    found = [_behind(row) for row in page]
    return found, int(shown), int(every) - int(shown)


def _columns(kind: str) -> tuple[str, ...]:
    if kind == TsmList.REFUSED_ESCALATIONS.value:
        return ("complaint_id", "reference", "tenure", "refused_at", "refusal_ground")
    if kind in (TsmList.RESPONDED.value, TsmList.LATE.value):
        return (*RESPONDED_COLUMNS, "in_time")
    return ("complaint_id", "reference", "tenure", "opened_at", "refused", "refusal_ground", "withdrawn")


def moment(value: Any) -> dt.datetime | None:
    """A stored moment read through a subquery, where SQLite gives back its text."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _behind(row: dict[str, Any]) -> Behind:
    in_time = row.get("in_time")
    return Behind(
        complaint_id=row["complaint_id"],
        reference=row["reference"],
        tenure=row["tenure"],
        opened_at=moment(row.get("opened_at") or row.get("refused_at")),
        responded_at=moment(row.get("responded_at")),
        started_at=moment(row.get("started_at")),
        working_days=row.get("working_days"),
        timescale_days=row.get("timescale_days"),
        extended_days=row.get("extended_days"),
        extension_allowed=row.get("extension_allowed"),
        in_time=None if in_time is None else bool(in_time),
        refusal_ground=row.get("refusal_ground"),
        withdrawn=bool(row.get("withdrawn")),
    )
