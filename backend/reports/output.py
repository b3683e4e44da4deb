"""A report document as files: a PDF (fpdf2, as letters are made), and its figures and tables as CSV or XLSX.

- **PDF**: A4, in DejaVu Sans with HarfBuzz shaping (the letters' fonts, ``backend/notifications/fonts``), so Welsh
  and Arabic print as written. Each section's paragraphs, its figures as a table, its tables, and each chart drawn
  as bars or a line with its data table under it.
- **CSV**: the figures first (code, label, value unrounded, published text, unit), then each table under its
  caption, with a blank line between. A cell a spreadsheet would take for a formula (starting ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return) gets a leading ``'`` (CSV injection).
- **XLSX** (openpyxl): a "Figures" sheet, then a sheet per table. Numbers stay numbers; every text cell is stored
  as text, never as a formula, whatever it starts with.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

from backend.config import text_direction
from backend.i18n import translations
from backend.notifications.letters import FONTS, SCRIPTS
from backend.reports.documents import Cell, Chart, ReportDocument, Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Excel's longest sheet name, and the characters it refuses in one.
SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def safe_cell(value: Any) -> str:
    """The cell's text, with a leading ``'`` where a spreadsheet would take it for a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _figure_heading(document: ReportDocument) -> tuple[str, ...]:
    gettext = translations(document.locale).gettext
    return (gettext("Code"), gettext("Figure"), gettext("Value"), gettext("Published as"), gettext("Unit"))


def figures_table(document: ReportDocument) -> Table:
    """Every figure of the document as one table: code, label, value (unrounded), published text and unit."""
    gettext = translations(document.locale).gettext
    return Table(
        "figures",
        gettext("Figures"),
        _figure_heading(document),
        tuple((f.code, f.label, f.value, f.text, f.unit) for f in document.figures()),
    )


def document_csv(document: ReportDocument) -> str:
    """The document's figures and tables as CSV text (with a byte order mark, so spreadsheets read UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(document.title)])
    writer.writerow([safe_cell(document.period_label)])
    for table in (figures_table(document), *document.tables()):
        writer.writerow([])
        writer.writerow([safe_cell(table.caption)])
        writer.writerow([safe_cell(column) for column in table.columns])
        for row in table.rows:
            writer.writerow([safe_cell(cell) for cell in row])
    return "\ufeff" + buffer.getvalue()


def _sheet_name(caption: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub(" ", caption).strip().strip("'")[:SHEET_NAME_MAX] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _write_cell(sheet: Any, row: int, column: int, value: Cell) -> None:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, bool) or value is None or not isinstance(value, int | float):
        cell.value = "" if value is None else str(value)
        cell.data_type = "s"  # text, never a formula, whatever it starts with
    else:
        cell.value = value


def document_xlsx(document: ReportDocument) -> bytes:
    """The document's figures and tables as an XLSX workbook: one sheet each."""
    from openpyxl import Workbook  # only an export loads it
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for table in (figures_table(document), *document.tables()):
        sheet = workbook.create_sheet(_sheet_name(table.caption, taken))
        _write_cell(sheet, 1, 1, table.caption)
        sheet.cell(row=1, column=1).font = Font(bold=True)
        for column, heading in enumerate(table.columns, start=1):
            _write_cell(sheet, 2, column, heading)
            sheet.cell(row=2, column=column).font = Font(bold=True)
        for number, row in enumerate(table.rows, start=3):
            for column, value in enumerate(row, start=1):
                _write_cell(sheet, number, column, value)
    workbook.properties.title = document.title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF -----------------------------------------------------------------------------------------------------------


def document_pdf(document: ReportDocument) -> bytes:
    """The document as an A4 PDF."""
    from fpdf import FPDF  # a second to import: only a PDF loads it

    pdf = FPDF(format="A4")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("report", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("report", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_lang(document.locale)
    pdf.set_title(document.title)
    direction = text_direction(document.locale)
    pdf.set_text_shaping(
        use_shaping_engine=True, direction=direction, script=SCRIPTS.get(document.locale), language=document.locale
    )
    writer = _Writer(pdf, "R" if direction == "rtl" else "L")
    pdf.add_page()
    writer.paragraph(document.title, bold=True, size=16)
    writer.paragraph(document.period_label, size=11)
    gettext = translations(document.locale).gettext
    for section in document.sections:
        writer.paragraph(section.title, bold=True, size=13)
        for paragraph in section.paragraphs:
            writer.paragraph(paragraph, size=10)
        if section.figures:
            writer.table(
                gettext("Figures"),
                (gettext("Figure"), gettext("Published as")),
                [(figure.label, figure.text) for figure in section.figures],
            )
        for table in section.tables:
            writer.table(table.caption, table.columns, table.rows)
        for chart in section.charts:
            writer.chart(chart)
    return bytes(pdf.output())


class _Writer:
    def __init__(self, pdf: Any, start: str) -> None:
        self.pdf, self.start = pdf, start

    def paragraph(self, text: str, bold: bool = False, size: int = 10) -> None:
        self.pdf.set_font("report", "B" if bold else "", size)
        for line in text.splitlines() or [""]:
            self.pdf.multi_cell(0, size * 0.5, line, align=self.start, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def table(self, caption: str, columns: Iterable[str], rows: Iterable[Iterable[Cell]]) -> None:
        from fpdf.fonts import FontFace  # with FPDF, only when a PDF is made

        rows = [list(row) for row in rows]
        self.paragraph(caption, bold=True, size=11)
        if not rows:
            return
        self.pdf.set_font("report", "", 9)
        with self.pdf.table(text_align=self.start, line_height=5, headings_style=FontFace(emphasis="BOLD")) as table:
            heading = table.row()
            for column in columns:
                heading.cell(str(column))
            for cells in rows:
                row = table.row()
                for cell in cells:
                    row.cell("" if cell is None else str(cell))
        self.pdf.ln(3)

    def chart(self, chart: Chart) -> None:
        """The chart as bars or a line, 40 mm high, with its data table under it."""
        points = [p for p in chart.points if p.value is not None]
        self.paragraph(chart.title, bold=True, size=11)
        if points:
            self._draw(chart)
        table = chart.as_table()
        self.table(table.caption, table.columns, [(p.label, p.text) for p in chart.points])

    def _draw(self, chart: Chart) -> None:
        pdf = self.pdf
        height, width = 40.0, pdf.epw
        if pdf.will_page_break(height + 6):
            pdf.add_page()
        top, left = pdf.get_y(), pdf.l_margin
        base = top + height
        values = [p.value for p in chart.points]
        highest = max([v for v in values if v is not None] + [1])
        step = width / max(len(values), 1)
        pdf.set_draw_color(0)
        pdf.line(left, base, left + width, base)
        previous = None
        for n, value in enumerate(values):
            if value is None:
                previous = None
                continue
            h = height * float(value) / float(highest)
            middle = left + step * (n + 0.5)
            if chart.kind == "line":
                if previous is not None:
                    pdf.line(previous[0], previous[1], middle, base - h)
                pdf.circle(x=middle, y=base - h, radius=0.8, style="F")
                previous = (middle, base - h)
            else:
                pdf.set_fill_color(60, 90, 150)
                pdf.rect(left + step * n + step * 0.15, base - h, step * 0.7, h, style="F")
        pdf.set_y(base + 3)
