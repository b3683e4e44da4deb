"""A hazard flagged at intake, in headless Chromium with scripts off: an admin names the senior lead, a resident
writes in English or in Welsh, the console suggests the hazard from their words, staff confirm it, and it is
escalated to the senior lead with the resident told in writing. axe checks every page on the way.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import ACCOUNTS, sign_in_page
from tests.browser.test_console_cases_browser import assert_accessible_copy
from tests.browser.test_internal_notes_browser import press_enter_on, resident_complains

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
WORDS = {
    "en": "There is black mould on the bedroom wall and the baby keeps coughing.",
    "cy": "Mae llwydni du ar wal yr ystafell wely ac mae'r babi yn peswch o hyd.",
}


def name_the_senior_lead(new_page: NewPage) -> None:
    """The admin names the demo manager as senior lead on the named roles page."""
    admin = new_page(javascript=False)
    sign_in_page(admin, ACCOUNTS["admin"])
    admin.goto("/console/roles")
    assert_accessible_copy(new_page, admin)
    form = admin.locator("main form")
    form.locator("input[name=role][value=senior_lead]").check()
    # "(manager@example.org)", not another test's queue.manager@example.org
    manager = form.locator("select[name=person] option", has_text=f"({ACCOUNTS['manager']})").get_attribute("value")
    form.locator("select[name=person]").select_option(manager)
    press_enter_on(admin, form.locator("button[type=submit]"))
    assert admin.url.endswith("/console/roles")
    assert admin.locator("main table").count() == 1


@pytest.mark.parametrize(("account", "language"), [("resident", "en"), ("welsh_resident", "cy")])
def test_hazard_flagged_at_intake_from_suggestion_and_escalated(new_page: NewPage, account: str, language: str) -> None:
    name_the_senior_lead(new_page)
    resident, case_path = resident_complains(new_page, account, f"{WORDS[language]} {uuid.uuid4().hex[:8]}")
    assert resident.locator("html").get_attribute("lang") == language
    contact_id = case_path.rsplit("/", 1)[1]

    staff = new_page(javascript=False)
    sign_in_page(staff, ACCOUNTS["staff"])
    staff.goto(f"/console/contacts/{contact_id}")
    notice = staff.locator("[aria-labelledby=hazard-heading]")
    assert "llwydni" in notice.inner_text() if language == "cy" else "mould" in notice.inner_text()
    assert_accessible_copy(new_page, staff)

    notice.locator("a").click()
    assert staff.url.endswith(f"/console/contacts/{contact_id}/hazards/new")
    assert_accessible_copy(new_page, staff)
    staff.locator(f"a[href$='/console/contacts/{contact_id}/hazards/new?kind=damp_mould']").click()
    form = staff.locator("main form").last
    assert form.locator("input[name=kind][value=damp_mould]").is_checked()
    form.locator("input[name=severity][value=significant]").check()
    form.locator("textarea[name=description]").fill("Bedroom, north wall.")
    press_enter_on(staff, form.locator("button[type=submit]"))
    assert "Check before you flag it" in staff.content()
    assert_accessible_copy(new_page, staff)
    press_enter_on(staff, staff.locator("main form button[type=submit]"))

    assert re.search(r"/console/hazards/\d+$", staff.url), staff.url
    summary = staff.locator("main dl.summary").inner_text()
    assert "(senior lead)" in summary
    assert "No: there is nobody to write to" not in summary
    assert "Investigate" in staff.locator("main table").inner_text()
    assert_accessible_copy(new_page, staff)

    staff.goto("/console/hazards")
    assert staff.locator("main table").get_by_role("link").count() >= 1
    assert_accessible_copy(new_page, staff)
