"""Evidence packs in headless Chromium: staff add a web page to a review's pack and confirm it; a member of the panel
reads the pack, the item, the requests page (asking for evidence) and the standing data. By keyboard where it acts;
axe checks every page on the way, and the pages are read without JavaScript too."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import sign_in_page
from tests.browser.test_pages import assert_accessible
from tests.browser.test_update_intervals_browser import patient

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
# A review of a new panel the demo panel member sits on (signed up): prints the review's id.
REVIEW = (
    "from backend.config import load_settings, set_current\n"
    "settings = load_settings(); set_current(settings)\n"
    "from backend.db import init_database\n"
    "init_database(settings.database_url, settings.instance_path)\n"
    "from backend.accounts.models import User\n"
    "import uuid\n"
    "from tests.factories import make_panel, make_panel_membership, make_scrutiny_review\n"
    "tag = uuid.uuid4().hex[:8]\n"
    "review = make_scrutiny_review(make_panel(f'Panel {tag}'), reference=f'SR-T-{tag}')\n"
    "make_panel_membership(review.panel, User.get(User.email == 'panel@example.org'))\n"
    "print(review.id)\n"
)


def new_review(environ: dict[str, str]) -> int:
    done = subprocess.run([sys.executable, "-c", REVIEW], env=environ, capture_output=True, text=True, check=True)
    return int(done.stdout.strip().splitlines()[-1])


def submit(page: Any, button: str) -> None:
    page.locator("main").get_by_role("button", name=button).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_staff_build_a_pack_and_a_member_reads_it(new_page: NewPage, live_server: tuple[str, dict[str, str]]) -> None:
    url, environ = live_server
    review_id = new_review(environ)
    staff = patient(new_page)()
    sign_in_page(staff, "manager@example.org")
    staff.goto(f"{url}/console/panels/reviews/{review_id}/pack")
    assert_accessible(staff)
    staff.goto(f"{url}/console/panels/reviews/{review_id}/pack/link")
    assert_accessible(staff)
    submit(staff, "Add it")
    assert_accessible(staff)  # the form with its error summary
    staff.get_by_label("Title members see").fill("Complaints policy")
    staff.get_by_label("Web address").fill("https://example.org/complaints-policy")
    submit(staff, "Add it")
    staff.locator("main").get_by_role("link", name="Complaints policy").click()
    staff.wait_for_load_state()
    assert_accessible(staff)
    submit(staff, "Confirm: nobody can be identified")
    assert "In the pack" in staff.locator("main").inner_text() or "confirmed by" in staff.locator("main").inner_text()

    member = patient(new_page)()
    sign_in_page(member, "panel@example.org")
    member.goto(f"{url}/panel/reviews/{review_id}/pack")
    assert_accessible(member)
    member.locator("main").get_by_role("link", name="Complaints policy").click()
    member.wait_for_load_state()
    assert "Open the web page" in member.locator("main").inner_text()
    assert_accessible(member)
    member.goto(f"{url}/panel/reviews/{review_id}/requests")
    assert_accessible(member)
    member.get_by_label("What evidence does the panel want?").fill("Stage 1 letters sent in March.")
    member.get_by_label("By when").fill((dt.date.today() + dt.timedelta(days=30)).isoformat())
    submit(member, "Send the request")
    assert "Stage 1 letters sent in March." in member.locator("main").inner_text()
    assert_accessible(member)
    member.goto(f"{url}/panel/standing")
    assert "CH01(1)" in member.locator("main").inner_text()
    assert_accessible(member)


def test_the_workspace_pages_need_no_javascript(new_page: NewPage, live_server: tuple[str, dict[str, str]]) -> None:
    url, environ = live_server
    review_id = new_review(environ)
    page = patient(new_page)(javascript=False)
    sign_in_page(page, "panel@example.org")
    for path in (f"/panel/reviews/{review_id}/pack", f"/panel/reviews/{review_id}/requests", "/panel/standing"):
        page.goto(url + path)
        assert page.locator("h1").count() == 1, path


# A confirmed case item and lesson item in the review's pack: prints their ids.
ITEMS = (
    "from backend.config import load_settings, set_current\n"
    "settings = load_settings(); set_current(settings)\n"
    "from backend.db import init_database\n"
    "init_database(settings.database_url, settings.instance_path)\n"
    "import sys\n"
    "from backend.panels.models import ScrutinyReview\n"
    "from tests.factories import make_pack_item\n"
    "from tests.test_panel_packs_portal import _case_content\n"
    "review = ScrutinyReview.get_by_id(int(sys.argv[1]))\n"
    "case = make_pack_item(review, kind='case', url='', title='Case 3', content=_case_content())\n"
    "print(case.id)\n"
)


def test_a_case_item_reads_as_an_accessible_document(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    url, environ = live_server
    review_id = new_review(environ)
    done = subprocess.run(
        [sys.executable, "-c", ITEMS, str(review_id)], env=environ, capture_output=True, text=True, check=True
    )
    item_id = int(done.stdout.strip().splitlines()[-1])
    member = patient(new_page)()
    sign_in_page(member, "panel@example.org")
    member.set_viewport_size({"width": 320, "height": 800})
    member.goto(f"{url}/panel/items/{item_id}")
    text = member.locator("main").inner_text()
    assert "Partly upheld" in text and "partly_upheld" not in text
    assert member.get_by_role("heading", name="Stages", level=2).count() == 1
    assert_accessible(member)
