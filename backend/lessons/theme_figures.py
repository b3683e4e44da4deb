"""A theme's figures: its monthly trend and its priority score, worked out in SQL aggregates and stored.

The trend counts, for each of the last 12 UK months (by the day each contact was received, in UK time): the
contacts linked to the theme, those of them that became complaints, and those complaints with a point decided
upheld or partly upheld.

The priority score is::

    residents_affected x w1 + upheld_complaints x w2 + impact x w3 + votes x w4

- residents_affected: the distinct residents whose contacts are linked (a contact with no resident account counts
  once on its own);
- upheld_complaints: the linked contacts' complaints with a point upheld or partly upheld;
- impact: the sum of the linked lessons' business and resident impact ratings (1-5 each; unrated counts 0);
- votes: residents' votes for the theme: the dots it received in priority rounds counted whose voting closed in the
  last 12 months (``VOTES_MONTHS``; cancelled rounds never count). Read on reading from the rounds' counted ballots
  (``RoundTheme.votes``), so the score moves as soon as a round is counted (which also moves the ballot's themes'
  figures' version) and an old round drops out of the score when its year is up.

The weights are the rows of ``PriorityWeight``, which managers edit (``backend.lessons.themes.set_weights``).
The figures are statistics over every linked contact; they name nobody. A member of staff is shown them less what
the cases hidden from them add (a need-to-know case not on their list, a complaint that names them): a count must
not reveal a case that every list answers "not there" for (:func:`hidden_from`).

Counting every linked contact takes too long for a page (a theme may have thousands), so each theme's figures are
stored (``ThemeFigures`` and ``ThemeMonthFigures``) and worked out again only when they are out of date: the
database's triggers (:mod:`backend.lessons.figure_triggers`) move a theme's version whenever something they count
changes, and a new UK month moves the trend's window. :func:`ensure_current` works out those out of date, in a few
grouped statements for all of them; the API calls it before it reads a theme, and a periodic task
(``tasks.lessons``) keeps it so between readers. The score is worked out on reading, from the stored figures and
the weights as they are then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from peewee import JOIN, SQL, Case, fn

from backend.cocreation.models import PriorityRound, RoundStatus, RoundTheme
from backend.complaints.models import Complaint, ComplaintPoint, Contact, PointDecision
from backend.complaints.restricted import hidden_contacts
from backend.db import is_postgres, transaction
from backend.lessons.models import (
    ContactTheme,
    Lesson,
    LessonTheme,
    PriorityWeight,
    ThemeFigures,
    ThemeMonthFigures,
)
from backend.timeutil import LOCAL_ZONE, local_date, utcnow

MONTHS = 12
UPHELD = ("upheld", "partly_upheld")
#: Residents' votes count towards a theme's priority score for this long after the round closed (in months).
VOTES_MONTHS = 12


@dataclass(frozen=True)
class MonthFigures:
    """One UK month of a theme's trend."""

    month: dt.date  # its first day
    contacts: int
    complaints: int
    upheld_complaints: int


def month_starts(today: dt.date | None = None, months: int = MONTHS) -> list[dt.date]:
    """The first days of the last ``months`` UK months, oldest first, this month last."""
    today = today or local_date()
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return starts[::-1]


def _utc(day: dt.date) -> dt.datetime:
    """The stored (naive UTC) moment UK midnight starts ``day``."""
    return dt.datetime.combine(day, dt.time(), LOCAL_ZONE).astimezone(dt.UTC).replace(tzinfo=None)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + 1, 1, 1) if day.month == 12 else dt.date(day.year, day.month + 1, 1)


def _upheld(complaint_id: Any) -> Any:
    """SQL: whether the complaint has a point decided upheld or partly upheld."""
    return fn.EXISTS(
        PointDecision.select(SQL("1"))
        .join(ComplaintPoint, on=(PointDecision.point == ComplaintPoint.id))
        .where(ComplaintPoint.complaint == complaint_id, PointDecision.decision.in_(UPHELD))
    )


def trends(theme_id: int | None = None, today: dt.date | None = None) -> dict[int, list[MonthFigures]]:
    """Each theme's last 12 UK months, oldest first, every month present, counted now; one statement for every theme.

    ``theme_id`` narrows it to one theme. A theme with no linked contacts in the period has no entry.
    """
    return _trends(None if theme_id is None else [theme_id], today)


