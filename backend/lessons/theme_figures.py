"""A theme's figures: its monthly trend and its priority score, each worked out in SQL aggregates.

The trend counts, for each of the last 12 UK months (by the day each contact was received, in UK time): the
contacts linked to the theme, those of them that became complaints, and those complaints with a point decided
upheld or partly upheld.

The priority score is::

    residents_affected x w1 + upheld_complaints x w2 + impact x w3 + votes x w4

- residents_affected: the distinct residents whose contacts are linked (a contact with no resident account counts
  once on its own);
- upheld_complaints: the linked contacts' complaints with a point upheld or partly upheld;
- impact: the sum of the linked lessons' business and resident impact ratings (1-5 each; unrated counts 0);
- votes: residents' votes for the theme. Co-creation adds voting; until then the term's input is 0 (``VOTES_NOW``).

The weights are the rows of ``PriorityWeight``, which managers edit (``backend.lessons.themes.set_weights``).
The figures are statistics over every linked contact; they name nobody.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from peewee import JOIN, SQL, Case, Value, fn

from backend.complaints.models import Complaint, ComplaintPoint, Contact, PointDecision
from backend.lessons.models import ContactTheme, Lesson, LessonTheme, PriorityWeight
from backend.timeutil import LOCAL_ZONE, local_date

MONTHS = 12
UPHELD = ("upheld", "partly_upheld")
#: Residents' votes for a theme: 0 until the co-creation issue adds voting.
VOTES_NOW = 0


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
    """Each theme's last 12 UK months, oldest first, every month present; one statement for every theme.

    ``theme_id`` narrows it to one theme. A theme with no linked contacts in the period has no entry.
    """
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
    if theme_id is not None:
        query = query.where(ContactTheme.theme == theme_id)
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


# The SQL below takes the theme's id column, so the API can serve each figure as a computed field of a theme.


def residents_affected_sql(theme_id: Any) -> Any:
    """SQL: the distinct residents whose contacts are linked to the theme, plus contacts with no resident."""
    linked = (
        Contact.select(Contact.id)
        .join(ContactTheme, on=(ContactTheme.contact == Contact.id))
        .where(ContactTheme.theme == theme_id)
    )
    residents = Contact.select(fn.COUNT(fn.DISTINCT(Contact.resident))).where(Contact.id.in_(linked))
    nobody = Contact.select(fn.COUNT(Contact.id)).where(Contact.id.in_(linked), Contact.resident.is_null())
    return fn.COALESCE(residents, 0) + fn.COALESCE(nobody, 0)


def complaints_sql(theme_id: Any) -> Any:
    """SQL: the complaints opened from the contacts linked to the theme."""
    return (
        Complaint.select(fn.COUNT(Complaint.id))
        .join(ContactTheme, on=(ContactTheme.contact == Complaint.contact))
        .where(ContactTheme.theme == theme_id)
    )


def upheld_complaints_sql(theme_id: Any) -> Any:
    """SQL: those complaints with a point decided upheld or partly upheld."""
    return (
        Complaint.select(fn.COUNT(Complaint.id))
        .join(ContactTheme, on=(ContactTheme.contact == Complaint.contact))
        .where(ContactTheme.theme == theme_id, _upheld(Complaint.id))
    )


def impact_sql(theme_id: Any) -> Any:
    """SQL: the sum of the linked lessons' business and resident impact ratings (unrated: 0)."""
    return (
        Lesson.select(
            fn.COALESCE(fn.SUM(fn.COALESCE(Lesson.business_impact, 0) + fn.COALESCE(Lesson.resident_impact, 0)), 0)
        )
        .join(LessonTheme, on=(LessonTheme.lesson == Lesson.id))
        .where(LessonTheme.theme == theme_id)
    )


def votes_sql(theme_id: Any) -> Any:
    """SQL: residents' votes for the theme; VOTES_NOW until co-creation adds voting."""
    return Value(VOTES_NOW)


def _weight(factor: str) -> Any:
    return fn.COALESCE(PriorityWeight.select(PriorityWeight.weight).where(PriorityWeight.factor == factor), 0.0)


def priority_sql(theme_id: Any) -> Any:
    """SQL: the theme's priority score (see the module's docstring), a real number."""
    terms = (
        (residents_affected_sql, "residents_affected"),
        (upheld_complaints_sql, "upheld_complaints"),
        (impact_sql, "impact"),
        (votes_sql, "votes"),
    )
    total: Any = None
    for figure, factor in terms:
        term = fn.COALESCE(figure(theme_id), 0) * _weight(factor)
        total = term if total is None else total + term
    return total * 1.0
