"""The lessons log through GraphQL: mutations with typed errors, the log's filters, history, the taxonomy and the
upheld complaints without a lesson, run as real queries by signed-in people."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.complaints import restricted
from backend.db import count_statements
from backend.lessons import lessons, sources
from backend.lessons.models import Lesson, RootCause
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of

PROBLEM = """
    ... on ValidationError { field code message problems { field code message } }
    ... on ConflictError { code message }
    ... on NotAllowedError { message }
    ... on NotFoundError { message }
"""
CREATE = (
    """
mutation ($input: LessonCreateInput!) {
  lessonCreate(input: $input) {
    __typename
    ... on LessonCreated { lesson { id reference status complaintCount sources { kind complaint { id } } } }
"""
    + PROBLEM
    + "}}"
)


def run(browser: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = browser.graphql(query, variables or {}).get_json()
    assert "errors" not in body, body
    return body["data"]


def mutate(browser: Any, name: str, input_type: str, values: dict[str, Any], payload: str = "") -> dict[str, Any]:
    query = f"mutation ($input: {input_type}!) {{ {name}(input: $input) {{ __typename {payload} {PROBLEM} }} }}"
    return run(browser, query, {"input": values})[name]


def test_lesson_create_from_a_complaint_returns_the_lesson(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    complaint = factories.responded_complaint(staff)
    result = run(
        browser,
        CREATE,
        {"input": {"title": "Diary not checked", "sources": [{"kind": "complaint", "complaintId": str(complaint.id)}]}},
    )["lessonCreate"]
    assert result["__typename"] == "LessonCreated"
    lesson = result["lesson"]
    assert (lesson["reference"], lesson["status"], lesson["complaintCount"]) == (
        f"LS-{local_date().year}-0001",
        "identified",
        1,
    )
    assert lesson["sources"] == [{"kind": "complaint", "complaint": {"id": str(complaint.id)}}]


def test_lesson_create_with_bad_input_lists_every_problem(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    result = run(
        browser,
        CREATE,
        {
            "input": {
                "title": " ",
                "businessImpact": 7,
                "sources": [{"kind": "speak_up", "note": ""}, {"kind": "complaint", "complaintId": "nope"}],
            }
        },
    )["lessonCreate"]
    assert result["__typename"] == "ValidationError"
    assert {(p["field"], p["code"]) for p in result["problems"]} == {
        ("title", "required"),
        ("businessImpact", "out_of_range"),
        ("sources[0].note", "none_given"),
        ("sources[1].complaintId", "not_found"),
    }
    assert all(p["message"] for p in result["problems"])
    assert Lesson.select().count() == 0


@pytest.mark.parametrize("role", ["resident", "panel_member"])
def test_lesson_create_is_not_offered_to_residents_or_panel_members(browser: Any, signed_in: Any, role: str) -> None:
    signed_in(role)
    body = browser.graphql(CREATE, {"input": {"title": "x", "sources": []}}).get_json()
    assert body.get("errors")
    assert Lesson.select().count() == 0


@pytest.mark.parametrize("role", ["resident", "panel_member", "advocate"])
def test_lessons_are_not_served_to_anyone_but_staff(browser: Any, signed_in: Any, role: str) -> None:
    factories.make_lesson()
    signed_in(role)
    body = browser.graphql("{ lessons { totalCount } }").get_json()
    assert body.get("errors") or body["data"]["lessons"]["totalCount"] == 0


def test_lessons_filter_by_source_kind(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    complaint = factories.make_complaint()
    from_complaint = lessons.create_lesson(
        actor_of(staff), "From a complaint", [sources.SourceInput(kind="complaint", complaint_id=complaint.id)]
    )
    lessons.create_lesson(
        actor_of(staff), "From feedback", [sources.SourceInput(kind="operational_feedback", note="Parts missing.")]
    )
    data = run(browser, "{ lessons(where: {sources: {some: {kind: {eq: complaint}}}}) { nodes { id } } }")
    assert data["lessons"]["nodes"] == [{"id": str(from_complaint.id)}]


def test_lessons_filter_by_overdue_actions(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    late, on_time, done = factories.make_lesson(), factories.make_lesson(), factories.make_lesson()
    yesterday = local_date() - dt.timedelta(days=1)
    factories.make_improvement_action(late, status="in_progress", due_on=yesterday)
    factories.make_improvement_action(on_time, status="in_progress", due_on=local_date() + dt.timedelta(days=3))
    factories.make_improvement_action(done, status="verified", due_on=yesterday)
    data = run(browser, "{ lessons(where: {overdueActionCount: {gt: 0}}) { nodes { id openActionCount } } }")
    assert data["lessons"]["nodes"] == [{"id": str(late.id), "openActionCount": 1}]


def test_lessons_filter_by_theme(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    linked, other = factories.make_lesson(), factories.make_lesson()
    theme = factories.make_theme("Repairs appointments")
    factories.make_lesson_theme(linked, theme)
    factories.make_lesson_theme(other)
    query = "query ($t: ID!) { lessons(where: {themes: {some: {theme: {id: {eq: $t}}}}}) { nodes { id } } }"
    assert run(browser, query, {"t": str(theme.id)})["lessons"]["nodes"] == [{"id": str(linked.id)}]


def test_lesson_source_about_a_hidden_case_is_left_out(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    complaint = factories.make_complaint()
    lesson = lessons.create_lesson(
        actor_of(factories.make_staff()),
        "A lesson",
        [sources.SourceInput(kind="complaint", complaint_id=complaint.id)],
    )
    restricted.name_staff(actor_of(factories.make_user("manager")), complaint.id, staff.id, "subject", "Took the call")
    query = "query ($id: ID!) { lesson(id: $id) { id sources { id } } }"
    data = run(browser, query, {"id": str(lesson.id)})
    assert data["lesson"] == {"id": str(lesson.id), "sources": []}


KINDS = "{ lessons { nodes { id sourceKinds } } }"


def test_lesson_source_kinds_lists_each_kind_once_in_the_vocabulary_order(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    first, second = factories.make_complaint(), factories.make_complaint()
    mixed = lessons.create_lesson(
        actor_of(staff),
        "From many sources",
        [
            sources.SourceInput(kind="speak_up", note="Nobody checks the diary."),
            sources.SourceInput(kind="complaint", complaint_id=first.id),
            sources.SourceInput(kind="operational_feedback", note="Parts missing."),
            sources.SourceInput(kind="complaint", complaint_id=second.id),
        ],
    )
    single = lessons.create_lesson(
        actor_of(staff), "From feedback", [sources.SourceInput(kind="operational_feedback", note="Late again.")]
    )
    nodes = {node["id"]: node["sourceKinds"] for node in run(browser, KINDS)["lessons"]["nodes"]}
    assert nodes == {
        str(mixed.id): ["complaint", "operational_feedback", "speak_up"],
        str(single.id): ["operational_feedback"],
    }


def test_lesson_source_kinds_leave_out_a_kind_only_a_hidden_case_gives(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    named, seen = factories.make_complaint(), factories.make_complaint()
    need_to_know = factories.make_contact()
    other = actor_of(factories.make_staff())
    only_hidden = lessons.create_lesson(
        other,
        "Only a hidden complaint and a note",
        [
            sources.SourceInput(kind="complaint", complaint_id=named.id),
            sources.SourceInput(kind="contact", contact_id=need_to_know.id),
            sources.SourceInput(kind="operational_feedback", note="Parts missing."),
        ],
    )
    also_seen = lessons.create_lesson(
        other,
        "A hidden complaint and one you see",
        [
            sources.SourceInput(kind="complaint", complaint_id=named.id),
            sources.SourceInput(kind="complaint", complaint_id=seen.id),
        ],
    )
    manager = actor_of(factories.make_user("manager"))
    restricted.name_staff(manager, named.id, staff.id, "subject", "Took the call")
    restricted.restrict_case(manager, need_to_know.id, "safeguarding", "A child may be at risk")
    nodes = {node["id"]: node["sourceKinds"] for node in run(browser, KINDS)["lessons"]["nodes"]}
    assert nodes == {str(only_hidden.id): ["operational_feedback"], str(also_seen.id): ["complaint"]}
    # One on the need-to-know case's list sees its kind; the statement is the viewer's, not shared.
    browser.sign_out()
    listed = signed_in("staff")
    restricted.grant_access(manager, need_to_know.id, listed.id, "Covers the handler")
    nodes = {node["id"]: node["sourceKinds"] for node in run(browser, KINDS)["lessons"]["nodes"]}
    assert nodes[str(only_hidden.id)] == ["complaint", "contact", "operational_feedback"]


def test_lesson_source_kinds_cost_one_statement_for_a_page(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    for index in range(4):
        lessons.create_lesson(
            actor_of(staff), f"Lesson {index}", [sources.SourceInput(kind="operational_feedback", note="Late.")]
        )
    with count_statements() as statements:
        data = run(browser, "{ lessons { nodes { id sourceKinds also: sourceKinds } } }")
    assert len([sql for sql in statements if '"lesson_source"' in sql]) == 1
    nodes = data["lessons"]["nodes"]
    assert len(nodes) == 4
    assert all(node["sourceKinds"] == node["also"] == ["operational_feedback"] for node in nodes)


def test_lesson_source_kinds_on_one_lesson_and_through_a_relation(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    lesson = lessons.create_lesson(
        actor_of(staff), "A lesson", [sources.SourceInput(kind="speak_up", note="Nobody checks the diary.")]
    )
    one = run(browser, "query ($id: ID!) { lesson(id: $id) { sourceKinds } }", {"id": str(lesson.id)})
    assert one["lesson"] == {"sourceKinds": ["speak_up"]}
    nested = run(browser, "{ lessonSources { nodes { lesson { sourceKinds } } } }")
    assert nested["lessonSources"]["nodes"] == [{"lesson": {"sourceKinds": ["speak_up"]}}]


def test_lesson_history_shows_who_did_what(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    lesson = lessons.create_lesson(
        actor_of(staff), "A lesson", [sources.SourceInput(kind="operational_feedback", note="Parts missing.")]
    )
    root = factories.make_root_cause("Process")
    mutate(
        browser,
        "lessonCauseAdd",
        "LessonCauseAddInput",
        {"lessonId": str(lesson.id), "rootCauseId": str(root.id), "detail": "No parts check before a visit."},
    )
    query = "query ($id: ID!) { lesson(id: $id) { history { action actorName } } }"
    entries = run(browser, query, {"id": str(lesson.id)})["lesson"]["history"]
    assert entries == [
        {"action": "lesson.cause_added", "actorName": staff.display_name},
        {"action": "lesson.created", "actorName": staff.display_name},
    ]


def test_lesson_status_set_refused_with_a_typed_conflict(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    lesson = factories.make_lesson()
    result = mutate(browser, "lessonStatusSet", "LessonStatusSetInput", {"id": str(lesson.id), "status": "analysed"})
    assert (result["__typename"], result["code"]) == ("ConflictError", "lesson_no_causes")


def test_lesson_update_of_a_lesson_not_there_is_not_found(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    result = mutate(browser, "lessonUpdate", "LessonUpdateInput", {"id": "999999", "title": "x"})
    assert result["__typename"] == "NotFoundError"


def test_lesson_update_changes_capture_and_classification(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    lesson = factories.make_lesson()
    result = mutate(
        browser,
        "lessonUpdate",
        "LessonUpdateInput",
        {"id": str(lesson.id), "laterFindings": "The diary was never checked.", "learningTypes": ["training_need"]},
        "... on LessonUpdated { lesson { laterFindings learningTypes { learningType } } }",
    )
    assert result["lesson"] == {
        "laterFindings": "The diary was never checked.",
        "learningTypes": [{"learningType": "training_need"}],
    }


def test_lesson_delete_by_a_manager(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    lesson = factories.make_lesson()
    result = mutate(
        browser, "lessonDelete", "LessonIdInput", {"id": str(lesson.id)}, "... on LessonDeleted { reference }"
    )
    assert result == {"__typename": "LessonDeleted", "reference": lesson.reference}


def test_root_cause_create_by_an_admin_with_a_parent(browser: Any, signed_in: Any) -> None:
    signed_in("admin")
    top = factories.make_root_cause("Communication")
    result = mutate(
        browser,
        "rootCauseCreate",
        "RootCauseCreateInput",
        {"name": "Letters unclear", "parentId": str(top.id), "description": "Letters residents could not follow."},
    )
    assert result["__typename"] != "ValidationError", result
    assert RootCause.get(RootCause.name == "Letters unclear").parent_id == top.id


def test_root_cause_create_by_staff_is_not_offered(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    body = browser.graphql('mutation { rootCauseCreate(input: {name: "People"}) { __typename } }').get_json()
    assert body.get("errors") or body["data"]["rootCauseCreate"]["__typename"] == "NotAllowedError"
    assert not RootCause.select().where(RootCause.name == "People").exists()


def test_upheld_complaints_without_lesson_and_the_decision_that_clears_one(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    complaint = factories.responded_complaint(staff)
    query = "{ upheldComplaintsWithoutLesson { totalCount nodes { id reference } } }"
    listed = run(browser, query)["upheldComplaintsWithoutLesson"]
    assert listed == {"totalCount": 1, "nodes": [{"id": str(complaint.id), "reference": complaint.reference}]}
    result = mutate(
        browser,
        "complaintNoLessonRecord",
        "ComplaintNoLessonRecordInput",
        {"complaintId": str(complaint.id), "reason": "A one-off error, put right."},
    )
    assert result["__typename"] == "ComplaintNoLessonRecorded"
    assert run(browser, query)["upheldComplaintsWithoutLesson"]["totalCount"] == 0


def test_upheld_complaints_without_lesson_is_absent_for_residents(browser: Any, signed_in: Any) -> None:
    factories.responded_complaint()
    signed_in("resident")
    body = browser.graphql("{ upheldComplaintsWithoutLesson { totalCount nodes { id } } }").get_json()
    assert body.get("data") is None
    assert "Cannot query field 'upheldComplaintsWithoutLesson'" in body["errors"][0]["message"]


def test_lesson_source_add_anonymous_speak_up_records_nobody(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    lesson = factories.make_lesson()
    result = mutate(
        browser,
        "lessonSourceAdd",
        "LessonSourceAddInput",
        {"lessonId": str(lesson.id), "source": {"kind": "speak_up", "note": "Jobs closed early.", "anonymous": True}},
        "... on LessonSourceAdded { lessonSource { anonymous recordedBy { id } } }",
    )
    assert result["lessonSource"] == {"anonymous": True, "recordedBy": None}


def test_lesson_merge_into_a_lesson_not_there_is_a_validation_error(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    lesson = factories.make_lesson()
    result = mutate(browser, "lessonMerge", "LessonMergeInput", {"id": str(lesson.id), "intoId": "nope", "reason": ""})
    assert {(p["field"], p["code"]) for p in result["problems"]} == {("intoId", "not_found"), ("reason", "required")}


def test_lesson_source_remove_through_another_lesson_is_not_found(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    first, other = factories.make_lesson(), factories.make_lesson()
    factories.make_lesson_source(first)
    row = factories.make_lesson_source(first)
    variables = {"lessonId": str(other.id), "id": str(row.id)}
    result = mutate(browser, "lessonSourceRemove", "LessonSourceRemoveInput", variables)
    assert result["__typename"] == "NotFoundError"


def test_lesson_cause_remove_through_another_lesson_is_not_found(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    cause = factories.make_lesson_cause(factories.make_lesson())
    variables = {"lessonId": str(factories.make_lesson().id), "id": str(cause.id)}
    result = mutate(browser, "lessonCauseRemove", "LessonCauseRemoveInput", variables)
    assert result["__typename"] == "NotFoundError"
