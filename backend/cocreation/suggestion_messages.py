"""The message a resident gets when staff moderate the theme they suggested: accepted as a new theme, linked to one
that already stands for it, or declined, with the moderator's reason.

It goes to the resident in their own language and by their own channel, through the notifications machinery. It is
of the optional topic "changes" (what residents bring about), so a resident who asked for a digest gets it there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.cocreation.models import SuggestionStatus, ThemeSuggestion
from backend.config import current
from backend.i18n import N_, translations
from backend.lessons.models import ThemeText
from backend.notifications.catalogue import HELLO, EventGroup, EventSpec, Recipient

SUGGESTION_EVENTS = EventGroup()

VARIABLES = {
    "title": "Bin collections",
    "outcome": "Accepted: it is a new theme residents can vote on once it is published.",
    "theme": "Bins and recycling",
    "reason": "Many residents have told us about this.",
}
#: What happened to the suggestion, in the resident's language.
OUTCOME_WORDS: dict[str, str] = {
    SuggestionStatus.ACCEPTED: N_("Accepted: it is a new theme residents can vote on once it is published."),
    SuggestionStatus.LINKED: N_("Added to a theme that already stands for it."),
    SuggestionStatus.DECLINED: N_("Not taken forward."),
    SuggestionStatus.PENDING: N_("Waiting for a moderator."),
}


def _theme_name(theme_id: int | None, locale: str) -> str:
    if theme_id is None:
        return ""
    texts = {
        row.locale: row.name
        for row in ThemeText.select().where(ThemeText.theme == theme_id, ThemeText.locale.in_({locale, "en"}))
    }
    return texts.get(locale) or texts.get("en") or ""


def suggestion_values(payload: Mapping[str, Any], user: Any, locale: str) -> dict[str, Any]:
    """The suggestion's title, its outcome in the reader's language, the theme it became part of, and the reason."""
    suggestion = ThemeSuggestion.get_or_none(ThemeSuggestion.id == payload.get("suggestion_id"))
    if suggestion is None:
        return dict.fromkeys(VARIABLES, "")
    words = OUTCOME_WORDS.get(str(suggestion.status), OUTCOME_WORDS[SuggestionStatus.PENDING])
    return {
        "title": suggestion.title,
        "outcome": translations(locale).gettext(words),
        "theme": _theme_name(suggestion.theme_id, locale) or "-",  # type: ignore[attr-defined]
        "reason": suggestion.reason,
    }


def _suggestions_link(recipient: Recipient) -> str:
    return f"{current().base_url}/themes/suggest"


SUGGESTION_EVENTS.add(
    EventSpec(
        "cocreation.suggestion_moderated",
        "changes",
        N_("Your theme suggestion: %(title)s"),
        (
            HELLO,
            N_("Thank you for suggesting the theme “%(title)s”."),
            N_("Outcome: %(outcome)s"),
            N_("Theme: %(theme)s"),
            N_("Why: %(reason)s"),
        ),
        VARIABLES,
        N_("See your suggestions"),
        N_("Tells a resident what staff decided about a theme they suggested, and why."),
        context=suggestion_values,
        link=_suggestions_link,
        sample_link="https://example.org/themes/suggest",
    )
)
