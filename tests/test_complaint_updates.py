"""Update intervals (Code 5.9): agreed with the resident when an answer will be late, and a sweep that tells the
handler of a missed update, then their manager once it is missed further, once each."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.complaints import journey, responses, steps, updates
from backend.complaints.models import Complaint, UpdateInterval
from backend.errors import Conflict, Invalid, NotAllowed
from backend.events.models import OutboxEvent
from tests import factories
from tests.factories import actor_of
from tests.test_complaint_steps import _respond

MONDAY = dt.datetime(2026, 3, 2, 10)  # Mon 2 March 2026, GMT


def events(name: str) -> list[dict[str, Any]]:
    return [e.payload for e in OutboxEvent.select().where(OutboxEvent.name == name).order_by(OutboxEvent.id)]


def late_complaint(clock_at: Any) -> tuple[Any, Any, Any]:
    """A stage-1 complaint acknowledged on Monday 2 March 2026 and extended that day: its answer will be late."""
    clock_at(MONDAY)
    manager = factories.make_user("manager")
    handler = factories.make_staff(manager=manager)
    complaint = factories.acknowledged_complaint(handler)
    journey.assign_complaint(actor_of(handler), complaint.id, handler.id)
    journey.extend_complaint(actor_of(handler), complaint.id, 5, "Waiting for the surveyor.", MONDAY.date(), True)
    return complaint, handler, manager


def test_staff_agree_an_interval_once_the_answer_is_late(clock_at: Any) -> None:
    complaint, handler, _manager = late_complaint(clock_at)
    interval = updates.agree_update_interval(
        actor_of(handler), complaint.id, 3, MONDAY.date(), "phone", "Calls after 4pm."
    )
    assert (interval.every_days, interval.agreed_on, interval.method) == (3, MONDAY.date(), "phone")
    assert updates.next_update_due(interval, "england") == dt.date(2026, 3, 5)
    audit = AuditEvent.get(AuditEvent.action == "complaint.update_interval_agreed")
    assert audit.changes["every_days"] == {"before": None, "after": 3}
    # Agreeing again replaces it: one interval per stage.
    updates.agree_update_interval(actor_of(handler), complaint.id, 5, MONDAY.date(), "email")
    assert UpdateInterval.select().where(UpdateInterval.complaint == complaint.id).count() == 1


def test_an_answer_that_is_not_late_needs_no_interval(clock_at: Any) -> None:
    clock_at(MONDAY)
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    assert "agree_updates" not in {rule.step for rule in steps.available_steps(actor_of(handler), complaint)}
    with pytest.raises(Conflict) as refused:
        updates.agree_update_interval(actor_of(handler), complaint.id, 3, MONDAY.date(), "phone")
    assert refused.value.code == "not_late"
    assert UpdateInterval.select().count() == 0


def test_a_clock_at_risk_makes_the_answer_late(clock_at: Any) -> None:
    clock_at(MONDAY)
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)  # due Mon 16 March
    clock_at(dt.datetime(2026, 3, 12, 10))
    assert "agree_updates" in {rule.step for rule in steps.available_steps(actor_of(handler), complaint)}


def test_every_missing_part_is_named_and_nothing_changes(clock_at: Any) -> None:
    complaint, handler, _manager = late_complaint(clock_at)
    with pytest.raises(Invalid) as refused:
        updates.agree_update_interval(actor_of(handler), complaint.id, None, None, None, "x" * 2_001)
    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("every_days", "required"),
        ("agreed_on", "required"),
        ("method", "required"),
        ("note", "too_long"),
    ]
    with pytest.raises(Invalid) as refused:
        updates.agree_update_interval(actor_of(handler), complaint.id, 21, dt.date(2026, 3, 3), "pigeon")
    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("every_days", "out_of_range"),
        ("agreed_on", "in_future"),
        ("method", "invalid"),
    ]
    with pytest.raises(Invalid) as refused:
        updates.agree_update_interval(actor_of(handler), complaint.id, 3, dt.date(2026, 2, 27), "phone")
    assert [(p.field, p.code) for p in refused.value.problems] == [("agreed_on", "before_stage")]
    assert UpdateInterval.select().count() == 0
    assert not AuditEvent.select().where(AuditEvent.action == "complaint.update_interval_agreed").exists()


def test_a_resident_cannot_agree_an_interval(clock_at: Any) -> None:
    complaint, _handler, _manager = late_complaint(clock_at)
    with pytest.raises(NotAllowed):
        updates.agree_update_interval(actor_of(complaint.resident), complaint.id, 3, MONDAY.date(), "phone")


def test_the_sweep_tells_the_handler_then_the_manager_once_each(clock_at: Any) -> None:
    complaint, handler, manager = late_complaint(clock_at)
    updates.agree_update_interval(actor_of(handler), complaint.id, 3, MONDAY.date(), "phone")
    # Due Thursday 5 March: nothing on the day itself.
    assert updates.sweep_update_intervals(dt.date(2026, 3, 5)) == {"missed": 0, "missed_further": 0}
    assert updates.sweep_update_intervals(dt.date(2026, 3, 6)) == {"missed": 1, "missed_further": 0}
    assert updates.sweep_update_intervals(dt.date(2026, 3, 6)) == {"missed": 0, "missed_further": 0}
    (missed,) = events("complaint.update_missed")
    assert (missed["recipient_id"], missed["due_on"]) == (handler.id, "2026-03-05")
    # A further interval (3 working days: to Tuesday 10 March) later, the manager hears, once.
    assert updates.sweep_update_intervals(dt.date(2026, 3, 10)) == {"missed": 0, "missed_further": 0}
    assert updates.sweep_update_intervals(dt.date(2026, 3, 11)) == {"missed": 0, "missed_further": 1}
    assert updates.sweep_update_intervals(dt.date(2026, 3, 12)) == {"missed": 0, "missed_further": 0}
    assert [e["recipient_id"] for e in events("complaint.update_missed_further")] == [manager.id]
    interval = UpdateInterval.get()
    assert interval.missed_due_on == dt.date(2026, 3, 5)
    assert interval.missed_notified_at is not None and interval.manager_notified_at is not None


def test_an_update_sent_moves_the_next_due_date(clock_at: Any) -> None:
    complaint, handler, _manager = late_complaint(clock_at)
    updates.agree_update_interval(actor_of(handler), complaint.id, 3, MONDAY.date(), "phone")
    clock_at(dt.datetime(2026, 3, 5, 15))
    responses.send_update(actor_of(handler), complaint.id, "The surveyor comes on Monday.")
    assert updates.sweep_update_intervals(dt.date(2026, 3, 6)) == {"missed": 0, "missed_further": 0}
    assert updates.next_update_due(UpdateInterval.get(), "england") == dt.date(2026, 3, 10)
    # Missed again later: a new miss, told again.
    assert updates.sweep_update_intervals(dt.date(2026, 3, 11)) == {"missed": 1, "missed_further": 0}
    assert [e["due_on"] for e in events("complaint.update_missed")] == ["2026-03-10"]


def test_no_sweep_once_the_stage_is_answered(clock_at: Any) -> None:
    complaint, handler, _manager = late_complaint(clock_at)
    updates.agree_update_interval(actor_of(handler), complaint.id, 3, MONDAY.date(), "phone")

    _respond(actor_of(handler), complaint)
    assert updates.sweep_update_intervals(dt.date(2026, 3, 20)) == {"missed": 0, "missed_further": 0}
    assert events("complaint.update_missed") == []


def test_nobody_handling_it_means_every_manager_hears(clock_at: Any) -> None:
    clock_at(MONDAY)
    manager = factories.make_user("manager")
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    journey.extend_complaint(actor_of(manager), complaint.id, 5, "Waiting for the surveyor.", MONDAY.date(), True)
    updates.agree_update_interval(actor_of(manager), complaint.id, 2, MONDAY.date(), "email")
    Complaint.update(handler=None).where(Complaint.id == complaint.id).execute()
    updates.sweep_update_intervals(dt.date(2026, 3, 5))
    assert manager.id in {e["recipient_id"] for e in events("complaint.update_missed")}


def test_the_task_runs_the_sweep() -> None:
    from tasks.complaints import sweep_update_intervals

    assert sweep_update_intervals.call_local() == {"missed": 0, "missed_further": 0}
