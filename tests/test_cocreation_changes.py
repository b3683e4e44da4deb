"""Changes ("you said, we did"): staff record one with its texts in each language, link it, a manager publishes it,
and staff move it; every move of a published change is on its timeline with the events others listen for."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.cocreation import changes, progress
from backend.cocreation.models import Change, ChangeContact, ChangeReferenceCounter, ChangeUpdate
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.events.models import OutboxEvent
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of


def codes(error: Invalid) -> set[tuple[tuple[Any, ...], str]]:
    return {(problem.at, problem.code) for problem in error.problems}


def staff() -> Any:
    return actor_of(factories.make_staff())


def manager() -> Any:
    return actor_of(factories.make_user("manager"))


def draft(**values: Any) -> Change:
    texts = {
        "title": {"en": "Repairs reminders", "cy": "Nodiadau atgoffa"},
        "what": {"en": "We text you the day before."},
        "why": {"en": "You told us engineers came when nobody was in."},
    }
    return changes.create_change(staff(), {**texts, **values})


def published(**values: Any) -> Change:
    change = draft(**values)
    changes.set_links(staff(), change.id, theme_ids=[factories.make_published_theme().id])
    changes.publish_change(manager(), change.id)
    return Change.get_by_id(change.id)


def events(name: str) -> list[dict[str, Any]]:
    return [e.payload for e in OutboxEvent.select().where(OutboxEvent.name == name).order_by(OutboxEvent.id)]


def moves() -> list[dict[str, Any]]:
    """The moves recorded after the change was published (publishing is a move of its own)."""
    published = {u.id for u in ChangeUpdate.select().where(ChangeUpdate.kind == "published")}
    return [payload for payload in events("cocreation.change_moved") if payload["update_id"] not in published]


def test_create_change_gives_the_next_reference_of_the_year_and_audits_it() -> None:
    first, second = draft(), draft()
    year = local_date().year
    assert (first.reference, second.reference) == (f"CH-{year}-01", f"CH-{year}-02")
    assert first.status == "planned" and first.published_at is None
    assert (
        AuditEvent.select().where(AuditEvent.action == "change.created", AuditEvent.entity_id == str(first.id)).exists()
    )


def test_create_change_never_reuses_a_deleted_changes_reference() -> None:
    gone = draft()
    gone.delete_instance()
    assert draft().reference != gone.reference
    assert ChangeReferenceCounter.get_by_id(local_date().year).last == 2


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"title": {"cy": "Dim Saesneg"}}, (("title", "en"), "english_required")),
        ({"title": {"en": "x" * 201}}, (("title", "en"), "too_long")),
        ({"title": {"en": "Two\nlines"}}, (("title", "en"), "hidden_characters")),
        ({"what": {"en": "x" * 5001}}, (("what", "en"), "too_long")),
        ({"easy_read": {"en": "x" * 1001}}, (("easy_read", "en"), "too_long")),
        ({"why": {"xx": "Unknown"}}, (("why", "xx"), "unsupported")),
        ({"service_area_id": 999_999}, (("service_area_id",), "not_found")),
        ({"changed_on": "31/02/2026"}, (("changed_on",), "invalid")),
    ],
)
def test_create_change_refuses_bad_values(values: dict[str, Any], problem: tuple[Any, str]) -> None:
    with pytest.raises(Invalid) as raised:
        changes.create_change(staff(), {"title": {"en": "A change"}, **values})
    assert problem in codes(raised.value)


def test_create_change_lists_every_problem_at_once() -> None:
    with pytest.raises(Invalid) as raised:
        changes.create_change(staff(), {"title": {}, "what": {"en": "x" * 5001}})
    assert codes(raised.value) == {(("title", "en"), "english_required"), (("what", "en"), "too_long")}


def test_create_change_is_refused_to_residents() -> None:
    with pytest.raises(NotAllowed):
        changes.create_change(actor_of(factories.make_user("resident")), {"title": {"en": "A change"}})


def test_update_change_changes_only_what_is_given() -> None:
    change = draft()
    area = factories.make_service_area("Repairs")
    updated = changes.update_change(staff(), change.id, {"service_area_id": area.id, "easy_read": {"en": "A text."}})
    assert updated.service_area_id == area.id and updated.easy_read == {"en": "A text."}
    assert updated.title == change.title


def test_set_links_replaces_each_kind_given_and_keeps_the_others() -> None:
    change = draft()
    theme, lesson = factories.make_published_theme(), factories.make_lesson()
    action = factories.make_improvement_action(lesson)
    changes.set_links(staff(), change.id, theme_ids=[theme.id], lesson_references=[lesson.reference.lower()])
    changes.set_links(staff(), change.id, action_ids=[action.id])
    assert [row.theme_id for row in change.themes] == [theme.id]
    assert [row.lesson_id for row in change.lessons] == [lesson.id]
    assert [row.action_id for row in change.actions] == [action.id]


def test_set_links_reports_every_reference_it_cannot_find() -> None:
    change = draft()
    archived = factories.make_theme()
    archived.archived_at = dt.datetime(2026, 1, 1)
    archived.save()
    with pytest.raises(Invalid) as raised:
        changes.set_links(
            staff(), change.id, theme_ids=[archived.id], lesson_references=["LS-1999-0001"], contact_references=["X"]
        )
    assert codes(raised.value) == {
        (("theme_ids", 0), "not_found"),
        (("lesson_references", 0), "not_found"),
        (("contact_references", 0), "not_found"),
    }


def test_set_links_treats_a_contact_hidden_from_the_actor_as_not_found() -> None:
    change = draft()
    named = factories.make_complaint_staff()
    contact = named.complaint.contact
    with pytest.raises(Invalid) as raised:
        changes.set_links(actor_of(named.person), change.id, contact_references=[contact.reference])
    assert codes(raised.value) == {(("contact_references", 0), "not_found")}


def test_set_links_keeps_links_to_contacts_hidden_from_the_actor() -> None:
    change = draft()
    named = factories.make_complaint_staff()
    hidden = named.complaint.contact
    changes.set_links(staff(), change.id, contact_references=[hidden.reference])
    changes.set_links(actor_of(named.person), change.id, contact_references=[])
    assert [row.contact_id for row in ChangeContact.select().where(ChangeContact.change == change.id)] == [hidden.id]


def test_contact_figures_count_contacts_and_complaints() -> None:
    change = draft()
    complaint = factories.make_complaint()
    other = factories.make_contact()
    changes.set_links(staff(), change.id, contact_references=[complaint.contact.reference, other.reference])
    assert changes.contact_figures(change.id) == (2, 1)


def test_publish_change_needs_english_what_why_and_a_theme_or_lesson() -> None:
    change = changes.create_change(staff(), {"title": {"en": "A change"}, "why": {"cy": "Dim ond Cymraeg"}})
    with pytest.raises(Invalid) as raised:
        changes.publish_change(manager(), change.id)
    assert codes(raised.value) == {
        (("what", "en"), "english_required"),
        (("why", "en"), "english_required"),
        (("links",), "theme_or_lesson_required"),
    }


def test_publish_change_writes_the_first_update_and_its_event() -> None:
    change = published()
    update = ChangeUpdate.get(ChangeUpdate.change == change.id)
    assert change.published_at is not None and update.kind == "published"
    assert events("cocreation.change_published") == [{"change_id": change.id, "update_id": update.id}]


def test_publish_change_is_for_managers_only() -> None:
    change = draft()
    with pytest.raises(NotAllowed):
        changes.publish_change(staff(), change.id)


def test_publish_change_twice_is_a_conflict() -> None:
    change = published()
    with pytest.raises(Conflict) as raised:
        changes.publish_change(manager(), change.id)
    assert raised.value.code == "already_published"


def test_move_change_of_a_draft_writes_no_update_or_event() -> None:
    change = draft()
    progress.move_change(staff(), change.id, status="in_progress", percent=20)
    assert not ChangeUpdate.select().where(ChangeUpdate.change == change.id).exists()
    assert moves() == []


def test_publish_change_is_a_move_and_tells_of_an_implementation_already_made() -> None:
    change = draft()
    progress.move_change(staff(), change.id, status="implemented")
    changes.set_links(staff(), change.id, theme_ids=[factories.make_published_theme().id])
    for name in ("what", "why"):
        Change.update({name: {"en": "Words."}}).where(Change.id == change.id).execute()
    update = changes.publish_change(manager(), change.id)
    payload = {"change_id": change.id, "update_id": update.id}
    assert events("cocreation.change_moved") == [payload]
    assert events("cocreation.change_implemented") == [payload]


def test_move_change_of_a_published_change_records_the_contract_event() -> None:
    change = published()
    moved = progress.move_change(staff(), change.id, status="in_progress", percent=60, note={"en": "Half way."})
    update = ChangeUpdate.select().where(ChangeUpdate.kind == "status").get()
    assert (moved.status, moved.percent, update.note) == ("in_progress", 60, {"en": "Half way."})
    assert moves() == [{"change_id": change.id, "update_id": update.id}]


def test_move_change_of_the_percentage_alone_is_a_percent_update() -> None:
    change = published()
    progress.move_change(staff(), change.id, percent=30)
    assert (
        ChangeUpdate.select().where(ChangeUpdate.change == change.id).order_by(ChangeUpdate.id.desc()).get().kind
        == "percent"
    )


def test_move_change_to_implemented_sets_100_and_records_both_events() -> None:
    change = published()
    moved = progress.move_change(staff(), change.id, status="implemented")
    update = ChangeUpdate.select().where(ChangeUpdate.kind == "status").get()
    assert moved.percent == 100 and moved.implemented_at is not None
    assert events("cocreation.change_implemented") == [{"change_id": change.id, "update_id": update.id}]
    assert moves() == [{"change_id": change.id, "update_id": update.id}]


def test_move_change_sent_twice_moves_it_once() -> None:
    change = published()
    progress.move_change(staff(), change.id, status="in_progress", percent=40)
    progress.move_change(staff(), change.id, status="in_progress", percent=40)
    assert len(moves()) == 1


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"status": "confirmed"}, (("status",), "not_by_staff")),
        ({"status": "done"}, (("status",), "unsupported")),
        ({"percent": 101}, (("percent",), "out_of_range")),
        ({"percent": -1}, (("percent",), "out_of_range")),
        ({"status": "implemented", "percent": 90}, (("percent",), "implemented_is_100")),
        ({"percent": 10, "note": {"en": "x" * 1001}}, (("note", "en"), "too_long")),
    ],
)
def test_move_change_refuses_bad_moves(values: dict[str, Any], problem: tuple[Any, str]) -> None:
    change = published()
    with pytest.raises(Invalid) as raised:
        progress.move_change(staff(), change.id, **values)
    assert problem in codes(raised.value)


def test_move_change_back_is_refused_to_staff() -> None:
    change = published()
    progress.move_change(staff(), change.id, status="in_progress")
    with pytest.raises(NotAllowed):
        progress.move_change(staff(), change.id, status="planned", reason="Started too soon")


def test_move_change_back_needs_a_managers_reason() -> None:
    change = published()
    progress.move_change(staff(), change.id, status="implemented")
    with pytest.raises(Invalid) as raised:
        progress.move_change(manager(), change.id, status="in_progress")
    assert codes(raised.value) == {(("reason",), "required")}
    moved = progress.move_change(manager(), change.id, status="in_progress", percent=80, reason="The texts stopped")
    assert moved.implemented_at is None and moved.percent == 80


def test_move_change_that_someone_else_moved_meanwhile_is_a_conflict(monkeypatch: pytest.MonkeyPatch) -> None:
    change = published()
    stale = Change.get_by_id(change.id)
    progress.move_change(staff(), change.id, percent=10)
    monkeypatch.setattr(progress, "staff_change", lambda *_: stale)
    with pytest.raises(Conflict):
        progress.move_change(staff(), change.id, percent=20)


def test_add_milestone_goes_after_the_others() -> None:
    change = draft()
    first = progress.add_milestone(staff(), change.id, {"title": {"en": "Choose a texting service"}})
    second = progress.add_milestone(staff(), change.id, {"title": {"en": "Go live"}, "due_on": dt.date(2026, 5, 1)})
    assert (first.position, second.position) == (0, 1)


def test_add_milestone_needs_an_english_title() -> None:
    with pytest.raises(Invalid) as raised:
        progress.add_milestone(staff(), draft().id, {"title": {"cy": "Mynd yn fyw"}})
    assert codes(raised.value) == {(("title", "en"), "english_required")}


def test_update_milestone_changes_its_day() -> None:
    row = progress.add_milestone(staff(), draft().id, {"title": {"en": "Go live"}})
    assert progress.update_milestone(staff(), row.id, {"due_on": dt.date(2026, 6, 1)}).due_on == dt.date(2026, 6, 1)


def test_mark_milestone_done_on_a_published_change_is_a_move() -> None:
    change = published()
    row = progress.add_milestone(staff(), change.id, {"title": {"en": "Go live"}})
    done = progress.mark_milestone_done(staff(), row.id, note={"en": "Live."})
    update = ChangeUpdate.get(ChangeUpdate.kind == "milestone")
    assert done.done_on == local_date() and update.milestone_id == row.id
    assert moves() == [{"change_id": change.id, "update_id": update.id}]


def test_mark_milestone_done_twice_is_a_conflict() -> None:
    row = progress.add_milestone(staff(), draft().id, {"title": {"en": "Go live"}})
    progress.mark_milestone_done(staff(), row.id)
    with pytest.raises(Conflict):
        progress.mark_milestone_done(staff(), row.id)


def test_mark_milestone_done_in_the_future_is_refused() -> None:
    row = progress.add_milestone(staff(), draft().id, {"title": {"en": "Go live"}})
    with pytest.raises(Invalid) as raised:
        progress.mark_milestone_done(staff(), row.id, done_on=local_date() + dt.timedelta(days=1))
    assert codes(raised.value) == {(("done_on",), "in_future")}


def test_get_change_that_is_not_there_is_not_found() -> None:
    with pytest.raises(NotFound):
        changes.update_change(staff(), 999_999, {})


def test_demo_changes_are_published_at_every_stage_and_loading_again_changes_nothing() -> None:
    from backend.demo import load_demo

    load_demo()
    found = {c.status: c for c in Change.select().where(Change.published_at.is_null(False))}
    assert set(found) >= {"planned", "in_progress", "implemented"}
    heater = found["implemented"]
    assert heater.title["cy"] and heater.implemented_at is not None
    assert changes.contact_figures(heater.id)[0] == 1 and heater.lessons.count() == 1 and heater.actions.count() == 1
    before = (Change.select().count(), ChangeUpdate.select().count())
    load_demo()
    assert (Change.select().count(), ChangeUpdate.select().count()) == before
