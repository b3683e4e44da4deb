"""The public face of "you said, we did" in headless Chromium: the hub, the demo's digest, a success story and the
landlord's pages in English, Welsh and Arabic (right to left), their print views, at 320px wide and with scripts off;
an admin edits a page with bad input, then good. axe checks every page on the way."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import sign_in_page
from tests.browser.test_pages import assert_accessible

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]


def _digest_path(page: Any) -> str:
    page.goto("/digests")
    link = page.locator("main a[href^='/digests/']").first  # whatever the language, a digest's own address
    return str(link.get_attribute("href"))


@pytest.mark.parametrize("locale", ["en", "cy", "ar"])
def test_hub_digest_and_pages_are_accessible_in_each_language(new_page: NewPage, locale: str) -> None:
    page = new_page(locale=locale)
    page.goto("/you-said-we-did")
    assert page.locator("html").get_attribute("lang") == locale
    assert page.locator("main h1").is_visible()
    assert_accessible(page)
    page.goto(_digest_path(page))
    assert page.locator("main h2").first.is_visible()
    assert_accessible(page)
    for kind in ("accessibility", "contact", "privacy"):
        page.goto(f"/pages/{kind}")
        assert page.locator("main h1").is_visible()
        assert_accessible(page)
    page.goto("/stories")
    assert_accessible(page)


def test_welsh_reader_sees_the_welsh_accessibility_statement(new_page: NewPage) -> None:
    page = new_page(locale="cy")
    page.goto("/pages/accessibility")
    assert page.locator("main h1").inner_text() == "Datganiad hygyrchedd"


def test_print_view_has_no_navigation_and_prints_cleanly(new_page: NewPage) -> None:
    page = new_page()
    path = _digest_path(page)
    page.goto(path + "?print=1")
    assert not page.locator("header.site-header").is_visible()
    assert page.get_by_role("link", name="Back to the full page").is_visible()
    assert_accessible(page)
    page.goto(path)
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    assert not page.get_by_role("link", name="Print-friendly version").is_visible()


def test_pages_fit_320px(new_page: NewPage) -> None:
    page = new_page(viewport={"width": 320, "height": 640})
    for path in ("/you-said-we-did", _digest_path(page), "/pages/accessibility", "/stories"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        assert_accessible(page)


def test_pages_work_without_scripts(new_page: NewPage) -> None:
    page = new_page(javascript=False)
    page.goto("/you-said-we-did")
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Quarterly digests", exact=True).click()
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=re.compile("quarter")).first.click()
    assert page.get_by_role("heading", name="What we did").is_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Print-friendly version").click()
    assert "print=1" in page.url and not page.locator("header.site-header").is_visible()


def test_admin_edits_a_page_with_bad_input_then_good(new_page: NewPage) -> None:
    page = new_page()
    sign_in_page(page, "admin@example.org")
    page.goto("/console/co-creation/pages")
    assert_accessible(page)
    page.goto("/console/co-creation/pages/privacy/en")
    page.get_by_label("Title").fill("")
    page.get_by_label("Text").fill("We keep what you tell us safe.")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Save the page").click()
    assert page.locator(".error-summary").is_visible()
    assert page.get_by_label("Text").input_value() == "We keep what you tell us safe."
    assert_accessible(page)
    page.get_by_label("Title").fill("Privacy notice")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Save the page").click()
    assert page.url.endswith("/console/co-creation/pages")
    page.goto("/pages/privacy")
    assert "We keep what you tell us safe." in page.locator("main").inner_text()


def test_console_digests_and_front_page_are_accessible(new_page: NewPage) -> None:
    page = new_page()
    sign_in_page(page, "manager@example.org")
    page.goto("/console/co-creation")
    assert page.locator("main").get_by_role("link", name="Quarterly digests").is_visible()
    assert_accessible(page)
    page.goto("/console/co-creation/digests")
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main table").get_by_role("link").first.click()
    assert page.get_by_role("heading", name="Preview").is_visible()
    assert_accessible(page)
