"""The tenant perception measures (TP01 to TP12) in the API: the staff-only report over a period, and the method
statement per survey and regulator's year, which managers record."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from backend.errors import Invalid, NotFound
from backend.reports import tsm_perception
from backend.reports.periods import MAX_CODE_LENGTH, parse_period, year_of
from backend.surveys import tsm
from backend.surveys.models import TsmCode, TsmMethod, TsmSurveyMethod
from backend.timeutil import local_date
from schema.access import MANAGER_ROLES, STAFF_ACCESS, STAFF_ROLES
from schema.context import Context
from schema.engine.access import only_for
from schema.engine.declare import Column, Resource, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id
from schema.error_texts import INVALID, N_
from schema.errors import argument_error

mutations = Mutations()

#: The measures' names as the regulator gives them, for people reading the report.
LABELS = {
    "tp01": N_("Overall satisfaction"),
    "tp02": N_("Satisfaction with repairs"),
    "tp03": N_("Satisfaction with time taken to complete most recent repair"),
    "tp04": N_("Satisfaction that the home is well maintained"),
    "tp05": N_("Satisfaction that the home is safe"),
    "tp06": N_("Satisfaction that the landlord listens to tenant views and acts upon them"),
    "tp07": N_("Satisfaction that the landlord keeps tenants informed about things that matter to them"),
    "tp08": N_("Agreement that the landlord treats tenants fairly and with respect"),
    "tp09": N_("Satisfaction with the landlord's approach to handling complaints"),
    "tp10": N_("Satisfaction that the landlord keeps communal areas clean and well maintained"),
    "tp11": N_("Satisfaction that the landlord makes a positive contribution to neighbourhoods"),
    "tp12": N_("Satisfaction with the landlord's approach to handling anti-social behaviour"),
}

TSM_SURVEY_METHOD = Resource(
    name="TsmSurveyMethod",
    plural="tsmSurveyMethods",
    model=TsmSurveyMethod,
    description="How a survey was carried out for the tenant perception measures of one regulator's year: published "
    "beside the measures.",
    members=[
        Column(
            "year", "The regulator's year, by the calendar year it starts in: 2025 is 2025/26 (1 April to 31 March)."
        ),
        Column("method", "How the survey was carried out."),
        Column("sample_size", "How many responses the survey achieved."),
        Column("population", "How many homes (households) the survey was drawn from."),
        Column("weighting", "How the responses were weighted; empty when they were not."),
        Column("fieldwork_start", "The first UK day of fieldwork."),
        Column("fieldwork_end", "The last UK day of fieldwork."),
        Column("created_at", "When it was first recorded."),
        Column("updated_at", "When it last changed."),
        ToOne("survey", "The survey it describes."),
        ToOne("recorded_by", "Who recorded it, or last changed it."),
    ],
    access=STAFF_ACCESS,
    default_order=("-year", "id"),
)

RESOURCES = [TSM_SURVEY_METHOD]

METHOD = "How the survey was carried out."
SAMPLE = "How many responses the survey achieved, from 1 to 10,000,000; not more than the population."
POPULATION = "How many homes (households) the survey was drawn from, from 1 to 10,000,000."
WEIGHTING = "How the responses were weighted, up to 2000 characters; empty when they were not."
START = "The first UK day of fieldwork, within the regulator's year."
END = "The last UK day of fieldwork, within the regulator's year and not before the first."


@strawberry.input(description="The method statement of a survey for one regulator's year.")
class TsmSurveyMethodCreateInput:
    survey_id: strawberry.ID = strawberry.field(description="The Survey's id.")
    year: int = strawberry.field(description="The regulator's year by the calendar year it starts in: 2025 is 2025/26.")
    method: TsmMethod = strawberry.field(description=METHOD)
    sample_size: int = strawberry.field(description=SAMPLE)
    population: int = strawberry.field(description=POPULATION)
    weighting: str = strawberry.field(default="", description=WEIGHTING)
    fieldwork_start: dt.date = strawberry.field(description=START)
    fieldwork_end: dt.date = strawberry.field(description=END)


@strawberry.input(description="Changes to a method statement: only the fields given change.")
class TsmSurveyMethodUpdateInput:
    id: strawberry.ID = strawberry.field(description="The TsmSurveyMethod's id.")
    method: TsmMethod | None = strawberry.field(default=strawberry.UNSET, description=METHOD)
    sample_size: int | None = strawberry.field(default=strawberry.UNSET, description=SAMPLE)
    population: int | None = strawberry.field(default=strawberry.UNSET, description=POPULATION)
    weighting: str | None = strawberry.field(default=strawberry.UNSET, description=WEIGHTING)
    fieldwork_start: dt.date | None = strawberry.field(default=strawberry.UNSET, description=START)
    fieldwork_end: dt.date | None = strawberry.field(default=strawberry.UNSET, description=END)


FIELDS = ("method", "sample_size", "population", "weighting", "fieldwork_start", "fieldwork_end")


@mutations.add("tsmSurveyMethodCreate", roles=MANAGER_ROLES, payload="TsmSurveyMethodCreated")
def create_method(context: Context, data: TsmSurveyMethodCreateInput) -> Outcome:
    """Record how a survey was carried out for a regulator's year (managers; one per survey and year)."""
    values = {name: getattr(data, name) for name in FIELDS}
    made = tsm.record_method(context.actor, parse_id(data.survey_id, "survey"), data.year, **values)
    return Outcome(made.id)


