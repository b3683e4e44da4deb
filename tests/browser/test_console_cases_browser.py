"""The staff side of complaints in headless Chromium: the work queues, logging a contact, and a case handler
taking a complaint through acknowledgement, extension and response.

The case handler's journey runs with scripts off, every form filled by its label and sent from the keyboard,
as someone using a keyboard or a screen reader would. axe-core needs scripts, so each page of that journey is
checked again in a second, script-enabled page signed in as the same person; pages showing errors are
produced in script-enabled pages (the console has no scripts of its own, so they behave the same).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import ACCOUNTS, sign_in_page
from tests.browser.test_pages import assert_accessible
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PageAs = Callable[[str | None], Any]
VIEWS = ("new", "unassigned", "mine", "at_risk", "breached", "awaiting", "stage2", "open")
PASSWORD = "queue manager passphrase"  # a throwaway test account


def press(scope: Any, button: str, confirm: bool = True) -> None:
    """Move focus to a button and press Enter, waiting for the page that answers. A step that can't be undone
    answers with a page that asks again: ``confirm`` presses its "Yes" button too."""
    target = scope.get_by_role("button", name=button, exact=True)
    target.focus()
    page = target.page
    with page.expect_navigation():
        page.keyboard.press("Enter")
    yes = page.locator("main button[name=confirmed]")
    if confirm and yes.count():
        yes.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")


def region(page: Any, name: str) -> Any:
    """The region named ``name``. On a complaint page, whose actions each open on their own page, the action of
    that name is followed first from the "Actions" list."""
    found = page.get_by_role("region", name=name, exact=True)
    if not found.count():
        link = page.get_by_role("navigation", name="Actions").get_by_role("link", name=name, exact=True)
        if link.count():
            with page.expect_navigation():
                link.click()
            found = page.get_by_role("region", name=name, exact=True)
    return found


def assert_accessible_copy(new_page: NewPage, page: Any) -> None:
    """Run axe on the page's address in a script-enabled page that shares its cookies."""
    copy = new_page(storage_state=page.context.storage_state())
    assert copy.goto(page.url).status == 200
    assert_accessible(copy)


def log_contact(page: Any, description: str, complaint: bool) -> str:
    """Log a phone call from the demo resident through the form; return the contact page's path."""
    page.goto("/console/contacts/new")
    form = page.locator("main form")
    form.get_by_label("The resident's email address").fill(ACCOUNTS["resident"])
    form.get_by_role("group", name="How did it reach us?").get_by_label("Phone", exact=True).check()
    form.get_by_label("What they told us, in their own words").fill(description)
    if complaint:
        form.get_by_label("They want to make a complaint").check()
    press(form, "Log the contact")
    assert re.search(r"/console/contacts/\d+$", page.url), page.url
    assert re.search(r"LL-\d{4}-\d{6}", page.locator(".flashes").inner_text())
    return re.sub(r"^https?://[^/]+", "", page.url)


def log_complaint_from_person(page: Any, name: str, description: str, **details: str) -> str:
    """Log a letter from someone without an account, who wants to complain, through the form; return its
    reference. ``details``: more of what they gave, by field label ("Phone number": "07700 900123")."""
    page.goto("/console/contacts/new")
    form = page.locator("main form")
    form.get_by_role("group", name="Who is it from?").get_by_label("Someone without an account").check()
    person = form.get_by_role("group", name="Details of someone without an account")
    person.get_by_label("Name", exact=True).fill(name)
    for label, value in details.items():
        person.get_by_label(label, exact=True).fill(value)
    form.get_by_label("Nation of the home").select_option("england")
    form.get_by_role("group", name="How did it reach us?").get_by_label("Letter", exact=True).check()
    form.get_by_label("What they told us, in their own words").fill(description)
    form.get_by_label("They want to make a complaint").check()
    press(form, "Log the contact")
    assert re.search(r"/console/contacts/\d+$", page.url), page.url
    return re.search(r"LL-\d{4}-\d{6}", page.locator(".flashes").inner_text()).group(0)


@pytest.mark.parametrize("view", VIEWS)
def test_queue_view_has_no_axe_violations(page_as: PageAs, view: str) -> None:
    page = page_as("staff")
    assert page.goto(f"/console/complaints?view={view}").status == 200
    assert page.locator(f'nav.tabs a[href*="view={view}"]').get_attribute("aria-current") == "page"
    assert_accessible(page)


