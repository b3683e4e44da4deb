"""The lessons area's refusals keep one contract: each problem where its value is in the input as sent, one
single-line rule for titles, teams and references, theme names compared as people read them, bad periods in
queries refused like bad inputs, and four-eyes refusals as NotAllowed saying another manager must act."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.errors import Invalid
from backend.lessons import actions, bulletins, lessons, meetings, sources, stories, themes, training
from backend.lessons.models import LessonStatus, SuccessStory
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of

PROBLEMS = "__typename ... on Problem { code message } ... on ValidationError { field problems { field code message } }"
RTL_OVERRIDE = "Invoice \u202egnp.exe"


def run(browser: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = browser.graphql(query, variables or {}).get_json()
    assert "errors" not in body, body
    return body["data"]


def mutate(browser: Any, name: str, input_type: str, values: dict[str, Any]) -> dict[str, Any]:
    query = f"mutation ($input: {input_type}!) {{ {name}(input: $input) {{ {PROBLEMS} }} }}"
    return run(browser, query, {"input": values})[name]


def at(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p["field"], p["code"]) for p in result["problems"]]


def codes(error: Invalid) -> set[tuple[str, str]]:
    return {(problem.field, problem.code) for problem in error.problems}


# --- Where each problem is ---------------------------------------------------------------------------------------


def test_lesson_source_add_puts_a_problem_under_source(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    lesson = factories.make_lesson()
    sent = {"lessonId": str(lesson.id), "source": {"kind": "complaint", "complaintId": "9999"}}
    result = mutate(browser, "lessonSourceAdd", "LessonSourceAddInput", sent)
    assert at(result) == [("source.complaintId", "not_found")]
    assert result["problems"][0]["message"] == "There is no such complaint that you can use here."


def test_lesson_source_add_puts_a_duplicate_under_source(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    complaint = factories.responded_complaint(staff)
    lesson = lessons.create_lesson(
        actor_of(staff), "Missed repairs", [sources.SourceInput(kind="complaint", complaint_id=complaint.id)]
    )
    sent = {"lessonId": str(lesson.id), "source": {"kind": "complaint", "complaintId": str(complaint.id)}}
    result = mutate(browser, "lessonSourceAdd", "LessonSourceAddInput", sent)
    assert at(result) == [("source.complaintId", "duplicate")]


def test_success_story_draft_names_the_lesson_id_at_its_place_as_sent(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    lesson = factories.make_lesson()
    sent = {"title": "t", "story": "s", "lessonIds": [str(lesson.id), str(lesson.id), "9999"], "actionIds": ["9998"]}
    result = mutate(browser, "successStoryDraft", "SuccessStoryDraftInput", sent)
    assert at(result) == [("lessonIds[2]", "not_found"), ("actionIds[0]", "not_found")]


def test_merge_into_a_lesson_not_there_says_no_such_lesson() -> None:
    staff = factories.make_staff()
    lesson = factories.make_lesson()
    with pytest.raises(Invalid) as caught:
        lessons.merge_lesson(actor_of(staff), lesson.id, 999_999, "Same issue")
    assert codes(caught.value) == {("into_id", "not_found")}


# --- One line of visible text ------------------------------------------------------------------------------------


@pytest.mark.parametrize("title", [RTL_OVERRIDE, "Two\nlines", "Tab\tin the middle", "Hidden \u2066isolate"])
def test_lesson_title_must_be_one_line_of_visible_text(title: str) -> None:
    with pytest.raises(Invalid) as caught:
        lessons.create_lesson(
            actor_of(factories.make_staff()), title, [sources.SourceInput(kind="operational_feedback", note="n")]
        )
    assert codes(caught.value) == {("title", "hidden_characters")}


def test_lesson_title_in_a_script_that_needs_joiners_is_kept() -> None:
    title = "می\u200cخواهم repairs"  # Persian needs the zero-width non-joiner
    lesson = lessons.create_lesson(
        actor_of(factories.make_staff()), title, [sources.SourceInput(kind="operational_feedback", note="n")]
    )
    assert lesson.title == title


def test_lesson_update_refuses_a_team_with_a_line_break() -> None:
    lesson = factories.make_lesson()
    with pytest.raises(Invalid) as caught:
        lessons.update_lesson(actor_of(factories.make_staff()), lesson.id, {"team": "Repairs\nPay now"})
    assert codes(caught.value) == {("team", "hidden_characters")}


def test_source_reference_must_be_one_line() -> None:
    with pytest.raises(Invalid) as caught:
        sources.check_source(
            actor_of(factories.make_staff()),
            sources.SourceInput(kind="scrutiny_recommendation", note="n", reference="SC-\u202e1"),
        )
    assert codes(caught.value) == {("reference", "hidden_characters")}


def test_action_title_and_team_must_be_one_line() -> None:
    with pytest.raises(Invalid) as caught:
        actions.propose_action(
            actor_of(factories.make_staff()),
            factories.make_lesson().id,
            title=RTL_OVERRIDE,
            action_type="working_practice",
            team="Repairs\nteam",
        )
    assert codes(caught.value) == {("title", "hidden_characters"), ("team", "hidden_characters")}


def test_meeting_title_team_and_guest_name_must_be_one_line() -> None:
    staff = actor_of(factories.make_staff())
    with pytest.raises(Invalid) as caught:
        meetings.create_meeting(staff, "team", "Huddle\nPay now: https://x", local_date(), team="A\u202eB")
    assert codes(caught.value) == {("title", "hidden_characters"), ("team", "hidden_characters")}
    meeting = factories.make_meeting()
    with pytest.raises(Invalid) as caught:
        meetings.add_attendee(staff, meeting.id, name="Gu\u202eest")
    assert codes(caught.value) == {("name", "hidden_characters")}


def test_training_story_and_bulletin_titles_must_be_one_line() -> None:
    staff, manager = actor_of(factories.make_staff()), actor_of(factories.make_user("manager"))
    with pytest.raises(Invalid) as caught:
        training.record_training(staff, RTL_OVERRIDE, local_date())
    assert codes(caught.value) == {("title", "hidden_characters")}
    with pytest.raises(Invalid) as caught:
        stories.draft_story(staff, RTL_OVERRIDE, "What changed.")
    assert codes(caught.value) == {("title", "hidden_characters")}
    factories.make_lesson(status=LessonStatus.CLOSED)
    with pytest.raises(Invalid) as caught:
        bulletins.create_bulletin(manager, "Lessons\r\nof the month", local_date(), local_date())
    assert codes(caught.value) == {("title", "hidden_characters")}


def test_hidden_characters_message_says_so(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    sent = {"kind": "team", "title": RTL_OVERRIDE, "heldOn": local_date().isoformat()}
    result = mutate(browser, "meetingCreate", "MeetingCreateInput", sent)
    assert at(result) == [("title", "hidden_characters")]
    assert "hidden formatting characters" in result["problems"][0]["message"]


# --- Theme names -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("taken", ["ＡＰＩＲＥＶ Lifts", "apirev lifts", "APIREV LİFTS".replace("İ", "I"), "Straße"])
def test_theme_names_that_read_the_same_are_duplicates(taken: str) -> None:
    staff = actor_of(factories.make_staff())
    themes.create_theme(staff, "APIREV Lifts" if taken != "Straße" else "STRASSE")
    with pytest.raises(Invalid) as caught:
        themes.create_theme(staff, taken)
    assert ("name", "duplicate") in codes(caught.value)


def test_renaming_a_theme_to_its_own_name_in_full_width_is_not_a_duplicate() -> None:
    staff = actor_of(factories.make_staff())
    theme = themes.create_theme(staff, "Lifts")
    renamed = themes.update_theme(staff, theme.id, "Ｌｉｆｔｓ", [])
    assert renamed.id == theme.id


# --- Four eyes ---------------------------------------------------------------------------------------------------


def test_story_author_returning_own_story_is_not_allowed_with_a_reason(browser: Any, signed_in: Any) -> None:
    manager = signed_in("manager")
    story = SuccessStory.create(title="Fewer missed", story="Reminders.", status="submitted", drafted_by=manager.id)
    result = mutate(browser, "successStoryReturn", "SuccessStoryReturnInput", {"id": str(story.id), "reason": "x"})
    assert (result["__typename"], result["code"]) == ("NotAllowedError", "own_story")
    assert "another manager must do it" in result["message"]


# --- Bad periods in queries --------------------------------------------------------------------------------------

PREVIEW = "query ($s: Date!, $e: Date!) { bulletinPreview(periodStart: $s, periodEnd: $e) { title } }"
COUNT = "query ($s: Date!, $e: Date!) { trainingCount(start: $s, end: $e) { sessions attendees } }"


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [("2026-02-01", "2026-01-01", "before_start"), ("2025-06-01", "2026-12-31", "too_long")],
)
def test_bulletin_preview_refuses_a_bad_period_like_bulletin_create(
    browser: Any, signed_in: Any, start: str, end: str, reason: str
) -> None:
    signed_in("manager")
    body = browser.graphql(PREVIEW, {"s": start, "e": end}).get_json()
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert (error["extensions"]["reason"], error["extensions"]["field"]) == (reason, "periodEnd")
    assert error["message"] == error["extensions"]["problems"][0]["message"]
    with pytest.raises(Invalid) as caught:
        bulletins.create_bulletin(
            actor_of(factories.make_user("manager")),
            "t",
            dt.date.fromisoformat(start),
            dt.date.fromisoformat(end),
        )
    assert codes(caught.value) == {("period_end", reason)}


def test_bulletin_preview_with_a_good_period_and_nothing_closed_is_empty(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    assert run(browser, PREVIEW, {"s": "2026-01-01", "e": "2026-12-31"})["bulletinPreview"] == []


def test_training_count_refuses_a_period_that_ends_before_it_starts(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    body = browser.graphql(COUNT, {"s": "2026-12-31", "e": "2026-01-01"}).get_json()
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert (error["extensions"]["reason"], error["extensions"]["field"]) == ("before_start", "end")
    assert error["message"] == "The period can't end before it starts."


# --- Limits as people write them ---------------------------------------------------------------------------------


def test_too_long_message_writes_the_limit_with_digit_grouping(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    lesson = factories.make_lesson()
    sent = {
        "lessonId": str(lesson.id),
        "title": "Text residents",
        "actionType": "service_provision",
        "measure": "x" * 10_001,
        "ownerId": str(staff.id),
    }
    result = mutate(browser, "improvementActionPropose", "ImprovementActionProposeInput", sent)
    assert at(result) == [("measure", "too_long")]
    assert "10,000" in result["problems"][0]["message"]


def test_measure_description_states_its_limit(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    found = run(browser, '{ __type(name: "ImprovementActionProposeInput") { inputFields { name description } } }')
    described = {field["name"]: field["description"] for field in found["__type"]["inputFields"]}
    assert "10,000 characters" in described["measure"]
