"""Nothing published by co-creation lets personal data out: no public page, feed or anonymous query.

A closed complaint is seeded with canary personal data in every field (tests/canary.py). Then every source a public
page can draw on is given canaries too, by the SEEDERS below: its contact linked to a change and to a published
theme, comments held and published by the canary resident, a theme quote from the contact, a suggestion, votes,
a digest whose introduction has the canaries typed in, the landlord's pages and success stories recorded by canary
staff. Then every public path (PATHS, and every GET page of the public blueprint) and every root field of the
anonymous API (walked from the schema itself, so a field added later is walked too) is read: no answer may hold a
canary.

To extend it: add a seeder to SEEDERS (it gets the world and adds its rows and canaries to it) and the paths it
shows to PATHS. Paths of pages still being built elsewhere are in BUILT_ELSEWHERE: only those may answer 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from backend.cocreation import digests, pages
from backend.cocreation.models import (
    ChangeComment,
    ChangeContact,
    ChangeTheme,
    ChangeUpdate,
    PriorityRound,
    RoundTheme,
    ThemeQuote,
    ThemeSuggestion,
    Vote,
)
from backend.complaints.models import Contact
from backend.lessons.models import ContactTheme, StoryMedia, SuccessStory
from backend.timeutil import utcnow
from tests import factories
from tests.canary import (
    RESIDENT_ADDRESS,
    RESIDENT_EMAIL,
    RESIDENT_NAME,
    RESIDENT_PHONE,
    RESIDENT_POSTCODE,
    seed_canary_case,
)
from tests.factories import actor_of
from tests.panel_walk import walk_graphql, walk_pages
from tests.test_panel_canary import leaks

World = dict[str, Any]


def _canary_staff(world: World, role: str = "staff") -> Any:
    """A member of staff with a canary name and email address."""
    number = len(world["staff"]) + 1
    name, email = f"Wilhelmina Quorndyke{number}", f"quorndyke{number}@landlord.example"
    user = factories.make_user(role, email=email)
    user.display_name = name
    user.save()
    world["staff"].append(user)
    world["canaries"] += [name, email]
    return user


def _paragraph(world: World) -> str:
    """Every canary, typed the ways people type them."""
    return (
        f"{RESIDENT_NAME} of {RESIDENT_ADDRESS}, {RESIDENT_POSTCODE}, rang from {RESIDENT_PHONE} and wrote from "
        f"{RESIDENT_EMAIL} about {world['contact'].reference}. Staff: "
        + ", ".join(f"{user.display_name} ({user.email})" for user in world["staff"])
    )


def seed_change(world: World) -> None:
    """A published change with the canary contact linked, its theme, a move, all recorded by canary staff."""
    recorder = _canary_staff(world)
    change = factories.make_change(reference="CH-2026-01", created_by=recorder.id)
    ChangeContact.create(change=change.id, contact=world["contact"].id, linked_by=recorder.id)
    ChangeTheme.create(change=change.id, theme=world["theme"].id)
    ChangeUpdate.create(change=change.id, kind="status", status="in_progress", percent=50, created_by=recorder.id)
    world["change"] = change


def seed_theme_links(world: World) -> None:
    """The canary contact linked to the published theme, and a quote from it proposed and approved by canary staff."""
    staff = _canary_staff(world)
    ContactTheme.create(contact=world["contact"].id, theme=world["theme"].id, linked_by=staff.id)
    ThemeQuote.create(
        theme=world["theme"].id,
        locale="en",
        text="The engineer never came.",
        contact=world["contact"].id,
        status="approved",
        proposed_by=staff.id,
        approved_by=staff.id,
        approved_at=utcnow(),
    )
    ThemeQuote.create(theme=world["theme"].id, locale="en", text=_paragraph(world), contact=world["contact"].id)


def seed_comments(world: World) -> None:
    """A held comment with the canaries in it, and a published one by the canary resident (redacted as published)."""
    change = world["change"]
    ChangeComment.create(change=change.id, author=world["resident"].id, body=_paragraph(world), status="held")
    ChangeComment.create(
        change=change.id,
        author=world["resident"].id,
        body=_paragraph(world),
        body_public="The reminder meant I was in.",
        status="published",
    )


def seed_suggestion(world: World) -> None:
    """A theme suggested by the canary resident, with the canaries in it, waiting and declined."""
    for status in ("pending", "declined"):
        ThemeSuggestion.create(
            author=world["resident"].id,
            title="Bins",
            description=_paragraph(world),
            status=status,
            reason="Already a theme." if status == "declined" else "",
        )


def seed_votes(world: World) -> None:
    """The canary resident's votes in a closed, counted round on the published theme."""
    now = utcnow()
    round_ = factories.make_priority_round(
        themes=[world["theme"]], opens_at=now - dt.timedelta(days=9), closes_at=now - dt.timedelta(days=2)
    )
    PriorityRound.update(counted_at=now - dt.timedelta(days=1)).where(PriorityRound.id == round_.id).execute()
    Vote.create(round=round_.id, theme=world["theme"].id, voter=world["resident"].id, dots=1)
    RoundTheme.update(votes=1, voters=1).where(RoundTheme.round == round_.id).execute()
    world["round"] = round_


