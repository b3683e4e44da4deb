"""The period a report page covers: read from ``?period=`` and checked as the API checks it, so a bad code is
shown on the page's own form with the API's words, and the recent years and quarters to choose from."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from flask_babel import format_date
from flask_babel import gettext as _

from backend.errors import Invalid
from backend.reports.periods import MAX_CODE_LENGTH, Period, parse_period, quarters, regulator_year, year_of
from backend.timeutil import local_date
from schema.error_texts import message_for

#: How many regulator's years the period form offers as links.
RECENT_YEARS = 5


@dataclass(frozen=True)
class ChosenPeriod:
    """The period asked for (None when it can't be used), the code as typed, and what is wrong with it."""

    period: Period | None
    code: str
    error: str | None


def chosen_period() -> ChosenPeriod:
    """The period in the address, or this regulator's year so far; a bad code keeps what was typed."""
    code = (request.args.get("period") or "").strip()[: MAX_CODE_LENGTH + 1]
    if not code:
        period = year_of(local_date())
        return ChosenPeriod(period, period.code, None)
    try:
        return ChosenPeriod(parse_period(code), code, None)
    except Invalid as error:
        return ChosenPeriod(None, code, message_for(error, _))


def period_label(period: Period) -> str:
    """The period in words: "2025/26 (1 April 2025 to 31 March 2026)"."""
    return _(
        "%(code)s (%(first)s to %(last)s)",
        code=period.code,
        first=format_date(period.first, "d MMMM y"),
        last=format_date(period.last, "d MMMM y"),
    )


def recent_periods() -> list[dict[str, str]]:
    """The last few regulator's years, newest first, each with its quarters that have started."""
    today = local_date()
    this_year = year_of(today).first.year
    found = []
    for year in range(this_year, this_year - RECENT_YEARS, -1):
        whole = regulator_year(year)
        found.append(
            {
                "code": whole.code,
                "quarters": [q.code for q in quarters(whole) if q.first <= today],  # type: ignore[dict-item]
            }
        )
    return found
