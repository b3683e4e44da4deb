"""Surveys in the API: the mutations that build surveys and answer them."""

from __future__ import annotations

from typing import Any

import strawberry

from backend.surveys import answers, invitations, services
from backend.surveys.models import DelayUnit, QuestionKind, ResponseChannel, TsmCode
from schema.access import EVERYONE
from schema.access import STAFF_ROLES as STAFF
from schema.context import Context
from schema.engine.mutations import Mutations, Outcome, parse_id

mutations = Mutations()

TITLE = "The title in each language: English is required, up to 200 characters each."
DESCRIPTION = "The description in each language, up to 1000 characters each; optional."
ANONYMOUS = "Whether responses are kept apart from the respondents' accounts; it can change only in a draft."
EXPIRY_DAYS = "Days an invitation's link works after it is sent, 0 to 365."
REMINDER_DAYS = "Days after sending when the one reminder goes, 0 to 365; 0 sends none."
QUESTION_TEXT = "The question in each language: English is required, up to 1000 characters each."
OPTIONS = "For single and multiple choice questions, 2 to 20 options; none for other kinds."
REQUIRED = "Whether a submitted response must answer it when it is shown."
TSM_CODE = (
    "The tenant perception measure it asks: tp01 to tp12 (TP01 to TP12) on a rating question (5 very satisfied … 1 "
    "very dissatisfied), or tp09_filter on a yes or no question (yes: made a complaint in the last 12 months). Each "
    "code once per survey; null for none."
)


@strawberry.input(description="Text in one language.")
class LocalisedTextInput:
    locale: str = strawberry.field(description="A locale code such as en or cy (a string: languages are added).")
    text: str = strawberry.field(description="The text in that language.")


@strawberry.input(description="One option of a single or multiple choice question.")
class SurveyOptionInput:
    label: list[LocalisedTextInput] = strawberry.field(
        description="The label in each language: English is required, up to 200 characters each."
    )
    value: str | None = strawberry.field(
        default=None,
        description="The code stored when it is picked: up to 40 lowercase letters, digits and _. If not given, "
        "o1, o2... by its place in the list.",
    )


@strawberry.input(
    description="Show the question only when an earlier answer is one of `values`, "
    "or a rating is at most `lte` or at least `gte`."
)
class SurveyConditionInput:
    question_id: strawberry.ID = strawberry.field(
        description="An earlier question of the same survey; not a free-text one."
    )
    values: list[str] | None = strawberry.field(
        default=None,
        description="Answer values (ratings, yes, partly, no, dont_know or option values), any of which shows "
        "the question. Used when given, instead of lte and gte.",
    )
    lte: int | None = strawberry.field(
        default=None, description="For a rating question: the highest rating, 1 to 5, that shows the question."
    )
    gte: int | None = strawberry.field(
        default=None,
        description="For a rating question: the lowest rating, 1 to 5, that shows the question. Used only when "
        "values and lte are not given.",
    )


@strawberry.input(description="A new survey, made as a draft.")
class SurveyCreateInput:
    title: list[LocalisedTextInput] = strawberry.field(description=TITLE)
    description: list[LocalisedTextInput] | None = strawberry.field(default=None, description=DESCRIPTION)
    anonymous: bool = strawberry.field(default=True, description=ANONYMOUS)
    expiry_days: int = strawberry.field(default=28, description=EXPIRY_DAYS)
    reminder_days: int = strawberry.field(default=7, description=REMINDER_DAYS)


@strawberry.input(description="Changes to a survey: only the fields given change.")
class SurveyUpdateInput:
    id: strawberry.ID = strawberry.field(description="The Survey's id.")
    title: list[LocalisedTextInput] | None = strawberry.field(default=strawberry.UNSET, description=TITLE)
    description: list[LocalisedTextInput] | None = strawberry.field(default=strawberry.UNSET, description=DESCRIPTION)
    anonymous: bool | None = strawberry.field(default=strawberry.UNSET, description=ANONYMOUS)
    expiry_days: int | None = strawberry.field(default=strawberry.UNSET, description=EXPIRY_DAYS)
    reminder_days: int | None = strawberry.field(default=strawberry.UNSET, description=REMINDER_DAYS)


@strawberry.input(description="The survey to act on, or the question to remove.")
class SurveyIdInput:
    id: strawberry.ID = strawberry.field(
        description="The Survey's id; for surveyQuestionRemove, the SurveyQuestion's id."
    )


