"""Comments on a change in headless Chromium (the pages have no scripts; one test turns them off): the Welsh demo resident is stopped by an empty comment
(error summary, error by the field) and then comments in Welsh; a visitor reads the comments in Arabic, right to left,
at 320px, with a link to sign in; staff moderate a held comment from the queue, a reason required. axe checks every
page on the way."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import sign_in_page
from tests.browser.test_pages import assert_accessible

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
# A published change of its own, with a comment by the demo resident and one held for its phone number: prints its
# reference.
SET_UP = (
    "import sys\n"
    "from backend.config import load_settings, set_current\n"
    "settings = load_settings(); set_current(settings)\n"
    "from backend.db import init_database\n"
    "init_database(settings.database_url, settings.instance_path)\n"
    "from backend.accounts.models import User\n"
    "from backend.accounts.tokens import actor_for_user\n"
    "from backend.cocreation import comments\n"
    "from tests.factories import make_change\n"
    "change = make_change(reference=sys.argv[1], title={'en': 'Reminder texts', 'cy': 'Negeseuon atgoffa'})\n"
    "sam = actor_for_user(User.get(User.email == 'resident@example.org'))\n"
    "comments.post_comment(sam, change.reference, 'The reminder text helped me.', 'en')\n"
    "comments.post_comment(sam, change.reference, 'My mould is still there. Ring 07700 900456.', 'en')\n"
    "print(change.reference)\n"
)


@pytest.fixture(scope="module")
def reference(live_server: tuple[str, dict[str, str]]) -> str:
    wanted = f"CH-2099-{uuid.uuid4().int % 10_000:04d}"
    done = subprocess.run(
        [sys.executable, "-c", SET_UP, wanted], env=live_server[1], capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def post(page: Any) -> None:
    with page.expect_navigation():
        page.locator("form.comment-form button[type=submit]").click()


def test_welsh_resident_is_stopped_by_an_empty_comment_then_comments_in_welsh(new_page: NewPage, reference) -> None:
    page = new_page()
    sign_in_page(page, "preswylydd@example.org")
    page.goto(f"/changes/{reference}/comments")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert_accessible(page)
    post(page)
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#body-error").is_visible()
    assert page.locator("#body").get_attribute("aria-describedby") == "body-hint body-error"
    assert_accessible(page)
    page.locator("#body").fill("Mae'r neges destun yn help mawr. Diolch.")
    post(page)
    assert page.locator(".comment-body", has_text="Mae'r neges destun yn help mawr").is_visible()
    assert_accessible(page)


def test_without_scripts_an_error_keeps_the_reply_form_open(new_page: NewPage, reference) -> None:
    page = new_page(javascript=False)
    sign_in_page(page, "resident@example.org")
    page.goto(f"/changes/{reference}/comments")
    page.locator("#body").fill("   ")
    post(page)
    assert page.locator(".error-summary").is_visible()
    reply = page.locator("details.reply-form").first
    reply.locator("summary").click()
    reply.locator("textarea").fill(" ")
    with page.expect_navigation():
        reply.locator("button[type=submit]").click()
    assert page.locator("#reply-body-error").is_visible()


def test_visitor_reads_comments_in_arabic_at_320px_with_a_sign_in_link(new_page: NewPage, reference) -> None:
    page = new_page(locale="ar", viewport={"width": 320, "height": 640})
    page.goto(f"/changes/{reference}/comments")
    assert page.locator("html").get_attribute("dir") == "rtl"
    main = page.locator("main")
    assert main.get_by_text("The reminder text helped me.").is_visible()
    assert "07700" not in main.inner_text()
    assert page.locator(f"a[href*='/sign-in?next='][href*='{reference}']").count() == 1
    assert page.locator("form[action*='/report']").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)


def test_staff_moderate_a_held_comment_from_the_queue(new_page: NewPage, reference) -> None:
    page = new_page()
    sign_in_page(page, "staff@example.org")
    page.goto("/console/co-creation/moderation")
    assert page.locator("main blockquote", has_text="Ring 07700 900456.").first.is_visible()
    assert page.locator("main blockquote", has_text="Ring [phone number].").first.is_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=re.compile(reference)).first.click()
    assert_accessible(page)
    page.get_by_label("Publish it").check()
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Record the decision").click()
    assert page.locator(".error-summary").is_visible() and page.get_by_label("Publish it").is_checked()
    assert_accessible(page)
    page.get_by_label("Why", exact=True).fill("The phone number is taken out.")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Record the decision").click()
    assert page.get_by_text("Your decision is recorded.").is_visible()
    assert page.locator("main").get_by_text("The phone number is taken out.").is_visible()
    assert_accessible(page)
