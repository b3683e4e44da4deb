"""Adjustments and restrictions in headless Chromium, from the keyboard, in English and in Welsh, with axe on every
page: a manager's restriction is first refused for want of evidence and a review date (both named), then recorded,
shown on the complaint as a banner while the complaint still works, and reviewed; an adjustment is asked for and
agreed, and shows on the complaint.

Fields are found by their names, not their labels, so the same steps run whatever language the page is in.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import sign_in_page
from tests.browser.test_internal_notes_browser import open_complaint_as_staff, press_enter_on, resident_complains
from tests.browser.test_pages import assert_accessible
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
LATER = (dt.date.today() + dt.timedelta(days=90)).isoformat()


def submit(page: Any) -> None:
    press_enter_on(page, page.locator("main form button[type=submit]"))


def follow(page: Any, href_part: str) -> None:
    link = page.locator(f"main a[href*='{href_part}']").first
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


PASSWORD = "safeguards passphrase"  # a throwaway test account


@pytest.mark.parametrize(("account", "language"), [("resident", "en"), ("welsh_resident", "cy")])
def test_restriction_refused_recorded_and_reviewed_and_adjustment_agreed(
    new_page: NewPage, live_server: tuple[str, dict[str, str]], account: str, language: str
) -> None:
    _, case_path = resident_complains(new_page, account, f"The lift is broken again. {uuid.uuid4().hex}")
    contact_id = case_path.rsplit("/", 1)[1]
    manager = new_page()
    # Its own manager: choosing Welsh is remembered on the account, and the demo manager serves other tests.
    email = f"safeguards.{uuid.uuid4().hex[:8]}@example.org"
    run_cli(live_server[1], "users", "create", "--email", email, "--name", "Safeguards Manager", "--role", "manager",
            "--password", PASSWORD)  # fmt: skip
    sign_in_page(manager, email, PASSWORD)
    if language == "cy":
        with manager.expect_navigation():
            manager.locator("header").get_by_role("button", name="Cymraeg").click()
        assert manager.locator("html").get_attribute("lang") == "cy"
    open_complaint_as_staff(manager, contact_id, note=False)
    complaint_url = manager.url
    assert_accessible(manager)

    # The resident's adjustments and restrictions, from the complaint.
    follow(manager, f"/console/contacts/{contact_id}/safeguards")
    assert_accessible(manager)

    # A restriction without evidence or a review date is refused, naming both, and nothing is recorded.
    follow(manager, "/restrictions/new")
    assert_accessible(manager)
    form = manager.locator("main form")
    form.locator("textarea[name=behaviour]").fill("Shouted at the caretaker on 3 March.")
    form.locator("input[name=kind][value=email_only]").check()
    form.locator("textarea[name=details]").fill("Please email us only.")
    form.locator("textarea[name=equality_consideration]").fill("No disability disclosed; email suits them.")
    submit(manager)
    summary = manager.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert summary.locator("a[href='#evidence']").count() == 1
    assert summary.locator("a[href='#review_due_on']").count() == 1
    assert manager.locator("textarea[name=behaviour]").input_value() == "Shouted at the caretaker on 3 March."
    assert_accessible(manager)

    # With the evidence and a review date it is recorded, and the complaint shows it as a banner.
    manager.locator("textarea[name=evidence]").fill("The caretaker's note of 3 March.")
    manager.locator("input[name=review_due_on]").fill(LATER)
    submit(manager)
    assert manager.url == complaint_url
    banner = manager.locator(".notice--restriction")
    assert banner.count() == 1 and "Please email us only." in banner.inner_text()
    assert banner.get_attribute("role") == "region"
    # The complaint is still handled: its steps are offered as before.
    assert manager.locator("#actions a[href$='/acknowledge']").count() == 1
    assert_accessible(manager)

    # Reviewed and ended.
    follow(manager, f"/console/contacts/{contact_id}/safeguards")
    follow(manager, "/review")
    assert_accessible(manager)
    manager.locator("input[name=outcome][value=end]").check()
    manager.locator("textarea[name=review_outcome]").fill("No incidents since; the restriction is no longer needed.")
    submit(manager)
    # Ending can't be undone, so it is confirmed first.
    assert manager.locator("input[name=confirmed][value=yes]").count() == 1
    assert_accessible(manager)
    submit(manager)
    assert manager.url == complaint_url
    assert manager.locator(".notice--restriction").count() == 0
    assert_accessible(manager)

    # An adjustment asked for, then agreed: the complaint shows it.
    follow(manager, f"/console/contacts/{contact_id}/safeguards")
    follow(manager, "/adjustments/new")
    assert_accessible(manager)
    marker = f"Large print letters {uuid.uuid4().hex[:6]}"
    manager.locator("textarea[name=adjustment]").fill(marker)
    manager.locator("input[name=requested_by]").fill("The resident")
    manager.locator("input[name=requested_on]").fill(dt.date.today().isoformat())
    submit(manager)
    assert manager.url == complaint_url and marker in manager.locator("main").inner_text()
    follow(manager, f"/console/contacts/{contact_id}/safeguards")
    follow(manager, "/decide")
    assert_accessible(manager)
    manager.locator("input[name=decision][value=agreed]").check()
    manager.locator("textarea[name=reasons]").fill("Easy for us to do.")
    manager.locator("input[name=review_due_on]").fill(LATER)
    submit(manager)
    assert manager.url == complaint_url
    assert re.search(re.escape(marker), manager.locator("#adjustments-banner-heading + p + ul").inner_text())
    assert manager.locator("html").get_attribute("lang") == language
    assert_accessible(manager)

    # On a 320px phone neither the resident's page nor the restriction form scrolls sideways.
    phone = new_page(
        viewport={"width": 320, "height": 640},
        is_mobile=True,
        has_touch=True,
        storage_state=manager.context.storage_state(),
    )
    for path in (f"/console/contacts/{contact_id}/safeguards", f"/console/contacts/{contact_id}/restrictions/new"):
        assert phone.goto(path).status == 200
        width = phone.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width}px wide on a 320px phone"
