"""The lessons log in headless Chromium, in English and in Welsh: a complaint is upheld as in the demo, and a case
handler finds it among the upheld complaints without a lesson, captures a lesson from it, records its root cause,
and sees the lesson in the log and in its history. axe checks every page on the way.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import ACCOUNTS, DEMO_PASSWORD
from tests.browser.test_console_cases_browser import assert_accessible_copy, log_contact, press, region
from tests.browser.test_internal_notes_browser import press_enter_on
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PASSWORD = "lessons handler passphrase"  # a throwaway test account
SIGN_IN_TIMEOUT_MS = 30_000


def sign_in(page: Any, email: str, password: str = DEMO_PASSWORD, landing: str = "/console/lessons") -> None:
    """Sign in the way a person would, landing on ``landing`` rather than the console's overview (its charts are
    the slowest page to build, and these tests do not look at them)."""
    page.goto(f"/sign-in?next={landing}")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.locator("main").get_by_role("button", name="Sign in").focus()
    # Checking a password hash is slow on purpose, and slower on a busy machine: it gets longer than a page.
    with page.expect_navigation(timeout=SIGN_IN_TIMEOUT_MS):
        page.keyboard.press("Enter")
    assert page.url.endswith(landing), page.url


def upheld_complaint(new_page: NewPage) -> str:
    """The demo handler logs a complaint, acknowledges it and upholds it, as the demo's answered complaint;
    return the complaint page's path."""
    page = new_page(javascript=False)
    sign_in(page, ACCOUNTS["staff"], landing="/console/contacts/new")
    log_contact(page, f"The boiler has failed three times this winter. {uuid.uuid4().hex[:8]}", complaint=True)
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(r"^Go to complaint LL-")).click()
    acknowledge = region(page, "Acknowledge the complaint")
    point = acknowledge.get_by_role("group", name="Point 1")
    point.get_by_label("What the complaint is about").fill("The boiler keeps failing")
    point.get_by_label("The outcome they want").fill("A boiler that works")
    acknowledge.get_by_label("What the resident wants to happen overall").fill("A new boiler")
    press(acknowledge, "Acknowledge")
    respond = region(page, "Respond to the complaint")
    decision = respond.get_by_role("group", name=re.compile(r"^Point 1"))
    decision.get_by_label("Upheld", exact=True).check()
    decision.get_by_label("Reasons for this decision").fill("Each repair patched the fault without finding its cause.")
    respond.get_by_label("Our answer and the reasons for it").fill("We are sorry the boiler kept failing.")
    remedy = respond.get_by_role("group", name="Remedy 1")
    remedy.get_by_label("Kind of remedy").select_option(label="An apology")
    remedy.get_by_label("What we will do").fill("A written apology from the head of repairs.")
    remedy.get_by_label("Done by").fill("2030-01-31")
    remedy.get_by_label("Who will do it").select_option(index=1)
    respond.get_by_label("The underlying cause").fill("Repeat repairs were never reviewed together.")
    respond.get_by_label("The remedial action we are taking").fill("A third repair now triggers a review.")
    press(respond, "Issue the response")
    assert "The response has been issued." in page.locator(".flashes").inner_text()
    path = re.sub(r"^https?://[^/]+", "", page.url)
    page.context.close()
    return path


def handler(new_page: NewPage, environ: dict[str, str], language: str) -> Any:
    """A case handler of their own (so that changing their language touches no demo account), in ``language``."""
    email = f"lessons.{language}.{uuid.uuid4().hex[:8]}@example.org"
    run_cli(environ, "users", "create", "--email", email, "--name", "Lessons Handler", "--role", "staff",
            "--password", PASSWORD)  # fmt: skip
    page = new_page(javascript=False)
    sign_in(page, email, PASSWORD)
    if language == "cy":
        page.goto("/console/lessons")
        with page.expect_navigation():
            page.locator("header").get_by_role("button", name="Cymraeg").click()
    assert page.goto("/console/lessons").status == 200
    assert page.locator("html").get_attribute("lang") == language
    return page


def quick_path(page: Any, complaint_id: str) -> Any:
    """The upheld list's link to a lesson from the complaint, following "Next page" until it shows (or none)."""
    page.goto("/console/lessons/upheld")
    for _ in range(20):
        link = page.locator(f"main a[href$='/console/lessons/new?complaint={complaint_id}']")
        following = page.locator("main a[href*='/console/lessons/upheld?offset=']")
        if link.count() or not following.count():
            return link
        with page.expect_navigation():
            following.first.click()
    raise AssertionError("the list of upheld complaints has more than 20 pages")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_handler_captures_a_lesson_from_an_upheld_complaint_with_its_root_cause(
    new_page: NewPage, live_server: tuple[str, dict[str, str]], language: str
) -> None:
    _url, environ = live_server
    complaint_path = upheld_complaint(new_page)
    complaint_id = complaint_path.rsplit("/", 1)[1]
    page = handler(new_page, environ, language)
    assert_accessible_copy(new_page, page)

    # The complaint waits among the upheld complaints without a lesson, with a quick path to one.
    quick = quick_path(page, complaint_id)
    assert quick.count() == 1
    assert_accessible_copy(new_page, page)
    with page.expect_navigation():
        quick.click()
    form = page.locator("main form")
    assert form.locator("input[name=source_kind][value=complaint]").is_checked()
    assert_accessible_copy(new_page, page)

    # A title left out is refused, with the rest kept.
    form.locator("textarea[name=early_lesson]").fill("The same fault was repaired three times.")
    press_enter_on(page, form.locator("button[type=submit]"))
    assert page.locator(".error-summary").count() == 1
    assert page.locator("textarea[name=early_lesson]").input_value() == "The same fault was repaired three times."
    assert_accessible_copy(new_page, page)
    page.locator("main form input[name=title]").fill("Repeat repairs are not reviewed together")
    press_enter_on(page, page.locator("main form button[type=submit]"))
    assert re.search(r"/console/lessons/\d+$", page.url), page.url
    reference = re.search(r"LS-\d{4}-\d{4}", page.locator("h1").inner_text()).group(0)
    lesson_path = re.sub(r"^https?://[^/]+", "", page.url)
    assert_accessible_copy(new_page, page)

    # The root cause, from the taxonomy, with its own text.
    with page.expect_navigation():
        page.locator(f"#actions a[href$='{lesson_path}/causes/new']").click()
    cause = page.locator("main form")
    cause.locator("select[name=root_cause]").select_option(index=1)
    cause.locator("textarea[name=detail]").fill("Each repair is booked alone; nothing links repeat visits.")
    assert_accessible_copy(new_page, page)
    press_enter_on(page, cause.locator("button[type=submit]"))
    assert page.url.endswith(lesson_path)
    assert "Each repair is booked alone" in page.locator("#causes-heading + ul").inner_text()
    history = page.locator("section[aria-labelledby=history-heading] tbody tr")
    assert history.count() == 2
    assert "Lessons Handler" in history.first.inner_text()
    assert_accessible_copy(new_page, page)

    # The lesson is in the log, and the complaint has left the list of upheld complaints without one.
    page.goto("/console/lessons?source=complaint")
    assert page.locator("main table").get_by_role("link", name=reference, exact=True).count() == 1
    assert_accessible_copy(new_page, page)
    assert quick_path(page, complaint_id).count() == 0
