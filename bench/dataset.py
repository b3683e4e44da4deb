"""The seeded dataset: how many of each thing at a scale, and the rows themselves.

Everything comes from one ``random.Random(seed)`` and a fixed "today", so a scale and a seed always
give the same rows. Rows are tuples in the order of each table's ``fields`` and carry explicit ids
where later tables refer to them, so nothing has to be read back while generating.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any

from backend.accounts.models import ApiToken, Home, Landlord, User, UserRole
from backend.reports.models import StockCount
from bench import casework, cocreation, lessons, perception
from bench.words import (
    CHANNELS,
    FIRST_NAMES,
    NATIONS,
    STREETS,
    SURNAME_WEIGHTS,
    SURNAMES,
    TEAMS,
    TENURES,
    TOWNS,
)
from bench.world import TODAY, Table, World, weighted

__all__ = ["FULL_SIZES", "TODAY", "VERSION", "Table", "World", "sizes_for", "tables"]

#: Bump when the generator changes, so an older benchmark database is regenerated rather than reused.
#: 2: contacts and complaints in the real tables, with their whole journey; staff in teams.
#: 4: lessons, themes and actions in the real tables (the ``bench_`` stand-ins and theme votes are gone).
#: 5: the homes at each regulator's year end (``stock_count``) and a tenant perception survey, for the reports.
#: 6: co-creation: 50 published themes, a closed round with 150,000 votes, changes with comments.
VERSION = 6

#: A landlord's numbers at scale 1. Contacts: 1.5 a home a year over three years; a third are complaints.
FULL_SIZES = {
    "homes": 60_000,
    "residents": 90_000,
    "contacts": 270_000,
    "complaints": 90_000,
    "lessons": 5_000,
    "actions": 15_000,
    "api_tokens": 1_000,
    "perception_responses": 7_500,
}
#: Not scaled: a landlord has this many themes and staff whatever the sample size.
FIXED_SIZES = {"themes": 24, "staff": 40, "managers": 8, "admins": 2}
#: Staff accounts follow the residents, in this order: (size, role). Managers come first: staff point at them.
STAFF_KINDS = (("managers", "manager"), ("staff", "staff"), ("admins", "admin"))


def sizes_for(scale: float) -> dict[str, int]:
    """How many rows of each kind at ``scale`` (at least one of each)."""
    sizes = {name: max(1, round(count * scale)) for name, count in FULL_SIZES.items()}
    sizes.update(FIXED_SIZES)
    return sizes


def tables(world: World) -> Iterator[Table]:
    """Every table's rows, in dependency order. Later generators read what earlier ones left in ``world``."""
    yield Table(
        "landlord",
        Landlord,
        [Landlord.id, Landlord.name, Landlord.created_at],
        1,
        iter([(1, "Bench Housing Association", TODAY)]),
        explicit_ids=True,
    )
    yield homes(world)
    yield stock_counts(world)
    yield accounts(world)
    yield roles(world)
    yield api_tokens(world)
    yield from casework.tables(world)
    yield from lessons.tables(world)
    yield from perception.tables(world)
    yield from cocreation.tables(world)


def homes(world: World) -> Table:
    rng, count = world.rng, world.sizes["homes"]
    nations, nation_weights = weighted(NATIONS)
    tenures, tenure_weights = weighted(TENURES)
    world.home_nations = rng.choices(nations, nation_weights, k=count)

    def rows() -> Iterator[tuple[Any, ...]]:
        for i in range(1, count + 1):
            postcode = (
                f"{rng.choice('BCDGLMNS')}{rng.choice('FLSTW')}{rng.randint(1, 29)} {rng.randint(1, 9)}"
                f"{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}"
            )
            address = f"{rng.randint(1, 240)} {rng.choice(STREETS)}, {rng.choice(TOWNS)}"
            nation, tenure = world.home_nations[i - 1], rng.choices(tenures, tenure_weights)[0]
            world.stock[(nation, tenure)] = world.stock.get((nation, tenure), 0) + 1
            yield (
                i,
                1,
                f"H{i:06d}",
                address,
                postcode,
                nation,
                tenure,
                world.moment(3650),
            )

    fields = [
        Home.id,
        Home.landlord,
        Home.reference,
        Home.address,
        Home.postcode,
        Home.nation,
        Home.tenure,
        Home.created_at,
    ]
    return Table("homes", Home, fields, count, rows(), explicit_ids=True)


#: The regulator's years (by the calendar year they start in) whose year-end homes are entered: every year the
#: dataset's three years touch, and the one running on its today.
STOCK_YEARS = (2022, 2023, 2024, 2025)
#: The landlord grew by this share of its homes a year up to the stock on today.
STOCK_GROWTH = 0.01


def stock_counts(world: World) -> Table:
    """The relevant homes at each regulator's year end, by nation and tenure, as a manager enters them: the homes
    generated, less the growth of the years since (no random draws, so the other tables are unchanged)."""
    entered = dt.datetime.combine(TODAY.date().replace(month=1, day=1), dt.time(9))

    def rows() -> Iterator[tuple[Any, ...]]:
        # The homes table is written first, so its counts are complete when these rows are asked for.
        for year in STOCK_YEARS:
            shrink = 1 - STOCK_GROWTH * (STOCK_YEARS[-1] - year)
            for (nation, tenure), count in sorted(world.stock.items()):
                yield (year, nation, tenure, round(count * shrink), "Statistical data return", entered, entered)

    fields = [
        StockCount.year,
        StockCount.nation,
        StockCount.tenure,
        StockCount.homes,
        StockCount.source,
        StockCount.entered_at,
        StockCount.updated_at,
    ]
    total = len(STOCK_YEARS) * len(NATIONS) * len(TENURES)
    return Table("stock counts", StockCount, fields, total, rows())


