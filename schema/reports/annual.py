"""The Code's annual complaints performance and service improvement report in the API: its analysis over a period
and the Ombudsman's findings and reports about the landlord that it lists. Staff read; managers record findings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from backend.complaints.models import Determination, RefusalGround, RemedyKind, ResponseOutcome
from backend.records import RecordSpec
from backend.reports import annual, annual_report, publications
from backend.reports.models import OmbudsmanPublication, OmbudsmanPublicationKind
from schema.access import MANAGER_ROLES, STAFF_ACCESS, STAFF_ROLES
from schema.context import Context
from schema.engine.access import only_for
from schema.engine.declare import Column, Resource
from schema.error_texts import INVALID, INVALID_ABOUT, N_
from schema.reports.documents import DocumentFigure, document_fields
from schema.reports.tsm import PeriodArg, ReportFigure, ReportPeriod, period_argument

OMBUDSMAN_PUBLICATION = Resource(
    name="OmbudsmanPublication",
    plural="ombudsmanPublications",
    model=OmbudsmanPublication,
    description="A finding, report or publication of the Ombudsman about the landlord, recorded by a manager for "
    "the annual report (findings of non-compliance, the Ombudsman's annual report on the landlord, others). It "
    "names no resident: it is published with the report.",
    members=[
        Column("kind"),
        Column("published_on"),
        Column("title"),
        Column("summary"),
        Column("link"),
        Column("archived_at"),
        Column("created_at"),
        Column("updated_at"),
    ],
    access=STAFF_ACCESS,
    editable=RecordSpec(
        OmbudsmanPublication,
        "ombudsman_publication",
        ("kind", "published_on", "title", "summary", "link"),
        MANAGER_ROLES,
        choices={"kind": OmbudsmanPublicationKind.codes()},
        validate=publications.validate,
    ),
    default_order=("-published_on", "-id"),
)

RESOURCES = [OMBUDSMAN_PUBLICATION]


@strawberry.type(description="Stages of one category opened in the period: received, refused and withdrawn.")
class AnnualCategoryRow:
    stage: int = strawberry.field(description="The stage.")
    category: str | None = strawberry.field(description="The category's name; null: none recorded.")
    received: int = strawberry.field(description="Stages opened in the period (refused ones included).")
    refused: int = strawberry.field(description="Of those, refused under a ground of exclusion.")
    withdrawn: int = strawberry.field(description="Of those, withdrawn by the resident since.")


@strawberry.type(description="Responses of one stage issued in the period with one outcome.")
class AnnualOutcomeCount:
    stage: int = strawberry.field(description="The stage.")
    outcome: ResponseOutcome | None = strawberry.field(description="The outcome; null: none recorded.")  # type: ignore[valid-type]
    responses: int = strawberry.field(description="How many responses.")


@strawberry.type(description="One stage's timeliness in the period.")
class AnnualStageTimes:
    stage: int = strawberry.field(description="The stage.")
    acknowledged_on_time: ReportFigure = strawberry.field(
        description="Stages acknowledged in the period within 5 working days of opening, of all acknowledged."
    )
    responded: int = strawberry.field(description="Responses issued in the period.")
    responded_on_time: ReportFigure = strawberry.field(
        description="Responses within the Code's timescales, judged as CH02 judges them."
    )
    extended: ReportFigure = strawberry.field(description="Responses whose timescale was extended, of all responses.")
    extended_beyond_allowance: int = strawberry.field(
        description="Extended responses whose extension did not all count (told late, no Ombudsman's details, or "
        "over the cap without a good reason)."
    )
    mean_working_days: Decimal | None = strawberry.field(
        description="The mean working days from the timescale's start to the response, to one place."
    )
    median_working_days: Decimal | None = strawberry.field(description="The median working days, to one place.")


@strawberry.type(description="A count for one code of a vocabulary.")
class AnnualCount:
    code: str = strawberry.field(description="The code: a ground of exclusion, a finding or a kind of remedy.")
    count: int = strawberry.field(description="How many.")


@strawberry.type(description="Complaints taken to the Ombudsman, and the Ombudsman's findings and orders.")
class AnnualOmbudsman:
    referred: int = strawberry.field(description="Complaints recorded as referred to the Ombudsman in the period.")
    determinations: list[AnnualCount] = strawberry.field(
        description="Findings recorded in the period, by finding (severe_maladministration, maladministration, "
        "service_failure, reasonable_redress, no_maladministration, outside_jurisdiction)."
    )
    orders_made: int = strawberry.field(description="Orders recorded in the period.")
    orders_complied: int = strawberry.field(description="Of those, complied with by the period's end.")
    orders_outstanding: int = strawberry.field(description="Of those, not complied with by the period's end.")
    orders_overdue: int = strawberry.field(description="Of those outstanding, past their due date at the end.")


@strawberry.type(description="An improvement action finished in the period, with the lesson it came from.")
class AnnualImprovement:
    action_id: strawberry.ID = strawberry.field(description="The improvement action.")
    title: str = strawberry.field(description="What was done.")
    lesson_reference: str = strawberry.field(description="The lesson's reference.")
    lesson_title: str = strawberry.field(description="The lesson's title.")
    finished_at: dt.datetime | None = strawberry.field(description="When it was verified, or signed off.")


@strawberry.type(description="The Code's annual report's analysis (8.1(b)) and service improvements (8.1(d)).")
class AnnualComplaintsAnalysis:
    period: ReportPeriod = strawberry.field(description="The period counted.")
    categories: list[AnnualCategoryRow] = strawberry.field(description="By stage and category.")
    outcomes: list[AnnualOutcomeCount] = strawberry.field(description="Responses by stage and outcome.")
    stages: list[AnnualStageTimes] = strawberry.field(description="Timeliness, stage 1 then stage 2.")
    escalation_rate: ReportFigure = strawberry.field(
        description="Stage 1 responses issued in the period whose complaint has gone on to stage 2 since."
    )
    ombudsman: AnnualOmbudsman = strawberry.field(description="The Ombudsman's cases, findings and orders.")
    remedies: list[AnnualCount] = strawberry.field(
        description="Remedies offered in responses issued in the period, by kind."
    )
    compensation_offered: Decimal = strawberry.field(description="Financial redress offered, in pounds.")
    compensation_paid: Decimal = strawberry.field(description="Of that, marked paid (done), in pounds.")
    refusals: list[AnnualCount] = strawberry.field(
        description="Complaints and escalations refused in the period, by ground of exclusion."
    )
    refused_escalations: int = strawberry.field(description="Escalations refused in the period.")
    lessons_closed: int = strawberry.field(description="Lessons closed in the period.")
    actions_finished: int = strawberry.field(description="Improvement actions signed off or verified in the period.")
    improvements: list[AnnualImprovement] = strawberry.field(description="Those actions, newest first, up to 200.")


def _counts(found: dict[str, int], order: tuple[str, ...]) -> list[AnnualCount]:
    known = [AnnualCount(code=code, count=found[code]) for code in order if code in found]
    return known + [AnnualCount(code=code, count=count) for code, count in sorted(found.items()) if code not in order]


@only_for(STAFF_ROLES)
@strawberry.type
class AnnualReportQuery:
    @strawberry.field(
        description="The analysis of the Code's annual complaints performance and service improvement report for "
        "complaints about homes in England, over a period (the regulator's year so far when not given). Staff "
        "only. Bad period codes are refused as tsmComplaints refuses them."
    )
    def annual_complaints_analysis(
        self, info: Info[Context, None], period: PeriodArg = None
    ) -> AnnualComplaintsAnalysis:
        found = annual.analyse(period_argument(period, info.context))
        return AnnualComplaintsAnalysis(
            period=ReportPeriod.of(found.period),
            categories=[AnnualCategoryRow(**vars(row)) for row in found.categories],
            outcomes=[
                AnnualOutcomeCount(
                    stage=stage, outcome=ResponseOutcome.of(outcome) if outcome else None, responses=count
                )
                for stage, counts in sorted(found.outcomes.items())
                for outcome, count in sorted(counts.items(), key=lambda item: item[0] or "~")
            ],
            stages=[
                AnnualStageTimes(
                    stage=stage,
                    acknowledged_on_time=ReportFigure.of(found.acknowledged[stage]),
                    responded=times.responded,
                    responded_on_time=ReportFigure.of(times.in_time),
                    extended=ReportFigure.of(times.extended),
                    extended_beyond_allowance=times.extended_beyond_cap,
                    mean_working_days=times.mean_days,
                    median_working_days=times.median_days,
                )
                for stage, times in sorted(found.times.items())
            ],
            escalation_rate=ReportFigure.of(found.escalation),
            ombudsman=AnnualOmbudsman(
                referred=found.ombudsman.referred,
                determinations=_counts(found.ombudsman.determinations, Determination.codes()),
                orders_made=found.ombudsman.orders_made,
                orders_complied=found.ombudsman.orders_complied,
                orders_outstanding=found.ombudsman.orders_outstanding,
                orders_overdue=found.ombudsman.orders_overdue,
            ),
            remedies=_counts(found.remedies.by_kind, RemedyKind.codes()),
            compensation_offered=found.remedies.compensation_offered,
            compensation_paid=found.remedies.compensation_paid,
            refusals=_counts(found.refusals, RefusalGround.codes()),
            refused_escalations=found.refused_escalations,
            lessons_closed=found.improvements.lessons_closed,
            actions_finished=found.improvements.actions_finished,
            improvements=[
                AnnualImprovement(
                    action_id=strawberry.ID(str(item.action_id)),
                    title=item.title,
                    lesson_reference=item.lesson_reference,
                    lesson_title=item.lesson_title,
                    finished_at=item.finished_at,
                )
                for item in found.improvements.listed
            ],
        )


# The words of this module's refusals.
INVALID.update({("published_on", "in_future"): N_("The day it was published can't be in the future.")})
INVALID_ABOUT.update(
    {
        ("ombudsman_publication", "published_on", "too_early"): N_("Give a day from the year 2000 on."),
        ("ombudsman_publication", "link", "invalid"): N_(
            "Give the web address where it is published, starting https://, or leave it empty."
        ),
    }
)


@strawberry.type(description="The Code's annual complaints performance and service improvement report, counted now.")
class AnnualComplaintsReport:
    period: str = strawberry.field(description="The regulator's year, e.g. 2025/26.")
    first_day: dt.date = strawberry.field(description="The year's first UK day.")
    last_day: dt.date = strawberry.field(description="The year's last UK day.")
    figures: list[DocumentFigure] = strawberry.field(description="Every figure, section by section.")
    document: JSON = strawberry.field(  # type: ignore[valid-type]
        description="The whole document as JSON (format 1): the Code's sections (a) to (f) with their paragraphs, "
        "figures, tables and charts, as the console shows it."
    )


@only_for(STAFF_ROLES)
@strawberry.type
class AnnualComplaintsReportQuery:
    @strawberry.field(
        description="The annual complaints performance and service improvement report (Code 2024 8.1) for a "
        "regulator's year: the self-assessment, the analysis, the Ombudsman's findings of non-compliance, the "
        "improvements made, and the Ombudsman's reports about the landlord. Staff only. A period that is not a "
        "regulator's year is refused with `extensions.reason` `unsupported`; other bad codes as tsmComplaints."
    )
    def annual_complaints_report(
        self,
        info: Info[Context, None],
        period: Annotated[str, strawberry.argument(description="The regulator's year, e.g. 2025/26.")],
        locale: Annotated[
            str | None, strawberry.argument(description="The language of its words; yours when not given.")
        ] = None,
    ) -> AnnualComplaintsReport:
        found = period_argument(period, info.context)
        fields = document_fields(found, annual_report.PERIOD_KINDS, locale, annual_report.build, info.context)
        return AnnualComplaintsReport(**fields)


QUERIES = [AnnualReportQuery, AnnualComplaintsReportQuery]
