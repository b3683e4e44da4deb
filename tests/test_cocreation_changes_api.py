"""Changes through real GraphQL text: anonymous readers see published changes only, with counts of the contacts
behind them and never the contacts; staff record, link, publish (managers) and move them, and the events others
listen for carry their contract payloads."""

from __future__ import annotations

from typing import Any

import pytest

from backend.cocreation.models import Change, ChangeUpdate
from backend.events.models import OutboxEvent
from tests import factories

PROBLEMS = "__typename ... on Problem { code message } ... on ValidationError { field problems { field code message } }"
CREATE = (
    "mutation ($input: ChangeCreateInput!) { changeCreate(input: $input) { "
    "... on ChangeCreated { change { id reference status } } " + PROBLEMS + " } }"
)
LINKS = (
    "mutation ($input: ChangeLinksSetInput!) { changeLinksSet(input: $input) { "
    "... on ChangeLinksSaved { change { id contactCount complaintCount } } " + PROBLEMS + " } }"
)
PUBLISH = (
    "mutation ($input: ChangeInput!) { changePublish(input: $input) { "
    "... on ChangePublished { change { id publishedAt } } " + PROBLEMS + " } }"
)
MOVE = (
    "mutation ($input: ChangeMoveInput!) { changeMove(input: $input) { "
    "... on ChangeMoved { change { id status percent implementedAt } } " + PROBLEMS + " } }"
)
MILESTONE_ADD = (
    "mutation ($input: ChangeMilestoneAddInput!) { changeMilestoneAdd(input: $input) { "
    "... on ChangeMilestoneAdded { changeMilestone { id title } } " + PROBLEMS + " } }"
)
MILESTONE_DONE = (
    "mutation ($input: ChangeMilestoneDoneInput!) { changeMilestoneDone(input: $input) { "
    "... on ChangeMilestoneDone { changeMilestone { id doneOn } } " + PROBLEMS + " } }"
)
PUBLIC_LIST = (
    "{ changes(first: 10) { nodes { reference title contactCount complaintCount publicThemes { id name } "
    "milestones(first: 10) { title doneOn } updates(first: 10) { kind status percent note } } } }"
)


