"""The method statement of a tenant perception survey, per survey and regulator's year (1 April to 31 March).

The Regulator of Social Housing asks landlords to publish, beside the tenant perception measures, how the survey was
carried out: the method, the sample size achieved, the population it was drawn from, how the results were weighted and
when the fieldwork ran. Managers record it; every change is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from peewee import IntegrityError

from backend.audit.services import field_changes, record_audit
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed, NotFound, gather
from backend.reports.periods import EARLIEST, regulator_year
from backend.surveys.models import TSM_METHODS, TsmSurveyMethod
from backend.surveys.policies import can_record_tsm_method
from backend.surveys.services import get_survey
from backend.timeutil import utcnow

FIELDS = ("method", "sample_size", "population", "weighting", "fieldwork_start", "fieldwork_end")
MAX_COUNT = 10_000_000
MAX_WEIGHTING = 2000
LAST_YEAR = 2100


def _check(actor: Actor, action: str) -> None:
    if not can_record_tsm_method(actor):
        raise NotAllowed(f"tsm_survey_method.{action}")


def get_method(method_id: int) -> TsmSurveyMethod:
    """Return the method record; raise ``NotFound("tsm_survey_method")`` if there is none."""
    found = TsmSurveyMethod.get_or_none(TsmSurveyMethod.id == method_id)
    if found is None:
        raise NotFound("tsm_survey_method", method_id)
    return found


def _count(field: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_COUNT:
        raise Invalid(field, "out_of_range", minimum=1, maximum=MAX_COUNT)
    return value


def _day(field: str, value: Any) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise Invalid(field, "invalid")
    return value


def _clean(values: Mapping[str, Any], creating: bool) -> dict[str, Any]:
    """The values as stored; raise one Invalid listing every problem with them."""
    cleaned: dict[str, Any] = {}
    with gather() as problems:
        for name in sorted(set(values) - set(FIELDS)):
            problems.add(name, "unknown_field")
        for name in FIELDS:
            if name not in values or values[name] is None:
                if creating and name != "weighting":
                    problems.add(name, "required")
                continue
            with problems.check():
                value = values[name]
                if name == "method":
                    if value not in TSM_METHODS:
                        raise Invalid(name, "unsupported")
                elif name in ("sample_size", "population"):
                    value = _count(name, value)
                elif name == "weighting":
                    value = str(value).strip()
                    if len(value) > MAX_WEIGHTING:
                        raise Invalid(name, "too_long", maximum=MAX_WEIGHTING)
                else:
                    value = _day(name, value)
                cleaned[name] = value
    return cleaned


def _check_whole(year: int, record: Mapping[str, Any]) -> None:
    """Checks across fields: the sample is no bigger than the population, and the fieldwork runs forwards and lies
    within the regulator's year it is recorded for."""
    period = regulator_year(year)
    with gather() as problems:
        if record["sample_size"] > record["population"]:
            problems.add("sample_size", "above_population")
        start, end = record["fieldwork_start"], record["fieldwork_end"]
        if end < start:
            problems.add("fieldwork_end", "before_start")
        for name in ("fieldwork_start", "fieldwork_end"):
            if not period.contains(record[name]):
                problems.add(name, "outside_year", year=period.code)


def snapshot(record: TsmSurveyMethod) -> dict[str, Any]:
    return {"year": record.year, **{name: getattr(record, name) for name in FIELDS}}


def record_method(actor: Actor, survey_id: int, year: Any, **values: Any) -> TsmSurveyMethod:
    """Record how a survey was carried out in the regulator's year starting 1 April ``year``.

    Raises NotAllowed (managers only), NotFound("survey"), Invalid (every problem at once) or
    Conflict("duplicate") when the survey already has a record for that year.
    """
    _check(actor, "create")
    survey = get_survey(survey_id)
    if isinstance(year, bool) or not isinstance(year, int) or not EARLIEST.year <= year <= LAST_YEAR:
        raise Invalid("year", "out_of_range", minimum=EARLIEST.year, maximum=LAST_YEAR)
    cleaned = _clean(values, creating=True)
    cleaned.setdefault("weighting", "")
    _check_whole(year, cleaned)
    try:
        with transaction():
            made = TsmSurveyMethod.create(survey=survey, year=year, recorded_by=actor.user_id, **cleaned)
            record_audit(
                actor, "tsm_survey_method.created", "tsm_survey_method", made.id, field_changes(None, snapshot(made))
            )
    except IntegrityError:
        raise Conflict("duplicate") from None
    return made


def update_method(actor: Actor, method_id: int, **values: Any) -> TsmSurveyMethod:
    """Change the given fields of a method record; the survey and year stay. Whoever changes it becomes its recorder.

    Raises NotAllowed (managers only), NotFound("tsm_survey_method") or Invalid (every problem at once).
    """
    _check(actor, "update")
    cleaned = _clean(values, creating=False)
    record = get_method(method_id)
    before = snapshot(record)
    _check_whole(record.year, {**before, **cleaned})
    for name, value in cleaned.items():
        setattr(record, name, value)
    changes = field_changes(before, snapshot(record))
    if changes:
        record.recorded_by = actor.user_id  # type: ignore[assignment]
        record.updated_at = utcnow()
        with transaction():
            record.save()
            record_audit(actor, "tsm_survey_method.updated", "tsm_survey_method", record.id, changes)
    return record
