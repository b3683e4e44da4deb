"""Which lessons notices staff can turn off: duties and escalations always reach them, whatever their preferences;
the bulletin, briefings, the QA report, quality checks and the resident's "we made a change" are of the optional
topic "changes"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.events.models import OutboxEvent
from backend.lessons import actions, bulletins, escalation
from backend.lessons.action_messages import ACTION_EVENTS
from backend.lessons.qa_messages import QA_EVENTS
from backend.lessons.sharing_messages import SHARING_EVENTS
from backend.notifications.catalogue import STATUTORY_TOPICS
from backend.notifications.models import Delivery
from tests import factories
from tests.factories import actor_of
from tests.test_lesson_actions import in_progress, manager

START = dt.datetime(2026, 3, 2, 10)  # Monday 2 March 2026, 10:00 UTC

DUTIES = {
    "lessons.action_due_soon",
    "lessons.action_overdue",
    "lessons.action_escalated",
    "lessons.action_overdue_digest",
    "lessons.action_done",
    "lessons.action_not_fixed",
}
OPTIONAL = {
    "lessons.improvement_made",
    "lessons.bulletin",
    "lessons.staff_briefing",
    "lessons.qa_report",
    "lessons.quality_review_returned",
}


def deliveries(event: str, person: Any) -> list[Delivery]:
    return list(
        Delivery.select()
        .join(OutboxEvent)
        .where(OutboxEvent.name == event, Delivery.recipient_user_id == person.id)
        .order_by(Delivery.id)
    )


def changes_off(person: Any) -> Any:
    factories.make_preference(person, topic="changes", frequency="off")
    return person


def test_every_lessons_message_is_named_under_one_prefix_and_put_under_its_topic() -> None:
    specs = {spec.name: spec for group in (ACTION_EVENTS, SHARING_EVENTS, QA_EVENTS) for spec in group.specs}
    assert set(specs) == DUTIES | OPTIONAL
    assert {name for name, spec in specs.items() if spec.topic in STATUTORY_TOPICS} == DUTIES
    assert {spec.topic for name, spec in specs.items() if name in OPTIONAL} == {"changes"}


def test_turning_off_changes_does_not_silence_the_escalation_or_the_digest(clock_at: Any) -> None:
    clock_at(START)
    boss = changes_off(factories.make_user("manager"))
    senior = changes_off(factories.make_user("manager"))
    factories.make_role_designation("senior_manager", senior)
    owner = changes_off(factories.make_staff(manager=boss))
    lesson = factories.make_lesson(status="analysed")
    action = actions.propose_action(
        actor_of(owner),
        lesson.id,
        title="Text residents the day before a repair",
        measure="Missed appointments a month",
        target="10",
        owner_id=owner.id,
        action_type="service_provision",
        due_on=dt.date(2026, 3, 4),
    )
    actions.authorise_action(actor_of(manager()), action.id)
    clock_at(dt.datetime(2026, 3, 9, 10))
    assert escalation.sweep_actions(dt.date(2026, 3, 9)) == {"due_soon": 0, "overdue": 1, "escalated": 1, "digests": 1}
    for event, person in (
        ("lessons.action_overdue", owner),
        ("lessons.action_escalated", boss),
        ("lessons.action_overdue_digest", senior),
    ):
        (sent,) = deliveries(event, person)
        assert sent.status == "sent", (event, sent.status)
        assert action.title in sent.subject + sent.body


def test_turning_off_changes_does_not_silence_the_request_to_sign_off() -> None:
    senior = changes_off(manager())
    factories.make_role_designation("senior_manager", senior)
    action, boss = in_progress()
    actions.complete_action(actor_of(boss), action.id, text="Reminders went live.")
    (sent,) = deliveries("lessons.action_done", senior)
    assert sent.status == "sent"


def test_turning_off_changes_silences_the_bulletin() -> None:
    sender = manager()
    quiet = changes_off(factories.make_staff())
    keen = factories.make_staff()
    bulletin = factories.make_bulletin()
    bulletins.send_bulletin(actor_of(sender), bulletin.id)
    (skipped,) = deliveries("lessons.bulletin", quiet)
    assert skipped.status == "skipped"
    (sent,) = deliveries("lessons.bulletin", keen)
    assert sent.status == "sent"
