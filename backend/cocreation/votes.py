"""Residents' votes in a priority round: set one's votes in one call, read them back with what is left of the
budget, and the re-vote asked for when a theme on an open ballot is merged into another.

A vote is never moved by anyone but the voter: merging a theme returns the dots given to it to each voter's budget
and asks them to vote again (:func:`ask_to_revote`). Who voted for what is never audited nor shown to staff: the
audit trail records that a resident changed their votes in a round and how many dots they now use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from peewee import IntegrityError, fn

from backend.accounts.models import Home, User
from backend.audit.services import record_audit
from backend.cocreation.models import BudgetUnit, PriorityRound, RevoteRequest, RoundStatus, RoundTheme, Vote
from backend.cocreation.rounds import Phase, ballot_ids, phase_of, visible_round
from backend.context import Actor
from backend.db import is_postgres, transaction
from backend.errors import Conflict, NotAllowed, gather
from backend.events.services import record_event
from backend.timeutil import utcnow

#: A ballot holds at most 50 themes, so an allocation names at most 50.
MAX_ENTRIES = 50


def district(postcode: str | None) -> str:
    """The postcode district (outward code) of a UK postcode, in capitals: "cf10 1bh" is "CF10"; "" for none."""
    compact = (postcode or "").upper().replace(" ", "")
    return compact[:-3] if len(compact) > 3 else compact


def ineligibility(user: User | None, round_: PriorityRound) -> str | None:
    """Why this person may not vote in the round, as a code, or None when they may.

    "not_resident" (no active resident account), "no_home" (the round limits who votes, or shares the budget by
    home, and no home is recorded for them), "tenure", "nation" or "area" (their home's is not one listed).
    """
    if user is None or not user.is_active or "resident" not in user.role_names():
        return "not_resident"
    limited = bool(round_.tenures or round_.nations or round_.areas) or round_.budget_unit == BudgetUnit.HOME
    home = Home.get_or_none(Home.id == user.home_id) if user.home_id else None  # type: ignore[attr-defined]
    if home is None:
        return "no_home" if limited else None
    if round_.tenures and home.tenure not in round_.tenures:
        return "tenure"
    if round_.nations and home.nation not in round_.nations:
        return "nation"
    if round_.areas and district(home.postcode) not in round_.areas:
        return "area"
    return None


@dataclass(frozen=True)
class Budget:
    """A voter's budget in a round: how many dots it holds, how many are used (by the whole home, for a budget
    per home), and how many are left."""

    budget: int
    used: int
    mine: int
    shared: bool

    @property
    def remaining(self) -> int:
        return max(self.budget - self.used, 0)


def _used(round_id: int, user_id: int, home_id: int | None, shared: bool) -> tuple[int, int]:
    """(dots used towards the budget, dots the voter gave themselves) in the round."""
    mine = Vote.select(fn.COALESCE(fn.SUM(Vote.dots), 0)).where(Vote.round == round_id, Vote.voter == user_id).scalar()
    if not shared or home_id is None:
        return int(mine or 0), int(mine or 0)
    home = Vote.select(fn.COALESCE(fn.SUM(Vote.dots), 0)).where(Vote.round == round_id, Vote.home == home_id).scalar()
    return int(home or 0), int(mine or 0)


def my_votes(actor: Actor, round_id: int) -> dict[int, int]:
    """The actor's dots by theme id in the round (empty when they have none, or are not signed in).

    Raises NotFound("priority_round") for a round they may not see.
    """
    visible_round(actor, round_id)
    if actor.user_id is None:
        return {}
    rows: Any = Vote.select(Vote.theme, Vote.dots).where(Vote.round == round_id, Vote.voter == actor.user_id).tuples()
    return {int(theme): int(dots) for theme, dots in rows}


def my_budget(actor: Actor, round_id: int) -> Budget:
    """What is left of the actor's budget in the round (the whole budget for someone not signed in).

    Raises NotFound("priority_round") for a round they may not see.
    """
    round_ = visible_round(actor, round_id)
    shared = round_.budget_unit == BudgetUnit.HOME
    if actor.user_id is None:
        return Budget(round_.budget, 0, 0, shared)
    user = User.get_or_none(User.id == actor.user_id)
    home_id = user.home_id if user is not None else None  # type: ignore[attr-defined]
    used, mine = _used(round_.id, actor.user_id, home_id, shared)
    return Budget(round_.budget, used, mine, shared)


def pending_revotes(actor: Actor, round_id: int) -> list[RevoteRequest]:
    """The actor's re-vote requests in the round they have not answered by voting again, oldest first."""
    if actor.user_id is None:
        return []
    return list(
        RevoteRequest.select()
        .where(
            RevoteRequest.round == round_id,
            RevoteRequest.voter == actor.user_id,
            RevoteRequest.answered_at.is_null(),
        )
        .order_by(RevoteRequest.id)
    )


