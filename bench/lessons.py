"""Lessons in the real tables: themes with their texts, lessons at every point of their life, their sources, causes
and themes, SMART actions on every step of their path, contacts linked to themes and "no wider lesson" decisions.

Generated after the complaints (``bench.casework``), since lessons name upheld complaints as sources. Lesson ids
follow the day each was identified, so references (LS-YYYY-NNNN) count up within each year as the service numbers
them. Every date is on or before the dataset's today.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator
from typing import Any

from peewee import AutoField

from backend.lessons.models import (
    ActionStatus,
    ActionType,
    ContactTheme,
    DueDateChange,
    Effect,
    ImprovementAction,
    Lesson,
    LessonCause,
    LessonSource,
    LessonStatus,
    LessonTheme,
    NoLessonDecision,
    SourceKind,
    Theme,
    ThemeText,
)
from bench.words import ACTION_VERBS, LESSON_FINDINGS, SERVICE_AREAS, TEAMS, THEMES, WELSH_THEMES
from bench.world import Table, World, weighted

UPHELD = ("upheld", "partly_upheld")
#: How a lesson's status depends on its age: (identified at most this many days ago, status weights).
STATUS_BY_AGE = (
    (
        45,
        (
            ("identified", 35),
            ("analysed", 30),
            ("actions_agreed", 20),
            ("in_progress", 12),
            ("cancelled", 2),
            ("merged", 1),
        ),
    ),
    (
        240,
        (
            ("identified", 3),
            ("analysed", 7),
            ("actions_agreed", 15),
            ("in_progress", 40),
            ("measuring_impact", 20),
            ("closed", 10),
            ("cancelled", 3),
            ("merged", 2),
        ),
    ),
    (
        10_000,
        (("in_progress", 5), ("measuring_impact", 10), ("closed", 78), ("cancelled", 4), ("merged", 3)),
    ),
)
#: An action's status given its lesson's, weighted.
ACTION_STATUS = {
    "identified": (("proposed", 1),),
    "analysed": (("proposed", 1),),
    "actions_agreed": (("authorised", 8), ("proposed", 2)),
    "in_progress": (("authorised", 2), ("in_progress", 5), ("done", 2), ("signed_off", 1)),
    "measuring_impact": (("done", 2), ("signed_off", 6), ("verified", 2)),
    "closed": (("verified", 9), ("cancelled", 1)),
    "cancelled": (("cancelled", 1),),
    "merged": (("cancelled", 1),),
}
EFFECTS = ((Effect.ADDRESSED.value, 70), (Effect.PARTLY.value, 20), (Effect.NOT_ADDRESSED.value, 10))
#: Of the upheld complaints closed: the share that became a lesson's source, and that got a "no lesson" decision.
TO_LESSON, NO_LESSON = 0.7, 0.15
#: The share of contacts that are not complaints linked to a theme.
OTHER_CONTACTS_THEMED = 0.1


class Rows:
    """A table's columns (all but an auto id unless ``explicit_ids``) and each row as a tuple, defaults filled in."""

    def __init__(self, model: Any, today: dt.datetime, explicit_ids: bool = False) -> None:
        self.model = model
        self.fields = [f for f in model._meta.sorted_fields if explicit_ids or not isinstance(f, AutoField)]
        self.defaults: list[Any] = []
        for f in self.fields:
            default = f.default
            if callable(default):
                default = today if isinstance(default(), dt.datetime) else default()
            self.defaults.append(default)
        self.names = [f.name for f in self.fields]

    def row(self, **values: Any) -> tuple[Any, ...]:
        return tuple(values.get(name, default) for name, default in zip(self.names, self.defaults, strict=True))

    def table(self, label: str, total: int, rows: Iterator[tuple[Any, ...]]) -> Table:
        explicit = isinstance(self.fields[0], AutoField)
        return Table(label, self.model, self.fields, total, rows, explicit_ids=explicit)


def _at(day: dt.date, rng: Any, today: dt.datetime) -> dt.datetime:
    """A moment in working hours on ``day``, never after today."""
    moment = dt.datetime.combine(day, dt.time(9)) + dt.timedelta(seconds=rng.randrange(8 * 3_600))
    return min(moment, today - dt.timedelta(minutes=1))


def _later(moment: dt.datetime, rng: Any, low: int, high: int, today: dt.datetime) -> dt.datetime:
    return min(moment + dt.timedelta(days=rng.randint(low, high), seconds=rng.randrange(3_600)), today)