def run(browser: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    return body["data"]


def errors(browser: Any, query: str) -> list[str]:
    return [error["message"] for error in browser.graphql(query).get_json().get("errors", [])]


def linked_change(published: bool = True) -> Any:
    change = factories.make_change(published_at=factories.utcnow() if published else None)
    factories.make_change_theme(change, factories.make_published_theme(locales=("en", "cy")))
    return change


def test_anonymous_readers_see_published_changes_only(browser) -> None:
    shown, hidden = linked_change(), linked_change(published=False)
    references = [n["reference"] for n in run(browser, PUBLIC_LIST)["changes"]["nodes"]]
    assert shown.reference in references and hidden.reference not in references


def test_anonymous_readers_see_counts_and_never_the_contacts(browser) -> None:
    change = linked_change()
    complaint = factories.make_complaint()
    factories.make_change_contact(change, complaint.contact)
    node = run(browser, PUBLIC_LIST)["changes"]["nodes"][0]
    assert (node["contactCount"], node["complaintCount"]) == (None, None)  # fewer than 5: not given
    for _ in range(4):
        factories.make_change_contact(change, factories.make_complaint().contact)
    factories.make_change_contact(change, factories.make_contact())
    node = run(browser, PUBLIC_LIST)["changes"]["nodes"][0]
    assert (node["contactCount"], node["complaintCount"]) == (6, 5)
    assert errors(browser, "{ changes { nodes { contacts { contact { reference } } } } }")
    assert errors(browser, "{ changeContacts { nodes { id } } }")
    assert errors(browser, "{ changes { nodes { createdBy { displayName } } } }")
    assert errors(browser, "{ changes { nodes { lessons { lesson { title } } } } }")


def test_anonymous_readers_see_only_published_themes(browser) -> None:
    change = linked_change()
    factories.make_change_theme(change, factories.make_theme())  # a staff-only theme
    themes = run(browser, PUBLIC_LIST)["changes"]["nodes"][0]["publicThemes"]
    assert len(themes) == 1 and set(themes[0]["name"]) == {"en", "cy"}


def test_anonymous_readers_filter_changes_by_theme(browser) -> None:
    change, other = linked_change(), linked_change()
    theme_id = run(browser, PUBLIC_LIST)["changes"]["nodes"][0]["publicThemes"][0]["id"]
    query = "query ($t: ID!) { changes(where: {themes: {some: {themeKey: {eq: $t}}}}) { nodes { reference } } }"
    found = [n["reference"] for n in run(browser, query, {"t": theme_id})["changes"]["nodes"]]
    assert len(found) == 1 and found[0] in (change.reference, other.reference)


def test_residents_schema_has_no_staff_mutations(browser, signed_in) -> None:
    signed_in("resident")
    for mutation in ("changeCreate", "changeLinksSet", "changePublish", "changeMove", "changeMilestoneDone"):
        assert errors(browser, f"mutation {{ {mutation}(input: {{}}) {{ __typename }} }}")


def test_staff_schema_has_no_publish(browser, signed_in) -> None:
    signed_in("staff")
    assert errors(browser, 'mutation { changePublish(input: {id: "1"}) { __typename } }')


def test_staff_record_link_and_move_a_change_a_manager_publishes(browser, signed_in) -> None:
    signed_in("staff")
    theme = factories.make_published_theme()
    texts = {"title": {"en": "Reminders", "cy": "Nodiadau"}, "what": {"en": "Texts."}, "why": {"en": "Missed visits."}}
    created = run(browser, CREATE, {"input": texts})["changeCreate"]["change"]
    assert created["reference"].startswith("CH-") and created["status"] == "planned"
    complaint = factories.make_complaint()
    linked = run(
        browser,
        LINKS,
        {
            "input": {
                "id": created["id"],
                "themeIds": [str(theme.id)],
                "contactReferences": [complaint.contact.reference],
            }
        },
    )["changeLinksSet"]["change"]
    assert (linked["contactCount"], linked["complaintCount"]) == (None, None)  # fewer than 5: not given
    browser.sign_out()
    signed_in("manager")
    assert run(browser, PUBLISH, {"input": {"id": created["id"]}})["changePublish"]["change"]["publishedAt"]
    moved = run(browser, MOVE, {"input": {"id": created["id"], "status": "implemented", "note": {"en": "Done."}}})
    assert moved["changeMove"]["change"]["percent"] == 100


def test_change_move_records_the_contract_events(browser, signed_in) -> None:
    signed_in("staff")
    change = linked_change()
    run(browser, MOVE, {"input": {"id": str(change.id), "status": "implemented"}})
    update = ChangeUpdate.get(ChangeUpdate.change == change.id)
    for name in ("cocreation.change_moved", "cocreation.change_implemented"):
        event = OutboxEvent.get(OutboxEvent.name == name)
        assert event.payload == {"change_id": change.id, "update_id": update.id}


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"status": "confirmed"}, "status", "not_by_staff"),
        ({"percent": 140}, "percent", "out_of_range"),
        ({"percent": 5, "note": {"en": "x" * 1001}}, "note.en", "too_long"),
    ],
)
def test_change_move_reports_problems_at_their_fields(browser, signed_in, values, field, code) -> None:
    signed_in("staff")
    change = linked_change()
    result = run(browser, MOVE, {"input": {"id": str(change.id), **values}})["changeMove"]
    assert result["__typename"] == "ValidationError"
    assert (field, code) in {(p["field"], p["code"]) for p in result["problems"]}


def test_change_create_without_english_title_says_so(browser, signed_in) -> None:
    signed_in("staff")
    result = run(browser, CREATE, {"input": {"title": {"cy": "Nodiadau"}}})["changeCreate"]
    assert result["__typename"] == "ValidationError" and result["problems"][0]["field"] == "title.en"
    assert "English" in result["problems"][0]["message"]


def test_change_publish_of_a_change_without_links_lists_what_is_missing(browser, signed_in) -> None:
    signed_in("manager")
    change = factories.make_change(published_at=None)
    result = run(browser, PUBLISH, {"input": {"id": str(change.id)}})["changePublish"]
    assert result["__typename"] == "ValidationError" and result["problems"][0]["code"] == "theme_or_lesson_required"
    assert Change.get_by_id(change.id).published_at is None


def test_milestones_are_added_and_done_through_the_api(browser, signed_in) -> None:
    signed_in("staff")
    change = linked_change()
    added = run(browser, MILESTONE_ADD, {"input": {"changeId": str(change.id), "title": {"en": "Go live"}}})
    milestone = added["changeMilestoneAdd"]["changeMilestone"]
    done = run(browser, MILESTONE_DONE, {"input": {"id": milestone["id"]}})["changeMilestoneDone"]["changeMilestone"]
    assert done["doneOn"]
    browser.sign_out()
    node = run(browser, PUBLIC_LIST)["changes"]["nodes"][0]
    assert node["milestones"][0]["title"] == {"en": "Go live"} and node["updates"][-1]["kind"] == "milestone"


def test_change_choices_name_the_published_changes_areas_and_themes(browser) -> None:
    area = factories.make_service_area("Repairs")
    change = linked_change()
    change.service_area = area.id
    change.save()
    factories.make_change(service_area=factories.make_service_area("Lettings").id, published_at=None)
    choices = run(browser, "{ changeChoices { serviceAreas themes { id } } }")["changeChoices"]
    assert choices["serviceAreas"] == ["Repairs"] and len(choices["themes"]) == 1
