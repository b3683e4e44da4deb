"""The subject access pages in headless Chromium, with scripts off: an administrator logs a request for a resident
and compiles its export. Every page is checked by axe-core."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.test_pages import assert_accessible, submit

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]


def test_admin_logs_and_compiles_a_request_without_javascript(new_page: NewPage) -> None:
    from tests.browser.conftest import ACCOUNTS, sign_in_page

    page = new_page(javascript=False)
    sign_in_page(page, ACCOUNTS["admin"])
    assert page.goto("/console/privacy").status == 200
    assert_accessible(page)
    page.locator("main").get_by_role("link", name="Log a request").click()
    page.get_by_label("Find the person by email address or name").fill(ACCOUNTS["resident"])
    submit(page, "Find")
    assert_accessible(page)
    page.locator("main fieldset").get_by_role("radio").first.check()
    page.get_by_label("How it arrived (optional)").fill("email")
    submit(page, "Log the request")
    assert page.locator("h1").inner_text().startswith("Subject access request #")
    assert_accessible(page)
    page.locator("main").get_by_role("link", name="Compile the export").click()
    assert_accessible(page)
    page.get_by_label("Other people to take out (optional)").fill("Dave Brennan")
    submit(page, "Compile the export")
    assert page.get_by_role("heading", name="What the export holds").is_visible()
    assert_accessible(page)
    page.goto("/console/privacy")
    assert page.locator("main table").is_visible()
    assert_accessible(page)


def test_a_resident_is_told_the_page_does_not_exist(new_page: NewPage) -> None:
    from tests.browser.conftest import ACCOUNTS, sign_in_page

    page = new_page(javascript=False)
    sign_in_page(page, ACCOUNTS["resident"])
    assert page.goto("/console/privacy").status == 404
