"""The relevant homes at each year's end, by nation and tenure: entered or imported by managers with their source.

They are the denominator of every measure per 1,000 homes (TSM CH01, the SPSO's complaints per 1,000 homes), so
they are what the landlord reported (the statistical data return), never a count of the homes on the system.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from backend.accounts.models import Nation, Tenure
from backend.audit.services import field_changes, record_audit
from backend.context import Actor
from backend.db import transaction
from backend.errors import Invalid, NotAllowed, NotFound, gather
from backend.reports.models import StockCount
from backend.reports.periods import EARLIEST
from backend.timeutil import local_date, utcnow

MANAGERS = frozenset({"manager", "admin"})
MAX_HOMES = 10_000_000
MAX_SOURCE = 500
#: The most rows one import takes: a landlord has at most four nations and two tenures a year.
MAX_IMPORT_ROWS = 500
MAX_IMPORT_CHARS = 100_000
IMPORT_COLUMNS = ("year", "nation", "tenure", "homes", "source")
FIELDS = ("year", "nation", "tenure", "homes", "source")


@dataclass(frozen=True)
class StockInput:
    """One year's homes for a nation and tenure, as entered."""

    year: Any
    nation: Any
    tenure: Any
    homes: Any
    source: Any


def _require_manager(actor: Actor) -> None:
    if not actor.has_role(*MANAGERS):
        raise NotAllowed("manage_stock")


def _clean(entry: StockInput) -> dict[str, Any]:
    """The entry's values, checked; raise one Invalid listing every problem."""
    values: dict[str, Any] = {}
    with gather() as problems:
        year = _integer(entry.year)
        latest = local_date().year
        if year is None:
            problems.add("year", "required" if entry.year in (None, "") else "invalid", about="stock")
        elif not EARLIEST.year <= year <= latest:
            problems.add("year", "out_of_range", about="stock", minimum=EARLIEST.year, maximum=latest)
        values["year"] = year
        nation = str(entry.nation or "").strip()
        if not nation:
            problems.add("nation", "required", about="stock")
        elif nation not in Nation.codes():
            problems.add("nation", "unsupported", about="stock")
        values["nation"] = nation
        tenure = str(entry.tenure or "").strip()
        if not tenure:
            problems.add("tenure", "required", about="stock")
        elif tenure not in Tenure.codes():
            problems.add("tenure", "unsupported", about="stock")
        values["tenure"] = tenure
        homes = _integer(entry.homes)
        if homes is None:
            problems.add("homes", "required" if entry.homes in (None, "") else "invalid", about="stock")
        elif not 0 <= homes <= MAX_HOMES:
            problems.add("homes", "out_of_range", about="stock", minimum=0, maximum=MAX_HOMES)
        values["homes"] = homes
        source = " ".join(str(entry.source or "").split())
        if not source:
            problems.add("source", "required", about="stock")
        elif len(source) > MAX_SOURCE:
            problems.add("source", "too_long", about="stock", maximum=MAX_SOURCE)
        values["source"] = source
    return values


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value or "").strip().replace(",", "")
    if not text or len(text) > 12 or not text.isdigit():
        return None
    return int(text)


def _snapshot(row: StockCount) -> dict[str, Any]:
    return {name: getattr(row, name) for name in FIELDS}


def _save(actor: Actor, values: dict[str, Any]) -> StockCount:
    row = StockCount.get_or_none(
        (StockCount.year == values["year"])
        & (StockCount.nation == values["nation"])
        & (StockCount.tenure == values["tenure"])
    )
    before = _snapshot(row) if row else None
    if row is None:
        row = StockCount(**values, entered_by=actor.user_id, entered_at=utcnow())
    elif before == values:
        return row
    else:
        for name, value in values.items():
            setattr(row, name, value)
        row.entered_by = actor.user_id  # type: ignore[assignment]
        row.entered_at = utcnow()
    row.save()
    record_audit(
        actor,
        "stock.recorded" if before is None else "stock.changed",
        "stock_count",
        row.id,
        field_changes(before, _snapshot(row)),
    )
    return row


def record_stock(actor: Actor, entry: StockInput) -> StockCount:
    """Enter (or correct) a year's homes for a nation and tenure, with its source. Managers and admins only.

    Raises NotAllowed or Invalid listing every problem: year (required, invalid, out_of_range), nation and tenure
    (required, unsupported), homes (required, invalid, out_of_range), source (required, too_long).
    """
    _require_manager(actor)
    values = _clean(entry)
    with transaction():
        return _save(actor, values)


def import_stock(actor: Actor, text: str) -> list[StockCount]:
    """Enter every row of a CSV with the columns year, nation, tenure, homes and source (a header row first).

    Nothing is written unless every row is right: raises Invalid listing each problem under its row number (the
    file's line), or ("file", code) for the file itself: required, too_long, too_many_rows, columns, duplicate.
    """
    _require_manager(actor)
    if not (text or "").strip():
        raise Invalid("file", "required", about="stock")
    if len(text) > MAX_IMPORT_CHARS:
        raise Invalid("file", "too_long", about="stock", maximum=MAX_IMPORT_CHARS)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in IMPORT_COLUMNS if name not in header]
    if missing:
        raise Invalid("file", "columns", about="stock", columns=", ".join(missing))
    reader.fieldnames = header
    rows: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    with gather() as problems:
        for number, raw in enumerate(reader, start=2):
            if len(rows) >= MAX_IMPORT_ROWS:
                raise Invalid("file", "too_many_rows", about="stock", maximum=MAX_IMPORT_ROWS)
            entry = StockInput(*(raw.get(name) for name in IMPORT_COLUMNS))
            with problems.check("row", number):
                values = _clean(entry)
                key = (values["year"], values["nation"], values["tenure"])
                if key in seen:
                    raise Invalid("file", "duplicate", about="stock")
                seen.add(key)
                rows.append(values)
        if not rows and not problems.found:
            problems.add("file", "required", about="stock")
    with transaction():
        return [_save(actor, values) for values in rows]


def delete_stock(actor: Actor, stock_id: int) -> None:
    """Remove an entry made in error. Managers and admins only; raises NotAllowed or NotFound."""
    _require_manager(actor)
    row = StockCount.get_or_none(StockCount.id == stock_id)
    if row is None:
        raise NotFound("stock_count", stock_id)
    with transaction():
        record_audit(actor, "stock.deleted", "stock_count", row.id, field_changes(_snapshot(row), {}))
        row.delete_instance()


def homes(year: int, nation: str, tenure: str | None = None) -> int | None:
    """The relevant homes at the end of ``year`` in ``nation``, of one tenure or all: None where none was entered
    (for all tenures, where any tenure's is missing it still sums those entered)."""
    query = StockCount.select(StockCount.homes).where((StockCount.year == year) & (StockCount.nation == nation))
    if tenure is not None:
        query = query.where(StockCount.tenure == tenure)
    found = [row.homes for row in query]
    return sum(found) if found else None