def _check_allocation(round_: PriorityRound, allocation: Mapping[Any, Any]) -> dict[int, int]:
    """The allocation as {theme id: dots}, 0s left out; raise one Invalid listing every problem."""
    on_ballot = set(ballot_ids(round_.id))
    wanted: dict[int, int] = {}
    with gather() as problems:
        if len(allocation) > MAX_ENTRIES:
            problems.add("votes", "too_many", maximum=MAX_ENTRIES)
            return {}
        for theme_id, dots in allocation.items():
            if not isinstance(theme_id, int) or theme_id not in on_ballot:
                problems.add("theme_id", "not_on_ballot", theme_id=theme_id)
                continue
            if isinstance(dots, bool) or not isinstance(dots, int) or not 0 <= dots <= round_.max_per_theme:
                problems.add("dots", "out_of_range", theme_id=theme_id, minimum=0, maximum=round_.max_per_theme)
                continue
            if dots:
                wanted[theme_id] = dots
        if sum(wanted.values()) > round_.budget:
            problems.add("votes", "over_budget", budget=round_.budget)
    return wanted


def set_votes(actor: Actor, round_id: int, allocation: Mapping[Any, Any]) -> Budget:
    """Set the actor's votes in an open round to ``allocation`` ({theme id: dots}): it replaces what they gave
    before (a theme left out, or given 0, has none). Residents only; returns their budget after.

    Sending the same allocation again changes nothing. Raises NotAllowed (not a resident, or a read-only token),
    NotFound("priority_round": none, or a draft), Conflict("round_not_open", "round_closed" or "round_cancelled"),
    Invalid listing every problem (``theme_id`` "not_on_ballot"; ``dots`` "out_of_range" (0 to the round's most per
    theme); ``votes`` "over_budget" or "too_many"), Conflict("not_eligible", reason=...) (see
    :func:`ineligibility`), or Conflict("home_budget_spent", remaining=n) when the other residents of their home
    have used so much of a budget per home that this does not fit.
    """
    if not actor.can_write or actor.user_id is None or not actor.has_role("resident"):
        raise NotAllowed("votes.set")
    round_ = visible_round(actor, round_id)
    phase = phase_of(round_)
    if phase != Phase.OPEN:
        raise Conflict({Phase.UPCOMING: "round_not_open", Phase.CLOSED: "round_closed"}.get(phase, "round_cancelled"))
    wanted = _check_allocation(round_, allocation)
    user = User.get_by_id(actor.user_id)
    reason = ineligibility(user, round_)
    if reason is not None:
        raise Conflict("not_eligible", reason=reason)
    home_id = user.home_id  # type: ignore[attr-defined]
    shared = round_.budget_unit == BudgetUnit.HOME
    try:
        with transaction():
            _lock(home_id if shared else None, user.id)
            # Re-read the round inside the transaction: a vote after it closed or was cancelled is refused.
            now = utcnow()
            still_open = (
                PriorityRound.select()
                .where(
                    PriorityRound.id == round_.id,
                    PriorityRound.status == RoundStatus.PUBLISHED,
                    PriorityRound.opens_at <= now,
                    PriorityRound.closes_at > now,
                )
                .exists()
            )
            if not still_open:
                raise Conflict("round_closed")
            given: Any = Vote.select(Vote.theme, Vote.dots).where(Vote.round == round_.id, Vote.voter == user.id)
            before = {int(theme): int(dots) for theme, dots in given.tuples()}
            if before == wanted:
                return _budget_after(round_, user.id, home_id, shared)
            if shared:
                # The others of the home, counted now, under the home's lock: two residents voting at once can't
                # both spend the last dots.
                others = (
                    Vote.select(fn.COALESCE(fn.SUM(Vote.dots), 0))
                    .where(Vote.round == round_.id, Vote.home == home_id, Vote.voter != user.id)
                    .scalar()
                )
                if int(others or 0) + sum(wanted.values()) > round_.budget:
                    raise Conflict("home_budget_spent", remaining=max(round_.budget - int(others or 0), 0))
            _write(round_.id, user.id, home_id, before, wanted, now)
            RevoteRequest.update(answered_at=now, updated_at=now).where(
                RevoteRequest.round == round_.id, RevoteRequest.voter == user.id, RevoteRequest.answered_at.is_null()
            ).execute()
            changes = {"dots_used": {"before": sum(before.values()), "after": sum(wanted.values())}}
            record_audit(actor, "priority_round.votes_set", "priority_round", round_.id, changes)
            record_event("cocreation.votes_set", {"round_id": round_.id, "user_id": user.id})
    except IntegrityError:
        raise Conflict("changed") from None  # the same voter's other submission wrote first
    return _budget_after(round_, user.id, home_id, shared)