def _trends(theme_ids: list[int] | None, today: dt.date | None, contacts: Any = None) -> dict[int, list[MonthFigures]]:
    starts = month_starts(today)
    bounds = [(_utc(start), _utc(_next_month(start))) for start in starts]
    bucket = Case(
        None, [((Contact.received_at >= low) & (Contact.received_at < high), i) for i, (low, high) in enumerate(bounds)]
    )
    query: Any = (
        ContactTheme.select(
            ContactTheme.theme.alias("theme"),
            bucket.alias("bucket"),
            fn.COUNT(fn.DISTINCT(Contact.id)).alias("contacts"),
            fn.COUNT(fn.DISTINCT(Complaint.id)).alias("complaints"),
            fn.COUNT(fn.DISTINCT(Case(None, [(_upheld(Complaint.id), Complaint.id)], None))).alias("upheld"),
        )
        .join(Contact, on=(ContactTheme.contact == Contact.id))
        .join(Complaint, join_type=JOIN.LEFT_OUTER, on=(Complaint.contact == Contact.id))
        .where(Contact.received_at >= bounds[0][0], Contact.received_at < bounds[-1][1])
        .group_by(SQL("theme"), SQL("bucket"))
        .tuples()
    )
    if theme_ids is not None:
        query = query.where(ContactTheme.theme.in_(theme_ids))
    if contacts is not None:
        query = query.where(ContactTheme.contact.in_(contacts))
    found: dict[int, dict[int, tuple[int, int, int]]] = {}
    for theme, b, c, k, u in query:
        if b is not None:
            found.setdefault(int(theme), {})[int(b)] = (c, k, u)
    return {
        theme: [MonthFigures(start, *months.get(i, (0, 0, 0))) for i, start in enumerate(starts)]
        for theme, months in found.items()
    }


def trend(theme_id: int, today: dt.date | None = None) -> list[MonthFigures]:
    """The theme's last 12 UK months, oldest first, every month present (0s where nothing happened)."""
    return trends(theme_id, today).get(theme_id) or empty_trend(today)


def empty_trend(today: dt.date | None = None) -> list[MonthFigures]:
    """The last 12 UK months with nothing in them."""
    return [MonthFigures(start, 0, 0, 0) for start in month_starts(today)]


# --- Working the figures out and storing them. -----------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    """A theme's figures over every linked contact and lesson."""

    residents_affected: int = 0
    contacts: int = 0
    complaints: int = 0
    upheld_complaints: int = 0
    impact: int = 0


def totals(theme_ids: list[int]) -> dict[int, Totals]:
    """The themes' totals, counted now: two grouped statements whatever the number of themes."""
    counted: Any = (
        ContactTheme.select(
            ContactTheme.theme,
            # The distinct residents, plus each contact with no resident account once (a contact is linked once).
            fn.COUNT(fn.DISTINCT(Contact.resident)) + fn.SUM(Case(None, [(Contact.resident.is_null(), 1)], 0)),
            fn.COUNT(Contact.id),
            fn.COUNT(Complaint.id),
            fn.SUM(Case(None, [(Complaint.id.is_null(False) & _upheld(Complaint.id), 1)], 0)),
        )
        .join(Contact, on=(ContactTheme.contact == Contact.id))
        .join(Complaint, join_type=JOIN.LEFT_OUTER, on=(Complaint.contact == Contact.id))
        .where(ContactTheme.theme.in_(theme_ids))
        .group_by(ContactTheme.theme)
        .tuples()
    )
    impacts: Any = (
        LessonTheme.select(
            LessonTheme.theme,
            fn.SUM(fn.COALESCE(Lesson.business_impact, 0) + fn.COALESCE(Lesson.resident_impact, 0)),
        )
        .join(Lesson, on=(LessonTheme.lesson == Lesson.id))
        .where(LessonTheme.theme.in_(theme_ids))
        .group_by(LessonTheme.theme)
        .tuples()
    )
    impact = {int(theme): int(total or 0) for theme, total in impacts}
    found = {theme: Totals(impact=impact.get(theme, 0)) for theme in theme_ids}
    for theme, residents, contacts, complaints, upheld in counted:
        found[int(theme)] = Totals(
            int(residents or 0), int(contacts or 0), int(complaints or 0), int(upheld or 0), impact.get(int(theme), 0)
        )
    return found


def out_of_date(today: dt.date | None = None, lock: bool = False) -> dict[int, int]:
    """The themes whose stored figures are out of date, with the version each has now.

    ``lock`` (inside a transaction): on PostgreSQL, lock their rows, in theme order, so that two readers working
    the same figures out take turns, and the second finds them current once the first has committed (SQLite's
    write lock, taken when the transaction begins, does the same there).
    """
    current = month_starts(today)[-1]
    rows: Any = (
        ThemeFigures.select(ThemeFigures.theme, ThemeFigures.version)
        .where(
            (ThemeFigures.version != ThemeFigures.refreshed_version)
            | ThemeFigures.month.is_null()
            | (ThemeFigures.month != current)
        )
        .order_by(ThemeFigures.theme)
        .tuples()
    )
    if lock and is_postgres():
        rows = rows.for_update()
    return {int(theme): int(version) for theme, version in rows}


