"""The lessons log's services: capturing a lesson from its sources, classifying it, its causes without blame, its
life, and every upheld complaint leading to a lesson or a recorded decision that it holds none."""

from __future__ import annotations

import contextvars
import datetime as dt
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.complaints import restricted
from backend.context import Actor, set_request_id
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.lessons import causes, completeness, history, lessons, sources
from backend.lessons.models import Lesson, LessonCause, LessonLearningType, LessonSource, NoLessonDecision
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of


def complaint_source(complaint: Any) -> sources.SourceInput:
    return sources.SourceInput(kind="complaint", complaint_id=complaint.id)


def hide_from(complaint: Any, staff: Any) -> None:
    """The complaint names them, so its case is hidden from them."""
    manager = factories.make_user("manager")
    restricted.name_staff(actor_of(manager), complaint.id, staff.id, "subject", "Took the call")


def captured(staff: Any = None, title: str = "Repairs appointments missed", **details: Any) -> Lesson:
    staff = staff or factories.make_staff()
    note = sources.SourceInput(kind="operational_feedback", note="Operatives arrive without the right parts.")
    return lessons.create_lesson(actor_of(staff), title, [note], lessons.Details(**details))


def test_create_lesson_gives_the_next_reference_of_the_year() -> None:
    first, second = captured(), captured()
    year = local_date().year
    assert first.reference == f"LS-{year}-0001"
    assert second.reference == f"LS-{year}-0002"


def test_create_lesson_from_a_complaint_links_it_and_audits_who_captured_it() -> None:
    staff = factories.make_staff()
    complaint = factories.responded_complaint(staff)
    lesson = lessons.create_lesson(
        actor_of(staff),
        "Appointments booked without the contractor's diary",
        [complaint_source(complaint)],
        lessons.Details(
            early_lesson="Two visits missed.", business_impact=3, resident_impact=4, learning_types=["systemic_issue"]
        ),
    )
    source = LessonSource.get(LessonSource.lesson == lesson.id)
    assert (source.kind, source.complaint_id, source.recorded_by_id) == ("complaint", complaint.id, staff.id)
    assert lesson.identified_by_id == staff.id
    assert [t.learning_type for t in LessonLearningType.select().where(LessonLearningType.lesson == lesson.id)] == [
        "systemic_issue"
    ]
    audit = AuditEvent.get(AuditEvent.action == "lesson.created")
    assert (audit.actor_user_id, audit.entity_type, audit.entity_id) == (staff.id, "lesson", str(lesson.id))


def test_create_lesson_from_an_anonymous_speak_up_note_keeps_nobody() -> None:
    staff = factories.make_staff()
    note = sources.SourceInput(kind="speak_up", note="We are told to close jobs before they are done.", anonymous=True)
    lesson = lessons.create_lesson(actor_of(staff), "Jobs closed early", [note])
    source = LessonSource.get(LessonSource.lesson == lesson.id)
    assert source.recorded_by_id is None and source.anonymous
    assert Lesson.get_by_id(lesson.id).identified_by_id is None
    audit = AuditEvent.get(AuditEvent.action == "lesson.created")
    assert (audit.actor_user_id, audit.actor_label) == (None, "anonymous")
    assert staff.id not in [change["after"] for change in audit.changes.values()]


@pytest.mark.parametrize(
    ("source", "field", "code"),
    [
        (sources.SourceInput(kind="weather"), "kind", "unsupported"),
        (sources.SourceInput(kind="complaint"), "complaint_id", "required"),
        (sources.SourceInput(kind="complaint", complaint_id=999_999), "complaint_id", "not_found"),
        (sources.SourceInput(kind="contact", contact_id=999_999), "contact_id", "not_found"),
        (sources.SourceInput(kind="tsm_survey"), "survey_question_id", "required"),
        (sources.SourceInput(kind="operational_feedback"), "note", "none_given"),
        (sources.SourceInput(kind="speak_up", note="\u200b  "), "note", "none_given"),
        (sources.SourceInput(kind="speak_up", note="x" * 10_001), "note", "too_long"),
        (
            sources.SourceInput(kind="scrutiny_recommendation", note="Do it.", reference="r" * 101),
            "reference",
            "too_long",
        ),
        (
            sources.SourceInput(kind="operational_feedback", note="A note.", anonymous=True),
            "anonymous",
            "speak_up_only",
        ),
        (
            sources.SourceInput(kind="operational_feedback", note="A note.", complaint_id=1),
            "complaint_id",
            "not_for_kind",
        ),
    ],
)
def test_create_lesson_refuses_a_bad_source(source: sources.SourceInput, field: str, code: str) -> None:
    with pytest.raises(Invalid) as caught:
        lessons.create_lesson(actor_of(factories.make_staff()), "A lesson", [source])
    assert (field, code) in {(p.field, p.code) for p in caught.value.problems}
    assert Lesson.select().count() == 0


