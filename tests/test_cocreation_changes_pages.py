"""The change pages: the public list and page in the reader's language, and the console's record, link, publish,
move and milestone pages, through the Flask client."""

from __future__ import annotations

from typing import Any

from backend.cocreation import progress
from backend.cocreation.models import Change, ChangeMilestone
from tests import factories
from tests.factories import actor_of


def public_change(**values: Any) -> Any:
    values.setdefault("title", {"en": "Repairs reminders", "cy": "Nodiadau atgoffa"})
    change = factories.make_change(**values)
    factories.make_change_theme(change, factories.make_published_theme(locales=("en", "cy")))
    return change


def test_changes_list_shows_published_changes_only(client) -> None:
    shown, draft = public_change(), factories.make_change(published_at=None, title={"en": "Secret draft"})
    page = client.get("/changes").get_data(as_text=True)
    assert shown.reference in page and draft.reference not in page


def test_changes_list_filters_by_status(client) -> None:
    planned = public_change(status="planned", percent=0)
    doing = public_change(status="in_progress", percent=40)
    page = client.get("/changes?status=planned").get_data(as_text=True)
    assert planned.reference in page and doing.reference not in page


def test_change_page_shows_progress_in_words_and_the_contact_counts(client) -> None:
    change = public_change(percent=60)
    factories.make_change_contact(change, factories.make_complaint().contact)
    factories.make_change_contact(change, factories.make_contact())
    page = client.get(f"/changes/{change.reference}").get_data(as_text=True)
    assert "In progress, 60%" in page and '<progress max="100" value="60"' in page
    assert "Fewer than 5 contacts" in page  # two: too few to give
    for _ in range(4):
        factories.make_change_contact(change, factories.make_contact())
    page = client.get(f"/changes/{change.reference}").get_data(as_text=True)
    assert "6 contacts, fewer than 5 of them complaints" in page


def test_change_page_in_welsh_marks_english_fallback(client) -> None:
    change = public_change()
    page = client.get(f"/changes/{change.reference}", headers={"Accept-Language": "cy"}).get_data(as_text=True)
    assert "<h1>Nodiadau atgoffa</h1>" in page
    assert '<p class="preserve-lines" lang="en">We text you the day before' in page


def test_change_page_links_its_themes_to_their_public_pages(client) -> None:
    change = public_change()
    theme_id = change.themes[0].theme_id
    assert f'href="/themes/{theme_id}"' in client.get(f"/changes/{change.reference}").get_data(as_text=True)


def test_change_page_of_a_draft_is_not_found(client) -> None:
    draft = factories.make_change(published_at=None)
    assert client.get(f"/changes/{draft.reference}").status_code == 404


def test_change_page_prints_without_the_sites_navigation(client) -> None:
    change = public_change()
    page = client.get(f"/changes/{change.reference}?print=1").get_data(as_text=True)
    assert "site-header" not in page and "Repairs reminders" in page


def test_change_page_shows_the_timeline_newest_first(client) -> None:
    change = public_change()
    staff = actor_of(factories.make_staff())
    row = progress.add_milestone(staff, change.id, {"title": {"en": "Choose a texting service"}})
    progress.mark_milestone_done(staff, row.id)
    progress.move_change(staff, change.id, percent=70, note={"en": "Most homes get texts now."})
    page = client.get(f"/changes/{change.reference}").get_data(as_text=True)
    assert page.index("Most homes get texts now.") < page.index("Milestone done")


def test_console_records_links_publishes_and_moves_a_change(browser, signed_in) -> None:
    signed_in("manager")
    theme = factories.make_published_theme()
    response = browser.submit(
        "/console/co-creation/changes/new",
        {"title_en": "Repairs reminders", "title_cy": "Nodiadau", "what_en": "Texts.", "why_en": "Missed visits."},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    change = Change.select().order_by(Change.id.desc()).get()
    base = f"/console/co-creation/changes/{change.id}"
    assert browser.submit(f"{base}/links", {"theme_ids": [str(theme.id)]}).status_code == 302
    assert browser.submit(f"{base}/publish", {}, page=base).status_code == 302
    assert (
        browser.submit(f"{base}/move", {"status": "in_progress", "percent": "30", "note_en": "Begun."}).status_code
        == 302
    )
    assert browser.submit(f"{base}/milestones/new", {"title_en": "Go live", "due_on": "2026-05-01"}).status_code == 302
    milestone = ChangeMilestone.get(ChangeMilestone.change == change.id)
    assert browser.submit(f"{base}/milestones/{milestone.id}/done", {}, page=base).status_code == 302
    change = Change.get_by_id(change.id)
    assert change.published_at is not None and (change.status, change.percent) == ("in_progress", 30)
    assert ChangeMilestone.get_by_id(milestone.id).done_on is not None


def test_console_create_without_an_english_title_keeps_what_was_typed(browser, signed_in) -> None:
    signed_in("staff")
    response = browser.submit("/console/co-creation/changes/new", {"title_cy": "Nodiadau", "what_en": "Texts."})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Give the title in English" in page
    assert "Nodiadau" in page and "Texts." in page


def test_console_move_back_by_staff_is_refused(browser, signed_in) -> None:
    signed_in("staff")
    change = public_change(status="in_progress", percent=40)
    response = browser.submit(f"/console/co-creation/changes/{change.id}/move", {"status": "planned", "reason": "Oops"})
    assert response.status_code == 400 and Change.get_by_id(change.id).status == "in_progress"


def test_console_contacts_of_hidden_cases_are_not_found(browser, signed_in) -> None:
    named = factories.make_complaint_staff()
    browser.sign_in(named.person.email)
    change = public_change()
    contact = named.complaint.contact
    response = browser.submit(
        f"/console/co-creation/changes/{change.id}/links", {"contact_references": contact.reference}
    )
    assert response.status_code == 400 and "There is no contact with this reference" in response.get_data(as_text=True)


def test_console_change_page_is_for_staff_only(browser, signed_in) -> None:
    signed_in("resident")
    change = public_change()
    assert browser.client.get(f"/console/co-creation/changes/{change.id}").status_code in (403, 404)
