"""Record answers: from a signed link (one click from the email, then the rest of the survey) or an import."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from peewee import IntegrityError

from backend.audit.services import record_audit
from backend.cocreation import impact
from backend.cocreation.impact import IMPACT_SURVEY
from backend.context import Actor
from backend.db import transaction
from backend.errors import Invalid
from backend.surveys import batches
from backend.surveys.invitations import response_key
from backend.surveys.models import (
    RESPONSE_CHANNELS,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
)
from backend.surveys.redaction import redact
from backend.surveys.services import answer_values, questions_of
from backend.text import clean
from backend.text import is_blank as is_blank_text
from backend.timeutil import utcnow

MAX_ANSWER_TEXT = 5000
Raw = str | Sequence[str] | None


def field_name(question: SurveyQuestion) -> str:
    """The name of a question's form field and of the field in its errors."""
    return f"q_{question.id}"


def is_blank(raw: Raw) -> bool:
    """Whether nothing was given: no value, or only spaces and invisible characters (see backend.text)."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return is_blank_text(raw)
    return not [value for value in raw if not is_blank_text(value)]


def parse_answer(question: SurveyQuestion, raw: Raw) -> dict[str, Any]:
    """Turn what someone gave into the answer's columns. Raises ``Invalid(q_<id>, code)``."""
    name = field_name(question)
    if question.kind == "text":
        text = clean(raw if isinstance(raw, str) else " ".join(raw or ()))
        if len(text) > MAX_ANSWER_TEXT:
            raise Invalid(name, "too_long", maximum=MAX_ANSWER_TEXT)
        return {"value": None, "number": None, "choices": None, "text": text}
    allowed = answer_values(question)
    if question.kind == "multiple":
        picked = [raw] if isinstance(raw, str) else list(raw or ())
        if any(value not in allowed for value in picked):
            raise Invalid(name, "unsupported")
        ordered = [value for value in allowed if value in picked]
        return {"value": None, "number": None, "choices": ordered, "text": None}
    value = (raw if isinstance(raw, str) else next(iter(raw or ()), "")).strip()
    if value not in allowed:
        raise Invalid(name, "unsupported")
    number = int(value) if question.kind == "rating" else None
    return {"value": value, "number": number, "choices": None, "text": None}


def condition_holds(condition: Mapping[str, Any] | None, answers: Mapping[int, Any]) -> bool:
    """Whether a question with ``condition`` is shown, given the answers so far (question id -> value)."""
    if not condition:
        return True
    given = answers.get(condition["question"])
    if given is None or given == "" or given == []:
        return False
    values = given if isinstance(given, list) else [given]
    if "in" in condition:
        return any(value in condition["in"] for value in values)
    try:
        number = int(values[0])
    except (TypeError, ValueError):
        return False
    if "lte" in condition:
        return number <= condition["lte"]
    return number >= condition["gte"]


def visible_questions(questions: Sequence[SurveyQuestion], answers: Mapping[int, Any]) -> list[SurveyQuestion]:
    """The questions shown for these answers. A question hidden by its condition hides those that depend on it."""
    shown: list[SurveyQuestion] = []
    shown_ids: set[int] = set()
    for question in questions:
        condition = question.condition
        if condition and condition["question"] not in shown_ids:
            continue
        if condition_holds(condition, answers):
            shown.append(question)
            shown_ids.add(question.id)
    return shown


def check_answers(questions: Sequence[SurveyQuestion], raw: Mapping[int, Raw], final: bool) -> list[Invalid]:
    """Every problem with a set of answers: unacceptable values, and (when ``final``) required ones missing."""
    problems: list[Invalid] = []
    parsed_values: dict[int, Any] = {}
    for question in questions:
        value = raw.get(question.id)
        if is_blank(value):
            continue
        try:
            parsed = parse_answer(question, value)
        except Invalid as error:
            problems.append(error)
            continue
        parsed_values[question.id] = parsed["choices"] if question.kind == "multiple" else parsed["value"]
    if final:
        for question in visible_questions(questions, parsed_values):
            if question.required and is_blank(raw.get(question.id)):
                problems.append(Invalid(field_name(question), "required"))
    return problems


def saved_answers(response: SurveyResponse | None) -> dict[int, Any]:
    """The answers already given: question id -> value, list of choices, or text as written."""
    if response is None:
        return {}
    found: dict[int, Any] = {}
    rows: Any = (  # peewee types .tuples() as the model select
        SurveyAnswer.select(SurveyAnswer.question, SurveyAnswer.choices, SurveyAnswer.text, SurveyAnswer.value)
        .where(SurveyAnswer.response == response)
        .tuples()
    )
    for question_id, choices, text, value in rows:
        found[question_id] = choices if choices is not None else text if text is not None else value
    return found


def response_for(invitation: SurveyInvitation) -> SurveyResponse | None:
    """The response already started from this invitation, or None."""
    return SurveyResponse.get_or_none(SurveyResponse.invitation_key == response_key(invitation.id))


ANONYMOUS_RESPONDENT = "survey respondent"


