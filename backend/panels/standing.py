"""The standing data the panel's workspace always shows: the complaint measures, the perception measures and the
themes' trends, with small numbers hidden.

Members are residents reading figures about their neighbours, so every figure that rests on fewer than
``backend.reports.suppression.THRESHOLD`` (5) complaints, responses or contacts is hidden, marked as hidden, never
shown as a number: a rate whose count is small (CH01), a percentage in time whose responses, in time or late, are
few (CH02), a perception measure with few answers, and a theme's month with few contacts or complaints. The
figures are for the regulator's year so far (or the period asked for), worked out when read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backend.context import Actor
from backend.errors import NotAllowed
from backend.lessons.models import Theme, ThemeText
from backend.lessons.theme_figures import trends
from backend.panels.access import current_memberships
from backend.reports import tsm_complaints, tsm_perception
from backend.reports.figures import Figure
from backend.reports.periods import Period, year_of
from backend.reports.suppression import THRESHOLD
from backend.timeutil import local_date

#: Themes shown, the busiest first.
MAX_THEMES = 10


@dataclass(frozen=True)
class StandingFigure:
    """One published figure: its code and value, or hidden (``value`` None and ``hidden`` True)."""

    code: str
    value: str | None
    hidden: bool = False


@dataclass(frozen=True)
class StandingMonth:
    """A theme's month: None where the count is small and hidden."""

    month: dt.date
    contacts: int | None
    complaints: int | None


@dataclass(frozen=True)
class ThemeTrend:
    name: str
    months: list[StandingMonth]


@dataclass(frozen=True)
class StandingData:
    period: Period
    complaints: list[StandingFigure]
    perception: list[StandingFigure]
    themes: list[ThemeTrend]


def _small(*counts: float) -> bool:
    return any(count < THRESHOLD for count in counts)


def _rate(figure: Figure) -> StandingFigure:
    """CH01: hidden when few complaints were received (a rate over known homes gives the count away)."""
    if _small(figure.numerator):
        return StandingFigure(figure.code, None, hidden=True)
    return StandingFigure(figure.code, figure.published)


def _share(figure: Figure) -> StandingFigure:
    """CH02: hidden when few responses were made, or few of them were in time, or few were late."""
    total = figure.denominator or 0
    if _small(total, figure.numerator, total - figure.numerator):
        return StandingFigure(figure.code, None, hidden=True)
    return StandingFigure(figure.code, figure.published)


def _hidden_count(count: int) -> int | None:
    return None if 0 < count < THRESHOLD else count


def _theme_names(ids: list[int]) -> dict[int, str]:
    names = {theme.id: theme.name for theme in Theme.select().where(Theme.id.in_(ids))}
    for text in ThemeText.select().where(ThemeText.theme.in_(ids), ThemeText.locale == "en"):
        names[text.theme_id] = text.name  # type: ignore[attr-defined]  # the name residents see
    return names


def theme_trends(today: dt.date | None = None) -> list[ThemeTrend]:
    """The busiest themes' last 12 months, small counts hidden."""
    found = trends(today=today)
    busiest = sorted(found, key=lambda theme: (-sum(month.contacts for month in found[theme]), theme))[:MAX_THEMES]
    names = _theme_names(busiest)
    return [
        ThemeTrend(
            names.get(theme, ""),
            [
                StandingMonth(month.month, _hidden_count(month.contacts), _hidden_count(month.complaints))
                for month in found[theme]
            ],
        )
        for theme in busiest
    ]


def may_read(actor: Actor) -> bool:
    """Staff, and current members of a panel."""
    return actor.is_staff or bool(current_memberships(actor.user_id).exists())


def standing_data(actor: Actor, period: Period | None = None) -> StandingData:
    """The figures for ``period`` (the regulator's year so far by default), small numbers hidden.

    Raises NotAllowed for anyone but staff and current panel members.
    """
    if not may_read(actor):
        raise NotAllowed("panel.standing_data")
    period = period or year_of(local_date())
    found = tsm_complaints.compute(period)
    both = next(tenure for tenure in found.tenures if tenure.tenure is None)
    complaints = [_rate(figure) for figure in both.ch01.values()] + [_share(figure) for figure in both.ch02.values()]
    report = tsm_perception.measures_over(period)
    group = report.group(tsm_perception.ALL)
    perception = [
        StandingFigure(measure.code, None, hidden=True)
        if _small(measure.count)
        else StandingFigure(measure.code, measure.published)
        for measure in group.measures
    ]
    return StandingData(period, complaints, perception, theme_trends())
