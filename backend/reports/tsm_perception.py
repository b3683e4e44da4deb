"""The Regulator of Social Housing's tenant perception measures, TP01 to TP12, from the perception survey.

Each measure is counted in SQL over the answers to the question with its TSM code (``SurveyQuestion.tsm_code``),
weighted by the weight the survey import recorded for each response (``SurveyResponse.weight``, 1 unless given):

- numerator: the weighted count of answers 4 and 5 (very or fairly satisfied; for TP08, strongly agree or agree);
- denominator: the weighted count of answers 1 to 5. "Don't know" and "not applicable" are never stored as a rating,
  so they are in neither;
- TP09 counts only respondents whose answer to the filter question (``tp09_filter``, "made a complaint to the
  landlord in the last 12 months") is yes.

value = numerator ÷ denominator × 100, kept unrounded; it is published to one decimal place, rounding halves up. A
denominator of 0 gives no value (never 0 or 100). The measures are given for low-cost rental (LCRA: tenure
``rented``), low-cost home ownership (LCHO: ``shared_ownership``) and all responses together; a response without a
tenure counts only in "all".

A response counts in a period when its fieldwork day (``answered_on``, from the import) is in the period, or, when it
has none, when it was submitted within the period's UK days. Only submitted responses count, and never an anonymous
survey's responses still held back (:mod:`backend.surveys.batches`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from peewee import Case, fn

from backend.context import Actor
from backend.errors import NotAllowed
from backend.reports.periods import Period, year_of
from backend.surveys.models import (
    TSM_FILTER,
    TSM_MEASURES,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    TsmSurveyMethod,
)
from backend.surveys.policies import can_view_results
from backend.surveys.services import get_survey
from backend.vocabulary import Vocabulary


class TsmTenureGroup(Vocabulary):
    """The responses a set of tenant perception measures is counted over."""

    LCRA = "lcra", "Low-cost rental accommodation: respondents who rent (tenure rented)."
    LCHO = "lcho", "Low-cost home ownership: shared owners (tenure shared_ownership)."
    ALL = "all", "Every response, including those whose tenure is not known."


LCRA, LCHO, ALL = TsmTenureGroup.codes()
GROUPS = (LCRA, LCHO, ALL)
TENURE_GROUP = {"rented": LCRA, "shared_ownership": LCHO}
POSITIVE = 4  # 4 and 5 are very or fairly satisfied (strongly agree or agree)
COMPLAINED = "yes"


def published(value: float | None) -> str | None:
    """``value`` to one decimal place, halves rounded up (84.25 is 84.3), as text; None when there is no value."""
    if value is None:
        return None
    return str(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Measure:
    """One measure for one tenure group."""

    code: str
    numerator: float
    denominator: float
    count: int
    positive_count: int

    @property
    def value(self) -> float | None:
        """numerator ÷ denominator × 100, unrounded; None when nobody answered."""
        if self.denominator <= 0:
            return None
        return self.numerator / self.denominator * 100

    @property
    def published(self) -> str | None:
        return published(self.value)


@dataclass(frozen=True)
class TenureGroup:
    """The twelve measures for one tenure group, with how many responses counted in the period."""

    tenure: str
    respondents: int
    measures: list[Measure]


@dataclass(frozen=True)
class PerceptionReport:
    """The measures over a period, for one survey or all of them."""

    period: Period
    survey_id: int | None
    groups: list[TenureGroup]
    without_tenure: int
    filter_missing: bool
    methods: list[TsmSurveyMethod]

    def group(self, tenure: str) -> TenureGroup:
        return next(group for group in self.groups if group.tenure == tenure)


def _surveys(survey_id: int | None) -> Any:
    """SQL: the ids of the surveys counted: the one asked for, or every survey with a question coded as a measure."""
    if survey_id is not None:
        return [survey_id]
    return SurveyQuestion.select(SurveyQuestion.survey).where(SurveyQuestion.tsm_code.in_(TSM_MEASURES))


def _counted(period: Period, survey_id: int | None) -> Any:
    """SQL condition on SurveyResponse: submitted, released, of the surveys counted, and in the period."""
    in_period = (
        SurveyResponse.answered_on.is_null(False) & SurveyResponse.answered_on.between(period.first, period.last)
    ) | (
        SurveyResponse.answered_on.is_null()
        & (SurveyResponse.submitted_at >= period.start)
        & (SurveyResponse.submitted_at < period.end)
    )
    return (
        SurveyResponse.survey.in_(_surveys(survey_id))
        & SurveyResponse.submitted_at.is_null(False)
        & (SurveyResponse.held == False)  # noqa: E712
        & in_period
    )


def _complained() -> Any:
    """SQL: the responses whose answer to the TP09 filter question is yes."""
    answer, question = SurveyAnswer.alias(), SurveyQuestion.alias()
    return (
        answer.select(answer.response)
        .join(question, on=(answer.question == question.id))
        .where((question.tsm_code == TSM_FILTER) & (answer.value == COMPLAINED))
    )


def _measure_rows(period: Period, survey_id: int | None) -> list[tuple[str, str | None, float, float, int, int]]:
    """One row per measure and tenure: (code, tenure, numerator, denominator, count, positive count)."""
    positive = SurveyAnswer.number >= POSITIVE
    query: Any = (
        SurveyAnswer.select(
            SurveyQuestion.tsm_code,
            SurveyResponse.tenure,
            fn.SUM(Case(None, [(positive, SurveyResponse.weight)], 0.0)).alias("numerator"),
            fn.SUM(SurveyResponse.weight).alias("denominator"),
            fn.COUNT(SurveyAnswer.id).alias("count"),
            fn.SUM(Case(None, [(positive, 1)], 0)).alias("positive_count"),
        )
        .join(SurveyQuestion, on=(SurveyAnswer.question == SurveyQuestion.id))
        .switch(SurveyAnswer)
        .join(SurveyResponse, on=(SurveyAnswer.response == SurveyResponse.id))
        .where(
            SurveyQuestion.tsm_code.in_(TSM_MEASURES)
            & SurveyAnswer.number.between(1, 5)
            & _counted(period, survey_id)
            & ((SurveyQuestion.tsm_code != "tp09") | SurveyAnswer.response.in_(_complained()))
        )
        .group_by(SurveyQuestion.tsm_code, SurveyResponse.tenure)
        .tuples()
    )
    return [
        (code, tenure, float(n or 0), float(d or 0), int(c or 0), int(p or 0)) for code, tenure, n, d, c, p in query
    ]


def _respondents(period: Period, survey_id: int | None) -> dict[str | None, int]:
    """How many responses counted in the period, by tenure."""
    query: Any = (
        SurveyResponse.select(SurveyResponse.tenure, fn.COUNT(SurveyResponse.id))
        .where(_counted(period, survey_id))
        .group_by(SurveyResponse.tenure)
        .tuples()
    )
    return {tenure: int(count) for tenure, count in query}


def _filter_missing(survey_id: int | None) -> bool:
    """Whether no survey counted has a question marked as the TP09 filter, so TP09 cannot have a value."""
    return not (
        SurveyQuestion.select()
        .where(SurveyQuestion.survey.in_(_surveys(survey_id)) & (SurveyQuestion.tsm_code == TSM_FILTER))
        .exists()
    )


def _methods(period: Period, survey_id: int | None) -> list[TsmSurveyMethod]:
    """The method records of the regulator's years the period touches."""
    query = TsmSurveyMethod.select().where(
        TsmSurveyMethod.year.between(year_of(period.first).first.year, year_of(period.last).first.year)
    )
    if survey_id is not None:
        query = query.where(TsmSurveyMethod.survey == survey_id)
    return list(query.order_by(TsmSurveyMethod.year, TsmSurveyMethod.survey, TsmSurveyMethod.id))