def _respondent(invitation: SurveyInvitation) -> Actor:
    if invitation.survey.anonymous:
        return Actor(user_id=None, label=ANONYMOUS_RESPONDENT)
    return Actor(user_id=invitation.user_id, roles=frozenset({"resident"}), label=f"user:{invitation.user_id}")  # type: ignore[attr-defined]


def _store(
    response: SurveyResponse, question: SurveyQuestion, columns: dict[str, Any], names: Sequence[str], stamp: Any
) -> None:
    if columns["text"] is not None:
        columns["text_redacted"] = redact(columns["text"], names)
    else:
        columns["text_redacted"] = None
    updated = (
        SurveyAnswer.update(updated_at=stamp, **columns)
        .where(SurveyAnswer.response == response, SurveyAnswer.question == question)
        .execute()
    )
    if updated:
        return
    try:
        with transaction():
            SurveyAnswer.create(response=response, question=question, created_at=stamp, updated_at=stamp, **columns)
    except IntegrityError:
        # Answered at the same moment from another tab: the later answer wins, as an update.
        SurveyAnswer.update(updated_at=stamp, **columns).where(
            SurveyAnswer.response == response, SurveyAnswer.question == question
        ).execute()


def _names_to_redact(invitation: SurveyInvitation, response: SurveyResponse) -> list[str]:
    """The names to take out of free text: the writer's own, or for a released anonymous response everyone's
    released with it, so that the redacted copy looks the same whoever of them wrote it."""
    if invitation.survey.anonymous and not response.held:
        return batches.names_released_with(response)
    return [invitation.user.display_name] if invitation.user_id else []  # type: ignore[attr-defined]


def _response(invitation: SurveyInvitation, locale: str, channel: str, stamp: Any) -> SurveyResponse:
    """The invitation's response, started now if there is none yet (held back if the survey is anonymous)."""
    response = response_for(invitation)
    if response is not None:
        return response
    anonymous = invitation.survey.anonymous
    try:
        with transaction():
            return SurveyResponse.create(
                survey=invitation.survey,
                invitation_key=response_key(invitation.id),
                user=None if anonymous else invitation.user_id,  # type: ignore[attr-defined]
                locale=locale,
                channel=channel,
                created_at=stamp,
                updated_at=stamp,
                held=anonymous,
            )
    except IntegrityError:
        response = response_for(invitation)
        assert response is not None
        return response


def record_answers(
    invitation: SurveyInvitation,
    raw: Mapping[int, Raw],
    locale: str,
    channel: str = "email",
    final: bool = False,
) -> SurveyResponse:
    """Save answers given through an invitation's link; answering again updates, never duplicates.

    A blank answer clears an earlier one. When ``final``, answers to
    questions that are now hidden are removed and the response is marked submitted. Raises the first
    ``Invalid`` that :func:`check_answers` finds.

    A submitted answer to an impact invitation is counted on its change in the same transaction
    (:func:`backend.cocreation.impact.count_impact_answer`).

    For an anonymous survey nothing is timed finer than the day, the invitation records only that it was
    answered, no audit entry names the response, and the response is held until it can be released with
    others (:mod:`backend.surveys.batches`).
    """
    survey = invitation.survey
    questions = questions_of(survey)
    problems = check_answers(questions, raw, final)
    if problems:
        raise problems[0]
    channel = channel if channel in RESPONSE_CHANNELS else "email"
    now = utcnow()
    stamp = batches.day_of(now) if survey.anonymous else now
    with transaction():
        if survey.anonymous:
            batches.lock_survey(survey.id)
        response = _response(invitation, locale, channel, stamp)
        names = _names_to_redact(invitation, response)
        by_id = {question.id: question for question in questions}
        answered = []
        for question_id, value in raw.items():
            question = by_id.get(question_id)
            if question is None:
                continue
            if is_blank(value):
                SurveyAnswer.delete().where(
                    SurveyAnswer.response == response, SurveyAnswer.question == question
                ).execute()
                continue
            _store(response, question, parse_answer(question, value), names, stamp)
            answered.append(question_id)
        if final:
            shown = {q.id for q in visible_questions(questions, saved_answers(response))}
            SurveyAnswer.delete().where(
                SurveyAnswer.response == response, SurveyAnswer.question.not_in(shown or {0})
            ).execute()
        SurveyResponse.update(
            updated_at=stamp, locale=locale, submitted_at=stamp if final else response.submitted_at
        ).where(SurveyResponse.id == response.id).execute()
        if invitation.status != "answered":
            SurveyInvitation.update(status="answered", answered_at=None if survey.anonymous else now).where(
                SurveyInvitation.id == invitation.id
            ).execute()
            invitation.status = "answered"
        if final and survey.system == IMPACT_SURVEY:
            impact.count_impact_answer(invitation, saved_answers(response))
        if survey.anonymous:
            batches.release_ready(survey.id, now=now)
        else:
            # The audit names the questions answered, never the answers, which may be personal.
            record_audit(
                _respondent(invitation),
                "survey_response.submitted" if final else "survey_response.answered",
                "survey_response",
                response.id,
                {"questions": {"before": None, "after": sorted(answered)}},
            )
    # A release writes the response again under a new id: find it by its key.
    found = response_for(invitation)
    assert found is not None
    return found
