"""The demo's co-creation: published themes with quotes, a round open for votes and one closed with its results,
changes at every stage with followers and comments, a digest and the landlord's pages.

Needs the demo accounts, lessons and themes (backend.demo). Running again changes nothing. Each part is its own
function, called in order by :func:`load_demo_cocreation`.
"""

from __future__ import annotations

import datetime as dt

from backend.accounts.models import User
from backend.accounts.tokens import actor_for_user
from backend.cocreation import ballots, changes, comments, digests, impact, pages, progress, quotes, rounds, suggestions
from backend.cocreation.followers import follow_change
from backend.cocreation.models import (
    Change,
    ChangeComment,
    ChangeFollow,
    ChangeStatus,
    Digest,
    ImpactAsk,
    LandlordPage,
    PriorityRound,
    RoundStatus,
    ThemeQuote,
    ThemeSuggestion,
    Vote,
)
from backend.complaints.models import Contact, ServiceArea
from backend.context import Actor
from backend.lessons.demo import COMPLAINTS, THEMES
from backend.lessons.models import ImprovementAction, Lesson, LessonTheme, Theme
from backend.lessons.themes import enabled_locales
from backend.surveys import answers, invitations
from backend.surveys.models import SurveyInvitation
from backend.timeutil import local_date, utcnow


def load_demo_cocreation() -> None:
    """Create the demo's co-creation data once."""
    _demo_publish_themes()
    _demo_themes()
    _demo_rounds()
    _demo_changes()
    _demo_follows()
    _demo_impact()
    _demo_comments()
    _demo_publication()


def _demo_publish_themes() -> None:
    """The lessons demo's themes, named for residents in every language, are the ones residents see."""
    Theme.update(published_at=utcnow()).where(Theme.name.in_(list(THEMES)), Theme.published_at.is_null()).execute()


def _demo_impact() -> None:
    """The most recently implemented public change asks the Welsh demo resident whether it made a difference: her
    invitation is sent and unanswered, so she (or a browser test) can answer it with one click. Four other demo
    residents have answered already (yes, yes, partly, no), so her answer is the fifth and the first to show a
    share. Nothing happens when no change is implemented yet, or when she was asked already."""
    change = (
        Change.select()
        .where(
            Change.implemented_at.is_null(False),
            Change.published_at.is_null(False),
            Change.status == ChangeStatus.IMPLEMENTED,
        )
        .order_by(Change.implemented_at.desc(), Change.id.desc())
        .first()
    )
    gwen = User.get_or_none(User.email == "preswylydd@example.org")
    if change is None or gwen is None:
        return
    if ImpactAsk.select().where(ImpactAsk.change == change.id, ImpactAsk.user == gwen.id).exists():
        return
    others = {
        "resident@example.org": "yes",
        "resident.scotland@example.org": "yes",
        "panel@example.org": "partly",
        "advocate@example.org": "no",
    }
    now = utcnow() - dt.timedelta(minutes=1)
    question = impact.questions_of_impact_survey()[0]
    for email, answer in others.items():
        person = User.get_or_none(User.email == email)
        ask = impact.ask_about_change(change, person.id, now) if person is not None else None
        if ask is None:
            continue
        invitation = SurveyInvitation.get_by_id(ask.invitation_id)  # type: ignore[attr-defined]
        invitations.send_invitation(invitation, now, cap=False)
        answers.record_answers(SurveyInvitation.get_by_id(invitation.id), {question.id: answer}, "en", final=True)
    ask = impact.ask_about_change(change, gwen.id, now)
    if ask is not None:
        invitations.send_invitation(SurveyInvitation.get_by_id(ask.invitation_id), now, cap=False)  # type: ignore[attr-defined]


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


