"""Surveys in the API: the resources the engine serves and their results."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from peewee import SQL, Case, fn
from strawberry.types import Info

from backend.errors import DomainError
from backend.surveys import results, services
from backend.surveys.models import (
    QuestionKind,
    ResponseChannel,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveyRule,
)
from schema.access import ADMIN_ROLES, SELF, STAFF_ACCESS, staff
from schema.context import Context
from schema.engine.aggregate import month, value
from schema.engine.declare import RESIDENTS, Access, Column, Computed, Dimension, Resource, ToMany, ToOne
from schema.engine.mutations import parse_id

TEXTS = "A map from locale code to text; English is the fallback."


def waiting_responses(alias: Any) -> Any:
    """SQL: how many of the survey's anonymous responses are held back, waiting to be released together."""
    inner = SurveyResponse.alias()
    return inner.select(fn.COUNT(inner.id)).where((inner.survey == alias.id) & (inner.held == True))  # noqa: E712


def unless_anonymous(column: str) -> Any:
    """SQL for a response's ``column``, or NULL when its survey is anonymous.

    A rare language or channel would pick the person out from those invited; survey results show these
    groups only when they are large enough (:mod:`backend.surveys.results`).
    """

    def sql(alias: Any) -> Any:
        anonymous = Survey.select(Survey.id).where(Survey.anonymous == True)  # noqa: E712
        return Case(None, [(alias.survey.in_(anonymous), SQL("NULL"))], getattr(alias, column))

    return sql


SURVEY = Resource(
    name="Survey",
    plural="surveys",
    model=Survey,
    description="A questionnaire staff build without code, sent to residents after events.",
    members=[
        Column("title", TEXTS, residents=True),
        Column("description", TEXTS, residents=True),
        Column("anonymous", "Whether responses are kept without the respondent's account.", residents=True),
        Column("status", "draft, live or closed.", residents=True),
        Column(
            "system",
            "Which survey the system itself sends: impact (did a change make a difference?); null for surveys staff "
            "built.",
        ),
        Column("expiry_days", "Days an invitation's link works after it is sent."),
        Column("reminder_days", "Days after sending when one reminder goes out (0: none)."),
        Column("created_at"),
        Column(
            "updated_at",
            "When it last changed, or its questions, rules, invitations or responses (for an anonymous survey's "
            "invitations and responses, the day).",
        ),
        Computed(
            "responses_waiting",
            "Anonymous responses held back until enough can reach staff together.",
            kind="int",
            sql=waiting_responses,
        ),
        ToMany("questions"),
        ToMany("rules"),
        ToMany("invitations"),
        ToMany("responses"),
    ],
    access={**STAFF_ACCESS, "resident": Access(RESIDENTS, where={"invitations": {"some": {"person": SELF}}})},
    dimensions=(Dimension("status", value("status")), Dimension("month", month("created_at"))),
    default_order=("-createdAt",),
)

SURVEY_QUESTION = Resource(
    name="SurveyQuestion",
    plural="surveyQuestions",
    model=SurveyQuestion,
    description="One question of a survey, in order, with its text per language.",
    members=[
        Column("position"),
        Column("kind", "rating, yes_partly_no, single, multiple or text."),
        Column("text", TEXTS),
        Column("options", "For choice questions: [{value, label}]."),
        Column("required"),
        Column("condition", "Shown only when this holds: {question, in | lte | gte}."),
        Column(
            "tsm_code",
            'The tenant perception measure it asks (TP01 to TP12) or TP09_FILTER, the "made a complaint in the last '
            '12 months" filter for TP09; null for other questions. Each code once per survey.',
        ),
        Column("updated_at", "When it last changed."),
        ToOne("survey"),
    ],
    access=STAFF_ACCESS,
    dimensions=(Dimension("kind", value("kind")),),
    default_order=("position",),
)

