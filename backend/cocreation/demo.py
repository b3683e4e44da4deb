"""The demo's co-creation: published themes with quotes, a round open for votes and one closed with its results,
changes at every stage with followers and comments, a digest and the landlord's pages.

Needs the demo accounts, lessons and themes (backend.demo). Running again changes nothing. Each part is its own
function, called in order by :func:`load_demo_cocreation`.
"""

from __future__ import annotations

import datetime as dt

from backend.accounts.models import User
from backend.accounts.tokens import actor_for_user
from backend.cocreation import ballots, rounds
from backend.cocreation.models import PriorityRound, RoundStatus, Vote
from backend.lessons.demo import THEMES
from backend.lessons.models import Theme
from backend.timeutil import utcnow


def load_demo_cocreation() -> None:
    """Create the demo's co-creation data once."""
    _demo_publish_themes()
    _demo_rounds()


def _demo_publish_themes() -> None:
    """The lessons demo's themes, named for residents in every language, are the ones residents see."""
    Theme.update(published_at=utcnow()).where(Theme.name.in_(list(THEMES)), Theme.published_at.is_null()).execute()


#: The demo's rounds, by their English titles: one open now, one closed and counted last quarter.
OPEN_ROUND = "Which should we fix first this winter?"
PAST_ROUND = "What mattered most last quarter?"


def _demo_rounds() -> None:
    """A round open now (3 dots, per resident, the demo's published themes, anyone may vote) that the Welsh demo
    resident has not voted in, and one from last quarter, closed and counted, with some demo residents' votes."""
    manager = actor_for_user(User.get(User.email == "manager@example.org"))
    published = [
        theme.id
        for theme in Theme.select()
        .where(Theme.published_at.is_null(False), Theme.archived_at.is_null())
        .order_by(Theme.id)
    ]
    if len(published) < rounds.BALLOT_RANGE[0]:
        return
    ballot = published[: rounds.BALLOT_RANGE[1]]
    now = utcnow().replace(microsecond=0)
    titles = {(row.title or {}).get("en") for row in PriorityRound.select(PriorityRound.title)}
    if OPEN_ROUND not in titles:
        made = rounds.create_round(
            manager,
            {
                "title": {"en": OPEN_ROUND, "cy": "Beth ddylen ni ei drwsio gyntaf y gaeaf hwn?"},
                "description": {
                    "en": "You have 3 votes. Give them to the themes that matter most to you.",
                    "cy": "Mae gennych 3 phleidlais. Rhowch nhw i'r themâu sydd bwysicaf i chi: y 3 ar un os mynnwch.",
                },
                "opens_at": now - dt.timedelta(days=1),
                "closes_at": now + dt.timedelta(days=60),
                "budget": 3,
                "max_per_theme": 3,
                "theme_ids": ballot,
            },
        )
        rounds.publish_round(manager, made.id)
    if PAST_ROUND not in titles:
        start = (now - dt.timedelta(days=100)).replace(hour=9, minute=0, second=0)
        past = rounds.create_round(
            manager,
            {
                "title": {"en": PAST_ROUND, "cy": "Beth oedd bwysicaf y chwarter diwethaf?"},
                "opens_at": start,
                "closes_at": start + dt.timedelta(days=28),
                "budget": 3,
                "max_per_theme": 3,
                "theme_ids": ballot,
            },
        )
        # A round that closed before the demo existed can't be published or voted in through the services (they
        # refuse the past), so its publication and its residents' votes are written as they would have been then.
        PriorityRound.update(status=RoundStatus.PUBLISHED, published_at=start).where(
            PriorityRound.id == past.id
        ).execute()
        for email, given in (("resident@example.org", (2, 1)), ("resident.scotland@example.org", (0, 3))):
            voter = User.get_or_none(User.email == email)
            if voter is None:
                continue
            for theme_id, dots in zip(ballot, given, strict=False):
                if dots:
                    Vote.create(
                        round=past.id,
                        theme=theme_id,
                        voter=voter.id,
                        home=voter.home_id,  # type: ignore[attr-defined]
                        dots=dots,
                        created_at=start,
                    )
        ballots.count_round(past.id)
