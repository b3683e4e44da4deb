"""Import the results of a survey run elsewhere (such as the annual tenant perception survey) from CSV rows.

The first row names the columns:

- ``TP01`` … ``TP12`` and ``TP09_FILTER`` answer the survey's question with that TSM code
  (``SurveyQuestion.tsm_code``), wherever it stands in the survey; ``Q1``, ``Q2``, … answer the question at that
  place. A rating takes 1 to 5 or the words of the regulator's scales (very satisfied … very dissatisfied, strongly
  agree … strongly disagree); "don't know" and "not applicable" leave it unanswered, so they are never counted.
- ``language`` (optional): a locale code; blank is English.
- ``tenure`` (optional): rented (low-cost rental, LCRA) or shared_ownership (low-cost home ownership, LCHO); blank
  when not known.
- ``weight`` (optional): the weight the survey's weighting gives the row, a number above 0; blank is 1.
- ``date`` (optional): the UK day the answers were collected (2025-06-30 or 30/06/2025); blank is the day of the
  import.

Every row becomes one anonymous, submitted response with the channel ``import``. Every row is checked first. A
problem with the columns refuses the whole file; problems in rows refuse it too, unless the rows without problems are
to be saved and the others skipped (each problem is still listed, with its row number).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from backend.audit.services import record_audit
from backend.config import KNOWN_LOCALES
from backend.context import Actor
from backend.db import transaction
from backend.errors import DomainError, Invalid, NotAllowed
from backend.reports.periods import EARLIEST
from backend.surveys import batches
from backend.surveys.answers import check_answers, field_name, parse_answer
from backend.surveys.models import TSM_FILTER, TSM_MEASURES, SurveyAnswer, SurveyQuestion, SurveyResponse
from backend.surveys.policies import can_manage_surveys
from backend.surveys.redaction import redact
from backend.surveys.services import get_survey, questions_of
from backend.timeutil import local_date, utcnow

MAX_ROWS = 5000
MAX_COLUMNS = 200
MAX_PROBLEMS = 100
MAX_WEIGHT = 1000
LANGUAGE_COLUMN = "language"
TENURE_COLUMN = "tenure"
WEIGHT_COLUMN = "weight"
DATE_COLUMN = "date"
OTHER_COLUMNS = (LANGUAGE_COLUMN, TENURE_COLUMN, WEIGHT_COLUMN, DATE_COLUMN)
POSITION_COLUMN = re.compile(r"^Q0*(\d{1,3})$", re.IGNORECASE)
TSM_CODES = (*TSM_MEASURES, TSM_FILTER)
MULTIPLE_SEPARATOR = ";"
TENURE_WORDS = {
    "rented": "rented",
    "lcra": "rented",
    "shared_ownership": "shared_ownership",
    "shared ownership": "shared_ownership",
    "lcho": "shared_ownership",
}
# The regulator's five-point scales, 5 the most positive. TP08 asks for agreement, the others for satisfaction.
SCALE_WORDS = {
    "very satisfied": "5",
    "fairly satisfied": "4",
    "neither satisfied nor dissatisfied": "3",
    "fairly dissatisfied": "2",
    "very dissatisfied": "1",
    "strongly agree": "5",
    "agree": "4",
    "neither agree nor disagree": "3",
    "disagree": "2",
    "strongly disagree": "1",
}
# Answers that are no answer on the scale: left unanswered, so they are in neither side of a measure.
NOT_ON_SCALE = {"dont know", "dont_know", "don't know", "not applicable", "n/a", "na", "dk"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass(frozen=True)
class RowProblem:
    """What is wrong in one place: ``row`` counts the header as row 1; ``column`` may be empty."""

    row: int
    column: str
    error: Invalid


class ImportRejected(DomainError):
    """The file was not imported; ``problems`` lists the reasons (at most MAX_PROBLEMS) and ``bad_rows`` how many
    rows had any."""

    def __init__(self, problems: Sequence[RowProblem], bad_rows: int = 0):
        super().__init__(f"{len(problems)} problems")
        self.problems = list(problems)
        self.bad_rows = bad_rows


@dataclass(frozen=True)
class CheckedRow:
    """One row as it will be saved."""

    row: int
    locale: str
    tenure: str | None
    weight: float
    answered_on: dt.date | None
    answers: dict[int, str | list[str]]


@dataclass(frozen=True)
class ImportResult:
    """What an import did: ``saved`` responses, and the rows skipped with their problems (at most MAX_PROBLEMS)."""

    saved: int
    skipped_rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def column_questions(header: Sequence[str], questions: Sequence[SurveyQuestion]) -> dict[str, SurveyQuestion]:
    """Map each question column of the header to its question. Raises ImportRejected for unknown columns."""
    if len(header) > MAX_COLUMNS:
        raise ImportRejected([RowProblem(1, "", Invalid("file", "too_many_columns", maximum=MAX_COLUMNS))])
    by_number = {number: question for number, question in enumerate(questions, start=1)}
    by_code = {question.tsm_code: question for question in questions if question.tsm_code}
    found: dict[str, SurveyQuestion] = {}
    problems = []
    for name in header:
        clean_name = name.strip()
        if clean_name.lower() in OTHER_COLUMNS:
            continue
        match = POSITION_COLUMN.match(clean_name)
        if clean_name.lower() in TSM_CODES:
            question = by_code.get(clean_name.lower())
            if question is None:
                problems.append(RowProblem(1, name, Invalid("column", "no_tsm_question", name=name)))
                continue
        elif match is not None and int(match.group(1)) in by_number:
            question = by_number[int(match.group(1))]
        else:
            problems.append(RowProblem(1, name, Invalid("column", "unknown_column", name=name)))
            continue
        if question in found.values():
            problems.append(RowProblem(1, name, Invalid("column", "duplicate_column", name=name)))
        found[name] = question
    if not found and not problems:
        problems.append(RowProblem(1, "", Invalid("column", "no_question_columns")))
    if problems:
        raise ImportRejected(problems)
    return found


def _raw_value(question: SurveyQuestion, text: str) -> str | list[str]:
    text = (text or "").strip()
    if question.kind == "multiple":
        return [part.strip() for part in text.split(MULTIPLE_SEPARATOR) if part.strip()]
    words = " ".join(text.lower().replace("\u2019", "'").split())
    if question.kind == "yes_partly_no":
        return words.replace("'", "").replace(" ", "_")
    if question.kind == "rating":
        if words in NOT_ON_SCALE:
            return ""
        return SCALE_WORDS.get(words, text)
    return text


def _tenure(text: str) -> str | None:
    words = " ".join((text or "").strip().lower().split())
    if not words:
        return None
    if words not in TENURE_WORDS:
        raise Invalid(TENURE_COLUMN, "unsupported")
    return TENURE_WORDS[words]


def _weight(text: str) -> float:
    text = (text or "").strip()
    if not text:
        return 1.0
    try:
        weight = float(text) if len(text) <= 30 else math.nan
    except ValueError:
        weight = math.nan
    if not math.isfinite(weight) or not 0 < weight <= MAX_WEIGHT:
        raise Invalid(WEIGHT_COLUMN, "out_of_range", maximum=MAX_WEIGHT)
    return weight


def _date(text: str, today: dt.date) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            day = dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if day > today:
            raise Invalid(DATE_COLUMN, "in_future")
        if day < EARLIEST:
            raise Invalid(DATE_COLUMN, "too_early")
        return day
    raise Invalid(DATE_COLUMN, "invalid")


def _check_row(
    number: int,
    row: Mapping[str, str],
    columns: Mapping[str, SurveyQuestion],
    questions: Sequence[SurveyQuestion],
    column_of: Mapping[str, str],
    today: dt.date,
) -> tuple[CheckedRow | None, list[RowProblem]]:
    problems: list[RowProblem] = []
    locale = (row.get(LANGUAGE_COLUMN) or "en").strip().lower() or "en"
    if locale not in KNOWN_LOCALES:
        problems.append(RowProblem(number, LANGUAGE_COLUMN, Invalid(LANGUAGE_COLUMN, "unsupported_language")))
    values: dict[str, Any] = {}
    for name, reader in ((TENURE_COLUMN, _tenure), (WEIGHT_COLUMN, _weight), (DATE_COLUMN, lambda t: _date(t, today))):
        try:
            values[name] = reader(row.get(name) or "")
        except Invalid as error:
            problems.append(RowProblem(number, name, error))
    raw = {question.id: _raw_value(question, row.get(name) or "") for name, question in columns.items()}
    given = {name: (row.get(name) or "").strip() for name in columns}
    if not any(given.values()):
        problems.append(RowProblem(number, "", Invalid("row", "no_answers")))
    for problem in check_answers(questions, raw, final=True):
        problems.append(RowProblem(number, column_of.get(problem.field, ""), problem))
    if problems:
        return None, problems
    checked = CheckedRow(
        number,
        locale,
        values[TENURE_COLUMN],
        values[WEIGHT_COLUMN],
        values[DATE_COLUMN],
        raw,
    )
    return checked, []


def check_rows(
    header: Sequence[str], rows: Sequence[Mapping[str, str]], questions: Sequence[SurveyQuestion]
) -> tuple[list[CheckedRow], list[RowProblem], int]:
    """Return the rows without problems, every problem found in the others, and how many rows had problems.

    Raises ImportRejected when the columns or the size of the file are wrong: then no row can be read.
    """
    columns = column_questions(header, questions)
    if not rows:
        raise ImportRejected([RowProblem(1, "", Invalid("file", "no_rows"))])
    if len(rows) > MAX_ROWS:
        raise ImportRejected([RowProblem(1, "", Invalid("file", "too_many_rows", maximum=MAX_ROWS))])
    column_of = {field_name(question): f"Q{number}" for number, question in enumerate(questions, start=1)}
    column_of.update({field_name(question): name for name, question in columns.items()})
    today = local_date()
    good: list[CheckedRow] = []
    problems: list[RowProblem] = []
    bad_rows = 0
    for number, row in enumerate(rows, start=2):
        checked, found = _check_row(number, row, columns, questions, column_of, today)
        if checked is None:
            bad_rows += 1
            problems.extend(found)
        else:
            good.append(checked)
    return good, problems, bad_rows


def import_responses(
    actor: Actor,
    survey_id: int,
    header: Sequence[str],
    rows: Sequence[Mapping[str, str]],
    *,
    skip_bad_rows: bool = False,
) -> ImportResult:
    """Save one anonymous, submitted response per good row and say what was saved and skipped.

    Raises NotAllowed, NotFound("survey"), or ImportRejected (and saves nothing) when the columns are wrong, when
    any row is wrong and ``skip_bad_rows`` is false, or when no row is good.
    """
    if not can_manage_surveys(actor):
        raise NotAllowed("survey.import")
    survey = get_survey(survey_id)
    questions = questions_of(survey)
    good, problems, bad_rows = check_rows(header, rows, questions)
    if problems and (not skip_bad_rows or not good):
        raise ImportRejected(problems[:MAX_PROBLEMS], bad_rows)
    by_id = {question.id: question for question in questions}
    # Staff give these rows together, and they name no one; an anonymous survey still keeps only the day.
    now = batches.day_of(utcnow()) if survey.anonymous else utcnow()
    with transaction():
        for checked in good:
            response = SurveyResponse.create(
                survey=survey,
                locale=checked.locale,
                channel="import",
                tenure=checked.tenure,
                weight=checked.weight,
                answered_on=checked.answered_on,
                created_at=now,
                updated_at=now,
                submitted_at=now,
            )
            for question_id, value in checked.answers.items():
                if not value:
                    continue
                answer = parse_answer(by_id[question_id], value)
                answer["text_redacted"] = redact(answer["text"]) if answer["text"] is not None else None
                SurveyAnswer.create(response=response, question=question_id, created_at=now, updated_at=now, **answer)
        changes = {
            "responses": {"before": None, "after": len(good)},
            "rows_skipped": {"before": None, "after": bad_rows},
        }
        record_audit(actor, "survey_response.imported", "survey", survey.id, changes)
    return ImportResult(len(good), bad_rows, problems[:MAX_PROBLEMS])
