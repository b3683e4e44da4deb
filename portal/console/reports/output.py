"""What every report page shares: a document (``backend.reports.documents``) as an accessible page, a print view
with no navigation, a PDF, and its figures and tables as CSV or XLSX.

A report's own page module builds (or reads) its document and hands it to these; the file names are
``<name>-<period>.<ext>``, the period's code with its ``/`` written as ``-``.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Response, render_template

from backend.config import text_direction
from backend.reports.documents import ReportDocument
from backend.reports.output import document_csv, document_pdf, document_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(name: str, document: ReportDocument, extension: str) -> str:
    """``board-2025-26-Q1.pdf``: the report's name and period, safe in a header."""
    period = re.sub(r"[^0-9A-Za-z.-]+", "-", document.period_code.replace("..", "_to_"))
    return f"{name}-{period}.{extension}"


def _download(body: bytes | str, mimetype: str, filename: str, inline: bool = False) -> Response:
    response = Response(body, mimetype=mimetype)
    disposition = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def print_view(document: ReportDocument, back: str, status_line: str = "", response: Any = None) -> str:
    """The document alone, for printing: no navigation, every chart's table open."""
    return render_template(
        "reports/print.html",
        document=document,
        direction=text_direction(document.locale),
        back=back,
        status_line=status_line,
        response=response,
    )


def pdf_download(name: str, document: ReportDocument) -> Response:
    return _download(document_pdf(document), "application/pdf", file_name(name, document, "pdf"), inline=True)


def csv_download(name: str, document: ReportDocument) -> Response:
    return _download(document_csv(document), "text/csv", file_name(name, document, "csv"))


def xlsx_download(name: str, document: ReportDocument) -> Response:
    return _download(document_xlsx(document), XLSX, file_name(name, document, "xlsx"))


def download(name: str, document: ReportDocument, fmt: str, back: str) -> Any:
    """The document in ``fmt``: ``pdf``, ``csv``, ``xlsx``, or else the print view."""
    if fmt == "pdf":
        return pdf_download(name, document)
    if fmt == "csv":
        return csv_download(name, document)
    if fmt == "xlsx":
        return xlsx_download(name, document)
    return print_view(document, back)
