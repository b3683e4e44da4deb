"""The demo's co-creation: published themes with quotes, a round open for votes and one closed with its results,
changes at every stage with followers and comments, a digest and the landlord's pages.

Needs the demo accounts, lessons and themes (backend.demo). Running again changes nothing. Each part is its own
function, called in order by :func:`load_demo_cocreation`.
"""

from __future__ import annotations

from backend.accounts.models import User
from backend.cocreation import digests, pages
from backend.cocreation.models import Digest, LandlordPage
from backend.context import Actor
from backend.lessons.demo import THEMES
from backend.lessons.models import Theme
from backend.timeutil import local_date, utcnow


def load_demo_cocreation() -> None:
    """Create the demo's co-creation data once."""
    _demo_publish_themes()
    _demo_publication()


def _demo_publish_themes() -> None:
    """The lessons demo's themes, named for residents in every language, are the ones residents see."""
    Theme.update(published_at=utcnow()).where(Theme.name.in_(list(THEMES)), Theme.published_at.is_null()).execute()


def _demo_publication() -> None:
    """Last quarter's digest, drafted by staff and published by the manager, and the landlord's accessibility and
    contact pages in English and Welsh."""
    def actor(email: str) -> Actor:
        user = User.get(User.email == email)
        return Actor(user_id=user.id, roles=user.role_names(), label=f"user:{user.id}")

    year, quarter = digests.previous_quarter(*digests.quarter_of(local_date()))
    if not Digest.select().where(Digest.year == year, Digest.quarter == quarter).exists():
        staff, manager = actor("staff@example.org"), actor("manager@example.org")
        digest = digests.assemble_digest(staff, year, quarter)
        digests.update_digest(
            staff,
            digest.id,
            {
                "en": "Here is what you told us last quarter, what we changed because of it, and how things are going.",
                "cy": "Dyma beth ddywedoch chi wrthym y chwarter diwethaf, beth wnaethom ei newid o'i herwydd, a sut "
                "mae pethau'n mynd.",
            },
        )
        digests.submit_digest(staff, digest.id)
        digests.publish_digest(manager, digest.id)
    admin = actor("admin@example.org")
    written = {
        ("accessibility", "en"): (
            "Accessibility statement",
            "We want everyone to be able to use this website. It aims to meet WCAG 2.2 at level AA.\n\n"
            "## If something does not work for you\n\n"
            "- [Contact us](/pages/contact)\n- [Make a complaint](/how-to-complain)",
        ),
        ("accessibility", "cy"): (
            "Datganiad hygyrchedd",
            "Rydym am i bawb allu defnyddio'r wefan hon. Ei nod yw bodloni WCAG 2.2 ar lefel AA.\n\n"
            "## Os nad yw rhywbeth yn gweithio i chi\n\n"
            "- [Cysylltu â ni](/pages/contact)\n- [Gwneud cwyn](/how-to-complain)",
        ),
        ("contact", "en"): (
            "Contact us",
            "Write to us at 1 High Street, Anytown, AB1 2CD (a made-up address for the demo).\n\n"
            "## Other ways\n\n- Use the [how to complain](/how-to-complain) page to complain.",
        ),
        ("contact", "cy"): (
            "Cysylltu â ni",
            "Ysgrifennwch atom yn 1 High Street, Anytown, AB1 2CD (cyfeiriad ffug ar gyfer y demo).\n\n"
            "## Ffyrdd eraill\n\n- Defnyddiwch y dudalen [sut i gwyno](/how-to-complain) i gwyno.",
        ),
    }
    for (kind, locale), (title, body) in written.items():
        if not LandlordPage.select().where(LandlordPage.kind == kind, LandlordPage.locale == locale).exists():
            pages.set_page(admin, kind, locale, title, body)
