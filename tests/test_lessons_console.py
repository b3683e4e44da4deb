"""The lessons log in the console: the log and its CSV, capturing a lesson from a complaint, the lesson page and
its action pages, the upheld complaints without a lesson, and the root-cause taxonomy for admins."""

from __future__ import annotations

import re
from typing import Any

import pytest

from backend.complaints import restricted
from backend.lessons import causes, lessons, sources
from backend.lessons.models import Lesson, LessonCause, LessonSource, NoLessonDecision, RootCause
from tests import factories
from tests.factories import actor_of


def captured(staff: Any, title: str = "Repairs appointments missed") -> Lesson:
    note = sources.SourceInput(kind="operational_feedback", note="Operatives arrive without parts.")
    return lessons.create_lesson(actor_of(staff), title, [note])


def test_lessons_log_lists_lessons_with_their_counts(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    lesson = captured(staff)
    factories.make_lesson_theme(lesson, factories.make_theme("Repairs appointments"))
    page = browser.client.get("/console/lessons").get_data(as_text=True)
    assert lesson.reference in page
    assert "Repairs appointments" in page


def log_row(page: str, reference: str) -> str:
    """The log's row of the lesson, as HTML."""
    match = re.search(r"<tr>(?:(?!</tr>).)*" + re.escape(reference) + r".*?</tr>", page, re.DOTALL)
    assert match, f"no row for {reference}"
    return match.group(0)


def test_lessons_log_shows_each_source_kind_once_less_those_of_hidden_cases(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    named, seen = factories.make_complaint(), factories.make_complaint()
    other = actor_of(factories.make_staff())
    feedback = sources.SourceInput(kind="operational_feedback", note="Parts missing.")
    hidden = lessons.create_lesson(
        other, "Hidden complaint", [sources.SourceInput(kind="complaint", complaint_id=named.id), feedback]
    )
    shown = lessons.create_lesson(
        other,
        "Two complaints",
        [
            sources.SourceInput(kind="complaint", complaint_id=seen.id),
            sources.SourceInput(kind="complaint", complaint_id=named.id),
        ],
    )
    restricted.name_staff(actor_of(factories.make_user("manager")), named.id, staff.id, "subject", "Took the call")
    page = browser.client.get("/console/lessons").get_data(as_text=True)
    assert "<td>Operational feedback</td>" in log_row(page, hidden.reference)
    assert "<td>Complaint</td>" in log_row(page, shown.reference)


def test_lessons_log_filters_by_source_kind(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    feedback = captured(staff, "From feedback")
    complaint = factories.make_complaint()
    from_complaint = lessons.create_lesson(
        actor_of(staff), "From a complaint", [sources.SourceInput(kind="complaint", complaint_id=complaint.id)]
    )
    page = browser.client.get("/console/lessons?source=complaint").get_data(as_text=True)
    assert from_complaint.reference in page
    assert feedback.reference not in page


def test_lessons_log_ignores_a_filter_it_does_not_know(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    assert browser.client.get("/console/lessons?status=nonsense&theme=x1&owner=';").status_code == 200


@pytest.mark.parametrize("query", ["source=bogus", "status=bogus", "owner=abc", "theme=99999", "area=99999"])
def test_lessons_log_leaves_out_an_unknown_filter_value_and_says_so(browser: Any, signed_in: Any, query: str) -> None:
    staff = signed_in("staff")
    lesson = captured(staff)
    response = browser.client.get(f"/console/lessons?{query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert lesson.reference in page
    assert "filter value the log doesn" in page
    assert lesson.reference in browser.client.get(f"/console/lessons.csv?{query}").get_data(as_text=True)


def test_lessons_log_says_nothing_of_filters_it_knows(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    theme = factories.make_theme("Repairs appointments")
    factories.make_lesson_theme(captured(staff), theme)
    page = browser.client.get(f"/console/lessons?source=operational_feedback&theme={theme.id}").get_data(as_text=True)
    assert "filter value the log doesn" not in page
    assert "1 lesson." in page


def test_lessons_csv_has_the_sources_column(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    complaint = factories.make_complaint()
    lesson = lessons.create_lesson(
        actor_of(staff),
        "Two kinds",
        [
            sources.SourceInput(kind="complaint", complaint_id=complaint.id),
            sources.SourceInput(kind="speak_up", note="Jobs closed early."),
        ],
    )
    lines = browser.client.get("/console/lessons.csv?source=speak_up").get_data(as_text=True).splitlines()
    header = lines[0].lstrip("\ufeff").split(",")
    row = next(line for line in lines if lesson.reference in line)
    assert header[7] == "Sources" and header[8] == "Themes"
    assert "Complaint; Speak-up note" in row


def test_lessons_csv_holds_the_filtered_rows(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    lesson = captured(staff, "=cmd")
    response = browser.client.get("/console/lessons.csv")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert lesson.reference in text and "'=cmd" in text


def test_lessons_log_is_refused_to_residents(browser: Any, signed_in: Any) -> None:
    signed_in("resident")
    assert browser.client.get("/console/lessons").status_code in (403, 404)


def test_lesson_new_from_a_complaint_creates_it_with_the_complaint_as_source(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    complaint = factories.responded_complaint(staff)
    url = f"/console/lessons/new?complaint={complaint.id}"
    response = browser.submit(
        url, {"title": "Diary not checked", "source_kind": "complaint", "complaint_id": str(complaint.id)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    lesson = Lesson.get(Lesson.title == "Diary not checked")
    assert [s.complaint_id for s in lesson.sources] == [complaint.id]


def test_lesson_new_with_bad_input_keeps_what_was_typed(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    response = browser.submit(
        "/console/lessons/new",
        {"title": "Kept title", "source_kind": "complaint", "complaint_reference": "LL-1999-000001"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Kept title"' in page
    assert "There is no such complaint that you can use here." in page
    assert Lesson.select().count() == 0


def test_lesson_page_shows_its_history(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    lesson = captured(staff)
    causes.add_cause(actor_of(staff), lesson.id, factories.make_root_cause("Process").id, "No parts check.")
    page = browser.client.get(f"/console/lessons/{lesson.id}").get_data(as_text=True)
    assert "Recorded a cause" in page and "Captured the lesson" in page
    assert staff.display_name in page


def test_lesson_page_history_names_each_action_by_its_title_in_words(browser: Any, signed_in: Any) -> None:
    from backend.lessons import actions

    staff = signed_in("staff")
    lesson = captured(staff)
    action = actions.propose_action(
        actor_of(staff), lesson.id, title="Check the parts list", action_type="service_provision"
    )
    page = browser.client.get(f"/console/lessons/{lesson.id}").get_data(as_text=True)
    assert "Proposed an action" in page
    assert f'href="/console/lessons/actions/{action.id}" dir="auto">Check the parts list</a>' in page
    assert "improvement_action." not in page and f"action {action.id}" not in page
    proposed = re.search(r"Proposed an action.*?</tr>", page, re.DOTALL)
    assert proposed and "reason for cancelling" not in proposed.group(0)  # empty fields are not "changed"


def test_lesson_page_not_there_is_404(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    assert browser.client.get("/console/lessons/999999").status_code == 404


def test_lesson_cause_add_records_the_cause(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    lesson = captured(staff)
    root = factories.make_root_cause("System")
    url = f"/console/lessons/{lesson.id}/causes/new"
    response = browser.submit(url, {"root_cause": str(root.id), "contributing": "root", "detail": "No reminders."})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert LessonCause.get(LessonCause.lesson == lesson.id).detail == "No reminders."


def test_lesson_status_refused_shows_why(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    lesson = captured(staff)
    response = browser.submit(f"/console/lessons/{lesson.id}/status", {"status": "analysed"})
    assert response.status_code == 409
    assert "Record at least one root cause before the lesson is analysed." in response.get_data(as_text=True)


def test_lessons_upheld_lists_the_complaint_and_the_decision_clears_it(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    complaint = factories.responded_complaint(staff)
    assert complaint.reference in browser.client.get("/console/lessons/upheld").get_data(as_text=True)
    url = f"/console/complaints/{complaint.id}/no-lesson"
    response = browser.submit(url, {"reason": "A one-off, put right."})
    assert response.status_code == 302
    assert NoLessonDecision.get(NoLessonDecision.complaint == complaint.id).reason == "A one-off, put right."
    assert url not in browser.client.get("/console/lessons/upheld").get_data(as_text=True)


def test_root_causes_admin_adds_a_sub_cause(browser: Any, signed_in: Any) -> None:
    signed_in("admin")
    top = factories.make_root_cause("Communication")
    response = browser.submit("/console/lessons/root-causes", {"name": "Letters unclear", "parent": str(top.id)})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert RootCause.get(RootCause.name == "Letters unclear").parent_id == top.id


@pytest.mark.parametrize("role", ["staff", "manager"])
def test_root_causes_page_is_for_admins_only(browser: Any, signed_in: Any, role: str) -> None:
    signed_in(role)
    assert browser.client.get("/console/lessons/root-causes").status_code in (403, 404)


def test_complaint_case_page_links_to_a_lesson_from_it(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    complaint = factories.responded_complaint(staff)
    page = browser.client.get(f"/console/complaints/{complaint.id}").get_data(as_text=True)
    assert f"/console/lessons/new?complaint={complaint.id}" in page


def test_lessons_log_my_team_shows_only_the_viewers_team(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    staff.team = "Repairs team"
    staff.save()
    ours = factories.make_lesson(team="Repairs team")
    theirs = factories.make_lesson(team="Lettings team")
    page = browser.client.get("/console/lessons?mine=1").get_data(as_text=True)
    assert ours.reference in page
    assert theirs.reference not in page


def test_lesson_source_remove_through_another_lesson_is_not_found(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    first, other = captured(staff), captured(staff, "Another lesson")
    sources.add_source(actor_of(staff), first.id, sources.SourceInput(kind="operational_feedback", note="More."))
    row = LessonSource.select().where(LessonSource.lesson == first.id).first()
    url = f"/console/lessons/{other.id}/sources/{row.id}/remove"
    assert browser.submit(url, {}, page=f"/console/lessons/{other.id}").status_code == 404
    assert LessonSource.select().where(LessonSource.lesson == first.id).count() == 2


def test_lesson_cause_remove_through_another_lesson_is_not_found(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    first, other = captured(staff), captured(staff, "Another lesson")
    cause = causes.add_cause(actor_of(staff), first.id, factories.make_root_cause().id, "Reminders off.")
    url = f"/console/lessons/{other.id}/causes/{cause.id}/remove"
    assert browser.submit(url, {}, page=f"/console/lessons/{other.id}").status_code == 404
    assert LessonCause.select().where(LessonCause.id == cause.id).exists()


def test_lesson_page_offers_no_removal_of_the_last_root_cause_once_analysed(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    lesson = captured(staff)
    causes.add_cause(actor_of(staff), lesson.id, factories.make_root_cause().id, "Reminders off.")
    lessons.set_status(actor_of(staff), lesson.id, "analysed")
    page = browser.client.get(f"/console/lessons/{lesson.id}").get_data(as_text=True)
    assert "Remove this cause" not in page


def test_lesson_page_offers_removal_of_a_root_cause_before_analysis(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    lesson = captured(staff)
    causes.add_cause(actor_of(staff), lesson.id, factories.make_root_cause().id, "Reminders off.")
    page = browser.client.get(f"/console/lessons/{lesson.id}").get_data(as_text=True)
    assert "Remove this cause" in page


def test_lesson_cause_remove_of_the_last_root_cause_says_why(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    lesson = captured(staff)
    cause = causes.add_cause(actor_of(staff), lesson.id, factories.make_root_cause().id, "Reminders off.")
    lessons.set_status(actor_of(staff), lesson.id, "analysed")
    url = f"/console/lessons/{lesson.id}/causes/{cause.id}/remove"
    page = browser.submit(url, {}, page=f"/console/lessons/{lesson.id}", follow_redirects=True).get_data(as_text=True)
    assert "only root cause" in page
    assert LessonCause.select().where(LessonCause.id == cause.id).exists()


def test_root_causes_admin_is_told_a_name_is_taken(browser: Any, signed_in: Any) -> None:
    signed_in("admin")
    factories.make_root_cause("Paperwork")
    response = browser.submit("/console/lessons/root-causes", {"name": "paperwork ", "parent": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is already a cause with this name" in page and 'value="paperwork' in page


def test_lesson_end_merging_into_an_unknown_reference_speaks_of_a_lesson(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    lesson = captured(staff)
    url = f"/console/lessons/{lesson.id}/end"
    response = browser.submit(url, {"how": "merge", "into": "LS-1999-9999", "reason": "Same thing."})
    page = response.get_data(as_text=True)
    assert "That lesson is not in the log: there is none, or it is archived." in page
    assert "Choose a theme on the list" not in page


def test_lesson_page_names_the_changed_fields_in_words(browser: Any, signed_in: Any) -> None:
    staff = signed_in("staff")
    lesson = captured(staff)
    lessons.update_lesson(actor_of(staff), lesson.id, {"actions_taken": "Parts list checked.", "referred_to_hr": True})
    page = browser.client.get(f"/console/lessons/{lesson.id}").get_data(as_text=True)
    assert "actions already taken, referred to HR" in page
    assert "actions_taken" not in page and "referred_to_hr" not in page


def test_changed_fields_leaves_out_what_only_names_the_entry() -> None:
    from portal.console.lessons.labels import changed_fields

    changes = {"lesson_id": {"before": 4, "after": 4}, "due_on": {"before": "2026-01-01", "after": "2026-02-01"}}
    assert str(changed_fields(changes)) == "due date"
