"""Signals for the board report: monthly counts of disrepair claims, damp and mould cases and insurance claims by
service area, imported from CSV, and read back by period, month and service area.

The file (docs/reports.md, "Signals for the board report"): UTF-8 CSV whose first row names the columns ``month``,
``service_area``, ``kind`` and ``count``, in any order; each further row is one figure: ``2026-04,Repairs,damp_mould,
12``. Every row is checked first and every problem is listed with its row (the header is row 1); a file with any
problem saves nothing, so a month is never half replaced. A good file saves every row: a month, area and kind
imported before is replaced, and each new or changed figure is audited with its old and new count and the source.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass

from peewee import fn

from backend.audit.services import field_changes, record_audit
from backend.complaints.models import ServiceArea
from backend.context import Actor
from backend.db import transaction
from backend.errors import Invalid, NotAllowed, Problems, gather
from backend.reports.models import SIGNAL_KINDS, SignalCount
from backend.reports.periods import EARLIEST, Period
from backend.text import clean
from backend.timeutil import local_date, utcnow

COLUMNS = ("month", "service_area", "kind", "count")
MAX_CHARACTERS = 50_000
MAX_ROWS = 2_000
MAX_PROBLEMS = 100
MAX_COUNT = 1_000_000
MAX_SOURCE = 200
MANAGERS = ("manager", "admin")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class ImportResult:
    """What an import did: figures new to the system, figures replaced with another count, and those unchanged."""

    created: int
    replaced: int
    unchanged: int


@dataclass(frozen=True)
class _Row:
    number: int
    month: dt.date
    service_area_id: int
    kind: str
    count: int


def can_import_signals(actor: Actor) -> bool:
    """Managers (and admins) import the signals."""
    return actor.can_write and actor.has_role(*MANAGERS)


def can_read_signals(actor: Actor) -> bool:
    """Staff read the signals: they are counts by service area, about nobody."""
    return actor.is_staff


def import_signals(actor: Actor, text: str, source: str) -> ImportResult:
    """Check every row of the CSV ``text``, then save them all, replacing figures imported before; return the counts.

    Raises NotAllowed("signals.import") for anyone but managers, and Invalid listing every problem (at most
    :data:`MAX_PROBLEMS`), saving nothing: ``source`` required or too long; the file (``csv``) empty, too large, not
    CSV, with too many rows or with missing or unknown columns; and per row, at ``("csv", row, column)`` with the
    row's number in ``row``: a month that is not YYYY-MM, in the future or before 2000; a service area nobody set
    up; a kind that is not disrepair, damp_mould or insurance; a count that is not a whole number from 0 to
    1,000,000; or a month, area and kind already given by an earlier row.
    """
    if not can_import_signals(actor):
        raise NotAllowed("signals.import")
    with gather() as problems:
        cleaned_source = clean(source)
        if not cleaned_source:
            problems.add("source", "required")
        elif len(cleaned_source) > MAX_SOURCE:
            problems.add("source", "too_long", maximum=MAX_SOURCE)
        rows = _check_file(problems, text or "")
    return _save(actor, rows, cleaned_source)


def _check_file(problems: Problems, text: str) -> list[_Row]:
    if len(text) > MAX_CHARACTERS:
        problems.add("csv", "too_large", maximum=MAX_CHARACTERS)
        return []
    try:
        records = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    except csv.Error:
        problems.add("csv", "not_csv")
        return []
    records = [record for record in records if any(cell.strip() for cell in record)]
    if not records:
        problems.add("csv", "empty")
        return []
    header = [cell.strip().lower() for cell in records[0]]
    missing = [name for name in COLUMNS if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing:
        problems.add("csv", "missing_columns", columns=", ".join(missing))
    if unknown:
        problems.add("csv", "unknown_columns", columns=", ".join(unknown))
    if missing or unknown:
        return []
    if len(records) == 1:
        problems.add("csv", "no_rows")
        return []
    if len(records) - 1 > MAX_ROWS:
        problems.add("csv", "too_many_rows", maximum=MAX_ROWS)
        return []
    areas = {area.name.strip().lower(): area.id for area in ServiceArea.select(ServiceArea.id, ServiceArea.name)}
    rows: list[_Row] = []
    seen: dict[tuple[dt.date, int, str], int] = {}
    for number, record in enumerate(records[1:], start=2):
        values = {name: (record[index] if index < len(record) else "").strip() for index, name in enumerate(header)}
        row = _check_row(problems, number, values, areas, seen)
        if row is not None:
            rows.append(row)
        if len(problems.found) >= MAX_PROBLEMS:
            break
    return rows


def _check_row(
    problems: Problems,
    number: int,
    values: Mapping[str, str],
    areas: Mapping[str, int],
    seen: dict[tuple[dt.date, int, str], int],
) -> _Row | None:
    before = len(problems.found)

    def problem(column: str, code: str, **params: object) -> None:
        problems.add(f"signal_{column}", code, at=("csv", number, column), row=number, **params)

    month = _month(values["month"])
    if month is None:
        problem("month", "invalid")
    elif month < EARLIEST:
        problem("month", "too_early")
    elif month > local_date().replace(day=1):
        problem("month", "future")
    area_id = areas.get(values["service_area"].lower())
    if area_id is None:
        problem("service_area", "unknown", name=values["service_area"][:100])
    kind = values["kind"].lower()
    if kind not in SIGNAL_KINDS:
        problem("kind", "unsupported")
    count = int(values["count"]) if re.fullmatch(r"\d{1,7}", values["count"]) else None
    if count is None or count > MAX_COUNT:
        problem("count", "invalid", maximum=MAX_COUNT)
    if len(problems.found) > before or month is None or area_id is None or count is None:
        return None
    key = (month, area_id, kind)
    if key in seen:
        problem("month", "duplicate", first=seen[key])
        return None
    seen[key] = number
    return _Row(number, month, area_id, kind, count)


def _month(text: str) -> dt.date | None:
    match = _MONTH.match(text)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return None
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def _save(actor: Actor, rows: list[_Row], source: str) -> ImportResult:
    created = replaced = unchanged = 0
    now = utcnow()
    months = sorted({row.month for row in rows})
    with transaction():
        existing = {
            (found.month, found.service_area_id, found.kind): found  # type: ignore[attr-defined]
            for found in SignalCount.select().where(SignalCount.month.in_(months))
        }
        for row in rows:
            after = {"count": row.count, "source": source}
            found = existing.get((row.month, row.service_area_id, row.kind))
            if found is None:
                figure = SignalCount.create(
                    month=row.month,
                    service_area=row.service_area_id,
                    kind=row.kind,
                    count=row.count,
                    source=source,
                    imported_by=actor.user_id,
                    imported_at=now,
                )
                record_audit(actor, "signal_count.imported", "signal_count", figure.id, field_changes(None, after))
                created += 1
                continue
            before = {"count": found.count, "source": found.source}
            SignalCount.update(count=row.count, source=source, imported_by=actor.user_id, imported_at=now).where(
                SignalCount.id == found.id
            ).execute()
            if before == after:
                unchanged += 1
                continue
            record_audit(actor, "signal_count.replaced", "signal_count", found.id, field_changes(before, after))
            replaced += 1
    return ImportResult(created=created, replaced=replaced, unchanged=unchanged)


# --- Reading them ------------------------------------------------------------------------------------------------


def _in_period(period: Period, service_area_id: int | None, kind: str | None) -> object:
    """The months the period touches (a custom range's part-months count whole), narrowed to an area and a kind."""
    condition = (SignalCount.month >= period.first.replace(day=1)) & (SignalCount.month <= period.last)
    if service_area_id is not None:
        condition &= SignalCount.service_area == service_area_id
    if kind is not None:
        condition &= SignalCount.kind == kind
    return condition


def signal_counts(
    actor: Actor, period: Period, service_area_id: int | None = None, kind: str | None = None
) -> list[SignalCount]:
    """The figures for the months the period touches, by month, service area name and kind; none is an empty list.

    Raises NotAllowed("signals.read") for anyone but staff, and Invalid("kind", "unsupported") for an unknown kind.
    """
    if not can_read_signals(actor):
        raise NotAllowed("signals.read")
    if kind is not None and kind not in SIGNAL_KINDS:
        raise Invalid("kind", "unsupported")
    return list(
        SignalCount.select(SignalCount, ServiceArea)
        .join(ServiceArea)
        .where(_in_period(period, service_area_id, kind))
        .order_by(SignalCount.month, ServiceArea.name, SignalCount.kind)
    )


def signal_totals(
    actor: Actor, period: Period, service_area_id: int | None = None, kind: str | None = None
) -> list[tuple[int, str, str, int]]:
    """Each service area's total of each kind over the period's months: (area id, area name, kind, total).

    Raises as :func:`signal_counts` does.
    """
    if not can_read_signals(actor):
        raise NotAllowed("signals.read")
    if kind is not None and kind not in SIGNAL_KINDS:
        raise Invalid("kind", "unsupported")
    found = (
        SignalCount.select(ServiceArea.id, ServiceArea.name, SignalCount.kind, fn.SUM(SignalCount.count))
        .join(ServiceArea)
        .where(_in_period(period, service_area_id, kind))
        .group_by(ServiceArea.id, ServiceArea.name, SignalCount.kind)
        .order_by(ServiceArea.name, SignalCount.kind)
        .tuples()
    )
    return list(found)  # type: ignore[arg-type]  # peewee's stubs do not know tuples() gives tuples
