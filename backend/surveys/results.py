"""Sum a survey's answers per question, broken down by language and channel, in SQL.

Only responses that reached staff count: an anonymous survey's held responses do not (see
:mod:`backend.surveys.batches`). For an anonymous survey a language or channel is shown only when at least
the batch minimum of people answered in it, and so many others are hidden with it that the hidden ones
together are never fewer than that minimum: otherwise "everyone" minus the shown ones would give them away.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from peewee import OP, Case, Expression, Value, fn

from backend import config
from backend.context import Actor
from backend.errors import NotAllowed
from backend.surveys.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from backend.surveys.policies import can_see_original_text, can_view_results
from backend.surveys.services import answer_values, get_survey, questions_of

MAX_TEXTS = 200


@dataclass
class Breakdown:
    """Counts per answer value for all responses, or for one language or channel."""

    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    rating_sum: int = 0

    @property
    def mean(self) -> float | None:
        return round(self.rating_sum / self.total, 2) if self.total and self.rating_sum else None

    def add(self, value: str, count: int, rating_sum: int = 0, respondents: int | None = None) -> None:
        self.counts[value] = self.counts.get(value, 0) + count
        self.rating_sum += rating_sum
        self.total += count if respondents is None else respondents


@dataclass
class QuestionResult:
    question: SurveyQuestion
    values: tuple[str, ...]
    overall: Breakdown = field(default_factory=Breakdown)
    by_locale: dict[str, Breakdown] = field(default_factory=lambda: defaultdict(Breakdown))
    by_channel: dict[str, Breakdown] = field(default_factory=lambda: defaultdict(Breakdown))
    texts: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        def plain(breakdown: Breakdown) -> dict[str, Any]:
            return {
                "total": breakdown.total,
                "counts": [{"value": v, "count": breakdown.counts.get(v, 0)} for v in self.values],
                "mean": breakdown.mean,
            }

        return {
            "questionId": self.question.id,
            "kind": self.question.kind,
            **plain(self.overall),
            "byLocale": [{"key": k, **plain(b)} for k, b in sorted(self.by_locale.items())],
            "byChannel": [{"key": k, **plain(b)} for k, b in sorted(self.by_channel.items())],
            "texts": self.texts,
        }


def survey_results(actor: Actor, survey_id: int) -> list[QuestionResult]:
    """Results per question, in question order. Free text is the redacted copy unless the actor is an admin.

    Raises NotAllowed for anyone but staff, NotFound for an unknown survey.
    """
    if not can_view_results(actor):
        raise NotAllowed("survey.results")
    survey = get_survey(survey_id)
    questions = questions_of(survey)
    results = {q.id: QuestionResult(q, answer_values(q)) for q in questions}
    _add_single_values(survey.id, results)
    for question in questions:
        if question.kind == "multiple":
            _add_multiple_choices(question, results[question.id])
    _add_texts(survey.id, results, can_see_original_text(actor))
    if survey.anonymous:
        _hide_small_groups(survey, list(results.values()))
    return list(results.values())


def shown_groups(sizes: dict[str, int], minimum: int) -> set[str]:
    """The groups that may be shown: each of at least ``minimum`` people, and the rest hidden together
    either none or at least ``minimum`` too (the smallest shown groups join the hidden ones until they are)."""
    shown = {key for key, size in sizes.items() if size >= minimum}
    hidden = sum(size for key, size in sizes.items() if key not in shown)
    while 0 < hidden < minimum and shown:
        smallest = min(shown, key=lambda key: (sizes[key], key))
        shown.discard(smallest)
        hidden += sizes[smallest]
    return shown


def _group_sizes(survey: Survey, column: Any) -> dict[str, int]:
    rows: Any = (  # peewee types .tuples() as the model select
        SurveyResponse.select(column, fn.COUNT(SurveyResponse.id))
        .where(SurveyResponse.survey == survey.id, SurveyResponse.held == False)  # noqa: E712
        .group_by(column)
        .tuples()
    )
    return {key: int(count) for key, count in rows}


def _hide_small_groups(survey: Survey, found: list[QuestionResult]) -> None:
    """Drop the language and channel columns, and the language and channel of free text, that are too small."""
    minimum = config.current().survey_anonymous_batch_min
    locales = shown_groups(_group_sizes(survey, SurveyResponse.locale), minimum)
    channels = shown_groups(_group_sizes(survey, SurveyResponse.channel), minimum)
    for result in found:
        result.by_locale = defaultdict(Breakdown, {k: b for k, b in result.by_locale.items() if k in locales})
        result.by_channel = defaultdict(Breakdown, {k: b for k, b in result.by_channel.items() if k in channels})
        for text in result.texts:
            text["locale"] = text["locale"] if text["locale"] in locales else None
            text["channel"] = text["channel"] if text["channel"] in channels else None


def _add_single_values(survey_id: int, results: dict[int, QuestionResult]) -> None:
    rows: Any = (  # peewee types .tuples() as the model select
        SurveyAnswer.select(
            SurveyAnswer.question,
            SurveyAnswer.value,
            SurveyResponse.locale,
            SurveyResponse.channel,
            fn.COUNT(SurveyAnswer.id),
            fn.COALESCE(fn.SUM(SurveyAnswer.number), 0),
        )
        .join(SurveyResponse)
        .where(
            SurveyResponse.survey == survey_id,
            SurveyResponse.held == False,  # noqa: E712
            SurveyAnswer.value.is_null(False),
        )
        .group_by(SurveyAnswer.question, SurveyAnswer.value, SurveyResponse.locale, SurveyResponse.channel)
        .tuples()
    )
    for question_id, value, locale, channel, count, rating_sum in rows:
        result = results.get(question_id)
        if result is None:
            continue
        for breakdown in (result.overall, result.by_locale[locale], result.by_channel[channel]):
            breakdown.add(value, int(count), int(rating_sum))


def _mentions(value: str) -> Expression:
    # The pattern is plain text: without converter=False the JSON field would encode it as JSON.
    return Expression(SurveyAnswer.choices, OP.ILIKE, Value(f'%"{value}"%', converter=False))


def _add_multiple_choices(question: SurveyQuestion, result: QuestionResult) -> None:
    # Choices are stored as a JSON list of short slugs, so a LIKE on the quoted slug counts each one,
    # the same way on SQLite and PostgreSQL.
    picks = [fn.SUM(Case(None, [(_mentions(value), 1)], 0)).alias(f"c{i}") for i, value in enumerate(result.values)]
    rows: Any = (  # peewee types .tuples() as the model select
        SurveyAnswer.select(SurveyResponse.locale, SurveyResponse.channel, fn.COUNT(SurveyAnswer.id), *picks)
        .join(SurveyResponse)
        .where(SurveyAnswer.question == question.id, SurveyResponse.held == False)  # noqa: E712
        .group_by(SurveyResponse.locale, SurveyResponse.channel)
        .tuples()
    )
    for locale, channel, respondents, *counts in rows:
        for breakdown in (result.overall, result.by_locale[locale], result.by_channel[channel]):
            breakdown.total += int(respondents)
            for value, count in zip(result.values, counts, strict=True):
                breakdown.counts[value] = breakdown.counts.get(value, 0) + int(count or 0)


def _add_texts(survey_id: int, results: dict[int, QuestionResult], original: bool) -> None:
    rows: Any = (  # peewee types .tuples() as the model select
        SurveyAnswer.select(
            SurveyAnswer.question,
            SurveyAnswer.text,
            SurveyAnswer.text_redacted,
            SurveyResponse.locale,
            SurveyResponse.channel,
        )
        .join(SurveyResponse)
        .where(
            SurveyResponse.survey == survey_id,
            SurveyResponse.held == False,  # noqa: E712
            SurveyAnswer.text.is_null(False),
            SurveyAnswer.text != "",
        )
        .order_by(SurveyAnswer.id.desc())
        .limit(MAX_TEXTS * max(1, len(results)))
        .tuples()
    )
    for question_id, text, redacted, locale, channel in rows:
        result = results.get(question_id)
        if result is None or len(result.texts) >= MAX_TEXTS:
            continue
        shown = text if original else redacted
        result.texts.append({"text": shown, "locale": locale, "channel": channel})
        for breakdown in (result.overall, result.by_locale[locale], result.by_channel[channel]):
            breakdown.total += 1