def test_create_lesson_refuses_an_ombudsman_source_for_a_complaint_not_determined() -> None:
    complaint = factories.make_complaint()
    source = sources.SourceInput(kind="ombudsman_determination", complaint_id=complaint.id)
    with pytest.raises(Invalid) as caught:
        lessons.create_lesson(actor_of(factories.make_staff()), "A lesson", [source])
    assert (caught.value.field, caught.value.code) == ("complaint_id", "no_determination")


@pytest.mark.parametrize(
    ("title", "details", "field", "code"),
    [
        ("", {}, "title", "required"),
        ("t" * 201, {}, "title", "too_long"),
        ("A lesson", {"business_impact": 0}, "business_impact", "out_of_range"),
        ("A lesson", {"resident_impact": 6}, "resident_impact", "out_of_range"),
        ("A lesson", {"early_lesson": "x" * 10_001}, "early_lesson", "too_long"),
        ("A lesson", {"team": "t" * 101}, "team", "too_long"),
        ("A lesson", {"learning_types": ["gossip"]}, "learning_types", "unsupported"),
        ("A lesson", {"owner_id": 999_999}, "owner_id", "not_staff"),
        ("A lesson", {"service_area_id": 999_999}, "service_area_id", "not_found"),
    ],
)
def test_create_lesson_refuses_bad_details(title: str, details: dict[str, Any], field: str, code: str) -> None:
    with pytest.raises(Invalid) as caught:
        captured(title=title, **details)
    assert (caught.value.field, caught.value.code) == (field, code)


def test_create_lesson_names_every_problem_at_once() -> None:
    with pytest.raises(Invalid) as caught:
        lessons.create_lesson(actor_of(factories.make_staff()), "", [], lessons.Details(business_impact=9))
    assert {(p.field, p.code) for p in caught.value.problems} == {
        ("title", "required"),
        ("business_impact", "out_of_range"),
        ("sources", "required"),
    }


def test_create_lesson_refuses_a_resident_as_owner() -> None:
    with pytest.raises(Invalid) as caught:
        captured(owner_id=factories.make_user("resident").id)
    assert (caught.value.field, caught.value.code) == ("owner_id", "not_staff")


@pytest.mark.parametrize("roles", [("resident",), ("panel_member",), ("advocate",)])
def test_create_lesson_refuses_anyone_but_staff(roles: tuple[str, ...]) -> None:
    user = factories.make_user(*roles)
    note = sources.SourceInput(kind="operational_feedback", note="A note.")
    with pytest.raises(NotAllowed):
        lessons.create_lesson(actor_of(user), "A lesson", [note])


def test_create_lesson_refuses_a_read_only_token() -> None:
    staff = factories.make_staff()
    actor = Actor(user_id=staff.id, roles=frozenset({"staff"}), token_id=1, scope="read")
    with pytest.raises(NotAllowed):
        lessons.create_lesson(actor, "A lesson", [sources.SourceInput(kind="operational_feedback", note="A note.")])


def test_create_lesson_treats_a_hidden_case_like_no_complaint() -> None:
    staff = factories.make_staff()
    complaint = factories.make_complaint()
    hide_from(complaint, staff)
    with pytest.raises(Invalid) as caught:
        lessons.create_lesson(actor_of(staff), "A lesson", [complaint_source(complaint)])
    assert (caught.value.field, caught.value.code) == ("complaint_id", "not_found")