def _lock(home_id: int | None, user_id: int) -> None:
    """Take turns: on PostgreSQL lock the home's row (a budget per home) or the voter's; SQLite's write lock, taken
    when the transaction begins, already makes every writer take turns."""
    if not is_postgres():
        return
    if home_id is not None:
        Home.select(Home.id).where(Home.id == home_id).for_update().execute()
    else:
        User.select(User.id).where(User.id == user_id).for_update().execute()


def _write(
    round_id: int, user_id: int, home_id: int | None, before: dict[int, int], wanted: dict[int, int], now: Any
) -> None:
    gone = [theme for theme in before if theme not in wanted]
    if gone:
        Vote.delete().where(Vote.round == round_id, Vote.voter == user_id, Vote.theme.in_(gone)).execute()
    for theme, dots in wanted.items():
        if theme not in before:
            Vote.create(
                round=round_id, theme=theme, voter=user_id, home=home_id, dots=dots, created_at=now, updated_at=now
            )
        elif before[theme] != dots:
            Vote.update(dots=dots, home=home_id, updated_at=now).where(
                Vote.round == round_id, Vote.voter == user_id, Vote.theme == theme
            ).execute()


def _budget_after(round_: PriorityRound, user_id: int, home_id: int | None, shared: bool) -> Budget:
    used, mine = _used(round_.id, user_id, home_id, shared)
    return Budget(round_.budget, used, mine, shared)


def ask_to_revote(actor: Actor, theme_id: int, into_id: int) -> int:
    """Run inside the merge of theme ``theme_id`` into ``into_id``: in every open round whose ballot has it, delete
    the votes given to it (their dots go back to each voter's budget), ask each voter to vote again, and put the
    theme it was merged into on the ballot in its place (on ballots not yet open too). Closed and
    cancelled rounds keep their votes and ballots as they were. Returns how many voters were asked.
    """
    now = utcnow()
    rounds = (
        PriorityRound.select()
        .join(RoundTheme, on=(RoundTheme.round == PriorityRound.id))
        .where(RoundTheme.theme == theme_id, PriorityRound.status != RoundStatus.CANCELLED)
    )
    asked = 0
    for round_ in rounds:
        phase = phase_of(round_, now)
        if phase == Phase.CLOSED:
            continue
        votes: list[Vote] = []
        if phase == Phase.OPEN:
            votes = list(Vote.select().where(Vote.round == round_.id, Vote.theme == theme_id).order_by(Vote.id))
            for vote in votes:
                RevoteRequest.create(
                    round=round_.id,
                    voter=vote.voter_id,  # type: ignore[attr-defined]
                    theme=theme_id,
                    merged_into=into_id,
                    dots=vote.dots,
                )
                record_event(
                    "cocreation.revote_requested",
                    {
                        "round_id": round_.id,
                        "user_id": vote.voter_id,  # type: ignore[attr-defined]
                        "theme_id": theme_id,
                        "merged_into_id": into_id,
                    },
                )
            Vote.delete().where(Vote.round == round_.id, Vote.theme == theme_id).execute()
            asked += len(votes)
        _replace_on_ballot(round_.id, theme_id, into_id)
        changes: dict[str, dict[str, Any]] = {
            "theme_merged": {"before": theme_id, "after": into_id},
            "voters_asked": {"before": None, "after": len(votes)},
        }
        record_audit(actor, "priority_round.theme_merged", "priority_round", round_.id, changes)
    return asked


def _replace_on_ballot(round_id: int, theme_id: int, into_id: int) -> None:
    """Put ``into_id`` on the ballot in the place of ``theme_id`` (archived now, so nobody can vote for it), or
    just drop ``theme_id`` when ``into_id`` is on the ballot already."""
    old = RoundTheme.get(RoundTheme.round == round_id, RoundTheme.theme == theme_id)
    if not RoundTheme.select().where(RoundTheme.round == round_id, RoundTheme.theme == into_id).exists():
        RoundTheme.create(round=round_id, theme=into_id, position=old.position)
    old.delete_instance()
