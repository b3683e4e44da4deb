"""Build surveys: create and change them, their questions and their invitation rules; publish and close.

Every change runs in one transaction with its audit event. Questions change only while a survey is a
draft, so the results of a live survey always describe the questions people saw.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from backend.audit.services import field_changes, record_audit
from backend.config import KNOWN_LOCALES
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed, NotFound, gather
from backend.events.models import OutboxEvent
from backend.surveys import batches
from backend.surveys.models import (
    DELAY_UNITS,
    QUESTION_KINDS,
    RATINGS,
    TSM_FILTER,
    TSM_MEASURES,
    YES_PARTLY_NO,
    Survey,
    SurveyQuestion,
    SurveyRule,
)
from backend.surveys.policies import can_manage_surveys
from backend.timeutil import utcnow

MAX_TITLE = 200
MAX_TEXT = 1000
MAX_OPTIONS = 20
MAX_DAYS = 365
OPTION_VALUE = re.compile(r"^[a-z0-9_]{1,40}$")
EVENT_NAME = re.compile(r"^[a-z_]+\.[a-z_]+$")
SURVEY_FIELDS = ("title", "description", "anonymous", "expiry_days", "reminder_days")


def localised(texts: Mapping[str, str] | None, locale: str) -> str:
    """The text for ``locale``, falling back to English, then to any language given."""
    texts = texts or {}
    return texts.get(locale) or texts.get("en") or next(iter(texts.values()), "")


def _check(actor: Actor, action: str) -> None:
    if not can_manage_surveys(actor):
        raise NotAllowed(f"survey.{action}")


def get_survey(survey_id: int) -> Survey:
    """Return the survey; raise ``NotFound("survey")`` if there is none."""
    survey = Survey.get_or_none(Survey.id == survey_id)
    if survey is None:
        raise NotFound("survey", survey_id)
    return survey


def get_question(question_id: int) -> SurveyQuestion:
    """Return the question; raise ``NotFound("survey_question")`` if there is none."""
    question = SurveyQuestion.get_or_none(SurveyQuestion.id == question_id)
    if question is None:
        raise NotFound("survey_question", question_id)
    return question


def clean_texts(field: str, texts: Any, required: bool = True, maximum: int = MAX_TEXT) -> dict[str, str]:
    """Check a ``{locale: text}`` map: known locales, English present when required, nothing too long."""
    if texts is None:
        texts = {}
    if not isinstance(texts, Mapping):
        raise Invalid(field, "invalid")
    cleaned: dict[str, str] = {}
    for locale, text in texts.items():
        if locale not in KNOWN_LOCALES:
            raise Invalid(field, "unsupported")
        text = str(text or "").strip()
        if len(text) > maximum:
            raise Invalid(field, "too_long", maximum=maximum)
        if text:
            cleaned[locale] = text
    if required and not cleaned.get("en"):
        raise Invalid(field, "english_required")
    return cleaned


def _days(field: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DAYS:
        raise Invalid(field, "out_of_range", minimum=0, maximum=MAX_DAYS)
    return value


def _clean_survey(values: Mapping[str, Any], creating: bool = False) -> dict[str, Any]:
    """The survey's values as stored; raise one Invalid listing every problem (a new survey needs a title)."""
    cleaned: dict[str, Any] = {}
    with gather() as problems:
        for name in sorted(set(values) - set(SURVEY_FIELDS)):
            problems.add(name, "unknown_field")
        with problems.check():
            if "title" in values:
                cleaned["title"] = clean_texts("title", values["title"], maximum=MAX_TITLE)
            elif creating:
                raise Invalid("title", "english_required")
        with problems.check():
            if "description" in values:
                cleaned["description"] = clean_texts("description", values["description"], required=False)
        if "anonymous" in values:
            cleaned["anonymous"] = bool(values["anonymous"])
        for name in ("expiry_days", "reminder_days"):
            with problems.check():
                if name in values:
                    cleaned[name] = _days(name, values[name])
    return cleaned


def snapshot(survey: Survey) -> dict[str, Any]:
    return {name: getattr(survey, name) for name in (*SURVEY_FIELDS, "status")}


def create_survey(actor: Actor, **values: Any) -> Survey:
    """Create a draft survey. Raises NotAllowed or Invalid (every problem at once; ``title`` needs English text)."""
    _check(actor, "create")
    cleaned = _clean_survey(values, creating=True)
    with transaction():
        survey = Survey.create(created_by=actor.user_id, **cleaned)
        record_audit(actor, "survey.created", "survey", survey.id, field_changes(None, snapshot(survey)))
    return survey