def test_update_lesson_changes_only_what_is_given_and_audits_it() -> None:
    staff = factories.make_staff()
    lesson = captured(staff, early_lesson="First thoughts.")
    lessons.update_lesson(
        actor_of(staff),
        lesson.id,
        {"later_findings": "The diary was never checked.", "learning_types": ["training_need"]},
    )
    fresh = Lesson.get_by_id(lesson.id)
    assert (fresh.early_lesson, fresh.later_findings) == ("First thoughts.", "The diary was never checked.")
    audit = AuditEvent.get(AuditEvent.action == "lesson.updated")
    assert audit.changes["learning_types"] == {"before": [], "after": ["training_need"]}


def test_update_lesson_refuses_an_unknown_field() -> None:
    lesson = captured()
    with pytest.raises(Invalid) as caught:
        lessons.update_lesson(actor_of(factories.make_staff()), lesson.id, {"disciplinary_notes": "no"})
    assert (caught.value.field, caught.value.code) == ("disciplinary_notes", "unknown_field")


def test_update_lesson_not_there_is_not_found() -> None:
    with pytest.raises(NotFound):
        lessons.update_lesson(actor_of(factories.make_staff()), 999_999, {"title": "x"})


def test_update_lesson_for_a_resident_is_refused_before_looking() -> None:
    with pytest.raises(NotAllowed):
        lessons.update_lesson(actor_of(factories.make_user("resident")), 999_999, {"title": "x"})


def test_set_status_moves_to_analysed_once_a_cause_is_recorded() -> None:
    staff = factories.make_staff()
    lesson = captured(staff)
    with pytest.raises(Conflict) as caught:
        lessons.set_status(actor_of(staff), lesson.id, "analysed")
    assert caught.value.code == "lesson_no_causes"
    causes.add_cause(actor_of(staff), lesson.id, factories.make_root_cause().id, "No reminder is sent.")
    assert lessons.set_status(actor_of(staff), lesson.id, "analysed").status == "analysed"


def test_set_status_refuses_skipping_a_step() -> None:
    lesson = captured()
    with pytest.raises(Conflict) as caught:
        lessons.set_status(actor_of(factories.make_staff()), lesson.id, "in_progress")
    assert caught.value.code == "lesson_step"


def test_set_status_refuses_cancelled_as_a_step() -> None:
    with pytest.raises(Invalid) as caught:
        lessons.set_status(actor_of(factories.make_staff()), captured().id, "cancelled")
    assert (caught.value.field, caught.value.code) == ("status", "unsupported")


def test_set_status_to_measuring_impact_needs_every_action_done() -> None:
    staff = factories.make_staff()
    lesson = factories.make_lesson(status="in_progress")
    factories.make_improvement_action(lesson, status="done")
    factories.make_improvement_action(lesson, status="in_progress")
    with pytest.raises(Conflict) as caught:
        lessons.set_status(actor_of(staff), lesson.id, "measuring_impact")
    assert caught.value.code == "lesson_actions_not_done"


def test_cancel_lesson_keeps_the_reason_and_ends_it() -> None:
    staff = factories.make_staff()
    lesson = lessons.cancel_lesson(actor_of(staff), captured().id, "Captured twice by mistake.")
    assert (lesson.status, lesson.end_reason) == ("cancelled", "Captured twice by mistake.")
    with pytest.raises(Conflict) as caught:
        lessons.update_lesson(actor_of(staff), lesson.id, {"title": "Again"})
    assert caught.value.code == "lesson_ended"


@pytest.mark.parametrize("reason", ["", "   ", "r" * 2001])
def test_cancel_lesson_refuses_a_bad_reason(reason: str) -> None:
    with pytest.raises(Invalid) as caught:
        lessons.cancel_lesson(actor_of(factories.make_staff()), captured().id, reason)
    assert caught.value.field == "reason"


def test_merge_lesson_names_the_lesson_it_went_into() -> None:
    staff = factories.make_staff()
    kept, merged = captured(), captured()
    lesson = lessons.merge_lesson(actor_of(staff), merged.id, kept.id, "The same missed appointments.")
    assert (lesson.status, lesson.merged_into_id, lesson.end_reason) == (
        "merged",
        kept.id,
        "The same missed appointments.",
    )


@pytest.mark.parametrize("into", ["itself", "missing", "cancelled"])
def test_merge_lesson_refuses_a_bad_target(into: str) -> None:
    staff = factories.make_staff()
    lesson = captured()
    target = {"itself": lesson.id, "missing": 999_999, "cancelled": factories.make_lesson(status="cancelled").id}[into]
    with pytest.raises(Invalid) as caught:
        lessons.merge_lesson(actor_of(staff), lesson.id, target, "Same.")
    assert caught.value.field == "into_id"


