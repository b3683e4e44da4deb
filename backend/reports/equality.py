"""Equality and diversity breakdowns: complaints received, their outcomes and timeliness, by group, over a period.

Each breakdown splits the period's complaints by one dimension: the language the contact was made in, whether
someone represented the resident (and who), the channel, the vulnerability recorded, and each protected
characteristic the resident gave with consent. Every complaint falls in exactly one group of each dimension, so the
groups of a dimension add up to the total. Figures are counted in SQL, per stage:

- ``received``: stages that began in the period (a stage 2 counts when its escalation was requested);
- ``responded``: stage responses issued in the period, split into ``in_time`` (:func:`responded_in_time`) and
  ``late``, and by outcome (``upheld``, ``partly_upheld``, ``not_upheld``, ``resolved``, and ``no_outcome`` for a
  response issued before outcomes were recorded).

The figures leave this module only through :func:`equality_report`, after small-number suppression
(:mod:`backend.reports.suppression`): a hidden figure is None. docs/reports.md gives each definition and its source.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from peewee import JOIN, SQL, Case, fn

from backend import config
from backend.complaints.models import (
    CHANNELS,
    REPRESENTATIVE_KINDS,
    VULNERABILITIES,
    Complaint,
    ComplaintResponse,
    ComplaintStage,
    Contact,
    ResponseOutcome,
)
from backend.context import Actor
from backend.errors import NotAllowed
from backend.reports import tsm_complaints
from backend.reports.models import CHARACTERISTICS, PREFER_NOT_TO_SAY, EqualityProfile, EthnicGroup
from backend.reports.periods import Period
from backend.reports.suppression import Sum, suppress
from backend.vocabulary import Vocabulary


class EqualityDimension(Vocabulary):
    """What a breakdown splits complaints by."""

    LANGUAGE = "language", "The language the contact was made in."
    REPRESENTATIVE = "representative", "Who represented the resident, if anyone (an advocate, an MP, ...)."
    CHANNEL = "channel", "How the contact reached the landlord."
    VULNERABILITY = "vulnerability", "The vulnerability recorded on the contact (none, one, or several)."
    AGE_BAND = "age_band", "Age band (the resident's answer, with consent)."
    DISABILITY = "disability", "Disability (the resident's answer, with consent)."
    GENDER_IDENTITY = "gender_identity", "Gender reassignment (the resident's answer, with consent)."
    PARTNERSHIP = "partnership", "Marriage and civil partnership (the resident's answer, with consent)."
    PREGNANCY = "pregnancy", "Pregnancy and maternity (the resident's answer, with consent)."
    ETHNIC_GROUP = "ethnic_group", "Ethnic group, by the Census headings (the resident's answer, with consent)."
    RELIGION = "religion", "Religion or belief (the resident's answer, with consent)."
    SEX = "sex", "Sex (the resident's answer, with consent)."
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation (the resident's answer, with consent)."


STAGES = (1, 2)
OUTCOMES = ResponseOutcome.codes()
MEASURES = ("received", "responded", "in_time", "late", *OUTCOMES, "no_outcome")
#: The dimensions, in the order reports show them; the protected characteristics follow the first four.
DIMENSIONS = EqualityDimension.codes()
NOT_RECORDED = "not_recorded"
#: No representative; no vulnerability recorded.
NONE = "none"
#: More than one vulnerability recorded: each complaint must fall in one group only.
SEVERAL = "several"
#: The ethnic groups reported: the five headings of the Census question (the 19 groups would nearly all be hidden).
ETHNIC_HEADINGS = ("asian", "black", "mixed", "white", "other")
TOTAL = "total"


def responded_in_time(response: Any = ComplaintResponse) -> Any:
    """Whether a stage's response was issued within its timescale: the one definition every breakdown uses.

    Judged as TSM CH02 judges it, on the statutory calendar: the working days from the timescale's start to the
    response, within the timescale of the complaint's own procedure in force when it was received, plus an
    extension told in time with the Ombudsman's details (``backend.reports.tsm_complaints.responded_in_time``).
    ``response`` is the ``ComplaintResponse`` model (or an alias of it) in the query this goes into.
    """
    return tsm_complaints.responded_in_time(response.complaint, response.stage)


# --- The groups of each dimension --------------------------------------------------------------------------------


def categories(dimension: str) -> tuple[str, ...]:
    """Every group of a dimension, always all of them, so that a group's row being there says nothing."""
    if dimension == "language":
        return tuple(config.KNOWN_LOCALES)
    if dimension == "representative":
        return (NONE, *REPRESENTATIVE_KINDS)
    if dimension == "channel":
        return tuple(CHANNELS)
    if dimension == "vulnerability":
        return (NONE, *VULNERABILITIES, SEVERAL)
    if dimension == "ethnic_group":
        return (*ETHNIC_HEADINGS, PREFER_NOT_TO_SAY, NOT_RECORDED)
    return (*CHARACTERISTICS[dimension].codes(), NOT_RECORDED)


