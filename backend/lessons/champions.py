"""Lessons-learnt champions: each team names its champions, who follow the team's lessons and actions.

Managers appoint and end them (Lessons Learnt Framework 4.1.12). A champion is active from the day appointed to
the day ended (inclusive); the console's "My team" page lists the lessons and actions of their teams.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import fn

from backend.accounts.models import User
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


def team_key(name: str | None) -> str:
    """A team name as compared: case and spacing do not matter ("Repairs  team " is "repairs team")."""
    return " ".join((name or "").split()).casefold()


def known_teams() -> list[str]:
    """The team names already in use: active staff accounts' teams, then champions' teams; one spelling each."""
    staff = User.select(User.team).where(User.team.is_null(False), User.is_active == True)  # noqa: E712
    named = [row.team for row in staff.order_by(User.team)]
    named += [row.team for row in Champion.select(Champion.team).order_by(Champion.team)]
    spelling: dict[str, str] = {}
    for name in named:
        spelling.setdefault(team_key(name), " ".join((name or "").split()))
    return sorted((name for key, name in spelling.items() if key), key=str.casefold)


def _as_known(name: str) -> str:
    """The team name with its spacing tidied, spelled as a team already in use when it names one."""
    tidy = " ".join(name.split())
    return next((known for known in known_teams() if team_key(known) == team_key(tidy)), tidy)


def _team_in(column: Any, teams: list[str]) -> Any:
    """The condition for ``column`` naming one of ``teams``, whatever its case and end spaces."""
    return fn.LOWER(fn.TRIM(column)).in_(sorted({name.strip().lower() for name in teams}))


def appoint_champion(
    actor: Actor, person_id: int | None, team: str, appointed_on: Any, responsibilities: str = ""
) -> Champion:
    """Name a member of staff a lessons-learnt champion for a team, from a day.

    Managers only. Raises NotAllowed, Invalid listing every problem (``person`` "not_staff"; ``team`` "required"
    or "too_long"; ``appointed_on`` "required" or "invalid"; ``responsibilities`` "too_long"), or
    Conflict("already_champion") when they are already a champion of that team, now or from a later day. Team names
    are compared whatever their case and spacing, and a name already in use keeps its spelling.
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
    name = _as_known(name)
    with transaction():
        today = local_date()
        current = Champion.select(Champion.team).where(
            Champion.person == person.id, Champion.ended_on.is_null() | (Champion.ended_on >= today)
        )
        if any(team_key(row.team) == team_key(name) for row in current):
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
    rows = Champion.select(Champion.team).where(Champion.person == user_id, active(today)).order_by(Champion.id)
    spelling: dict[str, str] = {}
    for row in rows:
        spelling.setdefault(team_key(row.team), row.team)
    return sorted(spelling.values(), key=str.casefold)


def team_lessons(actor: Actor, limit: int = 200) -> list[Lesson]:
    """The lessons of the teams the acting member of staff champions, newest first (not archived); [] otherwise."""
    if not actor.is_staff:
        return []
    teams = champion_teams(actor.user_id)
    if not teams:
        return []
    query = Lesson.select().where(_team_in(Lesson.team, teams), Lesson.archived_at.is_null())
    return list(query.order_by(Lesson.identified_on.desc(), Lesson.id.desc()).limit(limit))


def team_actions(actor: Actor, limit: int = 200) -> list[ImprovementAction]:
    """The improvement actions of the teams the acting member of staff champions, soonest due first."""
    if not actor.is_staff:
        return []
    teams = champion_teams(actor.user_id)
    if not teams:
        return []
    query = ImprovementAction.select().where(_team_in(ImprovementAction.team, teams))
    return list(query.order_by(ImprovementAction.due_on.asc(nulls="LAST"), ImprovementAction.id).limit(limit))