def test_delete_lesson_without_actions_removes_it() -> None:
    lesson = captured()
    assert lessons.delete_lesson(actor_of(factories.make_user("manager")), lesson.id) == lesson.reference
    assert Lesson.get_or_none(Lesson.id == lesson.id) is None
    assert AuditEvent.get(AuditEvent.action == "lesson.deleted").changes["reference"]["before"] == lesson.reference


def test_delete_lesson_with_actions_is_refused() -> None:
    lesson = captured()
    factories.make_improvement_action(lesson)
    with pytest.raises(Conflict) as caught:
        lessons.delete_lesson(actor_of(factories.make_user("manager")), lesson.id)
    assert caught.value.code == "lesson_has_actions"


def test_delete_lesson_by_staff_who_are_not_managers_is_refused() -> None:
    with pytest.raises(NotAllowed):
        lessons.delete_lesson(actor_of(factories.make_staff()), captured().id)


def test_archive_lesson_takes_it_out_and_stops_changes() -> None:
    manager = factories.make_user("manager")
    lesson = lessons.archive_lesson(actor_of(manager), captured().id)
    assert lesson.archived_at is not None
    with pytest.raises(Conflict) as caught:
        causes.add_cause(actor_of(manager), lesson.id, factories.make_root_cause().id, "A cause.")
    assert caught.value.code == "lesson_archived"


def test_add_source_refuses_the_same_complaint_twice() -> None:
    staff = factories.make_staff()
    complaint = factories.make_complaint()
    lesson = lessons.create_lesson(actor_of(staff), "A lesson", [complaint_source(complaint)])
    with pytest.raises(Invalid) as caught:
        sources.add_source(actor_of(staff), lesson.id, complaint_source(complaint))
    assert (caught.value.field, caught.value.code) == ("complaint_id", "duplicate")


def test_add_source_anonymously_names_nobody_in_the_audit() -> None:
    staff = factories.make_staff()
    lesson = captured(staff)
    note = sources.SourceInput(kind="speak_up", note="Nobody reads the job notes.", anonymous=True)
    row = sources.add_source(actor_of(staff), lesson.id, note)
    assert row.recorded_by_id is None
    audit = AuditEvent.get(AuditEvent.action == "lesson.source_added")
    assert (audit.actor_user_id, audit.actor_label) == (None, "anonymous")


def test_remove_source_keeps_the_last_one() -> None:
    staff = factories.make_staff()
    lesson = captured(staff)
    only = LessonSource.get(LessonSource.lesson == lesson.id)
    with pytest.raises(Conflict) as caught:
        sources.remove_source(actor_of(staff), lesson.id, only.id)
    assert caught.value.code == "last_source"


def test_add_cause_refuses_an_archived_cause_and_blank_text_at_once() -> None:
    root = factories.make_root_cause()
    root.archived_at = dt.datetime(2026, 1, 1)
    root.save()
    with pytest.raises(Invalid) as caught:
        causes.add_cause(actor_of(factories.make_staff()), captured().id, root.id, " ")
    assert {(p.field, p.code) for p in caught.value.problems} == {
        ("root_cause_id", "not_found"),
        ("detail", "required"),
    }


def test_update_cause_changes_its_text_and_audits_it_on_the_lesson() -> None:
    staff = factories.make_staff()
    lesson = captured(staff)
    cause = causes.add_cause(actor_of(staff), lesson.id, factories.make_root_cause().id, "Reminders off.")
    causes.update_cause(
        actor_of(staff), cause.id, detail="Reminders were switched off in the upgrade.", contributing=True
    )
    audit = AuditEvent.get(AuditEvent.action == "lesson.cause_updated")
    assert audit.entity_id == str(lesson.id)
    assert audit.changes["contributing"] == {"before": False, "after": True}


def test_remove_cause_not_there_is_not_found() -> None:
    with pytest.raises(NotFound):
        causes.remove_cause(actor_of(factories.make_staff()), captured().id, 999_999)


