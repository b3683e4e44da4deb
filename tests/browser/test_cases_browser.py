"""The resident's side of a complaint in headless Chromium: tell us with a photo, follow it, escalate.

Every page is checked by axe-core; the forms are used with scripts off, by label, as a keyboard or
screen-reader user would reach them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.test_pages import assert_accessible, submit
from tests.test_complaints_api import png

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PageAs = Callable[[str | None], Any]


@pytest.mark.parametrize(
    ("path", "account"),
    [("/cases", "resident"), ("/cases/new", "resident"), ("/cases/new", "advocate"), ("/cases", "welsh_resident")],
)
def test_case_pages_have_no_axe_violations(page_as: PageAs, path: str, account: str) -> None:
    page = page_as(account)
    assert page.goto(path).status == 200
    assert_accessible(page)


def test_each_case_page_has_no_axe_violations(page_as: PageAs) -> None:
    page = page_as("resident")
    page.goto("/cases")
    links = [link.get_attribute("href") for link in page.locator("main h2 a").all()]
    assert len(links) >= 3
    for href in links:
        assert page.goto(href).status == 200
        assert_accessible(page)


def test_resident_complains_with_a_photo_without_javascript(new_page: NewPage) -> None:
    from tests.browser.conftest import ACCOUNTS, sign_in_page

    page = new_page(javascript=False)
    sign_in_page(page, ACCOUNTS["resident"])
    page.goto("/cases/new")
    page.get_by_label("Make a complaint: something has gone wrong and I am not happy").check()
    page.get_by_label("Tell us what happened, in your own words").fill(
        "Water is coming through the ceiling from the flat above."
    )
    page.get_by_label("Photos, recordings or documents (optional)").set_input_files(
        [{"name": "ceiling.png", "mimeType": "image/png", "buffer": png()}]
    )
    submit(page, "Send")
    status = page.locator(".flashes").inner_text()
    reference = re.search(r"LL-\d{4}-\d{6}", status)
    assert reference, status
    assert page.get_by_role("heading", name=f"Case {reference[0]}").is_visible()
    assert page.get_by_text("ceiling.png").is_visible()
    assert page.get_by_text("we will confirm that we have your complaint").is_visible()


def test_bad_file_keeps_the_words_and_the_error_is_announced(new_page: NewPage) -> None:
    from tests.browser.conftest import ACCOUNTS, sign_in_page

    page = new_page()
    sign_in_page(page, ACCOUNTS["welsh_resident"])
    page.goto("/cases/new?lang=en")
    page.locator("textarea[name=description]").fill("Geiriau sydd heb eu colli.")
    page.locator("input[type=file]").set_input_files(
        [{"name": "program.jpg", "mimeType": "image/jpeg", "buffer": b"MZ" + b"\x00" * 512}]
    )
    submit(page, page.locator("main button[type=submit]").inner_text())
    assert page.locator("textarea[name=description]").input_value() == "Geiriau sydd heb eu colli."
    summary = page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert "program.jpg" in summary.inner_text()
    assert_accessible(page)


def test_resident_escalates_an_answered_complaint(new_page: NewPage) -> None:
    from tests.browser.conftest import ACCOUNTS, sign_in_page

    page = new_page(javascript=False)
    sign_in_page(page, ACCOUNTS["resident"])
    page.goto("/cases")
    page.get_by_role("link", name=re.compile(r"LL-")).first.wait_for()
    for href in [link.get_attribute("href") for link in page.locator("main h2 a").all()]:
        page.goto(href)
        # The demo's answered complaint about the mould treatment (others may be answered too).
        if (
            page.get_by_role("heading", name="Not happy with our answer?").count()
            and page.get_by_text("We apologise that the first treatment did not last.").count()
        ):
            break
    else:
        pytest.fail("no answered complaint in the demo data")
    assert page.get_by_text("We apologise that the first treatment did not last.").is_visible()
    submit(page, "Take my complaint to stage 2")
    assert page.get_by_text("Your complaint has moved to stage 2").is_visible()
    assert page.get_by_text("we will confirm that we have your complaint").is_visible()
