"""Lists as CSV downloads, streamed a page at a time, and as Excel workbooks, with spreadsheet formulas neutralised.

A console list offers its rows as CSV by calling ``csv_download`` with its header and an iterator of rows; the
rows come from the same operation and filter as the page, a page at a time (``pages``), so the download holds
exactly what the viewer may see and nothing is held in memory.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula by
spreadsheet programs (CSV injection), so it gets a leading ``'``. An XLSX cell's text is treated the same way
(openpyxl writes a text that starts with ``=`` as a formula); numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from flask import Response, stream_with_context
from openpyxl import Workbook

from backend.timeutil import local_date
from portal import operations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The most rows one download holds: a list longer than this is cut, and says so in its last line.
MAX_ROWS = 20_000


def safe_cell(value: Any) -> str:
    """The cell's text, with a leading ``'`` where a spreadsheet would take it for a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def pages(name: str, variables: dict[str, Any], root: str) -> Iterator[dict[str, Any]]:
    """Every node of a paged operation (its ``root`` field), following ``endCursor`` up to MAX_ROWS rows."""
    after, seen = None, 0
    while True:
        page = operations.run(name, {**variables, "after": after})[root]
        for node in page["nodes"]:
            if seen >= MAX_ROWS:
                return
            seen += 1
            yield node
        if not page["pageInfo"]["hasNextPage"]:
            return
        after = page["pageInfo"]["endCursor"]


def _lines(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    # A byte order mark, so that spreadsheet programs read the names as UTF-8.
    yield "\ufeff"
    writer.writerow([safe_cell(cell) for cell in header])
    yield flush()
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        yield flush()


def csv_download(name: str, header: list[str], rows: Callable[[], Iterable[list[Any]]]) -> Response:
    """A streamed CSV file named ``<name>-<today>.csv``; ``rows`` is called once the response starts."""
    filename = f"{name}-{local_date().isoformat()}.csv"
    body = stream_with_context(_lines(header, rows()))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


#: Characters a worksheet's title may not hold.
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def _xlsx_cell(value: Any) -> Any:
    """A number as it is; anything else as neutralised text (see :func:`safe_cell`)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return safe_cell(value)


def xlsx_download(name: str, title: str, header: list[str], rows: Iterable[list[Any]]) -> Response:
    """An Excel workbook named ``<name>-<today>.xlsx``: one sheet called ``title``, its header, then ``rows``."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE_FORBIDDEN.sub(" ", title)[:31] or name)
    sheet.append([safe_cell(cell) for cell in header])
    for row in rows:
        sheet.append([_xlsx_cell(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    filename = f"{name}-{local_date().isoformat()}.xlsx"
    response = Response(buffer.getvalue(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
