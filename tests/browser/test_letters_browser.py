"""Letters in headless Chromium: a case handler previews the answer to a Welsh resident who asked for post, issues
it, and prints the letter; the console pages work in English and in Welsh, and axe finds nothing on any of them.

The handler presses each button from the keyboard. The console has no scripts of its own, so the page runs with
scripts on for axe, which checks every page as it is shown, the preview included (it answers a POST, so it has
no address to open again). The live server has no worker, so the test sends the answer itself.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from backend.i18n import translations
from tests.browser.conftest import ACCOUNTS, sign_in_page
from tests.browser.test_console_cases_browser import press, region
from tests.browser.test_pages import assert_accessible

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PRELUDE = """
from portal.cli import _database, _settings
_database(_settings())
from backend.accounts.models import User
"""
CHOOSE_POST = (
    PRELUDE
    + "User.update(contact_channel=__import__('sys').argv[1]).where(User.email == 'preswylydd@example.org').execute()"
)
SEND_ANSWER = (
    PRELUDE
    + """
from backend.events.models import OutboxEvent
from backend.notifications.sending import send_delivery
from backend.notifications.services import plan_deliveries
welsh = User.get(User.email == 'preswylydd@example.org')
answers = OutboxEvent.select().where(OutboxEvent.name == 'complaint.responded').order_by(OutboxEvent.id.desc())
event = next(event for event in answers if event.payload.get('user_id') == welsh.id)
for delivery_id in plan_deliveries(event):
    send_delivery(delivery_id)
"""
)


def run(environ: dict[str, str], script: str, *args: str) -> None:
    subprocess.run([sys.executable, "-c", script, *args], env=environ, check=True, timeout=120)


@pytest.fixture
def welsh_resident_by_post(live_server: tuple[str, dict[str, str]]) -> Any:
    environ = live_server[1]
    run(environ, CHOOSE_POST, "post")
    yield environ
    run(environ, CHOOSE_POST, "email")


def log_welsh_complaint(page: Any) -> None:
    page.goto("/console/contacts/new")
    form = page.locator("main form")
    form.get_by_label("The resident's email address").fill(ACCOUNTS["welsh_resident"])
    form.get_by_role("group", name="How did it reach us?").get_by_label("Phone", exact=True).check()
    form.get_by_label("What they told us, in their own words").fill("Mae dŵr yn dod drwy'r to ers wythnos.")
    form.get_by_label("They want to make a complaint").check()
    press(form, "Log the contact")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(r"^Go to complaint LL-")).click()


def test_handler_previews_issues_and_prints_a_welsh_letter(new_page: NewPage, welsh_resident_by_post: Any) -> None:
    page = new_page()
    sign_in_page(page, ACCOUNTS["staff"])
    log_welsh_complaint(page)
    acknowledge = region(page, "Acknowledge the complaint")
    point = acknowledge.get_by_role("group", name="Point 1")
    point.get_by_label("What the complaint is about").fill("Mae'r to yn gollwng")
    point.get_by_label("The outcome they want").fill("Trwsio'r to")
    acknowledge.get_by_label("What the resident wants to happen overall").fill("To sych")
    press(acknowledge, "Acknowledge")

    respond = region(page, "Respond to the complaint")
    decision = respond.get_by_role("group", name=re.compile(r"^Point 1"))
    decision.get_by_label("Upheld", exact=True).check()
    decision.get_by_label("Reasons for this decision").fill("Roedd y gwaith yn hwyr.")
    respond.get_by_label("Our answer and the reasons for it").fill("Mae'n ddrwg gennym.")
    remedy = respond.get_by_role("group", name="Remedy 1")
    remedy.get_by_label("Kind of remedy").select_option(label="An apology")
    remedy.get_by_label("What we will do").fill("Llythyr o ymddiheuriad.")
    remedy.get_by_label("Done by").fill("2030-01-31")
    remedy.get_by_label("Who will do it").select_option(index=1)
    respond.get_by_label("The underlying cause").fill("Ni chafodd y to ei archwilio.")
    respond.get_by_label("The remedial action we are taking").fill("Mae pob to yn cael ei archwilio.")
    press(respond, "Preview the message")
    preview = page.get_by_role("region", name="What the resident will be sent")
    assert "Letter" in preview.inner_text() and "Cymraeg" in preview.inner_text()
    body = preview.locator("[lang=cy]")
    assert "Penderfyniad: Cadarnhawyd" in body.inner_text() and "31 Ionawr 2030" in body.inner_text()
    assert respond.get_by_label("Reasons for this decision").input_value() == "Roedd y gwaith yn hwyr."
    assert_accessible(page)
    press(region(page, "Respond to the complaint"), "Issue the response")
    assert "The response has been issued." in page.locator(".flashes").inner_text()

    run(welsh_resident_by_post, SEND_ANSWER)
    page.goto("/console/letters")
    assert_accessible(page)
    letter = page.locator("article.letter", has_text="Roedd y gwaith yn hwyr.").first
    printable = letter.get_by_role("link", name=re.compile(r"^Printable letter"))
    with page.expect_navigation():
        printable.click()
    article = page.locator("article.printable-letter")
    assert article.get_attribute("lang") == "cy"
    caption = translations("cy").gettext("Our decision on each point")
    assert page.get_by_role("table", name=caption).is_visible()
    assert "Roedd y gwaith yn hwyr." in article.inner_text() and "Erbyn pryd" in article.inner_text()
    assert_accessible(page)
    pdf_link = page.get_by_role("link", name="Download the letter as a PDF")
    pdf = page.request.get(pdf_link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")

    with page.expect_navigation():
        page.get_by_role("button", name="Cymraeg").click()
    try:
        assert page.locator("html").get_attribute("lang") == "cy"
        assert page.locator("article.printable-letter").get_attribute("lang") == "cy"
        assert_accessible(page)
        page.goto("/console/letters")
        assert page.locator("html").get_attribute("lang") == "cy"
        assert_accessible(page)
    finally:
        # The language is kept on the shared staff account: put it back for the tests that follow.
        with page.expect_navigation():
            page.get_by_role("button", name="English").click()


def test_stage_page_with_its_leaflet_form_has_no_axe_violations(new_page: NewPage) -> None:
    page = new_page()
    sign_in_page(page, ACCOUNTS["admin"])
    page.goto("/console/complaint-settings")
    with page.expect_navigation():
        page.locator("main a[href*='/complaint-settings/stages/']").first.click()
    assert page.get_by_role("heading", name="Leaflet enclosed with letters").is_visible()
    page.get_by_label("Title of the leaflet").fill("Stage 1 guide")
    with page.expect_navigation():
        page.get_by_role("button", name="Enclose this leaflet").click()
    summary = page.get_by_role("alert").filter(has_text="Choose a PDF file.")
    assert summary.get_by_role("link", name="Choose a PDF file.").get_attribute("href") == "#file"
    assert page.get_by_label("Title of the leaflet").input_value() == "Stage 1 guide"
    assert_accessible(page)
