"""Nobody is left out, in headless Chromium: staff log a phone complaint from someone without an account,
answer it, and find the letters for them in the letters queue; someone who asked for calls appears in
"Calls to make", where staff record the call. In English and in Welsh, with axe on every page.

A queue worker runs meanwhile, as in production, to turn each step into its messages.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from backend.i18n import translations
from tests.browser.conftest import ACCOUNTS, sign_in_page
from tests.browser.test_console_cases_browser import region
from tests.browser.test_pages import assert_accessible

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
# The worker first sends what earlier tests on the shared server left in the queue.
WAIT_SECONDS = 120
# One person per language: the demo server is shared by the whole run.
PEOPLE = {"en": ("Ffion Parry", "Gwen Evans"), "cy": ("Ffion Morgan", "Gwen Hughes")}


@contextmanager
def running_worker(environ: dict[str, str]) -> Iterator[None]:
    """A queue worker for the demo server, started once the page is signed in (it is slow to start)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "portal.cli", "worker", "--no-periodic", "--workers", "1"],
        env=environ,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def press(scope: Any, button: str) -> None:
    target = scope.get_by_role("button", name=button, exact=True)
    target.focus()
    with target.page.expect_navigation():
        target.page.keyboard.press("Enter")


def switch_language(page: Any, name: str) -> None:
    with page.expect_navigation():
        page.locator("header").get_by_role("button", name=name).click()


def log_person(page: Any, name: str, locale: str, write_by: str, **details: str) -> str:
    """Log a phone complaint from someone without an account; return the complaint's reference."""
    page.goto("/console/contacts/new")
    form = page.locator("main form")
    form.get_by_role("group", name="Who is it from?").get_by_label("Someone without an account").check()
    form.get_by_label("Name", exact=True).fill(name)
    for label, value in details.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_role("group", name="How should we write to them?").get_by_label(write_by).check()
    form.get_by_label("Nation of the home").select_option("wales")  # Aberystwyth: no home on record to say so
    form.get_by_role("group", name="How did it reach us?").get_by_label("Phone", exact=True).check()
    form.get_by_label("Language they used").select_option(locale)
    form.get_by_label("What they told us, in their own words").fill("The damp in the bedroom is back.")
    form.get_by_label("They want to make a complaint").check()
    press(form, "Log the contact")
    assert_accessible(page)
    return re.search(r"LL-\d{4}-\d{6}", page.locator(".flashes").inner_text()).group(0)


def answer(page: Any) -> None:
    """Acknowledge the complaint on the contact page's link, then respond to it."""
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(r"^Go to complaint LL-")).click()
    acknowledge = region(page, "Acknowledge the complaint")
    point = acknowledge.get_by_role("group", name="Point 1")
    point.get_by_label("What the complaint is about").fill("Damp in the bedroom")
    point.get_by_label("The outcome they want").fill("The damp treated")
    acknowledge.get_by_label("What the resident wants to happen overall").fill("A dry bedroom")
    press(acknowledge, "Acknowledge")
    respond = region(page, "Respond to the complaint")
    decision = respond.get_by_role("group", name=re.compile(r"^Point 1"))
    decision.get_by_label("Not upheld", exact=True).check()
    decision.get_by_label("Reasons for this decision").fill("The survey found no damp.")
    respond.get_by_label("Our answer and the reasons for it").fill("Our surveyor found the walls dry.")
    press(respond, "Issue the response")
    assert "The response has been issued." in page.locator(".flashes").inner_text()
    assert_accessible(page)