def refresh(theme_ids: list[int] | None = None, today: dt.date | None = None) -> int:
    """Work out and store the figures of ``theme_ids`` (None: every theme out of date); return how many.

    The version each theme had before counting is the one stored as refreshed, so a change made while counting
    leaves the theme out of date for the next reader rather than lost.
    """
    starts = month_starts(today)
    with transaction():
        if theme_ids is None:
            versions = out_of_date(today, lock=True)
        else:
            chosen: Any = (
                ThemeFigures.select(ThemeFigures.theme, ThemeFigures.version)
                .where(ThemeFigures.theme.in_(theme_ids))
                .order_by(ThemeFigures.theme)
                .tuples()
            )
            if is_postgres():
                chosen = chosen.for_update()
            versions = {int(theme): int(version) for theme, version in chosen}
        if not versions:
            return 0
        ids = sorted(versions)
        counted = totals(ids)
        months = _trends(ids, today)
        now = utcnow()
        for theme in ids:
            figures = counted[theme]
            ThemeFigures.update(
                residents_affected=figures.residents_affected,
                contacts=figures.contacts,
                complaints=figures.complaints,
                upheld_complaints=figures.upheld_complaints,
                impact=figures.impact,
                month=starts[-1],
                refreshed_version=versions[theme],
                refreshed_at=now,
            ).where(ThemeFigures.theme == theme).execute()
        ThemeMonthFigures.delete().where(ThemeMonthFigures.theme.in_(ids)).execute()
        rows = [
            {
                "theme": theme,
                "month": m.month,
                "contacts": m.contacts,
                "complaints": m.complaints,
                "upheld_complaints": m.upheld_complaints,
            }
            for theme, trend_ in months.items()
            for m in trend_
            if m.contacts
        ]
        for start in range(0, len(rows), 200):
            ThemeMonthFigures.insert_many(rows[start : start + 200]).execute()
    return len(ids)


def ensure_current(today: dt.date | None = None) -> int:
    """Work out the figures of every theme out of date (one quick statement when none is); return how many."""
    return refresh(None, today) if out_of_date(today) else 0


def stored_trends(today: dt.date | None = None) -> dict[int, list[MonthFigures]]:
    """Each theme's last 12 UK months as stored, oldest first, every month present; one statement for all."""
    starts = month_starts(today)
    found: dict[int, dict[dt.date, tuple[int, int, int]]] = {}
    rows: Any = (
        ThemeMonthFigures.select(
            ThemeMonthFigures.theme,
            ThemeMonthFigures.month,
            ThemeMonthFigures.contacts,
            ThemeMonthFigures.complaints,
            ThemeMonthFigures.upheld_complaints,
        )
        .where(ThemeMonthFigures.month >= starts[0], ThemeMonthFigures.month <= starts[-1])
        .tuples()
    )
    for theme, month, contacts, complaints, upheld in rows:
        day = month if isinstance(month, dt.date) else dt.date.fromisoformat(str(month))
        found.setdefault(int(theme), {})[day] = (int(contacts), int(complaints), int(upheld))
    return {
        theme: [MonthFigures(start, *months.get(start, (0, 0, 0))) for start in starts]
        for theme, months in found.items()
    }


# --- What the cases hidden from one person add to the figures. -------------------------------------------------


@dataclass(frozen=True)
class Hidden:
    """What the cases hidden from one person add to each theme's totals and months (themes they add nothing to are
    left out)."""

    totals: dict[int, Totals]
    months: dict[int, list[MonthFigures]]


def hidden_from(user_id: int | None, today: dt.date | None = None) -> Hidden:
    """What the contacts whose cases are hidden from this person add to each theme's figures: two statements,
    driven by those contacts (few, for nearly everyone).

    A resident counts as hidden only when none of their contacts linked to the theme is visible to the person.
    """
    hidden = hidden_contacts(user_id)
    others, resident = ContactTheme.alias(), Contact.alias()
    seen_elsewhere = fn.EXISTS(
        others.select(SQL("1"))
        .join(resident, on=(others.contact == resident.id))
        .where(
            others.theme == ContactTheme.theme,
            resident.resident == Contact.resident,
            resident.id.not_in(hidden_contacts(user_id)),
        )
    )
    rows: Any = (
        ContactTheme.select(
            ContactTheme.theme,
            fn.COUNT(fn.DISTINCT(Case(None, [(Contact.resident.is_null(False) & ~seen_elsewhere, Contact.resident)])))
            + fn.SUM(Case(None, [(Contact.resident.is_null(), 1)], 0)),
            fn.COUNT(Contact.id),
            fn.COUNT(Complaint.id),
            fn.SUM(Case(None, [(Complaint.id.is_null(False) & _upheld(Complaint.id), 1)], 0)),
        )
        .join(Contact, on=(ContactTheme.contact == Contact.id))
        .join(Complaint, join_type=JOIN.LEFT_OUTER, on=(Complaint.contact == Contact.id))
        .where(ContactTheme.contact.in_(hidden))
        .group_by(ContactTheme.theme)
        .tuples()
    )
    totals_ = {
        int(theme): Totals(int(residents or 0), int(contacts or 0), int(complaints or 0), int(upheld or 0))
        for theme, residents, contacts, complaints, upheld in rows
    }
    months = _trends(list(totals_), today, contacts=hidden_contacts(user_id)) if totals_ else {}
    return Hidden(totals_, months)


