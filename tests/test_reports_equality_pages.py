"""The equality and signals pages: the resident's answers at /account, the contact page that never shows them, and
the console's report pages and who may open them."""

from __future__ import annotations

import io
from typing import Any

from backend.reports.models import EqualityProfile, SignalCount
from tests.factories import make_contact, make_equality_profile, make_service_area


def test_the_account_page_offers_the_equality_questions(browser: Any, signed_in: Any) -> None:
    signed_in("resident")
    page = browser.client.get("/account").get_data(as_text=True)
    assert 'id="equality-heading"' in page and "You have not given any answers." in page


def test_a_resident_saves_with_consent_and_withdraws(browser: Any, signed_in: Any) -> None:
    user = signed_in("resident")
    refused = browser.submit("/account/equality", {"sex": "male"})
    assert refused.status_code == 400 and EqualityProfile.select().count() == 0
    saved = browser.submit("/account/equality", {"sex": "male", "religion": "jewish", "consent": "y"})
    assert saved.status_code == 302
    assert (EqualityProfile.get(EqualityProfile.user == user.id).religion) == "jewish"
    page = browser.client.get("/account/equality").get_data(as_text=True)
    assert '<option selected value="jewish">' in page
    withdrawn = browser.submit("/account/equality/withdraw", {}, page="/account/equality")
    assert withdrawn.status_code == 302 and EqualityProfile.select().count() == 0


def test_staff_do_not_get_the_residents_equality_page(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    assert browser.client.get("/account/equality").status_code == 404


def test_the_contact_page_says_recorded_and_never_the_answers(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    contact = make_contact()
    make_equality_profile(user=contact.resident, religion="buddhist", ethnic_group="white_roma")
    page = browser.client.get(f"/console/contacts/{contact.id}").get_data(as_text=True)
    assert "Recorded, with consent given on the portal" in page
    form = browser.client.get(f"/console/contacts/{contact.id}/equality").get_data(as_text=True)
    for shown in (page, form):
        assert 'value="buddhist" selected' not in shown and '<option selected value="buddhist">' not in shown
        assert '<option selected value="white_roma">' not in shown


def test_staff_record_on_a_contact_through_the_page(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    contact = make_contact()
    response = browser.submit(
        f"/console/contacts/{contact.id}/equality",
        {"consent_given_by": "resident", "consent_method": "verbal", "consent_given_on": "2025-05-01", "sex": "female"},
    )
    assert response.status_code == 302
    assert EqualityProfile.get(EqualityProfile.user == contact.resident_id).sex == "female"


def test_the_breakdowns_page_shows_a_table_per_dimension_and_refuses_a_bad_period(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    page = browser.client.get("/console/reports/equality?period=2025/26")
    assert page.status_code == 200 and page.get_data(as_text=True).count("<caption") == 13
    assert browser.client.get("/console/reports/equality?period=someday").status_code == 400


def test_residents_cannot_open_the_console_reports(browser: Any, signed_in: Any) -> None:
    signed_in("resident")
    for path in ("/console/reports/equality", "/console/reports/signals", "/console/reports/signals/import"):
        assert browser.client.get(path).status_code == 403


def test_only_managers_open_the_import(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    assert browser.client.get("/console/reports/signals").status_code == 200
    assert browser.client.get("/console/reports/signals/import").status_code == 403


def upload(browser: Any, text: str) -> Any:
    data = {"file": (io.BytesIO(text.encode()), "signals.csv"), "source": "Legal team log"}
    return browser.submit("/console/reports/signals/import", data, content_type="multipart/form-data")


def test_an_import_with_bad_rows_lists_them_and_a_good_one_saves(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    make_service_area("Repairs")
    bad = upload(browser, "month,service_area,kind,count\n2025-04,Repairs,damp_mould,x\n2025-13,Repairs,disrepair,1\n")
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400 and SignalCount.select().count() == 0
    assert "Row 2: the count must be a whole number" in page and "Row 3: give the month" in page
    good = upload(browser, "month,service_area,kind,count\n2025-04,Repairs,damp_mould,4\n")
    assert good.status_code == 302 and SignalCount.get().count == 4