def staff_layout(world: World) -> list[tuple[int, str, str | None, int | None]]:
    """(id, role, team, manager id) of every account after the residents: a manager per team, staff spread over them."""
    sizes, layout = world.sizes, []
    managers: list[int] = []
    i = sizes["residents"]
    for kind, role in STAFF_KINDS:
        for j in range(sizes[kind]):
            i += 1
            team = TEAMS[j % len(TEAMS)] if role != "admin" else None
            manager = managers[j % len(TEAMS) % len(managers)] if role == "staff" and managers else None
            if role == "manager":
                managers.append(i)
            layout.append((i, role, team, manager))
    return layout


def accounts(world: World) -> Table:
    """Residents (each home has one; the rest share), then managers, staff and admins."""
    rng, sizes = world.rng, world.sizes
    homes_count, residents = sizes["homes"], sizes["residents"]
    channels, channel_weights = weighted(CHANNELS)
    layout = staff_layout(world)
    world.handlers = [(i, team) for i, role, team, _manager in layout if role == "staff" and team]
    world.managers = [i for i, role, _team, _manager in layout if role == "manager"]

    def resident(i: int) -> tuple[Any, ...]:
        home = i if i <= homes_count else rng.randint(1, homes_count)
        world.resident_homes.append(home)
        first, last = rng.choice(FIRST_NAMES), rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
        welsh = world.home_nations[home - 1] == "wales"
        locale = rng.choice(("cy", "cy", "en", "en", None)) if welsh else rng.choice(("en", "en", "en", None))
        channel = rng.choices(channels, channel_weights)[0]
        phone = f"07{rng.randrange(10**9):09d}" if channel in ("sms", "phone") or rng.random() < 0.3 else None
        needs = "Large print, please." if rng.random() < 0.05 else ""
        created = world.moment(1825)
        verified = created + dt.timedelta(hours=1) if rng.random() < 0.9 else None
        return (
            i,
            f"{first}.{last}.{i}@residents.example".lower(),
            f"{first} {last}",
            world.password_hash,
            home,
            locale,
            channel,
            phone,
            needs,
            "",
            verified,
            None,
            None,
            True,
            False,
            created,
            created,
        )

    def staff(i: int, kind: str, team: str | None, manager: int | None) -> tuple[Any, ...]:
        first, last = rng.choice(FIRST_NAMES), rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
        created = world.moment(1825)
        return (
            i,
            f"{kind}.{i}@landlord.example",
            f"{first} {last}",
            world.password_hash,
            None,
            "en",
            "email",
            None,
            "",
            "",
            created,
            team,
            manager,
            True,
            False,
            created,
            created,
        )

    def rows() -> Iterator[tuple[Any, ...]]:
        for i in range(1, residents + 1):
            yield resident(i)
        for i, role, team, manager in layout:
            yield staff(i, role, team, manager)

    fields = [
        User.id,
        User.email,
        User.display_name,
        User.password_hash,
        User.home,
        User.locale,
        User.contact_channel,
        User.phone,
        User.accessibility_needs,
        User.reasonable_adjustments,
        User.email_verified_at,
        User.team,
        User.manager,
        User.is_active,
        User.is_demo,
        User.created_at,
        User.updated_at,
    ]
    return Table("accounts", User, fields, world.accounts, rows(), explicit_ids=True)


def roles(world: World) -> Table:
    sizes = world.sizes

    def rows() -> Iterator[tuple[Any, ...]]:
        for i in range(1, sizes["residents"] + 1):
            yield (i, "resident", TODAY)
        for i, role, _team, _manager in staff_layout(world):
            yield (i, role, TODAY)

    return Table("roles", UserRole, [UserRole.user, UserRole.role, UserRole.granted_at], world.accounts, rows())


def api_tokens(world: World) -> Table:
    """Every member of staff has a token; the rest go to residents' own tools."""
    rng, count = world.rng, world.sizes["api_tokens"]
    staff_ids = list(range(world.first_staff_id, world.accounts + 1))

    def rows() -> Iterator[tuple[Any, ...]]:
        for i in range(count):
            owner = staff_ids[i] if i < len(staff_ids) else rng.randint(1, world.sizes["residents"])
            secret = f"llt_bench_{world.seed}_{i}"
            digest = hashlib.sha256(secret.encode()).hexdigest()
            created = world.moment(365)
            revoked = created + dt.timedelta(days=30) if rng.random() < 0.1 else None
            yield (owner, f"integration {i}", rng.choice(("read", "write")), secret[:12], digest, created, revoked)

    fields = [
        ApiToken.user,
        ApiToken.name,
        ApiToken.scope,
        ApiToken.prefix,
        ApiToken.token_hash,
        ApiToken.created_at,
        ApiToken.revoked_at,
    ]
    return Table("api tokens", ApiToken, fields, count, rows())
