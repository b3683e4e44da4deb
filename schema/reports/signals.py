"""The board report's signals in the API: staff read the monthly counts by period, month and service area; managers
import them from CSV text (docs/reports.md, "Signals for the board report", gives the format)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from backend.errors import Invalid
from backend.reports import signals
from backend.reports.models import SignalCount, SignalKind
from backend.reports.periods import parse_period
from schema.access import MANAGER_ROLES, STAFF_ACCESS, STAFF_ROLES
from schema.context import Context
from schema.engine.access import only_for
from schema.engine.declare import Column, Resource, ToOne
from schema.engine.mutations import Mutations, reference_id
from schema.error_texts import INVALID, N_
from schema.errors import NotAllowedError, ValidationError, argument_error

mutations = Mutations()

SIGNAL_COUNT = Resource(
    name="SignalCount",
    plural="signalCounts",
    model=SignalCount,
    description="One month's count of disrepair claims, damp and mould cases or insurance claims in one service area, "
    "as imported; a later import of the same month, area and kind replaces it.",
    members=[
        Column("month", "The first day of the calendar month it counts."),
        ToOne("service_area", "The service area it counts in."),
        Column("kind", "disrepair, damp_mould or insurance."),
        Column("count", "How many."),
        Column("source", "Where the figure came from, as the importer said."),
        ToOne("imported_by", "Who imported it last; null: their account was removed."),
        Column("imported_at", "When it was last imported."),
        Column("updated_at", "When it last changed."),
    ],
    access=STAFF_ACCESS,
    default_order=("month", "id"),
)

RESOURCES = [SIGNAL_COUNT]


@strawberry.type(description="One month's figure for one service area and kind.")
class SignalFigure:
    month: dt.date = strawberry.field(description="The first day of the month.")
    service_area_id: strawberry.ID = strawberry.field(description="The service area.")
    service_area: str = strawberry.field(description="The service area's name.")
    kind: SignalKind = strawberry.field(description="What is counted.")  # type: ignore[valid-type]
    count: int = strawberry.field(description="How many.")
    source: str = strawberry.field(description="Where the figure came from.")


@strawberry.type(description="A service area's total of one kind over the period's months.")
class SignalTotal:
    service_area_id: strawberry.ID = strawberry.field(description="The service area.")
    service_area: str = strawberry.field(description="The service area's name.")
    kind: SignalKind = strawberry.field(description="What is counted.")  # type: ignore[valid-type]
    total: int = strawberry.field(description="The sum of the months imported.")


@strawberry.type(description="The signals for a period: each month's figures, and each area's totals.")
class SignalsInPeriod:
    period: str = strawberry.field(description="The period's code.")
    months: list[SignalFigure] = strawberry.field(
        description="Each figure of the months the period touches (a part-month counts whole), by month, area "
        "name and kind. Bounded by the period, so a list."
    )
    totals: list[SignalTotal] = strawberry.field(description="Each area's total of each kind, by area name and kind.")


@only_for(STAFF_ROLES)
@strawberry.type
class SignalsQuery:
    @strawberry.field(
        description="The signals imported for the board report over a period, narrowed to a service area and a kind "
        "when given. Staff only. A period that cannot be used is refused as equalityBreakdowns refuses it."
    )
    def signals(
        self,
        info: Info[Context, None],
        period: Annotated[str, strawberry.argument(description="A period code, such as 2025/26 or 2025-04.")],
        service_area_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this service area.")
        ] = None,
        kind: Annotated[SignalKind | None, strawberry.argument(description="Only this kind.")] = None,  # type: ignore[valid-type]
    ) -> SignalsInPeriod:
        try:
            found = parse_period(period)
        except Invalid as error:
            raise argument_error(error, info.context) from None
        area = reference_id(service_area_id) if service_area_id is not None else None
        wanted = str(kind) if kind is not None else None
        actor = info.context.actor
        return SignalsInPeriod(
            period=found.code,
            months=[
                SignalFigure(
                    month=row.month,
                    service_area_id=strawberry.ID(str(row.service_area.id)),
                    service_area=row.service_area.name,
                    kind=SignalKind.of(row.kind),
                    count=row.count,
                    source=row.source,
                )
                for row in signals.signal_counts(actor, found, area, wanted)
            ],
            totals=[
                SignalTotal(
                    service_area_id=strawberry.ID(str(area_id)),
                    service_area=name,
                    kind=SignalKind.of(code),
                    total=int(total),
                )
                for area_id, name, code, total in signals.signal_totals(actor, found, area, wanted)
            ],
        )


QUERIES = [SignalsQuery]


@strawberry.input(description="A CSV file of signal counts, as text, and where the figures came from.")
class SignalsImportInput:
    csv: str = strawberry.field(
        description="UTF-8 CSV text, up to 50,000 characters: a header naming month, service_area, kind and count, "
        "then one figure a row (2026-04,Repairs,damp_mould,12)."
    )
    source: str = strawberry.field(description="Where the figures came from, up to 200 characters.")


@strawberry.type(description="What signalsImport saved.")
class SignalsImported:
    created: int = strawberry.field(description="Figures new to the system.")
    replaced: int = strawberry.field(description="Figures imported before, now with another count or source.")
    unchanged: int = strawberry.field(description="Figures imported before with the same count and source.")


@mutations.add("signalsImport", roles=MANAGER_ROLES, payload=SignalsImported, errors=(ValidationError, NotAllowedError))
def import_signals(context: Context, data: SignalsImportInput) -> SignalsImported:
    """Import signal counts from CSV: every row, or none when any row is wrong (each problem names its row)."""
    result = signals.import_signals(context.actor, data.csv, data.source)
    return SignalsImported(created=result.created, replaced=result.replaced, unchanged=result.unchanged)


# The words of an import's refusals; a row's problem names its row (the header is row 1).
INVALID.update(
    {
        ("csv", "too_large"): N_(
            "The file is too large: at most %(maximum)s characters. Import fewer months at a time."
        ),
        ("csv", "not_csv"): N_("The file must be CSV text saved as UTF-8."),
        ("csv", "empty"): N_("The file is empty."),
        ("csv", "missing_columns"): N_(
            "The first row must name the columns month, service_area, kind and count. Missing: %(columns)s."
        ),
        ("csv", "unknown_columns"): N_("The first row names columns this import does not take: %(columns)s."),
        ("csv", "no_rows"): N_("The file has no rows of figures under its first row."),
        ("csv", "too_many_rows"): N_("The file has too many rows. Import at most %(maximum)s at a time."),
        ("signal_month", "invalid"): N_("Row %(row)s: give the month as year and month, for example 2026-04."),
        ("signal_month", "too_early"): N_("Row %(row)s: choose a month from January 2000 on."),
        ("signal_month", "future"): N_("Row %(row)s: the month can't be after this one."),
        ("signal_month", "duplicate"): N_(
            "Row %(row)s: row %(first)s already gives this month, service area and kind. Keep one of them."
        ),
        ("signal_service_area", "unknown"): N_(
            "Row %(row)s: there is no service area called “%(name)s”. Use a name from the complaint settings."
        ),
        ("signal_kind", "unsupported"): N_("Row %(row)s: the kind must be disrepair, damp_mould or insurance."),
        ("signal_count", "invalid"): N_("Row %(row)s: the count must be a whole number from 0 to %(maximum)s."),
        ("source", "required"): N_("Say where the figures came from."),
        ("source", "too_long"): N_("Keep this to %(maximum)s characters or fewer."),
    }
)
