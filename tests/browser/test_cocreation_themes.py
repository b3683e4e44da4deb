"""Published themes in headless Chromium with scripts off (axe, which needs scripts, runs on a copy of each page that
shares its cookies): a visitor reads the demo's themes and a theme's quotes in
English, Welsh and Arabic (right to left), at 320px too; a resident suggests a theme, first with a title too long,
then as it should be; staff decline a suggestion with a reason and a manager sees the themes' readiness. axe checks
every page on the way."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import sign_in_page
from tests.browser.test_console_cases_browser import assert_accessible_copy
from tests.browser.test_pages import assert_accessible
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PASSWORD = "theme suggester passphrase"  # a throwaway test account
SLOW_MS = 30_000
LANGUAGE_BUTTONS = {"cy": "Cymraeg", "ar": "العربية"}
#: The demo's first theme's name for residents, and its approved quote, in each language read here.
DEMO_NAMES = {"en": "Repair appointments", "cy": "Apwyntiadau atgyweirio", "ar": "مواعيد الإصلاح"}
DEMO_QUOTES = {
    "en": "I took a day off work for the repair and nobody came or rang.",
    "cy": "Cymerais ddiwrnod i ffwrdd o'r gwaith a ddaeth neb, a ffoniodd neb chwaith.",
    # No Arabic quote: the English one is shown, marked as English.
    "ar": "I took a day off work for the repair and nobody came or rang.",
}


def choose_language(page: Any, language: str) -> None:
    if language == "en":
        return
    with page.expect_navigation():
        page.locator("header").get_by_role("button", name=LANGUAGE_BUTTONS[language]).click()
    assert page.locator("html").get_attribute("lang") == language


def assert_error_page_accessible(new_page: NewPage, page: Any) -> None:
    """Send the suggestion form with a title too long from a script-enabled copy, and run axe on the answer."""
    copy = new_page(storage_state=page.context.storage_state())
    copy.goto("/themes/suggest")
    copy.locator("main").get_by_label("What should the theme be called?").fill("Lifts " * 30)
    with copy.expect_navigation():
        copy.locator("main").get_by_role("button", name="Send the suggestion").click()
    assert copy.locator(".error-summary").is_visible()
    assert_accessible(copy)


@pytest.mark.parametrize("language", ["en", "cy", "ar"])
def test_visitor_reads_the_themes_and_a_themes_quotes(new_page: NewPage, language: str) -> None:
    page = new_page(javascript=False)
    page.goto("/themes")
    choose_language(page, language)
    assert page.get_by_role("heading", level=1).is_visible()
    assert_accessible_copy(new_page, page)
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=DEMO_NAMES[language]).click()
    quote = page.locator("main blockquote").first
    assert quote.inner_text().strip() == DEMO_QUOTES[language]
    if language == "ar":
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert quote.get_attribute("lang") == "en"
    assert_accessible_copy(new_page, page)


def test_themes_fit_a_320px_screen(new_page: NewPage) -> None:
    page = new_page(viewport={"width": 320, "height": 640})
    page.goto("/themes")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=DEMO_NAMES["en"]).click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)


def test_resident_suggests_a_theme_after_a_mistake(new_page: NewPage, live_server: tuple[str, dict[str, str]]) -> None:
    email = f"theme.suggester.{uuid.uuid4().hex[:8]}@example.org"
    run_cli(live_server[1], "users", "create", "--email", email, "--name", "Theme Suggester", "--role", "resident",
            "--password", PASSWORD)  # fmt: skip
    page = new_page(javascript=False)
    page.context.set_default_timeout(SLOW_MS)
    sign_in_page(page, email, PASSWORD)
    page.goto("/themes/suggest")
    assert_accessible_copy(new_page, page)
    main = page.locator("main")
    main.get_by_label("What should the theme be called?").fill("Lifts " * 30)
    main.get_by_label("Why does it matter? (optional)").fill("The lifts in the tower block break every month.")
    with page.expect_navigation():
        main.get_by_role("button", name="Send the suggestion").click()
    assert page.locator(".error-summary").is_visible()
    assert main.locator("#title-error").is_visible()
    assert main.get_by_label("Why does it matter? (optional)").input_value() == (
        "The lifts in the tower block break every month."
    )
    assert_error_page_accessible(new_page, page)
    main.get_by_label("What should the theme be called?").fill("Lifts that work")
    with page.expect_navigation():
        main.get_by_role("button", name="Send the suggestion").click()
    assert page.locator(".error-summary").count() == 0
    assert main.get_by_role("heading", name="Lifts that work").is_visible()
    assert main.get_by_text("Waiting for a reply").first.is_visible()
    assert_accessible_copy(new_page, page)


def test_staff_decline_a_suggestion_and_a_manager_sees_readiness(new_page: NewPage) -> None:
    page = new_page(javascript=False)
    page.context.set_default_timeout(SLOW_MS)
    sign_in_page(page, "staff@example.org")
    page.goto("/console/co-creation/suggestions")
    assert_accessible_copy(new_page, page)
    section = page.locator("main section", has=page.get_by_role("heading", name="Communal gardens"))
    with page.expect_navigation():
        section.get_by_role("button").click()  # nothing chosen, no reason
    assert page.locator(".error-summary").first.is_visible()
    section = page.locator("main section", has=page.get_by_role("heading", name="Communal gardens"))
    section.get_by_label("Decline it").check()
    section.get_by_label("Reason").fill("The gardens are already part of the grounds maintenance theme.")
    with page.expect_navigation():
        section.get_by_role("button").click()
    assert page.get_by_role("heading", name="Communal gardens").count() == 0
    assert page.locator("main table").get_by_text("The gardens are already part").is_visible()
    assert_accessible_copy(new_page, page)
    manager = new_page(javascript=False)
    manager.context.set_default_timeout(SLOW_MS)
    sign_in_page(manager, "manager@example.org")
    manager.goto("/console/co-creation/themes")
    assert manager.locator("main").get_by_role("button", name="Unpublish Repairs appointments").is_visible()
    assert_accessible_copy(new_page, manager)