@strawberry.input(description="A new question, added at the end of a draft survey.")
class SurveyQuestionAddInput:
    survey_id: strawberry.ID = strawberry.field(description="The draft Survey's id.")
    kind: QuestionKind = strawberry.field(description="How it is answered; it cannot change later.")
    text: list[LocalisedTextInput] = strawberry.field(description=QUESTION_TEXT)
    options: list[SurveyOptionInput] | None = strawberry.field(default=None, description=OPTIONS)
    required: bool = strawberry.field(default=False, description=REQUIRED)
    condition: SurveyConditionInput | None = strawberry.field(
        default=None, description="When to show it; null shows it always."
    )
    tsm_code: TsmCode | None = strawberry.field(default=None, description=TSM_CODE)


@strawberry.input(description="Changes to a question of a draft survey: only the fields given change.")
class SurveyQuestionUpdateInput:
    id: strawberry.ID = strawberry.field(description="The SurveyQuestion's id.")
    text: list[LocalisedTextInput] | None = strawberry.field(default=strawberry.UNSET, description=QUESTION_TEXT)
    options: list[SurveyOptionInput] | None = strawberry.field(default=strawberry.UNSET, description=OPTIONS)
    required: bool | None = strawberry.field(default=strawberry.UNSET, description=REQUIRED)
    condition: SurveyConditionInput | None = strawberry.field(
        default=strawberry.UNSET, description="When to show it; null removes the condition."
    )
    tsm_code: TsmCode | None = strawberry.field(default=strawberry.UNSET, description=TSM_CODE)


@strawberry.input(description="A question of a draft survey to move one place.")
class SurveyQuestionMoveInput:
    id: strawberry.ID = strawberry.field(description="The SurveyQuestion's id.")
    offset: int = strawberry.field(description="-1 moves it up one place, 1 down one place.")


@strawberry.input(description="A rule that invites the person named in each future event of a name.")
class SurveyRuleAddInput:
    survey_id: strawberry.ID = strawberry.field(description="The Survey's id.")
    event_name: str = strawberry.field(
        description="The event's name: lowercase words (a-z and _) joined by one dot, for example "
        "complaint.closed. The person the event names (its user or resident) is invited."
    )
    delay_amount: int = strawberry.field(description="How many delay units after the event, from 0 to 365.")
    delay_unit: DelayUnit = strawberry.field(default=DelayUnit.DAYS, description="The unit of the delay.")


@strawberry.input(description="The answer to one question. A blank answer clears an earlier one.")
class SurveyAnswerValueInput:
    question_id: strawberry.ID = strawberry.field(description="The SurveyQuestion's id.")
    value: str | None = strawberry.field(
        default=None,
        description="A rating 1 to 5, yes, partly, no or dont_know, an option's value, or the free text (up to "
        "5000 characters).",
    )
    values: list[str] | None = strawberry.field(
        default=None, description="For a multiple choice, the option values picked; used instead of value."
    )


@strawberry.input(description="Answers given through an invitation's signed link (the token is the credential).")
class SurveyAnswerInput:
    token: str = strawberry.field(description="The token from the invitation's link: the part after /s/.")
    answers: list[SurveyAnswerValueInput] = strawberry.field(
        description="Answers to save; questions left out keep their earlier answers."
    )
    channel: ResponseChannel = strawberry.field(
        default=ResponseChannel.PORTAL, description="How the answers came; portal if not given."
    )
    final: bool = strawberry.field(
        default=False,
        description="true submits the response: required questions that are shown must be answered, and answers "
        "to questions now hidden are removed. false saves the answers as they are.",
    )


SUBMITTED = (bool, "Whether the response is submitted, by this answer or an earlier final one.")


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
        data.tsm_code,
    )
    return Outcome(question.id)


@mutations.add("surveyQuestionUpdate", roles=STAFF, payload="SurveyQuestionUpdated", node="question")
def update_question(context: Context, data: SurveyQuestionUpdateInput) -> Outcome:
    """Change a question of a draft survey."""
    values = _given(data, ("text", "options", "required", "condition", "tsm_code"))
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
    extra={"submitted": SUBMITTED},
)
def answer(context: Context, data: SurveyAnswerInput) -> Outcome:
    """Answer a survey through an invitation's signed link. Answering again updates the earlier answers."""
    invitation = invitations.open_invitation(data.token)
    given: dict[int, Any] = {}
    for item in data.answers:
        given[parse_id(item.question_id, "survey_question")] = item.values if item.values is not None else item.value
    response = answers.record_answers(invitation, given, context.locale, data.channel, final=data.final)
    return Outcome(response.id, {"submitted": response.submitted_at is not None})
