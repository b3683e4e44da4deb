"""The equality breakdowns in the API, for staff: small numbers are hidden here, on the server, and never sent.

A hidden figure is null, whether it was below 5 or hidden so that one below 5 cannot be worked out from a total
(docs/reports.md, "Equality and diversity", gives the rule).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from backend.config import current
from backend.errors import Invalid
from backend.reports import equality, equality_document
from backend.reports.equality import EqualityDimension, Row
from backend.reports.periods import MAX_CODE_LENGTH, parse_period
from backend.reports.suppression import THRESHOLD
from schema.access import STAFF_ROLES
from schema.context import Context
from schema.engine.access import only_for
from schema.errors import argument_error

HIDDEN = "Null when hidden (fewer than 5, or hidden so that a figure of fewer than 5 cannot be worked out)."


@strawberry.type(description="One group's figures at one stage. " + HIDDEN)
class EqualityStageFigures:
    stage: int = strawberry.field(description="The stage, 1 or 2.")
    received: int | None = strawberry.field(description="Stages that began in the period. " + HIDDEN)
    responded: int | None = strawberry.field(description="Stage responses issued in the period. " + HIDDEN)
    in_time: int | None = strawberry.field(description="Of those, issued within the timescale. " + HIDDEN)
    late: int | None = strawberry.field(description="Of those, issued late. " + HIDDEN)
    upheld: int | None = strawberry.field(description="Responses that upheld the complaint. " + HIDDEN)
    partly_upheld: int | None = strawberry.field(description="Responses that partly upheld it. " + HIDDEN)
    not_upheld: int | None = strawberry.field(description="Responses that did not uphold it. " + HIDDEN)
    resolved: int | None = strawberry.field(description="Responses that resolved it by agreement. " + HIDDEN)
    no_outcome: int | None = strawberry.field(description="Responses issued before outcomes were recorded. " + HIDDEN)
    in_time_rate: float | None = strawberry.field(
        description="in_time as a percentage of responded, unrounded; null when either is hidden or none responded."
    )


@strawberry.type(description="One group of a breakdown, or the total of all complaints.")
class EqualityRow:
    group: str = strawberry.field(
        description="The group's code: a language code, a channel, a representative kind or none, a vulnerability, "
        "none or several, an answer's code, not_recorded, or total."
    )
    stages: list[EqualityStageFigures] = strawberry.field(description="Its figures at stage 1, then stage 2.")


@strawberry.type(description="One dimension's breakdown: every group, always all of them, and the total.")
class EqualityTable:
    dimension: EqualityDimension = strawberry.field(description="What it splits complaints by.")  # type: ignore[valid-type]
    rows: list[EqualityRow] = strawberry.field(description="One per group; they add up to the total.")
    total: EqualityRow = strawberry.field(description="All complaints: the same in every table.")


@strawberry.type(
    description="Complaints received, outcomes and timeliness by group over a period, small numbers hidden."
)
class EqualityBreakdowns:
    period: str = strawberry.field(description="The period's code, e.g. 2025/26.")
    first_day: dt.date = strawberry.field(description="Its first UK day.")
    last_day: dt.date = strawberry.field(description="Its last UK day.")
    threshold: int = strawberry.field(description="The smallest figure shown (5).")
    tables: list[EqualityTable] = strawberry.field(description="One per dimension asked for, in the usual order.")


def _row(row: Row) -> EqualityRow:
    return EqualityRow(
        group=row.category,
        stages=[
            EqualityStageFigures(stage=figures.stage, in_time_rate=figures.in_time_rate, **figures.figures)
            for figures in row.stages
        ],
    )


@only_for(STAFF_ROLES)
@strawberry.type
class EqualityQuery:
    @strawberry.field(
        description="Complaints received, outcomes and timeliness broken down by language, representative, channel, "
        "vulnerability and each protected characteristic, over a period, with small numbers hidden. Staff only. A "
        "period that cannot be used is refused: an error with `extensions.code` `BAD_USER_INPUT`, "
        "`extensions.reason` (`invalid`, `reversed`, `too_long`, `too_early` or `future`) and `extensions.field` "
        "`period`."
    )
    def equality_breakdowns(
        self,
        info: Info[Context, None],
        period: Annotated[
            str,
            strawberry.argument(description="A period code: 2025/26, 2025/26-Q1, 2025-04 or 2025-04-01..2025-06-30."),
        ],
        dimensions: Annotated[
            list[EqualityDimension] | None,  # type: ignore[valid-type]
            strawberry.argument(description="The breakdowns wanted; null: all of them."),
        ] = None,
    ) -> EqualityBreakdowns:
        try:
            found = parse_period(period)
        except Invalid as error:
            raise argument_error(error, info.context) from None
        wanted = [str(dimension) for dimension in dimensions] if dimensions is not None else None
        report = equality.equality_report(info.context.actor, found, wanted)
        return EqualityBreakdowns(
            period=found.code,
            first_day=found.first,
            last_day=found.last,
            threshold=THRESHOLD,
            tables=[
                EqualityTable(
                    dimension=EqualityDimension.of(table.dimension),
                    rows=[_row(row) for row in table.rows],
                    total=_row(table.total),
                )
                for table in report.tables
            ],
        )

    @strawberry.field(
        description="The breakdowns of one stage over a period as a document, to print or download: a table per "
        "dimension as the console shows it, small numbers already hidden (a hidden figure is the text [hidden] in "
        "the reader's language, never a number). JSON, format 1 (docs/reports.md). Staff only. A period or stage "
        "that cannot be used is refused as `equalityBreakdowns` refuses a period (`extensions.field` `period` or "
        "`stage`)."
    )
    def equality_document(
        self,
        info: Info[Context, None],
        period: Annotated[
            str,
            strawberry.argument(
                description=f"A period code: 2025/26, 2025/26-Q1, 2025-04 or 2025-04-01..2025-06-30 (at most "
                f"{MAX_CODE_LENGTH} characters)."
            ),
        ],
        stage: Annotated[int, strawberry.argument(description="The stage, 1 or 2.")] = 1,
        locale: Annotated[
            str | None, strawberry.argument(description="The language of its words; yours when not given.")
        ] = None,
    ) -> JSON:  # type: ignore[valid-type]
        try:
            found = parse_period(period)
            if stage not in equality.STAGES:
                raise Invalid("stage", "unsupported")
        except Invalid as error:
            raise argument_error(error, info.context) from None
        language = locale if locale in current().enabled_locales else info.context.locale
        document = equality_document.equality_document(info.context.actor, found, stage, language)
        return document.as_dict()  # type: ignore[return-value]


QUERIES = [EqualityQuery]
