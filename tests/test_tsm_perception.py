"""The tenant perception measures TP01 to TP12: weighted, split by tenure, TP09 behind its filter, over UK periods."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.context import Actor
from backend.errors import NotAllowed, NotFound
from backend.reports import tsm_perception
from backend.reports.periods import parse_period, regulator_year
from backend.surveys.models import Survey, SurveyQuestion
from tests import factories

YEAR = regulator_year(2025)
STAFF = Actor(user_id=None, roles=frozenset({"staff"}), label="staff")
SUBMITTED = dt.datetime(2025, 9, 10, 12)


def answer(
    survey: Survey,
    questions: dict[str, SurveyQuestion],
    values: dict[str, str],
    tenure: str | None = "rented",
    weight: float = 1.0,
    submitted_at: dt.datetime | None = SUBMITTED,
    **extra: object,
) -> None:
    """One response answering the coded questions with ``values`` (a rating, or yes/no for the filter)."""
    response = factories.make_survey_response(
        survey, channel="import", tenure=tenure, weight=weight, submitted_at=submitted_at, **extra
    )
    for code, value in values.items():
        factories.make_survey_answer(response, questions[code], value)


def coded_survey(*codes: str) -> tuple[Survey, dict[str, SurveyQuestion]]:
    survey = factories.make_survey()
    questions = {}
    for code in codes:
        kind = "yes_partly_no" if code == "TP09_FILTER" else "rating"
        questions[code] = factories.make_survey_question(survey, kind=kind, tsm_code=code.lower())
    return survey, questions


def measure(report: tsm_perception.PerceptionReport, tenure: str, code: str) -> tsm_perception.Measure:
    return next(m for m in report.group(tenure).measures if m.code == code.lower())


def test_measures_are_weighted_and_split_by_tenure() -> None:
    survey, questions = coded_survey("TP01")
    for value, weight in (("5", 1.5), ("4", 0.5), ("3", 1.0), ("1", 2.0)):
        answer(survey, questions, {"TP01": value}, tenure="rented", weight=weight)
    for value in ("5", "2", "4"):
        answer(survey, questions, {"TP01": value}, tenure="shared_ownership")
    report = tsm_perception.perception_measures(STAFF, YEAR)
    lcra, lcho, every = (measure(report, group, "TP01") for group in ("lcra", "lcho", "all"))
    assert (lcra.numerator, lcra.denominator, lcra.count, lcra.value, lcra.published) == (2.0, 5.0, 4, 40.0, "40.0")
    assert (lcho.numerator, lcho.denominator, lcho.count) == (2.0, 3.0, 3)
    assert lcho.value == pytest.approx(200 / 3) and lcho.published == "66.7"
    assert (every.numerator, every.denominator, every.count, every.published) == (4.0, 8.0, 7, "50.0")
    assert [g.respondents for g in report.groups] == [4, 3, 7]


def test_responses_without_tenure_count_only_in_all() -> None:
    survey, questions = coded_survey("TP01")
    answer(survey, questions, {"TP01": "5"}, tenure=None)
    answer(survey, questions, {"TP01": "1"}, tenure="rented")
    report = tsm_perception.perception_measures(STAFF, YEAR)
    assert measure(report, "all", "TP01").denominator == 2.0
    assert measure(report, "lcra", "TP01").denominator == 1.0
    assert measure(report, "lcho", "TP01").value is None
    assert report.without_tenure == 1


def test_tp09_counts_only_those_who_say_they_complained() -> None:
    survey, questions = coded_survey("TP09_FILTER", "TP09")
    answer(survey, questions, {"TP09_FILTER": "yes", "TP09": "5"})
    answer(survey, questions, {"TP09_FILTER": "yes", "TP09": "2"})
    answer(survey, questions, {"TP09_FILTER": "no", "TP09": "5"})
    answer(survey, questions, {"TP09_FILTER": "dont_know", "TP09": "4"})
    answer(survey, questions, {"TP09": "4"})
    report = tsm_perception.perception_measures(STAFF, YEAR)
    tp09 = measure(report, "lcra", "TP09")
    assert (tp09.numerator, tp09.denominator, tp09.count, tp09.published) == (1.0, 2.0, 2, "50.0")
    assert not report.filter_missing


def test_tp09_without_a_filter_question_has_no_value() -> None:
    survey, questions = coded_survey("TP09")
    answer(survey, questions, {"TP09": "5"})
    report = tsm_perception.perception_measures(STAFF, YEAR)
    assert measure(report, "all", "TP09").value is None and report.filter_missing


def test_an_empty_denominator_gives_no_value_not_zero() -> None:
    survey, questions = coded_survey("TP01", "TP05")
    answer(survey, questions, {"TP01": "2"})
    report = tsm_perception.perception_measures(STAFF, YEAR)
    assert measure(report, "all", "TP01").published == "0.0"
    tp05 = measure(report, "all", "TP05")
    assert (tp05.denominator, tp05.value, tp05.published) == (0.0, None, None)


def test_dont_know_and_other_questions_are_left_out() -> None:
    survey, questions = coded_survey("TP01")
    other = factories.make_survey_question(survey, kind="rating")
    response = factories.make_survey_response(survey, tenure="rented", submitted_at=SUBMITTED)
    factories.make_survey_answer(response, other, "5")  # not a measure
    answer(survey, questions, {"TP01": "4"})
    # "Don't know" is imported as no answer: the response counts as a respondent but in neither side of TP01.
    factories.make_survey_response(survey, tenure="rented", submitted_at=SUBMITTED)
    report = tsm_perception.perception_measures(STAFF, YEAR)
    assert (measure(report, "lcra", "TP01").denominator, report.group("lcra").respondents) == (1.0, 3)


def test_only_submitted_released_responses_count() -> None:
    survey, questions = coded_survey("TP01")
    answer(survey, questions, {"TP01": "5"})
    answer(survey, questions, {"TP01": "1"}, submitted_at=None)
    answer(survey, questions, {"TP01": "1"}, held=True)
    assert measure(tsm_perception.perception_measures(STAFF, YEAR), "all", "TP01").published == "100.0"


@pytest.mark.parametrize(
    ("submitted_at", "answered_on", "code", "counted"),
    [
        # 31 March 2025 23:30 UTC is 00:30 on 1 April in London (BST): the first day of 2025/26.
        (dt.datetime(2025, 3, 31, 23, 30), None, "2025/26", True),
        (dt.datetime(2025, 3, 31, 22, 59), None, "2025/26", False),
        # 31 March 2026 23:30 UTC is already 1 April 2026 in London: 2026/27.
        (dt.datetime(2026, 3, 31, 23, 30), None, "2025/26", False),
        (dt.datetime(2026, 3, 31, 22, 30), None, "2025/26", True),
        # The fieldwork day, when the import gave one, decides; not when the file was imported.
        (dt.datetime(2026, 4, 20, 9), dt.date(2026, 3, 31), "2025/26", True),
        (dt.datetime(2026, 3, 20, 9), dt.date(2025, 3, 31), "2025/26", False),
        (dt.datetime(2025, 12, 1, 9), dt.date(2025, 4, 1), "2025/26-Q1", True),
        (dt.datetime(2025, 12, 1, 9), None, "2025/26-Q1", False),
    ],
)
def test_period_boundaries_are_uk_days(
    submitted_at: dt.datetime, answered_on: dt.date | None, code: str, counted: bool
) -> None:
    survey, questions = coded_survey("TP01")
    answer(survey, questions, {"TP01": "5"}, submitted_at=submitted_at, answered_on=answered_on)
    period = parse_period(code, today=dt.date(2027, 1, 1))
    assert measure(tsm_perception.perception_measures(STAFF, period), "all", "TP01").count == int(counted)


def test_one_survey_or_every_coded_survey() -> None:
    first, first_questions = coded_survey("TP01")
    second, second_questions = coded_survey("TP01")
    answer(first, first_questions, {"TP01": "5"})
    answer(second, second_questions, {"TP01": "1"})
    uncoded = factories.make_survey()
    factories.make_survey_answer(factories.make_survey_response(uncoded, submitted_at=SUBMITTED))
    assert measure(tsm_perception.perception_measures(STAFF, YEAR), "all", "TP01").denominator == 2.0
    only = tsm_perception.perception_measures(STAFF, YEAR, first.id)
    assert measure(only, "all", "TP01").published == "100.0" and only.group("all").respondents == 1


def test_method_records_of_the_year_come_with_the_report() -> None:
    survey, _ = coded_survey("TP01")
    kept = factories.make_tsm_survey_method(survey, year=2025)
    factories.make_tsm_survey_method(survey, year=2024)
    assert tsm_perception.perception_measures(STAFF, YEAR).methods == [kept]


@pytest.mark.parametrize(("value", "text"), [(84.25, "84.3"), (84.24999, "84.2"), (200 / 3, "66.7"), (0.05, "0.1")])
def test_published_rounds_half_up_to_one_place(value: float, text: str) -> None:
    assert tsm_perception.published(value) == text


def test_residents_may_not_see_the_measures() -> None:
    with pytest.raises(NotAllowed):
        tsm_perception.perception_measures(Actor(user_id=1, roles=frozenset({"resident"})), YEAR)


def test_an_unknown_survey_is_not_found() -> None:
    with pytest.raises(NotFound):
        tsm_perception.perception_measures(STAFF, YEAR, 987654)
