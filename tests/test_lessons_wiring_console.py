"""The lessons pages link to each other: a lesson lists its actions and themes, an action links back to its lesson,
and a meeting's agenda and a success story link to the lessons and actions they came from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.lessons.models import LessonStatus, StoryLink
from backend.timeutil import local_date
from tests import factories


def test_lesson_page_lists_its_actions_with_status_owner_and_overdue_marker(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    owner = factories.make_staff()
    owner.display_name = "Priya Owner"
    owner.save()
    lesson = factories.make_lesson()
    late = factories.make_improvement_action(
        lesson, title="Text before visits", status="authorised", owner=owner.id, due_on=local_date() - dt.timedelta(1)
    )
    page = browser.client.get(f"/console/lessons/{lesson.id}").get_data(as_text=True)
    row = page[page.index(f'/console/lessons/actions/{late.id}"') :]
    row = row[: row.index("</tr>")]
    assert ("Text before visits" in row, "Authorised" in row, "Priya Owner" in row, "overdue" in row) == (
        True,
        True,
        True,
        True,
    )


def test_lesson_page_offers_to_propose_an_action_while_open(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    lesson = factories.make_lesson()
    page = browser.client.get(f"/console/lessons/{lesson.id}").get_data(as_text=True)
    assert f"/console/lessons/{lesson.id}/actions/new" in page


def test_lesson_page_offers_no_new_action_once_closed(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    lesson = factories.make_lesson(status=LessonStatus.CLOSED)
    page = browser.client.get(f"/console/lessons/{lesson.id}").get_data(as_text=True)
    assert f"/console/lessons/{lesson.id}/actions/new" not in page


def test_lesson_page_links_its_themes(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    lesson = factories.make_lesson()
    theme = factories.make_theme("Damp and mould")
    factories.make_lesson_theme(lesson, theme)
    page = browser.client.get(f"/console/lessons/{lesson.id}").get_data(as_text=True)
    assert f'href="/console/lessons/themes/{theme.id}"' in page and 'href="/console/lessons/themes"' in page


def test_action_page_links_back_to_its_lesson(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    action = factories.make_improvement_action()
    page = browser.client.get(f"/console/lessons/actions/{action.id}").get_data(as_text=True)
    assert f'href="/console/lessons/{action.lesson_id}"' in page


def test_meeting_agenda_links_the_lesson_discussed(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    lesson = factories.make_lesson()
    item = factories.make_agenda_item(lesson=lesson)
    page = browser.client.get(f"/console/lessons/meetings/{item.meeting_id}").get_data(as_text=True)
    assert f'href="/console/lessons/{lesson.id}"' in page


def test_success_story_links_its_lessons_and_actions(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    story = factories.make_success_story()
    action = factories.make_improvement_action()
    StoryLink.create(story=story.id, lesson=action.lesson_id)
    StoryLink.create(story=story.id, action=action.id)
    page = browser.client.get(f"/console/lessons/stories/{story.id}").get_data(as_text=True)
    assert (
        f'href="/console/lessons/{action.lesson_id}"' in page,
        f'href="/console/lessons/actions/{action.id}"' in page,
    ) == (
        True,
        True,
    )


def test_bulletin_page_links_each_lesson(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    link = factories.make_bulletin_lesson()
    page = browser.client.get(f"/console/lessons/bulletins/{link.bulletin_id}").get_data(as_text=True)
    assert f'href="/console/lessons/{link.lesson_id}"' in page


def test_training_log_links_the_action_carried_out(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    action = factories.make_improvement_action(action_type="staff_training")
    factories.make_training_record(action)
    page = browser.client.get("/console/lessons/training").get_data(as_text=True)
    assert f'href="/console/lessons/actions/{action.id}"' in page
