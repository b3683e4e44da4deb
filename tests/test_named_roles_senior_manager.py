"""The senior manager named role is for managers only, and a designation can be ended at once ("End it now")."""

from __future__ import annotations

import datetime as dt
import html

from backend.complaints import roles
from backend.complaints.models import RoleDesignation
from backend.timeutil import local_date
from tests import factories


def test_admin_cannot_name_a_case_handler_senior_manager(browser, signed_in) -> None:
    signed_in("admin")
    handler = factories.make_staff()
    response = browser.submit(
        "/console/roles",
        {"role": "senior_manager", "person": str(handler.id), "starts_on": local_date().isoformat()},
    )
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Only a manager can be a senior manager" in page
    assert not RoleDesignation.select().exists()


def test_admin_names_a_manager_senior_manager(browser, signed_in) -> None:
    signed_in("admin")
    boss = factories.make_user("manager")
    response = browser.submit(
        "/console/roles", {"role": "senior_manager", "person": str(boss.id), "starts_on": local_date().isoformat()}
    )
    assert response.status_code == 302
    assert [user.id for user in roles.senior_managers()] == [boss.id]


def test_other_roles_may_still_go_to_staff_who_are_not_managers(browser, signed_in) -> None:
    signed_in("admin")
    officer = factories.make_staff()
    response = browser.submit(
        "/console/roles", {"role": "complaints_officer", "person": str(officer.id), "starts_on": "2026-01-01"}
    )
    assert response.status_code == 302


def test_end_it_now_stops_the_role_today(browser, signed_in) -> None:
    signed_in("admin")
    boss = factories.make_user("manager")
    designation = factories.make_role_designation(
        "senior_manager", boss, starts_on=local_date() - dt.timedelta(days=30)
    )
    page = browser.client.get(f"/console/roles/{designation.id}/end").get_data(as_text=True)
    assert "End it now" in page
    response = browser.submit(f"/console/roles/{designation.id}/end", {"end_now": "1"})
    assert response.status_code == 302
    assert RoleDesignation.get_by_id(designation.id).ends_on == local_date() - dt.timedelta(days=1)
    assert roles.senior_managers() == []


def test_end_it_now_withdraws_a_designation_made_today(browser, signed_in) -> None:
    signed_in("admin")
    boss = factories.make_user("manager")
    designation = factories.make_role_designation("senior_manager", boss, starts_on=local_date())
    response = browser.submit(f"/console/roles/{designation.id}/end", {"end_now": "1"})
    assert response.status_code == 302
    assert roles.senior_managers() == []
    listing = html.unescape(browser.client.get("/console/roles").get_data(as_text=True))
    assert "Withdrawn before it started" in listing


def test_a_last_day_typed_today_keeps_the_role_until_tomorrow(browser, signed_in) -> None:
    signed_in("admin")
    boss = factories.make_user("manager")
    designation = factories.make_role_designation("senior_manager", boss, starts_on=local_date() - dt.timedelta(days=3))
    response = browser.submit(f"/console/roles/{designation.id}/end", {"ends_on": local_date().isoformat()})
    assert response.status_code == 302
    assert [user.id for user in roles.senior_managers()] == [boss.id]
    assert roles.senior_managers(local_date() + dt.timedelta(days=1)) == []


def test_ending_a_designation_of_someone_no_longer_a_manager_is_allowed(browser, signed_in) -> None:
    from backend.accounts.models import UserRole

    signed_in("admin")
    boss = factories.make_user("manager")
    designation = factories.make_role_designation("senior_manager", boss, starts_on=local_date() - dt.timedelta(days=3))
    UserRole.update(role="staff").where(UserRole.user == boss.id).execute()
    response = browser.submit(f"/console/roles/{designation.id}/end", {"end_now": "1"})
    assert response.status_code == 302
