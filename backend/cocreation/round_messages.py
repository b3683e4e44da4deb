"""The message to a resident asked to vote again in a priority round, because a theme they voted for was merged into
another: their votes for it went back to their budget.

It goes to the voter (the event's ``user_id``) in their own language and by their own channel. It is of the optional
topic "changes" (voting is how residents say which changes matter), so a resident who asked for a digest gets it
there. It names the round and both themes by the names residents see, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.cocreation.models import PriorityRound
from backend.config import current
from backend.i18n import N_
from backend.lessons.models import ThemeText
from backend.notifications.catalogue import HELLO, EventGroup, EventSpec, Recipient

ROUND_EVENTS = EventGroup()

VARIABLES = {
    "round": "What should we fix first?",
    "theme": "Damp and mould",
    "merged_into": "Repairs to homes",
}


def in_language(texts: Mapping[str, str], locale: str) -> str:
    """The text in ``locale``, else English, else any; "" when there is none."""
    return texts.get(locale) or texts.get("en") or next(iter(texts.values()), "")


def theme_name(theme_id: Any, locale: str) -> str:
    """The name residents see of the theme, in ``locale`` (English when it has none there)."""
    names = {row.locale: row.name for row in ThemeText.select().where(ThemeText.theme == theme_id)}
    return in_language(names, locale)


def revote_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    """The round's title and both themes' names, in the reader's language."""
    round_ = PriorityRound.get_or_none(PriorityRound.id == payload.get("round_id"))
    return {
        "round": in_language(round_.title or {}, locale) if round_ is not None else "",
        "theme": theme_name(payload.get("theme_id"), locale),
        "merged_into": theme_name(payload.get("merged_into_id"), locale),
    }


def _round_link(recipient: Recipient) -> str:
    return f"{current().base_url}/rounds/{int(recipient.payload.get('round_id') or 0)}"


ROUND_EVENTS.add(
    EventSpec(
        "cocreation.revote_requested",
        "changes",
        N_("Please vote again: %(round)s"),
        (
            HELLO,
            N_(
                "You voted for %(theme)s in %(round)s. %(theme)s has become part of %(merged_into)s, so your votes for "
                "it have been given back to you."
            ),
            N_("The round is still open: you can use them again for any theme on the list, %(merged_into)s included."),
        ),
        VARIABLES,
        N_("Vote again"),
        N_("Asks a resident to vote again in an open priority round when a theme they voted for is merged."),
        context=revote_values,
        link=_round_link,
        sample_link="https://example.org/rounds/1",
    )
)