def themes(world: World) -> Iterator[Table]:
    count = world.sizes["themes"]
    names = [THEMES[(i - 1) % len(THEMES)] + ("" if i <= len(THEMES) else f" {i}") for i in range(1, count + 1)]
    theme = Rows(Theme, world.today, explicit_ids=True)
    published = world.today - dt.timedelta(days=60)  # every theme is public: co-creation's pages show them
    rows = [theme.row(id=i, name=name, published_at=published) for i, name in enumerate(names, 1)]
    yield theme.table("themes", count, iter(rows))
    text = Rows(ThemeText, world.today)

    def texts() -> Iterator[tuple[Any, ...]]:
        for i, name in enumerate(names, start=1):
            welsh = WELSH_THEMES[(i - 1) % len(WELSH_THEMES)]
            yield text.row(theme=i, locale="en", name=name, description=f"What residents tell us about {name.lower()}.")
            yield text.row(theme=i, locale="cy", name=welsh, description=f"Beth mae preswylwyr yn ei ddweud: {welsh}.")

    yield text.table("theme texts", 2 * count, texts())


def plan_lessons(world: World) -> None:
    """Decide each lesson's day, status, team and themes (ids in the order identified), for the tables below."""
    rng, count = world.rng, world.sizes["lessons"]
    days = sorted((world.today - dt.timedelta(days=rng.randrange(1095))).date() for _ in range(count))
    for lesson, day in enumerate(days, start=1):
        age = (world.today.date() - day).days
        statuses, weights = weighted(next(w for limit, w in STATUS_BY_AGE if age <= limit))
        world.lesson_opened[lesson] = day
        world.lesson_status[lesson] = rng.choices(statuses, weights)[0]
        world.lesson_team[lesson] = rng.choice(TEAMS)
        chosen = rng.randint(1, min(4, world.sizes["themes"]))
        world.lesson_themes[lesson] = rng.sample(range(1, world.sizes["themes"] + 1), chosen)


def lessons(world: World) -> Table:
    rng, count = world.rng, world.sizes["lessons"]
    by_team: dict[str, list[int]] = {}
    for person, team in world.handlers:
        by_team.setdefault(team, []).append(person)
    rows_of = Rows(Lesson, world.today, explicit_ids=True)

    def rows() -> Iterator[tuple[Any, ...]]:
        numbers: dict[int, int] = {}
        for lesson in range(1, count + 1):
            day, status, team = world.lesson_opened[lesson], world.lesson_status[lesson], world.lesson_team[lesson]
            numbers[day.year] = numbers.get(day.year, 0) + 1
            theme = THEMES[(world.lesson_themes[lesson][0] - 1) % len(THEMES)]
            finding = rng.choice(LESSON_FINDINGS)
            people = by_team.get(team) or [p for p, _t in world.handlers]
            created = _at(day, rng, world.today)
            ended = status in (LessonStatus.CANCELLED.value, LessonStatus.MERGED.value)
            rated = status != LessonStatus.IDENTIFIED.value or rng.random() < 0.3
            yield rows_of.row(
                id=lesson,
                reference=f"LS-{day.year}-{numbers[day.year]:04d}",
                title=f"{theme}: {finding}",
                status=status,
                identified_on=day,
                identified_by=rng.choice(people),
                owner=rng.choice(people) if rng.random() < 0.9 else None,
                team=team,
                service_area=rng.randint(1, len(SERVICE_AREAS)),
                early_lesson=f"What we learned about {theme.lower()}: {finding}.",
                event_summary=f"Residents told us about {theme.lower()}; looking back, {finding}.",
                business_impact=rng.randint(1, 5) if rated else None,
                resident_impact=rng.randint(1, 5) if rated else None,
                end_reason="Covered by another lesson." if ended else "",
                merged_into=max(1, lesson - rng.randint(1, 50)) if status == LessonStatus.MERGED.value else None,
                archived_at=_later(created, rng, 30, 90, world.today) if ended and rng.random() < 0.5 else None,
                created_at=created,
                updated_at=created,
            )

    return rows_of.table("lessons", count, rows())


def lesson_themes(world: World) -> Table:
    rng = world.rng
    rows_of = Rows(LessonTheme, world.today)
    staff = [person for person, _team in world.handlers]

    def rows() -> Iterator[tuple[Any, ...]]:
        for lesson, chosen in world.lesson_themes.items():
            at = _at(world.lesson_opened[lesson], rng, world.today)
            for theme in chosen:
                yield rows_of.row(lesson=lesson, theme=theme, linked_by=rng.choice(staff), linked_at=at)

    total = sum(len(chosen) for chosen in world.lesson_themes.values())
    return rows_of.table("lesson themes", total, rows())


def plan_sources(world: World) -> None:
    """Each upheld complaint closed: a source of a lesson identified near its closing, a decision, or neither."""
    rng, days = world.rng, [world.lesson_opened[i] for i in range(1, world.sizes["lessons"] + 1)]
    for case in world.cases:
        upheld = any(d[1] in UPHELD for response in case.responses for d in response.decisions)
        if case.status != "closed" or case.closed_at is None or not upheld:
            continue
        draw = rng.random()
        if draw < TO_LESSON:
            # A lesson identified on or after the day it closed (the nearest few), else the latest one.
            start = bisect.bisect_left(days, case.closed_at.date())
            index = min(len(days) - 1, start + rng.randrange(5))
            world.complaint_lesson[case.seed.complaint_id] = (index + 1, case.closed_at)
        elif draw < TO_LESSON + NO_LESSON:
            world.no_lesson.append((case.seed.complaint_id, case.closed_at))