def perception_measures(actor: Actor, period: Period, survey_id: int | None = None) -> PerceptionReport:
    """TP01 to TP12 over ``period`` for LCRA, LCHO and all, from one survey or every survey with coded questions.

    Raises NotAllowed (staff only) or NotFound("survey") when ``survey_id`` names no survey.
    """
    if not can_view_results(actor):
        raise NotAllowed("tsm.view")
    if survey_id is not None:
        get_survey(survey_id)
    return measures_over(period, survey_id)


def measures_over(period: Period, survey_id: int | None = None) -> PerceptionReport:
    """TP01 to TP12 over ``period``, as :func:`perception_measures` counts them, for a caller that has checked who
    reads them (the TSM report's builder)."""
    sums: dict[tuple[str, str], list[Any]] = {}
    for code, tenure, numerator, denominator, count, positive_count in _measure_rows(period, survey_id):
        # A handful of grouped rows (at most 12 measures × 3 tenures), never the answers themselves.
        for group in {TENURE_GROUP.get(tenure or "", ""), ALL} - {""}:
            parts = sums.setdefault((code, group), [0.0, 0.0, 0, 0])
            for index, amount in enumerate((numerator, denominator, count, positive_count)):
                parts[index] += amount
    respondents = _respondents(period, survey_id)
    counts = {
        LCRA: respondents.get("rented", 0),
        LCHO: respondents.get("shared_ownership", 0),
        ALL: sum(respondents.values()),
    }
    groups = []
    for group in GROUPS:
        measures = []
        for code in TSM_MEASURES:
            numerator, denominator, count, positive_count = sums.get((code, group), [0.0, 0.0, 0, 0])
            measures.append(Measure(code, numerator, denominator, int(count), int(positive_count)))
        groups.append(TenureGroup(group, counts[group], measures))
    return PerceptionReport(
        period=period,
        survey_id=survey_id,
        groups=groups,
        without_tenure=respondents.get(None, 0),
        filter_missing=_filter_missing(survey_id),
        methods=_methods(period, survey_id),
    )
