"""The demo's co-creation: published themes with quotes, a round open for votes and one closed with its results,
changes at every stage with followers and comments, a digest and the landlord's pages.

Needs the demo accounts, lessons and themes (backend.demo). Running again changes nothing. Each part is its own
function, called in order by :func:`load_demo_cocreation`.
"""

from __future__ import annotations

import datetime as dt

from backend.accounts.models import User
from backend.accounts.tokens import actor_for_user
from backend.cocreation import changes, progress
from backend.cocreation.models import Change
from backend.complaints.models import Contact, ServiceArea
from backend.lessons.demo import COMPLAINTS, THEMES
from backend.lessons.models import ImprovementAction, Lesson, LessonTheme, Theme
from backend.timeutil import local_date, utcnow


def load_demo_cocreation() -> None:
    """Create the demo's co-creation data once."""
    _demo_publish_themes()
    _demo_changes()


def _demo_publish_themes() -> None:
    """The lessons demo's themes, named for residents in every language, are the ones residents see."""
    Theme.update(published_at=utcnow()).where(Theme.name.in_(list(THEMES)), Theme.published_at.is_null()).execute()


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