@mutations.add("tsmSurveyMethodUpdate", roles=MANAGER_ROLES, payload="TsmSurveyMethodUpdated")
def update_method(context: Context, data: TsmSurveyMethodUpdateInput) -> Outcome:
    """Change a method statement (managers); the survey and year stay."""
    values = {name: getattr(data, name) for name in FIELDS if getattr(data, name) is not strawberry.UNSET}
    return Outcome(tsm.update_method(context.actor, parse_id(data.id, "tsm_survey_method"), **values).id)


# --- The report ------------------------------------------------------------------------------

TsmTenureGroup = tsm_perception.TsmTenureGroup


@strawberry.type(description="One tenant perception measure for one group of respondents.")
class TsmPerceptionMeasure:
    code: TsmCode = strawberry.field(description="The measure: tp01 to tp12 (TP01 to TP12).")
    label: str = strawberry.field(description="The measure's name, in the viewer's language.")
    numerator: float = strawberry.field(
        description="The weighted count of answers 4 and 5: very or fairly satisfied (TP08: strongly agree or agree)."
    )
    denominator: float = strawberry.field(
        description="The weighted count of answers 1 to 5; don't know and not applicable are in neither. For TP09, "
        "only respondents whose answer to the filter question (tp09_filter) is yes."
    )
    value: float | None = strawberry.field(
        description="numerator ÷ denominator × 100, unrounded; null when the denominator is 0 (never 0 or 100)."
    )
    published: str | None = strawberry.field(
        description="The value to one decimal place, halves rounded up, as published (84.3); null when there is none."
    )
    unweighted_count: int = strawberry.field(description="How many answers 1 to 5 were counted, unweighted.")
    unweighted_positive: int = strawberry.field(description="How many of them were 4 or 5, unweighted.")


@strawberry.type(description="The twelve measures for one group of respondents.")
class TsmPerceptionGroup:
    tenure: TsmTenureGroup = strawberry.field(description="Whose responses: LCRA, LCHO or all.")
    respondents: int = strawberry.field(description="How many responses counted in the period, in this group.")
    measures: list[TsmPerceptionMeasure] = strawberry.field(description="TP01 to TP12, in order.")


@strawberry.type(description="A method statement, as the report shows it.")
class TsmMethodStatement:
    id: strawberry.ID = strawberry.field(description="The TsmSurveyMethod's id.")
    survey_id: strawberry.ID = strawberry.field(description="The Survey's id.")
    year: str = strawberry.field(description="The regulator's year, as 2025/26.")
    method: TsmMethod = strawberry.field(description=METHOD)
    sample_size: int = strawberry.field(description="How many responses the survey achieved.")
    population: int = strawberry.field(description="How many homes (households) the survey was drawn from.")
    weighting: str = strawberry.field(description="How the responses were weighted; empty when they were not.")
    fieldwork_start: dt.date = strawberry.field(description="The first UK day of fieldwork.")
    fieldwork_end: dt.date = strawberry.field(description="The last UK day of fieldwork.")


@strawberry.type(description="The tenant perception measures TP01 to TP12 over a period, by tenure.")
class TsmPerceptionReport:
    period: str = strawberry.field(description="The period's code, such as 2025/26.")
    first_day: dt.date = strawberry.field(description="The period's first UK day.")
    last_day: dt.date = strawberry.field(description="The period's last UK day.")
    survey_id: strawberry.ID | None = strawberry.field(description="The survey counted; null for every coded survey.")
    groups: list[TsmPerceptionGroup] = strawberry.field(description="LCRA, LCHO and all, in that order.")
    responses_without_tenure: int = strawberry.field(
        description="Responses in the period whose tenure is not known: counted only in all."
    )
    filter_question_missing: bool = strawberry.field(
        description="Whether no survey counted marks a question as the TP09 filter, so TP09 has no value."
    )
    methods: list[TsmMethodStatement] = strawberry.field(
        description="The method statements of the regulator's years the period touches."
    )


def _statement(record: TsmSurveyMethod) -> TsmMethodStatement:
    return TsmMethodStatement(
        id=strawberry.ID(str(record.id)),
        survey_id=strawberry.ID(str(record.survey_id)),  # type: ignore[attr-defined]
        year=year_of(dt.date(record.year, 4, 1)).code,
        method=TsmMethod.of(record.method),
        sample_size=record.sample_size,
        population=record.population,
        weighting=record.weighting,
        fieldwork_start=record.fieldwork_start,
        fieldwork_end=record.fieldwork_end,
    )


