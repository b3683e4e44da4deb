"""Surveys in the API: the mutations that build surveys and answer them."""

from __future__ import annotations

from typing import Any

import strawberry

from backend.surveys import answers, invitations, services
from backend.surveys.models import DelayUnit, QuestionKind, ResponseChannel
from schema.access import EVERYONE
from schema.access import STAFF_ROLES as STAFF
from schema.context import Context
from schema.engine.mutations import Mutations, Outcome, parse_id

mutations = Mutations()


@strawberry.input(description="Text in one language.")
class LocalisedTextInput:
    locale: str = strawberry.field(description="A locale code such as en or cy (a string: languages are added).")
    text: str


@strawberry.input
class SurveyOptionInput:
    label: list[LocalisedTextInput]
    value: str | None = None


@strawberry.input(
    description="Show the question only when an earlier answer is one of `values`, "
    "or a rating is at most `lte` or at least `gte`."
)
class SurveyConditionInput:
    question_id: strawberry.ID
    values: list[str] | None = None
    lte: int | None = None
    gte: int | None = None


@strawberry.input
class SurveyCreateInput:
    title: list[LocalisedTextInput]
    description: list[LocalisedTextInput] | None = None
    anonymous: bool = True
    expiry_days: int = 28
    reminder_days: int = 7


@strawberry.input
class SurveyUpdateInput:
    id: strawberry.ID
    title: list[LocalisedTextInput] | None = strawberry.UNSET
    description: list[LocalisedTextInput] | None = strawberry.UNSET
    anonymous: bool | None = strawberry.UNSET
    expiry_days: int | None = strawberry.UNSET
    reminder_days: int | None = strawberry.UNSET


@strawberry.input
class SurveyIdInput:
    id: strawberry.ID


@strawberry.input
class SurveyQuestionAddInput:
    survey_id: strawberry.ID
    kind: QuestionKind
    text: list[LocalisedTextInput]
    options: list[SurveyOptionInput] | None = None
    required: bool = False
    condition: SurveyConditionInput | None = None


@strawberry.input
class SurveyQuestionUpdateInput:
    id: strawberry.ID
    text: list[LocalisedTextInput] | None = strawberry.UNSET
    options: list[SurveyOptionInput] | None = strawberry.UNSET
    required: bool | None = strawberry.UNSET
    condition: SurveyConditionInput | None = strawberry.UNSET


@strawberry.input
class SurveyQuestionMoveInput:
    id: strawberry.ID
    offset: int = strawberry.field(description="-1 moves it up one place, 1 down one place.")


@strawberry.input
class SurveyRuleAddInput:
    survey_id: strawberry.ID
    event_name: str
    delay_amount: int
    delay_unit: DelayUnit = DelayUnit.DAYS


@strawberry.input
class SurveyAnswerValueInput:
    question_id: strawberry.ID
    value: str | None = None
    values: list[str] | None = None


@strawberry.input(description="Answers given through an invitation's signed link (the token is the credential).")
class SurveyAnswerInput:
    token: str
    answers: list[SurveyAnswerValueInput]
    channel: ResponseChannel = ResponseChannel.PORTAL
    final: bool = False


def _texts(items: list[LocalisedTextInput] | None) -> dict[str, str]:
    return {item.locale: item.text for item in items or []}


def _options(items: list[SurveyOptionInput] | None) -> list[dict[str, Any]]:
    return [{"value": item.value, "label": _texts(item.label)} for item in items or []]


def _condition(item: SurveyConditionInput | None) -> dict[str, Any] | None:
    if item is None:
        return None
    made: dict[str, Any] = {"question": parse_id(item.question_id, "survey_question")}
    if item.values is not None:
        made["in"] = item.values
    elif item.lte is not None:
        made["lte"] = item.lte
    elif item.gte is not None:
        made["gte"] = item.gte
    return made


def _given(data: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(data, name) for name in names if getattr(data, name) is not strawberry.UNSET}


@mutations.add("surveyCreate", roles=STAFF, payload="SurveyCreated")
def create_survey(context: Context, data: SurveyCreateInput) -> Outcome:
    """Create a draft survey."""
    survey = services.create_survey(
        context.actor,
        title=_texts(data.title),
        description=_texts(data.description),
        anonymous=data.anonymous,
        expiry_days=data.expiry_days,
        reminder_days=data.reminder_days,
    )
    return Outcome(survey.id)


