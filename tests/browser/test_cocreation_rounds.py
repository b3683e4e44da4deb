"""Priority rounds in headless Chromium against the demo: the Welsh demo resident votes in the open round in Welsh;
a resident who gives too many votes without scripts sees the problem with what they typed kept; a visitor reads the
round at 320px and in Arabic (right to left), and the counted round's results. axe checks every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from backend.cocreation.demo import OPEN_ROUND, PAST_ROUND
from tests.browser.conftest import sign_in_page
from tests.browser.test_pages import assert_accessible

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
WELSH_TITLE = "Beth ddylen ni ei drwsio gyntaf y gaeaf hwn?"


def open_round(page: Any, title: str, check: bool = True) -> None:
    """Go from the list of rounds to one; ``check`` runs axe on both (it needs scripts)."""
    page.goto("/rounds")
    if check:
        assert_accessible(page)
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=title).click()
    if check:
        assert_accessible(page)


def send(page: Any) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_the_welsh_resident_votes_in_welsh(new_page: NewPage) -> None:
    page = new_page()
    sign_in_page(page, "preswylydd@example.org")
    open_round(page, WELSH_TITLE)
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("heading", name=WELSH_TITLE).is_visible()
    inputs = page.locator("main form input[type=number], main form input[inputmode=numeric]")
    assert inputs.count() >= 2
    assert page.locator("main").get_by_label("Apwyntiadau atgyweirio").is_visible()
    inputs.nth(0).fill("2")
    inputs.nth(1).fill("1")
    send(page)
    assert_accessible(page)
    assert inputs.nth(0).input_value() == "2" and inputs.nth(1).input_value() == "1"


def test_too_many_votes_without_scripts_keep_what_was_typed(new_page: NewPage) -> None:
    page = new_page(javascript=False)
    sign_in_page(page, "resident@example.org")
    open_round(page, OPEN_ROUND, check=False)
    round_url = page.url
    inputs = page.locator("main form input[inputmode=numeric]")
    inputs.nth(0).fill("3")
    inputs.nth(1).fill("3")
    send(page)
    assert page.locator(".error-summary").is_visible()
    assert inputs.nth(0).input_value() == "3" and inputs.nth(1).input_value() == "3"
    copy = new_page(storage_state=page.context.storage_state())  # axe needs scripts: check the same form with them
    copy.goto(round_url)
    assert_accessible(copy)


def test_a_visitor_reads_a_round_at_320px_and_is_asked_to_sign_in(new_page: NewPage) -> None:
    page = new_page(viewport={"width": 320, "height": 640})
    open_round(page, OPEN_ROUND)
    assert page.locator("main").get_by_role("link", name="Sign in to vote").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_a_visitor_reads_the_counted_results_in_arabic(new_page: NewPage) -> None:
    page = new_page()
    page.goto("/rounds")
    with page.expect_navigation():
        page.locator("form.language-switcher button[value=ar]").click()
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=PAST_ROUND).click()
    assert page.locator("main table").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert_accessible(page)