def update_survey(actor: Actor, survey_id: int, **values: Any) -> Survey:
    """Change the given fields of a survey. Raises NotAllowed, NotFound or Invalid."""
    _check(actor, "update")
    cleaned = _clean_survey(values)
    survey = get_survey(survey_id)
    if "anonymous" in cleaned and cleaned["anonymous"] != survey.anonymous and survey.status != "draft":
        # People answered on the promise the survey made them; it cannot change under them.
        raise Conflict("survey_not_draft")
    before = snapshot(survey)
    for name, value in cleaned.items():
        setattr(survey, name, value)
    changes = field_changes(before, snapshot(survey))
    if changes:
        survey.updated_at = utcnow()
        with transaction():
            survey.save()
            record_audit(actor, "survey.updated", "survey", survey.id, changes)
    return survey


def _set_status(actor: Actor, survey: Survey, status: str) -> Survey:
    before = snapshot(survey)
    survey.status = status
    survey.updated_at = utcnow()
    with transaction():
        survey.save()
        record_audit(actor, f"survey.{status}", "survey", survey.id, field_changes(before, snapshot(survey)))
    return survey


def publish_survey(actor: Actor, survey_id: int) -> Survey:
    """Make a draft survey live. Raises NotAllowed, NotFound, or Conflict when it has no questions
    or is not a draft. Publishing a live survey again is harmless."""
    _check(actor, "publish")
    survey = get_survey(survey_id)
    if survey.status == "live":
        return survey
    if survey.status != "draft":
        raise Conflict("survey_not_draft")
    if not SurveyQuestion.select().where(SurveyQuestion.survey == survey).exists():
        raise Conflict("survey_has_no_questions")
    return _set_status(actor, survey, "live")


def close_survey(actor: Actor, survey_id: int) -> Survey:
    """Close a survey: its links stop working and no one else is invited. Closing twice is harmless.

    An anonymous survey's held responses can no longer change, so they are released if there are enough.
    """
    _check(actor, "close")
    survey = get_survey(survey_id)
    if survey.status == "closed":
        return survey
    closed = _set_status(actor, survey, "closed")
    if closed.anonymous:
        batches.release_ready(closed.id)
    return closed


def questions_of(survey: Survey | int) -> list[SurveyQuestion]:
    """The survey's questions in order."""
    return list(
        SurveyQuestion.select()
        .where(SurveyQuestion.survey == survey)
        .order_by(SurveyQuestion.position, SurveyQuestion.id)
    )


def answer_values(question: SurveyQuestion) -> tuple[str, ...]:
    """The values a rating, yes/partly/no or choice question accepts (empty for free text)."""
    if question.kind == "rating":
        return RATINGS
    if question.kind == "yes_partly_no":
        return YES_PARTLY_NO
    if question.kind in ("single", "multiple"):
        return tuple(option["value"] for option in question.options)
    return ()


def _clean_options(kind: str, options: Any) -> list[dict[str, Any]]:
    if kind not in ("single", "multiple"):
        if options:
            raise Invalid("options", "not_for_this_kind")
        return []
    if not isinstance(options, Sequence) or isinstance(options, str) or not 2 <= len(options) <= MAX_OPTIONS:
        raise Invalid("options", "too_few", minimum=2, maximum=MAX_OPTIONS)
    cleaned = []
    for number, option in enumerate(options, start=1):
        if not isinstance(option, Mapping):
            raise Invalid("options", "invalid")
        value = str(option.get("value") or f"o{number}")
        if not OPTION_VALUE.match(value):
            raise Invalid("options", "invalid")
        cleaned.append({"value": value, "label": clean_texts("options", option.get("label"), maximum=MAX_TITLE)})
    if len({option["value"] for option in cleaned}) != len(cleaned):
        raise Invalid("options", "duplicate")
    return cleaned