def _language() -> Any:
    return Contact.locale


def _representative() -> Any:
    return fn.COALESCE(Contact.representative_kind, NONE)


def _channel() -> Any:
    return Contact.channel


def _vulnerability() -> Any:
    # Stored as a JSON list of codes ('["disability", "older_person"]'): two quotes per code, and no code holds one.
    # The cast compares the stored text itself (the JSON field would encode the patterns as JSON).
    flags = Contact.vulnerabilities.cast("TEXT")
    quotes = fn.LENGTH(flags) - fn.LENGTH(fn.REPLACE(flags, '"', ""))
    cases = [((flags.is_null()) | (flags == "[]"), NONE), (quotes > 2, SEVERAL)]
    cases += [(flags.contains(f'"{code}"'), code) for code in VULNERABILITIES]
    return Case(None, cases, NONE)


def _answer(own: Any, contacts: Any, name: str) -> Any:
    """The answer of the complaint's resident (their account's, else their contact's), or not recorded."""
    answer = fn.COALESCE(getattr(own, name), getattr(contacts, name))
    if name != "ethnic_group":
        return fn.COALESCE(answer, NOT_RECORDED)
    headings = [
        (answer.in_([code for code in EthnicGroup.codes() if code.startswith(f"{heading}_")]), heading)
        for heading in ETHNIC_HEADINGS
    ]
    return Case(None, [*headings, (answer == PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY)], NOT_RECORDED)


_CONTACT_GROUPS: dict[str, Callable[[], Any]] = {
    "language": _language,
    "representative": _representative,
    "channel": _channel,
    "vulnerability": _vulnerability,
}


# --- Counting ----------------------------------------------------------------------------------------------------


def _grouped(query: Any, dimension: str) -> tuple[Any, Any]:
    """The query joined to what the dimension needs from a complaint, and the SQL for its group."""
    query = query.join(Contact, on=(Complaint.contact == Contact.id))
    if dimension in _CONTACT_GROUPS:
        return query, _CONTACT_GROUPS[dimension]()
    own, contacts = EqualityProfile.alias("own_answers"), EqualityProfile.alias("contact_answers")
    query = query.join(own, JOIN.LEFT_OUTER, on=(own.user == Complaint.resident)).join(
        contacts, JOIN.LEFT_OUTER, on=(contacts.contact == Complaint.contact)
    )
    return query, _answer(own, contacts, dimension)


def _received(period: Period, dimension: str) -> Iterable[tuple[str, int, int]]:
    base = ComplaintStage.select().join(Complaint, on=(ComplaintStage.complaint == Complaint.id))
    query, group = _grouped(base, dimension)
    return (
        query.select(group, ComplaintStage.number, fn.COUNT(ComplaintStage.id))
        .where(
            (ComplaintStage.opened_at >= period.start)
            & (ComplaintStage.opened_at < period.end)
            & ComplaintStage.number.in_(STAGES)
        )
        # By position: PostgreSQL does not see a CASE with its own parameters as the one selected.
        .group_by(SQL("1"), ComplaintStage.number)
        .tuples()
    )


def _responses(period: Period, dimension: str) -> Iterable[tuple[Any, ...]]:
    base = ComplaintResponse.select().join(Complaint, on=(ComplaintResponse.complaint == Complaint.id))
    query, group = _grouped(base, dimension)
    outcome_sums = [fn.SUM(Case(None, [(ComplaintResponse.outcome == code, 1)], 0)) for code in OUTCOMES]
    return (
        query.select(
            group,
            ComplaintResponse.stage,
            fn.COUNT(ComplaintResponse.id),
            fn.SUM(Case(None, [(responded_in_time(ComplaintResponse), 1)], 0)),
            *outcome_sums,
            fn.SUM(Case(None, [(ComplaintResponse.outcome.is_null(), 1)], 0)),
        )
        .where(
            (ComplaintResponse.issued_at >= period.start)
            & (ComplaintResponse.issued_at < period.end)
            & ComplaintResponse.stage.in_(STAGES)
        )
        .group_by(SQL("1"), ComplaintResponse.stage)
        .tuples()
    )


def count_breakdowns(period: Period) -> dict[str, dict[str, dict[tuple[int, str], int]]]:
    """Every figure of every dimension before suppression: dimension -> group -> (stage, measure) -> count.

    For this module and its tests only: nothing outside may show these (see :func:`equality_report`).
    """
    found: dict[str, dict[str, dict[tuple[int, str], int]]] = {}
    for dimension in DIMENSIONS:
        groups = {category: _zeros() for category in categories(dimension)}
        for category, stage, count in _received(period, dimension):
            groups.setdefault(str(category), _zeros())[(stage, "received")] = count
        for category, stage, responded, in_time, *outcomes in _responses(period, dimension):
            figures = groups.setdefault(str(category), _zeros())
            figures[(stage, "responded")] = responded
            figures[(stage, "in_time")] = int(in_time or 0)
            figures[(stage, "late")] = responded - int(in_time or 0)
            for measure, count in zip((*OUTCOMES, "no_outcome"), outcomes, strict=True):
                figures[(stage, measure)] = int(count or 0)
        found[dimension] = groups
    return found


