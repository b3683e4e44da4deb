"""Importing perception survey results: TSM codes name the columns, and each row may carry tenure, weight and day."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.audit.models import AuditEvent
from backend.context import Actor
from backend.surveys import imports
from backend.surveys.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from tests import factories

MANAGER = Actor(user_id=None, roles=frozenset({"manager"}), label="manager")


def perception_survey() -> tuple[Survey, dict[str, SurveyQuestion]]:
    """A survey whose TP01 is its third question and whose TP09 filter comes after TP09's place by number."""
    survey = factories.make_survey(status="draft")
    intro = factories.make_survey_question(survey, kind="text")
    complained = factories.make_survey_question(survey, kind="yes_partly_no", tsm_code="tp09_filter")
    overall = factories.make_survey_question(survey, tsm_code="tp01")
    handling = factories.make_survey_question(survey, tsm_code="tp09")
    return survey, {"intro": intro, "TP09_FILTER": complained, "TP01": overall, "TP09": handling}


def run(survey: Survey, text: str, **options: bool) -> imports.ImportResult:
    lines = text.strip().splitlines()
    header = [name.strip() for name in lines[0].split(",")]
    rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:]]
    return imports.import_responses(MANAGER, survey.id, header, rows, **options)


def values_of(question: SurveyQuestion) -> list[str]:
    query = SurveyAnswer.select().where(SurveyAnswer.question == question).order_by(SurveyAnswer.id)
    return [a.value for a in query]


def test_tsm_columns_answer_the_coded_question_wherever_it_stands() -> None:
    survey, questions = perception_survey()
    result = run(survey, "TP09,TP01,TP09_FILTER\n5,4,yes\n,2,no\n")
    assert result.saved == 2
    assert values_of(questions["TP01"]) == ["4", "2"]
    assert values_of(questions["TP09"]) == ["5"]
    assert values_of(questions["TP09_FILTER"]) == ["yes", "no"]
    assert values_of(questions["intro"]) == []


def test_position_columns_still_answer_by_place() -> None:
    survey, questions = perception_survey()
    run(survey, "Q3\n5\n")
    assert values_of(questions["TP01"]) == ["5"]


def test_a_tsm_column_without_its_coded_question_refuses_the_file() -> None:
    survey, _ = perception_survey()
    with pytest.raises(imports.ImportRejected) as rejected:
        run(survey, "TP01,TP02\n5,5\n")
    assert [(p.row, p.column, p.error.code) for p in rejected.value.problems] == [(1, "TP02", "no_tsm_question")]


def test_tenure_weight_and_day_are_stored_on_the_response() -> None:
    survey, _ = perception_survey()
    run(survey, "TP01,tenure,weight,date\n5,rented,1.25,2025-06-30\n4,LCHO,,30/06/2025\n3,,0.5,\n")
    stored = list(SurveyResponse.select().where(SurveyResponse.survey == survey).order_by(SurveyResponse.id))
    assert [(r.tenure, r.weight, r.answered_on) for r in stored] == [
        ("rented", 1.25, dt.date(2025, 6, 30)),
        ("shared_ownership", 1.0, dt.date(2025, 6, 30)),
        (None, 0.5, None),
    ]


def test_scale_words_are_ratings_and_dont_know_is_no_answer() -> None:
    survey, questions = perception_survey()
    run(survey, "TP01,TP09_FILTER\nVery satisfied,yes\nfairly  dissatisfied,no\nDon't know,yes\nN/A,no\n")
    assert values_of(questions["TP01"]) == ["5", "2"]
    assert SurveyResponse.select().where(SurveyResponse.survey == survey).count() == 4


@pytest.mark.parametrize(
    ("row", "column", "code"),
    [
        ("5,council,1,", "tenure", "unsupported"),
        ("5,rented,0,", "weight", "out_of_range"),
        ("5,rented,-2,", "weight", "out_of_range"),
        ("5,rented,heavy,", "weight", "out_of_range"),
        ("5,rented,nan,", "weight", "out_of_range"),
        ("5,rented,1001,", "weight", "out_of_range"),
        ("5,rented,1,31/02/2025", "date", "invalid"),
        ("5,rented,1,2999-01-01", "date", "in_future"),
        ("9,rented,1,", "TP01", "unsupported"),
    ],
)
def test_a_bad_row_is_named_with_its_column_and_nothing_is_saved(row: str, column: str, code: str) -> None:
    survey, _ = perception_survey()
    with pytest.raises(imports.ImportRejected) as rejected:
        run(survey, f"TP01,tenure,weight,date\n4,rented,1,\n{row}\n")
    assert [(p.row, p.column, p.error.code) for p in rejected.value.problems] == [(3, column, code)]
    assert rejected.value.bad_rows == 1
    assert not SurveyResponse.select().where(SurveyResponse.survey == survey).exists()


def test_skipping_bad_rows_saves_the_good_ones_and_lists_the_others() -> None:
    survey, questions = perception_survey()
    result = run(survey, "TP01,tenure\n4,rented\n5,council\n2,lcho\n,\n", skip_bad_rows=True)
    assert (result.saved, result.skipped_rows) == (2, 2)
    assert [(p.row, p.column, p.error.code) for p in result.problems] == [
        (3, "tenure", "unsupported"),
        (5, "", "no_answers"),
    ]
    assert values_of(questions["TP01"]) == ["4", "2"]
    audit = AuditEvent.get(AuditEvent.action == "survey_response.imported")
    assert audit.changes["rows_skipped"]["after"] == 2


def test_skipping_bad_rows_when_every_row_is_bad_saves_nothing() -> None:
    survey, _ = perception_survey()
    with pytest.raises(imports.ImportRejected):
        run(survey, "TP01,tenure\n4,council\n", skip_bad_rows=True)


def test_too_many_columns_refuses_the_file() -> None:
    survey, _ = perception_survey()
    header = ["TP01"] + [f"extra{n}" for n in range(imports.MAX_COLUMNS)]
    with pytest.raises(imports.ImportRejected) as rejected:
        imports.import_responses(MANAGER, survey.id, header, [{"TP01": "5"}])
    assert rejected.value.problems[0].error.code == "too_many_columns"
