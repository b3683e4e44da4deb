"""The involvement ledger: meetings, completed reviews, time and expenses, rewards approved by a second manager,
opting out, the thank-you messages and the totals of the annual involvement report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.events.models import OutboxEvent
from backend.panels import ledger
from backend.panels.models import InvolvementEntry, PanelMembership
from backend.timeutil import local_date, utcnow
from tests import factories
from tests.factories import actor_of


def codes(error: Invalid) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in error.problems}


def staff() -> Any:
    return actor_of(factories.make_staff())


def manager() -> Any:
    return actor_of(factories.make_user("manager"))


def held_meeting(**panel_values: Any) -> tuple[Any, Any, Any]:
    panel = factories.make_panel(**panel_values)
    review = factories.make_scrutiny_review(panel)
    meeting = factories.make_panel_meeting(review, starts_at=utcnow() - dt.timedelta(days=2), minutes_long=90)
    return panel, review, meeting


def member_at(panel: Any, meeting: Any, minutes: int = 0, **values: Any) -> Any:
    membership = factories.make_panel_membership(panel, **values)
    attendance = factories.make_panel_attendance(meeting, membership.person)
    attendance.minutes_given = minutes
    attendance.save()
    return membership


def test_record_meeting_attendance_writes_one_entry_per_attending_member() -> None:
    panel, _review, meeting = held_meeting()
    first = member_at(panel, meeting, minutes=180)
    second = member_at(panel, meeting)
    factories.make_panel_membership(panel)  # a member who was not there
    written = ledger.record_meeting_attendance(staff(), meeting.id)
    by_member = {entry.membership_id: entry for entry in written}
    assert set(by_member) == {first.id, second.id}
    assert by_member[first.id].minutes_given == 180
    assert by_member[second.id].minutes_given == 90  # no time recorded: the meeting's length
    assert all(entry.kind == "meeting" and entry.meeting_id == meeting.id for entry in written)
    assert AuditEvent.select().where(AuditEvent.action == "involvement.meeting_recorded").count() == 1


def test_record_meeting_attendance_leaves_out_apologies() -> None:
    panel, _review, meeting = held_meeting()
    membership = factories.make_panel_membership(panel)
    attendance = factories.make_panel_attendance(meeting, membership.person)
    attendance.attended = False
    attendance.save()
    assert ledger.record_meeting_attendance(staff(), meeting.id) == []


def test_record_meeting_attendance_twice_adds_nothing() -> None:
    panel, _review, meeting = held_meeting()
    member_at(panel, meeting)
    assert len(ledger.record_meeting_attendance(staff(), meeting.id)) == 1
    assert ledger.record_meeting_attendance(staff(), meeting.id) == []
    assert InvolvementEntry.select().count() == 1


def test_record_meeting_attendance_of_a_meeting_to_come_is_refused() -> None:
    meeting = factories.make_panel_meeting()
    with pytest.raises(Conflict) as error:
        ledger.record_meeting_attendance(staff(), meeting.id)
    assert error.value.code == "meeting_not_held"


@pytest.mark.parametrize("roles", [("resident", "panel_member"), ("resident",)])
def test_record_meeting_attendance_by_a_member_is_refused(roles: tuple[str, ...]) -> None:
    _panel, _review, meeting = held_meeting()
    with pytest.raises(NotAllowed):
        ledger.record_meeting_attendance(actor_of(factories.make_user(*roles)), meeting.id)


def test_record_meeting_attendance_of_no_meeting_is_not_found() -> None:
    with pytest.raises(NotFound):
        ledger.record_meeting_attendance(staff(), 999_999)


def completed_review(reward_pence: int | None = 2500, **review_values: Any) -> tuple[Any, Any, list[Any]]:
    panel = factories.make_panel(reward_pence=reward_pence, reward_rule="A £25 voucher per review")
    review = factories.make_scrutiny_review(panel, status="published", published_at=utcnow(), **review_values)
    meeting = factories.make_panel_meeting(review, starts_at=utcnow() - dt.timedelta(days=30))
    members = [member_at(panel, meeting) for _ in range(2)]
    return panel, review, members


def test_record_review_completed_thanks_each_participant_and_proposes_their_reward() -> None:
    _panel, review, members = completed_review()
    bystander = factories.make_panel_membership(_panel)
    written = ledger.record_review_completed(staff(), review.id)
    assert {entry.membership_id for entry in written} == {m.id for m in members}
    rewards = InvolvementEntry.select().where(InvolvementEntry.kind == "reward")
    assert {(r.membership_id, r.amount_pence, r.approved_at) for r in rewards} == {(m.id, 2500, None) for m in members}
    thanks = OutboxEvent.select().where(OutboxEvent.name == "panels.review_thanks")
    assert {event.payload["user_id"] for event in thanks} == {m.person_id for m in members}
    assert not InvolvementEntry.select().where(InvolvementEntry.membership == bystander.id).exists()


def test_record_review_completed_proposes_no_reward_to_a_member_who_opted_out() -> None:
    _panel, review, members = completed_review()
    PanelMembership.update(rewards_opt_out=True).where(PanelMembership.id == members[0].id).execute()
    ledger.record_review_completed(staff(), review.id)
    rewarded = {r.membership_id for r in InvolvementEntry.select().where(InvolvementEntry.kind == "reward")}
    assert rewarded == {members[1].id}


def test_record_review_completed_without_a_reward_rule_proposes_none() -> None:
    _panel, review, _members = completed_review(reward_pence=None)
    assert len(ledger.record_review_completed(staff(), review.id)) == 2
    assert not InvolvementEntry.select().where(InvolvementEntry.kind == "reward").exists()


def test_record_review_completed_twice_adds_nothing() -> None:
    _panel, review, _members = completed_review()
    ledger.record_review_completed(staff(), review.id)
    assert ledger.record_review_completed(staff(), review.id) == []
    assert InvolvementEntry.select().where(InvolvementEntry.kind == "reward").count() == 2


@pytest.mark.parametrize("status", ["planned", "gathering", "reporting", "awaiting_response", "responded"])
def test_record_review_completed_before_it_is_complete_is_refused(status: str) -> None:
    review = factories.make_scrutiny_review(status=status)
    with pytest.raises(Conflict) as error:
        ledger.record_review_completed(staff(), review.id)
    assert error.value.code == "review_not_completed"


def test_record_involvement_adds_an_expense_apart_from_rewards() -> None:
    membership = factories.make_panel_membership()
    entry = ledger.record_involvement(staff(), membership.id, "expense", local_date(), 0, 1250, "Bus fares")
    assert (entry.kind, entry.amount_pence, entry.note) == ("expense", 1250, "Bus fares")
    totals = ledger.ledger_totals(local_date() - dt.timedelta(days=1), local_date(), membership.panel_id)
    assert (totals[0].expenses_pence, totals[0].rewards_pence) == (1250, 0)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"kind": "reward"}, ("kind", "unsupported")),
        ({"kind": "meeting"}, ("kind", "unsupported")),
        ({"occurred_on": ""}, ("occurred_on", "required")),
        ({"occurred_on": "2026-02-30"}, ("occurred_on", "invalid")),
        ({"occurred_on": "2999-01-01"}, ("occurred_on", "in_future")),
        ({"minutes_given": 0}, ("minutes_given", "out_of_range")),
        ({"minutes_given": 24 * 60 + 1}, ("minutes_given", "out_of_range")),
        ({"minutes_given": -5}, ("minutes_given", "out_of_range")),
        ({"amount_pence": 100}, ("amount_pence", "out_of_range")),
        ({"note": "x" * 2001}, ("note", "too_long")),
        ({"kind": "expense", "amount_pence": 0, "minutes_given": 0, "note": "Taxi"}, ("amount_pence", "out_of_range")),
        (
            {"kind": "expense", "amount_pence": 100_001, "minutes_given": 0, "note": "Taxi"},
            ("amount_pence", "out_of_range"),
        ),
        ({"kind": "expense", "amount_pence": 500, "minutes_given": 0, "note": "  "}, ("note", "what_for")),
    ],
)
def test_record_involvement_with_bad_input_is_refused(values: dict[str, Any], expected: tuple[str, str]) -> None:
    membership = factories.make_panel_membership()
    given = {"kind": "hours", "occurred_on": local_date().isoformat(), "minutes_given": 60, "amount_pence": 0}
    given |= values
    with pytest.raises(Invalid) as error:
        ledger.record_involvement(staff(), membership.id, **given)
    assert expected in codes(error.value)


def test_record_involvement_by_a_member_is_refused() -> None:
    membership = factories.make_panel_membership()
    with pytest.raises(NotAllowed):
        ledger.record_involvement(actor_of(membership.person), membership.id, "hours", local_date(), 60)


def proposed_reward() -> tuple[Any, Any, Any]:
    _panel, review, members = completed_review()
    recorder = manager()
    ledger.record_review_completed(recorder, review.id)
    reward = InvolvementEntry.get(InvolvementEntry.kind == "reward", InvolvementEntry.membership == members[0].id)
    return reward, recorder, members[0]


def test_approve_reward_by_a_second_manager_approves_and_thanks_the_member() -> None:
    reward, _recorder, membership = proposed_reward()
    approver = manager()
    approved = ledger.approve_reward(approver, reward.id)
    assert approved.approved_by_id == approver.user_id and approved.approved_at is not None
    event = OutboxEvent.get(OutboxEvent.name == "panels.reward_approved")
    assert event.payload["user_id"] == membership.person_id


def test_approve_reward_by_the_manager_who_recorded_it_is_refused() -> None:
    reward, recorder, _membership = proposed_reward()
    with pytest.raises(NotAllowed) as error:
        ledger.approve_reward(recorder, reward.id)
    assert error.value.code == "own_record"


def test_approve_reward_by_staff_who_are_not_managers_is_refused() -> None:
    reward, _recorder, _membership = proposed_reward()
    with pytest.raises(NotAllowed):
        ledger.approve_reward(staff(), reward.id)


def test_approve_reward_twice_is_a_conflict() -> None:
    reward, _recorder, _membership = proposed_reward()
    ledger.approve_reward(manager(), reward.id)
    with pytest.raises(Conflict) as error:
        ledger.approve_reward(manager(), reward.id)
    assert error.value.code == "already_approved"


def test_approve_reward_of_a_member_who_opted_out_is_refused() -> None:
    reward, _recorder, membership = proposed_reward()
    ledger.set_rewards_opt_out(actor_of(membership.person), membership.id, True)
    with pytest.raises(Conflict) as error:
        ledger.approve_reward(manager(), reward.id)
    assert error.value.code == "opted_out"


def test_approve_reward_of_an_entry_that_is_no_reward_is_not_found() -> None:
    entry = factories.make_involvement_entry(kind="meeting")
    with pytest.raises(NotFound):
        ledger.approve_reward(manager(), entry.id)


def test_set_rewards_opt_out_by_the_member_records_it() -> None:
    membership = factories.make_panel_membership()
    changed = ledger.set_rewards_opt_out(actor_of(membership.person), membership.id, True)
    assert changed.rewards_opt_out is True
    assert AuditEvent.select().where(AuditEvent.action == "membership.rewards_opt_out").count() == 1


def test_set_rewards_opt_out_of_someone_elses_membership_is_not_found() -> None:
    membership = factories.make_panel_membership()
    other = factories.make_panel_membership(membership.panel)
    with pytest.raises(NotFound):
        ledger.set_rewards_opt_out(actor_of(other.person), membership.id, True)


def test_ledger_totals_count_each_kind_in_the_period_only() -> None:
    membership = factories.make_panel_membership()
    today = local_date()
    factories.make_involvement_entry(membership, kind="meeting", minutes_given=120)
    factories.make_involvement_entry(membership, kind="review", minutes_given=0)
    factories.make_involvement_entry(membership, kind="document", minutes_given=30)
    factories.make_involvement_entry(membership, kind="hours", minutes_given=45)
    factories.make_involvement_entry(
        membership, kind="reward", minutes_given=0, amount_pence=2500, approved_at=utcnow()
    )
    factories.make_involvement_entry(membership, kind="reward", minutes_given=0, amount_pence=1000)
    factories.make_involvement_entry(membership, kind="meeting", occurred_on=today - dt.timedelta(days=400))
    (row,) = ledger.ledger_totals(today - dt.timedelta(days=30), today, membership.panel_id)
    assert (row.meetings, row.reviews, row.documents, row.minutes) == (1, 1, 1, 195)
    assert (row.rewards_pence, row.rewards_waiting_pence) == (2500, 1000)
    assert row.member == membership.person.display_name


def test_ledger_totals_of_a_period_ending_before_it_starts_are_refused() -> None:
    with pytest.raises(Invalid):
        ledger.ledger_totals(local_date(), local_date() - dt.timedelta(days=1))


def test_thank_you_messages_render_with_the_benefits_note() -> None:
    from backend.notifications.registry import EVENTS
    from backend.notifications.templates import default_source

    subject, body = default_source(EVENTS["panels.reward_approved"], "email", "en")
    assert "{{ amount }}" in subject and "Universal Credit" in body
