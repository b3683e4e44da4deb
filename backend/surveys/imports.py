"""Import the results of a survey run elsewhere (such as the annual tenant perception survey) from CSV rows.

The first row names the columns. ``Q1``, ``Q2``, … (or ``TP01``, ``TP02``, …) is the answer to the
survey's question with that number; an optional ``language`` column holds a locale code. Every row
becomes one anonymous, submitted response with the channel ``import``. Every row is checked first,
and nothing is saved unless all of them are good.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from backend.audit.services import record_audit
from backend.config import KNOWN_LOCALES
from backend.context import Actor
from backend.db import transaction
from backend.errors import DomainError, Invalid, NotAllowed
from backend.surveys import batches
from backend.surveys.answers import check_answers, field_name, parse_answer
from backend.surveys.models import SurveyAnswer, SurveyQuestion, SurveyResponse
from backend.surveys.policies import can_manage_surveys
from backend.surveys.redaction import redact
from backend.surveys.services import get_survey, questions_of
from backend.timeutil import utcnow

MAX_ROWS = 5000
MAX_PROBLEMS = 100
LANGUAGE_COLUMN = "language"
QUESTION_COLUMN = re.compile(r"^(?:Q|TP)0*(\d{1,3})$", re.IGNORECASE)
MULTIPLE_SEPARATOR = ";"


@dataclass(frozen=True)
class RowProblem:
    """What is wrong in one place: ``row`` counts the header as row 1; ``column`` may be empty."""

    row: int
    column: str
    error: Invalid


class ImportRejected(DomainError):
    """The file was not imported; ``problems`` lists every reason (at most MAX_PROBLEMS)."""

    def __init__(self, problems: Sequence[RowProblem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = list(problems)


def column_questions(header: Sequence[str], questions: Sequence[SurveyQuestion]) -> dict[str, SurveyQuestion]:
    """Map each question column of the header to its question. Raises ImportRejected for unknown columns."""
    by_number = {number: question for number, question in enumerate(questions, start=1)}
    found: dict[str, SurveyQuestion] = {}
    problems = []
    for name in header:
        match = QUESTION_COLUMN.match(name.strip())
        if name.strip().lower() == LANGUAGE_COLUMN:
            continue
        if match is None or int(match.group(1)) not in by_number:
            problems.append(RowProblem(1, name, Invalid("column", "unknown_column", name=name)))
            continue
        question = by_number[int(match.group(1))]
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
    if question.kind == "yes_partly_no":
        return text.lower().replace("'", "").replace(" ", "_")
    return text


def check_rows(
    header: Sequence[str], rows: Sequence[Mapping[str, str]], questions: Sequence[SurveyQuestion]
) -> list[tuple[str, dict[int, str | list[str]]]]:
    """Return each row's language and answers by question id. Raises ImportRejected listing every problem."""
    columns = column_questions(header, questions)
    if not rows:
        raise ImportRejected([RowProblem(1, "", Invalid("file", "no_rows"))])
    if len(rows) > MAX_ROWS:
        raise ImportRejected([RowProblem(1, "", Invalid("file", "too_many_rows", maximum=MAX_ROWS))])
    column_of = {field_name(question): f"Q{number}" for number, question in enumerate(questions, start=1)}
    column_of.update({field_name(question): name for name, question in columns.items()})
    checked = []
    problems: list[RowProblem] = []
    for number, row in enumerate(rows, start=2):
        locale = (row.get(LANGUAGE_COLUMN) or "en").strip().lower() or "en"
        if locale not in KNOWN_LOCALES:
            problems.append(RowProblem(number, LANGUAGE_COLUMN, Invalid(LANGUAGE_COLUMN, "unsupported_language")))
        raw = {question.id: _raw_value(question, row.get(name) or "") for name, question in columns.items()}
        if not any(raw.values()):
            problems.append(RowProblem(number, "", Invalid("row", "no_answers")))
        for problem in check_answers(questions, raw, final=True):
            problems.append(RowProblem(number, column_of.get(problem.field, ""), problem))
        checked.append((locale, raw))
    if problems:
        raise ImportRejected(problems[:MAX_PROBLEMS])
    return checked


def import_responses(actor: Actor, survey_id: int, header: Sequence[str], rows: Sequence[Mapping[str, str]]) -> int:
    """Save one anonymous, submitted response per row and return how many were saved.

    Raises NotAllowed, NotFound("survey"), or ImportRejected (and saves nothing) when any row is wrong.
    """
    if not can_manage_surveys(actor):
        raise NotAllowed("survey.import")
    survey = get_survey(survey_id)
    questions = questions_of(survey)
    checked = check_rows(header, rows, questions)
    by_id = {question.id: question for question in questions}
    # Staff give these rows together, and they name no one; an anonymous survey still keeps only the day.
    now = batches.day_of(utcnow()) if survey.anonymous else utcnow()
    with transaction():
        for locale, raw in checked:
            response = SurveyResponse.create(
                survey=survey, locale=locale, channel="import", created_at=now, updated_at=now, submitted_at=now
            )
            for question_id, value in raw.items():
                if not value:
                    continue
                columns = parse_answer(by_id[question_id], value)
                columns["text_redacted"] = redact(columns["text"]) if columns["text"] is not None else None
                SurveyAnswer.create(response=response, question=question_id, created_at=now, updated_at=now, **columns)
        changes = {"responses": {"before": None, "after": len(checked)}}
        record_audit(actor, "survey_response.imported", "survey", survey.id, changes)
    return len(checked)