def report_of(found: tsm_perception.PerceptionReport, context: Context) -> TsmPerceptionReport:
    groups = [
        TsmPerceptionGroup(
            tenure=TsmTenureGroup.of(group.tenure),
            respondents=group.respondents,
            measures=[
                TsmPerceptionMeasure(
                    code=TsmCode.of(m.code),
                    label=context.gettext(LABELS[m.code]),
                    numerator=m.numerator,
                    denominator=m.denominator,
                    value=m.value,
                    published=m.published,
                    unweighted_count=m.count,
                    unweighted_positive=m.positive_count,
                )
                for m in group.measures
            ],
        )
        for group in found.groups
    ]
    return TsmPerceptionReport(
        period=found.period.code,
        first_day=found.period.first,
        last_day=found.period.last,
        survey_id=strawberry.ID(str(found.survey_id)) if found.survey_id is not None else None,
        groups=groups,
        responses_without_tenure=found.without_tenure,
        filter_question_missing=found.filter_missing,
        methods=[_statement(record) for record in found.methods],
    )


def _survey_id(raw: strawberry.ID | None) -> int | None:
    return None if raw is None else parse_id(raw, "survey")


@only_for(STAFF_ROLES)
@strawberry.type
class TsmPerceptionQuery:
    @strawberry.field(
        description="The tenant perception measures TP01 to TP12 over a period, for LCRA, LCHO and all, weighted by "
        "the weights the survey import recorded. Staff only. A period that is not a period code (2025/26, "
        "2025/26-Q1, 2025-04, 2025-04-01..2025-06-30), or that starts after today, is refused: an error with "
        "`extensions.code` `BAD_USER_INPUT` and `extensions.field` `period`; an unknown survey likewise at "
        "`surveyId`."
    )
    def tsm_perception(
        self,
        info: Info[Context, None],
        period: Annotated[
            str | None,
            strawberry.argument(
                description=f"A period code, up to {MAX_CODE_LENGTH} characters; the regulator's year that "
                "today is in when not given."
            ),
        ] = None,
        survey_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="One Survey's id; every survey with coded questions when not given."),
        ] = None,
    ) -> TsmPerceptionReport:
        context = info.context
        try:
            chosen = parse_period(period) if period is not None else year_of(local_date())
            survey = _survey_id(survey_id)
            found = tsm_perception.perception_measures(context.actor, chosen, survey)
        except NotFound:
            raise argument_error(Invalid("survey_id", "not_found"), context) from None
        except Invalid as error:
            raise argument_error(error, context) from None
        return report_of(found, context)


QUERIES = [TsmPerceptionQuery]


# The words of this module's refusals.
INVALID.update(
    {
        ("period", "invalid"): N_("Enter a period such as 2025/26, 2025/26-Q1, 2025-04 or 2025-04-01..2025-06-30."),
        ("period", "reversed"): N_("The period can't end before it starts."),
        ("period", "too_long"): N_("The period can be at most five years long."),
        ("period", "too_early"): N_("Choose a period from 2000 onwards."),
        ("period", "future"): N_("Choose a period that has started."),
        ("survey_id", "not_found"): N_("There is no such survey."),
        ("tsm_code", "unsupported"): N_("Choose a TSM code from TP01 to TP12, or TP09_FILTER."),
        ("tsm_code", "needs_rating"): N_("TP01 to TP12 go on a rating question, answered from 1 to 5."),
        ("tsm_code", "needs_yes_no"): N_("The TP09 filter goes on a yes or no question."),
        ("tsm_code", "taken"): N_("Another question of this survey already has the code %(tsm_code)s."),
        ("method", "unsupported"): N_("Choose postal, telephone, online, face to face or mixed."),
        ("sample_size", "out_of_range"): N_("Give a number from %(minimum)s to %(maximum)s."),
        ("sample_size", "above_population"): N_("The sample can't be larger than the population it was drawn from."),
        ("population", "out_of_range"): N_("Give a number from %(minimum)s to %(maximum)s."),
        ("weighting", "too_long"): N_("Keep this to %(maximum)s characters or fewer."),
        ("fieldwork_start", "required"): N_("Give the first day of fieldwork."),
        ("fieldwork_start", "outside_year"): N_("Fieldwork must fall within %(year)s."),
        ("fieldwork_end", "required"): N_("Give the last day of fieldwork."),
        ("fieldwork_end", "before_start"): N_("Fieldwork can't end before it starts."),
        ("fieldwork_end", "outside_year"): N_("Fieldwork must fall within %(year)s."),
        ("year", "out_of_range"): N_("Give a year from %(minimum)s to %(maximum)s."),
    }
)
