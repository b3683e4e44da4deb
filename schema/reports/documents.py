"""What every report shares in the API: its figures, typed, and the whole document as JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry

from backend.config import current
from backend.errors import Invalid
from backend.reports.documents import ReportDocument
from backend.reports.periods import Period
from schema.context import Context
from schema.errors import argument_error


@strawberry.type(description="One figure of a report: its value as counted, and as published.")
class DocumentFigure:
    section: str = strawberry.field(description="The code of the section it is in, e.g. frontline.")
    code: str = strawberry.field(description="What it counts, e.g. frontline_resolved (docs/reports.md).")
    label: str = strawberry.field(description="What it counts, in words, in the report's language.")
    value: float | None = strawberry.field(description="The value as counted, unrounded; null: nothing to count.")
    text: str = strawberry.field(description="The value as published (rounded as the report's definition says).")
    unit: str = strawberry.field(description="count, percent, per_1000, days, pounds, or empty.")


def figures_of(document: ReportDocument) -> list[DocumentFigure]:
    """Every figure of the document, in order, with the section it is in."""
    return [
        DocumentFigure(
            section=section.code,
            code=figure.code,
            label=figure.label,
            value=None if figure.value is None else float(figure.value),
            text=figure.text,
            unit=figure.unit,
        )
        for section in document.sections
        for figure in section.figures
    ]


def document_fields(
    period: Period, kinds: tuple[str, ...], locale: str | None, build: Callable[[Period, str], ReportDocument],
    context: Context,
) -> dict[str, Any]:  # fmt: skip
    """The fields every report-as-a-document query gives (period, first and last day, figures, document), built in
    the language asked for (the reader's when none, or one not enabled); a kind of period the report does not take
    is refused as an argument (``unsupported``)."""
    if period.kind not in kinds:
        raise argument_error(Invalid("period", "unsupported"), context)
    language = locale if locale in current().enabled_locales else context.locale
    document = build(period, language)
    return {
        "period": period.code,
        "first_day": period.first,
        "last_day": period.last,
        "figures": figures_of(document),
        "document": document.as_dict(),
    }
