"""The staff-sharing console pages: each renders, keeps what was typed on errors, and does its one action."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from werkzeug.datastructures import FileStorage

from backend.complaints import restricted
from backend.lessons.models import (
    AgendaItem,
    Champion,
    Meeting,
    MeetingAttendee,
    StaffBriefing,
    StoryMedia,
    SuccessStory,
)
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of
from tests.test_lessons_sharing import PNG

PAGES = [
    "/console/lessons/meetings",
    "/console/lessons/meetings/new",
    "/console/lessons/briefings",
    "/console/lessons/briefings/mine",
    "/console/lessons/bulletins",
    "/console/lessons/training",
    "/console/lessons/training/new",
    "/console/lessons/stories",
    "/console/lessons/stories/new",
    "/console/lessons/my-team",
    "/console/lessons/champions",
]


@pytest.mark.parametrize("path", PAGES)
def test_sharing_page_renders_for_staff(browser, signed_in, path) -> None:
    signed_in("staff")
    assert browser.client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/console/lessons/meetings", "/console/lessons/briefings/mine"])
def test_sharing_page_is_refused_to_residents(browser, signed_in, path) -> None:
    signed_in("resident")
    assert browser.client.get(path).status_code in (403, 404)


def test_meeting_new_keeps_input_on_error(browser, signed_in) -> None:
    signed_in("staff")
    page = "/console/lessons/meetings/new"
    response = browser.submit(page, {"kind": "team", "title": "", "held_on": "2026-13-01", "minutes": "Keep me"})
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "Keep me" in text and "Give a title." in text


def test_meeting_new_records_and_shows_the_meeting(browser, signed_in) -> None:
    signed_in("staff")
    response = browser.submit(
        "/console/lessons/meetings/new", {"kind": "team", "title": "Huddle", "held_on": local_date().isoformat()}
    )
    meeting = Meeting.get(Meeting.title == "Huddle")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/lessons/meetings/{meeting.id}")


def test_meetings_export_is_csv_of_the_filtered_kind(browser, signed_in) -> None:
    signed_in("staff")
    factories.make_meeting("team")
    governance = factories.make_meeting("governance_group")
    Meeting.update(title="Board").where(Meeting.id == governance.id).execute()
    text = browser.client.get("/console/lessons/meetings.csv?kind=governance_group").get_data(as_text=True)
    assert "Board" in text and "Repairs team meeting" not in text


def test_meetings_export_lists_both_the_lesson_and_the_action_of_an_agenda_item(browser, signed_in) -> None:
    signed_in("staff")
    lesson = factories.make_lesson()
    action = factories.make_improvement_action(lesson, title="Ring back within a day")
    item = factories.make_agenda_item(lesson=lesson)
    AgendaItem.update(action=action.id).where(AgendaItem.id == item.id).execute()
    text = browser.client.get("/console/lessons/meetings.csv").get_data(as_text=True)
    assert f"{lesson.reference}; Ring back within a day" in text


def test_briefing_acknowledge_from_my_briefings(browser, signed_in) -> None:
    person = signed_in("staff")
    briefing = factories.make_staff_briefing(person=person)
    browser.submit(f"/console/lessons/briefings/{briefing.id}/acknowledge", {}, page="/console/lessons/briefings/mine")
    assert StaffBriefing.get_by_id(briefing.id).acknowledged_at is not None


def test_briefing_new_prefills_the_summary(browser, signed_in) -> None:
    handler = signed_in("staff")
    complaint = factories.responded_complaint(handler)
    subject = factories.make_staff()
    restricted.name_staff(actor_of(handler), complaint.id, subject.id, "subject", "Took the call")
    text = browser.client.get(f"/console/lessons/briefings/new/{complaint.id}").get_data(as_text=True)
    assert "The complaint was upheld." in text and subject.display_name in text


def test_briefing_new_for_a_complaint_hidden_from_the_viewer_is_not_there(browser, signed_in) -> None:
    person = signed_in("manager")
    complaint = factories.responded_complaint()
    restricted.name_staff(actor_of(factories.make_user("manager")), complaint.id, person.id, "subject", "Took it")
    assert browser.client.get(f"/console/lessons/briefings/new/{complaint.id}").status_code == 404


def test_briefing_lookup_of_a_complaint_someone_else_handles_says_who_may_brief(browser, signed_in) -> None:
    signed_in("staff")
    complaint = factories.responded_complaint()
    response = browser.client.get(f"/console/lessons/briefings?reference={complaint.reference}")
    text = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Only a manager or the complaint's handler can brief staff about it." in text
    assert f'value="{complaint.reference}"' in text and 'aria-invalid="true"' in text
    page = browser.client.get(f"/console/lessons/briefings/new/{complaint.id}")
    assert page.status_code == 403 and "can brief staff about it" in page.get_data(as_text=True)


def test_briefing_lookup_of_a_hidden_complaint_answers_as_one_not_there(browser, signed_in) -> None:
    person = signed_in("manager")
    complaint = factories.responded_complaint()
    restricted.name_staff(actor_of(factories.make_user("manager")), complaint.id, person.id, "subject", "Took it")
    hidden = browser.client.get(f"/console/lessons/briefings?reference={complaint.reference}")
    missing = browser.client.get("/console/lessons/briefings?reference=LL-2099-999999")
    assert hidden.status_code == missing.status_code == 404
    said = "There is no such complaint, or it is hidden from you."
    assert said in hidden.get_data(as_text=True) and said in missing.get_data(as_text=True)
    assert "can brief staff about it" not in hidden.get_data(as_text=True)


def test_briefing_lookup_by_the_handler_goes_to_the_briefing(browser, signed_in) -> None:
    handler = signed_in("staff")
    complaint = factories.responded_complaint(handler)
    response = browser.client.get(f"/console/lessons/briefings?reference={complaint.reference}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/briefings/new/{complaint.id}")
    text = browser.client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r'<input checked[^>]*type="radio" value="' + str(handler.id) + '"', text)


def test_story_media_upload_adds_an_image(browser, signed_in) -> None:
    author = signed_in("staff")
    story = SuccessStory.create(title="Fewer missed", story="Reminders.", drafted_by=author.id)
    page = f"/console/lessons/stories/{story.id}/media/new"
    image = FileStorage(io.BytesIO(PNG), "text.png", content_type="image/png")
    response = browser.submit(page, {"alt_text": "A reminder", "image": image}, content_type="multipart/form-data")
    assert response.status_code == 302
    media = StoryMedia.get(StoryMedia.story == story.id)
    assert browser.client.get(f"/console/lessons/stories/media/{media.id}").get_data() == PNG


def test_story_approve_by_a_manager(browser, signed_in) -> None:
    signed_in("manager")
    story = SuccessStory.create(title="T", story="S", status="submitted", drafted_by=factories.make_staff().id)
    browser.submit(f"/console/lessons/stories/{story.id}/approve", {}, page=f"/console/lessons/stories/{story.id}")
    assert SuccessStory.get_by_id(story.id).status == "approved"


def test_story_page_offers_no_approval_to_its_author(browser, signed_in) -> None:
    author: Any = signed_in("manager")
    story = SuccessStory.create(title="T", story="S", status="submitted", drafted_by=author.id)
    assert "Approve the story" not in browser.client.get(f"/console/lessons/stories/{story.id}").get_data(as_text=True)


def test_meeting_agenda_remove_through_another_meeting_is_not_found(browser, signed_in) -> None:
    signed_in("staff")
    item = factories.make_agenda_item()
    other = factories.make_meeting()
    url = f"/console/lessons/meetings/{other.id}/agenda/{item.id}/remove"
    assert browser.submit(url, {}, page=f"/console/lessons/meetings/{other.id}").status_code == 404
    assert AgendaItem.select().where(AgendaItem.id == item.id).exists()


def test_meeting_attendee_remove_through_another_meeting_is_not_found(browser, signed_in) -> None:
    signed_in("staff")
    attendee = factories.make_meeting_attendee()
    other = factories.make_meeting()
    url = f"/console/lessons/meetings/{other.id}/attendees/{attendee.id}/remove"
    assert browser.submit(url, {}, page=f"/console/lessons/meetings/{other.id}").status_code == 404
    assert MeetingAttendee.select().where(MeetingAttendee.id == attendee.id).exists()


PORTAL = Path(__file__).resolve().parent.parent / "portal"
LINE_KEEPING = ("preserve-lines", "own-words")
LONG_TEXT = re.compile(
    r"\{\{\s*(?!form\.)[\w.]+\.(minutes|notes|summary|introduction|story|description|responsibilities|reason"
    r"|returnReason|effectNote|measure|earlyLesson|eventSummary|actionsTaken|laterFindings|cancelReason|comments"
    r"|note|detail)\b[^}]*\}\}"
)


def test_the_line_keeping_classes_are_in_the_stylesheet() -> None:
    css = (PORTAL / "static" / "site.css").read_text()
    for name in LINE_KEEPING:
        rule = re.search(r"\." + name + r"\s*\{([^}]*)\}", css)
        assert rule, f".{name} is not in site.css"
        assert re.search(r"white-space:\s*pre-(line|wrap)", rule.group(1)) and "overflow-wrap" in rule.group(1)


def test_lessons_pages_show_typed_long_text_with_its_line_breaks() -> None:
    shown = []
    for template in sorted((PORTAL / "templates" / "console" / "lessons").glob("*.html")):
        text = template.read_text()
        for found in LONG_TEXT.finditer(text):
            opening = re.search(
                r'class="[^"]*\b(' + "|".join(LINE_KEEPING) + r')\b[^"]*"[^>]*>\s*$', text[: found.start()]
            )
            shown.append((template.name, found.group(0), bool(opening)))
    assert len(shown) > 20
    assert [s for s in shown if not s[2]] == []


def test_meeting_page_keeps_the_minutes_line_breaks(browser, signed_in) -> None:
    signed_in("staff")
    meeting = factories.make_meeting()
    Meeting.update(minutes="Long minutes typed\nline 2").where(Meeting.id == meeting.id).execute()
    text = browser.client.get(f"/console/lessons/meetings/{meeting.id}").get_data(as_text=True)
    assert '<p class="preserve-lines">Long minutes typed\nline 2</p>' in text


def test_champion_new_offers_the_team_names_in_use(browser, signed_in) -> None:
    signed_in("manager")
    factories.make_champion(team="Customer resolution team")
    text = browser.client.get("/console/lessons/champions/new").get_data(as_text=True)
    assert 'list="team-names"' in text and '<option value="Customer resolution team">' in text


def test_a_champion_appointed_from_a_later_day_is_shown_as_not_active_yet(browser, signed_in) -> None:
    signed_in("staff")
    later = factories.make_champion(team="Customer resolution team")
    Champion.update(appointed_on=local_date() + dt.timedelta(days=30)).where(Champion.id == later.id).execute()
    factories.make_champion(team="Repairs team")
    text = browser.client.get("/console/lessons/champions").get_data(as_text=True)
    assert text.count("not active yet") == 1
