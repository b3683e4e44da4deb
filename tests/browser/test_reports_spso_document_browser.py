"""The SPSO indicators as a report, in headless Chromium.

A member of staff opens the SPSO indicators for a quarter, follows "Print, download or draft for approval" to the
report, opens its print view and drafts it. Another person, a manager, approves and publishes it, and a visitor reads
it on the public page. By keyboard; axe checks every page on the way.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in_page
from tests.browser.test_internal_notes_browser import press_enter_on
from tests.browser.test_pages import assert_accessible
from tests.browser.test_reports_board_browser import PASSWORD, NewPage, account, follow
from tests.browser.test_update_intervals_browser import patient

pytestmark = pytest.mark.browser

QUARTER = "2004/05-Q1"


def test_staff_draft_the_spso_report_and_a_manager_publishes_it(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    url, environ = live_server
    staff = patient(new_page)()
    sign_in_page(staff, account(environ, "staff"), PASSWORD)

    staff.goto(url + f"/console/reports/spso?period={QUARTER}")
    follow(staff, staff.get_by_role("link", name="Print, download or draft for approval"))
    assert "/console/reports/spso/document" in staff.url
    assert staff.get_by_role("heading", level=1).inner_text() == "SPSO complaints performance indicators"
    assert staff.locator("section[aria-labelledby=section-closures] svg[role=img]").count() == 1
    assert staff.get_by_role("table", name="Figures: Indicator 4: complaints received").is_visible()
    assert_accessible(staff)

    follow(staff, staff.locator("main a[href*='/console/reports/spso/document/print']"))
    assert staff.locator("nav").count() == 0 and staff.locator("h1").count() == 1
    assert_accessible(staff)
    staff.go_back()
    press_enter_on(staff, staff.locator("main form[action$='/console/reports/spso/document/draft'] button"))
    assert "/console/reports/publications/" in staff.url
    assert_accessible(staff)
    report_path = staff.url.removeprefix(url)

    manager = patient(new_page)()
    sign_in_page(manager, account(environ, "manager"), PASSWORD)
    manager.goto(url + report_path)
    press_enter_on(manager, manager.locator("main form[action$='/approve'] button"))
    assert manager.locator(".flashes").count() == 1
    press_enter_on(manager, manager.locator("main form[action$='/publish'] button"))
    assert manager.locator(".flashes").count() == 1
    assert_accessible(manager)

    public_path = manager.locator("main a[href*='/reports/']:not([href*='/console/'])").first.get_attribute("href")
    visitor = new_page()
    visitor.goto(url + public_path)
    main = visitor.locator("main").inner_text()
    assert "Indicator 5: complaints closed at each stage" in main
    assert "Board Staff" not in main and "Board Manager" not in main
    assert_accessible(visitor)