@pytest.mark.parametrize("parent", ["itself", "sub_cause"])
def test_validate_root_cause_keeps_one_level_of_sub_causes(parent: str) -> None:
    top = factories.make_root_cause()
    sub = factories.make_root_cause(parent=top)
    chosen = sub.id if parent == "itself" else sub.id
    record = sub if parent == "itself" else None
    with pytest.raises(Invalid) as caught:
        causes.validate_root_cause(record, {"parent": chosen})
    assert caught.value.field == "parent"


def test_without_lesson_lists_an_upheld_complaint_until_a_lesson_names_it() -> None:
    staff = factories.make_staff()
    complaint = factories.responded_complaint(staff)
    assert [c.id for c in completeness.without_lesson(actor_of(staff))] == [complaint.id]
    lessons.create_lesson(actor_of(staff), "A lesson", [complaint_source(complaint)])
    assert list(completeness.without_lesson(actor_of(staff))) == []


def test_without_lesson_leaves_out_a_complaint_with_no_point_upheld() -> None:
    staff = factories.make_staff()
    factories.acknowledged_complaint(staff)
    assert list(completeness.without_lesson(actor_of(staff))) == []


def test_record_no_lesson_takes_the_complaint_off_the_list() -> None:
    staff = factories.make_staff()
    complaint = factories.responded_complaint(staff)
    completeness.record_no_lesson(actor_of(staff), complaint.id, "A one-off error, put right.")
    assert NoLessonDecision.get(NoLessonDecision.complaint == complaint.id).decided_by_id == staff.id
    assert list(completeness.without_lesson(actor_of(staff))) == []


@pytest.mark.parametrize(
    ("state", "code"), [("not_upheld", "not_upheld"), ("decided", "no_lesson_decided"), ("lesson", "lesson_exists")]
)
def test_record_no_lesson_refuses_when_not_needed(state: str, code: str) -> None:
    staff = factories.make_staff()
    complaint = (
        factories.acknowledged_complaint(staff) if state == "not_upheld" else factories.responded_complaint(staff)
    )
    if state == "decided":
        completeness.record_no_lesson(actor_of(staff), complaint.id, "Once.")
    if state == "lesson":
        lessons.create_lesson(actor_of(staff), "A lesson", [complaint_source(complaint)])
    with pytest.raises(Conflict) as caught:
        completeness.record_no_lesson(actor_of(staff), complaint.id, "Twice.")
    assert caught.value.code == code


def test_record_no_lesson_on_a_hidden_case_is_not_found() -> None:
    staff = factories.make_staff()
    complaint = factories.responded_complaint()
    hide_from(complaint, staff)
    with pytest.raises(NotFound):
        completeness.record_no_lesson(actor_of(staff), complaint.id, "No.")


def test_lesson_history_lists_the_lesson_and_its_actions_newest_first() -> None:
    staff = factories.make_staff()
    lesson = captured(staff)
    causes.add_cause(actor_of(staff), lesson.id, factories.make_root_cause().id, "No reminders.")
    action = factories.make_improvement_action(lesson)
    AuditEvent.create(
        actor_user_id=staff.id,
        actor_label=f"user:{staff.id}",
        action="improvement_action.proposed",
        entity_type="improvement_action",
        entity_id=str(action.id),
        changes={"lesson_id": {"before": None, "after": lesson.id}},
    )
    entries = history.lesson_history(lesson.id)
    assert [e.action for e in entries] == ["improvement_action.proposed", "lesson.cause_added", "lesson.created"]
    assert entries[0].actor_name == staff.display_name


def test_remove_source_about_a_hidden_case_is_not_found() -> None:
    staff = factories.make_staff()
    complaint = factories.make_complaint()
    lesson = lessons.create_lesson(actor_of(factories.make_staff()), "A lesson", [complaint_source(complaint)])
    sources.add_source(actor_of(staff), lesson.id, sources.SourceInput(kind="operational_feedback", note="More."))
    hide_from(complaint, staff)
    row = LessonSource.get(LessonSource.lesson == lesson.id, LessonSource.complaint == complaint.id)
    with pytest.raises(NotFound):
        sources.remove_source(actor_of(staff), row.lesson_id, row.id)


def test_create_lesson_names_an_unknown_source_kind_once() -> None:
    with pytest.raises(Invalid) as caught:
        lessons.create_lesson(actor_of(factories.make_staff()), "A lesson", [sources.SourceInput(kind="weather")])
    assert [(p.at, p.code) for p in caught.value.problems] == [(("sources", 0, "kind"), "unsupported")]


