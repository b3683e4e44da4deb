"""The demo's co-creation: published themes with quotes, a round open for votes and one closed with its results,
changes at every stage with followers and comments, a digest and the landlord's pages.

Needs the demo accounts, lessons and themes (backend.demo). Running again changes nothing. Each part is its own
function, called in order by :func:`load_demo_cocreation`.
"""

from __future__ import annotations

from backend.accounts.models import User
from backend.accounts.tokens import actor_for_user
from backend.cocreation import comments
from backend.cocreation.models import Change, ChangeComment
from backend.lessons.demo import THEMES
from backend.lessons.models import Theme
from backend.timeutil import utcnow


def load_demo_cocreation() -> None:
    """Create the demo's co-creation data once."""
    _demo_publish_themes()
    _demo_comments()


def _demo_publish_themes() -> None:
    """The lessons demo's themes, named for residents in every language, are the ones residents see."""
    Theme.update(published_at=utcnow()).where(Theme.name.in_(list(THEMES)), Theme.published_at.is_null()).execute()


def _demo_comments() -> None:
    """On the first published change, if there is one: two residents' comments (one in Welsh), the landlord's
    official reply, and a comment held for a moderator because it gives a phone number."""
    change = Change.select().where(Change.published_at.is_null(False)).order_by(Change.id).first()
    if change is None or ChangeComment.select().where(ChangeComment.change == change.id).exists():
        return
    sam = actor_for_user(User.get(User.email == "resident@example.org"))
    gwen = actor_for_user(User.get(User.email == "preswylydd@example.org"))
    staff = actor_for_user(User.get(User.email == "staff@example.org"))
    first = comments.post_comment(
        sam,
        change.reference,
        "This made a real difference for me: I knew when they were coming and I was in when they arrived.",
        "en",
    )
    comments.post_comment(gwen, change.reference, "Mae hyn yn well o lawer. Diolch am wrando arnom ni.", "cy")
    comments.reply_to_comment(
        staff, first.id, "Thank you for telling us. We will keep checking that it works for everyone.", "en"
    )
    comments.post_comment(
        sam, change.reference, "The mould in my bathroom is still there. Please ring me on 07700 900456.", "en"
    )