def _clean_condition(survey_id: int, position: int | None, condition: Any) -> dict[str, Any] | None:
    """Check that a condition names an earlier question of the same survey and values it can take."""
    if not condition:
        return None
    if not isinstance(condition, Mapping):
        raise Invalid("condition", "invalid")
    try:
        earlier = get_question(int(condition.get("question")))  # type: ignore[arg-type]
    except (NotFound, TypeError, ValueError):
        raise Invalid("condition", "unknown_question") from None
    if earlier.survey_id != survey_id or (position is not None and earlier.position >= position):  # type: ignore[attr-defined]
        raise Invalid("condition", "unknown_question")
    if earlier.kind == "text":
        raise Invalid("condition", "invalid")
    if "in" in condition:
        values = condition["in"]
        allowed = answer_values(earlier)
        if not isinstance(values, list) or not values or any(str(v) not in allowed for v in values):
            raise Invalid("condition", "invalid")
        return {"question": earlier.id, "in": [str(v) for v in values]}
    for operator in ("lte", "gte"):
        if operator in condition and earlier.kind == "rating":
            bound = condition[operator]
            if isinstance(bound, bool) or not isinstance(bound, int) or not 1 <= bound <= len(RATINGS):
                raise Invalid("condition", "invalid")
            return {"question": earlier.id, operator: bound}
    raise Invalid("condition", "invalid")


def _clean_tsm_code(survey_id: int, kind: str, code: Any, question_id: int | None = None) -> str | None:
    """Check a question's TSM code: a measure on a rating question, the TP09 filter on a yes or no question, and each
    code once per survey. Blank or None is no code. Raises Invalid("tsm_code", ...)."""
    if code is None or (isinstance(code, str) and not code.strip()):
        return None
    code = str(code).strip().lower()
    if code not in (*TSM_MEASURES, TSM_FILTER):
        raise Invalid("tsm_code", "unsupported")
    if code in TSM_MEASURES and kind != "rating":
        raise Invalid("tsm_code", "needs_rating")
    if code == TSM_FILTER and kind != "yes_partly_no":
        raise Invalid("tsm_code", "needs_yes_no")
    taken = SurveyQuestion.select().where((SurveyQuestion.survey == survey_id) & (SurveyQuestion.tsm_code == code))
    if question_id is not None:
        taken = taken.where(SurveyQuestion.id != question_id)
    if taken.exists():
        raise Invalid("tsm_code", "taken", tsm_code=code.upper())
    return code


def _editable_survey(survey_id: int) -> Survey:
    survey = get_survey(survey_id)
    if survey.status != "draft":
        raise Conflict("survey_not_draft")
    return survey


def question_snapshot(question: SurveyQuestion) -> dict[str, Any]:
    names = ("position", "kind", "text", "options", "required", "condition", "tsm_code")
    return {name: getattr(question, name) for name in names}


def add_question(
    actor: Actor,
    survey_id: int,
    kind: str,
    text: Mapping[str, str],
    options: Sequence[Mapping[str, Any]] | None = None,
    required: bool = False,
    condition: Mapping[str, Any] | None = None,
    tsm_code: str | None = None,
) -> SurveyQuestion:
    """Add a question at the end of a draft survey. Raises NotAllowed, NotFound, Invalid or
    Conflict("survey_not_draft").

    ``tsm_code`` marks the tenant perception measure it asks (TP01 to TP12, on a rating question) or the TP09 filter
    (TP09_FILTER, on a yes or no question); each code once per survey.
    """
    _check(actor, "update")
    survey = _editable_survey(survey_id)
    if kind not in QUESTION_KINDS:
        raise Invalid("kind", "unsupported")
    cleaned_text = clean_texts("text", text)
    cleaned_options = _clean_options(kind, options)
    last = questions_of(survey)
    position = (last[-1].position + 1) if last else 1
    cleaned_condition = _clean_condition(survey.id, position, condition)
    cleaned_code = _clean_tsm_code(survey.id, kind, tsm_code)
    with transaction():
        question = SurveyQuestion.create(
            survey=survey,
            position=position,
            kind=kind,
            text=cleaned_text,
            options=cleaned_options,
            required=bool(required),
            condition=cleaned_condition,
            tsm_code=cleaned_code,
        )
        record_audit(
            actor,
            "survey_question.added",
            "survey_question",
            question.id,
            field_changes(None, question_snapshot(question)),
        )
    return question