def test_remove_source_of_another_lesson_is_not_found() -> None:
    staff = factories.make_staff()
    first, other = captured(staff), captured(staff)
    sources.add_source(actor_of(staff), first.id, sources.SourceInput(kind="operational_feedback", note="More."))
    row = LessonSource.select().where(LessonSource.lesson == first.id).first()
    with pytest.raises(NotFound):
        sources.remove_source(actor_of(staff), other.id, row.id)
    assert LessonSource.select().where(LessonSource.lesson == first.id).count() == 2


def test_remove_cause_of_another_lesson_is_not_found() -> None:
    staff = factories.make_staff()
    first, other = captured(staff), captured(staff)
    cause = causes.add_cause(actor_of(staff), first.id, factories.make_root_cause().id, "Reminders off.")
    with pytest.raises(NotFound):
        causes.remove_cause(actor_of(staff), other.id, cause.id)
    assert LessonCause.select().where(LessonCause.id == cause.id).exists()


def analysed(staff: Any) -> tuple[Lesson, Any]:
    """A lesson moved to analysed on its one root cause."""
    lesson = captured(staff)
    cause = causes.add_cause(actor_of(staff), lesson.id, factories.make_root_cause().id, "Reminders off.")
    lessons.set_status(actor_of(staff), lesson.id, "analysed")
    return lesson, cause


def test_remove_cause_refuses_the_last_root_cause_of_an_analysed_lesson() -> None:
    staff = factories.make_staff()
    lesson, cause = analysed(staff)
    with pytest.raises(Conflict) as caught:
        causes.remove_cause(actor_of(staff), lesson.id, cause.id)
    assert caught.value.code == "last_root_cause"


def test_remove_cause_takes_a_contributing_factor_off_an_analysed_lesson() -> None:
    staff = factories.make_staff()
    lesson, _ = analysed(staff)
    factor = causes.add_cause(actor_of(staff), lesson.id, factories.make_root_cause().id, "Busy.", contributing=True)
    causes.remove_cause(actor_of(staff), lesson.id, factor.id)
    assert not LessonCause.select().where(LessonCause.id == factor.id).exists()


def test_remove_cause_takes_the_last_root_cause_off_an_identified_lesson() -> None:
    staff = factories.make_staff()
    lesson = captured(staff)
    cause = causes.add_cause(actor_of(staff), lesson.id, factories.make_root_cause().id, "Reminders off.")
    causes.remove_cause(actor_of(staff), lesson.id, cause.id)
    assert not LessonCause.select().where(LessonCause.lesson == lesson.id).exists()


def test_update_cause_refuses_making_the_last_root_cause_contributing() -> None:
    staff = factories.make_staff()
    _, cause = analysed(staff)
    with pytest.raises(Conflict) as caught:
        causes.update_cause(actor_of(staff), cause.id, contributing=True)
    assert caught.value.code == "last_root_cause"


def test_set_status_refuses_analysed_with_only_a_contributing_factor() -> None:
    staff = factories.make_staff()
    lesson = captured(staff)
    causes.add_cause(actor_of(staff), lesson.id, factories.make_root_cause().id, "Busy.", contributing=True)
    with pytest.raises(Conflict) as caught:
        lessons.set_status(actor_of(staff), lesson.id, "analysed")
    assert caught.value.code == "lesson_no_causes"


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u00a0\u200b\ufeff", "   "])
def test_validate_root_cause_refuses_a_name_only_invisible(name: str) -> None:
    with pytest.raises(Invalid) as caught:
        causes.validate_root_cause(None, {"name": name, "parent": None})
    assert (caught.value.field, caught.value.code) == ("name", "required")


@pytest.mark.parametrize("name", ["process", " PROCESS\u200b", "Process"])
def test_validate_root_cause_refuses_a_name_taken_under_the_same_parent(name: str) -> None:
    top = factories.make_root_cause("Repairs")
    factories.make_root_cause("Process", parent=top)
    with pytest.raises(Invalid) as caught:
        causes.validate_root_cause(None, {"name": name, "parent": top.id})
    assert (caught.value.field, caught.value.code) == ("name", "same_name")


