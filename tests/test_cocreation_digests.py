"""The quarterly "you said, we did" digest: assembled from the quarter's published changes, the themes' trends,
counted rounds and picked stories; submitted by staff, published by a manager who did not draft it, then frozen."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.audit.models import AuditEvent
from backend.cocreation import digests
from backend.cocreation.models import Digest, DigestStory
from backend.errors import Conflict, Invalid, NotAllowed
from backend.events.models import OutboxEvent
from backend.lessons.models import SuccessStory
from tests import factories

# 10:00 UTC on 20 May 2026: the second quarter of 2026; the first is the one before.
NOW = dt.datetime(2026, 5, 20, 10)
IN_Q1 = dt.datetime(2026, 2, 10, 12)
IN_Q4 = dt.datetime(2025, 11, 10, 12)


@pytest.fixture(autouse=True)
def _now(clock_at) -> None:
    clock_at(NOW)


def _staff(*roles: str):
    user = factories.make_user(*(roles or ("staff",)))
    return user, factories.actor_of(user)


def _approved_story() -> SuccessStory:
    story = factories.make_success_story()
    SuccessStory.update(status="approved", approved_at=IN_Q1).where(SuccessStory.id == story.id).execute()
    return SuccessStory.get_by_id(story.id)


def _published(quarter: int = 1) -> Digest:
    drafter, staff = _staff()
    digest = digests.assemble_digest(staff, 2026, quarter)
    digests.submit_digest(staff, digest.id)
    return digests.publish_digest(_staff("manager")[1], digest.id)


def test_assemble_digest_lists_the_quarters_published_changes_by_status() -> None:
    factories.make_change(reference="CH-2026-01", published_at=IN_Q1, status="implemented")
    factories.make_change(reference="CH-2026-02", published_at=IN_Q4)  # before the quarter, not moved in it
    moved = factories.make_change(reference="CH-2026-03", published_at=IN_Q4)
    factories.make_change_update(moved, created_at=IN_Q1)
    factories.make_change(reference="CH-2026-04", published_at=None)  # not public
    digest = digests.assemble_digest(_staff()[1], 2026, 1)
    shown = {(change["reference"], change["status"]) for change in digest.content["changes"]}
    assert shown == {("CH-2026-01", "implemented"), ("CH-2026-03", "in_progress")}
    assert digest.content["period"] == {"first": "2026-01-01", "last": "2026-03-31"}


def test_assemble_digest_counts_theme_contacts_against_the_quarter_before_and_hides_small_counts() -> None:
    busy, quiet = factories.make_published_theme(), factories.make_published_theme()
    for _ in range(6):
        factories.make_contact_theme(factories.make_contact(received_at=IN_Q1), busy)
    for _ in range(5):
        factories.make_contact_theme(factories.make_contact(received_at=IN_Q4), busy)
    factories.make_contact_theme(factories.make_contact(received_at=IN_Q1), quiet)
    themes = {row["name"]["en"]: row for row in digests.assemble_digest(_staff()[1], 2026, 1).content["themes"]}
    busy_row = themes[f"{busy.name} (en)"]
    assert (busy_row["contacts"], busy_row["previous"], busy_row["direction"]) == (6, 5, "up")
    quiet_row = themes[f"{quiet.name} (en)"]
    assert (quiet_row["contacts"], quiet_row["previous"], quiet_row["direction"]) == (None, None, None)


def test_assemble_digest_shows_counted_rounds_closed_in_the_quarter() -> None:
    closed = factories.make_priority_round(
        opens_at=IN_Q1 - dt.timedelta(days=7), closes_at=IN_Q1, counted_at=IN_Q1, title={"en": "Fix first"}
    )
    factories.make_priority_round(opens_at=IN_Q4, closes_at=IN_Q4 + dt.timedelta(days=2), counted_at=IN_Q4)
    from backend.cocreation.models import RoundTheme

    RoundTheme.update(votes=12).where(RoundTheme.round == closed.id, RoundTheme.position == 1).execute()
    rounds = digests.assemble_digest(_staff()[1], 2026, 1).content["rounds"]
    assert [round_["title"] for round_ in rounds] == [{"en": "Fix first"}]
    assert [result["votes"] for result in rounds[0]["results"]] == [12, 0]


def test_assemble_digest_again_refreshes_a_draft() -> None:
    staff = _staff()[1]
    digest = digests.assemble_digest(staff, 2026, 1)
    factories.make_change(reference="CH-2026-09", published_at=IN_Q1)
    again = digests.assemble_digest(staff, 2026, 1)
    assert again.id == digest.id and [c["reference"] for c in again.content["changes"]] == ["CH-2026-09"]


@pytest.mark.parametrize(
    ("year", "quarter", "problem"),
    [(1999, 1, ("year", "invalid")), (2026, 5, ("quarter", "invalid")), (2026, 3, ("quarter", "future"))],
)
def test_assemble_digest_with_a_bad_quarter_is_invalid(year: int, quarter: int, problem: tuple[str, str]) -> None:
    with pytest.raises(Invalid) as raised:
        digests.assemble_digest(_staff()[1], year, quarter)
    assert [(p.field, p.code) for p in raised.value.problems] == [problem]


@pytest.mark.parametrize("role", ["resident", "advocate", "panel_member"])
def test_assemble_digest_by_anyone_but_staff_is_refused(role: str) -> None:
    with pytest.raises(NotAllowed):
        digests.assemble_digest(factories.actor_of(factories.make_user(role)), 2026, 1)


def test_update_digest_replaces_contact_details_in_the_introduction() -> None:
    staff = _staff()[1]
    digest = digests.assemble_digest(staff, 2026, 1)
    updated = digests.update_digest(
        staff, digest.id, {"en": "Ring Mrs Jones on 07700 900123 or jones@example.org.", "cy": "Helo"}
    )
    assert "07700" not in updated.introduction["en"] and "jones@example.org" not in updated.introduction["en"]
    assert updated.introduction["cy"] == "Helo"


def test_update_digest_picks_approved_stories_only() -> None:
    staff = _staff()[1]
    digest = digests.assemble_digest(staff, 2026, 1)
    approved, draft = _approved_story(), factories.make_success_story()
    with pytest.raises(Invalid) as raised:
        digests.update_digest(staff, digest.id, story_ids=[approved.id, draft.id])
    assert [(p.field, p.code, p.at) for p in raised.value.problems] == [("stories", "not_found", ("story_ids", 1))]
    updated = digests.update_digest(staff, digest.id, story_ids=[approved.id])
    assert [story["id"] for story in updated.content["stories"]] == [approved.id]
    assert DigestStory.select().where(DigestStory.digest == digest.id).count() == 1


@pytest.mark.parametrize(
    ("introduction", "problem"),
    [({"xx": "Hi"}, ("introduction", "unsupported")), ({"en": "x" * 5001}, ("introduction", "too_long"))],
)
def test_update_digest_with_a_bad_introduction_is_invalid(introduction, problem) -> None:
    staff = _staff()[1]
    digest = digests.assemble_digest(staff, 2026, 1)
    with pytest.raises(Invalid) as raised:
        digests.update_digest(staff, digest.id, introduction)
    assert [(p.field, p.code) for p in raised.value.problems] == [problem]


def test_publish_digest_by_another_manager_makes_it_public_and_audited() -> None:
    digest = _published()
    assert digest.status == "published" and digest.published_at == NOW
    actions = {event.action for event in AuditEvent.select().where(AuditEvent.entity_type == "digest")}
    assert actions == {"digest.assembled", "digest.submitted", "digest.published"}
    names = {event.name for event in OutboxEvent.select()}
    assert {"cocreation.digest_assembled", "cocreation.digest_submitted", "cocreation.digest_published"} <= names


def test_publish_digest_by_the_manager_who_drafted_it_is_refused() -> None:
    manager = _staff("manager")[1]
    digest = digests.assemble_digest(manager, 2026, 1)
    digests.submit_digest(manager, digest.id)
    with pytest.raises(NotAllowed) as raised:
        digests.publish_digest(manager, digest.id)
    assert raised.value.code == "own_digest"


def test_publish_digest_by_staff_is_refused() -> None:
    digest = digests.assemble_digest(_staff()[1], 2026, 1)
    digests.submit_digest(_staff()[1], digest.id)
    with pytest.raises(NotAllowed):
        digests.publish_digest(_staff()[1], digest.id)


def test_publish_digest_not_submitted_is_a_conflict() -> None:
    digest = digests.assemble_digest(_staff()[1], 2026, 1)
    with pytest.raises(Conflict) as raised:
        digests.publish_digest(_staff("manager")[1], digest.id)
    assert raised.value.code == "digest_not_submitted"


def test_published_digest_is_frozen() -> None:
    digest = _published()
    staff = _staff()[1]
    factories.make_change(reference="CH-2026-07", published_at=IN_Q1)
    with pytest.raises(Conflict):
        digests.assemble_digest(staff, 2026, 1)
    with pytest.raises(Conflict):
        digests.update_digest(staff, digest.id, {"en": "Changed"})
    with pytest.raises(Conflict):
        digests.submit_digest(staff, digest.id)
    assert Digest.get_by_id(digest.id).content == digest.content


def test_return_digest_sends_a_submitted_one_back_to_draft() -> None:
    staff = _staff()[1]
    digest = digests.assemble_digest(staff, 2026, 1)
    digests.submit_digest(staff, digest.id)
    assert digests.return_digest(_staff("manager")[1], digest.id).status == "draft"
    assert digests.update_digest(staff, digest.id, {"en": "Better"}).introduction == {"en": "Better"}


def test_submit_digest_twice_counts_once() -> None:
    staff = _staff()[1]
    digest = digests.assemble_digest(staff, 2026, 1)
    digests.submit_digest(staff, digest.id)
    with pytest.raises(Conflict):
        digests.submit_digest(staff, digest.id)
    assert AuditEvent.select().where(AuditEvent.action == "digest.submitted").count() == 1


def test_public_digest_page_shows_a_published_digest_only(client) -> None:
    draft = digests.assemble_digest(_staff()[1], 2026, 1)
    assert client.get("/digests/2026-q1").status_code == 404
    digests.submit_digest(_staff()[1], draft.id)
    digests.publish_digest(_staff("manager")[1], draft.id)
    page = client.get("/digests/2026-q1").get_data(as_text=True)
    assert "2026 quarter 1" in page
    assert 'href="/digests/2026-q1"' in client.get("/digests").get_data(as_text=True)


def test_public_digest_print_view_has_no_navigation(client) -> None:
    _published()
    response = client.get("/digests/2026-q1?print=1")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert 'class="print-view"' in page and "Back to the full page" in page


def test_console_digest_needs_another_manager_to_publish(browser, signed_in, client) -> None:
    signed_in("manager")
    response = browser.submit("/console/co-creation/digests", {"year": "2026", "quarter": "1"})
    page = response.headers["Location"]
    browser.submit(page + "/submit", {}, page=page)
    response = browser.submit(page + "/publish", {}, page=page)
    assert response.status_code == 400
    assert "another manager must" in response.get_data(as_text=True)


def test_console_digest_with_too_long_introduction_keeps_what_was_typed(browser, signed_in) -> None:
    signed_in("staff")
    page = browser.submit("/console/co-creation/digests", {"year": "2026", "quarter": "1"}).headers["Location"]
    typed = "Long " * 1001
    response = browser.submit(page, {"introduction_en": typed})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "5000 characters or fewer" in body and typed.strip() in body


def test_console_assemble_with_a_bad_quarter_shows_the_error(browser, signed_in) -> None:
    signed_in("staff")
    response = browser.submit("/console/co-creation/digests", {"year": "2026", "quarter": "9"})
    assert response.status_code == 400 and "Choose a quarter from 1 to 4." in response.get_data(as_text=True)