def queue_row(page: Any, reference: str) -> Any:
    """The queue's row for ``reference``, following "Next 25" until it shows; fails if no page has it."""
    for _ in range(20):
        row = page.locator("main table tbody tr").filter(has=page.get_by_role("link", name=reference, exact=True))
        if row.count():
            return row
        following = page.locator("main").get_by_role("link", name=re.compile(r"^(Next 25|Nesaf.*)$"))
        assert following.count(), f"{reference} is in no page of the queue"
        with page.expect_navigation():
            following.first.click()
    raise AssertionError(f"{reference} not found in 20 pages")


def test_new_complaint_is_in_a_managers_first_queue_in_english_and_welsh(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    _url, environ = live_server
    staff = new_page()
    sign_in_page(staff, ACCOUNTS["staff"])
    log_contact(staff, "The front door lock has been broken for a week.", complaint=True)
    reference = re.search(r"LL-\d{4}-\d{6}", staff.locator(".flashes").inner_text()).group(0)
    email = "queue.manager@example.org"
    run_cli(environ, "users", "create", "--email", email, "--name", "Queue Manager", "--role", "manager",
            "--password", PASSWORD)  # fmt: skip
    page = new_page()
    sign_in_page(page, email, PASSWORD)
    assert page.goto("/console/complaints").status == 200
    current = page.locator('nav.tabs a[aria-current="page"]')
    assert current.inner_text() == "New and unassigned complaints"
    row = queue_row(page, reference)
    assert "Not assigned" in row.inner_text()
    assert_accessible(page)

    with page.expect_navigation():
        page.locator("header").get_by_role("button", name="Cymraeg").click()
    assert page.locator("html").get_attribute("lang") == "cy"
    assert "view=unassigned" in (current.get_attribute("href") or "")
    assert queue_row(page, reference).count() == 1
    assert_accessible(page)


@pytest.mark.parametrize(
    ("path", "account"),
    [
        ("/console/complaints?view=breached&nation=england", "manager"),
        ("/console/contacts/new", "staff"),
        ("/console/complaint-settings", "admin"),
        ("/console/complaint-settings", "staff"),
        ("/console/complaint-settings/stages/1", "admin"),
    ],
)
def test_console_case_page_has_no_axe_violations(page_as: PageAs, path: str, account: str) -> None:
    page = page_as(account)
    assert page.goto(path).status == 200
    assert_accessible(page)


def test_every_queued_complaint_page_has_no_axe_violations(page_as: PageAs) -> None:
    page = page_as("manager")
    page.goto("/console/complaints?view=breached")
    links = [a.get_attribute("href") for a in page.locator("main table tbody th a").all()]
    page.goto("/console/complaints?view=awaiting")
    links += [a.get_attribute("href") for a in page.locator("main table tbody th a").all()]
    for href in dict.fromkeys(links):
        assert page.goto(href).status == 200
        assert_accessible(page)


def test_contact_page_and_its_errors_have_no_axe_violations(new_page: NewPage) -> None:
    page = new_page()
    sign_in_page(page, ACCOUNTS["staff"])
    path = log_contact(page, "The bins were not collected.\nAgain.", complaint=False)
    assert page.locator("blockquote.own-words").inner_text() == "The bins were not collected.\nAgain."
    assert_accessible(page)
    classify = region(page, "Classify this contact")
    classify.get_by_label("Service request").check()
    press(classify, "Classify")
    assert page.title().startswith("Error:")
    assert page.get_by_role("alert").get_by_role("link", name="Give the reason.").is_visible()
    assert_accessible(page)
    assert page.url.endswith(path + "/classify")


def test_contact_form_with_errors_has_no_axe_violations(new_page: NewPage) -> None:
    page = new_page()
    sign_in_page(page, ACCOUNTS["staff"])
    page.goto("/console/contacts/new")
    form = page.locator("main form")
    form.get_by_label("What they told us, in their own words").fill("Words that must not be lost.")
    press(form, "Log the contact")
    summary = page.get_by_role("alert")
    assert summary.get_by_role("link", name="Choose how this came in.").get_attribute("href") == "#channel-0"
    assert page.get_by_label("What they told us, in their own words").input_value() == "Words that must not be lost."
    assert_accessible(page)


def test_case_handler_acknowledges_extends_and_responds_by_keyboard(new_page: NewPage) -> None:
    page = new_page(javascript=False)
    sign_in_page(page, ACCOUNTS["staff"])
    log_contact(page, "The lift has been broken for two weeks and I use a wheelchair.", complaint=True)
    assert_accessible_copy(new_page, page)
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(r"^Go to complaint LL-")).click()
    assert re.search(r"/console/complaints/\d+$", page.url)
    assert_accessible_copy(new_page, page)

    acknowledge = region(page, "Acknowledge the complaint")
    point = acknowledge.get_by_role("group", name="Point 1")
    point.get_by_label("What the complaint is about").fill("The lift has been out of order for two weeks")
    point.get_by_label("The outcome they want").fill("The lift repaired")
    acknowledge.get_by_label("What the resident wants to happen overall").fill("A working lift and a plan")
    press(acknowledge, "Acknowledge")
    assert "The complaint is acknowledged." in page.locator(".flashes").inner_text()
    assert "Being looked into" in page.locator("dl.summary").inner_text()
    assert_accessible_copy(new_page, page)

    extend = region(page, "Extend the response deadline")
    extend.get_by_label("Extra working days").fill("5")
    extend.get_by_label("Why we need more time").fill("The lift engineer's report is due next week.")
    extend.get_by_label("The resident was given the Ombudsman's details").check()
    press(extend, "Extend")
    assert "The response deadline has been extended." in page.locator(".flashes").inner_text()
    assert "extended by 5 working days" in region(page, "Deadlines").inner_text()
    assert_accessible_copy(new_page, page)

    respond = region(page, "Respond to the complaint")
    decision = respond.get_by_role("group", name=re.compile(r"^Point 1"))
    decision.get_by_label("Upheld", exact=True).check()
    decision.get_by_label("Reasons for this decision").fill("The repair took too long.")
    respond.get_by_label("Our answer and the reasons for it").fill("We are sorry the lift took so long to fix.")
    assert "stage 2" in respond.get_by_label("What they can do next").input_value()
    remedy = respond.get_by_role("group", name="Remedy 1")
    remedy.get_by_label("Kind of remedy").select_option(label="An apology")
    remedy.get_by_label("What we will do").fill("A written apology from the head of repairs.")
    remedy.get_by_label("Done by").fill("2030-01-31")
    remedy.get_by_label("Who will do it").select_option(index=1)
    respond.get_by_label("The underlying cause").fill("The lift contract had no repair deadline.")
    respond.get_by_label("The remedial action we are taking").fill("The contract now sets one.")
    press(respond, "Issue the response")
    assert "The response has been issued." in page.locator(".flashes").inner_text()
    assert "Answered" in page.locator("dl.summary").inner_text()
    assert region(page, "Our answers").get_by_text("The repair took too long.").is_visible()
    assert_accessible_copy(new_page, page)


