"""The demo's co-creation: published themes with quotes, a round open for votes and one closed with its results,
changes at every stage with followers and comments, a digest and the landlord's pages.

Needs the demo accounts, lessons and themes (backend.demo). Running again changes nothing. Each part is its own
function, called in order by :func:`load_demo_cocreation`.
"""

from __future__ import annotations

from backend.accounts.models import User
from backend.cocreation.followers import follow_change
from backend.cocreation.models import Change, ChangeFollow
from backend.context import Actor
from backend.lessons.demo import THEMES
from backend.lessons.models import Theme
from backend.timeutil import utcnow


def load_demo_cocreation() -> None:
    """Create the demo's co-creation data once."""
    _demo_publish_themes()
    _demo_follows()


def _demo_publish_themes() -> None:
    """The lessons demo's themes, named for residents in every language, are the ones residents see."""
    Theme.update(published_at=utcnow()).where(Theme.name.in_(list(THEMES)), Theme.published_at.is_null()).execute()


def _demo_follows() -> None:
    """The demo resident follows the first published change (when the demo has any). Once they have a choice about
    any change (followed or stopped) nothing is done again, so a stop they chose stays."""
    resident = User.get_or_none(User.email == "resident@example.org")
    change = Change.select().where(Change.published_at.is_null(False)).order_by(Change.id).first()
    if resident is None or change is None:
        return
    if ChangeFollow.select().where(ChangeFollow.user == resident.id).exists():
        return
    follow_change(Actor(user_id=resident.id, roles=resident.role_names(), label="demo"), change.id)
