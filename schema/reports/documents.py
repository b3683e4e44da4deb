"""What every report shares in the API: its figures, typed, and the whole document as JSON."""

from __future__ import annotations

import strawberry

from backend.reports.documents import ReportDocument


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
