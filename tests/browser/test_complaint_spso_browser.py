"""The SPSO's own steps in headless Chromium, in English and Welsh: staff log a complex complaint about a home in
Scotland and move it straight to stage 2 (investigation); the handler acknowledges and answers it, and the answer
waits; a manager reads it on its own page, confirms and signs it off, which issues it and closes the complaint.
Axe checks every page. Fields are found by their ids, which are the same in every language."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import ACCOUNTS, sign_in_page
from tests.browser.test_complaint_regimes_browser import choose_language
from tests.browser.test_console_cases_browser import press
from tests.browser.test_pages import assert_accessible

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]


def patient(page: Any) -> Any:
    """Give the page longer than the usual 5s: signing in hashes a password, which is slow on a busy machine."""
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(30_000)
    return page


def send(page: Any, selector: str) -> Any:
    """Focus the button and press Enter, as a keyboard user would; return the page's answer."""
    button = page.locator(selector)
    button.focus()
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    return navigation.value


def log_scottish_complaint(page: Any, words: str) -> str:
    """Log a phone complaint from someone without an account about a home in Scotland; return its case path."""
    page.goto("/console/contacts/new")
    form = page.locator("main form")
    form.get_by_role("group", name="Who is it from?").get_by_label("Someone without an account").check()
    form.get_by_label("Name", exact=True).fill("Morag Campbell")
    form.get_by_role("group", name="How did it reach us?").get_by_label("Phone", exact=True).check()
    form.get_by_label("What they told us, in their own words").fill(words)
    form.get_by_label("They want to make a complaint").check()
    page.get_by_label("Nation of the home").select_option(label="Scotland")
    press(form, "Log the contact")
    assert re.search(r"/console/contacts/\d+$", page.url), page.url
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(r"^Go to complaint LL-")).click()
    return re.sub(r"^https?://[^/]+", "", page.url)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_spso_complaint_opens_at_investigation_and_a_manager_signs_off_its_answer(
    new_page: NewPage, language: str
) -> None:
    manager, staff = patient(new_page()), patient(new_page())
    sign_in_page(manager, ACCOUNTS["manager"])
    sign_in_page(staff, ACCOUNTS["staff"])
    case = log_scottish_complaint(staff, f"Damp, repairs and rent all went wrong at once ({language}).")
    try:
        choose_language(staff, language)
        assert_accessible(staff)

        # Straight to investigation, from its own page.
        with staff.expect_navigation():
            staff.locator("main a[href$='/investigation']").click()
        assert_accessible(staff)
        refused = send(staff, "main form button[type=submit]")
        assert refused.status == 400 and staff.locator(".error-summary").is_visible()
        assert_accessible(staff)
        staff.locator("#reason").fill("Three services are involved: it needs a full investigation.")
        send(staff, "main form button[type=submit]")
        # It can't be undone, so the page asks again, saying what will happen, before it moves the complaint.
        assert staff.locator("main button[name=confirmed]").is_visible()
        assert_accessible(staff)
        send(staff, "main button[name=confirmed]")
        assert staff.url.endswith(case)
        assert staff.locator(".flashes").is_visible()
        assert "2" in staff.locator("dl.summary").first.inner_text()
        assert_accessible(staff)

        # The handler defines it and answers, each on its own page; the answer waits for a manager.
        staff.goto(f"{case}/acknowledge")
        assert_accessible(staff)
        staff.locator("#acknowledge-point_1").fill("Damp in the bedroom was not treated")
        staff.locator("#acknowledge-outcome_1").fill("Treat the damp")
        staff.locator("#acknowledge-outcomes_sought").fill("The damp treated and an apology")
        send(staff, "#step-acknowledge button[type=submit]")
        assert_accessible(staff)
        staff.goto(f"{case}/respond")
        staff.locator("#step-respond input[type=radio][value=not_upheld]").first.check()
        staff.locator("#step-respond textarea[name^='respond-decision_reasons_']").first.fill("It was treated in May.")
        staff.locator("#respond-reasons").fill("Our surveyor treated the damp on 12 May; the records show it.")
        staff.locator("#respond-underlying_cause").fill("The treatment was not recorded on the repair.")
        staff.locator("#respond-remedial_action").fill("Surveyors now record treatments on the repair.")
        send(staff, "#step-respond button[type=submit]:not([name=preview])")
        waiting = {"en": "sign-off", "cy": "gymeradwyo"}[language]  # the notice, in the page's language
        assert waiting in staff.locator(".flashes").inner_text()
        assert staff.locator("main a[href$='/sign-off']").count() == 0  # staff don't sign off
        assert_accessible(staff)

        # A manager reads it on its own page, confirms, and signs it off.
        choose_language(manager, language)
        manager.goto(case)
        with manager.expect_navigation():
            manager.locator("main a[href$='/sign-off']").click()
        assert "Our surveyor treated the damp on 12 May" in manager.locator("main").inner_text()
        assert_accessible(manager)
        unconfirmed = send(manager, "form:has(input[value=sign]) button[type=submit]")
        assert unconfirmed.status == 400 and manager.locator("#sign-error-summary").is_visible()
        assert_accessible(manager)
        manager.locator("#sign-confirm").check()
        send(manager, "form:has(input[value=sign]) button[type=submit]")
        assert manager.url.endswith(case)
        assert manager.locator("main a[href$='/sign-off']").count() == 0
        assert_accessible(manager)
    finally:
        choose_language(staff, "en")
        choose_language(manager, "en")


def test_contractor_service_request_and_offer_check_pages_pass_axe(new_page: NewPage) -> None:
    manager = patient(new_page())
    sign_in_page(manager, ACCOUNTS["manager"])
    for path in ("/console/service-requests", "/console/offer-checks", "/console/complaint-settings"):
        assert manager.goto(path).status == 200, path
        assert_accessible(manager)
    assert "contractor-form-heading" in manager.content()
    manager.goto("/console/complaints?view=open")
    with manager.expect_navigation():
        manager.locator("main table a[href*='/console/complaints/']").first.click()
    with manager.expect_navigation():
        manager.locator("main a[href$='/contractor']").click()
    assert_accessible(manager)
    send(manager, "main form button[type=submit]")
    assert manager.locator(".flashes").is_visible()
