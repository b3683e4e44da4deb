"""Complaint settings that can't break the law, and closure days that only warn, in headless Chromium.

An admin tries to give the Code's stage 1 more days than the Code allows and is refused with the maximum named
next to the field and in the error summary, keeping what they typed; a closure day added for today leaves every
deadline where it was and warns staff on the case page and in the queue. Each page runs in English and Welsh
and is checked with axe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import ACCOUNTS, sign_in_page
from tests.browser.test_pages import assert_accessible

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
SETTINGS = "/console/complaint-settings"


LANGUAGES = {"en": "English", "cy": "Cymraeg"}


def choose_language(page: Any, language: str) -> None:
    """Switch the page (and the signed-in account, which remembers it) to ``language``."""
    if page.locator("html").get_attribute("lang") != language:
        with page.expect_navigation():
            page.locator("header").get_by_role("button", name=LANGUAGES[language]).click()
    assert page.locator("html").get_attribute("lang") == language


def signed_in_admin(new_page: NewPage, language: str) -> Any:
    page = new_page()
    sign_in_page(page, ACCOUNTS["admin"])
    page.goto(SETTINGS)
    choose_language(page, language)
    return page


def submit_form(page: Any, field: str = "#respond_days") -> Any:
    """Send the form that holds ``field`` (the stage page has a leaflet form too)."""
    with page.expect_navigation() as navigation:
        page.locator(f"main form:has({field}) button[type=submit]").click()
    return navigation.value


@pytest.mark.parametrize("language", ["en", "cy"])
def test_stage_form_refuses_a_timescale_beyond_the_codes_maximum(new_page: NewPage, language: str) -> None:
    page = signed_in_admin(new_page, language)
    # The Housing Ombudsman's Code comes first, and its stage 1 first within it.
    with page.expect_navigation():
        page.locator(f"a[href*='{SETTINGS}/stages/']").first.click()
    page.locator("#respond_days").fill("60")
    response = submit_form(page)
    assert response.status == 400
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert "10" in summary.inner_text()
    assert "10" in page.locator("#respond_days-error").inner_text()
    assert page.locator("#respond_days").input_value() == "60"
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)
    choose_language(page, "en")


def test_closure_day_warns_on_the_case_page_and_queue_in_english_and_welsh(new_page: NewPage) -> None:
    page = signed_in_admin(new_page, "en")
    today = dt.date.today().isoformat()
    form = page.locator("form[action$='/closure-days']")
    form.locator("#closure-day").fill(today)
    form.locator("#closure-name").fill("Staff training day")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "Staff training day" in page.locator("main").inner_text()
    for view in ("at_risk", "awaiting", "stage2"):
        page.goto(f"/console/complaints?view={view}")
        warned = page.locator("tr:has(.closure-warning)").first
        if warned.count():
            break
    assert warned.count() == 1, "no running complaint is due on or after today in the demo data"
    assert_accessible(page)
    due_before = warned.locator("td").last.inner_text()
    with page.expect_navigation():
        warned.locator("a").first.click()
    warning = page.locator(".closure-warnings")
    assert warning.is_visible()
    assert "still due on" in warning.inner_text()
    assert due_before.split("\n")[0].strip() in page.locator("main").inner_text()
    assert_accessible(page)
    choose_language(page, "cy")
    assert page.locator(".closure-warnings").is_visible()
    assert_accessible(page)
    choose_language(page, "en")
