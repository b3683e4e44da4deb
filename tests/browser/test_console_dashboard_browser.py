"""A case handler's day in the console, in English and Welsh, with axe on every page: the overview's counts
link to their queues, search by reference, by name and by words, the case page, an action on its own page (and
one that asks again before it is done), and a list downloaded as CSV.

Pages are found by address and form fields by name, so that the same steps run in both languages.
"""

from __future__ import annotations

import csv
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import ACCOUNTS, sign_in_page
from tests.browser.test_console_cases_browser import log_contact, queue_row
from tests.browser.test_pages import assert_accessible
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PASSWORD = "day handler passphrase"  # a throwaway test account
# At 1280px wide the complaint page, with every form open, was about 7,000px long; now the case comes first and
# each action is a link, so a new complaint's page is a fraction of that.
CASE_PAGE_MAX_HEIGHT = 3000


def go(page: Any, link: Any) -> None:
    with page.expect_navigation():
        link.click()


def search(page: Any, text: str) -> None:
    box = page.locator("#console-search-q")
    box.fill(text)
    with page.expect_navigation():
        box.press("Enter")
    assert "/console/search" in page.url
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_handlers_day_from_the_overview(
    new_page: NewPage, live_server: tuple[str, dict[str, str]], language: str
) -> None:
    # A handler of their own: choosing Welsh is remembered on the account, and other tests use the demo staff.
    email = f"day.handler.{language}@example.org"
    run_cli(live_server[1], "users", "create", "--email", email, "--name", "Day Handler", "--role", "staff",
            "--password", PASSWORD)  # fmt: skip
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in_page(page, email, PASSWORD)
    words = f"Stairwell{uuid.uuid4().hex[:8]}"
    log_contact(page, f"The stairwell light is out again. {words}", complaint=True)
    reference = re.search(r"LL-\d{4}-\d{6}", page.locator(".flashes").inner_text()).group(0)
    if language == "cy":
        with page.expect_navigation():
            page.locator("header").get_by_role("button", name="Cymraeg").click()
        assert page.locator("html").get_attribute("lang") == "cy"

    # The overview: each count is a link to its queue, and the charts have their figures.
    page.goto("/console/")
    assert_accessible(page)
    assert page.locator("svg[role=img]").count() == 2
    page.locator("details.chart-data summary").first.click()
    assert page.locator("#received-chart-caption").is_visible()
    assert_accessible(page)
    unassigned = page.locator(".tile--unassigned a")
    assert int(re.sub(r"\D", "", unassigned.locator(".tile-count").inner_text())) >= 1
    go(page, unassigned)
    assert "view=unassigned" in page.url
    assert queue_row(page, reference).count() == 1
    assert_accessible(page)

    # Search by reference, by the resident's name and by their words.
    search(page, reference)
    assert page.locator("main table").get_by_role("link", name=reference, exact=True).count() == 1
    search(page, f"okafor {words}")
    assert page.locator("main table").get_by_role("link", name=reference, exact=True).count() == 1
    search(page, words.lower())
    found = page.locator("main table").get_by_role("link", name=reference, exact=True)

    # The case page: the case first, and the actions as links. It is short.
    go(page, found)
    assert re.search(r"/console/complaints/\d+$", page.url)
    case_url = page.url
    assert_accessible(page)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < CASE_PAGE_MAX_HEIGHT, height
    assert page.locator("main form textarea").count() == 0

    # An action on its own page, sent from the keyboard.
    go(page, page.locator("nav#actions a[href$='/acknowledge']"))
    assert page.url.endswith("/acknowledge")
    assert_accessible(page)
    page.locator("textarea[name=acknowledge-point_1]").fill("The stairwell light is out")
    page.locator("input[name=acknowledge-outcome_1]").fill("A working light")
    page.locator("textarea[name=acknowledge-outcomes_sought]").fill("A working light")
    button = page.locator("#step-acknowledge button[type=submit]").last
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == case_url
    assert page.locator(".flashes").count() == 1
    assert_accessible(page)

    # One that can't be undone asks again first.
    go(page, page.locator("nav#actions a[href$='/withdraw']"))
    assert_accessible(page)
    page.locator("textarea[name=withdraw-reason]").fill("Fixed the same day.")
    with page.expect_navigation():
        page.locator("#step-withdraw button[type=submit]").last.click()
    assert page.locator("main button[name=confirmed]").is_visible()
    assert "Fixed the same day." in page.locator("main dl.summary").last.inner_text()
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main button[name=confirmed]").click()
    assert page.url == case_url and page.locator(".flashes").count() == 1

    # The search's complaints download as CSV.
    page.goto(f"/console/search?q={reference}")
    with page.expect_download() as download:
        page.locator("main a[href*='search.csv']").first.click()
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert [row[0] for row in rows[1:]] == [reference]


@pytest.mark.parametrize("width", [320])
def test_overview_and_search_fit_a_phone(new_page: NewPage, width: int) -> None:
    page = new_page(viewport={"width": width, "height": 700})
    sign_in_page(page, ACCOUNTS["manager"])
    page.goto("/console/")
    assert page.locator(".tile--team_open").count() == 1
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, overflow
    assert_accessible(page)
    search(page, "Sam")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, overflow


def test_closing_a_contact_asks_again_first(new_page: NewPage) -> None:
    from tests.browser.test_console_cases_browser import press, region

    page = new_page()
    sign_in_page(page, ACCOUNTS["staff"])
    contact_path = log_contact(page, "Please fix the garden gate latch.", complaint=False)
    classify = region(page, "Classify this contact")
    classify.get_by_label("Service request", exact=True).check()
    classify.get_by_label("Why").fill("A repair request.")
    press(classify, "Classify")
    press(page.locator("main"), "Close the contact", confirm=False)
    assert page.locator("main button[name=confirmed]").is_visible()
    assert_accessible(page)
    go(page, page.locator("main a.button--secondary"))
    assert page.url.endswith(contact_path)
    press(page.locator("main"), "Close the contact")
    assert "The contact is closed." in page.locator(".flashes").inner_text()


# From the top of the page: the first Tab reaches "Skip to main content", the second "Skip to search".
SKIP_TO_MAIN_PRESSES = 1
SKIP_TO_SEARCH_PRESSES = 2


def focused(page: Any) -> dict[str, str]:
    return page.evaluate("({id: document.activeElement.id, tag: document.activeElement.tagName.toLowerCase()})")


@pytest.mark.parametrize("path", ["/console/", "/console/complaints?view=open"])
def test_keyboard_reaches_the_search_box_from_the_top_in_two_presses(new_page: NewPage, path: str) -> None:
    page = new_page()
    sign_in_page(page, ACCOUNTS["staff"])
    page.goto(path)
    for _ in range(SKIP_TO_SEARCH_PRESSES):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to search"
    assert page.locator(".skip-link:focus").is_visible()
    page.keyboard.press("Enter")
    assert focused(page) == {"id": "console-search-q", "tag": "input"}
    page.keyboard.type("LL-")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/console/search?q=LL-" in page.url
    assert_accessible(page)


def test_keyboard_reaches_the_main_content_from_the_top_in_one_press(new_page: NewPage) -> None:
    page = new_page()
    sign_in_page(page, ACCOUNTS["staff"])
    page.goto("/console/")
    for _ in range(SKIP_TO_MAIN_PRESSES):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused(page) == {"id": "main", "tag": "main"}
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
    assert_accessible(page)
