"""The Tenant Satisfaction Measures on complaints in the API: CH01 and CH02 by tenure, and the complaints behind
each figure. Staff only; docs/reports.md gives every definition and its source."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from backend.accounts.models import Tenure
from backend.complaints.restricted import hidden_complaints
from backend.errors import Invalid
from backend.reports import tsm_complaints, tsm_report
from backend.reports.figures import Figure
from backend.reports.periods import Period, parse_period, year_of
from backend.reports.tsm_complaints import MAX_ROWS, TsmList
from backend.timeutil import local_date
from schema.access import STAFF_ROLES
from schema.context import Context
from schema.engine.access import only_for
from schema.error_texts import INVALID, N_
from schema.errors import argument_error
from schema.reports.documents import DocumentFigure, document_fields


@strawberry.type(description="The period a report covers: a run of UK days.")
class ReportPeriod:
    code: str = strawberry.field(
        description="Its code: 2025/26 (the regulator's year, 1 April to 31 March), 2025/26-Q1 (a quarter, Q1 is "
        "April to June), 2025-04 (a month) or 2025-04-01..2025-06-30 (any run of days)."
    )
    kind: str = strawberry.field(description="year, quarter, month or custom.")
    first: dt.date = strawberry.field(description="Its first UK day.")
    last: dt.date = strawberry.field(description="Its last UK day.")
    complete: bool = strawberry.field(description="Whether it is over: false while its last day is to come.")

    @classmethod
    def of(cls, period: Period) -> ReportPeriod:
        return cls(
            code=period.code, kind=period.kind, first=period.first, last=period.last, complete=period.is_complete()
        )


@strawberry.type(description="A figure as a numerator over a denominator, kept unrounded and published to one place.")
class ReportFigure:
    code: str = strawberry.field(description="The measure's code, e.g. CH01(1).")
    numerator: int = strawberry.field(description="What is counted.")
    denominator: int | None = strawberry.field(
        description="What it is divided by; null when it was never entered (the homes at the year's end)."
    )
    value: float | None = strawberry.field(
        description="The unrounded value (per 1,000 homes, or a percentage); null when the denominator is 0 or "
        "missing: no value, never 0 nor 100."
    )
    published: str | None = strawberry.field(
        description="The value to one decimal place, rounded half up, as it is published; null with no value."
    )

    @classmethod
    def of(cls, figure: Figure) -> ReportFigure:
        return cls(
            code=figure.code,
            numerator=figure.numerator,
            denominator=figure.denominator,
            value=figure.value,
            published=figure.published,
        )


@strawberry.type(description="CH01 and CH02 for one tenure, or for both together.")
class TsmComplaintsTenure:
    tenure: Tenure | None = strawberry.field(  # type: ignore[valid-type]
        description="rented (low-cost rental) or shared_ownership (low-cost home ownership); null: both together."
    )
    homes: int | None = strawberry.field(
        description="The relevant homes at the year's end that CH01 divides by; null when not entered (for both "
        "together: unless both were)."
    )
    ch01_stage1: ReportFigure = strawberry.field(
        name="ch01Stage1", description="CH01(1): stage 1 complaints received per 1,000 homes."
    )
    ch01_stage2: ReportFigure = strawberry.field(
        name="ch01Stage2", description="CH01(2): stage 2 complaints received per 1,000 homes."
    )
    ch02_stage1: ReportFigure = strawberry.field(
        name="ch02Stage1", description="CH02(1): the percentage of stage 1 responses within the Code's timescales."
    )
    ch02_stage2: ReportFigure = strawberry.field(
        name="ch02Stage2", description="CH02(2): the percentage of stage 2 responses within the Code's timescales."
    )


@strawberry.type(description="What CH01 and CH02 leave out, stage by stage, to be reported beside them.")
class TsmComplaintsExceptions:
    stage: int = strawberry.field(description="The stage.")
    no_home_received: int = strawberry.field(
        description="Stages received about no home on record: under neither tenure (a data-quality exception)."
    )
    no_home_responded: int = strawberry.field(description="Stages responded to about no home on record.")
    refused: int = strawberry.field(description="Stages received and refused under a ground of exclusion.")
    withdrawn: int = strawberry.field(description="Stages received and later withdrawn: counted, as received.")


@strawberry.type(description="The Tenant Satisfaction Measures on complaints for England, CH01 and CH02.")
class TsmComplaintsReport:
    period: ReportPeriod = strawberry.field(description="The period counted.")
    annual: bool = strawberry.field(
        description="Whether the period is a regulator's year, which the measures are defined over. A shorter "
        "period counts the same way over fewer days and is not the published measure."
    )
    stock_year: int = strawberry.field(
        description="The regulator's year whose end's homes CH01 divides by (the one the period ends in)."
    )
    tenures: list[TsmComplaintsTenure] = strawberry.field(
        description="Low-cost rental, low-cost home ownership, and both together (tenure null), in that order."
    )
    exceptions: list[TsmComplaintsExceptions] = strawberry.field(description="Per stage, what is left out.")
    refused_escalations: int = strawberry.field(
        description="Escalations to stage 2 refused in the period under a ground of exclusion (no stage 2 opened)."
    )


@strawberry.type(description="A complaint behind a CH01 or CH02 figure, with what decided how it counts.")
class TsmComplaintBehind:
    complaint_id: strawberry.ID = strawberry.field(description="The complaint.")
    reference: str = strawberry.field(description="Its reference.")
    tenure: Tenure | None = strawberry.field(description="Its home's tenure; null: no home on record.")  # type: ignore[valid-type]
    opened_at: dt.datetime | None = strawberry.field(
        description="When the stage opened (receipt, or the escalation request); for a refused escalation, when "
        "it was refused."
    )
    responded_at: dt.datetime | None = strawberry.field(description="When the stage's response was issued.")
    started_at: dt.datetime | None = strawberry.field(
        description="When the timescale started: the acknowledgement (the stage's opening if never acknowledged, or "
        "under a timescale that ran from receipt)."
    )
    working_days: int | None = strawberry.field(
        description="Working days from the start to the response, on the statutory calendar."
    )
    timescale_days: int | None = strawberry.field(
        description="The timescale in force when the complaint was received, before any extension."
    )
    extended_days: int | None = strawberry.field(description="The extension recorded, in working days.")
    extension_allowed: int | None = strawberry.field(
        description="The extension that counts: told by the original due date with the Ombudsman's details, capped "
        "unless a good reason was recorded."
    )
    in_time: bool | None = strawberry.field(description="Whether it was within the Code's timescales.")
    refusal_ground: str | None = strawberry.field(description="For a refused one, the ground of exclusion.")
    withdrawn: bool = strawberry.field(description="Whether the complaint was withdrawn later.")


@strawberry.type(description="A page of the complaints behind a figure.")
class TsmComplaintsBehindPage:
    total: int = strawberry.field(description="How many complaints you may see are behind the figure.")
    hidden: int = strawberry.field(
        description="How many more are behind it that are hidden from you (need-to-know cases): the figures count "
        "every case, the list only those you may open."
    )
    complaints: list[TsmComplaintBehind] = strawberry.field(description="The page, oldest first.")


PeriodArg = Annotated[
    str | None,
    strawberry.argument(
        description="The period's code (see ReportPeriod.code); the regulator's year so far when not given."
    ),
]


def period_argument(code: str | None, context: Context) -> Period:
    """The period an argument names (this regulator's year when none); bad codes are refused as arguments."""
    if code is None:
        return year_of(local_date())
    try:
        return parse_period(code)
    except Invalid as error:
        raise argument_error(error, context) from None


@only_for(STAFF_ROLES)
@strawberry.type
class TsmComplaintsQuery:
    @strawberry.field(
        description="TSM CH01 and CH02 for homes in England over a period, by tenure. Staff only. A period code that "
        "can't be read, or that starts after today, is refused: an error with `extensions.code` `BAD_USER_INPUT` "
        "and `extensions.reason` `invalid`, `reversed`, `too_long`, `too_early` or `future`."
    )
    def tsm_complaints(self, info: Info[Context, None], period: PeriodArg = None) -> TsmComplaintsReport:
        found = tsm_complaints.compute(period_argument(period, info.context))
        return TsmComplaintsReport(
            period=ReportPeriod.of(found.period),
            annual=found.is_annual,
            stock_year=found.stock_year,
            tenures=[
                TsmComplaintsTenure(
                    tenure=Tenure.of(row.tenure) if row.tenure else None,
                    homes=row.homes,
                    ch01_stage1=ReportFigure.of(row.ch01[1]),
                    ch01_stage2=ReportFigure.of(row.ch01[2]),
                    ch02_stage1=ReportFigure.of(row.ch02[1]),
                    ch02_stage2=ReportFigure.of(row.ch02[2]),
                )
                for row in found.tenures
            ],
            exceptions=[
                TsmComplaintsExceptions(
                    stage=number,
                    no_home_received=found.no_home_received[number],
                    no_home_responded=found.no_home_responded[number],
                    refused=found.refused[number],
                    withdrawn=found.withdrawn[number],
                )
                for number in tsm_complaints.STAGES
            ],
            refused_escalations=found.refused_escalations,
        )

    @strawberry.field(
        description="The complaints behind a CH01 or CH02 figure, or left out of it, oldest first, up to 500 a "
        "page. Staff only; need-to-know cases hidden from you are counted in `hidden`, not listed. Bad arguments "
        "are refused as tsmComplaints refuses them, and a stage other than 1 or 2, or a negative offset, with "
        "`extensions.reason` `out_of_range`."
    )
    def tsm_complaints_behind(
        self,
        info: Info[Context, None],
        list: Annotated[TsmList, strawberry.argument(description="Which complaints.")],  # type: ignore[valid-type]
        stage: Annotated[int, strawberry.argument(description="The stage, 1 or 2.")] = 1,
        tenure: Annotated[
            Tenure | None,  # type: ignore[valid-type]
            strawberry.argument(description="One tenure; both when not given (no_home lists those with none)."),
        ] = None,
        period: PeriodArg = None,
        offset: Annotated[int, strawberry.argument(description="How many to skip, from 0.")] = 0,
        limit: Annotated[int, strawberry.argument(description="How many to list, 1 to 500.")] = MAX_ROWS,
    ) -> TsmComplaintsBehindPage:
        chosen = period_argument(period, info.context)
        problems = []
        if stage not in tsm_complaints.STAGES:
            problems.append(Invalid("stage", "out_of_range", minimum=1, maximum=2))
        if not 0 <= offset <= 1_000_000:
            problems.append(Invalid("offset", "out_of_range", minimum=0, maximum=1_000_000))
        if not 1 <= limit <= MAX_ROWS:
            problems.append(Invalid("limit", "out_of_range", minimum=1, maximum=MAX_ROWS))
        if problems:
            raise argument_error(Invalid.many(problems), info.context)
        hidden = hidden_complaints(info.context.actor.user_id)
        rows, total, left_out = tsm_complaints.behind(
            chosen, str(list), stage, str(tenure) if tenure else None, hidden, offset, limit
        )
        return TsmComplaintsBehindPage(
            total=total,
            hidden=left_out,
            complaints=[
                TsmComplaintBehind(
                    complaint_id=strawberry.ID(str(row.complaint_id)),
                    reference=row.reference,
                    tenure=Tenure.of(row.tenure) if row.tenure else None,
                    opened_at=row.opened_at,
                    responded_at=row.responded_at,
                    started_at=row.started_at,
                    working_days=row.working_days,
                    timescale_days=row.timescale_days,
                    extended_days=row.extended_days,
                    extension_allowed=row.extension_allowed,
                    in_time=row.in_time,
                    refusal_ground=row.refusal_ground,
                    withdrawn=row.withdrawn,
                )
                for row in rows
            ],
        )


# The words of this module's refusals.
INVALID.update(
    {
        ("period", "invalid"): N_(
            "Enter a period as a year (2025/26), a quarter (2025/26-Q1), a month (2025-04) or two dates "
            "(2025-04-01..2025-06-30)."
        ),
        ("period", "reversed"): N_("The period can't end before it starts."),
        ("period", "too_long"): N_("The period can be at most five years long."),
        ("period", "too_early"): N_("Choose a period from the year 2000 on."),
        ("period", "future"): N_("Choose a period that has started: there is nothing to count yet."),
        ("stage", "out_of_range"): N_("Choose stage %(minimum)s or %(maximum)s."),
        ("offset", "out_of_range"): N_("Give a number from %(minimum)s to %(maximum)s."),
        ("limit", "out_of_range"): N_("Give a number from %(minimum)s to %(maximum)s."),
    }
)


@strawberry.type(description="The Tenant Satisfaction Measures for a regulator's year as a document, counted now.")
class TsmReport:
    period: str = strawberry.field(description="The regulator's year, e.g. 2025/26.")
    first_day: dt.date = strawberry.field(description="The year's first UK day.")
    last_day: dt.date = strawberry.field(description="The year's last UK day.")
    figures: list[DocumentFigure] = strawberry.field(description="Every figure, section by section.")
    document: JSON = strawberry.field(  # type: ignore[valid-type]
        description="The whole document as JSON (format 1): CH01 and CH02, TP01 to TP12 by tenure and the survey's "
        "method, as the console shows it."
    )


@only_for(STAFF_ROLES)
@strawberry.type
class TsmReportQuery:
    @strawberry.field(
        description="The Tenant Satisfaction Measures for a regulator's year (CH01, CH02 and TP01 to TP12 by tenure, "
        "with the survey's method) as the document that is approved and published to tenants. Staff only. A period "
        "that is not a regulator's year is refused with `extensions.reason` `unsupported`."
    )
    def tsm_report(
        self,
        info: Info[Context, None],
        period: Annotated[str, strawberry.argument(description="The regulator's year, e.g. 2025/26.")],
        locale: Annotated[
            str | None, strawberry.argument(description="The language of its words; yours when not given.")
        ] = None,
    ) -> TsmReport:
        found = period_argument(period, info.context)
        return TsmReport(**document_fields(found, tsm_report.PERIOD_KINDS, locale, tsm_report.build, info.context))


QUERIES = [TsmComplaintsQuery, TsmReportQuery]