def visible_trend(stored: list[MonthFigures], hidden: list[MonthFigures] | None) -> list[MonthFigures]:
    """A stored trend less the hidden cases' months."""
    if not hidden:
        return stored
    return [
        MonthFigures(
            m.month, m.contacts - h.contacts, m.complaints - h.complaints, m.upheld_complaints - h.upheld_complaints
        )
        for m, h in zip(stored, hidden, strict=True)
    ]


# --- Reading the stored figures: SQL that takes the theme's id column, for the API's computed fields. -----------


def _less(theme_id: Any, hidden: Hidden | None, figure: str) -> Any:
    """SQL: what the hidden cases add to ``figure`` of the theme, as constants by theme id (0 for most)."""
    cut = [] if hidden is None else [(t, getattr(v, figure)) for t, v in hidden.totals.items() if getattr(v, figure)]
    return Case(theme_id, cut, 0) if cut else None


def stored_sql(figure: str) -> Any:
    """SQL for one stored figure (a column of ``ThemeFigures``) of the theme whose id column is given, less what the
    cases hidden from the viewer add (``hidden``, from :func:`hidden_from`; None: nothing)."""
    column = getattr(ThemeFigures, figure)

    def sql(theme_id: Any, hidden: Hidden | None = None) -> Any:
        value = fn.COALESCE(ThemeFigures.select(column).where(ThemeFigures.theme == theme_id), 0)
        less = _less(theme_id, hidden, figure)
        return value if less is None else value - less

    return sql


def votes_since(today: dt.date | None = None) -> dt.datetime:
    """The stored moment from which counted rounds' votes count: UK midnight starting this day 12 months ago."""
    today = today or local_date()
    months = today.year * 12 + today.month - 1 - VOTES_MONTHS
    year, month = divmod(months, 12)
    start = dt.date(year, month + 1, 1) + dt.timedelta(days=today.day - 1)
    if start.month != month + 1:  # the 29th to 31st of a shorter month: its last day
        start = dt.date(year, month + 1, 1).replace(day=28)
    return _utc(start)


def votes_sql(theme_id: Any) -> Any:
    """SQL: residents' votes for the theme: the dots it received in the rounds counted whose voting closed in the
    last 12 months."""
    received = (
        RoundTheme.select(fn.SUM(RoundTheme.votes))
        .join(PriorityRound, on=(RoundTheme.round == PriorityRound.id))
        .where(
            RoundTheme.theme == theme_id,
            PriorityRound.status == RoundStatus.PUBLISHED,
            PriorityRound.counted_at.is_null(False),
            PriorityRound.closes_at >= votes_since(),
        )
    )
    return fn.COALESCE(received, 0)


def _weight(factor: str) -> Any:
    return fn.COALESCE(PriorityWeight.select(PriorityWeight.weight).where(PriorityWeight.factor == factor), 0.0)


def priority_sql(theme_id: Any, hidden: Hidden | None = None) -> Any:
    """SQL: the theme's priority score (see the module's docstring) from its stored figures less what the cases
    hidden from the viewer add (``hidden``), a real number."""
    residents: Any = ThemeFigures.residents_affected
    upheld: Any = ThemeFigures.upheld_complaints
    if (less := _less(theme_id, hidden, "residents_affected")) is not None:
        residents = residents - less
    if (less := _less(theme_id, hidden, "upheld_complaints")) is not None:
        upheld = upheld - less
    stored = ThemeFigures.select(
        (
            residents * _weight("residents_affected")
            + upheld * _weight("upheld_complaints")
            + ThemeFigures.impact * _weight("impact")
            + votes_sql(theme_id) * _weight("votes")
        )
        * 1.0
    ).where(ThemeFigures.theme == theme_id)
    return fn.COALESCE(stored, 0.0)