def lesson_sources(world: World) -> Table:
    rng = world.rng
    rows_of = Rows(LessonSource, world.today)
    staff = [person for person, _team in world.handlers]
    from_complaints = {lesson for lesson, _at in world.complaint_lesson.values()}
    others = [lesson for lesson in world.lesson_opened if lesson not in from_complaints]
    contact_of = {case.seed.complaint_id: case.seed.contact_id for case in world.cases}

    def rows() -> Iterator[tuple[Any, ...]]:
        for complaint, (lesson, closed_at) in world.complaint_lesson.items():
            yield rows_of.row(
                lesson=lesson,
                kind=SourceKind.COMPLAINT.value,
                complaint=complaint,
                contact=contact_of[complaint],
                note="An upheld complaint.",
                recorded_by=rng.choice(staff),
                recorded_at=_later(closed_at, rng, 0, 10, world.today),
            )
        for lesson in others:
            anonymous = rng.random() < 0.2
            yield rows_of.row(
                lesson=lesson,
                kind=SourceKind.SPEAK_UP.value if anonymous else SourceKind.OPERATIONAL_FEEDBACK.value,
                note="Raised by the team delivering the service.",
                anonymous=anonymous,
                recorded_by=None if anonymous else rng.choice(staff),
                recorded_at=_at(world.lesson_opened[lesson], rng, world.today),
            )

    return rows_of.table("lesson sources", len(world.complaint_lesson) + len(others), rows())


def lesson_causes(world: World) -> Table:
    """One to three causes for each lesson past identification, from the seeded taxonomy; the first is the root."""
    rng = world.rng
    rows_of = Rows(LessonCause, world.today)
    plan = [
        (lesson, rng.sample(world.root_causes, rng.randint(1, min(3, len(world.root_causes)))))
        for lesson, status in world.lesson_status.items()
        if status != LessonStatus.IDENTIFIED.value
    ]
    world.lesson_causes_first_id = {}

    def rows() -> Iterator[tuple[Any, ...]]:
        cause_id = 0
        for lesson, causes in plan:
            at = _at(world.lesson_opened[lesson], rng, world.today)
            for position, cause in enumerate(causes):
                cause_id += 1
                if position == 0:
                    world.lesson_causes_first_id[lesson] = cause_id
                yield rows_of.row(
                    lesson=lesson,
                    root_cause=cause,
                    contributing=position > 0,
                    detail="The process did not say who follows up." if position == 0 else "It made matters worse.",
                    created_at=at,
                    updated_at=at,
                )

    return rows_of.table("lesson causes", sum(len(causes) for _lesson, causes in plan), rows())


