"""The nation of the home in headless Chromium: staff logging a phone complaint from someone without an account
must choose it, see the error next to the field and in the summary with what they typed kept, and the complaint
then goes under that nation's procedure. The form is filled by its labels and sent from the keyboard, and axe checks
each page, the one showing the error included (the console has no scripts of its own, so axe's do not change it)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import ACCOUNTS, sign_in_page
from tests.browser.test_pages import assert_accessible

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
WORDS = "Rain comes in through the bedroom window frame."


def press(scope: Any, button: str) -> None:
    target = scope.get_by_role("button", name=button, exact=True)
    target.focus()
    with target.page.expect_navigation():
        target.page.keyboard.press("Enter")


def test_staff_choose_the_nation_of_a_phone_complaint_without_a_home(new_page: NewPage) -> None:
    page = new_page()
    sign_in_page(page, ACCOUNTS["staff"])
    page.goto("/console/contacts/new")
    form = page.locator("main form")
    form.get_by_role("group", name="Who is it from?").get_by_label("Someone without an account").check()
    form.get_by_label("Name", exact=True).fill("Rhys Owen")
    form.get_by_role("group", name="How did it reach us?").get_by_label("Phone", exact=True).check()
    form.get_by_label("What they told us, in their own words").fill(WORDS)
    form.get_by_label("They want to make a complaint").check()
    press(form, "Log the contact")

    assert page.title().startswith("Error:")
    link = page.get_by_role("alert").get_by_role("link", name="Choose the nation of the home this is about.")
    assert link.get_attribute("href") == "#nation"
    nation = page.get_by_label("Nation of the home")
    assert nation.get_attribute("aria-invalid") == "true"
    assert page.get_by_label("What they told us, in their own words").input_value() == WORDS
    assert page.get_by_label("Name", exact=True).input_value() == "Rhys Owen"
    assert page.get_by_label("They want to make a complaint").is_checked()
    assert_accessible(page)

    nation.select_option(label="Wales")
    press(page.locator("main form"), "Log the contact")
    assert re.search(r"/console/contacts/\d+$", page.url), page.url
    assert "Wales" in page.locator("dl.summary").inner_text()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(r"^Go to complaint LL-")).click()
    summary = page.locator("dl.summary").inner_text()
    assert "Wales: Public Services Ombudsman for Wales model concerns and complaints policy" in summary
    assert_accessible(page)
