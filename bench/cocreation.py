"""Co-creation in the real tables: 50 published themes, a closed priority round with 150,000 votes on them, and
published changes with milestones, updates, linked contacts and residents' comments.

Generated last, from a random generator of its own, so the tables before it are the same as without it. The round
is closed but not counted: the benchmark counts it (that is one of the figures) before it times the public pages.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from backend.cocreation.models import (
    Change,
    ChangeComment,
    ChangeContact,
    ChangeMilestone,
    ChangeTheme,
    ChangeUpdate,
    PriorityRound,
    RoundTheme,
    Vote,
)
from backend.lessons.models import Theme, ThemeText
from bench.lessons import Rows
from bench.words import THEMES, WELSH_THEMES
from bench.world import Table, World

#: Not scaled: what the public pages' targets are set at.
PUBLIC_THEMES = 50
VOTES = 150_000
CHANGES = 100
#: The change the benchmark reads: the first, with this many comments (a tenth of them replies) and contacts.
COMMENTS, CONTACTS, MILESTONES, UPDATES = 120, 200, 6, 12
ROUND_ID = 1


def _rng(world: World) -> random.Random:
    return random.Random(world.seed * 7919 + 16)  # noqa: S311 - seeded for a reproducible dataset


def extra_themes(world: World) -> Iterator[Table]:
    """Themes after the lessons' own, so that 50 are published."""
    first = world.sizes["themes"] + 1
    ids = list(range(first, PUBLIC_THEMES + 1))
    theme = Rows(Theme, world.today, explicit_ids=True)
    published = world.today - dt.timedelta(days=60)

    def name(i: int) -> str:
        return f"{THEMES[(i - 1) % len(THEMES)]} {i}"

    yield theme.table(
        "public themes", len(ids), iter([theme.row(id=i, name=name(i), published_at=published) for i in ids])
    )
    text = Rows(ThemeText, world.today)

    def texts() -> Iterator[tuple[Any, ...]]:
        for i in ids:
            welsh = f"{WELSH_THEMES[(i - 1) % len(WELSH_THEMES)]} {i}"
            yield text.row(theme=i, locale="en", name=name(i), description=f"What residents tell us about theme {i}.")
            yield text.row(theme=i, locale="cy", name=welsh, description=f"Beth mae preswylwyr yn ei ddweud: {welsh}.")

    yield text.table("public theme texts", 2 * len(ids), texts())


