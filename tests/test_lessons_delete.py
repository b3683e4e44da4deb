"""Deleting a lesson: refused while anything refers to it, and its id and reference are never given to another
lesson, whose history shows only its own life. Also the archived lesson's one rule, and merges' payloads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from peewee import SqliteDatabase

from backend.audit.services import record_audit
from backend.context import Actor
from backend.db import db
from backend.errors import Conflict, Invalid
from backend.lessons import actions, history, lessons, sources, themes
from backend.lessons.models import AgendaItem, Lesson, LessonReferenceCounter, Theme
from backend.timeutil import local_date, utcnow
from schema.error_texts import message_for
from tests import factories
from tests.factories import actor_of
from tests.test_lessons_api import mutate, run


def manager() -> Actor:
    return actor_of(factories.make_user("manager"))


def captured(title: str = "Repairs appointments missed", anonymous: bool = False) -> Lesson:
    kind = "speak_up" if anonymous else "operational_feedback"
    note = sources.SourceInput(kind=kind, note="Operatives arrive without the right parts.", anonymous=anonymous)
    return lessons.create_lesson(actor_of(factories.make_staff()), title, [note])


def written(reference: str) -> Lesson:
    """A lesson written straight into the table, as one brought in from elsewhere is."""
    return Lesson.create(reference=reference, title="Brought in", identified_on=local_date())


def refused_uses(lesson: Lesson) -> list[str]:
    with pytest.raises(Conflict) as caught:
        lessons.delete_lesson(manager(), lesson.id)
    assert caught.value.code == "lesson_in_use"
    assert Lesson.get_or_none(Lesson.id == lesson.id) is not None
    return list(caught.value.params["uses"])  # type: ignore[call-overload]


# --- What refers to a lesson (H4) ---------------------------------------------------------------------------------


def test_delete_a_lesson_others_were_merged_into_is_refused_and_they_stay_merged_into_it() -> None:
    kept, merged = captured(), captured()
    lessons.merge_lesson(actor_of(factories.make_staff()), merged.id, kept.id, "The same issue.")
    assert refused_uses(kept) == ["merged_lessons"]
    assert Lesson.get_by_id(merged.id).merged_into_id == kept.id
    # The merged lesson lives on in the other: deleting it is refused too.
    assert refused_uses(Lesson.get_by_id(merged.id)) == ["merged_into"]


def test_delete_a_lesson_on_an_agenda_is_refused_and_the_item_keeps_it() -> None:
    lesson = captured()
    item = factories.make_agenda_item(lesson=lesson)
    assert refused_uses(lesson) == ["agenda_items"]
    assert AgendaItem.get_by_id(item.id).lesson_id == lesson.id


def test_delete_a_lesson_named_by_a_story_a_bulletin_and_a_qa_report_lists_them_all() -> None:
    lesson = captured()
    factories.make_story_link(lesson=lesson)
    factories.make_bulletin_lesson(lesson=lesson)
    report = factories.make_qa_report()
    report.failing = {"smart": [lesson.id]}
    report.save()
    assert refused_uses(lesson) == ["success_stories", "bulletins", "qa_reports"]


def test_delete_a_lesson_whose_complaint_staff_were_briefed_about_is_refused() -> None:
    staff = factories.make_staff()
    complaint = factories.responded_complaint(staff)
    lesson = lessons.create_lesson(
        actor_of(staff), "Diary not checked", [sources.SourceInput(kind="complaint", complaint_id=complaint.id)]
    )
    factories.make_staff_briefing(complaint=complaint)
    assert refused_uses(lesson) == ["staff_briefings"]


def test_a_briefing_sent_before_the_complaint_was_the_lessons_source_does_not_hold_it() -> None:
    staff = factories.make_staff()
    complaint = factories.responded_complaint(staff)
    briefing = factories.make_staff_briefing(complaint=complaint)
    briefing.sent_at = utcnow() - dt.timedelta(days=3)
    briefing.save()
    lesson = lessons.create_lesson(
        actor_of(staff), "Diary not checked", [sources.SourceInput(kind="complaint", complaint_id=complaint.id)]
    )
    assert lessons.delete_lesson(manager(), lesson.id) == lesson.reference


def test_the_refusal_names_what_refers_to_the_lesson_in_words() -> None:
    error = Conflict("lesson_in_use", uses=["merged_lessons", "agenda_items"])
    message = message_for(error, lambda text: text)
    assert message == (
        "Other records refer to this lesson, so it cannot be deleted: lessons merged into it; meeting agenda items. "
        "Archive it instead."
    )


def test_a_lesson_theme_link_a_cause_and_a_source_do_not_hold_it() -> None:
    lesson = captured()
    factories.make_lesson_theme(lesson=lesson)
    factories.make_lesson_cause(lesson=lesson)
    assert lessons.delete_lesson(manager(), lesson.id) == lesson.reference
    assert Lesson.get_or_none(Lesson.id == lesson.id) is None


# --- Ids and references never given twice (H6) -------------------------------------------------------------------


def test_the_next_lesson_after_a_delete_gets_a_new_id_and_reference() -> None:
    first, last = captured(), captured("APIREV merge B")
    themes.link_lesson(actor_of(factories.make_staff()), last.id, factories.make_theme().id)
    lessons.delete_lesson(manager(), last.id)
    after = captured("From an anonymous note", anonymous=True)
    year = local_date().year
    assert after.id > last.id > first.id
    assert (first.reference, last.reference, after.reference) == (
        f"LS-{year}-0001",
        f"LS-{year}-0002",
        f"LS-{year}-0003",
    )
    assert [entry.action for entry in history.lesson_history(after.id)] == ["lesson.created"]
    assert [entry.actor_name for entry in history.lesson_history(after.id)] == [None]


def test_the_id_of_the_last_lesson_is_not_given_again_by_the_database() -> None:
    # Whatever path writes the row (a service, the demo, a bulk insert), the database itself never gives an id twice.
    last = factories.make_lesson()
    Lesson.delete().where(Lesson.id == last.id).execute()
    again = factories.make_lesson()
    assert again.id > last.id


def test_the_lesson_table_counts_ids_without_going_back_on_sqlite() -> None:
    if not isinstance(db.obj, SqliteDatabase):
        pytest.skip("PostgreSQL's sequences never go back")
    (create,) = db.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'lesson'").fetchone()
    assert '"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT' in create
    triggers = {
        name
        for (name,) in db.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'lesson'"
        ).fetchall()
    }
    assert {"updated_at__lesson__touch", "lesson_fts_ai", "lesson_fts_ad", "lesson_fts_au"} <= triggers
    assert "theme_figures__lesson__update" in triggers


def test_the_reference_of_a_lesson_written_outside_the_services_is_not_given_again_once_deleted() -> None:
    year = local_date().year
    brought_in = written(f"LS-{year}-0040")
    lessons.delete_lesson(manager(), brought_in.id)
    assert LessonReferenceCounter.get_by_id(year).last == 40
    assert captured().reference == f"LS-{year}-0041"


def test_a_reference_brought_in_above_the_counter_moves_it_on() -> None:
    year = local_date().year
    assert captured().reference == f"LS-{year}-0001"
    written(f"LS-{year}-0007")
    written(f"LS-{year}-ABC")
    assert captured().reference == f"LS-{year}-0008"
    assert LessonReferenceCounter.get_by_id(year).last == 8


def test_history_leaves_out_entries_from_before_the_lesson_was_recorded_or_deleted() -> None:
    lesson = captured()
    actor = actor_of(factories.make_staff())
    record_audit(actor, "lesson.updated", "lesson", lesson.id, {"title": {"before": "a", "after": "b"}})
    # The entry is older than the lesson as it is now recorded: another lesson's, of the same id.
    Lesson.update(created_at=utcnow() + dt.timedelta(seconds=1)).where(Lesson.id == lesson.id).execute()
    assert history.lesson_history(lesson.id) == []
    Lesson.update(created_at=utcnow() - dt.timedelta(days=1)).where(Lesson.id == lesson.id).execute()
    assert "lesson.updated" in [entry.action for entry in history.lesson_history(lesson.id)]
    record_audit(actor, "lesson.deleted", "lesson", lesson.id, {"reference": {"before": "LS-1", "after": None}})
    assert history.lesson_history(lesson.id) == []
    record_audit(actor, "lesson.archived", "lesson", lesson.id, {})
    assert [entry.action for entry in history.lesson_history(lesson.id)] == ["lesson.archived"]
    assert history.lesson_history(999_999) == []


# --- An archived lesson: one rule (M3) ----------------------------------------------------------------------------


def test_an_archived_lesson_takes_no_theme_link_nor_unlink() -> None:
    staff = actor_of(factories.make_staff())
    lesson = captured()
    linked, other = factories.make_theme(), factories.make_theme()
    themes.link_lesson(staff, lesson.id, linked.id)
    lessons.archive_lesson(manager(), lesson.id)
    for change in (
        lambda: themes.link_lesson(staff, lesson.id, other.id),
        lambda: themes.unlink_lesson(staff, lesson.id, linked.id),
    ):
        with pytest.raises(Conflict) as caught:
            change()
        assert caught.value.code == "lesson_archived"


def test_a_merged_lesson_takes_no_theme_link_and_says_it_no_longer_changes() -> None:
    staff = actor_of(factories.make_staff())
    lesson, into = captured(), captured()
    lessons.merge_lesson(staff, lesson.id, into.id, "The same issue.")
    with pytest.raises(Conflict) as caught:
        themes.link_lesson(staff, lesson.id, factories.make_theme().id)
    assert caught.value.code == "lesson_ended"
    assert message_for(caught.value, lambda text: text) == (
        "This lesson is cancelled or merged, so it can no longer change."
    )


def test_an_archived_lesson_takes_no_new_action() -> None:
    lesson = captured()
    lessons.archive_lesson(manager(), lesson.id)
    with pytest.raises(Conflict) as caught:
        actions.propose_action(
            actor_of(factories.make_staff()), lesson.id, title="Text residents", action_type="service_provision"
        )
    assert caught.value.code == "lesson_archived"


def test_merge_into_an_archived_lesson_says_no_lesson_with_this_id_is_in_the_log() -> None:
    staff = actor_of(factories.make_staff())
    lesson, into = captured(), captured()
    lessons.archive_lesson(manager(), into.id)
    with pytest.raises(Invalid) as caught:
        lessons.merge_lesson(staff, lesson.id, into.id, "The same issue.")
    (problem,) = caught.value.problems
    assert (problem.field, problem.code) == ("into_id", "not_found")
    assert "reference" not in message_for(problem, lambda text: text)


# --- Theme links in the history (L10), and merges' payloads (M8) --------------------------------------------------


def test_theme_links_are_recorded_with_the_themes_id_and_name() -> None:
    staff = actor_of(factories.make_staff())
    lesson, theme = captured(), factories.make_theme("Damp and mould")
    themes.link_lesson(staff, lesson.id, theme.id)
    themes.unlink_lesson(staff, lesson.id, theme.id)
    entries = {entry.action: entry.changes for entry in history.lesson_history(lesson.id)}
    assert entries["lesson.theme_linked"] == {
        "theme_id": {"before": None, "after": theme.id},
        "theme": {"before": None, "after": "Damp and mould"},
    }
    assert entries["lesson.theme_unlinked"] == {
        "theme_id": {"before": theme.id, "after": None},
        "theme": {"before": "Damp and mould", "after": None},
    }


def test_merge_theme_returns_the_theme_merged_as_merge_lesson_returns_the_lesson_merged() -> None:
    boss = manager()
    source, target = factories.make_theme(), factories.make_theme()
    merged = themes.merge_theme(boss, source.id, target.id)
    assert (merged.id, merged.merged_into_id) == (source.id, target.id)
    assert Theme.get_by_id(source.id).archived_at is not None


# --- Through the API --------------------------------------------------------------------------------------------


DELETE_PAYLOAD = "... on LessonDeleted { id reference }"


def test_api_lesson_delete_of_a_lesson_on_an_agenda_is_a_conflict_saying_archive_it(
    browser: Any, signed_in: Any
) -> None:
    signed_in("manager")
    lesson = factories.make_lesson()
    factories.make_agenda_item(lesson=lesson)
    result = mutate(browser, "lessonDelete", "LessonIdInput", {"id": str(lesson.id)}, DELETE_PAYLOAD)
    assert result["__typename"] == "ConflictError" and result["code"] == "lesson_in_use"
    assert "meeting agenda items" in result["message"] and "Archive it instead" in result["message"]


def test_api_lesson_delete_then_create_never_gives_the_id_or_reference_again(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    create = {"title": "APIREV merge B", "sources": [{"kind": "operational_feedback", "note": "Parts missing."}]}
    payload = "... on LessonCreated { lesson { id reference } }"
    first = mutate(browser, "lessonCreate", "LessonCreateInput", create, payload)["lesson"]
    deleted = mutate(browser, "lessonDelete", "LessonIdInput", {"id": first["id"]}, DELETE_PAYLOAD)
    assert deleted == {"__typename": "LessonDeleted", **first}
    anonymous = {
        "title": "APIREV src",
        "sources": [{"kind": "speak_up", "note": "I saw x", "anonymous": True}],
    }
    second = mutate(browser, "lessonCreate", "LessonCreateInput", anonymous, payload)["lesson"]
    assert int(second["id"]) > int(first["id"]) and second["reference"] != first["reference"]
    found = run(
        browser,
        "query ($id: ID!) { lesson(id: $id) { history { action actorName } } }",
        {"id": second["id"]},
    )["lesson"]
    assert found["history"] == [{"action": "lesson.created", "actorName": None}]


def test_api_theme_merge_returns_the_theme_merged_naming_where_it_went(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    source, target = factories.make_theme(), factories.make_theme()
    result = mutate(
        browser,
        "themeMerge",
        "ThemeMergeInput",
        {"id": str(source.id), "intoId": str(target.id)},
        "... on ThemeMerged { theme { id archivedAt mergedInto { id } } }",
    )
    theme = result["theme"]
    assert (theme["id"], theme["mergedInto"]) == (str(source.id), {"id": str(target.id)})
    assert theme["archivedAt"] is not None


def test_api_lesson_theme_link_on_an_archived_lesson_is_a_conflict(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    lesson = factories.make_lesson(archived_at=utcnow())
    theme = factories.make_theme()
    result = mutate(
        browser, "lessonThemeLink", "LessonThemeInput", {"lessonId": str(lesson.id), "themeId": str(theme.id)}
    )
    assert (result["__typename"], result["code"]) == ("ConflictError", "lesson_archived")


def test_api_lesson_merge_into_an_archived_lesson_does_not_talk_of_a_reference(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    lesson, into = factories.make_lesson(), factories.make_lesson(archived_at=utcnow())
    result = mutate(
        browser, "lessonMerge", "LessonMergeInput", {"id": str(lesson.id), "intoId": str(into.id), "reason": "Same."}
    )
    (problem,) = result["problems"]
    assert (problem["field"], problem["code"]) == ("intoId", "not_found")
    assert "reference" not in problem["message"]


def test_api_authorise_an_action_of_an_identified_lesson_is_a_conflict(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    lesson = factories.make_lesson(status="identified")
    action = factories.make_improvement_action(
        lesson,
        owner=factories.make_staff().id,
        measure="Missed appointments a month",
        target="10",
        due_on=local_date() + dt.timedelta(days=30),
    )
    result = mutate(browser, "improvementActionAuthorise", "ImprovementActionInput", {"id": str(action.id)})
    assert (result["__typename"], result["code"]) == ("ConflictError", "lesson_not_analysed")
