"""The console's overview: tiles that count each queue of work and link to it, and two charts.

``TILES`` is the one list of tiles, in the order the page shows them within their group (``GROUPS``). A tile
counts with the same filter its queue uses (``cases.queue_where``), so the number and the queue always agree, and
every count runs through the API as the viewer, so it respects every access rule. Add a tile by adding a ``Tile``
to ``TILES``: a label, a group, how to count and where it links.

The charts (complaints received per week and answers in time per month) are drawn on the server as SVG, with the
same figures in a table beside them, from aggregates the API works out in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from backend.timeutil import LOCAL_ZONE, local_date
from portal import operations
from portal.console.complaints.cases import end_of_week, queue_where
from portal.security import current_actor

GROUPS = {
    "mine": _l("Your work"),
    "new": _l("New work"),
    "team": _l("Your team"),
}
WEEKS = 12
MONTHS = 12


def _everyone(actor: Any) -> bool:
    return True


def _managers(actor: Any) -> bool:
    return bool(actor.has_role("manager"))


@dataclass(frozen=True)
class Tile:
    """One count on the overview. ``count`` and ``href`` run when the page is drawn, as the viewer."""

    key: str
    group: str
    label: Any
    count: Callable[[], int]
    href: Callable[[], str]
    shown: Callable[[Any], bool] = _everyone
    # Said under the number, e.g. what the count includes.
    hint: Any = None


def _sum(groups: list[dict[str, Any]]) -> int:
    return sum(group["count"] for group in groups)


def queue_tile(key: str, group: str, label: Any, view: str, hint: Any = None, **args: str) -> Tile:
    """A tile for a complaint queue (or ``new`` contacts) with its filters: counts it and links to it."""

    def count() -> int:
        where = queue_where(view, **args)
        if view == "new":
            return _sum(operations.run("ConsoleContactCount", {"where": where})["contactsAggregate"])
        return _sum(operations.run("ConsoleComplaintCount", {"where": where})["complaintsAggregate"])

    def href() -> str:
        values: dict[str, Any] = {"view": view, **args}
        return url_for("console.complaints", **values)

    shown = _managers if group == "team" else _everyone
    return Tile(key, group, label, count, href, shown=shown, hint=hint)


def _hazards_count() -> int:
    return _sum(operations.run("ConsoleHazardCount")["hazardsAggregate"])


def _calls_count() -> int:
    return int(operations.run("ConsoleCallCount")["callTasks"]["totalCount"])


TILES: list[Tile] = [
    queue_tile("today", "mine", _l("Due today or overdue"), "today"),
    queue_tile("week", "mine", _l("Due this week"), "week", hint=_l("Including today and overdue")),
    queue_tile("mine_at_risk", "mine", _l("At risk"), "at_risk", mine="1", hint=_l("Due within 2 working days")),
    queue_tile("mine_breached", "mine", _l("Breached"), "breached", mine="1"),
    queue_tile("new_contacts", "new", _l("Contacts to classify"), "new"),
    queue_tile("unassigned", "new", _l("Complaints nobody handles"), "unassigned"),
    queue_tile("unacknowledged", "new", _l("Not yet acknowledged"), "unacknowledged"),
    Tile("calls", "new", _l("Calls to make"), _calls_count, lambda: url_for("console.calls")),
    Tile("hazards", "new", _l("Open hazards"), _hazards_count, lambda: url_for("console.hazards")),
    queue_tile("team_open", "team", _l("Open"), "open", team="1"),
    queue_tile("team_at_risk", "team", _l("At risk"), "at_risk", team="1"),
    queue_tile("team_breached", "team", _l("Breached"), "breached", team="1"),
]


@dataclass
class Counted:
    tile: Tile
    count: int
    href: str


@dataclass
class Group:
    key: str
    title: Any
    tiles: list[Counted] = field(default_factory=list)


def counted_tiles() -> list[Group]:
    """The tiles the viewer sees, counted, in their groups (a group with no tile for the viewer is left out)."""
    actor = current_actor()
    groups = {key: Group(key, title) for key, title in GROUPS.items()}
    for tile in TILES:
        if tile.shown(actor):
            groups[tile.group].tiles.append(Counted(tile, tile.count(), tile.href()))
    return [group for group in groups.values() if group.tiles]


def _midnight(day: dt.date) -> str:
    """The start of a UK day, as the API's DateTime."""
    return dt.datetime.combine(day, dt.time(), tzinfo=LOCAL_ZONE).isoformat()


def _month_start(day: dt.date, back: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Bar:
    label: str
    # What the table says (a count, or a percentage with what it is of).
    text: str
    value: float | None


def chart_data() -> dict[str, list[Bar]]:
    """Complaints opened in each of the last 12 weeks (to the end of this one) and the share of answers given in
    time in each of the last 12 months (to the end of this one). Weeks start on Monday; months and weeks are
    counted by the API in the database."""
    today = local_date()
    monday = end_of_week(today) - dt.timedelta(days=6)
    weeks = [monday - dt.timedelta(weeks=WEEKS - 1 - i) for i in range(WEEKS)]
    months = [_month_start(today, MONTHS - 1 - i) for i in range(MONTHS)]
    data = operations.run(
        "ConsoleDashboardCharts", {"weeksFrom": _midnight(weeks[0]), "monthsFrom": _midnight(months[0])}
    )
    per_week = {group["key"]["week"]: group["count"] for group in data["received"]}
    answered = {group["key"]["metMonth"]: group["count"] for group in data["answered"]}
    in_time = {group["key"]["metMonth"]: group["count"] for group in data["inTime"]}
    received = []
    for day in weeks:
        count = per_week.get(day.isoformat(), 0)
        received.append(Bar(format_date(day, "d MMM"), str(count), count))
    timely = []
    for first in months:
        key = first.strftime("%Y-%m")
        label = format_date(first, "MMM yyyy")
        given, kept = answered.get(key, 0), in_time.get(key, 0)
        if given:
            share = round(100 * kept / given)
            text = _l("%(share)s%% (%(in_time)s of %(answered)s)", share=share, in_time=kept, answered=given)
            timely.append(Bar(label, str(text), share))
        else:
            timely.append(Bar(label, str(_l("No answers")), None))
    return {"received": received, "timely": timely}
