"""The SPSO's complaints performance indicators in the API, for staff: every figure with what it counts and divides
by, and the complaints behind it (``docs/reports.md``, SPSO indicators, gives each definition); and the indicators
as a report document (``spsoReport``), to print, download and publish."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from backend.errors import Invalid
from backend.reports import spso, spso_context, spso_report
from backend.reports.periods import MAX_CODE_LENGTH, Period, parse_period
from schema.access import STAFF_ROLES
from schema.context import Context
from schema.engine.access import only_for
from schema.error_texts import INVALID_ABOUT, N_
from schema.errors import argument_error
from schema.reports.documents import DocumentFigure, document_fields

ABOUT = "spso_indicators"


@strawberry.type(description="A complaint behind a figure.")
class SpsoComplaint:
    id: strawberry.ID = strawberry.field(description="The complaint.")
    reference: str = strawberry.field(description="The number the resident quotes, e.g. LL-2026-000042.")


@strawberry.type(description="The complaints a figure counts that the viewer may see.")
class SpsoComplaints:
    complaints: list[SpsoComplaint] = strawberry.field(description="Up to 1,000 of them, by id.")
    hidden: int = strawberry.field(
        description="How many more the figure counts that are hidden from the viewer (need-to-know cases, or "
        "complaints that name them)."
    )
    more: int = strawberry.field(description="How many more the viewer may see than the list holds.")


def _drill(period: Period, key: str, context: Context) -> SpsoComplaints:
    try:
        drill = spso.complaints_behind(period, key, context.actor.user_id)
    except Invalid as error:
        raise argument_error(_about(error), context) from None
    return SpsoComplaints(
        complaints=[SpsoComplaint(id=strawberry.ID(str(id_)), reference=ref) for id_, ref in drill.complaints],
        hidden=drill.hidden,
        more=drill.more,
    )


@strawberry.type(description="One figure, kept unrounded, with what it counts and what it divides by.")
class SpsoFigure:
    key: str = strawberry.field(description="The figure's key: spsoComplaints(figure:) lists the complaints it counts.")
    numerator: float = strawberry.field(
        description="What it counts: complaints, or for an average the working days of them all."
    )
    denominator: float | None = strawberry.field(
        description="What it divides by: closures, all closures, or homes. Null for a plain count, or for a rate "
        "per 1,000 homes when no homes are entered for the year."
    )
    value: float | None = strawberry.field(
        description="The figure, unrounded: the count, the percentage, the average or the rate per 1,000 homes. Null "
        "when there is nothing to divide by (see missing)."
    )
    published: str | None = strawberry.field(description="The value as published: one decimal place, halves up.")
    missing: str | None = strawberry.field(
        description="Why there is no value: no_stock (no homes entered for the year) or zero_denominator (nothing "
        "to divide by). Null when there is a value."
    )
    period: strawberry.Private[Period]

    @strawberry.field(description="The complaints it counts that the viewer may see (for a share, its numerator).")
    def complaints(self, info: Info[Context, None]) -> SpsoComplaints:
        return _drill(self.period, self.key, info.context)


def figure(found: spso.Figure, period: Period) -> SpsoFigure:
    return SpsoFigure(
        key=found.key,
        numerator=float(found.numerator),
        denominator=None if found.denominator is None else float(found.denominator),
        value=found.value,
        published=found.published,
        missing=found.missing,
        period=period,
    )


@strawberry.type(description="The share of a stage's closures with one outcome (SPSO indicator 6).")
class SpsoOutcome:
    outcome: str = strawberry.field(
        description="upheld, partly_upheld (partially upheld), not_upheld, resolved, or not_recorded (answered "
        "before outcomes were recorded, with no point decided)."
    )
    figure: SpsoFigure = strawberry.field(description="Closures at the stage with it ÷ closures at the stage × 100.")


@strawberry.type(description="SPSO indicators 5 to 9 for one way of closing a complaint.")
class SpsoStage:
    stage: str = strawberry.field(
        description="stage1 (frontline response), stage2_direct (investigation opened straight away) or "
        "stage2_escalated (investigation after stage 1)."
    )
    timescale_days: int | None = strawberry.field(
        description="The base timescale in working days in force at the period's end: 5 or 20."
    )
    closed: SpsoFigure = strawberry.field(description="Indicator 5: closures at it ÷ all closures × 100.")
    outcomes: list[SpsoOutcome] = strawberry.field(description="Indicator 6: each outcome's share.")
    average_working_days: SpsoFigure = strawberry.field(
        description="Indicator 7: working days from the stage's start to the response, all added ÷ closures."
    )
    within_timescale: SpsoFigure = strawberry.field(
        description="Indicator 8: closures within the base timescale (extensions ignored) ÷ closures × 100."
    )
    extended: SpsoFigure = strawberry.field(
        description="Indicator 9: closures whose stage had an authorised extension ÷ closures × 100."
    )


@strawberry.type(description="A lesson closed in the period.")
class SpsoLesson:
    reference: str = strawberry.field(description="Its reference, LS-YYYY-NNNN.")
    title: str = strawberry.field(description="Its title.")


@strawberry.type(description="SPSO indicator 1: the learning from complaints in the period.")
class SpsoLearning:
    lessons: int = strawberry.field(description="Lessons from complaints in scope closed in the period.")
    actions: int = strawberry.field(description="Improvement actions on such lessons completed in the period.")
    lesson_list: list[SpsoLesson] = strawberry.field(description="Up to 50 of the lessons.")
    action_titles: list[str] = strawberry.field(description="Up to 50 of the actions' titles, in the order done.")


@strawberry.type(description="SPSO indicator 2: what complainants said of the process in surveys in the period.")
class SpsoExperience:
    evidence: bool = strawberry.field(description="Whether any survey answers came in: false means no evidence yet.")
    responses: int = strawberry.field(
        description="Survey responses submitted in the period to surveys sent on complaint events."
    )
    satisfied: SpsoFigure = strawberry.field(description="Ratings of 4 or 5 out of 5 ÷ ratings given × 100.")


@strawberry.type(description="SPSO indicator 3: training delivered in the period.")
class SpsoTraining:
    sessions: int = strawberry.field(description="Training sessions delivered.")
    attendees: int = strawberry.field(description="Their attendees in all.")


@strawberry.type(description="Complaints received in one area against its homes.")
class SpsoArea:
    key: str = strawberry.field(description="The area's key, as its figure's key.")
    name: str = strawberry.field(
        description="The service area's name, or the postcode district (empty: filed under no service area, or a "
        "home with no postcode)."
    )
    homes: int | None = strawberry.field(
        description="The homes it is compared with: Scottish homes on the system in the district, or for a service "
        "area the Scottish homes at the year end (null: none entered)."
    )
    complaints: int = strawberry.field(description="Complaints received in the period.")
    per_thousand: SpsoFigure = strawberry.field(description="Complaints ÷ homes × 1,000.")
    flag: str | None = strawberry.field(
        description="none (no complaints), few (under half the rate of all the areas together; for service areas, "
        "under half the average per area) or null."
    )


def _area(found: spso_context.Area, period: Period) -> SpsoArea:
    return SpsoArea(
        key=found.key,
        name=found.name,
        homes=found.homes,
        complaints=found.complaints,
        per_thousand=figure(found.per_thousand, period),
        flag=found.flag,
    )


@strawberry.type(description="The SPSO's complaints performance indicators for homes in Scotland, for a period.")
class SpsoIndicators:
    code: str = strawberry.field(description="The period's code, e.g. 2025/26-Q1.")
    first: dt.date = strawberry.field(description="Its first UK day.")
    last: dt.date = strawberry.field(description="Its last UK day.")
    stock_year: int = strawberry.field(
        description="The regulator's year whose year-end homes it divides by (2025 is 2025/26): the year its last "
        "day falls in."
    )
    homes: int | None = strawberry.field(description="Scottish homes at that year's end; null when none entered.")
    received: SpsoFigure = strawberry.field(
        description="Indicator 4: complaints received (stage 1, or stage 2 opened directly; escalations are not new "
        "complaints, and complaints refused before any response are not counted)."
    )
    received_per_thousand: SpsoFigure = strawberry.field(description="Indicator 4: received ÷ homes × 1,000.")
    refused: SpsoFigure = strawberry.field(description="Complaints refused before any response: not counted.")
    closed: SpsoFigure = strawberry.field(description="All closures: full responses issued in the period.")
    stages: list[SpsoStage] = strawberry.field(description="Indicators 5 to 9 for each way of closing.")
    period: strawberry.Private[Period]

    @strawberry.field(description="Indicator 1: lessons and actions from complaints in the period.")
    def learning(self) -> SpsoLearning:
        found = spso_context.learning(self.period)
        return SpsoLearning(
            lessons=found.lessons,
            actions=found.actions,
            lesson_list=[SpsoLesson(reference=ref, title=title) for ref, title in found.lesson_titles],
            action_titles=list(found.action_titles),
        )

    @strawberry.field(description="Indicator 2: complainants' survey answers in the period.")
    def experience(self) -> SpsoExperience:
        found = spso_context.experience(self.period)
        return SpsoExperience(
            evidence=found.evidence, responses=found.responses, satisfied=figure(found.satisfied, self.period)
        )

    @strawberry.field(description="Indicator 3: training delivered in the period.")
    def training(self) -> SpsoTraining:
        found = spso_context.training(self.period)
        return SpsoTraining(sessions=found.sessions, attendees=found.attendees)

    @strawberry.field(
        description="Complaints received per 1,000 homes by service area, with the areas with few or none flagged; "
        "complaints filed under none come last."
    )
    def service_areas(self) -> list[SpsoArea]:
        return [_area(area, self.period) for area in spso_context.service_areas(self.period, self.homes)]

    @strawberry.field(
        description="Complaints received per 1,000 Scottish homes on the system by postcode district (EH1), with "
        "the districts with few or none flagged."
    )
    def areas(self) -> list[SpsoArea]:
        found, _ = spso_context.postcode_areas(self.period)
        return [_area(area, self.period) for area in found]

    @strawberry.field(description="Complaints received about no home on record, which no district holds.")
    def received_without_home(self) -> int:
        return spso_context.postcode_areas(self.period)[1]


def _about(error: Invalid) -> Invalid:
    """The same problems, worded for this report's arguments."""
    return Invalid.many([Invalid(p.field, p.code, at=p.at, **{**p.params, "about": ABOUT}) for p in error.problems])


