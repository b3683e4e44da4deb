"""The panel's standing data in the API: the complaint and perception measures and the themes' trends, small
numbers hidden. For staff and panel members."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from backend.errors import Invalid
from backend.panels import standing
from backend.reports.periods import parse_period
from schema.access import PANEL_ROLES
from schema.access import STAFF_ROLES as STAFF
from schema.context import Context
from schema.engine.access import only_for
from schema.errors import argument_error


@strawberry.type(description="A published figure, or hidden because it rests on few people.")
class StandingFigure:
    code: str = strawberry.field(description="Its code, e.g. CH01(1) or TP01.")
    value: str | None = strawberry.field(description="Its value to one decimal place. Null: hidden or no value.")
    hidden: bool = strawberry.field(description="Hidden because it rests on fewer than 5 people.")


@strawberry.type(description="One UK month of a theme's trend; null where the count is small and hidden.")
class StandingMonth:
    month: dt.date = strawberry.field(description="The month's first day.")
    contacts: int | None = strawberry.field(description="Contacts linked to the theme. Null: hidden.")
    complaints: int | None = strawberry.field(description="Complaints among them. Null: hidden.")


@strawberry.type(description="A theme's last 12 months.")
class StandingTheme:
    name: str = strawberry.field(description="The theme's name as residents see it.")
    months: list[StandingMonth] = strawberry.field(description="Oldest first.")


@strawberry.type(description="The figures a scrutiny panel always has before it.")
class PanelStandingData:
    period: str = strawberry.field(description="The period's code.")
    complaints: list[StandingFigure] = strawberry.field(description="CH01 and CH02 by stage, both tenures together.")
    perception: list[StandingFigure] = strawberry.field(description="TP01 to TP12, all tenures.")
    themes: list[StandingTheme] = strawberry.field(description="The busiest themes' trends.")


def _figures(found: list[standing.StandingFigure]) -> list[StandingFigure]:
    return [StandingFigure(code=f.code, value=f.value, hidden=f.hidden) for f in found]


@only_for(PANEL_ROLES | STAFF)
@strawberry.type
class StandingQuery:
    @strawberry.field(
        description="The standing data for a period (the regulator's year so far when none is given), small numbers "
        "hidden. Staff and current panel members; anyone else gets null. A period code that is not valid is an "
        "error with `extensions.code` `BAD_USER_INPUT` and `extensions.field` `period`."
    )
    def panel_standing_data(
        self,
        info: Info[Context, None],
        period: Annotated[str | None, strawberry.argument(description="A period code, e.g. 2025/26.")] = None,
    ) -> PanelStandingData | None:
        actor = info.context.actor
        if not standing.may_read(actor):
            return None
        try:
            chosen = parse_period(period) if period else None
        except Invalid as error:
            raise argument_error(error, info.context) from None
        found = standing.standing_data(actor, chosen)
        return PanelStandingData(
            period=found.period.code,
            complaints=_figures(found.complaints),
            perception=_figures(found.perception),
            themes=[
                StandingTheme(
                    name=theme.name,
                    months=[
                        StandingMonth(month=m.month, contacts=m.contacts, complaints=m.complaints) for m in theme.months
                    ],
                )
                for theme in found.themes
            ],
        )


QUERIES = [StandingQuery]