@mutations.add("surveyUpdate", roles=STAFF, payload="SurveyUpdated")
def update_survey(context: Context, data: SurveyUpdateInput) -> Outcome:
    """Change a survey."""
    values = _given(data, ("title", "description", "anonymous", "expiry_days", "reminder_days"))
    for name in ("title", "description"):
        if name in values:
            values[name] = _texts(values[name])
    return Outcome(services.update_survey(context.actor, parse_id(data.id, "survey"), **values).id)


@mutations.add("surveyPublish", roles=STAFF, payload="SurveyPublished")
def publish_survey(context: Context, data: SurveyIdInput) -> Outcome:
    """Make a draft live."""
    return Outcome(services.publish_survey(context.actor, parse_id(data.id, "survey")).id)


@mutations.add("surveyClose", roles=STAFF, payload="SurveyClosed")
def close_survey(context: Context, data: SurveyIdInput) -> Outcome:
    """Close a survey."""
    return Outcome(services.close_survey(context.actor, parse_id(data.id, "survey")).id)


@mutations.add("surveyQuestionAdd", roles=STAFF, payload="SurveyQuestionAdded", node="question")
def add_question(context: Context, data: SurveyQuestionAddInput) -> Outcome:
    """Add a question at the end of a draft survey."""
    question = services.add_question(
        context.actor,
        parse_id(data.survey_id, "survey"),
        data.kind,
        _texts(data.text),
        _options(data.options),
        data.required,
        _condition(data.condition),
    )
    return Outcome(question.id)


@mutations.add("surveyQuestionUpdate", roles=STAFF, payload="SurveyQuestionUpdated", node="question")
def update_question(context: Context, data: SurveyQuestionUpdateInput) -> Outcome:
    """Change a question of a draft survey."""
    values = _given(data, ("text", "options", "required", "condition"))
    if "text" in values:
        values["text"] = _texts(values["text"])
    if "options" in values:
        values["options"] = _options(values["options"])
    if "condition" in values:
        values["condition"] = _condition(values["condition"])
    return Outcome(services.update_question(context.actor, parse_id(data.id, "survey_question"), **values).id)


@mutations.add("surveyQuestionMove", roles=STAFF, payload="SurveyQuestionMoved", node="question")
def move_question(context: Context, data: SurveyQuestionMoveInput) -> Outcome:
    """Move a question up or down one place."""
    return Outcome(services.move_question(context.actor, parse_id(data.id, "survey_question"), data.offset).id)


@mutations.add("surveyQuestionRemove", roles=STAFF, payload="SurveyQuestionRemoved", resource="Survey")
def remove_question(context: Context, data: SurveyIdInput) -> Outcome:
    """Remove a question from a draft survey."""
    return Outcome(services.remove_question(context.actor, parse_id(data.id, "survey_question")).id)


@mutations.add("surveyRuleAdd", roles=STAFF, payload="SurveyRuleAdded", node="rule")
def add_rule(context: Context, data: SurveyRuleAddInput) -> Outcome:
    """Invite the person in each future event of this name."""
    rule = services.add_rule(
        context.actor, parse_id(data.survey_id, "survey"), data.event_name, data.delay_amount, data.delay_unit
    )
    return Outcome(rule.id)


@mutations.add(
    "surveyAnswer",
    roles=EVERYONE,
    payload="SurveyAnswered",
    resource="SurveyResponse",
    node="response",
    extra={"submitted": bool},
)
def answer(context: Context, data: SurveyAnswerInput) -> Outcome:
    """Answer a survey through an invitation's signed link. Answering again updates the earlier answers."""
    invitation = invitations.open_invitation(data.token)
    given: dict[int, Any] = {}
    for item in data.answers:
        given[parse_id(item.question_id, "survey_question")] = item.values if item.values is not None else item.value
    response = answers.record_answers(invitation, given, context.locale, data.channel, final=data.final)
    return Outcome(response.id, {"submitted": response.submitted_at is not None})
