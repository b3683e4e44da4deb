"""The Ombudsman's findings and reports about the landlord, which the annual report lists (Code 2024 8.1(c), (e)
and (f)): managers record them with ``backend.records`` through this spec's checks."""

from __future__ import annotations

from typing import Any

from peewee import Model

from backend.errors import gather
from backend.reports.models import OmbudsmanPublication, OmbudsmanPublicationKind
from backend.reports.periods import EARLIEST, Period
from backend.timeutil import local_date

LINK_STARTS = ("https://",)
#: The longest summary of a publication: it is published whole in the annual report.
MAX_SUMMARY = 5_000


def validate(record: Model | None, values: dict[str, Any]) -> None:
    """A publication's day is not in the future nor before 2000, its summary at most :data:`MAX_SUMMARY` characters,
    and its link is a web address (https)."""
    with gather() as problems:
        day = values.get("published_on")
        if day is not None and day > local_date():
            problems.add("published_on", "in_future")
        elif day is not None and day < EARLIEST:
            problems.add("published_on", "too_early", about="ombudsman_publication")
        summary = values.get("summary")
        if summary and len(summary) > MAX_SUMMARY:
            problems.add("summary", "too_long", maximum=MAX_SUMMARY)
        link = values.get("link")
        if link and (not link.startswith(LINK_STARTS) or any(c.isspace() for c in link)):
            problems.add("link", "invalid", about="ombudsman_publication")


def in_period(period: Period, kinds: tuple[str, ...] = OmbudsmanPublicationKind.codes()) -> list[Any]:
    """The publications issued in the period of the kinds given, oldest first, leaving out those archived."""
    return list(
        OmbudsmanPublication.select()
        .where(
            OmbudsmanPublication.kind.in_(kinds)
            & OmbudsmanPublication.archived_at.is_null()
            & (OmbudsmanPublication.published_on >= period.first)
            & (OmbudsmanPublication.published_on <= period.last)
        )
        .order_by(OmbudsmanPublication.published_on, OmbudsmanPublication.id)
    )
