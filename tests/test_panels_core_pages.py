"""The console's scrutiny panel pages and the members' workspace pages: what each shows, the forms, and who may
reach which."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.panels.models import Panel, PanelAttendance, PanelMeeting, PanelMembership, ScrutinyReview
from backend.timeutil import local_date
from tests import factories


@pytest.fixture
def setup() -> dict[str, Any]:
    panel = factories.make_panel(name="Residents' Scrutiny Panel", terms_of_reference="We review services.")
    staff = factories.make_staff()
    factories.make_panel_support(panel, staff)
    chair = factories.make_panel_membership(panel, role="chair", conflicts="Neighbour of a repairs officer.")
    post = factories.make_panel_membership(panel, papers_by="large_print")
    review = factories.make_scrutiny_review(panel, topic="The complaints journey", scope="Stage 1 and 2")
    meeting = factories.make_panel_meeting(review, agenda="1. Figures", minutes="We met.")
    interview = factories.make_staff_interview(review)
    interview.person = staff
    interview.notes = "Explained the letters."
    interview.save()
    work_item = factories.make_work_programme_item(panel, topic="Repairs appointments")
    return {
        "panel": panel,
        "staff": staff,
        "chair": chair,
        "post": post,
        "review": review,
        "meeting": meeting,
        "interview": interview,
        "work_item": work_item,
    }


def page(browser: Any, url: str, status: int = 200) -> str:
    response = browser.client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def test_console_nav_and_list(browser, signed_in, setup) -> None:
    signed_in("staff")
    html = page(browser, "/console/panels")
    assert "Scrutiny panels" in html and "Residents&#39; Scrutiny Panel" in html


def test_console_panel_page_shows_members_support_reviews_and_makeup(browser, signed_in, setup) -> None:
    signed_in("staff")
    html = page(browser, f"/console/panels/{setup['panel'].id}")
    for text in (
        setup["chair"].person.display_name,
        "Neighbour of a repairs officer.",
        setup["staff"].display_name,
        "The complaints journey",
        "Repairs appointments",
        "Make-up",
        "Hidden",
    ):
        assert text in html, text


def test_console_review_and_meeting_pages(browser, signed_in, setup) -> None:
    signed_in("staff")
    html = page(browser, f"/console/panels/reviews/{setup['review'].id}")
    assert "Stage 1 and 2" in html and "Explained the letters." in html and setup["staff"].display_name in html
    html = page(browser, f"/console/panels/meetings/{setup['meeting'].id}")
    assert "Papers to send" in html and setup["post"].person.display_name in html and "We met." in html


def test_console_forms_render(browser, signed_in, setup) -> None:
    signed_in("staff")
    panel_id, review_id, meeting_id = setup["panel"].id, setup["review"].id, setup["meeting"].id
    for url in (
        "/console/panels/new",
        f"/console/panels/{panel_id}/edit",
        f"/console/panels/{panel_id}/members/new",
        f"/console/panels/{panel_id}/members/{setup['chair'].id}/edit",
        f"/console/panels/{panel_id}/members/{setup['chair'].id}/end",
        f"/console/panels/{panel_id}/support/new",
        f"/console/panels/{panel_id}/reviews/new",
        f"/console/panels/{panel_id}/work-programme/new",
        f"/console/panels/reviews/{review_id}/edit",
        f"/console/panels/reviews/{review_id}/conclusion",
        f"/console/panels/reviews/{review_id}/meetings/new",
        f"/console/panels/reviews/{review_id}/interviews/new",
        f"/console/panels/meetings/{meeting_id}/edit",
        f"/console/panels/meetings/{meeting_id}/attendance/new",
        f"/console/panels/reviews/{review_id}/interviews/{setup['interview'].id}/edit",
        f"/console/panels/{panel_id}/work-programme/{setup['work_item'].id}/edit",
    ):
        page(browser, url)


def test_console_create_a_panel_and_add_a_member(browser, signed_in) -> None:
    signed_in("staff")
    response = browser.submit(
        "/console/panels/new",
        {
            "name": "Tenants' Panel",
            "sign_off_rule": "chair",
            "quorum": "3",
            "response_working_days": "40",
            "approval_body": "board",
            "follow_up_months": "6",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    panel = Panel.get(Panel.name == "Tenants' Panel")
    person = factories.make_user("resident", "panel_member")
    response = browser.submit(
        f"/console/panels/{panel.id}/members/new",
        {"person": str(person.id), "role": "chair", "started_on": local_date().isoformat(), "papers_by": "post"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert PanelMembership.get(PanelMembership.panel == panel.id).papers_by == "post"


def test_console_bad_membership_shows_the_problem(browser, signed_in, setup) -> None:
    signed_in("staff")
    person = factories.make_user("resident", "panel_member")
    response = browser.submit(
        f"/console/panels/{setup['panel'].id}/members/new",
        {"person": str(person.id), "role": "chair", "started_on": local_date().isoformat(), "papers_by": "email"},
    )
    assert response.status_code == 400
    assert "already has someone in this role" in response.get_data(as_text=True)


def test_console_review_meeting_and_attendance(browser, signed_in, setup) -> None:
    signed_in("staff")
    response = browser.submit(
        f"/console/panels/{setup['panel'].id}/reviews/new", {"topic": "Repairs", "kind": "service"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    review = ScrutinyReview.get(ScrutinyReview.topic == "Repairs")
    starts = (dt.datetime.now() + dt.timedelta(days=9)).strftime("%Y-%m-%dT18:00")
    response = browser.submit(
        f"/console/panels/reviews/{review.id}/meetings/new",
        {"starts_at": starts, "minutes_long": "90", "mode": "online", "place": "Video call", "agenda": "Hello"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    meeting = PanelMeeting.get(PanelMeeting.review == review.id)
    response = browser.submit(
        f"/console/panels/meetings/{meeting.id}/attendance/new",
        {"person": str(setup["chair"].person_id), "attended": "y", "minutes_given": "120"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert PanelAttendance.get(PanelAttendance.meeting == meeting.id).minutes_given == 120
    response = browser.submit(
        f"/console/panels/reviews/{review.id}/move", {"status": "gathering"}, page="/console/panels"
    )
    assert response.status_code == 302
    assert ScrutinyReview.get_by_id(review.id).status == "gathering"


def test_console_refuses_members(browser, setup) -> None:
    browser.sign_in(setup["chair"].person.email)
    assert browser.client.get("/console/panels").status_code in (302, 403, 404)


def test_workspace_lists_the_members_panels(browser, setup) -> None:
    browser.sign_in(setup["chair"].person.email)
    html = page(browser, "/panel/")
    assert "Residents&#39; Scrutiny Panel" in html and "The complaints journey" in html
    assert setup["post"].person.display_name in html
    assert setup["staff"].display_name not in html


def test_workspace_review_overview(browser, setup) -> None:
    browser.sign_in(setup["chair"].person.email)
    html = page(browser, f"/panel/reviews/{setup['review'].id}")
    assert "Stage 1 and 2" in html and "1. Figures" in html and "We met." in html
    assert "Complaints team leader" in html and "Explained the letters." in html
    assert setup["staff"].display_name not in html and setup["staff"].email not in html


def test_workspace_other_panels_review_is_404(browser, setup) -> None:
    outsider = factories.make_panel_membership()
    browser.sign_in(outsider.person.email)
    page(browser, f"/panel/reviews/{setup['review'].id}", 404)
    page(browser, "/panel/reviews/999999", 404)


def test_workspace_needs_the_panel_role(browser, signed_in, setup) -> None:
    signed_in("resident")
    assert browser.client.get(f"/panel/reviews/{setup['review'].id}").status_code in (302, 403, 404)


def test_console_work_programme_from_a_theme(browser, signed_in, setup) -> None:
    signed_in("staff")
    theme = factories.make_theme("Damp and mould")
    html = page(browser, f"/console/panels/{setup['panel'].id}/work-programme/new")
    assert "Damp and mould (priority" in html
    response = browser.submit(
        f"/console/panels/{setup['panel'].id}/work-programme/new",
        {"topic": "Damp", "source": "theme", "theme": str(theme.id), "note": "Rising complaints"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    html = page(browser, f"/console/panels/{setup['panel'].id}")
    assert "Rising complaints" in html and "Damp and mould" in html


def test_console_change_an_interview(browser, signed_in, setup) -> None:
    signed_in("staff")
    url = f"/console/panels/reviews/{setup['review'].id}/interviews/{setup['interview'].id}/edit"
    response = browser.submit(
        url, {"interviewee_role": "Repairs manager", "held_on": local_date().isoformat(), "notes": "Clear answers."}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "Clear answers." in page(browser, f"/console/panels/reviews/{setup['review'].id}")


def test_meeting_times_show_hours_and_minutes_without_seconds(browser, signed_in, setup) -> None:
    meeting = setup["meeting"]
    meeting.starts_at = dt.datetime(2026, 12, 14, 17, 0, 0)  # UTC in winter: 5pm in the UK
    meeting.save()
    member = setup["chair"].person
    browser.sign_in(member.email)
    html = page(browser, f"/panel/reviews/{setup['review'].id}")
    assert "Monday, 14 December 2026 at 17:00" in html and "17:00:00" not in html
    browser.sign_out()
    signed_in("staff")
    for url in (f"/console/panels/reviews/{setup['review'].id}", f"/console/panels/meetings/{meeting.id}"):
        html = page(browser, url)
        assert "Monday, 14 December 2026 at 17:00" in html and "17:00:00" not in html, url
