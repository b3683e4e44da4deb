"""A report as data: a title, a period and sections of text, figures, tables and charts.

Every report (the board report, the annual report, the self-assessment, SPSO indicators, TSMs) is built as a
:class:`ReportDocument` in ``backend/reports``; the portal renders any document the same way (an accessible page,
a print view), and ``output`` turns it into a PDF, CSV or XLSX. Nothing here queries the database: builders count
in SQL and hand the results to these classes.

A document goes to JSON and back unchanged (:meth:`ReportDocument.as_dict`, :func:`document_from_dict`), which is
how a published report is frozen: its pages render from the stored JSON, never from the live data.

Figures keep their value unrounded (``value``) beside the text that is published (``text``, rounded as the
report's definition says), so an auditor can check one against the other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

#: The version of the JSON a document is stored as; a later shape reads older ones in ``document_from_dict``.
FORMAT = 1

Cell = str | int | float | None


@dataclass(frozen=True)
class Figure:
    """One figure: ``value`` as counted (unrounded), ``text`` as published.

    ``unit`` says what it counts, for pages and exports: ``count``, ``percent``, ``per_1000`` (per 1,000 homes),
    ``days`` (working days), ``pounds``, or empty when none of these.
    """

    code: str
    label: str
    value: int | float | None
    text: str
    unit: str = "count"


@dataclass(frozen=True)
class Table:
    """A table: its caption, column headings and rows. The first cell of each row heads the row."""

    code: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class ChartPoint:
    """One bar or one point of a line: its label, its value (None: nothing to draw) and the text the table gives."""

    label: str
    value: int | float | None
    text: str


@dataclass(frozen=True)
class Chart:
    """A chart drawn on the server (``kind`` is ``bar`` or ``line``), always shown with its data as a table."""

    code: str
    kind: str
    title: str
    summary: str
    label_heading: str
    value_heading: str
    points: tuple[ChartPoint, ...]
    unit: str = "count"

    def as_table(self) -> Table:
        """The chart's data, as the table printed and exported with it."""
        return Table(
            self.code,
            self.title,
            (self.label_heading, self.value_heading),
            tuple((point.label, point.value if point.value is not None else point.text) for point in self.points),
        )


@dataclass(frozen=True)
class Section:
    """A part of a report: a heading, paragraphs, figures, tables and charts, in that order.

    ``slot`` marks a section waiting for data another part of the system will provide; its paragraphs say what is
    shown meanwhile.
    """

    code: str
    title: str
    paragraphs: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    slot: bool = False


@dataclass(frozen=True)
class ReportDocument:
    """A whole report: what it is (``kind``), its title, the period it covers and its sections.

    ``period_code`` is a code ``backend.reports.periods.parse_period`` reads; ``period_label`` the period in words,
    in the document's ``locale``; ``produced_at`` the UTC moment it was counted, ISO 8601.
    """

    kind: str
    title: str
    period_code: str
    period_label: str
    locale: str
    produced_at: str
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def figures(self) -> list[Figure]:
        """Every figure of every section, in order."""
        return [figure for section in self.sections for figure in section.figures]

    def figure(self, code: str) -> Figure:
        """The figure with ``code``; KeyError when there is none."""
        for found in self.figures():
            if found.code == code:
                return found
        raise KeyError(code)

    def tables(self) -> list[Table]:
        """Every table, each chart's data table included, in the order the document shows them."""
        return [
            table for section in self.sections for table in (*section.tables, *(c.as_table() for c in section.charts))
        ]

    def as_dict(self) -> dict[str, Any]:
        """The document as plain JSON data (lists for tuples), to be stored and read back."""
        return {"format": FORMAT, **asdict(self)}


def _tuple(items: Sequence[Any] | None) -> tuple[Any, ...]:
    return tuple(items or ())


def _chart(data: Mapping[str, Any]) -> Chart:
    return Chart(
        code=data["code"],
        kind=data["kind"],
        title=data["title"],
        summary=data["summary"],
        label_heading=data["label_heading"],
        value_heading=data["value_heading"],
        points=tuple(ChartPoint(p["label"], p["value"], p["text"]) for p in data.get("points") or ()),
        unit=data.get("unit", "count"),
    )


def _section(data: Mapping[str, Any]) -> Section:
    return Section(
        code=data["code"],
        title=data["title"],
        paragraphs=_tuple(data.get("paragraphs")),
        figures=tuple(Figure(**figure) for figure in data.get("figures") or ()),
        tables=tuple(
            Table(t["code"], t["caption"], _tuple(t["columns"]), tuple(_tuple(row) for row in t["rows"]))
            for t in data.get("tables") or ()
        ),
        charts=tuple(_chart(chart) for chart in data.get("charts") or ()),
        slot=bool(data.get("slot", False)),
    )


def document_from_dict(data: Mapping[str, Any]) -> ReportDocument:
    """The document stored as ``data`` (from :meth:`ReportDocument.as_dict`); ValueError for another format."""
    if data.get("format") != FORMAT:
        raise ValueError(f"unknown report format {data.get('format')!r}")
    return ReportDocument(
        kind=data["kind"],
        title=data["title"],
        period_code=data["period_code"],
        period_label=data["period_label"],
        locale=data["locale"],
        produced_at=data["produced_at"],
        sections=tuple(_section(section) for section in data.get("sections") or ()),
    )
