"""Staff notes in headless Chromium: a case handler adds a note with a file from the keyboard, with scripts off,
and the resident's case page never shows it, in English and in Welsh. axe checks every page on the way.

Fields are found by their names, not their labels, so the same steps run whatever language the page is in.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import ACCOUNTS, sign_in_page
from tests.browser.test_console_cases_browser import assert_accessible_copy
from tests.browser.test_pages import assert_accessible
from tests.test_internal_notes import png_with_text

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]


def press_enter_on(page: Any, button: Any) -> None:
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def resident_complains(new_page: NewPage, account: str, words: str) -> tuple[Any, str]:
    """The resident tells us of a complaint on the portal; return their page and the case's path."""
    page = new_page(javascript=False)
    sign_in_page(page, ACCOUNTS[account])
    page.goto("/cases/new")
    page.locator("input[name=kind][value=complaint]").check()
    page.locator("textarea[name=description]").fill(words)
    press_enter_on(page, page.locator("main form button[type=submit]"))
    assert re.search(r"/cases/\d+$", page.url), page.url
    return page, re.sub(r"^https?://[^/]+", "", page.url)


def open_complaint_as_staff(staff: Any, contact_id: str, note: bool = True) -> None:
    """Open the complaint made from a contact, and then its note form (unless ``note`` is false)."""
    staff.goto(f"/console/contacts/{contact_id}")
    staff.locator("main a[href*='/console/complaints/']").first.click()
    assert re.search(r"/console/complaints/\d+$", staff.url), staff.url
    if note:  # the note form is an action on its own page; the case page lists the notes
        staff.locator("#notes a[href$='/note']").first.click()
        staff.wait_for_url(re.compile(r"/console/complaints/\d+/note$"))


@pytest.mark.parametrize(("account", "language"), [("resident", "en"), ("welsh_resident", "cy")])
def test_staff_note_never_reaches_the_residents_case_page(new_page: NewPage, account: str, language: str) -> None:
    marker = f"Internal-{uuid.uuid4().hex[:10]}"
    resident, case_path = resident_complains(new_page, account, f"The hallway light is broken. {uuid.uuid4().hex}")
    contact_id = case_path.rsplit("/", 1)[1]

    staff = new_page(javascript=False)
    sign_in_page(staff, ACCOUNTS["staff"])
    open_complaint_as_staff(staff, contact_id)
    form = staff.locator("#step-note form")
    form.locator("input[name=note-kind][value=call_note]").check()
    form.locator("textarea[name=note-body]").fill(f"Called the resident back. {marker}")
    form.locator("input[name=note-attachments]").set_input_files(
        [{"name": "call-log.png", "mimeType": "image/png", "buffer": png_with_text(marker.encode())}]
    )
    press_enter_on(staff, form.locator("button[type=submit]"))
    notes = staff.locator("#notes")
    assert marker in notes.inner_text()
    assert notes.get_by_role("link", name="call-log.png").is_visible()
    assert_accessible_copy(new_page, staff)

    assert resident.goto(case_path).status == 200
    assert resident.locator("html").get_attribute("lang") == language
    assert marker not in resident.content()
    assert resident.locator("a[href*='/console/notes/']").count() == 0
    assert_accessible_copy(new_page, resident)


def test_note_form_errors_are_announced_and_keep_the_text(new_page: NewPage) -> None:
    _, case_path = resident_complains(new_page, "resident", f"The gate is broken. {uuid.uuid4().hex}")
    staff = new_page()
    sign_in_page(staff, ACCOUNTS["staff"])
    open_complaint_as_staff(staff, case_path.rsplit("/", 1)[1])
    form = staff.locator("#step-note form")
    form.locator("textarea[name=note-body]").fill("Words that must not be lost.")
    press_enter_on(staff, form.locator("button[type=submit]"))
    summary = staff.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert "Choose what kind of note this is." in summary.inner_text()
    assert staff.locator("textarea[name=note-body]").input_value() == "Words that must not be lost."
    assert_accessible(staff)
