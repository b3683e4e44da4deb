"""Counting a priority round once it has closed, and its results, which are public only once counted.

A periodic task (``tasks.cocreation_rounds``) counts each published round that has closed, once: one aggregate
UPDATE per round sets each ballot theme's votes (the sum of the dots given to it) and voters (the distinct residents
who gave it any), whatever the number of votes, and the round's ``counted_at``. Counting again changes nothing. A
cancelled round is never counted. The themes' stored figures are marked out of date as the round is counted, so the
priority score (which counts the dots themes received in counted rounds, see ``backend.lessons.theme_figures``)
moves at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peewee import fn

from backend.audit.services import record_audit
from backend.cocreation.models import PriorityRound, RoundStatus, RoundTheme, Vote
from backend.context import SYSTEM
from backend.db import transaction
from backend.events.services import record_event
from backend.lessons.models import ThemeFigures
from backend.timeutil import utcnow


def rounds_to_count() -> list[int]:
    """The ids of the published rounds that have closed and are not counted yet, oldest closing first."""
    rows = (
        PriorityRound.select(PriorityRound.id)
        .where(
            PriorityRound.status == RoundStatus.PUBLISHED,
            PriorityRound.counted_at.is_null(),
            PriorityRound.closes_at <= utcnow(),
        )
        .order_by(PriorityRound.closes_at, PriorityRound.id)
    )
    return [row.id for row in rows]


def count_round(round_id: int) -> bool:
    """Count a published round that has closed: its ballot's votes and voters, and its ``counted_at``.

    Returns False (and changes nothing) when there is no such round, it is not published, has not closed, or was
    counted already: safe to run twice, or from two workers at once (a conditional UPDATE claims the round).
    """
    with transaction():
        now = utcnow()
        claimed = (
            PriorityRound.update(counted_at=now, updated_at=now)
            .where(
                PriorityRound.id == round_id,
                PriorityRound.status == RoundStatus.PUBLISHED,
                PriorityRound.counted_at.is_null(),
                PriorityRound.closes_at <= now,
            )
            .execute()
        )
        if not claimed:
            return False
        given = Vote.select(fn.COALESCE(fn.SUM(Vote.dots), 0)).where(
            Vote.round == RoundTheme.round, Vote.theme == RoundTheme.theme
        )
        voters = Vote.select(fn.COUNT(fn.DISTINCT(Vote.voter))).where(
            Vote.round == RoundTheme.round, Vote.theme == RoundTheme.theme
        )
        RoundTheme.update(votes=given, voters=voters, updated_at=now).where(RoundTheme.round == round_id).execute()
        # The priority score counts counted rounds' votes: the ballot's themes' figures are out of date now.
        ThemeFigures.update(version=ThemeFigures.version + 1).where(
            ThemeFigures.theme.in_(RoundTheme.select(RoundTheme.theme).where(RoundTheme.round == round_id))
        ).execute()
        total = RoundTheme.select(fn.COALESCE(fn.SUM(RoundTheme.votes), 0)).where(RoundTheme.round == round_id).scalar()
        changes = {"counted_at": {"before": None, "after": now.isoformat()}, "votes": {"before": None, "after": total}}
        record_audit(SYSTEM, "priority_round.counted", "priority_round", round_id, changes)
        record_event("cocreation.round_counted", {"round_id": round_id})
    return True


def count_closed_rounds() -> int:
    """Count every published round that has closed and is not counted yet; return how many were counted."""
    return sum(1 for round_id in rounds_to_count() if count_round(round_id))


@dataclass(frozen=True)
class Result:
    """One theme's place in a counted round."""

    rank: int
    theme_id: int
    votes: int
    voters: int


def results(round_id: int) -> list[Result]:
    """The counted round's themes, most votes first (ties share a rank, then by ballot order); empty until the round
    is closed and counted, and for a cancelled round."""
    counted = (
        PriorityRound.select()
        .where(
            PriorityRound.id == round_id,
            PriorityRound.status == RoundStatus.PUBLISHED,
            PriorityRound.counted_at.is_null(False),
        )
        .exists()
    )
    if not counted:
        return []
    rows: Any = (
        RoundTheme.select(RoundTheme.theme, RoundTheme.votes, RoundTheme.voters)
        .where(RoundTheme.round == round_id)
        .order_by(RoundTheme.votes.desc(), RoundTheme.position, RoundTheme.id)
        .tuples()
    )
    found: list[Result] = []
    for index, (theme, votes, voters) in enumerate(rows):
        rank = found[-1].rank if found and found[-1].votes == votes else index + 1
        found.append(Result(rank, int(theme), int(votes), int(voters)))
    return found


@dataclass(frozen=True)
class Turnout:
    """How many have voted in a round so far, and how many dots they used: never who."""

    voters: int
    homes: int
    dots: int


def turnout(round_id: int) -> Turnout:
    """The round's turnout now, in one statement: distinct voters, distinct homes and dots used."""
    row: Any = (
        Vote.select(
            fn.COUNT(fn.DISTINCT(Vote.voter)), fn.COUNT(fn.DISTINCT(Vote.home)), fn.COALESCE(fn.SUM(Vote.dots), 0)
        )
        .where(Vote.round == round_id)
        .tuples()
        .first()
    )
    return Turnout(int(row[0] or 0), int(row[1] or 0), int(row[2] or 0))
