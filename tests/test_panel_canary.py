"""A panel member reaches none of a sampled case's personal data: by no GraphQL query and through no page.

A closed complaint is seeded with canary personal data in every field (tests/canary.py), drawn into a review's pack
by a case sample with ordinary cases beside it, and each item confirmed by staff. Then, as a member of the review's
panel, every root field of the member's schema is run with every relation it reaches (built from the schema itself,
so a field added later is walked too), with every id that matters; and every workspace page is read, every item's
page and every download. No answer may hold a canary. A member of another panel gets NotFound for those items.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from backend.complaints.models import Complaint, Contact
from backend.lessons.models import Lesson, LessonCause, LessonSource
from backend.panels import packs, samples
from backend.panels.models import ItemKind, PackItem
from backend.reports.periods import month_of
from backend.timeutil import local_date
from tests import factories
from tests.canary import seed_canary_case
from tests.factories import actor_of
from tests.panel_walk import walk_graphql, walk_pages

ITEM_QUERY = "query ($id: ID!) { packItem(id: $id) { id title content } }"


def leaks(text: str, canaries: list[str]) -> list[str]:
    """The canaries found in ``text``, ignoring case and the way JSON escapes it."""
    plain = text.replace("\\u2019", "’").replace("\\n", " ")
    return [canary for canary in canaries if canary and re.search(re.escape(canary), plain, re.IGNORECASE)]


def pack_with_canary() -> dict[str, Any]:
    """A review whose pack holds the canary case and ordinary cases, drawn by a sample and confirmed."""
    staff = actor_of(factories.make_staff())
    review = factories.make_scrutiny_review()
    complaint, canaries = seed_canary_case()
    closed_at = Complaint.get_by_id(complaint.id).closed_at
    for _ in range(3):
        other = factories.make_complaint()
        Complaint.update(status="closed", closed_at=closed_at).where(Complaint.id == other.id).execute()
    period = month_of(local_date(closed_at)).code
    sample = samples.draw_sample(staff, review.id, period=period, size=10, seed="canary")
    items = list(PackItem.select().where(PackItem.sample == sample.id))
    assert complaint.id in {item.complaint_id for item in items}  # type: ignore[attr-defined]
    assert all(item.kind == ItemKind.CASE for item in items)
    items.append(packs.add_lesson(staff, review.id, canary_lesson(complaint).id))
    for item in items:
        packs.confirm_item(staff, item.id)
    return {"review": review, "complaint": complaint, "canaries": canaries, "items": items}


def canary_lesson(complaint: Complaint) -> Lesson:
    """A lesson drawn from the canary case, whose every narrative holds the case's canary paragraph."""
    words = str(Complaint.get_by_id(complaint.id).summary)
    lesson = factories.make_lesson(
        title="Repairs appointments missed",
        event_summary=words,
        early_lesson=words,
        actions_taken=words,
        later_findings=words,
    )
    LessonSource.create(lesson=lesson.id, kind="complaint", complaint=complaint.id)
    cause = LessonCause.create(lesson=lesson.id, root_cause=factories.make_root_cause().id, detail=words)
    factories.make_improvement_action(lesson, title="Call back within a day", description=words, cause=cause.id)
    return lesson


def member(review: Any) -> Any:
    user = factories.make_user("resident", "panel_member")
    factories.make_panel_membership(review.panel, user)
    return user


def ids_to_try(world: dict[str, Any]) -> list[str]:
    """Every id worth asking for: the items, the review, the case, its contact and every account it names."""
    complaint = world["complaint"]
    found = {item.id for item in world["items"]} | {world["review"].id, complaint.id, complaint.contact_id}
    found |= {row.id for row in Contact.select(Contact.id).where(Contact.resident == complaint.resident_id)}
    found |= set(range(1, 40))
    return [str(value) for value in sorted(found)]


@pytest.mark.usefixtures("unlimited")
@pytest.mark.timeout(1800)  # walks every relation of the member schema: minutes on PostgreSQL under load
def test_no_graphql_query_of_a_member_reaches_a_canary(app: Any, client: Any) -> None:
    world = pack_with_canary()
    user = member(world["review"])
    _token, plain = factories.make_token(user, "read")
    headers = {"Authorization": f"Bearer {plain}"}
    roles = frozenset({"resident", "panel_member"})
    schema = app.extensions["learnloop.engine"].schema_for(roles, writable=False)._schema
    answers = walk_graphql(client, schema, headers, ids_to_try(world))
    assert answers
    # The walk reached the cases: their redacted copies are among the answers.
    assert any('"Case 1"' in answer for answer in answers)
    assert [
        (answer[:200], leaks(answer, world["canaries"])) for answer in answers if leaks(answer, world["canaries"])
    ] == []


@pytest.mark.usefixtures("unlimited")
def test_no_workspace_page_of_a_member_shows_a_canary(app: Any, browser: Any) -> None:
    world = pack_with_canary()
    user = member(world["review"])
    assert browser.sign_in(user.email).status_code == 302
    item_ids = [item.id for item in world["items"]]
    values = {"review_id": [world["review"].id], "item_id": item_ids}
    pages = walk_pages(browser.client, app, "panel", values)
    assert any(status == 200 and "/items/" in path for path, status, _body in pages)
    assert [
        (path, leaks(body, world["canaries"])) for path, _status, body in pages if leaks(body, world["canaries"])
    ] == []


def test_the_lesson_copy_of_a_canary_case_holds_no_canary() -> None:
    complaint, canaries = seed_canary_case()
    lesson = canary_lesson(complaint)
    copy = packs.redacted_lesson(lesson)
    assert "tracer-complaint-summary" in copy["whatHappened"]  # the words are there, redacted
    assert leaks(str(copy), canaries) == []


def test_another_panels_member_gets_not_found_for_the_canary_items(app: Any, browser: Any) -> None:
    world = pack_with_canary()
    stranger = member(factories.make_scrutiny_review())
    _token, plain = factories.make_token(stranger, "read")
    headers = {"Authorization": f"Bearer {plain}"}
    for item in world["items"]:
        response = browser.client.post(
            "/graphql", json={"query": ITEM_QUERY, "variables": {"id": str(item.id)}}, headers=headers
        )
        assert response.get_json()["data"]["packItem"] is None
    assert browser.sign_in(stranger.email).status_code == 302
    for item in world["items"]:
        assert browser.client.get(f"/panel/items/{item.id}").status_code == 404
    assert browser.client.get(f"/panel/reviews/{world['review'].id}/pack").status_code == 404
