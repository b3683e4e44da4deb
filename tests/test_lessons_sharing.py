"""Staff sharing: champions, meetings, staff briefings, the lessons bulletin, the training log and success stories."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from backend.accounts.models import User
from backend.audit.models import AuditEvent
from backend.complaints import restricted
from backend.complaints.models import ComplaintStaff
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.events.models import OutboxEvent
from backend.lessons import briefings, bulletins, champions, meetings, stories, training
from backend.lessons.models import (
    AgendaItem,
    LessonStatus,
    Meeting,
    MeetingAttendee,
    StaffBriefing,
    StoryLink,
    StoryMedia,
    SuccessStory,
)
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of

TODAY = local_date()
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def codes(error: Invalid) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in error.problems}


def events(name: str) -> list[OutboxEvent]:
    return list(OutboxEvent.select().where(OutboxEvent.name == name).order_by(OutboxEvent.id))


@pytest.fixture
def manager() -> Any:
    return factories.make_user("manager")


@pytest.fixture
def staff() -> Any:
    return factories.make_staff()


# --- Champions ----------------------------------------------------------------------------------------------------


def test_appoint_champion_records_and_audits(manager, staff) -> None:
    champion = champions.appoint_champion(actor_of(manager), staff.id, " Repairs team ", TODAY, "Chairs the huddle")
    assert (champion.team, champion.appointed_on, champion.ended_on) == ("Repairs team", TODAY, None)
    assert AuditEvent.get(AuditEvent.action == "champion.appointed").entity_id == str(champion.id)


def test_appoint_champion_by_staff_is_refused(staff) -> None:
    with pytest.raises(NotAllowed):
        champions.appoint_champion(actor_of(staff), staff.id, "Repairs team", TODAY)


@pytest.mark.parametrize(
    ("team", "appointed_on", "expected"),
    [
        ("", TODAY, {("team", "required")}),
        ("x" * 101, TODAY, {("team", "too_long")}),
        ("\u200b", "2026-02-30", {("team", "required"), ("appointed_on", "invalid")}),
        ("Repairs team", "", {("appointed_on", "required")}),
    ],
)
def test_appoint_champion_bad_input_lists_every_problem(manager, staff, team, appointed_on, expected) -> None:
    with pytest.raises(Invalid) as caught:
        champions.appoint_champion(actor_of(manager), staff.id, team, appointed_on)
    assert codes(caught.value) == expected


def test_appoint_champion_of_a_resident_is_refused(manager) -> None:
    with pytest.raises(Invalid) as caught:
        champions.appoint_champion(actor_of(manager), factories.make_user("resident").id, "Repairs team", TODAY)
    assert codes(caught.value) == {("person", "not_staff")}


def test_appoint_champion_twice_for_a_team_is_a_conflict(manager, staff) -> None:
    champions.appoint_champion(actor_of(manager), staff.id, "Repairs team", TODAY)
    with pytest.raises(Conflict):
        champions.appoint_champion(actor_of(manager), staff.id, "Repairs team", TODAY)


@pytest.mark.parametrize("again", ["repairs team ", "REPAIRS  TEAM", "\u00a0Repairs   team"])
def test_appoint_champion_again_for_a_team_spelled_differently_is_a_conflict(manager, staff, again) -> None:
    champions.appoint_champion(actor_of(manager), staff.id, "Repairs team", TODAY)
    with pytest.raises(Conflict):
        champions.appoint_champion(actor_of(manager), staff.id, again, TODAY)
    assert champions.champion_teams(staff.id) == ["Repairs team"]


def test_appoint_champion_from_a_later_day_of_a_team_they_already_champion_is_a_conflict(manager, staff) -> None:
    champions.appoint_champion(actor_of(manager), staff.id, "Repairs team", TODAY + dt.timedelta(days=30))
    with pytest.raises(Conflict):
        champions.appoint_champion(actor_of(manager), staff.id, "repairs team", TODAY)


def test_appoint_champion_keeps_the_spelling_of_a_team_already_in_use(manager, staff) -> None:
    User.update(team="Lettings Team").where(User.id == staff.id).execute()
    champion = champions.appoint_champion(actor_of(manager), factories.make_staff().id, " lettings   team", TODAY)
    assert champion.team == "Lettings Team"
    assert [name for name in champions.known_teams() if "lettings" in name.lower()] == ["Lettings Team"]


def test_team_work_is_found_whatever_the_team_name_case(staff) -> None:
    factories.make_champion(staff, team="Repairs team")
    ours = factories.make_lesson(team="repairs TEAM")
    action = factories.make_improvement_action(ours, team="REPAIRS team")
    assert [x.id for x in champions.team_lessons(actor_of(staff))] == [ours.id]
    assert [x.id for x in champions.team_actions(actor_of(staff))] == [action.id]


def test_champion_teams_lists_a_team_once_whatever_its_spelling(staff) -> None:
    factories.make_champion(staff, team="Repairs team")
    factories.make_champion(staff, team="repairs team")
    assert champions.champion_teams(staff.id) == ["Repairs team"]


def test_end_champion_before_start_is_refused(manager, staff) -> None:
    champion = factories.make_champion(staff)
    with pytest.raises(Invalid) as caught:
        champions.end_champion(actor_of(manager), champion.id, TODAY - dt.timedelta(days=1))
    assert codes(caught.value) == {("ended_on", "before_start")}


def test_ended_champion_sees_no_team_work(manager, staff) -> None:
    champion = factories.make_champion(staff)
    factories.make_lesson(team="Repairs team")
    champions.end_champion(actor_of(manager), champion.id, TODAY - dt.timedelta(days=0))
    assert champions.champion_teams(staff.id, TODAY + dt.timedelta(days=1)) == []


def test_team_lessons_lists_only_the_champions_teams(staff) -> None:
    factories.make_champion(staff, team="Repairs team")
    ours = factories.make_lesson(team="Repairs team")
    factories.make_lesson(team="Lettings team")
    action = factories.make_improvement_action(ours, team="Repairs team")
    assert [x.id for x in champions.team_lessons(actor_of(staff))] == [ours.id]
    assert [x.id for x in champions.team_actions(actor_of(staff))] == [action.id]


def test_team_lessons_of_someone_not_a_champion_is_empty(staff) -> None:
    factories.make_lesson(team="Repairs team")
    assert champions.team_lessons(actor_of(staff)) == []


# --- Meetings -----------------------------------------------------------------------------------------------------


def test_record_meeting_with_attendees_and_agenda_discussing_a_lesson(staff) -> None:
    lesson = factories.make_lesson()
    meeting = meetings.create_meeting(actor_of(staff), "team", "Repairs huddle", TODAY, "Repairs team", "Agreed.")
    meetings.add_attendee(actor_of(staff), meeting.id, person_id=staff.id)
    meetings.add_attendee(actor_of(staff), meeting.id, name="Councillor Jones")
    meetings.add_agenda_item(actor_of(staff), meeting.id, "Missed appointments", "Discussed.", lesson_id=lesson.id)
    second = meetings.add_agenda_item(actor_of(staff), meeting.id, "Any other business")
    assert [a.name for a in meeting.attendees.order_by("id")] == ["", "Councillor Jones"]
    assert [(i.position, i.lesson_id) for i in meeting.agenda.order_by(AgendaItem.position)] == [
        (1, lesson.id),
        (2, None),
    ]
    assert second.position == 2


@pytest.mark.parametrize(
    ("kind", "title", "held_on", "expected"),
    [
        ("party", "Huddle", TODAY, {("kind", "unsupported")}),
        ("team", "", TODAY, {("title", "required")}),
        ("team", "x" * 201, "not a date", {("title", "too_long"), ("held_on", "invalid")}),
        ("team", "Huddle", None, {("held_on", "required")}),
    ],
)
def test_create_meeting_bad_input_lists_every_problem(staff, kind, title, held_on, expected) -> None:
    with pytest.raises(Invalid) as caught:
        meetings.create_meeting(actor_of(staff), kind, title, held_on)
    assert codes(caught.value) == expected


def test_update_meeting_keeps_what_is_not_given(staff) -> None:
    meeting = meetings.create_meeting(actor_of(staff), "team", "Repairs huddle", TODAY, "Repairs team", "Agreed.")
    meetings.update_meeting(actor_of(staff), meeting.id, title="Repairs huddle (June)")
    changed = Meeting.get_by_id(meeting.id)
    assert (changed.kind, changed.title, changed.held_on, changed.team, changed.minutes) == (
        "team",
        "Repairs huddle (June)",
        TODAY,
        "Repairs team",
        "Agreed.",
    )
    event = AuditEvent.get(AuditEvent.action == "meeting.updated")
    assert set(event.changes) == {"title"}


def test_update_meeting_clears_team_and_minutes_but_not_the_title(staff) -> None:
    meeting = meetings.create_meeting(actor_of(staff), "team", "Repairs huddle", TODAY, "Repairs team", "Agreed.")
    meetings.update_meeting(actor_of(staff), meeting.id, team=None, minutes="")
    changed = Meeting.get_by_id(meeting.id)
    assert (changed.title, changed.team, changed.minutes) == ("Repairs huddle", None, "")
    with pytest.raises(Invalid) as caught:
        meetings.update_meeting(actor_of(staff), meeting.id, title=" ", held_on=None, kind="")
    assert codes(caught.value) == {("title", "required"), ("held_on", "required"), ("kind", "unsupported")}


def test_update_meeting_with_nothing_different_audits_nothing(staff) -> None:
    meeting = meetings.create_meeting(actor_of(staff), "team", "Repairs huddle", TODAY)
    meetings.update_meeting(actor_of(staff), meeting.id, title="Repairs huddle", held_on=TODAY)
    assert not AuditEvent.select().where(AuditEvent.action == "meeting.updated").exists()


def test_create_meeting_by_resident_is_refused() -> None:
    with pytest.raises(NotAllowed):
        meetings.create_meeting(actor_of(factories.make_user("resident")), "team", "Huddle", TODAY)


@pytest.mark.parametrize(
    ("person", "name", "expected"),
    [(False, "", {("name", "attendee_required")}), (True, "Guest", {("name", "with_person")})],
)
def test_add_attendee_bad_input_is_refused(staff, person, name, expected) -> None:
    meeting = factories.make_meeting()
    with pytest.raises(Invalid) as caught:
        meetings.add_attendee(actor_of(staff), meeting.id, person_id=staff.id if person else None, name=name)
    assert codes(caught.value) == expected


def test_add_attendee_twice_is_a_conflict(staff) -> None:
    meeting = factories.make_meeting()
    meetings.add_attendee(actor_of(staff), meeting.id, person_id=staff.id)
    with pytest.raises(Conflict):
        meetings.add_attendee(actor_of(staff), meeting.id, person_id=staff.id)


def test_add_agenda_item_with_unknown_lesson_is_refused(staff) -> None:
    meeting = factories.make_meeting()
    with pytest.raises(Invalid) as caught:
        meetings.add_agenda_item(actor_of(staff), meeting.id, "Item", lesson_id=999_999, action_id=999_999)
    assert codes(caught.value) == {("lesson", "not_found"), ("action", "not_found")}


def test_remove_agenda_item_takes_it_off(staff) -> None:
    item = factories.make_agenda_item()
    meetings.remove_agenda_item(actor_of(staff), item.meeting_id, item.id)
    assert not AgendaItem.select().where(AgendaItem.id == item.id).exists()


# --- Staff briefings ----------------------------------------------------------------------------------------------


@pytest.fixture
def briefed() -> Any:
    """A responded complaint naming a subject, with a lesson drawn from it, and its handler."""
    handler = factories.make_staff()
    complaint = factories.responded_complaint(handler)
    subject = factories.make_staff()
    restricted.name_staff(actor_of(handler), complaint.id, subject.id, "subject", "Took the call")
    lesson = factories.make_lesson(title="Check the contractor's diary")
    factories.make_lesson_source(lesson, complaint)
    return complaint, handler, subject


def test_draft_summary_gives_outcome_remedy_and_lessons(briefed) -> None:
    complaint, handler, _ = briefed
    summary = briefings.draft_summary(actor_of(handler), complaint.id)
    assert "upheld" in summary and "contractor's diary" in summary and "Check the contractor's diary" in summary


def test_send_briefing_tells_the_subject_and_marks_outcome_shared(briefed) -> None:
    complaint, handler, subject = briefed
    briefing = briefings.send_briefing(actor_of(handler), complaint.id, subject.id, "Upheld. Lessons drawn.")
    row = ComplaintStaff.get(ComplaintStaff.complaint == complaint.id, ComplaintStaff.person == subject.id)
    assert row.outcome_shared_on == TODAY
    assert [e.payload for e in events("lessons.staff_briefing")] == [
        {"recipient_id": subject.id, "briefing_id": briefing.id}
    ]


def test_send_briefing_to_someone_not_involved_is_refused(briefed) -> None:
    complaint, handler, _ = briefed
    with pytest.raises(Invalid) as caught:
        briefings.send_briefing(actor_of(handler), complaint.id, factories.make_staff().id, "")
    assert codes(caught.value) == {("person", "not_involved"), ("summary", "required")}


def test_send_briefing_by_other_staff_is_refused(briefed) -> None:
    complaint, _, subject = briefed
    with pytest.raises(NotAllowed):
        briefings.send_briefing(actor_of(factories.make_staff()), complaint.id, subject.id, "Upheld.")


def test_send_briefing_by_its_subject_answers_not_there(briefed) -> None:
    complaint, _, subject = briefed
    with pytest.raises(NotFound):
        briefings.send_briefing(actor_of(subject), complaint.id, subject.id, "Upheld.")


def test_acknowledge_briefing_records_when(briefed) -> None:
    complaint, _, subject = briefed
    briefing = factories.make_staff_briefing(complaint, subject)
    briefings.acknowledge_briefing(actor_of(subject), briefing.id)
    assert StaffBriefing.get_by_id(briefing.id).acknowledged_at is not None


def test_acknowledge_someone_elses_briefing_answers_not_there(briefed) -> None:
    complaint, handler, subject = briefed
    briefing = factories.make_staff_briefing(complaint, subject)
    with pytest.raises(NotFound):
        briefings.acknowledge_briefing(actor_of(handler), briefing.id)


def test_acknowledge_briefing_twice_is_a_conflict(briefed) -> None:
    complaint, _, subject = briefed
    briefing = factories.make_staff_briefing(complaint, subject)
    briefings.acknowledge_briefing(actor_of(subject), briefing.id)
    with pytest.raises(Conflict):
        briefings.acknowledge_briefing(actor_of(subject), briefing.id)


# --- Bulletins ----------------------------------------------------------------------------------------------------


def test_create_bulletin_holds_the_lessons_closed_in_the_period(manager) -> None:
    closed = factories.make_lesson(status=LessonStatus.CLOSED, early_lesson="Send reminders.")
    factories.make_lesson()  # open: left out
    bulletin = bulletins.create_bulletin(actor_of(manager), "December", TODAY.replace(day=1), TODAY, "Hello.")
    assert [x.id for x in bulletins.bulletin_lessons(bulletin)] == [closed.id]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (TODAY, TODAY - dt.timedelta(days=1), {("period_end", "before_start")}),
        (TODAY - dt.timedelta(days=400), TODAY, {("period_end", "too_long")}),
        (TODAY, TODAY, {("period_end", "no_closed_lessons")}),
        ("", "x", {("period_start", "required"), ("period_end", "invalid")}),
    ],
)
def test_create_bulletin_bad_period_is_refused(manager, start, end, expected) -> None:
    with pytest.raises(Invalid) as caught:
        bulletins.create_bulletin(actor_of(manager), "December", start, end)
    assert codes(caught.value) == expected


def test_create_bulletin_by_staff_is_refused(staff) -> None:
    with pytest.raises(NotAllowed):
        bulletins.create_bulletin(actor_of(staff), "December", TODAY, TODAY)


def test_send_bulletin_messages_each_active_staff_member_once(manager, staff) -> None:
    factories.make_user("staff", active=False)
    factories.make_user("resident")
    bulletin = factories.make_bulletin()
    bulletins.send_bulletin(actor_of(manager), bulletin.id)
    with pytest.raises(Conflict):
        bulletins.send_bulletin(actor_of(manager), bulletin.id)
    recipients = sorted(e.payload["recipient_id"] for e in events("lessons.bulletin"))
    assert recipients == sorted([manager.id, staff.id])


# --- Training -----------------------------------------------------------------------------------------------------


def test_record_training_links_a_training_action_and_counts(staff) -> None:
    action = factories.make_improvement_action(action_type="staff_training")
    training.record_training(actor_of(staff), "Diary checks", TODAY, "Repairs team", 12, "", action.id, [staff.id])
    training.record_training(actor_of(staff), "Refresher", TODAY - dt.timedelta(days=40), "", 3)
    assert training.training_counts(TODAY - dt.timedelta(days=7), TODAY) == (1, 12)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"title": ""}, {("title", "required")}),
        ({"delivered_on": TODAY + dt.timedelta(days=1)}, {("delivered_on", "in_future")}),
        ({"attendees": -1}, {("attendees", "out_of_range")}),
        ({"attendees": 0, "people": "named"}, {("attendees", "fewer_than_named")}),
        ({"action": "service"}, {("action", "not_training")}),
        ({"people": "resident"}, {("people", "not_staff")}),
    ],
)
def test_record_training_bad_input_is_refused(staff, values, expected) -> None:
    kwargs: dict[str, Any] = {"title": "Diary checks", "delivered_on": TODAY, "attendees": 5}
    kwargs.update({k: v for k, v in values.items() if k not in ("people", "action")})
    if values.get("people") == "named":
        kwargs["people"] = [staff.id]
    if values.get("people") == "resident":
        kwargs["people"] = [factories.make_user("resident").id]
    if values.get("action") == "service":
        kwargs["action_id"] = factories.make_improvement_action(action_type="service_provision").id
    with pytest.raises(Invalid) as caught:
        training.record_training(actor_of(staff), **kwargs)
    assert codes(caught.value) == expected


# --- Success stories ----------------------------------------------------------------------------------------------


def _submitted(author: Any) -> Any:
    story = stories.draft_story(actor_of(author), "Fewer missed appointments", "Reminders work.", "30%", "5%")
    return stories.submit_story(actor_of(author), story.id)


def test_approve_story_by_another_manager(manager, staff) -> None:
    story = stories.approve_story(actor_of(manager), _submitted(staff).id)
    assert story.status == "approved" and story.approved_by_id == manager.id


def test_approve_own_story_is_not_allowed_with_its_own_code(manager) -> None:
    with pytest.raises(NotAllowed) as caught:
        stories.approve_story(actor_of(manager), _submitted(manager).id)
    assert caught.value.code == "own_story"


def test_return_own_story_is_not_allowed_with_its_own_code(manager) -> None:
    with pytest.raises(NotAllowed) as caught:
        stories.return_story(actor_of(manager), _submitted(manager).id, "Needs figures")
    assert caught.value.code == "own_story"


def test_approve_story_by_staff_is_refused(staff) -> None:
    with pytest.raises(NotAllowed):
        stories.approve_story(actor_of(factories.make_staff()), _submitted(staff).id)


def test_return_story_without_reason_is_refused(manager, staff) -> None:
    with pytest.raises(Invalid) as caught:
        stories.return_story(actor_of(manager), _submitted(staff).id, " ")
    assert codes(caught.value) == {("reason", "required")}


def test_returned_story_can_be_changed_and_resubmitted(manager, staff) -> None:
    story = stories.return_story(actor_of(manager), _submitted(staff).id, "Add the figures' source.")
    stories.update_story(actor_of(staff), story.id, title="Fewer missed appointments", story="Reminders work (CRM).")
    assert stories.submit_story(actor_of(staff), story.id).status == "submitted"


def _links(story_id: int) -> tuple[list[int], list[int]]:
    rows = StoryLink.select().where(StoryLink.story == story_id).order_by(StoryLink.id)
    return [r.lesson_id for r in rows if r.lesson_id], [r.action_id for r in rows if r.action_id]


def test_update_story_keeps_its_links_and_figures_when_not_given(staff) -> None:
    lesson, action = factories.make_lesson(), factories.make_improvement_action()
    story = stories.draft_story(
        actor_of(staff), "Fewer missed appointments", "Reminders work.", "30%", "5%", [lesson.id], [action.id]
    )
    stories.update_story(actor_of(staff), story.id, story="Reminders work, by text and email.")
    changed = SuccessStory.get_by_id(story.id)
    assert (changed.title, changed.story, changed.before_figure, changed.after_figure) == (
        "Fewer missed appointments",
        "Reminders work, by text and email.",
        "30%",
        "5%",
    )
    assert _links(story.id) == ([lesson.id], [action.id])
    assert "links" not in AuditEvent.get(AuditEvent.action == "success_story.updated").changes


def test_update_story_replaces_only_the_links_given(staff) -> None:
    lesson, other, action = factories.make_lesson(), factories.make_lesson(), factories.make_improvement_action()
    story = stories.draft_story(
        actor_of(staff), "Fewer missed appointments", "Reminders work.", lesson_ids=[lesson.id], action_ids=[action.id]
    )
    stories.update_story(actor_of(staff), story.id, lesson_ids=[other.id])
    assert _links(story.id) == ([other.id], [action.id])
    stories.update_story(actor_of(staff), story.id, action_ids=[])
    assert _links(story.id) == ([other.id], [])
    changes = AuditEvent.select().where(AuditEvent.action == "success_story.updated").order_by(AuditEvent.id)
    assert [e.changes["links"] for e in changes] == [
        {"before": [lesson.id, action.id], "after": [other.id, action.id]},
        {"before": [other.id, action.id], "after": [other.id]},
    ]


def test_update_story_cannot_clear_its_title_or_story(staff) -> None:
    story = stories.draft_story(actor_of(staff), "Fewer missed appointments", "Reminders work.")
    with pytest.raises(Invalid) as caught:
        stories.update_story(actor_of(staff), story.id, title="", story=" ", before_figure="")
    assert codes(caught.value) == {("title", "required"), ("story", "required")}


def test_update_submitted_story_is_a_conflict(staff) -> None:
    story = _submitted(staff)
    with pytest.raises(Conflict):
        stories.update_story(actor_of(staff), story.id, title="New", story="New")


@pytest.mark.parametrize(
    ("alt", "url", "upload", "expected"),
    [
        ("", "https://video.example.net/1", None, {("alt_text", "required")}),
        ("A text", "", None, {("url", "media_required")}),
        ("A text", "http://video.example.net/1", None, {("url", "invalid")}),
        ("A text", "https://video.example.net/1", PNG, {("url", "with_file")}),
        ("A text", "", b"%PDF-1.4\n%%EOF\n", {("image", "not_image")}),
    ],
)
def test_add_media_bad_input_is_refused(staff, alt, url, upload, expected) -> None:
    story = stories.draft_story(actor_of(staff), "Title", "Story")
    stream = io.BytesIO(upload) if upload is not None else None
    with pytest.raises(Invalid) as caught:
        stories.add_media(actor_of(staff), story.id, alt, url, "file.bin", stream)
    assert expected <= codes(caught.value)


def test_add_media_uploads_an_image(staff) -> None:
    story = stories.draft_story(actor_of(staff), "Title", "Story")
    media = stories.add_media(actor_of(staff), story.id, "A reminder text", "", "text.png", io.BytesIO(PNG))
    row = StoryMedia.get_by_id(media.id)
    assert (row.media_type, row.url) == ("image/png", "") and row.storage_key
    _, content = stories.open_media(actor_of(staff), media.id)
    with content:
        assert content.read() == PNG


def test_add_media_to_someone_elses_story_is_refused(staff) -> None:
    story = stories.draft_story(actor_of(staff), "Title", "Story")
    with pytest.raises(NotAllowed):
        stories.add_media(actor_of(factories.make_staff()), story.id, "Alt", "https://video.example.net/1")


def test_bulletin_message_lists_each_lessons_title_and_early_lesson(manager) -> None:
    from backend.lessons.sharing_messages import bulletin_values

    lesson = factories.make_lesson(title="Diary checks", status=LessonStatus.CLOSED, early_lesson="Check the diary.")
    bulletin = bulletins.create_bulletin(actor_of(manager), "December", TODAY, TODAY, "What we learnt.")
    values = bulletin_values({"bulletin_id": bulletin.id}, manager, "en")
    assert values == {
        "title": "December",
        "introduction": "What we learnt.",
        "lessons": "Diary checks: Check the diary.",
    }
    assert lesson.reference not in values["lessons"]


def test_remove_agenda_item_of_another_meeting_is_not_found(staff) -> None:
    item = factories.make_agenda_item()
    with pytest.raises(NotFound):
        meetings.remove_agenda_item(actor_of(staff), factories.make_meeting().id, item.id)
    assert AgendaItem.select().where(AgendaItem.id == item.id).exists()


def test_remove_attendee_of_another_meeting_is_not_found(staff) -> None:
    attendee = factories.make_meeting_attendee()
    with pytest.raises(NotFound):
        meetings.remove_attendee(actor_of(staff), factories.make_meeting().id, attendee.id)
    assert MeetingAttendee.select().where(MeetingAttendee.id == attendee.id).exists()