def seed_story(world: World) -> None:
    """An approved success story drafted and approved by canary staff, with a video link."""
    story = factories.make_success_story()
    SuccessStory.update(
        status="approved", drafted_by=_canary_staff(world).id, approved_by=_canary_staff(world, "manager").id
    ).where(SuccessStory.id == story.id).execute()
    SuccessStory.update(approved_at=utcnow()).where(SuccessStory.id == story.id).execute()
    StoryMedia.create(story=story.id, url="https://video.example.net/x", alt_text="A reminder text.")
    world["story"] = story


def seed_digest(world: World) -> None:
    """This quarter's digest, drafted by canary staff with the canaries typed into its introduction, published."""
    drafter, manager = _canary_staff(world), _canary_staff(world, "manager")
    today = dt.date.today()
    digest = digests.assemble_digest(actor_of(drafter), today.year, (today.month - 1) // 3 + 1)
    digests.update_digest(
        actor_of(drafter), digest.id, {"en": _paragraph(world), "cy": _paragraph(world)}, [world["story"].id]
    )
    digests.submit_digest(actor_of(drafter), digest.id)
    world["digest"] = digests.publish_digest(actor_of(manager), digest.id)


def seed_pages(world: World) -> None:
    """The landlord's pages written by a canary admin."""
    admin = _canary_staff(world, "admin")
    for kind in ("contact", "accessibility"):
        pages.set_page(actor_of(admin), kind, "en", "Our page", "Write to us at the address below.")


SEEDERS: list[Callable[[World], None]] = [
    seed_change,
    seed_theme_links,
    seed_comments,
    seed_suggestion,
    seed_votes,
    seed_story,
    seed_digest,
    seed_pages,
]

#: Public paths built here, each a format filled from the world.
PATHS = [
    "/you-said-we-did",
    "/you-said-we-did?print=1",
    "/digests",
    "/digests/{digest.year}-q{digest.quarter}",
    "/digests/{digest.year}-q{digest.quarter}?print=1",
    "/stories",
    "/stories/{story.id}",
    "/stories/{story.id}?print=1",
    "/pages/contact",
    "/pages/complaints_policy",
    "/pages/accessibility",
    "/pages/privacy?print=1",
    "/changes.atom",
    "/changes.atom?lang=cy",
    "/digests.atom",
    "/scrutiny",
]
#: Public paths of pages built elsewhere: until they are, they may answer 404 (and nothing else but 200).
BUILT_ELSEWHERE = [
    "/themes",
    "/themes/{theme.id}",
    "/rounds",
    "/rounds/{round.id}",
    "/changes",
    "/changes/{change.reference}",
    "/changes/{change.reference}?print=1",
]


@pytest.fixture
def world() -> World:
    complaint, canaries = seed_canary_case()
    contact = Contact.get_by_id(complaint.contact_id)
    resident = contact.resident
    found: World = {
        "contact": contact,
        "resident": resident,
        "theme": factories.make_published_theme(locales=("en", "cy")),
        "staff": [],
        "canaries": [*canaries, contact.reference],
    }
    for seeder in SEEDERS:
        seeder(found)
    return found


def _leaked(body: str, world: World) -> list[str]:
    return leaks(body, world["canaries"])


def test_no_public_path_shows_a_canary(client, world: World) -> None:
    for path in PATHS:
        response = client.get(path.format(**world))
        assert response.status_code == 200, path
        assert _leaked(response.get_data(as_text=True), world) == [], path


def test_no_public_path_built_elsewhere_shows_a_canary(client, world: World) -> None:
    for path in BUILT_ELSEWHERE:
        response = client.get(path.format(**world))
        assert response.status_code in (200, 404), path
        assert _leaked(response.get_data(as_text=True), world) == [], path


def test_no_public_page_of_the_blueprint_shows_a_canary(client, app, world: World) -> None:
    values = {
        "year": [world["digest"].year],
        "quarter": [world["digest"].quarter],
        "story_id": [world["story"].id],
        "kind": ["contact", "privacy"],
        "reference": [world["change"].reference],
        "theme_id": [world["theme"].id],
        "round_id": [world["round"].id],
    }
    found = walk_pages(client, app, "cocreation", values)
    assert any(status == 200 and "/digests/" in path for path, status, _body in found)
    assert [(path, _leaked(body, world)) for path, _status, body in found if _leaked(body, world)] == []


@pytest.mark.usefixtures("unlimited")
def test_no_anonymous_query_shows_a_canary(client, app, world: World) -> None:
    schema = app.extensions["learnloop.engine"].schema_for(frozenset({"anonymous"}), writable=False)._schema
    ids = [str(world[name].id) for name in ("digest", "story", "change", "theme", "round")]
    answers = walk_graphql(client, schema, {}, ids)
    # The walk reached what is published: the digest's introduction and the story are among the answers.
    assert any("Fewer missed appointments" in answer for answer in answers)
    assert any("[phone number]" in answer for answer in answers)
    assert [(answer[:200], _leaked(answer, world)) for answer in answers if _leaked(answer, world)] == []


def test_the_canary_would_be_seen(client, world: World) -> None:
    """The check can fail: a page that shows the canary resident's name is caught."""
    factories.make_landlord_page("privacy", "en", title=RESIDENT_NAME, body="x")
    assert RESIDENT_NAME in _leaked(client.get("/pages/privacy").get_data(as_text=True), world)
