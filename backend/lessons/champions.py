"""Lessons-learnt champions: each team names its champions, who follow the team's lessons and actions.

Managers appoint and end them (Lessons Learnt Framework 4.1.12). A champion is active from the day appointed to
the day ended (inclusive); the console's "My team" page lists the lessons and actions of their teams.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.audit.services import field_changes, record_audit
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, NotFound, gather
from backend.lessons.models import Champion, ImprovementAction, Lesson
from backend.lessons.sharing import MAX_TEAM, MAX_TEXT, active_staff, day, require_manager, text, values_of
from backend.timeutil import local_date, utcnow

FIELDS = ("person", "team", "appointed_on", "ended_on", "responsibilities")


def active(today: dt.date | None = None) -> Any:
    """The condition for a champion active on ``today`` (default: the UK day now)."""
    today = today or local_date()
    return (Champion.appointed_on <= today) & (Champion.ended_on.is_null() | (Champion.ended_on >= today))


def appoint_champion(
    actor: Actor, person_id: int | None, team: str, appointed_on: Any, responsibilities: str = ""
) -> Champion:
    """Name a member of staff a lessons-learnt champion for a team, from a day.

    Managers only. Raises NotAllowed, Invalid listing every problem (``person`` "not_staff"; ``team`` "required"
    or "too_long"; ``appointed_on`` "required" or "invalid"; ``responsibilities`` "too_long"), or
    Conflict("already_champion") when they are already an active champion of that team.
    """
    require_manager(actor, "champion.appoint")
    with gather() as problems:
        person = active_staff(person_id)
        if person is None:
            problems.add("person", "not_staff")
        name = text(problems, "team", team, MAX_TEAM, required=True, line=True)
        first = day(problems, "appointed_on", appointed_on)
        duties = text(problems, "responsibilities", responsibilities, MAX_TEXT)
    assert person is not None  # gather raised otherwise
    with transaction():
        current = Champion.select().where(Champion.person == person.id, Champion.team == name, active())
        if current.exists():
            raise Conflict("already_champion")
        champion = Champion.create(person=person.id, team=name, appointed_on=first, responsibilities=duties)
        record_audit(
            actor, "champion.appointed", "champion", champion.id, field_changes(None, values_of(champion, FIELDS))
        )
    return champion


def end_champion(actor: Actor, champion_id: int, ended_on: Any) -> Champion:
    """Set a champion's last day.

    Managers only. Raises NotAllowed, NotFound("champion"), Invalid (``ended_on`` "required", "invalid" or
    "before_start"), or Conflict("already_ended") when a last day is already set.
    """
    require_manager(actor, "champion.end")
    champion = Champion.get_or_none(Champion.id == champion_id)
    if champion is None:
        raise NotFound("champion", champion_id)
    with gather() as problems:
        last = day(problems, "ended_on", ended_on)
        if last is not None and last < champion.appointed_on:
            problems.add("ended_on", "before_start")
    if champion.ended_on is not None:
        raise Conflict("already_ended")
    before = values_of(champion, FIELDS)
    with transaction():
        updated = (
            Champion.update(ended_on=last, updated_at=utcnow())
            .where(Champion.id == champion.id, Champion.ended_on.is_null())
            .execute()
        )
        if not updated:
            raise Conflict("already_ended")
        champion = Champion.get_by_id(champion.id)
        record_audit(
            actor, "champion.ended", "champion", champion.id, field_changes(before, values_of(champion, FIELDS))
        )
    return champion


def champion_teams(user_id: int | None, today: dt.date | None = None) -> list[str]:
    """The teams this person is an active champion of, by name; empty for anyone else."""
    if user_id is None:
        return []
    rows = Champion.select(Champion.team).where(Champion.person == user_id, active(today)).distinct()
    return sorted({row.team for row in rows})


def team_lessons(actor: Actor, limit: int = 200) -> list[Lesson]:
    """The lessons of the teams the acting member of staff champions, newest first (not archived); [] otherwise."""
    if not actor.is_staff:
        return []
    teams = champion_teams(actor.user_id)
    if not teams:
        return []
    query = Lesson.select().where(Lesson.team.in_(teams), Lesson.archived_at.is_null())
    return list(query.order_by(Lesson.identified_on.desc(), Lesson.id.desc()).limit(limit))


def team_actions(actor: Actor, limit: int = 200) -> list[ImprovementAction]:
    """The improvement actions of the teams the acting member of staff champions, soonest due first."""
    if not actor.is_staff:
        return []
    teams = champion_teams(actor.user_id)
    if not teams:
        return []
    query = ImprovementAction.select().where(ImprovementAction.team.in_(teams))
    return list(query.order_by(ImprovementAction.due_on.asc(nulls="LAST"), ImprovementAction.id).limit(limit))