def _period(code: str | None, context: Context) -> Period:
    if code is None:
        return spso.default_period()
    try:
        return parse_period(code[: MAX_CODE_LENGTH + 1])
    except Invalid as error:
        raise argument_error(_about(error), context) from None


def _stage(found: spso.StageFigures, period: Period) -> SpsoStage:
    return SpsoStage(
        stage=found.stage,
        timescale_days=found.timescale_days,
        closed=figure(found.closed, period),
        outcomes=[SpsoOutcome(outcome=code, figure=figure(share, period)) for code, share in found.outcomes],
        average_working_days=figure(found.average_days, period),
        within_timescale=figure(found.within, period),
        extended=figure(found.extended, period),
    )


PERIOD_HELP = (
    "A period code: a regulator's year (2025/26), a quarter (2025/26-Q1), a month (2025-04) or a range of days "
    "(2025-04-01..2025-06-30). Null: the last complete quarter. A code that is not a period, or a period that "
    "starts after today, is refused: an error with `extensions.code` `BAD_USER_INPUT`, `extensions.field` `period` "
    "and `extensions.reason` invalid, reversed, too_long, too_early or future."
)

PeriodArg = Annotated[str | None, strawberry.argument(description=PERIOD_HELP)]


@only_for(STAFF_ROLES)
@strawberry.type
class SpsoQuery:
    @strawberry.field(
        description="The SPSO's complaints performance indicators for homes in Scotland over a period, every figure "
        "with its numerator and denominator. Staff only."
    )
    def spso_indicators(
        self,
        info: Info[Context, None],
        period: PeriodArg = None,
    ) -> SpsoIndicators:
        chosen = _period(period, info.context)
        found = spso.indicators(chosen)
        return SpsoIndicators(
            code=chosen.code,
            first=chosen.first,
            last=chosen.last,
            stock_year=found.stock_year,
            homes=found.homes,
            received=figure(found.received, chosen),
            received_per_thousand=figure(found.per_thousand, chosen),
            refused=figure(found.refused, chosen),
            closed=figure(found.closed, chosen),
            stages=[_stage(stage, chosen) for stage in found.stages],
            period=chosen,
        )

    @strawberry.field(
        description="The complaints behind one SPSO figure that the viewer may see, by the figure's key. Staff "
        "only. A key no figure has is refused: `extensions.reason` `unknown` at `extensions.field` `figure`."
    )
    def spso_complaints(
        self,
        info: Info[Context, None],
        figure: Annotated[
            str, strawberry.argument(description="The figure's key, e.g. within:stage1; up to 60 characters.")
        ],
        period: PeriodArg = None,
    ) -> SpsoComplaints:
        return _drill(_period(period, info.context), figure[: spso.MAX_KEY + 1], info.context)


