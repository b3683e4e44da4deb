"""The "you said, we did" pages in headless Chromium: anyone reads the demo's published changes in English, Welsh
and Arabic (right to left), without scripts and at 320px wide; a manager records a change in the console, links a
theme, publishes it and moves it. axe checks every page on the way."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import sign_in_page
from tests.browser.test_pages import assert_accessible

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
LANGUAGES = {"en": "English", "cy": "Cymraeg", "ar": "العربية"}
IN_PROGRESS = {"en": "In progress, 60%", "cy": "Ar y gweill, 60%", "ar": "60%"}


def choose_language(page: Any, language: str) -> None:
    if page.locator("html").get_attribute("lang") != language:
        with page.expect_navigation():
            page.locator("header").get_by_role("button", name=LANGUAGES[language]).click()
    assert page.locator("html").get_attribute("lang") == language


def fits(page: Any, width: int = 320) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def check_accessible(new_page: NewPage, page: Any, **options: Any) -> None:
    """axe needs scripts: check the page a script-free reader has, in a copy with scripts on (same session)."""
    copy = new_page(storage_state=page.context.storage_state(), **options)
    copy.goto(page.url)
    assert_accessible(copy)
    copy.close()


@pytest.mark.parametrize("language", ["en", "cy", "ar"])
def test_anyone_reads_the_changes_at_320px_without_scripts(new_page: NewPage, language: str) -> None:
    page = new_page(javascript=False, viewport={"width": 320, "height": 640})
    page.goto("/changes")
    choose_language(page, language)
    assert page.locator(".change-list > li").count() >= 3
    check_accessible(new_page, page, viewport={"width": 320, "height": 640})
    fits(page)
    in_progress = page.locator(".change-list > li").filter(has_text=IN_PROGRESS[language]).first
    with page.expect_navigation():
        in_progress.get_by_role("link").first.click()
    assert re.search(r"/changes/CH-\d{4}-\d+$", page.url)
    main = page.locator("main")
    assert IN_PROGRESS[language] in main.inner_text()
    assert main.locator("progress").get_attribute("value") == "60"
    assert main.locator("a[href^='/themes/']").count() >= 1
    check_accessible(new_page, page, viewport={"width": 320, "height": 640})
    fits(page)
    if language == "ar":  # the page is right to left, and the English fallback says it is English
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert main.locator("[lang='en']").count() >= 1


def test_the_print_view_is_accessible(new_page: NewPage) -> None:
    page = new_page(javascript=False)
    page.goto("/changes")
    with page.expect_navigation():
        page.locator(".change-list > li").first.get_by_role("link").first.click()
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Print this change").click()
    assert page.locator("header.site-header").count() == 0
    check_accessible(new_page, page)


def test_filtering_by_status_without_scripts(new_page: NewPage) -> None:
    page = new_page(javascript=False)
    page.goto("/changes")
    page.get_by_label("Status").select_option("implemented")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Show changes").click()
    assert "status=implemented" in page.url
    assert page.locator(".change-list > li").count() >= 1
    assert "Implemented by the landlord, 100%" in page.locator("main").inner_text()
    check_accessible(new_page, page)


def test_manager_records_publishes_and_moves_a_change(new_page: NewPage) -> None:
    page = new_page()
    sign_in_page(page, "manager@example.org")
    page.goto("/console/co-creation/changes")
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Record a change").click()
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Record the change").click()
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("Title in English").fill("Bins collected on the same day each week")
    page.get_by_label("Title in Cymraeg").fill("Casglu biniau ar yr un diwrnod bob wythnos")
    page.get_by_label("What changed, in English").fill("Bins are now collected on one fixed day.")
    page.get_by_label("Why, in English").fill("You told us collection days kept changing.")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Record the change").click()
    assert re.search(r"/console/co-creation/changes/\d+$", page.url)
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Link themes, lessons, actions and contacts").click()
    page.get_by_label("Keeping residents informed").check()
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Save the links").click()
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Publish the change").click()
    assert "Published" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Move the status or percentage").click()
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_label("How far along, in per cent").fill("25")
    page.get_by_label("Note for the public in English").fill("The new rounds start next month.")
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Move the change").click()
    assert "In progress, 25%" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Public page").click()
    assert "The new rounds start next month." in page.locator("main").inner_text()
    assert_accessible(page)
