"""Overdue escalation of improvement actions: the owner, then their line manager, once each, and one digest a day
for each senior manager."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.events.models import OutboxEvent
from backend.lessons import actions, escalation
from backend.lessons.models import ActionDigest, ImprovementAction
from backend.notifications.models import Delivery
from tests import factories
from tests.factories import actor_of

START = dt.datetime(2026, 3, 2, 10)  # Monday 2 March 2026, 10:00 UTC
DUE = dt.date(2026, 3, 13)


def events(name: str) -> list[OutboxEvent]:
    return list(OutboxEvent.select().where(OutboxEvent.name == name).order_by(OutboxEvent.id))


def authorised(due: dt.date = DUE) -> tuple[ImprovementAction, Any, Any]:
    line_manager = factories.make_user("manager")
    owner = factories.make_staff(manager=line_manager)
    lesson = factories.make_lesson(status="analysed")
    action = actions.propose_action(
        actor_of(owner),
        lesson.id,
        title="Text residents the day before a repair",
        measure="Missed appointments a month",
        target="10",
        owner_id=owner.id,
        action_type="service_provision",
        due_on=due,
    )
    return actions.authorise_action(actor_of(factories.make_user("manager")), action.id), owner, line_manager


def sweep(day: int) -> dict[str, int]:
    return escalation.sweep_actions(dt.date(2026, 3, day))


def test_sweep_tells_the_owner_once_before_and_once_after(clock_at: Any) -> None:
    clock_at(START)
    _action, owner, _boss = authorised()
    assert sweep(7)["due_soon"] == 0
    assert sweep(8)["due_soon"] == 1  # five days before (the default)
    assert sweep(9)["due_soon"] == 0
    assert sweep(13) == {"due_soon": 0, "overdue": 0, "escalated": 0, "digests": 0}
    assert sweep(14)["overdue"] == 1
    assert sweep(15)["overdue"] == 0
    assert [e.payload["recipient_id"] for e in events("lessons.action_due_soon")] == [owner.id]
    assert [e.payload["recipient_id"] for e in events("lessons.action_overdue")] == [owner.id]


def test_sweep_escalates_to_the_line_manager_once_when_overdue_long_enough(clock_at: Any) -> None:
    clock_at(START)
    _action, _owner, boss = authorised()
    assert sweep(15)["escalated"] == 0
    assert sweep(16)["escalated"] == 1  # three days overdue (the default)
    assert sweep(17)["escalated"] == 0
    assert [e.payload["recipient_id"] for e in events("lessons.action_escalated")] == [boss.id]


def test_sweep_escalation_days_is_a_setting(clock_at: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from backend import config

    clock_at(START)
    authorised()
    monkeypatch.setattr(config, "current", lambda: config.load_settings({"LEARNLOOP_ACTION_ESCALATION_DAYS": "0"}))
    assert sweep(14)["escalated"] == 1


def test_sweep_gives_each_senior_manager_one_digest_a_day(clock_at: Any) -> None:
    clock_at(START)
    first, _owner, _boss = authorised(dt.date(2026, 3, 10))
    second, _owner2, _boss2 = authorised(dt.date(2026, 3, 11))
    seniors = [factories.make_role_designation("senior_manager", starts_on=dt.date(2026, 1, 1)).person_id for _ in "ab"]
    assert sweep(12)["digests"] == 2
    assert sweep(12)["digests"] == 0
    digests = events("lessons.action_overdue_digest")
    assert sorted(e.payload["recipient_id"] for e in digests) == sorted(seniors)
    assert digests[0].payload["action_ids"] == [first.id, second.id]
    assert sweep(13)["digests"] == 2
    assert ActionDigest.select().count() == 8


def test_sweep_sends_no_digest_when_nothing_is_overdue(clock_at: Any) -> None:
    clock_at(START)
    authorised()
    factories.make_role_designation("senior_manager", starts_on=dt.date(2026, 1, 1))
    assert sweep(12)["digests"] == 0


def test_sweep_leaves_done_and_proposed_actions_alone(clock_at: Any) -> None:
    clock_at(START)
    action, owner, _boss = authorised(dt.date(2026, 3, 4))
    actions.start_action(actor_of(owner), action.id)
    actions.complete_action(actor_of(owner), action.id, text="Done.")
    lesson = factories.make_lesson()
    actions.propose_action(actor_of(owner), lesson.id, title="x", action_type="policy_procedure", due_on=DUE)
    assert sweep(20) == {"due_soon": 0, "overdue": 0, "escalated": 0, "digests": 0}


def test_sweep_tells_again_after_the_due_date_moves(clock_at: Any) -> None:
    clock_at(START)
    action, _owner, _boss = authorised(dt.date(2026, 3, 4))
    assert sweep(5)["overdue"] == 1
    clock_at(dt.datetime(2026, 3, 5, 10))
    actions.change_due_date(actor_of(factories.make_user("manager")), action.id, dt.date(2026, 3, 20), "Supplier late")
    assert sweep(21)["overdue"] == 1
    assert len(events("lessons.action_overdue")) == 2


def test_a_row_already_stamped_by_another_worker_is_not_told_again(clock_at: Any) -> None:
    clock_at(START)
    authorised(dt.date(2026, 3, 4))
    ImprovementAction.update(overdue_notified_at=dt.datetime(2026, 3, 5, 9)).execute()
    assert sweep(5)["overdue"] == 0


def test_digest_reaches_the_senior_manager_listing_each_overdue_action(clock_at: Any) -> None:
    clock_at(START)
    action, _owner, _boss = authorised(dt.date(2026, 3, 4))
    factories.make_role_designation("senior_manager", starts_on=dt.date(2026, 1, 1))
    clock_at(dt.datetime(2026, 3, 9, 10))
    sweep(9)
    (sent,) = Delivery.select().join(OutboxEvent).where(OutboxEvent.name == "lessons.action_overdue_digest")
    assert action.title in sent.body and "/console/lessons/actions" in sent.action


def test_escalation_reaches_the_line_manager_with_a_link_to_the_action(clock_at: Any) -> None:
    clock_at(START)
    action, _owner, boss = authorised(dt.date(2026, 3, 4))
    sweep(9)
    (sent,) = Delivery.select().join(OutboxEvent).where(OutboxEvent.name == "lessons.action_escalated")
    assert sent.recipient_user_id == boss.id
    assert action.title in sent.subject and f"/console/lessons/actions/{action.id}" in sent.action


def test_sweep_task_runs_the_sweep() -> None:
    from tasks.lessons import sweep_improvement_actions

    assert sweep_improvement_actions.call_local() == {"due_soon": 0, "overdue": 0, "escalated": 0, "digests": 0}
