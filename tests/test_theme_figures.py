"""Each theme's stored figures: the database marks them out of date whenever something they count changes, they are
worked out again before they are read, and what is read always equals a count made there and then."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.complaints.models import Contact
from backend.context import Actor
from backend.db import db
from backend.lessons import figure_triggers, theme_figures, themes
from backend.lessons.models import Lesson, ThemeFigures, ThemeMonthFigures
from backend.timeutil import local_date
from tests import factories
from tests.factories import actor_of


@pytest.fixture
def staff() -> Actor:
    return actor_of(factories.make_staff())


def fresh(theme_id: int) -> bool:
    return theme_id not in theme_figures.out_of_date()


def stored(theme_id: int) -> theme_figures.Totals:
    theme_figures.ensure_current()
    row = ThemeFigures.get_by_id(theme_id)
    return theme_figures.Totals(row.residents_affected, row.contacts, row.complaints, row.upheld_complaints, row.impact)


def counted_now(theme_id: int) -> theme_figures.Totals:
    return theme_figures.totals([theme_id])[theme_id]


def test_every_trigger_is_in_the_database() -> None:
    assert figure_triggers.installed(db.obj) == sorted(figure_triggers.statements(db.obj))


def test_a_new_theme_has_a_figures_row_out_of_date(staff: Actor) -> None:
    theme = themes.create_theme(staff, "Repairs")
    assert not fresh(theme.id)
    assert theme_figures.ensure_current() >= 1
    assert fresh(theme.id)
    assert stored(theme.id) == theme_figures.Totals()
    assert theme_figures.ensure_current() == 0


def test_linking_and_unlinking_a_contact_marks_the_theme(staff: Actor) -> None:
    theme, contact = themes.create_theme(staff, "Repairs"), factories.make_contact()
    theme_figures.ensure_current()
    themes.link_contact(staff, contact.id, theme.id)
    assert not fresh(theme.id)
    assert stored(theme.id).contacts == 1
    themes.unlink_contact(staff, contact.id, theme.id)
    assert not fresh(theme.id)
    assert stored(theme.id).contacts == 0


def test_a_complaint_opened_and_a_point_decided_mark_the_theme(staff: Actor) -> None:
    theme = themes.create_theme(staff, "Repairs")
    complaint = factories.acknowledged_complaint()
    themes.link_contact(staff, complaint.contact_id, theme.id)
    assert (stored(theme.id).complaints, stored(theme.id).upheld_complaints) == (1, 0)
    point = factories.make_complaint_point(complaint)
    from backend.complaints.models import PointDecision

    assert fresh(theme.id)
    # A decision recorded by any route (here, a bare row) moves the theme's version.
    response = factories.make_complaint_response(factories.responded_complaint())
    PointDecision.create(response=response.id, point=point.id, decision="upheld", reasons="Late.")
    assert not fresh(theme.id)
    assert stored(theme.id).upheld_complaints == 1


def test_an_impact_rating_and_a_lesson_link_mark_the_theme(staff: Actor) -> None:
    theme = themes.create_theme(staff, "Repairs")
    lesson = factories.make_lesson(business_impact=2, resident_impact=3)
    themes.link_lesson(staff, lesson.id, theme.id)
    assert stored(theme.id).impact == 5
    Lesson.update(resident_impact=5).where(Lesson.id == lesson.id).execute()
    assert not fresh(theme.id)
    assert stored(theme.id).impact == 7
    # Saving the lesson without changing a rating leaves the figures as they are.
    Lesson.get_by_id(lesson.id).save()
    assert fresh(theme.id)


def test_a_contact_given_a_resident_marks_the_theme(staff: Actor) -> None:
    theme, contact = themes.create_theme(staff, "Repairs"), factories.make_contact()
    themes.link_contact(staff, contact.id, theme.id)
    theme_figures.ensure_current()
    Contact.update(resident=factories.make_user("resident").id).where(Contact.id == contact.id).execute()
    assert not fresh(theme.id)


def test_what_is_stored_equals_a_count_made_now(staff: Actor) -> None:
    theme = themes.create_theme(staff, "Repairs")
    resident = factories.make_user("resident")
    linked = [
        factories.make_contact(resident),
        factories.make_contact(resident),
        factories.make_contact(),
        factories.make_contact(),
    ]
    linked.append(Contact.get_by_id(factories.responded_complaint().contact_id))
    linked.append(Contact.get_by_id(factories.make_complaint().contact_id))
    for contact in linked:
        themes.link_contact(staff, contact.id, theme.id)
    themes.link_lesson(staff, factories.make_lesson(business_impact=4, resident_impact=1).id, theme.id)
    expected = counted_now(theme.id)
    assert stored(theme.id) == expected
    # 1 resident with two contacts, two without one, and the complaints' residents (one each, if any).
    assert (expected.contacts, expected.complaints, expected.upheld_complaints, expected.impact) == (6, 2, 1, 5)


def test_the_stored_trend_equals_the_trend_counted_now(staff: Actor) -> None:
    theme = themes.create_theme(staff, "Repairs")
    for contact in (factories.make_contact(), factories.make_contact()):
        themes.link_contact(staff, contact.id, theme.id)
    themes.link_contact(staff, factories.responded_complaint().contact_id, theme.id)
    theme_figures.ensure_current()
    assert theme_figures.stored_trends()[theme.id] == theme_figures.trend(theme.id)
    assert ThemeMonthFigures.select().where(ThemeMonthFigures.theme == theme.id).count() == 1


def test_a_new_month_puts_every_theme_out_of_date(staff: Actor) -> None:
    theme = themes.create_theme(staff, "Repairs")
    theme_figures.ensure_current()
    next_month = (local_date().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    assert theme.id in theme_figures.out_of_date(next_month)
    theme_figures.ensure_current(next_month)
    assert ThemeFigures.get_by_id(theme.id).month == next_month


def test_a_change_made_while_counting_is_not_lost(staff: Actor, monkeypatch: Any) -> None:
    theme, contact = themes.create_theme(staff, "Repairs"), factories.make_contact()
    counting = theme_figures.totals

    def change_meanwhile(ids: list[int]) -> dict[int, theme_figures.Totals]:
        found = counting(ids)
        themes.link_contact(staff, contact.id, theme.id)  # after the count, before the figures are stored
        return found

    monkeypatch.setattr(theme_figures, "totals", change_meanwhile)
    theme_figures.ensure_current()
    monkeypatch.setattr(theme_figures, "totals", counting)
    assert not fresh(theme.id)
    assert stored(theme.id).contacts == 1


THEMES = "{ themes { nodes { id residentsAffected complaintCount upheldComplaintCount impact priorityScore readyForResidents } } }"


def test_the_api_reads_figures_current_after_a_link(browser, signed_in, staff: Actor) -> None:
    theme = themes.create_theme(staff, "Repairs")
    signed_in("staff")
    before = browser.graphql(THEMES).get_json()["data"]["themes"]["nodes"]
    assert [n["complaintCount"] for n in before if n["id"] == str(theme.id)] == [0]
    themes.link_contact(staff, factories.responded_complaint().contact_id, theme.id)
    after = browser.graphql(THEMES).get_json()["data"]["themes"]["nodes"]
    (node,) = [n for n in after if n["id"] == str(theme.id)]
    assert (node["complaintCount"], node["upheldComplaintCount"], node["readyForResidents"]) == (1, 1, False)


# --- Cases hidden from the viewer: the figures leave them out, as the theme's contacts do. ----------------------

FIGURES = (
    "query ($id: ID!) { theme(id: $id) { residentsAffected complaintCount upheldComplaintCount priorityScore "
    "contactsCount trend { contacts complaints upheldComplaints } } }"
)


def hide(contact_id: int) -> None:
    from backend.complaints import restricted

    restricted.restrict_case(actor_of(factories.make_user("staff", "manager")), contact_id, "safeguarding", "At risk.")


def test_figures_leave_out_cases_hidden_from_the_viewer(browser, signed_in, staff: Actor) -> None:
    from backend.complaints.models import Complaint

    theme = themes.create_theme(staff, "Repairs")
    resident = factories.make_user("resident")
    seen = factories.make_contact(resident)
    both = Complaint.get_by_id(factories.responded_complaint().id)  # upheld, from someone without an account
    hidden_of_seen = factories.make_contact(resident)  # the same resident, hidden: they still count
    for contact_id in (seen.id, both.contact_id, hidden_of_seen.id):
        themes.link_contact(staff, contact_id, theme.id)
    hide(both.contact_id)
    hide(hidden_of_seen.id)
    signed_in("staff")
    found = browser.graphql(FIGURES, {"id": str(theme.id)}).get_json()["data"]["theme"]
    months = found["trend"]
    assert (found["contactsCount"], found["residentsAffected"]) == (1, 1)
    assert (found["complaintCount"], found["upheldComplaintCount"]) == (0, 0)
    assert (sum(m["contacts"] for m in months), sum(m["upheldComplaints"] for m in months)) == (1, 0)
    assert found["priorityScore"] == pytest.approx(1.0)  # 1 resident x 1, nothing upheld, no impact
    # Someone on the cases' lists, or the stored totals, count all three.
    assert stored(theme.id).contacts == 3


def test_a_hidden_case_changes_no_sort_order_or_filter(browser, signed_in, staff: Actor) -> None:
    quiet, loud = themes.create_theme(staff, "Quiet"), themes.create_theme(staff, "Loud")
    themes.link_contact(staff, factories.make_contact().id, quiet.id)
    hidden = factories.responded_complaint()
    themes.link_contact(staff, hidden.contact_id, loud.id)
    hide(hidden.contact_id)
    signed_in("staff")
    query = (
        "{ themes(where: {upheldComplaintCount: {gt: 0}}) { totalCount } "
        "all: themes(orderBy: [{field: priorityScore, direction: DESC}, {field: name}]) { nodes { name } } }"
    )
    data = browser.graphql(query).get_json()["data"]
    assert data["themes"]["totalCount"] == 0
    assert [n["name"] for n in data["all"]["nodes"] if n["name"] in ("Quiet", "Loud")] == ["Quiet", "Loud"]


LESSON = "query ($id: ID!) { lesson(id: $id) { complaintCount sourcesCount history { action changes } } }"
REMOVE = (
    "mutation ($input: LessonSourceRemoveInput!) { lessonSourceRemove(input: $input) { __typename "
    "... on Problem { code } } }"
)


def test_a_lesson_keeps_a_hidden_case_out_of_its_count_history_and_last_source_rule(browser, signed_in, staff) -> None:
    from backend.lessons import sources

    lesson = factories.make_lesson()
    hidden = factories.make_complaint()
    seen = factories.make_lesson_source(lesson)
    sources.add_source(staff, lesson.id, sources.SourceInput(kind="complaint", complaint_id=hidden.id))
    hide(hidden.contact_id)
    signed_in("staff")
    found = browser.graphql(LESSON, {"id": str(lesson.id)}).get_json()["data"]["lesson"]
    assert (found["complaintCount"], found["sourcesCount"]) == (1, 1)
    assert not [e for e in found["history"] if e["action"] == "lesson.source_added"]
    # Removing the one source the viewer sees is refused, as it would be with no hidden source.
    removed = browser.graphql(REMOVE, {"input": {"lessonId": str(lesson.id), "id": str(seen.id)}})
    assert removed.get_json()["data"]["lessonSourceRemove"] == {"__typename": "ConflictError", "code": "last_source"}


def test_a_lesson_created_from_a_case_later_hidden_leaves_it_out_of_its_first_entry(browser, signed_in, staff) -> None:
    from backend.lessons import lessons, sources

    hidden, seen = factories.make_complaint(), factories.make_complaint()
    lesson = lessons.create_lesson(
        staff,
        "Boilers not fixed on the first visit",
        [
            sources.SourceInput(kind="complaint", complaint_id=hidden.id),
            sources.SourceInput(kind="complaint", complaint_id=seen.id),
        ],
    )
    hide(hidden.contact_id)
    signed_in("staff")
    found = browser.graphql(LESSON, {"id": str(lesson.id)}).get_json()["data"]["lesson"]
    (created,) = [e for e in found["history"] if e["action"] == "lesson.created"]
    listed = str(created["changes"])
    assert f"'complaint_id': {seen.id}" in listed
    assert f"'complaint_id': {hidden.id}" not in listed
