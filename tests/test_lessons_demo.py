"""The demo's lessons: every point of a lesson's life and an action's path, with history, and one upheld complaint
left for staff to draw a lesson from."""

from __future__ import annotations

import pytest

from backend import config
from backend.audit.models import AuditEvent
from backend.complaints.models import Complaint, ComplaintPoint, PointDecision
from backend.demo import load_demo
from backend.lessons.models import (
    ActionStatus,
    DueDateChange,
    Effect,
    ImprovementAction,
    Lesson,
    LessonSource,
    LessonStatus,
    Meeting,
    NoLessonDecision,
    QaReport,
    SourceKind,
    StaffBriefing,
    StoryStatus,
    SuccessStory,
    Theme,
    ThemeText,
)
from backend.timeutil import local_date

#: The points of a lesson's life the demo shows (merging needs two lessons about one thing; the demo has none).
LIFE = {s.value for s in LessonStatus} - {LessonStatus.MERGED.value}


@pytest.fixture
def demo() -> None:
    load_demo()


@pytest.mark.usefixtures("demo")
def test_demo_lessons_are_at_every_point_of_their_life() -> None:
    assert {lesson.status for lesson in Lesson.select()} == LIFE


@pytest.mark.usefixtures("demo")
def test_demo_actions_are_at_every_step_of_their_path() -> None:
    assert {action.status for action in ImprovementAction.select()} == {s.value for s in ActionStatus}


@pytest.mark.usefixtures("demo")
def test_demo_has_an_overdue_action_and_one_awaiting_sign_off() -> None:
    open_ = (ActionStatus.AUTHORISED.value, ActionStatus.IN_PROGRESS.value)
    overdue = ImprovementAction.select().where(
        ImprovementAction.status.in_(open_), ImprovementAction.due_on < local_date()
    )
    assert overdue.count() == 1
    assert ImprovementAction.select().where(ImprovementAction.status == ActionStatus.DONE.value).count() == 1


@pytest.mark.usefixtures("demo")
def test_demo_actions_were_agreed_before_they_were_due_and_verified_with_every_effect() -> None:
    authorised = ImprovementAction.select().where(ImprovementAction.authorised_at.is_null(False))
    assert authorised.count() >= 5
    for action in authorised:
        assert local_date(action.authorised_at) <= action.first_due_on, action.title
        assert action.created_at <= action.authorised_at, action.title
    verified = ImprovementAction.select().where(ImprovementAction.status == ActionStatus.VERIFIED.value)
    assert {action.effect for action in verified} == {e.value for e in Effect}
    not_addressed = verified.where(ImprovementAction.effect == Effect.NOT_ADDRESSED.value).get()
    assert ImprovementAction.get(ImprovementAction.follows == not_addressed.id).status == ActionStatus.PROPOSED.value
    assert DueDateChange.select().count() == 1


@pytest.mark.usefixtures("demo")
def test_demo_history_is_the_services_own_in_the_order_it_happened() -> None:
    for lesson in Lesson.select():
        events = list(
            AuditEvent.select()
            .where(AuditEvent.entity_type == "lesson", AuditEvent.entity_id == str(lesson.id))
            .order_by(AuditEvent.id)
        )
        assert [e.occurred_at for e in events] == sorted(e.occurred_at for e in events), lesson.reference
        assert events[0].action == "lesson.created" and local_date(events[0].occurred_at) == lesson.identified_on
    actions = {e.action for e in AuditEvent.select().where(AuditEvent.entity_type == "improvement_action")}
    assert {"improvement_action.authorised", "improvement_action.verified", "improvement_action.cancelled"} <= actions
    lessons = {e.action for e in AuditEvent.select().where(AuditEvent.entity_type == "lesson")}
    assert {"lesson.status_set", "lesson.status_followed_actions", "lesson.cancelled"} <= lessons
    assert QaReport.select().count() >= 7  # each month of the story counted, and this one so far


@pytest.mark.usefixtures("demo")
def test_demo_lessons_come_from_upheld_complaints() -> None:
    sources = LessonSource.select().where(LessonSource.kind == SourceKind.COMPLAINT.value)
    assert sources.count() >= 3
    for source in sources:
        decisions = (
            PointDecision.select()
            .join(ComplaintPoint, on=PointDecision.point == ComplaintPoint.id)
            .where(ComplaintPoint.complaint == source.complaint_id)
        )
        assert {d.decision for d in decisions} & {"upheld", "partly_upheld"}, source.complaint_id


@pytest.mark.usefixtures("demo")
def test_demo_leaves_an_upheld_complaint_without_a_lesson_or_decision() -> None:
    upheld = (
        ComplaintPoint.select(ComplaintPoint.complaint)
        .join(PointDecision, on=PointDecision.point == ComplaintPoint.id)
        .where(PointDecision.decision.in_(["upheld", "partly_upheld"]))
    )
    linked = LessonSource.select(LessonSource.complaint).where(LessonSource.complaint.is_null(False))
    decided = NoLessonDecision.select(NoLessonDecision.complaint)
    left = Complaint.select().where(Complaint.id.in_(upheld), Complaint.id.not_in(linked), Complaint.id.not_in(decided))
    assert left.count() >= 1


@pytest.mark.usefixtures("demo")
def test_demo_themes_are_named_for_residents_in_every_enabled_language() -> None:
    enabled = set(config.current().enabled_locales)
    assert {"en", "cy"} <= enabled
    themes = list(Theme.select())
    assert themes
    for theme in themes:
        texts = {t.locale: t.name for t in ThemeText.select().where(ThemeText.theme == theme.id)}
        assert set(texts) == enabled, theme.name
        assert texts["cy"] != texts["en"], theme.name


@pytest.mark.usefixtures("demo")
def test_demo_lessons_each_have_a_history() -> None:
    for lesson in Lesson.select():
        entries = AuditEvent.select().where(AuditEvent.entity_type == "lesson", AuditEvent.entity_id == str(lesson.id))
        assert entries.where(AuditEvent.action == "lesson.created").count() == 1, lesson.reference
    for action in ImprovementAction.select():
        entries = AuditEvent.select().where(
            AuditEvent.entity_type == "improvement_action", AuditEvent.entity_id == str(action.id)
        )
        assert all(entry.changes["lesson_id"]["after"] == action.lesson_id for entry in entries)
        assert entries.count() >= 1


@pytest.mark.usefixtures("demo")
def test_demo_shares_its_lessons_with_a_meeting_a_briefing_and_a_story() -> None:
    meeting = Meeting.get()
    assert any(item.lesson_id for item in meeting.agenda)  # type: ignore[attr-defined]
    assert StaffBriefing.select().where(StaffBriefing.acknowledged_at.is_null(False)).count() == 1
    assert SuccessStory.get().status == StoryStatus.APPROVED.value


def test_demo_lessons_load_once() -> None:
    load_demo()
    counts = (Lesson.select().count(), ImprovementAction.select().count(), Theme.select().count())
    load_demo()
    assert (Lesson.select().count(), ImprovementAction.select().count(), Theme.select().count()) == counts
