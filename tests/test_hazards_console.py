"""The console's hazard and named-role pages: each action on its own page, confirmations where it can't be undone."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from backend.complaints import hazards
from backend.complaints.models import Hazard, HazardDismissal, RoleDesignation
from tests import factories
from tests.factories import actor_of

RECEIVED = dt.datetime(2026, 3, 2, 10, 0)


@pytest.fixture
def contact(clock_at):
    clock_at(RECEIVED + dt.timedelta(hours=1))
    return factories.make_contact(description="Black mould in the bedroom again.", received_at=RECEIVED)


def test_contact_page_shows_the_suggestion_and_the_way_to_flag(browser, signed_in, contact) -> None:
    signed_in("staff")
    page = browser.client.get(f"/console/contacts/{contact.id}").get_data(as_text=True)
    assert "The resident's words suggest a hazard" in page and "Damp and mould (mould)" in page
    assert f"/console/contacts/{contact.id}/hazards/new" in page


def test_complaint_page_links_to_flagging(browser, signed_in, clock_at) -> None:
    clock_at(RECEIVED)
    complaint = factories.make_complaint(description="The boiler smells of gas.")
    signed_in("staff")
    page = browser.client.get(f"/console/complaints/{complaint.id}").get_data(as_text=True)
    assert f"/console/contacts/{complaint.contact_id}/hazards/new" in page  # type: ignore[attr-defined]


def test_confirmed_suggestion_is_flagged_after_a_confirmation(browser, signed_in, contact) -> None:
    signed_in("staff")
    url = f"/console/contacts/{contact.id}/hazards/new"
    page = browser.client.get(url + "?kind=damp_mould").get_data(as_text=True)
    assert 'value="mould"' in page
    data = {"kind": "damp_mould", "severity": "significant", "description": "Bedroom", "keywords": "mould"}
    asked = browser.submit(url, data)
    assert asked.status_code == 200 and "Check before you flag it" in asked.get_data(as_text=True)
    assert Hazard.select().count() == 0
    done = browser.submit(url, {**data, "confirmed": "yes"})
    assert done.status_code == 302
    hazard = Hazard.get()
    assert done.headers["Location"].endswith(f"/console/hazards/{hazard.id}")
    assert hazard.keywords == ["mould"] and hazard.severity == "significant"
    page = browser.client.get(f"/console/hazards/{hazard.id}").get_data(as_text=True)
    assert "Every manager: nobody holds the senior lead role" in page and "Investigate" in page
    # The notice says who was really told: nobody holds the role, so every manager.
    assert "Nobody holds the senior lead role, so every manager has been told" in html.unescape(page)


def test_flag_without_kind_or_severity_shows_both_errors(browser, signed_in, contact) -> None:
    signed_in("staff")
    response = browser.submit(f"/console/contacts/{contact.id}/hazards/new", {"confirmed": "yes"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose the kind." in page and "Choose whether it is an emergency or a significant hazard." in page
    assert Hazard.select().count() == 0


def test_dismiss_a_suggestion_needs_a_reason(browser, signed_in, contact) -> None:
    signed_in("staff")
    url = f"/console/contacts/{contact.id}/hazards/dismiss?kind=damp_mould"
    assert browser.client.get(url).status_code == 200
    refused = browser.submit(url, {"kind": "damp_mould", "reason": ""})
    assert refused.status_code == 400 and HazardDismissal.select().count() == 0
    done = browser.submit(url, {"kind": "damp_mould", "reason": "The resident meant a mould-green carpet."})
    assert done.status_code == 302 and HazardDismissal.get().kind == "damp_mould"
    assert browser.client.get(url).status_code == 404  # no longer suggested


def test_close_without_made_safe_date_names_every_missing_part(browser, signed_in, contact) -> None:
    signed_in("staff")
    hazard = hazards.flag_hazard(actor_of(factories.make_staff()), contact.id, "damp_mould", "significant")
    response = browser.submit(f"/console/hazards/{hazard.id}/close", {"note": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "the date the home was made safe" in page and "when the written summary was sent" in page
    assert Hazard.get_by_id(hazard.id).status == "open"


def test_record_then_close_with_confirmation(browser, signed_in, contact, clock_at) -> None:
    signed_in("staff")
    hazard = hazards.flag_hazard(actor_of(factories.make_staff()), contact.id, "gas_electrical", "emergency")
    clock_at(RECEIVED + dt.timedelta(hours=6))
    recorded = browser.submit(
        f"/console/hazards/{hazard.id}/record",
        {
            "concluded_date": "2026-03-02",
            "concluded_time": "11:00",
            "findings": "Loose wiring at the fuse box.",
            "safe_date": "2026-03-02",
            "safe_time": "12:00",
        },
    )
    assert recorded.status_code == 302, recorded.get_data(as_text=True)
    url = f"/console/hazards/{hazard.id}/close"
    asked = browser.submit(url, {"note": "Fuse box replaced."})
    assert "Yes, close the hazard" in asked.get_data(as_text=True)
    assert Hazard.get_by_id(hazard.id).status == "open"
    done = browser.submit(url, {"note": "Fuse box replaced.", "confirmed": "yes"})
    assert done.status_code == 302 and Hazard.get_by_id(hazard.id).status == "closed"


def test_record_in_the_future_is_refused_on_its_field(browser, signed_in, contact) -> None:
    signed_in("staff")
    hazard = hazards.flag_hazard(actor_of(factories.make_staff()), contact.id, "gas_electrical", "emergency")
    response = browser.submit(f"/console/hazards/{hazard.id}/record", {"safe_date": "2026-03-09", "safe_time": "10:00"})
    assert response.status_code == 400 and "This can&#39;t be in the future." in response.get_data(as_text=True)


def test_queue_lists_open_hazards_with_their_deadline(browser, signed_in, contact) -> None:
    signed_in("staff")
    hazards.flag_hazard(actor_of(factories.make_staff()), contact.id, "damp_mould", "significant")
    page = browser.client.get("/console/hazards").get_data(as_text=True)
    assert contact.reference in page and "Damp and mould" in page and "1 open in all." in page
    assert contact.reference not in browser.client.get("/console/hazards?status=closed").get_data(as_text=True)


def test_queue_refuses_residents(browser, signed_in) -> None:
    signed_in("resident")
    assert browser.client.get("/console/hazards").status_code in (302, 403, 404)


def test_admin_names_a_senior_lead(browser, signed_in) -> None:
    signed_in("admin")
    lead = factories.make_user("manager")
    response = browser.submit(
        "/console/roles", {"role": "senior_lead", "person": str(lead.id), "starts_on": "2026-01-01", "note": "Board"}
    )
    assert response.status_code == 302
    designation = RoleDesignation.get()
    assert designation.person_id == lead.id  # type: ignore[attr-defined]
    ended = browser.submit(f"/console/roles/{designation.id}/end", {"ends_on": "2025-12-01"})
    assert ended.status_code == 400 and "The end date can&#39;t be before the start date." in ended.get_data(
        as_text=True
    )
    assert RoleDesignation.get_by_id(designation.id).ends_on is None


def test_staff_cannot_open_named_roles(browser, signed_in) -> None:
    signed_in("staff")
    assert browser.client.get("/console/roles").status_code == 403