def print_answer(page: Any, letter: Any, locale: str) -> None:
    """Open the answer's printable letter and its PDF: laid out from the details recorded for the person."""
    with page.expect_navigation():
        letter.get_by_role("link", name=re.compile(r"^(Printable letter|Llythyr i'w argraffu)")).first.click()
    article = page.locator("article.printable-letter")
    assert article.get_attribute("lang") == locale
    assert "SY23 1AA" in article.inner_text() and "The survey found no damp." in article.inner_text()
    assert_accessible(page)
    pdf = page.request.get(page.locator("a[href$='.pdf']").first.get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")


def test_preview_for_someone_reached_only_by_text_says_their_copy_waits(new_page: NewPage) -> None:
    """Name and number only: the preview is the text message, and says the written copy waits for an address."""
    page = new_page()
    sign_in_page(page, ACCOUNTS["staff"])
    log_person(page, "Megan Price", "en", "They did not say", **{"Phone number": "07700 900124"})
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(r"^Go to complaint LL-")).click()
    refuse = region(page, "Do not take it forward")
    refuse.locator('input[value="over_six_months"]').check()  # Aberystwyth: the Welsh procedure's grounds
    refuse.get_by_label("Reasons").fill("The leak was repaired in 2019.")
    refuse.get_by_label("The resident was given the Ombudsman's details").check()
    press(refuse, "Preview the message")
    preview = page.get_by_role("region", name="What the resident will be sent")
    assert "By Text message, in English." in preview.inner_text()
    assert "There is no email or postal address to send the full message in writing." in preview.inner_text()
    assert "We need an email or postal address" in preview.inner_text()
    assert page.get_by_role("region", name="Do not take it forward", exact=True).get_by_label("Reasons").input_value()
    assert_accessible(page)


def wait_for(page: Any, path: str, locator: Callable[[Any], Any], count: int) -> Any:
    """Reload ``path`` until ``locator(page)`` matches ``count`` elements (the worker sends meanwhile)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        page.goto(path)
        found = locator(page)
        if found.count() >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


@pytest.mark.parametrize("locale", ["en", "cy"])
def test_staff_answer_a_phone_complaint_by_letter_and_make_a_call(
    new_page: NewPage, live_server: tuple[str, dict[str, str]], locale: str
) -> None:
    page = new_page()
    sign_in_page(page, ACCOUNTS["staff"])
    with running_worker(live_server[1]):
        answer_and_call(page, locale)


def answer_and_call(page: Any, locale: str) -> None:
    letter_person, call_person = PEOPLE[locale]
    reference = log_person(
        page, letter_person, locale, "Letter by post", Address="4 Heol y Bont, Aberystwyth", Postcode="SY23 1AA"
    )
    answer(page)
    log_person(page, call_person, locale, "Phone call", **{"Phone number": "07700 900123"})
    try:
        if locale == "cy":
            switch_language(page, "Cymraeg")
            assert page.locator("html").get_attribute("lang") == "cy"

        letters = wait_for(
            page,
            "/console/letters",
            lambda p: p.locator("article.letter").filter(has_text=letter_person).filter(has_text=reference),
            3,  # the contact's acknowledgement, the complaint's acknowledgement, and the answer
        )
        assert letters.count() == 3
        for letter in letters.all():
            assert letter.get_attribute("lang") == locale
            assert "SY23 1AA" in letter.locator(".letter-address").inner_text()
        assert_accessible(page)
        print_answer(page, letters.filter(has_text="The survey found no damp.").first, locale)

        calls = wait_for(page, "/console/calls", lambda p: p.locator("article").filter(has_text=call_person), 1)
        call = calls.first
        assert "07700 900123" in call.inner_text()
        assert call.locator(".letter").get_attribute("lang") == locale
        assert_accessible(page)
        record = f"{translations(locale).gettext('Record the call')} – {call_person}"
        press(call, record)  # no outcome chosen: the error is shown, linked
        assert page.title().startswith(("Error:", "Gwall:"))
        assert_accessible(page)
        call = page.locator("article").filter(has_text=call_person).first
        call.locator('input[value="done"]').check()
        press(call, record)
        assert page.locator("article").filter(has_text=call_person).count() == 0
        page.goto("/console/calls?status=done")
        assert page.locator("article").filter(has_text=call_person).count() >= 1
        assert_accessible(page)
    finally:
        if locale == "cy":
            switch_language(page, "English")