def actions(world: World) -> Table:
    """SMART actions on every step of their path, each in keeping with its lesson's status."""
    rng, count, lessons_count = world.rng, world.sizes["actions"], world.sizes["lessons"]
    managers = world.managers or [person for person, _team in world.handlers]
    rows_of = Rows(ImprovementAction, world.today)
    types = [t.value for t in ActionType]
    effects, effect_weights = weighted(EFFECTS)
    today = world.today
    world.due_changes = []

    def rows() -> Iterator[tuple[Any, ...]]:
        for action in range(1, count + 1):
            lesson = rng.randint(1, lessons_count)
            lesson_status = world.lesson_status[lesson]
            statuses, weights = weighted(ACTION_STATUS[lesson_status])
            status = rng.choices(statuses, weights)[0]
            owner, proposer = rng.choice(world.handlers), rng.choice(world.handlers)[0]
            proposed = _at(world.lesson_opened[lesson] + dt.timedelta(days=rng.randint(0, 20)), rng, today)
            values: dict[str, Any] = {
                "lesson": lesson,
                "title": f"{rng.choice(ACTION_VERBS)} {rng.choice(THEMES).lower()}",
                "description": "What will change, for whom, and how we will know.",
                "measure": "Repeat contacts about it each month" if rng.random() < 0.9 else "",
                "baseline": f"{rng.randint(10, 60)} a month",
                "target": f"{rng.randint(0, 9)} a month",
                "owner": owner[0],
                "team": owner[1],
                "cause": world.lesson_causes_first_id.get(lesson) if rng.random() < 0.8 else None,
                "action_type": rng.choice(types),
                "status": status,
                "proposed_by": proposer,
                "proposed_at": proposed,
                "created_at": proposed,
                "updated_at": proposed,
            }
            if status == ActionStatus.PROPOSED.value:
                values["due_on"] = (proposed + dt.timedelta(days=rng.randint(30, 120))).date()
            elif status != ActionStatus.CANCELLED.value or rng.random() < 0.5:
                authorised = _later(proposed, rng, 1, 10, today)
                due = (authorised + dt.timedelta(days=rng.randint(14, 120))).date()
                values.update(
                    authorised_by=rng.choice(managers), authorised_at=authorised, due_on=due, first_due_on=due
                )
                if rng.random() < 0.05:  # moved once, with a manager's authorisation
                    values["due_on"] = due + dt.timedelta(days=rng.randint(14, 60))
                    world.due_changes.append((action, due, values["due_on"], _later(authorised, rng, 5, 20, today)))
                if status != ActionStatus.AUTHORISED.value:
                    values["started_at"] = _later(authorised, rng, 1, 5, today)
                if status in (ActionStatus.DONE.value, ActionStatus.SIGNED_OFF.value, ActionStatus.VERIFIED.value):
                    done_on = min(values["due_on"] + dt.timedelta(days=rng.randint(-40, 15)), today.date())
                    completed = max(_at(done_on, rng, today), values["started_at"])
                    values.update(completed_by=owner[0], completed_at=completed, evidence="The new process, in use.")
                if status in (ActionStatus.SIGNED_OFF.value, ActionStatus.VERIFIED.value):
                    values.update(
                        signed_off_by=rng.choice(managers), signed_off_at=_later(completed, rng, 1, 10, today)
                    )
                if status == ActionStatus.VERIFIED.value:
                    values.update(
                        verified_by=rng.choice(managers),
                        verified_at=_later(values["signed_off_at"], rng, 14, 60, today),
                        effect=rng.choices(effects, effect_weights)[0],
                        effect_note="Compared repeat contacts before and after.",
                    )
            if status == ActionStatus.CANCELLED.value:
                values["cancel_reason"] = "The lesson was closed another way."
            yield rows_of.row(**values)

    return rows_of.table("improvement actions", count, rows())


def due_date_changes(world: World) -> Table:
    rng = world.rng
    managers = world.managers or [person for person, _team in world.handlers]
    rows_of = Rows(DueDateChange, world.today)
    rows = (
        rows_of.row(
            action=action,
            from_date=before,
            to_date=after,
            reason="Waiting for the contractor's new schedule.",
            authorised_by=rng.choice(managers),
            changed_at=at,
        )
        for action, before, after, at in world.due_changes
    )
    return rows_of.table("due date changes", len(world.due_changes), rows)


def contact_themes(world: World) -> Table:
    """Every complaint's contact linked to a theme (one of its lesson's, if any), and a tenth of the other contacts."""
    rng, theme_count = world.rng, world.sizes["themes"]
    rows_of = Rows(ContactTheme, world.today)
    staff = [person for person, _team in world.handlers]
    links: list[tuple[int, int, dt.datetime]] = []
    complaint_contacts = set()
    for case in world.cases:
        complaint_contacts.add(case.seed.contact_id)
        lesson = world.complaint_lesson.get(case.seed.complaint_id)
        theme = rng.choice(world.lesson_themes[lesson[0]]) if lesson else rng.randint(1, theme_count)
        links.append((case.seed.contact_id, theme, case.seed.opened_at))
    for contact in range(1, world.sizes["contacts"] + 1):
        if contact not in complaint_contacts and rng.random() < OTHER_CONTACTS_THEMED:
            links.append((contact, rng.randint(1, theme_count), world.today - dt.timedelta(days=1)))
    rows = (
        rows_of.row(contact=contact, theme=theme, linked_by=rng.choice(staff), linked_at=at)
        for contact, theme, at in links
    )
    return rows_of.table("contact themes", len(links), rows)


def no_lesson_decisions(world: World) -> Table:
    rng = world.rng
    rows_of = Rows(NoLessonDecision, world.today)
    staff = [person for person, _team in world.handlers]
    rows = (
        rows_of.row(
            complaint=complaint,
            reason="A one-off mistake, already put right; nothing wider to learn.",
            decided_by=rng.choice(staff),
            decided_at=_later(closed_at, rng, 0, 10, world.today),
        )
        for complaint, closed_at in world.no_lesson
    )
    return rows_of.table("no-lesson decisions", len(world.no_lesson), rows)


def tables(world: World) -> Iterator[Table]:
    """The lesson tables, in dependency order (after the complaints)."""
    yield from themes(world)
    plan_lessons(world)
    yield lessons(world)
    yield lesson_themes(world)
    plan_sources(world)
    yield lesson_sources(world)
    yield lesson_causes(world)
    yield actions(world)
    yield due_date_changes(world)
    yield contact_themes(world)
    yield no_lesson_decisions(world)