def _zeros() -> dict[tuple[int, str], int]:
    return {(stage, measure): 0 for stage in STAGES for measure in MEASURES}


# --- Suppression and the report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageFigures:
    """One group's figures at one stage; a hidden figure is None."""

    stage: int
    figures: dict[str, int | None]

    @property
    def in_time_rate(self) -> float | None:
        """Responses in time as a percentage of responses; None when either is hidden or nothing was responded."""
        in_time, responded = self.figures["in_time"], self.figures["responded"]
        if in_time is None or not responded:
            return None
        return 100.0 * in_time / responded


@dataclass(frozen=True)
class Row:
    """One group of a dimension (or the total), with its figures at each stage."""

    category: str
    stages: tuple[StageFigures, ...]


@dataclass(frozen=True)
class Table:
    """One dimension's breakdown: a row per group, and the total the groups add up to."""

    dimension: str
    rows: tuple[Row, ...]
    total: Row


@dataclass(frozen=True)
class EqualityReport:
    """Every dimension's breakdown over a period, with small numbers hidden."""

    period: Period
    tables: tuple[Table, ...]


def can_read_breakdowns(actor: Actor) -> bool:
    """Staff read the breakdowns: they hold no one's answers, only groups of 5 or more."""
    return actor.is_staff


def equality_report(actor: Actor, period: Period, dimensions: Iterable[str] | None = None) -> EqualityReport:
    """The breakdowns over ``period`` (of ``dimensions``, default all), each figure below 5 hidden and the figures
    that would give one away hidden too. Raises NotAllowed("equality.breakdowns") for anyone but staff.

    Suppression always runs over every dimension together, whichever are asked for, so a figure is hidden or shown
    the same way whatever the request.
    """
    if not can_read_breakdowns(actor):
        raise NotAllowed("equality.breakdowns")
    counted = count_breakdowns(period)
    values, sums = _cells(counted)
    hidden = suppress(values, sums)
    wanted = [dimension for dimension in DIMENSIONS if dimensions is None or dimension in set(dimensions)]
    tables = tuple(
        Table(
            dimension=dimension,
            rows=tuple(_row(category, _key_of(dimension, category), values, hidden) for category in counted[dimension]),
            total=_row(TOTAL, _total_key, values, hidden),
        )
        for dimension in wanted
    )
    return EqualityReport(period=period, tables=tables)


def _key_of(dimension: str, category: str) -> Callable[[int, str], Hashable]:
    """How a group's figures are keyed among every figure of the report."""

    def key(stage: int, measure: str) -> Hashable:
        return (dimension, category, stage, measure)

    return key


def _total_key(stage: int, measure: str) -> Hashable:
    """How the total's figures are keyed: one total, shared by every table."""
    return (TOTAL, stage, measure)


def _row(category: str, key: Callable[[int, str], Hashable], values: dict[Hashable, int], hidden: set[Hashable]) -> Row:
    stages = tuple(
        StageFigures(
            stage=stage,
            figures={
                measure: None if key(stage, measure) in hidden else values[key(stage, measure)] for measure in MEASURES
            },
        )
        for stage in STAGES
    )
    return Row(category=category, stages=stages)


def _cells(
    counted: dict[str, dict[str, dict[tuple[int, str], int]]],
) -> tuple[dict[Hashable, int], list[Sum]]:
    """Every figure by key, and the sums that tie them: groups to the total, and within a row at each stage."""
    values: dict[Hashable, int] = {}
    first = counted[DIMENSIONS[0]]
    for stage in STAGES:
        for measure in MEASURES:
            values[(TOTAL, stage, measure)] = sum(groups[(stage, measure)] for groups in first.values())
    sums: list[Sum] = []
    rows: list[Callable[[int, str], Hashable]] = [_total_key]
    for dimension, groups in counted.items():
        for category, figures in groups.items():
            for (stage, measure), count in figures.items():
                values[(dimension, category, stage, measure)] = count
            rows.append(_key_of(dimension, category))
        for stage in STAGES:
            for measure in MEASURES:
                parts = [(dimension, category, stage, measure) for category in groups]
                # Only a group with no complaints received is empty; a 0 of another measure describes its members.
                sums.append(Sum((TOTAL, stage, measure), parts, groups=measure == "received"))
    for key in rows:
        for stage in STAGES:
            sums.append(Sum(key(stage, "responded"), [key(stage, "in_time"), key(stage, "late")]))
            sums.append(Sum(key(stage, "responded"), [key(stage, m) for m in (*OUTCOMES, "no_outcome")]))
    return values, sums
