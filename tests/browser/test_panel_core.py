"""The scrutiny panel's core pages in headless Chromium: staff go from the console's list of panels to the demo
panel, its review of the complaints journey and its meeting; the demo chair finds the same review in the workspace.
axe checks every page on the way, scripts off, and at 320px wide."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import sign_in_page
from tests.browser.test_pages import assert_accessible

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]


def open_link(page: Any, name: str) -> None:
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=name).first.click()


def test_staff_walk_from_the_panels_to_a_meeting(new_page: NewPage) -> None:
    page = new_page()
    sign_in_page(page, "staff@example.org")
    page.goto("/console/panels")
    assert_accessible(page)
    open_link(page, "Residents' Scrutiny Panel")
    assert re.search(r"/console/panels/\d+$", page.url)
    assert page.get_by_role("heading", name="Make-up").is_visible()
    assert page.locator("main").get_by_text("Alex Morgan").first.is_visible()
    assert_accessible(page)
    open_link(page, "The complaints journey")
    assert re.search(r"/console/panels/reviews/\d+$", page.url)
    assert page.get_by_role("heading", name="Staff interviewed").is_visible()
    assert_accessible(page)
    meeting = page.locator("main").get_by_role("region", name="Meetings").get_by_role("link").first
    with page.expect_navigation():
        meeting.click()
    assert page.get_by_role("heading", name="Papers to send").is_visible()
    assert_accessible(page)
    open_link(page, "Record who came")
    assert_accessible(page)


def test_staff_forms_are_accessible_without_scripts(new_page: NewPage) -> None:
    page = new_page(javascript=False)
    sign_in_page(page, "staff@example.org")
    page.goto("/console/panels/new")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Create the panel").click()
    assert page.locator(".error-summary").is_visible()
    copy = new_page(storage_state=page.context.storage_state())
    copy.goto("/console/panels/new")
    assert_accessible(copy)


def test_chair_sees_the_review_in_the_workspace_at_320px(new_page: NewPage) -> None:
    page = new_page(viewport={"width": 320, "height": 640})
    sign_in_page(page, "panel@example.org")
    page.goto("/panel/")
    assert page.get_by_role("heading", name="Residents' Scrutiny Panel", exact=True).is_visible()
    assert_accessible(page)
    open_link(page, re.compile("The complaints journey"))
    assert re.search(r"/panel/reviews/\d+$", page.url)
    main = page.locator("main")
    assert main.get_by_text("Complaints team leader").first.is_visible()
    assert "Jordan Lee" not in main.inner_text()  # the demo staff member is never named to members
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    assert page.goto("/panel/reviews/999999").status == 404
