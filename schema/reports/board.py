"""The board report in the API: its figures for any period, for staff and their dashboards."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from backend.context import STAFF_ROLES
from backend.errors import Invalid
from backend.reports import board
from backend.reports.periods import KINDS as PERIOD_KINDS
from backend.reports.periods import MAX_CODE_LENGTH, parse_period
from schema.context import Context
from schema.engine.access import only_for
from schema.errors import argument_error
from schema.reports.documents import DocumentFigure, document_fields


@strawberry.type(description="The board report for a period, counted now (docs/reports.md, Board report).")
class BoardReport:
    period: str = strawberry.field(description="The period's code, e.g. 2025/26-Q1.")
    first_day: dt.date = strawberry.field(description="The period's first UK day.")
    last_day: dt.date = strawberry.field(description="The period's last UK day.")
    figures: list[DocumentFigure] = strawberry.field(description="Every figure, section by section.")
    document: JSON = strawberry.field(  # type: ignore[valid-type]
        description="The whole document as JSON (format 1): sections with their paragraphs, figures, tables "
        "and charts, as the console shows it."
    )


@only_for(STAFF_ROLES)
@strawberry.type
class BoardReportQuery:
    @strawberry.field(
        description="The board report for a period: complaints received, resolved at the frontline, under "
        "investigation at the period's end, closed with findings, lessons and actions, the Ombudsman's referrals "
        "and orders, overdue improvement actions, and complaints by month and service area. Counted in SQL as "
        "things stand now. Staff only."
    )
    def board_report(
        self,
        info: Info[Context, None],
        period: Annotated[
            str,
            strawberry.argument(
                description=f"A period code: 2025/26, 2025/26-Q1, 2025-04 or 2025-04-01..2025-06-30 (at most "
                f"{MAX_CODE_LENGTH} characters)."
            ),
        ],
        locale: Annotated[
            str | None, strawberry.argument(description="The language of its words; yours when not given.")
        ] = None,
    ) -> BoardReport:
        try:
            found = parse_period(period)
        except Invalid as error:
            raise argument_error(error, info.context) from None
        return BoardReport(**document_fields(found, PERIOD_KINDS, locale, board.board_document, info.context))


QUERIES = [BoardReportQuery]
