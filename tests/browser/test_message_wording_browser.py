"""Message wording in every language, in headless Chromium: a manager changes the English wording of a message,
finds every other language waiting for review, reviews one from the list in English and another in Welsh,
all from the keyboard with scripts off; axe checks each page in a script-enabled copy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import sign_in_page
from tests.browser.test_console_cases_browser import assert_accessible_copy
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PASSWORD = "a reviewer's long password"  # a test account on a throwaway server
# A message no other browser test reads, so changing its English wording disturbs nothing else.
EVENT, CHANNEL = "survey.reminder_due", "letter"
REVIEWS = "/console/templates/reviews"


def press_enter_on(target: Any) -> None:
    """Move focus to a control and press Enter, waiting for the page that answers."""
    target.focus()
    with target.page.expect_navigation():
        target.page.keyboard.press("Enter")


def review_button(page: Any, locale: str) -> Any:
    """The review button of one language's row; found by where it sends, so it is the same in every language."""
    return page.locator(f'main form[action$="/templates/{EVENT}/{CHANNEL}/{locale}/review"] button')


def test_english_change_asks_for_review_and_reviews_clear_it_in_english_and_welsh(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    _url, environ = live_server
    email = "wording.reviewer@example.org"
    run_cli(
        environ,
        "users",
        "create",
        "--email",
        email,
        "--name",
        "Wyn Reviewer",
        "--role",
        "manager",
        "--password",
        PASSWORD,
    )
    page = new_page(javascript=False)
    sign_in_page(page, email, PASSWORD)

    page.goto(f"/console/templates/{EVENT}/{CHANNEL}/en")
    body = page.get_by_label("Message", exact=True)
    body.fill(body.input_value() + "\n\nThank you for helping us improve.")
    press_enter_on(page.locator("main").get_by_role("button", name="Save", exact=True))
    assert "The wording has been saved." in page.locator(".flashes").inner_text()

    page.goto("/console/templates")
    cell = page.get_by_role("link", name=f"{EVENT}, Letter, Cymraeg")
    assert "review the translation" in cell.inner_text() and cell.inner_text().startswith("English changed on")
    notice = page.get_by_role("region", name="Translations to review")
    press_enter_on(notice.get_by_role("link", name="See the translations to review"))
    assert page.url.endswith(REVIEWS)
    assert review_button(page, "cy").count() == 1 and review_button(page, "pl").count() == 1
    assert_accessible_copy(new_page, page)

    press_enter_on(review_button(page, "cy"))
    assert page.url.endswith(REVIEWS)
    assert "Cymraeg wording is marked as reviewed" in page.locator(".flashes").inner_text()
    assert review_button(page, "cy").count() == 0 and review_button(page, "pl").count() == 1

    with page.expect_navigation():
        page.locator("header").get_by_role("button", name="Cymraeg").click()
    assert page.locator("html").get_attribute("lang") == "cy" and page.url.endswith(REVIEWS)
    assert_accessible_copy(new_page, page)
    page.goto(f"/console/templates/{EVENT}/{CHANNEL}/pl")
    assert page.locator("#review h2").count() == 1
    assert page.locator("details[open] [lang=en]").inner_text().strip().endswith("Thank you for helping us improve.")
    assert_accessible_copy(new_page, page)
    press_enter_on(page.locator('main button[value="review"]'))
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.locator("#review").count() == 0
    page.goto(REVIEWS)
    assert review_button(page, "pl").count() == 0 and review_button(page, "ar").count() == 1
    page.goto("/console/templates")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert_accessible_copy(new_page, page)
