"""The tenant perception survey in the real tables: one anonymous survey with a question for each measure (TP01 to
TP12) and the TP09 filter, answered each autumn by a sample of residents and imported with tenure, weight and
fieldwork day, with the method recorded for each regulator's year.

It has its own ``random.Random`` (seeded from the dataset's seed), so the tables before it come out the same
whether or not it is generated.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from backend.surveys.models import (
    TSM_FILTER,
    TSM_MEASURES,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    TsmSurveyMethod,
)
from bench.words import TENURES
from bench.world import TODAY, Table, World, weighted

SURVEY_ID = 1
#: The autumns of fieldwork: the regulator's years 2023/24, 2024/25 and 2025/26 (by the calendar year they start).
FIELDWORK_YEARS = (2023, 2024, 2025)
FIELDWORK_START, FIELDWORK_DAYS = (9, 15), 60
#: The ratings' weights (1 very dissatisfied to 5 very satisfied): about 70 % satisfied, as landlords report.
RATING_WEIGHTS = (6, 9, 15, 40, 30)
#: Of respondents, the share who complained in the last 12 months (asked TP09), and the share who skip a measure.
COMPLAINED, SKIPPED = 0.3, 0.05
#: The seed offset of the survey's own generator.
SEED_OFFSET = 7_919


def question_rows() -> list[tuple[Any, ...]]:
    """(id, survey, position, kind, text, options, required, tsm_code, created_at, updated_at) of every question."""
    rows = []
    for position, code in enumerate((*TSM_MEASURES, TSM_FILTER), start=1):
        kind = "yes_partly_no" if code == TSM_FILTER else "rating"
        text = {"en": f"{code.upper()}: how satisfied or dissatisfied are you?"}
        rows.append((position, SURVEY_ID, position, kind, text, [], False, code, TODAY, TODAY))
    return rows


def tables(world: World) -> Iterator[Table]:
    rng = random.Random(world.seed + SEED_OFFSET)  # noqa: S311 - seeded for a reproducible dataset
    per_year = max(1, world.sizes["perception_responses"] // len(FIELDWORK_YEARS))
    tenures, tenure_weights = weighted(TENURES)
    questions = question_rows()
    measures = {row[7]: row[0] for row in questions}
    created = dt.datetime(FIELDWORK_YEARS[0], 9, 1)
    yield Table(
        "perception survey",
        Survey,
        [Survey.id, Survey.title, Survey.anonymous, Survey.status, Survey.created_at, Survey.updated_at],
        1,
        iter([(SURVEY_ID, {"en": "Tenant satisfaction survey"}, True, "live", created, created)]),
        explicit_ids=True,
    )
    yield Table(
        "perception questions",
        SurveyQuestion,
        [
            SurveyQuestion.id,
            SurveyQuestion.survey,
            SurveyQuestion.position,
            SurveyQuestion.kind,
            SurveyQuestion.text,
            SurveyQuestion.options,
            SurveyQuestion.required,
            SurveyQuestion.tsm_code,
            SurveyQuestion.created_at,
            SurveyQuestion.updated_at,
        ],
        len(questions),
        iter(questions),
        explicit_ids=True,
    )
    yield Table(
        "perception methods",
        TsmSurveyMethod,
        [
            TsmSurveyMethod.survey,
            TsmSurveyMethod.year,
            TsmSurveyMethod.method,
            TsmSurveyMethod.sample_size,
            TsmSurveyMethod.population,
            TsmSurveyMethod.weighting,
            TsmSurveyMethod.fieldwork_start,
            TsmSurveyMethod.fieldwork_end,
            TsmSurveyMethod.created_at,
            TsmSurveyMethod.updated_at,
        ],
        len(FIELDWORK_YEARS),
        iter(
            [
                (
                    SURVEY_ID,
                    year,
                    "mixed",
                    per_year,
                    world.sizes["homes"],
                    "By tenure, to the stock.",
                    dt.date(year, *FIELDWORK_START),
                    dt.date(year, *FIELDWORK_START) + dt.timedelta(days=FIELDWORK_DAYS - 1),
                    created,
                    created,
                )
                for year in FIELDWORK_YEARS
            ]
        ),
    )
    answers: list[tuple[Any, ...]] = []

    def responses() -> Iterator[tuple[Any, ...]]:
        response_id = 0
        for year in FIELDWORK_YEARS:
            first = dt.date(year, *FIELDWORK_START)
            imported = dt.datetime.combine(first + dt.timedelta(days=FIELDWORK_DAYS + 7), dt.time())
            for _ in range(per_year):
                response_id += 1
                tenure = rng.choices(tenures, tenure_weights)[0] if rng.random() < 0.97 else None
                weight = round(rng.uniform(0.8, 1.25), 3)
                answered_on = first + dt.timedelta(days=rng.randrange(FIELDWORK_DAYS))
                complained = rng.random() < COMPLAINED
                for code, question in measures.items():
                    if code == TSM_FILTER:
                        answers.append((response_id, question, "yes" if complained else "no", None, imported))
                    elif (code != "tp09" or complained) and rng.random() >= SKIPPED:
                        number = rng.choices((1, 2, 3, 4, 5), RATING_WEIGHTS)[0]
                        answers.append((response_id, question, str(number), number, imported))
                yield (
                    response_id,
                    SURVEY_ID,
                    "en",
                    "import",
                    imported,
                    imported,
                    imported,
                    False,
                    tenure,
                    weight,
                    answered_on,
                )

    yield Table(
        "perception responses",
        SurveyResponse,
        [
            SurveyResponse.id,
            SurveyResponse.survey,
            SurveyResponse.locale,
            SurveyResponse.channel,
            SurveyResponse.created_at,
            SurveyResponse.updated_at,
            SurveyResponse.submitted_at,
            SurveyResponse.held,
            SurveyResponse.tenure,
            SurveyResponse.weight,
            SurveyResponse.answered_on,
        ],
        per_year * len(FIELDWORK_YEARS),
        responses(),
        explicit_ids=True,
    )

    def answer_rows() -> Iterator[tuple[Any, ...]]:
        # The responses' table is written first, which fills ``answers``.
        for response, question, value, number, at in answers:
            yield (response, question, value, number, at, at)

    yield Table(
        "perception answers",
        SurveyAnswer,
        [
            SurveyAnswer.response,
            SurveyAnswer.question,
            SurveyAnswer.value,
            SurveyAnswer.number,
            SurveyAnswer.created_at,
            SurveyAnswer.updated_at,
        ],
        per_year * len(FIELDWORK_YEARS) * (len(measures) - 1),
        answer_rows(),
    )