def _demo_changes() -> None:
    """Three published changes for the demo's themes: one planned, one in progress with two milestones (one done)
    and one implemented some weeks ago, linked to the heating complaint's contact, its lesson and an action.

    Recorded through the services, as staff and a manager; only the day it was implemented is set back by hand, so
    that the demo has a change old enough for its impact survey.
    """
    first = "We text you when your repair date moves"
    if any(change.title.get("en") == first for change in Change.select(Change.title)):
        return
    staff = actor_for_user(User.get(User.email == "staff@example.org"))
    manager = actor_for_user(User.get(User.email == "manager@example.org"))
    themes = {t.name: t.id for t in Theme.select().where(Theme.name.in_(list(THEMES)))}
    area = ServiceArea.get_or_none(ServiceArea.name == "Repairs")
    today = local_date()

    def record(theme: str, texts: dict[str, dict[str, str]], changed_on: dt.date) -> Change:
        change = changes.create_change(
            staff, {**texts, "service_area_id": area.id if area else None, "changed_on": changed_on}
        )
        changes.set_links(staff, change.id, theme_ids=[themes[theme]] if theme in themes else [])
        changes.publish_change(manager, change.id)
        return change

    record(
        "Keeping residents informed",
        {
            "title": {
                "en": first,
                "cy": "Rydyn ni'n anfon neges pan fydd dyddiad eich atgyweiriad yn newid",
            },
            "what": {
                "en": "When the date of a repair changes, we will send you a text message the same day.",
                "cy": "Pan fydd dyddiad atgyweiriad yn newid, byddwn yn anfon neges destun atoch yr un diwrnod.",
            },
            "why": {
                "en": "You told us you waited in for repairs that had been moved without anyone telling you.",
                "cy": "Dywedoch wrthym eich bod wedi aros gartref am atgyweiriadau a symudwyd "
                "heb i neb ddweud wrthych.",
            },
            "easy_read": {
                "en": "If your repair day changes, we will text you.",
                "cy": "Os bydd diwrnod eich atgyweiriad yn newid, byddwn yn anfon neges destun.",
            },
        },
        today + dt.timedelta(days=60),
    )
    booking = record(
        "Repairs appointments",
        {
            "title": {
                "en": "Repair visits booked only when the contractor has room",
                "cy": "Ymweliadau atgyweirio wedi'u trefnu dim ond pan fydd lle gan y contractwr",
            },
            "what": {
                "en": "Our booking team now sees the contractor's diary, so a visit is only booked when it can happen.",
                "cy": "Mae ein tîm archebu bellach yn gweld dyddiadur y contractwr, felly dim ond pan all "
                "ddigwydd y caiff ymweliad ei drefnu.",
            },
            "why": {
                "en": "You told us repair visits were cancelled on the day, again and again.",
                "cy": "Dywedoch wrthym fod ymweliadau atgyweirio'n cael eu canslo ar y diwrnod, dro ar ôl tro.",
            },
            "easy_read": {
                "en": "We only book a repair visit when someone can come.",
                "cy": "Dim ond pan all rhywun ddod y byddwn ni'n trefnu ymweliad atgyweirio.",
            },
        },
        today + dt.timedelta(days=30),
    )
    shared = progress.add_milestone(
        staff,
        booking.id,
        {
            "title": {
                "en": "Share the contractor's diary with the booking team",
                "cy": "Rhannu dyddiadur y contractwr gyda'r tîm archebu",
            },
            "due_on": today - dt.timedelta(days=7),
        },
    )
    progress.add_milestone(
        staff,
        booking.id,
        {
            "title": {"en": "Offer morning and afternoon slots", "cy": "Cynnig slotiau bore a phrynhawn"},
            "due_on": today + dt.timedelta(days=30),
        },
    )
    progress.move_change(
        staff,
        booking.id,
        status="in_progress",
        percent=20,
        note={"en": "Work has started.", "cy": "Mae'r gwaith wedi dechrau."},
    )
    progress.mark_milestone_done(staff, shared.id, done_on=today - dt.timedelta(days=3))
    progress.move_change(
        staff,
        booking.id,
        percent=60,
        note={"en": "The booking team can see the diary.", "cy": "Gall y tîm archebu weld y dyddiadur."},
    )

    heater = record(
        "Heating and hot water",
        {
            "title": {
                "en": "A heater on the first day your heating fails",
                "cy": "Gwresogydd ar y diwrnod cyntaf y bydd eich gwres yn methu",
            },
            "what": {
                "en": "When you report no heating, we now bring a temporary heater the same day.",
                "cy": "Pan fyddwch yn rhoi gwybod nad oes gwres, rydyn ni bellach yn dod â gwresogydd dros dro "
                "yr un diwrnod.",
            },
            "why": {
                "en": "You told us families waited days in cold homes for boiler parts.",
                "cy": "Dywedoch wrthym fod teuluoedd wedi aros dyddiau mewn cartrefi oer am rannau boeler.",
            },
            "easy_read": {
                "en": "No heating? We bring you a heater that day.",
                "cy": "Dim gwres? Rydyn ni'n dod â gwresogydd i chi'r diwrnod hwnnw.",
            },
        },
        today - dt.timedelta(days=42),
    )
    contact = Contact.get_or_none(Contact.description == COMPLAINTS["heating"][0])
    lesson = (
        Lesson.select().join(LessonTheme).where(LessonTheme.theme == themes.get("Heating and hot water", 0)).first()
    )
    action = (
        ImprovementAction.select().where(ImprovementAction.lesson == lesson.id).order_by(ImprovementAction.id).first()
        if lesson
        else None
    )
    changes.set_links(
        staff,
        heater.id,
        lesson_references=[lesson.reference] if lesson else None,
        action_ids=[action.id] if action else None,
        contact_references=[contact.reference] if contact else None,
    )
    progress.move_change(
        staff,
        heater.id,
        status="implemented",
        note={"en": "Heaters go out the same day.", "cy": "Mae gwresogyddion yn mynd allan yr un diwrnod."},
    )
    # The demo needs a change implemented some weeks ago: set back the day, as if it had been recorded then.
    Change.update(implemented_at=utcnow() - dt.timedelta(weeks=6)).where(Change.id == heater.id).execute()


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