def test_validate_root_cause_refuses_a_top_level_name_taken() -> None:
    factories.make_root_cause("Paperwork")
    with pytest.raises(Invalid) as caught:
        causes.validate_root_cause(None, {"name": "paperwork", "parent": None})
    assert caught.value.code == "same_name"


def test_validate_root_cause_takes_a_name_used_under_another_parent() -> None:
    factories.make_root_cause("Paperwork", parent=factories.make_root_cause("Repairs"))
    values = {"name": " paperwork\u200b", "parent": factories.make_root_cause("Lettings").id}
    causes.validate_root_cause(None, values)
    assert values["name"] == "paperwork"


def test_validate_root_cause_refuses_a_rename_to_a_name_taken() -> None:
    factories.make_root_cause("Paperwork")
    renamed = factories.make_root_cause("Pay")
    with pytest.raises(Invalid) as caught:
        causes.validate_root_cause(renamed, {"name": "PAPERWORK"})
    assert caught.value.code == "same_name"


def test_validate_root_cause_takes_its_own_name_in_another_case() -> None:
    cause = factories.make_root_cause("Paperwork")
    values = {"name": "paperwork"}
    causes.validate_root_cause(cause, values)
    assert values["name"] == "paperwork"


SPEAK_UP = sources.SourceInput(kind="speak_up", note="Nobody reads the job notes.", anonymous=True)


@pytest.mark.parametrize(
    ("now", "day_start"),
    [
        (dt.datetime(2026, 1, 15, 10, 30, 12, 345678), dt.datetime(2026, 1, 15, 0, 0)),  # GMT
        (dt.datetime(2026, 7, 1, 10, 30, 12, 345678), dt.datetime(2026, 6, 30, 23, 0)),  # BST
        (dt.datetime(2026, 7, 1, 23, 30), dt.datetime(2026, 7, 1, 23, 0)),  # already the next UK day
    ],
)
def test_add_source_anonymously_times_it_by_the_uk_day(clock_at: Any, now: dt.datetime, day_start: Any) -> None:
    staff = factories.make_staff()
    lesson = captured(staff)
    clock_at(now)
    row = sources.add_source(actor_of(staff), lesson.id, SPEAK_UP)
    assert LessonSource.get_by_id(row.id).recorded_at == day_start


def test_add_source_not_anonymous_keeps_its_time(clock_at: Any) -> None:
    staff = factories.make_staff()
    lesson = captured(staff)
    clock_at(dt.datetime(2026, 1, 15, 10, 30, 12))
    note = sources.SourceInput(kind="speak_up", note="Nobody reads the job notes.")
    row = sources.add_source(actor_of(staff), lesson.id, note)
    assert LessonSource.get_by_id(row.id).recorded_at == dt.datetime(2026, 1, 15, 10, 30, 12)


def test_add_source_anonymously_leaves_no_request_token_or_time_in_the_audit(clock_at: Any) -> None:
    staff = factories.make_staff()
    lesson = captured(staff)
    clock_at(dt.datetime(2026, 1, 15, 10, 30, 12))
    actor = Actor(user_id=staff.id, roles=staff.role_names(), label=f"user:{staff.id}", token_id=42, scope="write")

    def in_a_request() -> None:
        set_request_id("the-web-request")
        sources.add_source(actor, lesson.id, SPEAK_UP)

    contextvars.copy_context().run(in_a_request)
    audit = AuditEvent.get(AuditEvent.action == "lesson.source_added")
    assert (audit.actor_user_id, audit.actor_token_id, audit.request_id) == (None, None, None)
    assert audit.occurred_at == dt.datetime(2026, 1, 15)


def test_create_lesson_from_an_anonymous_note_times_it_by_the_uk_day(clock_at: Any) -> None:
    clock_at(dt.datetime(2026, 1, 15, 10, 30, 12))
    lesson = lessons.create_lesson(actor_of(factories.make_staff()), "Jobs closed early", [SPEAK_UP])
    row = LessonSource.get(LessonSource.lesson == lesson.id)
    audit = AuditEvent.get(AuditEvent.action == "lesson.created")
    assert (row.recorded_at, Lesson.get_by_id(lesson.id).created_at) == (dt.datetime(2026, 1, 15),) * 2
    assert (audit.occurred_at, audit.request_id) == (dt.datetime(2026, 1, 15), None)