@strawberry.type(description="The SPSO's complaints performance indicators as a report, counted now.")
class SpsoReport:
    period: str = strawberry.field(description="The quarter or regulator's year, e.g. 2025/26-Q1 or 2025/26.")
    first_day: dt.date = strawberry.field(description="The period's first UK day.")
    last_day: dt.date = strawberry.field(description="The period's last UK day.")
    figures: list[DocumentFigure] = strawberry.field(description="Every figure, section by section.")
    document: JSON = strawberry.field(  # type: ignore[valid-type]
        description="The whole document as JSON (format 1): a section for each group of indicators with its "
        "paragraphs, figures, tables and charts, as the console shows it. Counts only: it names no complaint or "
        "person."
    )


@only_for(STAFF_ROLES)
@strawberry.type
class SpsoReportQuery:
    @strawberry.field(
        description="The SPSO's complaints performance indicators for homes in Scotland as a report for a quarter "
        "or a regulator's year: complaints received and per 1,000 homes, closures, outcomes, working days, "
        "timescales, extensions, the statements of learning, experience and training, and the areas with few or "
        "no complaints, published to one decimal place. Staff only. A period that is not a quarter or a year is "
        "refused with `extensions.reason` `unsupported`; other bad codes as spsoIndicators refuses them."
    )
    def spso_report(
        self,
        info: Info[Context, None],
        period: Annotated[str, strawberry.argument(description="A quarter (2025/26-Q1) or a year (2025/26).")],
        locale: Annotated[
            str | None, strawberry.argument(description="The language of its words; yours when not given.")
        ] = None,
    ) -> SpsoReport:
        found = _period(period, info.context)
        return SpsoReport(**document_fields(found, spso_report.PERIOD_KINDS, locale, spso_report.build, info.context))


QUERIES = [SpsoQuery, SpsoReportQuery]

INVALID_ABOUT.update(
    {
        (ABOUT, "period", "invalid"): N_(
            "Give a period as a year (2025/26), a quarter (2025/26-Q1), a month (2025-04) or a range of days "
            "(2025-04-01..2025-06-30)."
        ),
        (ABOUT, "period", "reversed"): N_("The period ends before it starts: give the earlier day first."),
        (ABOUT, "period", "too_long"): N_("Give a period of at most five years."),
        (ABOUT, "period", "too_early"): N_("Give a period from 2000 onwards."),
        (ABOUT, "period", "future"): N_("That period has not started yet: choose one that has."),
        (ABOUT, "figure", "unknown"): N_("There is no SPSO figure with that key."),
    }
)