def test_step_sent_with_mistakes_has_no_axe_violations(new_page: NewPage) -> None:
    page = new_page()
    sign_in_page(page, ACCOUNTS["staff"])
    log_contact(page, "Nobody answers the phone.", complaint=True)
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(r"^Go to complaint LL-")).click()
    press(region(page, "Acknowledge the complaint"), "Acknowledge")
    summary = page.get_by_role("alert")
    link = summary.get_by_role("link", name="Write down at least one point of the complaint.")
    assert link.get_attribute("href") == "#acknowledge-point_1"
    assert_accessible(page)


def test_someone_without_an_account_is_named_in_the_queue_and_in_search(new_page: NewPage) -> None:
    page = new_page()
    sign_in_page(page, ACCOUNTS["staff"])
    name = f"Gwen Unsworth {uuid.uuid4().hex[:8]}"
    reference = log_complaint_from_person(page, name, "The communal door has not shut for a month.")
    assert page.goto("/console/complaints?view=open").status == 200
    row = queue_row(page, reference)
    assert name in row.inner_text() and "No account" not in row.inner_text()
    assert_accessible(page)
    page.locator("#console-search-q").fill(name.split()[-1])
    with page.expect_navigation():
        page.locator("#console-search-q").press("Enter")
    found = page.locator("main table tbody tr").filter(has=page.get_by_role("link", name=reference, exact=True))
    assert found.count() == 1 and name in found.inner_text()
    assert_accessible(page)


def test_someone_without_an_account_is_found_by_phone_with_their_postcode(new_page: NewPage) -> None:
    page = new_page()
    sign_in_page(page, ACCOUNTS["staff"])
    name = f"Gwen Unsworth {uuid.uuid4().hex[:8]}"
    digits = f"{uuid.uuid4().int % 10**6:06d}"  # a number no other test gives
    details = {"Phone number": f"07700 9{digits[:2]} {digits[2:]}", "Postcode": "CF10 1AA"}
    reference = log_complaint_from_person(page, name, "The lift has been broken for a week.", **details)
    assert page.goto("/console/search").status == 200
    page.get_by_label("Reference, name, email, phone number, postcode or words").fill(f"+44 7700 9{digits}")
    with page.expect_navigation():
        page.get_by_label("Reference, name, email, phone number, postcode or words").press("Enter")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1
    assert reference in rows.inner_text() and name in rows.inner_text() and "CF10 1AA" in rows.inner_text()
    assert_accessible(page)
