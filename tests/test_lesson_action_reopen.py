"""Verification is independent of the owner, and reopening an action after "not addressed" asks for a new due date
and takes the lesson back to "in progress"; sign-off counts only senior managers who are still managers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.accounts.models import UserRole
from backend.errors import Invalid, NotAllowed
from backend.lessons import actions, notices
from backend.lessons.models import DueDateChange, ImprovementAction, Lesson
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of
from tests.test_lesson_actions import codes, done, manager


def signed_off(**values: Any) -> tuple[ImprovementAction, Any]:
    action, boss = done(**values)
    return actions.sign_off_action(actor_of(manager()), action.id), boss


def test_verify_by_the_owner_is_not_allowed() -> None:
    owner = manager()
    action, _boss = signed_off(owner=owner)
    with pytest.raises(NotAllowed):
        actions.verify_action(actor_of(owner), action.id, "addressed", "Missed appointments down to 8.")
    assert actions.get_action(action.id).status == "signed_off"


def test_reopen_without_a_new_due_date_or_with_a_past_one_names_every_problem() -> None:
    action, boss = signed_off()
    with pytest.raises(Invalid) as caught:
        actions.verify_action(actor_of(boss), action.id, "not_addressed", "", "reopen")
    assert codes(caught.value) == {("effect_note", "required"), ("due_on", "reopen_required")}
    past = local_date() - dt.timedelta(days=1)
    with pytest.raises(Invalid) as caught:
        actions.verify_action(actor_of(boss), action.id, "not_addressed", "No change.", "reopen", past)
    assert codes(caught.value) == {("due_on", "in_past")}


def test_reopen_records_the_new_due_date_as_a_change_and_is_not_overdue() -> None:
    action, boss = signed_off()
    ImprovementAction.update(
        due_on=local_date() - dt.timedelta(days=5), overdue_notified_at=dt.datetime(2026, 1, 1)
    ).where(ImprovementAction.id == action.id).execute()
    new_due = local_date() + dt.timedelta(days=30)
    reopened = actions.verify_action(
        actor_of(boss), action.id, "not_addressed", "Still missing visits.", "reopen", new_due
    )
    assert (reopened.status, reopened.due_on, reopened.overdue_notified_at) == ("in_progress", new_due, None)
    change = DueDateChange.get(DueDateChange.action == action.id)
    assert (change.from_date, change.to_date, change.reason) == (
        local_date() - dt.timedelta(days=5),
        new_due,
        "Still missing visits.",
    )


def test_reopen_takes_a_lesson_measuring_impact_back_to_in_progress() -> None:
    action, boss = signed_off()
    assert Lesson.get_by_id(action.lesson_id).status == "measuring_impact"  # type: ignore[attr-defined]
    actions.verify_action(
        actor_of(boss), action.id, "not_addressed", "No change.", "reopen", local_date() + dt.timedelta(days=9)
    )
    assert Lesson.get_by_id(action.lesson_id).status == "in_progress"  # type: ignore[attr-defined]


def test_a_senior_manager_who_is_not_a_manager_does_not_block_sign_off() -> None:
    action, _boss = done()
    handler = factories.make_staff()
    factories.make_role_designation("senior_manager", handler)
    assert notices.senior_manager_ids() == set()
    other = manager()
    assert other.id in notices.signers()
    assert handler.id not in notices.signers()
    assert actions.sign_off_action(actor_of(other), action.id).status == "signed_off"


def test_a_senior_manager_who_lost_the_manager_role_no_longer_counts() -> None:
    action, _boss = done()
    senior = manager()
    factories.make_role_designation("senior_manager", senior)
    UserRole.delete().where(UserRole.user == senior.id).execute()
    UserRole.create(user=senior.id, role="staff")
    assert actions.sign_off_action(actor_of(manager()), action.id).status == "signed_off"
