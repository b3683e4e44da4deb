"""Staff sharing through real GraphQL text: staff only, typed errors, and briefings that follow need-to-know."""

from __future__ import annotations

from typing import Any

from backend.complaints import restricted
from backend.lessons import stories
from backend.lessons.models import LessonStatus, Meeting, SuccessStory
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of

PROBLEMS = "__typename ... on Problem { code message } ... on ValidationError { field problems { field code message } }"
MEETING = (
    "mutation ($input: MeetingCreateInput!) { meetingCreate(input: $input) { "
    "... on MeetingCreated { meeting { id kind title heldOn } } " + PROBLEMS + " } }"
)
AGENDA = (
    "mutation ($input: AgendaItemAddInput!) { agendaItemAdd(input: $input) { "
    "... on AgendaItemAdded { meeting { agenda { position title lessonId lessonTitle } } } " + PROBLEMS + " } }"
)
MEETINGS = "query ($where: MeetingWhere) { meetings(where: $where) { nodes { id title } } }"
BRIEFINGS = "{ staffBriefings { nodes { id summary complaint { id } person { id } } } }"
ACKNOWLEDGE = (
    "mutation ($input: StaffBriefingAcknowledgeInput!) { staffBriefingAcknowledge(input: $input) { "
    "... on StaffBriefingAcknowledged { staffBriefing { acknowledgedAt } } " + PROBLEMS + " } }"
)
APPROVE = (
    "mutation ($input: SuccessStoryInput!) { successStoryApprove(input: $input) { "
    "... on SuccessStoryApproved { successStory { status } } " + PROBLEMS + " } }"
)
CHAMPION = (
    "mutation ($input: ChampionAppointInput!) { championAppoint(input: $input) { "
    "... on ChampionAppointed { champion { team person { id } } } " + PROBLEMS + " } }"
)


