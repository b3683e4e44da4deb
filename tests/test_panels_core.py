"""Scrutiny panels' core services: panels, support, memberships, reviews, the work programme, follow-ups,
meetings with their invitations, reminders and calendar file, attendance, interviews, the make-up comparison and
the demo panel."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from icalendar import Calendar

from backend.audit.models import AuditEvent
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.events.models import OutboxEvent
from backend.panels import makeup, meetings, panels, reviews
from backend.panels.messages import meeting_calendar, meeting_values
from backend.panels.models import (
    Panel,
    PanelMeeting,
    PanelMembership,
    ScrutinyReview,
    WorkProgrammeItem,
)
from backend.timeutil import local_date, utcnow
from tests import factories
from tests.factories import actor_of

TODAY = local_date()


def codes(error: Invalid) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in error.problems}


@pytest.fixture
def staff() -> Any:
    return actor_of(factories.make_staff())


def member(**values: Any) -> Any:
    return factories.make_user("resident", "panel_member", **values)


# Panels.


def test_create_panel_records_audit_and_event(staff: Any) -> None:
    lead = factories.make_user("manager")
    panel = panels.create_panel(
        staff, {"name": "Residents' Panel", "terms_of_reference": "We review.", "senior_lead_id": lead.id, "quorum": 4}
    )
    assert panel.quorum == 4 and panel.senior_lead_id == lead.id
    assert (
        AuditEvent.select().where(AuditEvent.action == "panel.created", AuditEvent.entity_id == str(panel.id)).exists()
    )
    assert OutboxEvent.select().where(OutboxEvent.name == "panels.panel_created").exists()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"name": ""}, ("name", "required")),
        ({"name": "x" * 121}, ("name", "too_long")),
        ({"name": "A\nB"}, ("name", "hidden_characters")),
        ({"name": "P", "quorum": 0}, ("quorum", "out_of_range")),
        ({"name": "P", "follow_up_months": 13}, ("follow_up_months", "out_of_range")),
        ({"name": "P", "sign_off_rule": "anyone"}, ("sign_off_rule", "unsupported")),
        ({"name": "P", "approval_body": "mayor"}, ("approval_body", "unsupported")),
        ({"name": "P", "terms_of_reference": "x" * 10_001}, ("terms_of_reference", "too_long")),
        ({"name": "P", "reward_pence": -1}, ("reward_pence", "out_of_range")),
        ({"name": "P", "colour": "red"}, ("colour", "unknown_field")),
    ],
)
def test_create_panel_bad_input_is_refused(staff: Any, values: dict[str, Any], expected: tuple[str, str]) -> None:
    with pytest.raises(Invalid) as error:
        panels.create_panel(staff, values)
    assert expected in codes(error.value)
    assert not Panel.select().exists()


def test_create_panel_senior_lead_must_be_staff(staff: Any) -> None:
    with pytest.raises(Invalid) as error:
        panels.create_panel(staff, {"name": "P", "senior_lead_id": member().id})
    assert codes(error.value) == {("senior_lead_id", "not_staff")}


def test_create_panel_name_taken(staff: Any) -> None:
    factories.make_panel(name="Taken")
    with pytest.raises(Invalid) as error:
        panels.create_panel(staff, {"name": "Taken"})
    assert codes(error.value) == {("name", "taken")}


@pytest.mark.parametrize("roles", [("resident", "panel_member"), ("resident",), ()])
def test_create_panel_refused_to_non_staff(roles: tuple[str, ...]) -> None:
    with pytest.raises(NotAllowed):
        panels.create_panel(actor_of(factories.make_user(*roles)), {"name": "P"})


def test_update_panel_changes_only_given_fields(staff: Any) -> None:
    panel = factories.make_panel(terms_of_reference="Old")
    updated = panels.update_panel(staff, panel.id, {"quorum": 5})
    assert updated.quorum == 5 and updated.terms_of_reference == "Old"
    assert panels.update_panel(staff, panel.id, {"quorum": 5}).quorum == 5
    assert AuditEvent.select().where(AuditEvent.action == "panel.updated").count() == 1


def test_update_panel_missing_is_not_found(staff: Any) -> None:
    with pytest.raises(NotFound):
        panels.update_panel(staff, 999_999, {"quorum": 5})


def test_support_added_once_and_ended(staff: Any) -> None:
    panel = factories.make_panel()
    person = factories.make_staff()
    support = panels.add_support(staff, panel.id, person.id, "Panel officer")
    with pytest.raises(Conflict):
        panels.add_support(staff, panel.id, person.id, "Again")
    with pytest.raises(Invalid) as error:
        panels.add_support(staff, panel.id, member().id)
    assert codes(error.value) == {("person_id", "not_staff")}
    panels.end_support(staff, panel.id, support.id)
    with pytest.raises(NotFound):
        panels.end_support(staff, panel.id, support.id)


# Memberships.


def test_add_membership_needs_a_panel_member(staff: Any) -> None:
    panel = factories.make_panel()
    with pytest.raises(Invalid) as error:
        panels.add_membership(staff, panel.id, factories.make_user("resident").id, {"started_on": TODAY})
    assert codes(error.value) == {("person_id", "not_panel_member")}


def test_add_membership_records_the_details(staff: Any) -> None:
    panel = factories.make_panel()
    person = member()
    membership = panels.add_membership(
        staff,
        panel.id,
        person.id,
        {"started_on": TODAY, "conflicts": "My sister works in repairs.", "papers_by": "large_print"},
    )
    assert membership.conflicts == "My sister works in repairs." and membership.papers_by == "large_print"
    assert OutboxEvent.select().where(OutboxEvent.name == "panels.membership_added").exists()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, ("started_on", "required")),
        ({"started_on": "not a day"}, ("started_on", "invalid")),
        ({"started_on": TODAY, "ended_on": TODAY - dt.timedelta(days=1)}, ("ended_on", "before_start")),
        ({"started_on": TODAY, "training_done_on": TODAY + dt.timedelta(days=1)}, ("training_done_on", "in_future")),
        ({"started_on": TODAY, "role": "treasurer"}, ("role", "unsupported")),
        ({"started_on": TODAY, "papers_by": "pigeon"}, ("papers_by", "unsupported")),
        ({"started_on": TODAY, "conflicts": "x" * 10_001}, ("conflicts", "too_long")),
    ],
)
def test_add_membership_bad_input(staff: Any, values: dict[str, Any], expected: tuple[str, str]) -> None:
    with pytest.raises(Invalid) as error:
        panels.add_membership(staff, factories.make_panel().id, member().id, values)
    assert expected in codes(error.value)


def test_one_chair_at_a_time(staff: Any) -> None:
    panel = factories.make_panel()
    factories.make_panel_membership(panel, role="chair", started_on=TODAY - dt.timedelta(days=30))
    with pytest.raises(Invalid) as error:
        panels.add_membership(staff, panel.id, member().id, {"started_on": TODAY, "role": "chair"})
    assert codes(error.value) == {("role", "role_taken")}
    # A vice-chair is another role; a chair after the first one left is fine.
    panels.add_membership(staff, panel.id, member().id, {"started_on": TODAY, "role": "vice_chair"})


def test_a_chair_may_follow_one_who_left(staff: Any) -> None:
    panel = factories.make_panel()
    first = factories.make_panel_membership(panel, role="chair", started_on=TODAY - dt.timedelta(days=30))
    panels.end_membership(staff, first.id, TODAY - dt.timedelta(days=1))
    new = panels.add_membership(staff, panel.id, member().id, {"started_on": TODAY, "role": "chair"})
    assert new.role == "chair"


def test_membership_may_not_overlap_for_the_same_person(staff: Any) -> None:
    panel = factories.make_panel()
    existing = factories.make_panel_membership(panel, started_on=TODAY - dt.timedelta(days=30))
    with pytest.raises(Invalid) as error:
        panels.add_membership(staff, panel.id, existing.person_id, {"started_on": TODAY})
    assert codes(error.value) == {("started_on", "overlaps")}


def test_update_membership_to_chair_checks_the_chair(staff: Any) -> None:
    panel = factories.make_panel()
    factories.make_panel_membership(panel, role="chair")
    other = factories.make_panel_membership(panel)
    with pytest.raises(Invalid) as error:
        panels.update_membership(staff, other.id, {"role": "chair"})
    assert codes(error.value) == {("role", "role_taken")}
    updated = panels.update_membership(staff, other.id, {"training_note": "Induction", "rewards_opt_out": True})
    assert updated.rewards_opt_out and updated.training_note == "Induction"


def test_end_membership_twice_is_a_conflict(staff: Any) -> None:
    membership = factories.make_panel_membership()
    with pytest.raises(Invalid) as error:
        panels.end_membership(staff, membership.id, membership.started_on - dt.timedelta(days=1))
    assert codes(error.value) == {("ended_on", "before_start")}
    ended = panels.end_membership(staff, membership.id, TODAY)
    assert ended.ended_on == TODAY
    with pytest.raises(Conflict):
        panels.end_membership(staff, membership.id, TODAY)


# Reviews.


def test_create_review_gives_yearly_references(staff: Any) -> None:
    panel = factories.make_panel()
    first = reviews.create_review(staff, panel.id, {"topic": "Complaints"})
    second = reviews.create_review(staff, panel.id, {"topic": "Repairs"})
    assert first.reference == f"SR-{TODAY.year}-01"
    assert second.reference == f"SR-{TODAY.year}-02"
    assert first.status == "planned"
    assert OutboxEvent.select().where(OutboxEvent.name == "panels.review_created").count() == 2


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"topic": ""}, ("topic", "required")),
        ({"topic": "x" * 201}, ("topic", "too_long")),
        ({"topic": "T", "scope": "x" * 10_001}, ("scope", "too_long")),
        ({"topic": "T", "kind": "poem"}, ("kind", "unsupported")),
        ({"topic": "T", "starts_on": "2026-05-01", "ends_on": "2026-04-01"}, ("ends_on", "before_start")),
        ({"topic": "T", "theme_id": 999_999}, ("theme_id", "not_found")),
    ],
)
def test_create_review_bad_input(staff: Any, values: dict[str, Any], expected: tuple[str, str]) -> None:
    with pytest.raises(Invalid) as error:
        reviews.create_review(staff, factories.make_panel().id, values)
    assert expected in codes(error.value)
    assert not ScrutinyReview.select().exists()


def test_create_review_refused_to_a_member() -> None:
    panel = factories.make_panel()
    chair = factories.make_panel_membership(panel, role="chair")
    with pytest.raises(NotAllowed):
        reviews.create_review(actor_of(chair.person), panel.id, {"topic": "T"})


def test_create_review_from_work_item_marks_it(staff: Any) -> None:
    panel = factories.make_panel()
    item = reviews.add_work_item(staff, panel.id, {"topic": "Repairs", "source": "votes"})
    review = reviews.create_review(staff, panel.id, {"topic": "Repairs"}, work_item_id=item.id)
    assert WorkProgrammeItem.get_by_id(item.id).review_id == review.id
    with pytest.raises(Invalid) as error:
        reviews.create_review(staff, panel.id, {"topic": "Again"}, work_item_id=item.id)
    assert codes(error.value) == {("work_item_id", "already_started")}
    with pytest.raises(Conflict):
        reviews.remove_work_item(staff, item.id)


def test_move_review_steps(staff: Any) -> None:
    review = factories.make_scrutiny_review(status="planned")
    assert reviews.move_review(staff, review.id, "gathering").status == "gathering"
    with pytest.raises(Conflict):
        reviews.move_review(staff, review.id, "published")
    with pytest.raises(Invalid):
        reviews.move_review(staff, review.id, "nowhere")
    assert reviews.move_review(staff, review.id, "closed").status == "closed"
    with pytest.raises(Conflict):
        reviews.update_review(staff, review.id, {"topic": "New"})


def test_record_conclusion(staff: Any) -> None:
    review = factories.make_scrutiny_review()
    assert reviews.record_conclusion(staff, review.id, "  Mostly good.  ").conclusion == "Mostly good."
    with pytest.raises(Invalid):
        reviews.record_conclusion(staff, review.id, "x" * 10_001)


def test_work_item_from_a_theme_names_it(staff: Any) -> None:
    panel = factories.make_panel()
    with pytest.raises(Invalid) as error:
        reviews.add_work_item(staff, panel.id, {"topic": "Damp", "source": "theme"})
    assert codes(error.value) == {("theme_id", "required")}
    theme = factories.make_theme()
    item = reviews.add_work_item(staff, panel.id, {"topic": "Damp", "source": "theme", "theme_id": theme.id})
    assert item.theme_id == theme.id
    assert reviews.update_work_item(staff, item.id, {"planned_for": "2027-02-01"}).planned_for == dt.date(2027, 2, 1)
    assert reviews.remove_work_item(staff, item.id) == panel.id


def test_follow_up_due_counts_months_from_the_response(staff: Any) -> None:
    panel = factories.make_panel(follow_up_months=9)
    review = factories.make_scrutiny_review(panel, status="responded")
    version = factories.make_findings_version(review)
    factories.make_recommendation(review, version=version, responded_at=dt.datetime(2026, 3, 31, 12))
    updated = reviews.set_follow_up_due(staff, review.id)
    assert updated.follow_up_due_on == dt.date(2026, 12, 31)
    item = WorkProgrammeItem.get(WorkProgrammeItem.source == "follow_up")
    assert item.planned_for == dt.date(2026, 12, 31)
    follow_up = reviews.start_follow_up(staff, review.id)
    assert follow_up.follows_id == review.id and follow_up.kind == "follow_up"
    assert WorkProgrammeItem.get_by_id(item.id).review_id == follow_up.id
    with pytest.raises(Conflict):
        reviews.start_follow_up(staff, review.id)


def test_add_months_keeps_to_the_month() -> None:
    assert reviews.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert reviews.add_months(dt.date(2026, 8, 15), 6) == dt.date(2027, 2, 15)


# Meetings.


def test_schedule_meeting_invites_current_members(staff: Any) -> None:
    panel = factories.make_panel()
    current = factories.make_panel_membership(panel)
    factories.make_panel_membership(panel, started_on=TODAY - dt.timedelta(days=90), ended_on=TODAY)
    review = factories.make_scrutiny_review(panel)
    meeting = meetings.schedule_meeting(
        staff, review.id, {"starts_at": utcnow() + dt.timedelta(days=10), "mode": "online", "agenda": "1. Hello"}
    )
    invitations = list(OutboxEvent.select().where(OutboxEvent.name == "panels.meeting_invitation"))
    assert [e.payload for e in invitations] == [{"recipient_id": current.person_id, "meeting_id": meeting.id}]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, ("starts_at", "required")),
        ({"starts_at": "soon"}, ("starts_at", "invalid")),
        ({"starts_at": "2020-01-01T10:00"}, ("starts_at", "in_past")),
        ({"starts_at": "2099-01-01T10:00", "minutes_long": 5}, ("minutes_long", "out_of_range")),
        ({"starts_at": "2099-01-01T10:00", "mode": "carrier pigeon"}, ("mode", "unsupported")),
        ({"starts_at": "2099-01-01T10:00", "place": "x" * 301}, ("place", "too_long")),
    ],
)
def test_schedule_meeting_bad_input(staff: Any, values: dict[str, Any], expected: tuple[str, str]) -> None:
    with pytest.raises(Invalid) as error:
        meetings.schedule_meeting(staff, factories.make_scrutiny_review().id, values)
    assert expected in codes(error.value)


def test_naive_time_is_read_as_uk_time(staff: Any) -> None:
    meeting = meetings.schedule_meeting(staff, factories.make_scrutiny_review().id, {"starts_at": "2099-07-01T18:00"})
    assert meeting.starts_at == dt.datetime(2099, 7, 1, 17, 0)


def test_moving_a_meeting_invites_again_and_resets_the_reminder(staff: Any) -> None:
    panel = factories.make_panel()
    factories.make_panel_membership(panel)
    meeting = factories.make_panel_meeting(factories.make_scrutiny_review(panel), reminded_at=utcnow())
    meetings.update_meeting(staff, meeting.id, {"minutes": "We met."})
    assert not OutboxEvent.select().where(OutboxEvent.name == "panels.meeting_invitation").exists()
    meetings.update_meeting(staff, meeting.id, {"starts_at": utcnow() + dt.timedelta(days=20)})
    assert OutboxEvent.select().where(OutboxEvent.name == "panels.meeting_invitation").count() == 1
    assert PanelMeeting.get_by_id(meeting.id).reminded_at is None


def test_reminders_go_once(staff: Any) -> None:
    panel = factories.make_panel()
    factories.make_panel_membership(panel)
    review = factories.make_scrutiny_review(panel)
    soon = factories.make_panel_meeting(review, starts_at=utcnow() + dt.timedelta(days=1))
    factories.make_panel_meeting(review, starts_at=utcnow() + dt.timedelta(days=20))
    assert meetings.send_due_reminders() == 1
    assert meetings.send_due_reminders() == 0
    reminders = list(OutboxEvent.select().where(OutboxEvent.name == "panels.meeting_reminder"))
    assert [e.payload["meeting_id"] for e in reminders] == [soon.id]


def test_papers_to_send_lists_post_and_large_print(staff: Any) -> None:
    panel = factories.make_panel()
    factories.make_panel_membership(panel, papers_by="email")
    post = factories.make_panel_membership(panel, papers_by="post")
    large = factories.make_panel_membership(panel, papers_by="large_print")
    meeting = factories.make_panel_meeting(factories.make_scrutiny_review(panel))
    assert {m.id for m in meetings.papers_to_send(meeting)} == {post.id, large.id}
    meetings.mark_papers_sent(staff, meeting.id)
    with pytest.raises(Conflict):
        meetings.mark_papers_sent(staff, meeting.id)


def test_attendance_only_for_members(staff: Any) -> None:
    panel = factories.make_panel()
    membership = factories.make_panel_membership(panel)
    meeting = factories.make_panel_meeting(factories.make_scrutiny_review(panel))
    with pytest.raises(Invalid) as error:
        meetings.record_attendance(staff, meeting.id, member().id)
    assert codes(error.value) == {("person_id", "not_member")}
    row = meetings.record_attendance(staff, meeting.id, membership.person_id, True, 150)
    assert row.minutes_given == 150
    with pytest.raises(Conflict):
        meetings.record_attendance(staff, meeting.id, membership.person_id)
    meetings.remove_attendance(staff, meeting.id, row.id)
    with pytest.raises(NotFound):
        meetings.remove_attendance(staff, meeting.id, row.id)


def test_interviews(staff: Any) -> None:
    review = factories.make_scrutiny_review()
    with pytest.raises(Invalid) as error:
        meetings.add_interview(staff, review.id, {"interviewee_role": "", "person_id": member().id})
    assert codes(error.value) == {
        ("interviewee_role", "required"),
        ("person_id", "not_staff"),
        ("held_on", "required"),
    }
    row = meetings.add_interview(
        staff, review.id, {"interviewee_role": "Repairs manager", "held_on": TODAY, "notes": "Helpful."}
    )
    assert meetings.update_interview(staff, row.id, {"notes": "Very helpful."}).notes == "Very helpful."


# Messages and the calendar file.


def test_calendar_file_describes_the_meeting() -> None:
    review = factories.make_scrutiny_review(reference="SR-2026-07", topic="Repairs")
    meeting = factories.make_panel_meeting(
        review, starts_at=dt.datetime(2026, 3, 10, 18, 0), minutes_long=90, place="Room 1"
    )
    calendar = Calendar.from_ical(meeting_calendar(meeting))
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["summary"]) == "SR-2026-07: Repairs"
    assert str(event["location"]) == "Room 1"
    assert event.decoded("dtstart") == dt.datetime(2026, 3, 10, 18, 0, tzinfo=dt.UTC)
    assert event.decoded("dtend") == dt.datetime(2026, 3, 10, 19, 30, tzinfo=dt.UTC)
    assert str(event["uid"]).startswith(f"panel-meeting-{meeting.id}@")


def test_meeting_words_are_in_the_readers_language() -> None:
    meeting = factories.make_panel_meeting(starts_at=dt.datetime(2026, 3, 10, 18, 0), mode="online")
    english = meeting_values({"meeting_id": meeting.id}, None, "en")
    welsh = meeting_values({"meeting_id": meeting.id}, None, "cy")
    assert english["when"] == "Tuesday 10 March 2026, 18:00"
    assert english["how"] == "Online"
    assert welsh["when"] != english["when"]


def test_invitation_email_carries_the_calendar_file(staff: Any, mail_dir: Any) -> None:
    from backend.notifications.sending import send_delivery
    from backend.notifications.services import plan_deliveries
    from tests.conftest import read_mail

    panel = factories.make_panel()
    person = member(locale="en")
    factories.make_panel_membership(panel, person=person)
    review = factories.make_scrutiny_review(panel)
    meetings.schedule_meeting(staff, review.id, {"starts_at": utcnow() + dt.timedelta(days=10)})
    event = OutboxEvent.get(OutboxEvent.name == "panels.meeting_invitation")
    for delivery_id in plan_deliveries(event):
        send_delivery(delivery_id)
    messages = read_mail(mail_dir)
    assert len(messages) == 1
    files = [part for part in messages[0].iter_attachments() if part.get_filename() == "meeting.ics"]
    assert len(files) == 1
    assert files[0].get_content_type() == "text/calendar"
    assert b"BEGIN:VEVENT" in files[0].get_payload(decode=True)


# Make-up and the demo.


def test_makeup_hides_small_numbers(staff: Any) -> None:
    panel = factories.make_panel()
    factories.make_panel_membership(panel)
    for _ in range(6):
        factories.make_user("resident")
    figures = {d.dimension: d for d in makeup.panel_makeup(staff, panel.id)}
    assert set(figures) == set(makeup.DIMENSIONS)
    language = figures["language"]
    assert language.panel_total is None  # one member: hidden
    assert language.residents_total is not None and language.residents_total >= 7
    with pytest.raises(NotAllowed):
        makeup.panel_makeup(actor_of(member()), panel.id)


def test_demo_panel_loads_once() -> None:
    from backend.demo import load_demo

    load_demo()
    load_demo()
    panel = Panel.get(Panel.name == "Residents' Scrutiny Panel")
    chair = PanelMembership.get(PanelMembership.panel == panel.id, PanelMembership.role == "chair")
    assert chair.person.email == "panel@example.org"
    review = ScrutinyReview.get(ScrutinyReview.panel == panel.id)
    assert review.topic == "The complaints journey" and review.status == "gathering"
    assert PanelMeeting.select().where(PanelMeeting.review == review.id).count() == 1
    assert Panel.select().count() == 1


def test_reminder_task_reminds_once() -> None:
    from tasks.panels import remind_panel_meetings

    panel = factories.make_panel()
    factories.make_panel_membership(panel)
    factories.make_panel_meeting(factories.make_scrutiny_review(panel), starts_at=utcnow() + dt.timedelta(hours=30))
    assert remind_panel_meetings.call_local() == 1
    assert remind_panel_meetings.call_local() == 0