def priority_round(world: World) -> Iterator[Table]:
    """One round on all 50 themes, 3 votes each to spread one per theme, closed ten days ago and not yet counted."""
    rows_of = Rows(PriorityRound, world.today, explicit_ids=True)
    opened, closed = world.today - dt.timedelta(days=40), world.today - dt.timedelta(days=10)
    yield rows_of.table(
        "priority rounds",
        1,
        iter(
            [
                rows_of.row(
                    id=ROUND_ID,
                    title={"en": "What should we work on first?", "cy": "Ar beth ddylen ni weithio gyntaf?"},
                    description={"en": "Spread three votes over the themes that matter most to you."},
                    opens_at=opened,
                    closes_at=closed,
                    budget=3,
                    max_per_theme=1,
                    status="published",
                    published_at=opened,
                    created_at=opened,
                    updated_at=opened,
                )
            ]
        ),
    )
    ballot = Rows(RoundTheme, world.today)
    yield ballot.table(
        "ballot",
        PUBLIC_THEMES,
        iter([ballot.row(round=ROUND_ID, theme=i, position=i) for i in range(1, PUBLIC_THEMES + 1)]),
    )
    rng, residents = _rng(world), world.sizes["residents"]
    vote = Rows(Vote, world.today)
    voters = min(residents, VOTES // 3)

    def rows() -> Iterator[tuple[Any, ...]]:
        left = VOTES
        for voter in rng.sample(range(1, residents + 1), voters):
            home = world.resident_homes[voter - 1] if voter <= len(world.resident_homes) else None
            take = min(3, left)
            for theme in rng.sample(range(1, PUBLIC_THEMES + 1), take):
                at = opened + dt.timedelta(seconds=rng.randrange(30 * 86_400))
                yield vote.row(round=ROUND_ID, theme=theme, voter=voter, home=home, created_at=at, updated_at=at)
            left -= take
            if left <= 0:
                return

    yield vote.table("votes", min(VOTES, voters * 3), rows())


def changes(world: World) -> Iterator[Table]:
    """Published changes on the themes; the first has the comments, contacts, milestones and updates."""
    rng = _rng(world)
    rows_of = Rows(Change, world.today, explicit_ids=True)
    statuses = ("planned", "in_progress", "implemented", "confirmed")

    def change_row(i: int) -> tuple[Any, ...]:
        status = statuses[i % len(statuses)]
        published = world.today - dt.timedelta(days=rng.randint(1, 700))
        implemented = published + dt.timedelta(days=30) if status in ("implemented", "confirmed") else None
        return rows_of.row(
            id=i,
            reference=f"CH-{published.year}-{i:03d}",
            title={"en": f"Change {i}: reminders before repairs visits", "cy": f"Newid {i}: nodiadau atgoffa"},
            what={"en": "We text you the day before a repairs visit.", "cy": "Rydyn ni'n anfon neges destun."},
            why={"en": "You told us engineers came when nobody was in."},
            easy_read={"en": "We send a text before we come."},
            status=status,
            percent=100 if implemented else rng.choice((0, 20, 50, 80)),
            changed_on=published.date(),
            implemented_at=min(implemented, world.today) if implemented else None,
            published_at=published,
            impact_yes=rng.randint(0, 20),
            impact_partly=rng.randint(0, 10),
            impact_no=rng.randint(0, 5),
            impact_dont_know=rng.randint(0, 3),
            created_at=published,
            updated_at=published,
        )

    yield rows_of.table("changes", CHANGES, iter([change_row(i) for i in range(1, CHANGES + 1)]))
    link = Rows(ChangeTheme, world.today)
    links = [(i, t) for i in range(1, CHANGES + 1) for t in rng.sample(range(1, PUBLIC_THEMES + 1), rng.randint(1, 3))]
    yield link.table("change themes", len(links), iter([link.row(change=c, theme=t) for c, t in links]))
    contact = Rows(ChangeContact, world.today)
    contacts = min(CONTACTS, world.sizes["contacts"])
    yield contact.table(
        "change contacts", contacts, iter([contact.row(change=1, contact=c) for c in range(1, contacts + 1)])
    )
    milestone = Rows(ChangeMilestone, world.today)
    yield milestone.table(
        "change milestones",
        MILESTONES,
        iter(
            [
                milestone.row(
                    change=1,
                    title={"en": f"Step {n}", "cy": f"Cam {n}"},
                    due_on=world.today.date() + dt.timedelta(days=30 * (n - 3)),
                    done_on=world.today.date() - dt.timedelta(days=30 * (3 - n)) if n < 3 else None,
                    position=n,
                )
                for n in range(1, MILESTONES + 1)
            ]
        ),
    )
    update = Rows(ChangeUpdate, world.today)
    yield update.table(
        "change updates",
        UPDATES,
        iter(
            [
                update.row(
                    change=1,
                    kind="percent",
                    status="in_progress",
                    percent=min(100, n * 8),
                    note={"en": f"Update {n}."},
                    created_at=world.today - dt.timedelta(days=10 * (UPDATES - n)),
                )
                for n in range(1, UPDATES + 1)
            ]
        ),
    )
    yield comments(world, rng)


def comments(world: World, rng: random.Random) -> Table:
    """The first change's comments: published, a tenth of them staff replies to the one before."""
    rows_of = Rows(ChangeComment, world.today, explicit_ids=True)
    residents = world.sizes["residents"]

    def rows() -> Iterator[tuple[Any, ...]]:
        parent = None
        for i in range(1, COMMENTS + 1):
            at = world.today - dt.timedelta(hours=COMMENTS - i)
            reply = i % 10 == 0 and parent is not None
            body = "Thank you, this helped." if reply else f"The reminder text meant I was in when they came ({i})."
            yield rows_of.row(
                id=i,
                change=1,
                parent=parent if reply else None,
                author=world.first_staff_id if reply else rng.randint(1, residents),
                official=reply,
                body=body,
                body_public=body,
                status="published",
                created_at=at,
                updated_at=at,
            )
            if not reply:
                parent = i

    return rows_of.table("change comments", COMMENTS, rows())


def tables(world: World) -> Iterator[Table]:
    """The co-creation tables, in dependency order (after everything else)."""
    yield from extra_themes(world)
    yield from priority_round(world)
    yield from changes(world)