SURVEY_RULE = Resource(
    name="SurveyRule",
    plural="surveyRules",
    model=SurveyRule,
    description="Invite the person named in each event of this name, after a delay.",
    members=[
        Column("event_name", "An outbox event name, e.g. complaint.closed."),
        Column("delay_amount"),
        Column("delay_unit", "days, work_days (working days, by the home nation) or weeks."),
        Column("active"),
        Column("created_at"),
        Column("updated_at", "When it last changed."),
        ToOne("survey"),
    ],
    access=STAFF_ACCESS,
)

SURVEY_INVITATION = Resource(
    name="SurveyInvitation",
    plural="surveyInvitations",
    model=SurveyInvitation,
    description="One person asked to answer one survey, with its own link, one reminder and an expiry date.",
    members=[
        Column(
            "status",
            "pending, sent, answered, expired or skipped (not sent: the person was asked too recently).",
            residents=True,
        ),
        Column("due_at"),
        Column("sent_at", residents=True),
        Column("reminded_at"),
        Column("expires_at", residents=True),
        Column(
            "answered_at",
            "When it was answered; never kept for anonymous surveys (only the status says so).",
            residents=True,
        ),
        Column("created_at"),
        Column("updated_at", "When it last changed (for an anonymous survey, the day)."),
        ToOne("survey", residents=True),
        ToOne("person", fk="user"),
    ],
    access={**STAFF_ACCESS, "resident": Access(RESIDENTS, where={"person": SELF})},
    dimensions=(Dimension("status", value("status")), Dimension("month", month("due_at"))),
    default_order=("-dueAt",),
)

# Held responses of anonymous surveys are nobody's to see until they are released together.
RELEASED = {"held": {"eq": False}}
SURVEY_RESPONSE = Resource(
    name="SurveyResponse",
    plural="surveyResponses",
    model=SurveyResponse,
    description="One person's answers to one survey. The person is set only for surveys that are not anonymous. "
    "An anonymous survey's responses arrive in groups, in no order, dated by the day they were released.",
    members=[
        Computed(
            "locale", "The language answered in (not for anonymous).", kind="string", sql=unless_anonymous("locale")
        ),
        Computed(
            "channel",
            "How it came (not for anonymous).",
            kind="enum",
            sql=unless_anonymous("channel"),
            vocabulary=ResponseChannel,
        ),
        Column("created_at", "For anonymous surveys, the day the response was released to staff."),
        Column("submitted_at", "For anonymous surveys, a day, not a time."),
        Column("updated_at", "When it, or its answers, last changed (for an anonymous survey, the day)."),
        Column("held", "Held back until released with others (never visible).", hidden=True),
        ToOne("survey"),
        ToOne("person", fk="user"),
        ToMany("answers"),
    ],
    access=staff(Access(where=RELEASED, aggregate=True)),
    dimensions=(
        Dimension("locale", lambda alias, dialect: unless_anonymous("locale")(alias)),
        Dimension("channel", lambda alias, dialect: unless_anonymous("channel")(alias)),
    ),
    default_order=("-createdAt",),
)

SURVEY_ANSWER = Resource(
    name="SurveyAnswer",
    plural="surveyAnswers",
    model=SurveyAnswer,
    description="One answer. Free text is given with personal data removed; only admins see it as written.",
    members=[
        Column("value", "A rating 1-5, yes/partly/no/dont_know, or the chosen option."),
        Column("number", "The rating as a number."),
        Column("choices", "The options picked in a multiple choice."),
        Column("text", "Free text as written (admins only).", only_for=ADMIN_ROLES),
        Column(
            "text_redacted", "Free text without emails, phone numbers, postcodes, long numbers or names.", sortable=True
        ),
        Column("created_at"),
        Column("updated_at", "When it last changed (for an anonymous survey, the day)."),
        ToOne("response"),
        ToOne("question"),
    ],
    access=staff(Access(where={"response": RELEASED}, aggregate=True)),
    dimensions=(Dimension("value", value("value")),),
)

RESOURCES = [SURVEY, SURVEY_QUESTION, SURVEY_RULE, SURVEY_INVITATION, SURVEY_RESPONSE, SURVEY_ANSWER]


# --- Results --------------------------------------------------------------------------------


