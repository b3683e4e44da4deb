"""Whether a change made a difference: "implemented by the landlord" beside "confirmed by residents" on a change's
page. The figure is :func:`backend.cocreation.impact.impact_figure`, the one the API's ``changeImpact`` gives."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import format_date

from backend.cocreation.impact import impact_figure
from backend.cocreation.models import Change, ChangeStatus

# The API's names for the counts, and the model's columns they come from when the page did not read them.
COUNTS = (
    ("impactYes", "impact_yes"),
    ("impactPartly", "impact_partly"),
    ("impactNo", "impact_no"),
    ("impactDontKnow", "impact_dont_know"),
)


def _day(raw: Any) -> str | None:
    """A UK day in the reader's language, from an ISO time or date as the API gives it (or a datetime)."""
    if not raw:
        return None
    if isinstance(raw, str):
        raw = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return format_date(raw, "long")


def _counts(change: dict[str, Any]) -> tuple[int, int, int, int]:
    if all(key in change for key, _column in COUNTS):
        return tuple(int(change[key] or 0) for key, _column in COUNTS)  # type: ignore[return-value]
    row = Change.get_or_none(Change.reference == change.get("reference"))
    if row is None:
        return 0, 0, 0, 0
    return tuple(int(getattr(row, column)) for _key, column in COUNTS)  # type: ignore[return-value]


def change_page_part(change: dict[str, Any]) -> dict[str, Any]:
    """What the change page needs to show this part (``_impact.html`` reads it as ``impact``), for the change as
    read through the API: when it was implemented, whether residents confirmed it, and the share of those who
    answered who said it made a difference (none below five answers)."""
    share, answered = impact_figure(*_counts(change))
    return {
        "implemented_on": _day(change.get("implementedAt")),
        "confirmed_on": _day(change.get("confirmedAt")),
        "confirmed": change.get("status") == ChangeStatus.CONFIRMED,
        "share": share,
        "answered": answered,
    }
