"""Staff accounts in the console (admins): each action on its own page, a leaver handed over after confirming."""

from __future__ import annotations

from typing import Any

from backend.accounts.models import User
from backend.complaints.models import Complaint
from tests import factories


def page_of(response: Any) -> str:
    return response.get_data(as_text=True)


def test_the_people_list_offers_admins_the_account_pages(browser: Any, signed_in: Any) -> None:
    signed_in("admin")
    person = factories.make_staff()
    page = page_of(browser.client.get("/console/people"))
    assert "/console/people/new" in page
    assert f"/console/people/{person.id}/leave" in page


def test_staff_who_are_not_admins_cannot_open_the_account_pages(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    person = factories.make_staff()
    assert "/console/people/new" not in page_of(browser.client.get("/console/people"))
    for path in ("/console/people/new", f"/console/people/{person.id}/roles", f"/console/people/{person.id}/leave"):
        assert browser.client.get(path).status_code == 403


def test_admin_invites_a_member_of_staff(browser: Any, signed_in: Any) -> None:
    signed_in("admin")
    manager = factories.make_user("manager")
    response = browser.submit(
        "/console/people/new",
        {
            "email": "new.handler@example.net",
            "display_name": "New Handler",
            "roles": ["staff"],
            "team": "Repairs",
            "manager_id": str(manager.id),
        },
    )
    assert response.status_code == 302
    user = User.get(User.email == "new.handler@example.net")
    assert (user.team, user.manager_id, user.role_names()) == ("Repairs", manager.id, {"staff"})


def test_the_invite_form_shows_every_problem(browser: Any, signed_in: Any) -> None:
    signed_in("admin")
    response = browser.submit("/console/people/new", {"email": "", "display_name": "", "manager_id": ""})
    assert response.status_code == 400
    page = page_of(response)
    assert "Enter their email address." in page and "Enter their name." in page and "Choose at least one role." in page


def test_admin_changes_roles_and_team(browser: Any, signed_in: Any) -> None:
    signed_in("admin")
    person, manager = factories.make_staff(), factories.make_user("manager")
    assert browser.submit(f"/console/people/{person.id}/roles", {"roles": ["staff", "manager"]}).status_code == 302
    assert User.get_by_id(person.id).role_names() == {"staff", "manager"}
    response = browser.submit(f"/console/people/{person.id}/team", {"team": "Estates", "manager_id": str(manager.id)})
    assert response.status_code == 302
    assert (User.get_by_id(person.id).team, User.get_by_id(person.id).manager_id) == ("Estates", manager.id)


def test_a_circular_line_manager_is_shown_on_the_field(browser: Any, signed_in: Any) -> None:
    signed_in("admin")
    top = factories.make_user("manager")
    below = factories.make_staff(manager=top)
    response = browser.submit(f"/console/people/{top.id}/team", {"team": "", "manager_id": str(below.id)})
    assert response.status_code == 400
    assert "cannot be their own line manager" in page_of(response)


def test_a_leaver_is_handed_over_after_confirming(browser: Any, signed_in: Any) -> None:
    signed_in("admin")
    leaver, successor = factories.make_staff(), factories.make_staff()
    complaint = factories.acknowledged_complaint(handler=leaver)
    page = page_of(browser.client.get(f"/console/people/{leaver.id}/leave"))
    assert complaint.reference in page

    first = browser.submit(f"/console/people/{leaver.id}/leave", {"successor_id": str(successor.id)})
    assert first.status_code == 200 and "Yes, close the account" in page_of(first)
    assert User.get_by_id(leaver.id).is_active

    done = browser.submit(f"/console/people/{leaver.id}/leave", {"successor_id": str(successor.id), "confirmed": "yes"})
    assert done.status_code == 302
    assert not User.get_by_id(leaver.id).is_active
    assert Complaint.get_by_id(complaint.id).handler_id == successor.id


def test_a_leaver_with_work_and_no_successor_is_refused_and_kept(browser: Any, signed_in: Any) -> None:
    signed_in("admin")
    leaver = factories.make_staff()
    factories.acknowledged_complaint(handler=leaver)
    response = browser.submit(f"/console/people/{leaver.id}/leave", {"successor_id": "", "confirmed": "yes"})
    assert response.status_code == 400
    assert "this person still has open complaints" in page_of(response)
    assert User.get_by_id(leaver.id).is_active