TOTAL = (
    "How many answered: responses for a multiple choice, answers for a rating, yes/partly/no or single choice, and "
    "for free text the answers listed in texts."
)
MEAN = "The mean rating, rounded to 2 decimal places; null for other kinds, or when nobody answered."
COUNTS = "A count for each value the question accepts, in the question's order, zeros included; empty for free text."
SMALL_GROUPS = "For an anonymous survey, groups too small to hide who answered are left out."


@strawberry.type(description="How many gave one answer value.")
class SurveyValueCount:
    value: str = strawberry.field(
        description="An answer value: a rating 1 to 5, yes, partly, no or dont_know, or an option's value."
    )
    count: int = strawberry.field(description="How many answers gave it; for a multiple choice, how many picked it.")


@strawberry.type(description="Counts for all responses, or for one language or channel.")
class SurveyBreakdown:
    key: str = strawberry.field(description="The language (a locale code) or the channel code counted.")
    total: int = strawberry.field(description=TOTAL)
    mean: float | None = strawberry.field(description=MEAN)
    counts: list[SurveyValueCount] = strawberry.field(description=COUNTS)


@strawberry.type(
    description="A free-text answer: redacted unless the viewer is an admin. For anonymous surveys the language "
    "and channel are empty when too few people answered in them."
)
class SurveyTextAnswer:
    text: str = strawberry.field(description="The answer: with personal data removed, unless the viewer is an admin.")
    locale: str | None = strawberry.field(
        description="The language it was given in (a locale code); null for an anonymous survey when too few "
        "answered in it."
    )
    channel: ResponseChannel | None = strawberry.field(
        description="How it came; null for an anonymous survey when too few answers came that way."
    )


@strawberry.type(description="One question's results, summed in SQL.")
class SurveyQuestionResult:
    question_id: strawberry.ID = strawberry.field(description="The SurveyQuestion's id.")
    kind: QuestionKind = strawberry.field(description="How the question is answered.")
    text: str = strawberry.field(description="The question in the viewer's language, else in English.")
    total: int = strawberry.field(description=TOTAL)
    mean: float | None = strawberry.field(description=MEAN)
    counts: list[SurveyValueCount] = strawberry.field(description=COUNTS)
    by_locale: list[SurveyBreakdown] = strawberry.field(
        description="The same counts per language answered in. " + SMALL_GROUPS
    )
    by_channel: list[SurveyBreakdown] = strawberry.field(
        description="The same counts per channel the answers came by. " + SMALL_GROUPS
    )
    texts: list[SurveyTextAnswer] = strawberry.field(
        description="The free-text answers, newest first, at most 200; empty for other kinds."
    )


def _breakdown(key: str, plain: dict[str, Any]) -> SurveyBreakdown:
    return SurveyBreakdown(
        key=key, total=plain["total"], mean=plain["mean"], counts=[SurveyValueCount(**c) for c in plain["counts"]]
    )


def question_result(result: results.QuestionResult, locale: str) -> SurveyQuestionResult:
    plain = result.as_dict()
    return SurveyQuestionResult(
        question_id=strawberry.ID(str(result.question.id)),
        kind=QuestionKind.of(result.question.kind),
        text=services.localised(result.question.text, locale),
        total=plain["total"],
        mean=plain["mean"],
        counts=[SurveyValueCount(**c) for c in plain["counts"]],
        by_locale=[_breakdown(b["key"], b) for b in plain["byLocale"]],
        by_channel=[_breakdown(b["key"], b) for b in plain["byChannel"]],
        texts=[SurveyTextAnswer(**t) for t in plain["texts"]],
    )


@strawberry.type
class SurveysQuery:
    @strawberry.field(description="A survey's results per question (staff only; empty when not allowed).")
    def survey_results(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The Survey's id.")],
    ) -> list[SurveyQuestionResult]:
        context = info.context
        try:
            found = results.survey_results(context.actor, parse_id(id, "survey"))
        except DomainError:
            return []
        return [question_result(result, context.locale) for result in found]


QUERIES = [SurveysQuery]
