"""The reports that can be drafted, approved and published: each kind's name, builder and the periods it takes.

A report added elsewhere (the annual report, the self-assessment, SPSO indicators, TSMs) is published by adding a
:class:`ReportKind` to :data:`KINDS`: a builder ``build(period, locale)`` that returns its
:class:`~backend.reports.documents.ReportDocument`, and the period kinds it accepts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from backend.reports import annual_report, board, spso_report, tsm_report
from backend.reports.documents import ReportDocument
from backend.reports.periods import KINDS as PERIOD_KINDS
from backend.reports.periods import Period


@dataclass(frozen=True)
class ReportKind:
    """A report that can be published: its code, how to build it, and which kinds of period it covers."""

    code: str
    build: Callable[[Period, str], ReportDocument]
    period_kinds: tuple[str, ...] = PERIOD_KINDS


def _board(period: Period, locale: str) -> ReportDocument:
    return board.board_document(period, locale)


#: Every kind of report, by code. The board report takes any period: boards meet monthly, quarterly or yearly.
KINDS: dict[str, ReportKind] = {
    kind.code: kind
    for kind in (
        ReportKind(board.KIND, _board),
        # The annual report covers a regulator's year (Code 2024 8.1).
        ReportKind(annual_report.KIND, annual_report.build, annual_report.PERIOD_KINDS),
        # The Tenant Satisfaction Measures are published for a regulator's year.
        ReportKind(tsm_report.KIND, tsm_report.build, tsm_report.PERIOD_KINDS),
        # The SPSO's indicators are reported quarterly and yearly (model CHP Part 4, 24 to 28).
        ReportKind(spso_report.KIND, spso_report.build, spso_report.PERIOD_KINDS),
    )
}
