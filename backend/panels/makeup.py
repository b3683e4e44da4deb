"""A panel's make-up beside the landlord's residents: by age band, tenure, area, language and disability.

The Transparency, Influence and Accountability Standard asks landlords to understand how diverse the residents who
take part are. So each dimension splits the panel's current members and all active residents into groups, and the
two are shown side by side as counts and shares.

Age band and disability come only from equality answers kept with consent (``EqualityProfile``); someone who gave
none is "not recorded". Tenure and area come from the home (the area is the postcode's outward code, e.g. "M14"),
the language from the account. Small numbers are hidden by the reports' rule (``backend.reports.suppression``): a
panel is small, so most of its figures are hidden, which is the point: nobody on it can be picked out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from peewee import JOIN

from backend.accounts.models import Home, User, UserRole
from backend.context import Actor
from backend.errors import NotAllowed
from backend.panels.meetings import members_on
from backend.panels.panels import get_panel
from backend.reports.models import EqualityProfile
from backend.reports.suppression import Sum, suppress
from backend.timeutil import local_date

DIMENSIONS = ("age_band", "tenure", "area", "language", "disability")
NOT_RECORDED = "not_recorded"
TOTAL = "total"


@dataclass(frozen=True)
class GroupFigures:
    """One group of a dimension: how many of the panel and of the residents are in it, and their shares (percent,
    whole numbers); None where hidden."""

    group: str
    panel: int | None
    panel_share: int | None
    residents: int | None
    residents_share: int | None


@dataclass(frozen=True)
class DimensionFigures:
    dimension: str
    groups: list[GroupFigures]
    panel_total: int | None
    residents_total: int | None


def _outward(postcode: str | None) -> str:
    code = (postcode or "").strip().upper()
    return code.split()[0] if " " in code else (code[:-3] if len(code) > 4 else code) or NOT_RECORDED


def _rows(user_ids: Iterable[int] | None) -> list[Any]:
    """(age band, tenure, postcode, locale, disability) of the people given, or of every active resident."""
    query = (
        User.select(EqualityProfile.age_band, Home.tenure, Home.postcode, User.locale, EqualityProfile.disability)
        .join(Home, JOIN.LEFT_OUTER, on=User.home == Home.id)
        .switch(User)
        .join(EqualityProfile, JOIN.LEFT_OUTER, on=EqualityProfile.user == User.id)
        .where(User.is_active == True)  # noqa: E712
    )
    if user_ids is None:
        query = query.where(User.id.in_(UserRole.select(UserRole.user).where(UserRole.role == "resident")))
    else:
        query = query.where(User.id.in_(list(user_ids)))
    return list(query.tuples())


def _counts(rows: list[Any]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {name: Counter() for name in DIMENSIONS}
    for age, tenure, postcode, locale, disability in rows:
        counts["age_band"][age or NOT_RECORDED] += 1
        counts["tenure"][tenure or NOT_RECORDED] += 1
        counts["area"][_outward(postcode) if postcode else NOT_RECORDED] += 1
        counts["language"][locale or NOT_RECORDED] += 1
        counts["disability"][disability or NOT_RECORDED] += 1
    return counts


def _shown(counter: Counter[str], groups: list[str]) -> tuple[dict[Hashable, int | None], int | None]:
    values: dict[Hashable, int] = {TOTAL: sum(counter.values()), **{group: counter.get(group, 0) for group in groups}}
    hidden = suppress(values, [Sum(TOTAL, groups, groups=True)])
    shown = {key: (None if key in hidden else value) for key, value in values.items()}
    return shown, shown.pop(TOTAL)


def _share(value: int | None, total: int | None) -> int | None:
    if value is None or not total:
        return None
    return round(100 * value / total)


def panel_makeup(actor: Actor, panel_id: int) -> list[DimensionFigures]:
    """The panel's current members beside all active residents, dimension by dimension, small numbers hidden.

    Staff only: raises NotAllowed for anyone else, NotFound("panel") when there is no such panel.
    """
    if not actor.is_staff:
        raise NotAllowed("panel.makeup")
    panel = get_panel(panel_id)
    members = [m.person_id for m in members_on(panel.id, local_date())]  # type: ignore[attr-defined]
    panel_counts = _counts(_rows(members))
    resident_counts = _counts(_rows(None))
    figures = []
    for dimension in DIMENSIONS:
        groups = sorted(set(panel_counts[dimension]) | set(resident_counts[dimension]))
        panel_shown, panel_total = _shown(panel_counts[dimension], groups)
        residents_shown, residents_total = _shown(resident_counts[dimension], groups)
        rows = [
            GroupFigures(
                group,
                panel_shown[group],
                _share(panel_shown[group], panel_total),
                residents_shown[group],
                _share(residents_shown[group], residents_total),
            )
            for group in groups
        ]
        figures.append(DimensionFigures(dimension, rows, panel_total, residents_total))
    return figures
