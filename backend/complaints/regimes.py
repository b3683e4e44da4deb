"""What each complaints procedure allows: its statutory maxima and its grounds of exclusion.

The maxima (``RegimeLimit``) and the grounds come from the law or the ombudsman's model procedure and are
set by migrations. Admins may make a procedure stricter (shorter timescales), never looser: these checks run
on every change to a regime or one of its stages, from the console and the API alike.
"""

from __future__ import annotations

from typing import Any

from backend.complaints.models import Regime, RegimeLimit, RegimeStage
from backend.errors import Invalid


def limit_for(regime_id: int, number: int) -> RegimeLimit | None:
    """The statutory maxima of one stage of a procedure; None when the procedure sets none for it."""
    return RegimeLimit.get_or_none(RegimeLimit.regime == regime_id, RegimeLimit.number == number)


def refusal_grounds(regime: Regime) -> tuple[str, ...]:
    """The grounds of exclusion the regime's procedure allows, in its order."""
    return tuple(regime.refusal_grounds or ())


def validate_stage(record: Any, values: dict[str, Any]) -> None:
    """Refuse a stage setting beyond the procedure's maximum, or one that drops a required acknowledgement.

    ``record`` is the ``RegimeStage`` being changed and ``values`` the changed fields. Raises
    Invalid(field, "above_maximum", maximum=N), Invalid("acknowledge_days", "required_by_procedure", maximum=N)
    or Invalid("respond_from", "longer_than_procedure").
    """
    if not isinstance(record, RegimeStage):
        return
    limit = limit_for(record.regime_id, record.number)  # type: ignore[attr-defined]
    if limit is None:
        return
    acknowledge = values.get("acknowledge_days", record.acknowledge_days)
    if acknowledge is None and limit.acknowledge_required:
        raise Invalid("acknowledge_days", "required_by_procedure", maximum=limit.acknowledge_max)
    if acknowledge is not None and limit.acknowledge_max is not None and acknowledge > limit.acknowledge_max:
        raise Invalid("acknowledge_days", "above_maximum", maximum=limit.acknowledge_max)
    respond = values.get("respond_days", record.respond_days)
    if respond is not None and respond > limit.respond_max:
        raise Invalid("respond_days", "above_maximum", maximum=limit.respond_max)
    extension = values.get("max_extension_days", record.max_extension_days)
    if extension is not None and extension > limit.extension_max:
        raise Invalid("max_extension_days", "above_maximum", maximum=limit.extension_max)
    # Timing the response from the acknowledgement instead of receipt would give it up to a week more.
    if limit.respond_from == "receipt" and values.get("respond_from", record.respond_from) != "receipt":
        raise Invalid("respond_from", "longer_than_procedure")


# What residents are given about their Ombudsman: a name, and an address, phone and website.
OMBUDSMAN_NAME_MAX, OMBUDSMAN_DETAILS_MAX = 200, 2_000


def validate_regime(record: Any, values: dict[str, Any]) -> None:
    """Refuse removing a stage the procedure requires, and an Ombudsman's name or details past their size limit.

    Raises Invalid("max_stages", "below_statutory", minimum=N) or Invalid("ombudsman_name" or
    "ombudsman_details", "too_long", maximum=N)."""
    for name, maximum in (("ombudsman_name", OMBUDSMAN_NAME_MAX), ("ombudsman_details", OMBUDSMAN_DETAILS_MAX)):
        if len(values.get(name) or "") > maximum:
            raise Invalid(name, "too_long", maximum=maximum)
    if not isinstance(record, Regime):
        return
    stages = values.get("max_stages", record.max_stages)
    if stages is not None and stages < record.statutory_stages:
        raise Invalid("max_stages", "below_statutory", minimum=record.statutory_stages)


def published_procedure(nation: str) -> dict[str, Any] | None:
    """What the public "how to complain" page says for a home nation (Code 3.4-3.7), read from its regime.

    The stages with their working days, and the Ombudsman's name and details; None when no regime covers the
    nation. The page is generated from this, so it always says what the clocks really count.
    """
    regime = next(
        (
            r
            for r in Regime.select().where(Regime.archived_at.is_null()).order_by(Regime.id)
            if nation in (r.nations or [])
        ),
        None,
    )
    if regime is None:
        return None
    stages = (
        RegimeStage.select()
        .where(RegimeStage.regime == regime.id, RegimeStage.number <= regime.max_stages)
        .order_by(RegimeStage.number)
    )
    return {
        "nation": nation,
        "name": regime.name,
        "counting": regime.counting,
        "ombudsman_name": regime.ombudsman_name,
        "ombudsman_details": regime.ombudsman_details,
        "stages": [
            {
                "number": stage.number,
                "acknowledge_days": stage.acknowledge_days,
                "respond_days": stage.respond_days,
                "respond_from": stage.respond_from,
                "max_extension_days": stage.max_extension_days,
            }
            for stage in stages
        ],
    }