def update_question(actor: Actor, question_id: int, **values: Any) -> SurveyQuestion:
    """Change a question's text, options, required flag, condition or TSM code (its kind stays)."""
    _check(actor, "update")
    question = get_question(question_id)
    _editable_survey(question.survey_id)  # type: ignore[attr-defined]
    unknown = set(values) - {"text", "options", "required", "condition", "tsm_code"}
    if unknown:
        raise Invalid(sorted(unknown)[0], "unknown_field")
    before = question_snapshot(question)
    if "text" in values:
        question.text = clean_texts("text", values["text"])
    if "options" in values:
        question.options = _clean_options(question.kind, values["options"])
    if "required" in values:
        question.required = bool(values["required"])
    if "condition" in values:
        question.condition = _clean_condition(question.survey_id, question.position, values["condition"])  # type: ignore[attr-defined]
    if "tsm_code" in values:
        question.tsm_code = _clean_tsm_code(question.survey_id, question.kind, values["tsm_code"], question.id)  # type: ignore[attr-defined]
    changes = field_changes(before, question_snapshot(question))
    if changes:
        with transaction():
            question.save()
            record_audit(actor, "survey_question.updated", "survey_question", question.id, changes)
    return question


def move_question(actor: Actor, question_id: int, offset: int) -> SurveyQuestion:
    """Swap a question with the one before (``offset`` -1) or after (+1). At either end, nothing changes.

    Raises Conflict("condition_order") when the move would put a question before the one its
    condition depends on.
    """
    _check(actor, "update")
    question = get_question(question_id)
    questions = questions_of(_editable_survey(question.survey_id))  # type: ignore[attr-defined]
    index = next(i for i, q in enumerate(questions) if q.id == question.id)
    other_index = index + (1 if offset > 0 else -1)
    if not 0 <= other_index < len(questions):
        return question
    other = questions[other_index]
    first, second = (question, other) if index < other_index else (other, question)
    if second.condition and second.condition.get("question") == first.id:
        raise Conflict("condition_order")
    positions = {q.id: number for number, q in enumerate(questions, start=1)}
    positions[question.id], positions[other.id] = positions[other.id], positions[question.id]
    with transaction():
        for moved in (question, other):
            before = moved.position
            moved.position = positions[moved.id]
            moved.save()
            record_audit(
                actor,
                "survey_question.moved",
                "survey_question",
                moved.id,
                {"position": {"before": before, "after": moved.position}},
            )
    return question


def remove_question(actor: Actor, question_id: int) -> Survey:
    """Remove a question from a draft survey, and any condition that depended on it; return the survey.

    Raises NotAllowed, NotFound, Conflict("survey_not_draft"), or Conflict("system_question") for the first question
    of a survey the system sends (the impact survey's "did it make a difference?").
    """
    _check(actor, "update")
    question = get_question(question_id)
    survey = _editable_survey(question.survey_id)  # type: ignore[attr-defined]
    if survey.system and questions_of(survey)[0].id == question.id:
        raise Conflict("system_question")  # the system counts the answers to it
    with transaction():
        for dependent in questions_of(survey):
            if dependent.condition and dependent.condition.get("question") == question.id:
                dependent.condition = None
                dependent.save()
                record_audit(
                    actor,
                    "survey_question.updated",
                    "survey_question",
                    dependent.id,
                    {"condition": {"before": str(question.id), "after": None}},
                )
        record_audit(
            actor,
            "survey_question.removed",
            "survey_question",
            question.id,
            field_changes(question_snapshot(question), {}),
        )
        question.delete_instance()
    return survey


def add_rule(actor: Actor, survey_id: int, event_name: str, delay_amount: int, delay_unit: str = "days") -> SurveyRule:
    """Invite the person in each future ``event_name`` event. Raises NotAllowed, NotFound or Invalid."""
    _check(actor, "update")
    survey = get_survey(survey_id)
    event_name = (event_name or "").strip()
    if not EVENT_NAME.match(event_name) or len(event_name) > 80:
        raise Invalid("event_name", "invalid")
    if delay_unit not in DELAY_UNITS:
        raise Invalid("delay_unit", "unsupported")
    delay_amount = _days("delay_amount", delay_amount)

    # Only events from now on: a new rule never invites people for what happened long ago.
    latest = OutboxEvent.select(OutboxEvent.id).order_by(OutboxEvent.id.desc()).first()
    with transaction():
        rule = SurveyRule.create(
            survey=survey,
            event_name=event_name,
            delay_amount=delay_amount,
            delay_unit=delay_unit,
            last_event_id=latest.id if latest else 0,
        )
        record_audit(
            actor,
            "survey_rule.added",
            "survey_rule",
            rule.id,
            field_changes(None, {"event_name": event_name, "delay_amount": delay_amount, "delay_unit": delay_unit}),
        )
    return rule
