"""The console's subject access pages: only administrators and the DPO see them; each step works without scripts."""

from __future__ import annotations

import datetime as dt
import html
import io
import zipfile
from typing import Any

import pytest

from backend.privacy import access
from backend.privacy.models import SubjectAccessRequest
from backend.timeutil import local_date
from tests import factories


def _page(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def _name_dpo(person: Any) -> None:
    factories.make_role_designation("dpo", person, starts_on=local_date() - dt.timedelta(days=1))


@pytest.mark.parametrize("role", ["resident", "staff", "manager", "panel_member"])
def test_others_get_not_found_for_the_list_and_for_a_request(browser: Any, signed_in: Any, role: str) -> None:
    admin = factories.make_user("admin")
    request = access.log_request(factories.actor_of(admin), factories.make_user().id)
    signed_in(role)
    for url in (
        "/console/privacy",
        f"/console/privacy/{request.id}",
        "/console/privacy/999999",
        "/console/privacy/new",
    ):
        assert browser.client.get(url).status_code == 404, url
    assert browser.client.get(f"/console/privacy/{request.id}/export.zip").status_code == 404


def test_an_id_longer_than_any_row_id_is_not_there_rather_than_an_error(browser: Any, signed_in: Any) -> None:
    signed_in("admin")
    huge = "9" * 23
    for url in (f"/console/privacy/{huge}", f"/console/privacy/{huge}/export.zip", f"/console/complaints/{huge}"):
        assert browser.client.get(url).status_code == 404, url
    lift = browser.submit(f"/console/privacy/holds/{huge}/lift", {}, page="/console/privacy/holds")
    assert lift.status_code == 404


def test_admin_logs_a_request_for_a_person_found_by_email(browser: Any, signed_in: Any) -> None:
    signed_in("admin")
    person = factories.make_user(email="sara.asker@example.org", home=factories.make_home())
    found = browser.client.get("/console/privacy/new?q=sara.asker")
    assert "sara.asker@example.org" in _page(found)
    response = browser.submit(
        "/console/privacy/new?q=sara.asker",
        {"person_id": str(person.id), "received_on": local_date().isoformat(), "channel": "email"},
    )
    assert response.status_code == 302, _page(response)
    request = SubjectAccessRequest.get(SubjectAccessRequest.person == person.id)
    listing = _page(browser.client.get("/console/privacy"))
    assert f"#{request.id}" in listing and request.due_on.isoformat() in listing


def test_a_future_day_received_is_refused_with_a_clear_error(browser: Any, signed_in: Any) -> None:
    signed_in("admin")
    person = factories.make_user(email="future.asker@example.org")
    tomorrow = (local_date() + dt.timedelta(days=2)).isoformat()
    response = browser.submit(
        "/console/privacy/new?q=future.asker", {"person_id": str(person.id), "received_on": tomorrow}
    )
    assert response.status_code == 400
    assert "cannot be in the future" in _page(response)
    assert not SubjectAccessRequest.select().exists()


def test_overdue_request_shows_a_badge(browser: Any, signed_in: Any) -> None:
    admin = signed_in("admin")
    request = access.log_request(factories.actor_of(admin), factories.make_user().id)
    SubjectAccessRequest.update(due_on=local_date() - dt.timedelta(days=3)).where(
        SubjectAccessRequest.id == request.id
    ).execute()
    assert "Overdue by 3 days" in _page(browser.client.get("/console/privacy"))


def test_compile_review_and_release_through_the_pages(browser: Any, signed_in: Any, client: Any) -> None:
    admin = factories.make_user("admin")
    dpo = factories.make_staff()
    _name_dpo(dpo)
    request = access.log_request(factories.actor_of(admin), factories.make_user().id)
    browser.sign_in(admin.email)
    compiled = browser.submit(f"/console/privacy/{request.id}/compile", {"third_parties": "Dave Brennan"})
    assert compiled.status_code == 302, _page(compiled)
    # The person who compiled is not the DPO, and only the DPO sees the review step.
    assert "Review the export" not in _page(browser.client.get(f"/console/privacy/{request.id}"))
    browser.sign_out()
    browser.sign_in(dpo.email)
    page = _page(browser.client.get(f"/console/privacy/{request.id}"))
    assert "What the export holds" in page and "Review the export" in page
    download = browser.client.get(f"/console/privacy/{request.id}/export.zip")
    assert download.status_code == 200
    assert "index.html" in zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    download.close()
    reviewed = browser.submit(f"/console/privacy/{request.id}/review", {"decision": "approve"})
    assert reviewed.status_code == 302, _page(reviewed)
    released = browser.submit(f"/console/privacy/{request.id}/release", {"method": "post"})
    assert released.status_code == 302
    assert SubjectAccessRequest.get_by_id(request.id).status == "released"


def test_dpo_who_compiled_is_told_they_cannot_approve(browser: Any, signed_in: Any) -> None:
    dpo = signed_in("staff")
    _name_dpo(dpo)
    request = access.log_request(factories.actor_of(dpo), factories.make_user().id)
    access.compile_request(factories.actor_of(dpo), request.id)
    response = browser.submit(f"/console/privacy/{request.id}/review", {"decision": "approve"})
    assert response.status_code == 400
    assert "You compiled this export" in _page(response)


def test_sending_back_needs_a_reason(browser: Any, signed_in: Any) -> None:
    admin = factories.make_user("admin")
    dpo = signed_in("staff")
    _name_dpo(dpo)
    request = access.log_request(factories.actor_of(admin), factories.make_user().id)
    access.compile_request(factories.actor_of(admin), request.id)
    response = browser.submit(f"/console/privacy/{request.id}/review", {"decision": "send_back", "note": ""})
    assert response.status_code == 400 and "Give the reason." in _page(response)
    assert SubjectAccessRequest.get_by_id(request.id).status == "compiled"


def test_an_export_sent_back_can_no_longer_be_downloaded(browser: Any, signed_in: Any) -> None:
    admin = factories.make_user("admin")
    dpo = signed_in("staff")
    _name_dpo(dpo)
    request = access.log_request(factories.actor_of(admin), factories.make_user().id)
    access.compile_request(factories.actor_of(admin), request.id)
    with browser.client.get(f"/console/privacy/{request.id}/export.zip") as download:
        assert download.status_code == 200
    access.send_back_request(factories.actor_of(dpo), request.id, "A neighbour is still named.")
    assert "Download the export" not in _page(browser.client.get(f"/console/privacy/{request.id}"))
    assert browser.client.get(f"/console/privacy/{request.id}/export.zip").status_code == 404


def test_extension_past_three_months_is_refused(browser: Any, signed_in: Any) -> None:
    admin = signed_in("admin")
    request = access.log_request(factories.actor_of(admin), factories.make_user().id)
    too_late = (local_date() + dt.timedelta(days=120)).isoformat()
    response = browser.submit(
        f"/console/privacy/{request.id}/extend", {"extended_to": too_late, "reason": "Many records."}
    )
    assert response.status_code == 400 and "at most three months" in _page(response)


@pytest.mark.parametrize("day", ["07/02/2027", "2027-02-31", "soon"])
def test_an_extension_day_that_is_not_a_day_says_so(browser: Any, signed_in: Any, day: str) -> None:
    admin = signed_in("admin")
    request = access.log_request(factories.actor_of(admin), factories.make_user().id)
    response = browser.submit(f"/console/privacy/{request.id}/extend", {"extended_to": day, "reason": "Many records."})
    assert response.status_code == 400 and "Give a day that exists, as YYYY-MM-DD" in _page(response)


def test_a_second_extension_is_refused_saying_why(browser: Any, signed_in: Any) -> None:
    admin = signed_in("admin")
    request = access.log_request(factories.actor_of(admin), factories.make_user().id)
    first = (local_date() + dt.timedelta(days=45)).isoformat()
    access.extend_request(factories.actor_of(admin), request.id, dt.date.fromisoformat(first), "Many records.")
    second = (local_date() + dt.timedelta(days=60)).isoformat()
    response = browser.submit(f"/console/privacy/{request.id}/extend", {"extended_to": second, "reason": "More."})
    assert response.status_code in (400, 409) and "already extended" in _page(response)


def test_the_page_lists_cases_left_out_and_an_uncleared_dpo_cannot_download_a_restricted_case(browser: Any) -> None:
    from backend.complaints.models import Contact

    admin = factories.make_user("admin")
    cleared = factories.make_user("admin")
    dpo = factories.make_staff()
    _name_dpo(dpo)
    person = factories.make_user()
    contact = Contact.get_by_id(factories.make_complaint(person).contact_id)
    factories.make_case_access(contact, cleared)
    withheld = access.compile_request(
        factories.actor_of(admin), access.log_request(factories.actor_of(admin), person.id).id
    )
    included = access.compile_request(
        factories.actor_of(cleared), access.log_request(factories.actor_of(cleared), person.id).id
    )
    browser.sign_in(dpo.email)
    page = _page(browser.client.get(f"/console/privacy/{withheld.id}"))
    assert "Cases only a cleared handler can add" in page and contact.reference in page
    download = browser.client.get(f"/console/privacy/{withheld.id}/export.zip")
    assert download.status_code == 200
    download.close()
    assert browser.client.get(f"/console/privacy/{included.id}/export.zip").status_code == 404
