"""The relevant homes at each year's end in the API: staff read them, managers enter, import and remove them."""

from __future__ import annotations

import strawberry

from backend.reports import stock
from backend.reports.models import StockCount
from schema.access import MANAGER_ROLES, STAFF_ACCESS
from schema.context import Context
from schema.engine.declare import Column, Resource, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id
from schema.error_texts import INVALID_ABOUT, N_

mutations = Mutations()

STOCK_COUNT = Resource(
    name="StockCount",
    plural="stockCounts",
    model=StockCount,
    description="The relevant homes the landlord owned at the end of a regulator's year (31 March), by nation and "
    "tenure, with where the number comes from: the denominator of the measures per 1,000 homes.",
    members=[
        Column("year", "The year it closes, by its first calendar year: 2025 is 2025/26, ending 31 March 2026."),
        Column("nation", "The homes' nation."),
        Column("tenure", "rented (low-cost rental) or shared_ownership (low-cost home ownership)."),
        Column("homes", "The number of relevant homes."),
        Column("source", "Where the number comes from, e.g. the statistical data return."),
        ToOne("entered_by", "Who entered it last; null when they have gone."),
        Column("entered_at", "When it was entered or last corrected."),
        Column("updated_at"),
    ],
    access=STAFF_ACCESS,
    default_order=("-year", "nation", "tenure"),
)

RESOURCES = [STOCK_COUNT]


@strawberry.input(description="A year's relevant homes for a nation and tenure.")
class StockCountInput:
    year: int = strawberry.field(description="The regulator's year by its first calendar year (2025 is 2025/26).")
    nation: str = strawberry.field(description="england, wales, scotland or northern_ireland.")
    tenure: str = strawberry.field(description="rented or shared_ownership.")
    homes: int = strawberry.field(description="The number of homes, 0 to 10,000,000.")
    source: str = strawberry.field(description="Where the number comes from; up to 500 characters.")


@mutations.add("stockCountRecord", roles=MANAGER_ROLES, payload="StockCountRecorded", resource="StockCount")
def record(context: Context, data: StockCountInput) -> Outcome:
    """Enter a year's homes for a nation and tenure, or correct the one entered before."""
    entry = stock.StockInput(data.year, data.nation, data.tenure, data.homes, data.source)
    return Outcome(stock.record_stock(context.actor, entry).id)


@strawberry.input(description="A CSV of homes at year ends.")
class StockCountImportInput:
    csv: str = strawberry.field(
        description="A header row with year, nation, tenure, homes and source, then one row each; up to 500 rows "
        "and 100,000 characters. Nothing is entered unless every row is right."
    )


@strawberry.type(description="The homes a CSV entered.")
class StockCountsImported:
    stock_counts: list[strawberry.ID] = strawberry.field(description="The entries made or corrected, by id.")


@mutations.add("stockCountsImport", roles=MANAGER_ROLES, payload=StockCountsImported)
def import_counts(context: Context, data: StockCountImportInput) -> StockCountsImported:
    """Enter every row of a CSV of homes at year ends, or none when any row is wrong (each problem named by row)."""
    rows = stock.import_stock(context.actor, data.csv)
    return StockCountsImported(stock_counts=[strawberry.ID(str(row.id)) for row in rows])


@strawberry.input(description="An entry of homes made in error.")
class StockCountDeleteInput:
    id: strawberry.ID = strawberry.field(description="The entry.")


@strawberry.type(description="The entry removed.")
class StockCountDeleted:
    id: strawberry.ID = strawberry.field(description="The entry that was removed.")


@mutations.add("stockCountDelete", roles=MANAGER_ROLES, payload=StockCountDeleted)
def delete(context: Context, data: StockCountDeleteInput) -> StockCountDeleted:
    """Remove an entry of homes made in error."""
    stock.delete_stock(context.actor, parse_id(data.id, "stock_count"))
    return StockCountDeleted(id=data.id)


# The words of this module's refusals.
INVALID_ABOUT.update(
    {
        ("stock", "year", "required"): N_("Give the year, by its first calendar year: 2025 for 2025/26."),
        ("stock", "year", "invalid"): N_("Enter the year as four digits, for example 2025 for 2025/26."),
        ("stock", "year", "out_of_range"): N_("Give a year from %(minimum)s to %(maximum)s."),
        ("stock", "nation", "required"): N_("Choose the nation the homes are in."),
        ("stock", "nation", "unsupported"): N_("Choose England, Wales, Scotland or Northern Ireland."),
        ("stock", "tenure", "required"): N_("Choose the tenure: rented or shared ownership."),
        ("stock", "tenure", "unsupported"): N_("Choose rented or shared ownership."),
        ("stock", "homes", "required"): N_("Give the number of homes."),
        ("stock", "homes", "invalid"): N_("Enter the number of homes in digits, for example 2000."),
        ("stock", "homes", "out_of_range"): N_("Give a number of homes from %(minimum)s to %(maximum)s."),
        ("stock", "source", "required"): N_("Say where the number comes from, for example the statistical return."),
        ("stock", "source", "too_long"): N_("Keep the source to %(maximum)s characters or fewer."),
        ("stock", "file", "required"): N_("Paste or choose a CSV file with at least one row of homes."),
        ("stock", "file", "too_long"): N_("The file can be at most %(maximum)s characters long."),
        ("stock", "file", "columns"): N_(
            "The first row must name the columns year, nation, tenure, homes and source. Missing: %(columns)s."
        ),
        ("stock", "file", "too_many_rows"): N_("The file can have at most %(maximum)s rows."),
        ("stock", "file", "duplicate"): N_("This year, nation and tenure is on an earlier row as well."),
    }
)
