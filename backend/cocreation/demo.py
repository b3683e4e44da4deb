"""The demo's co-creation: published themes with quotes, a round open for votes and one closed with its results,
changes at every stage with followers and comments, a digest and the landlord's pages.

Needs the demo accounts, lessons and themes (backend.demo). Running again changes nothing. Each part is its own
function, called in order by :func:`load_demo_cocreation`.
"""

from __future__ import annotations

from backend.accounts.models import User
from backend.accounts.tokens import actor_for_user
from backend.cocreation import quotes, suggestions
from backend.cocreation.models import ThemeQuote, ThemeSuggestion
from backend.lessons.demo import THEMES
from backend.lessons.models import Theme
from backend.lessons.themes import enabled_locales
from backend.timeutil import utcnow


def load_demo_cocreation() -> None:
    """Create the demo's co-creation data once."""
    _demo_publish_themes()
    _demo_themes()


def _demo_publish_themes() -> None:
    """The lessons demo's themes, named for residents in every language, are the ones residents see."""
    Theme.update(published_at=utcnow()).where(Theme.name.in_(list(THEMES)), Theme.published_at.is_null()).execute()


def _demo_themes() -> None:
    """Approved quotes in English and Welsh for two published themes; one pending and one declined suggestion."""

    people = {u.email: u for u in User.select().where(User.email.in_(DEMO_PEOPLE))}
    if len(people) != len(DEMO_PEOPLE):
        return
    staff, manager = actor_for_user(people["staff@example.org"]), actor_for_user(people["manager@example.org"])
    for name, said in DEMO_QUOTES.items():
        theme = Theme.get_or_none(Theme.name == name)
        if theme is None or ThemeQuote.select().where(ThemeQuote.theme == theme.id).exists():
            continue
        for locale, text in said:
            if locale not in enabled_locales():
                continue
            quotes.approve_quote(manager, quotes.propose_quote(staff, theme.id, locale, text).id)
    sam, gwen = people["resident@example.org"], people["preswylydd@example.org"]
    if not ThemeSuggestion.select().where(ThemeSuggestion.author.in_([sam.id, gwen.id])).exists():
        suggestions.suggest_theme(
            actor_for_user(sam), "Communal gardens", "The shared gardens are overgrown and nobody says who cuts them."
        )
        declined = suggestions.suggest_theme(
            actor_for_user(gwen), "Parcio ar y stad", "Does dim digon o lefydd parcio gyda'r nos.", "cy"
        )
        suggestions.decline_suggestion(
            staff,
            declined.id,
            "Parking on the estate's roads is the council's, not ours. We have passed your suggestion on to them.",
        )


DEMO_PEOPLE = (
    "staff@example.org",
    "manager@example.org",
    "resident@example.org",
    "preswylydd@example.org",
)
#: Two of the lessons demo's themes, and what residents said of them (fictional), in English and Welsh.
DEMO_QUOTES: dict[str, tuple[tuple[str, str], ...]] = {
    "Repairs appointments": (
        ("en", "I took a day off work for the repair and nobody came or rang."),
        ("cy", "Cymerais ddiwrnod i ffwrdd o'r gwaith a ddaeth neb, a ffoniodd neb chwaith."),
    ),
    "Damp and mould": (
        ("en", "The mould came back a month after it was painted over."),
        ("cy", "Daeth y llwydni yn ôl fis ar ôl iddo gael ei baentio drosodd."),
    ),
}