def run(browser: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    return body["data"]


def test_meeting_create_records_a_team_meeting(browser, signed_in) -> None:
    signed_in("staff")
    made = run(browser, MEETING, {"input": {"kind": "team", "title": "Huddle", "heldOn": local_date().isoformat()}})
    assert made["meetingCreate"]["meeting"]["kind"] == "team"


def test_meeting_create_without_title_gives_a_translated_field_error(browser, signed_in) -> None:
    signed_in("staff")
    made = run(browser, MEETING, {"input": {"kind": "team", "title": " ", "heldOn": local_date().isoformat()}})
    problem = made["meetingCreate"]["problems"][0]
    assert made["meetingCreate"]["__typename"] == "ValidationError"
    assert (problem["field"], problem["message"]) == ("title", "Give a title.")


def test_agenda_item_add_links_a_lesson(browser, signed_in) -> None:
    signed_in("staff")
    meeting, lesson = factories.make_meeting(), factories.make_lesson(title="Diary checks")
    added = run(
        browser, AGENDA, {"input": {"meetingId": str(meeting.id), "title": "Repairs", "lessonId": str(lesson.id)}}
    )
    assert added["agendaItemAdd"]["meeting"]["agenda"] == [
        {"position": 1, "title": "Repairs", "lessonId": str(lesson.id), "lessonTitle": "Diary checks"}
    ]


def test_meetings_filter_by_kind_and_period(browser, signed_in) -> None:
    signed_in("staff")
    factories.make_meeting("team")
    governance = factories.make_meeting("governance_group")
    Meeting.update(held_on=local_date().replace(year=2020)).where(Meeting.id == governance.id).execute()
    today = local_date().isoformat()
    found = run(browser, MEETINGS, {"where": {"kind": {"eq": "governance_group"}, "heldOn": {"gte": "2020-01-01"}}})
    assert [n["id"] for n in found["meetings"]["nodes"]] == [str(governance.id)]
    assert (
        run(browser, MEETINGS, {"where": {"kind": {"eq": "governance_group"}, "heldOn": {"gte": today}}})["meetings"][
            "nodes"
        ]
        == []
    )


def test_resident_cannot_read_meetings(browser, signed_in) -> None:
    signed_in("resident")
    factories.make_meeting()
    body = browser.graphql("{ meetings { nodes { id } } }").get_json()
    assert "errors" in body


def test_champion_appoint_by_staff_is_not_allowed(browser, signed_in) -> None:
    signed_in("staff")
    person = factories.make_staff()
    body = browser.graphql(
        CHAMPION, {"input": {"personId": str(person.id), "team": "Repairs", "appointedOn": "2026-01-01"}}
    ).get_json()
    assert "ChampionAppointInput" in body["errors"][0]["message"]  # not in a member of staff's schema


def _hidden_briefing() -> tuple[Any, Any, Any]:
    handler = factories.make_staff()
    complaint = factories.responded_complaint(handler)
    subject = factories.make_staff()
    restricted.name_staff(actor_of(handler), complaint.id, subject.id, "subject", "Took the call")
    return complaint, subject, factories.make_staff_briefing(complaint, subject)


def test_briefed_subject_sees_their_briefing_but_not_the_case(browser, signed_in) -> None:
    _, subject, briefing = _hidden_briefing()
    browser.sign_in(subject.email)
    nodes = run(browser, BRIEFINGS)["staffBriefings"]["nodes"]
    assert nodes == [
        {"id": str(briefing.id), "summary": briefing.summary, "complaint": None, "person": {"id": str(subject.id)}}
    ]


def test_briefing_of_a_hidden_case_is_not_shown_to_staff_it_is_hidden_from(browser, signed_in) -> None:
    complaint, _, briefing = _hidden_briefing()
    other = factories.make_staff()
    factories.make_staff_briefing(complaint, factories.make_staff())
    restricted.name_staff(actor_of(factories.make_user("manager")), complaint.id, other.id, "involved", "Saw it")
    browser.sign_in(other.email)
    assert run(browser, BRIEFINGS)["staffBriefings"]["nodes"] == []


def test_staff_briefing_acknowledge_by_the_briefed_person(browser, signed_in) -> None:
    _, subject, briefing = _hidden_briefing()
    browser.sign_in(subject.email)
    done = run(browser, ACKNOWLEDGE, {"input": {"id": str(briefing.id)}})
    assert done["staffBriefingAcknowledge"]["staffBriefing"]["acknowledgedAt"]


def test_success_story_approve_own_story_is_not_allowed_and_says_why(browser, signed_in) -> None:
    manager = signed_in("manager")
    story = SuccessStory.create(title="Fewer missed", story="Reminders.", status="submitted", drafted_by=manager.id)
    result = run(browser, APPROVE, {"input": {"id": str(story.id)}})["successStoryApprove"]
    assert result["__typename"] == "NotAllowedError"
    assert result["code"] == "own_story" and "another manager" in result["message"]


def test_training_count_gives_sessions_and_attendees(browser, signed_in) -> None:
    signed_in("staff")
    record = factories.make_training_record()
    record.attendees = 7
    record.save()
    today = local_date().isoformat()
    counted = run(
        browser,
        "query ($s: Date!, $e: Date!) { trainingCount(start: $s, end: $e) { sessions attendees } }",
        {"s": today, "e": today},
    )
    assert counted["trainingCount"] == {"sessions": 1, "attendees": 7}


def test_bulletin_preview_lists_closed_lessons_for_managers(browser, signed_in) -> None:
    signed_in("manager")
    factories.make_lesson(title="Closed one", status=LessonStatus.CLOSED)
    today = local_date().isoformat()
    found = run(
        browser,
        "query ($s: Date!, $e: Date!) { bulletinPreview(periodStart: $s, periodEnd: $e) { title } }",
        {"s": today, "e": today},
    )
    assert found["bulletinPreview"] == [{"title": "Closed one"}]


def test_my_team_lists_the_champions_team_lessons(browser, signed_in) -> None:
    person = signed_in("staff")
    factories.make_champion(person, team="Repairs team")
    lesson = factories.make_lesson(team="Repairs team")
    found = run(browser, "{ myTeam { teams lessons { id } } }")["myTeam"]
    assert found == {"teams": ["Repairs team"], "lessons": [{"id": str(lesson.id)}]}


MEETING_UPDATE = (
    "mutation ($input: MeetingUpdateInput!) { meetingUpdate(input: $input) { "
    "... on MeetingUpdated { meeting { kind title heldOn team minutes } } " + PROBLEMS + " } }"
)
STORY_UPDATE = (
    "mutation ($input: SuccessStoryUpdateInput!) { successStoryUpdate(input: $input) { "
    "... on SuccessStoryUpdated { successStory { title story beforeFigure afterFigure "
    "links { lessonId actionId } } } " + PROBLEMS + " } }"
)


def test_meeting_update_keeps_the_minutes_and_team_not_given(browser, signed_in) -> None:
    signed_in("staff")
    made = run(
        browser,
        MEETING,
        {
            "input": {
                "kind": "management",
                "title": "Huddle",
                "heldOn": local_date().isoformat(),
                "team": "Repairs team",
                "minutes": "Agreed to text residents.",
            }
        },
    )["meetingCreate"]["meeting"]
    sent = {"id": made["id"], "kind": "team", "title": "Huddle 2", "heldOn": local_date().isoformat()}
    meeting = run(browser, MEETING_UPDATE, {"input": sent})["meetingUpdate"]["meeting"]
    assert meeting == {
        "kind": "team",
        "title": "Huddle 2",
        "heldOn": local_date().isoformat(),
        "team": "Repairs team",
        "minutes": "Agreed to text residents.",
    }
    cleared = run(browser, MEETING_UPDATE, {"input": {"id": made["id"], "team": None, "minutes": None}})
    assert cleared["meetingUpdate"]["meeting"] == {**meeting, "team": None, "minutes": ""}


def test_meeting_update_cannot_clear_the_title(browser, signed_in) -> None:
    signed_in("staff")
    meeting = factories.make_meeting()
    result = run(browser, MEETING_UPDATE, {"input": {"id": str(meeting.id), "title": None}})["meetingUpdate"]
    assert [(p["field"], p["code"]) for p in result["problems"]] == [("title", "required")]
    assert Meeting.get_by_id(meeting.id).title == "Repairs team meeting"


def test_success_story_update_of_the_text_keeps_its_links(browser, signed_in) -> None:
    author = signed_in("staff")
    lesson, action = factories.make_lesson(), factories.make_improvement_action()
    story = stories.draft_story(
        actor_of(author), "Fewer missed appointments", "Reminders work.", "30%", "5%", [lesson.id], [action.id]
    )
    changed = run(browser, STORY_UPDATE, {"input": {"id": str(story.id), "story": "Reminders by text work."}})
    node = changed["successStoryUpdate"]["successStory"]
    assert (node["title"], node["story"], node["beforeFigure"], node["afterFigure"]) == (
        "Fewer missed appointments",
        "Reminders by text work.",
        "30%",
        "5%",
    )
    assert {(x["lessonId"], x["actionId"]) for x in node["links"]} == {(str(lesson.id), None), (None, str(action.id))}
    unlinked = run(browser, STORY_UPDATE, {"input": {"id": str(story.id), "lessonIds": []}})
    links = unlinked["successStoryUpdate"]["successStory"]["links"]
    assert [(x["lessonId"], x["actionId"]) for x in links] == [(None, str(action.id))]
