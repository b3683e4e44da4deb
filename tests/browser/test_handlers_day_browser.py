"""A case handler's day, in headless Chromium, in English and in Welsh, with axe on every page visited.

The handler starts on the console's overview and goes where its links lead: a damp and mould complaint nobody
handles is taken on, and the hazard it names is flagged and escalated to the senior lead, who hears of it in their
messages and finds it from their own overview. The answer will be late, so an update interval is agreed with the
resident, and a month later the hourly sweep flags the missed update. The answer is given with a remedy another
member of staff owns, due today; a week later the promise sweep tells the owner, the handler and the handler's line
manager, each in their own messages. The line manager records a restriction on contact, with its evidence and a
review date, and later reviews it. The overview's counts move as all this happens.

The live server has no worker and runs on the real clock: the test runs the sweeps itself, for a later day, and
turns the events they record into messages, in the server's environment. The three members of staff are the test's
own accounts (choosing Welsh is remembered on an account, and the demo accounts serve other tests); an admin names
the line manager and the senior lead first. Fields are found by their names, and expected wording is taken from the
page's language's catalogue, so the same steps check the same words in both languages.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from backend.i18n import translations
from backend.timeutil import local_date
from tests.browser.conftest import ACCOUNTS, sign_in_page
from tests.browser.test_console_cases_browser import queue_row
from tests.browser.test_internal_notes_browser import press_enter_on
from tests.browser.test_pages import assert_accessible
from tests.browser.test_promises_browser import sweep_a_week_later
from tests.browser.test_update_intervals_browser import patient, run_sweep
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PASSWORD = "a handler's day passphrase"  # throwaway test accounts
WORDS = {
    "en": "There is black mould on the bedroom wall and damp under the window.",
    "cy": "Mae llwydni du ar wal yr ystafell wely ac mae'r babi yn peswch o hyd.",
}
# Turns the events recorded for the test's own staff into the messages they are sent, as the worker would.
DISPATCH = """
import sys
from portal.cli import _database, _settings
_database(_settings())
from backend.accounts.models import User
from backend.events.models import OutboxEvent
from backend.notifications.sending import send_delivery
from backend.notifications.services import plan_deliveries
from backend.timeutil import utcnow
people = {user.id for user in User.select().where(User.email.in_(sys.argv[1:]))}
for event in OutboxEvent.select().where(OutboxEvent.dispatched_at.is_null()).order_by(OutboxEvent.id):
    if event.payload.get("recipient_id") in people:
        for delivery_id in plan_deliveries(event):
            send_delivery(delivery_id)
        OutboxEvent.update(dispatched_at=utcnow()).where(OutboxEvent.id == event.id).execute()
"""
# The test's resident lives where the demo resident does, in England, so the Housing Ombudsman's Code applies.
MOVE_IN = """
import sys
from portal.cli import _database, _settings
_database(_settings())
from backend.accounts.models import User
home = User.get(User.email == "resident@example.org").home_id
User.update(home=home).where(User.email == sys.argv[1]).execute()
"""


def send_messages(environ: dict[str, str], *emails: str) -> None:
    subprocess.run([sys.executable, "-c", DISPATCH, *emails], env=environ, check=True, timeout=120)


def go(page: Any, link: Any) -> None:
    """Follow a link (the first that matches) and check the page it opens."""
    with page.expect_navigation():
        link.first.click()
    assert_accessible(page)


def submit(page: Any, form: Any) -> None:
    press_enter_on(page, form.locator("button[type=submit]").last)


def says(text: str, wording: str) -> bool:
    """Whether ``text`` has every fixed part of ``wording`` (a catalogue string with %(name)s places in it)."""
    return all(part.strip() in text for part in re.split(r"%\(\w+\)s", wording) if part.strip())


class Person:
    """An account of the test's own (staff, or the resident), signed in, in the test's language."""

    def __init__(
        self, new_page: NewPage, environ: dict[str, str], role: str, name: str, switch: str | None, **options: Any
    ) -> None:
        self.name = f"{name} {uuid.uuid4().hex[:6]}"
        self.email = f"day.{uuid.uuid4().hex[:10]}@example.org"
        run_cli(environ, "users", "create", "--email", self.email, "--name", self.name, "--role", role,
                "--password", PASSWORD)  # fmt: skip
        self.page = new_page(**options)
        sign_in_page(self.page, self.email, PASSWORD)
        if switch:
            with self.page.expect_navigation():
                self.page.locator("header").get_by_role("button", name=switch).click()

    @property
    def choice(self) -> str:
        """How the console's staff lists name them."""
        return f"{self.name} ({self.email})"

    def complains(self, words: str) -> str:
        """Tell us of a complaint on the portal, as a resident, from their cases; give its reference."""
        go(self.page, self.page.locator("header a[href='/cases']"))
        go(self.page, self.page.locator("main a[href='/cases/new']"))
        self.page.locator("input[name=kind][value=complaint]").check()
        self.page.locator("textarea[name=description]").fill(words)
        press_enter_on(self.page, self.page.locator("main form button[type=submit]"))
        assert re.search(r"/cases/\d+$", self.page.url), self.page.url
        assert_accessible(self.page)
        return str(re.search(r"LL-\d{4}-\d{6}", self.page.locator("h1").inner_text()).group(0))

    def overview(self) -> dict[str, int]:
        """Open the overview from the header and read its counts, by tile."""
        go(self.page, self.page.locator("header a[href='/console/']"))
        counts = {}
        for tile in self.page.locator("main li.tile").all():
            key = re.search(r"tile--(\w+)", tile.get_attribute("class") or "").group(1)
            counts[key] = int(re.sub(r"\D", "", tile.locator(".tile-count").inner_text()))
        return counts

    def messages(self) -> str:
        """Open their messages from the header; give the subjects."""
        go(self.page, self.page.locator("header a[href='/messages']"))
        return self.page.locator("main .message-list").inner_text()


def admin_names(new_page: NewPage, lead: Person, handler: Person) -> None:
    """The (demo) admin makes ``lead`` the handler's line manager and names them senior lead, from the console."""
    admin = new_page()
    sign_in_page(admin, ACCOUNTS["admin"])
    go(admin, admin.locator("header a[href='/console/']"))
    go(admin, admin.locator("nav a[href='/console/people']"))
    search = admin.locator("main input#q")
    search.fill(handler.email)
    with admin.expect_navigation():
        search.press("Enter")
    assert_accessible(admin)
    go(admin, admin.locator("main a[href$='/team']"))
    form = admin.locator("main form")
    form.locator("select[name=manager_id]").select_option(label=lead.choice)
    submit(admin, form)
    assert_accessible(admin)
    go(admin, admin.locator("nav a[href='/console/roles']"))
    form = admin.locator("main form")
    form.locator("input[name=role][value=senior_lead]").check()
    form.locator("select[name=person]").select_option(label=lead.choice)
    submit(admin, form)
    assert lead.name in admin.locator("main table").inner_text()
    assert_accessible(admin)


def open_case_from(page: Any, tile: str, tab: str | None, reference: str) -> str:
    """From the overview, open a queue by its tile (and then a tab), and the case from its row; give its address."""
    go(page, page.locator(f"main .tile--{tile} a"))
    if tab:
        go(page, page.locator(f"nav.tabs a[href*='view={tab}']"))
    go(page, queue_row(page, reference).get_by_role("link", name=reference, exact=True))
    assert re.search(r"/console/complaints/\d+$", page.url), page.url
    return str(page.url)


def action(page: Any, href_end: str) -> None:
    go(page, page.locator(f"nav#actions a[href$='{href_end}']"))


@pytest.mark.parametrize(("language", "switch"), [("en", None), ("cy", "Cymraeg")])
def test_a_case_handlers_day_from_the_overview(
    new_page: NewPage, live_server: tuple[str, dict[str, str]], language: str, switch: str | None
) -> None:
    environ = live_server[1]
    new_page = patient(new_page)
    gettext = translations(language).gettext
    today = local_date()
    handler = Person(new_page, environ, "staff", "Day Handler", switch)
    lead = Person(new_page, environ, "manager", "Day Lead", switch)
    owner = Person(new_page, environ, "staff", "Day Owner", switch)
    admin_names(new_page, lead, handler)
    resident = Person(new_page, environ, "resident", "Day Resident", switch)
    subprocess.run([sys.executable, "-c", MOVE_IN, resident.email], env=environ, check=True, timeout=120)
    reference = resident.complains(f"{WORDS[language]} {uuid.uuid4().hex[:8]}")
    page = handler.page

    # The overview first: a complaint nobody handles, not yet acknowledged.
    before = handler.overview()
    assert page.locator("html").get_attribute("lang") == language
    open_case_from(page, "unassigned", None, reference)
    action(page, "/assign")
    form = page.locator("#step-assign form")
    form.locator("select[name=assign-handler]").select_option(label=handler.choice)
    submit(page, form)
    assert handler.name in page.locator("main dl.summary").first.inner_text()
    assert_accessible(page)
    case_url = page.url

    # The resident's words suggest damp and mould; the handler flags it, and it goes to the senior lead.
    hazards = page.locator("[aria-labelledby=hazard-heading]")
    assert ("llwydni" if language == "cy" else "mould") in hazards.inner_text()
    go(page, hazards.locator("a"))
    go(page, page.locator("main a[href$='/hazards/new?kind=damp_mould']"))
    form = page.locator("main form").last
    assert form.locator("input[name=kind][value=damp_mould]").is_checked()
    form.locator("input[name=severity][value=significant]").check()
    form.locator("textarea[name=description]").fill("Bedroom, north wall.")
    submit(page, form)
    assert_accessible(page)  # asks to check before flagging
    submit(page, page.locator("main form"))
    assert re.search(r"/console/hazards/\d+$", page.url), page.url
    hazard_path = re.sub(r"^https?://[^/]+", "", page.url)
    escalated = page.locator("main dl.summary").inner_text()
    assert f"{lead.name} ({gettext('senior lead')})" in escalated
    assert_accessible(page)

    after = handler.overview()
    assert after["hazards"] == before["hazards"] + 1
    assert after["unassigned"] == before["unassigned"] - 1

    # The senior lead hears of it in their messages, and finds it from their own overview.
    send_messages(environ, lead.email)
    assert gettext("Hazard escalated: %(reference)s") % {"reference": reference} in lead.messages()
    lead.overview()
    go(lead.page, lead.page.locator("main .tile--hazards a"))
    go(lead.page, lead.page.locator(f"main table a[href$='{hazard_path}']"))
    assert lead.name in lead.page.locator("main dl.summary").inner_text()

    # Acknowledged, then extended: the answer will be late, so an update interval is agreed with the resident.
    handler.overview()
    assert open_case_from(page, "unassigned", "mine", reference) == case_url
    action(page, "/acknowledge")
    form = page.locator("#step-acknowledge form")
    form.locator("textarea[name=acknowledge-point_1]").fill("Black mould in the bedroom")
    form.locator("input[name=acknowledge-outcome_1]").fill("A dry bedroom")
    form.locator("textarea[name=acknowledge-outcomes_sought]").fill("A dry, safe home")
    submit(page, form)
    assert page.url == case_url
    assert page.locator("nav#actions a[href$='/update-interval']").count() == 0  # not late yet
    assert_accessible(page)
    action(page, "/extend")
    form = page.locator("#step-extend form")
    form.locator("input[name=extend-days]").fill("2")
    form.locator("textarea[name=extend-reason]").fill("We are waiting for the damp survey.")
    form.locator("input[name=extend-told_on]").fill(today.isoformat())
    form.locator("input[name=extend-ombudsman_details_given]").check()
    submit(page, form)
    assert page.url == case_url
    assert_accessible(page)
    action(page, "/update-interval")
    form = page.locator("main form")
    form.locator("input[name=every_days]").fill("2")
    form.locator("input[name=agreed_on]").fill(today.isoformat())
    form.locator("input[name=method][value=phone]").check()
    form.locator("textarea[name=note]").fill("Calls after 4pm.")
    submit(page, form)
    assert page.url == case_url
    assert_accessible(page)
    acknowledged = handler.overview()
    assert acknowledged["unacknowledged"] == after["unacknowledged"] - 1

    # A month on, no update was sent: the sweep flags it, on the case and in the handler's messages.
    assert "'missed': 0" not in run_sweep(environ, today + dt.timedelta(days=30))
    open_case_from(page, "unassigned", "mine", reference)
    action(page, "/update-interval")
    missed = page.locator("main .overdue")
    assert missed.count() == 1
    assert says(missed.inner_text(), gettext("The update due by %(due)s was missed"))
    send_messages(environ, handler.email)
    assert gettext("Complaint %(reference)s: an update is overdue") % {"reference": reference} in handler.messages()

    # The answer, with a remedy the owner is to do by today.
    handler.overview()
    open_case_from(page, "unassigned", "mine", reference)
    action(page, "/respond")
    form = page.locator("#step-respond form")
    form.locator("input[name^=respond-decision_][value=upheld]").check()
    form.locator("textarea[name^=respond-decision_reasons_]").fill("The damp was reported and not treated.")
    form.locator("textarea[name=respond-reasons]").fill("We are sorry the damp was left untreated.")
    form.locator("select[name=respond-remedy_kind_1]").select_option("apology")
    form.locator("textarea[name=respond-remedy_description_1]").fill("A letter of apology from the repairs manager.")
    form.locator("input[name=respond-remedy_due_1]").fill(today.isoformat())
    form.locator("select[name=respond-remedy_owner_1]").select_option(label=owner.choice)
    form.locator("textarea[name=respond-underlying_cause]").fill("Damp reports were not passed to surveyors.")
    form.locator("textarea[name=respond-remedial_action]").fill("Damp reports now go straight to a surveyor.")
    submit(page, form)
    assert page.url == case_url, page.locator("main").inner_text()
    remedies = page.locator("main table", has_text="A letter of apology from the repairs manager.")
    assert gettext("Overdue.") not in remedies.inner_text()
    assert_accessible(page)

    # A week on it is not done: the promise sweep tells the owner, the handler and the handler's line manager.
    sweep_a_week_later(environ)
    page.reload()
    remedies = page.locator("main table", has_text="A letter of apology from the repairs manager.")
    assert gettext("Overdue.") in remedies.inner_text()
    assert says(remedies.inner_text(), gettext("Its owner, the case handler and their manager were told on %(when)s."))
    assert_accessible(page)
    send_messages(environ, owner.email, handler.email, lead.email)
    overdue = gettext("Overdue: a promise on complaint %(reference)s") % {"reference": reference}
    # The lead owns nothing here: they are told as the handler's line manager, which the admin named.
    for person in (owner, handler, lead):
        assert overdue in person.messages(), person.name

    # The line manager records a restriction on contact, with its evidence and a review date, and reviews it.
    manager = lead.page
    lead.overview()
    box = manager.locator("#console-search-q")
    box.fill(reference)
    with manager.expect_navigation():
        box.press("Enter")
    assert_accessible(manager)
    go(manager, manager.locator("main table").get_by_role("link", name=reference, exact=True))
    assert manager.url == case_url
    go(manager, manager.locator("main a[href*='/safeguards']"))
    go(manager, manager.locator("main a[href*='/restrictions/new']"))
    form = manager.locator("main form")
    form.locator("textarea[name=behaviour]").fill("Shouted at the surveyor on 3 March.")
    form.locator("textarea[name=evidence]").fill("The surveyor's note of 3 March.")
    form.locator("input[name=kind][value=email_only]").check()
    form.locator("textarea[name=details]").fill("Please email us only.")
    form.locator("textarea[name=equality_consideration]").fill("No disability disclosed; email suits them.")
    form.locator("input[name=review_due_on]").fill((today + dt.timedelta(days=90)).isoformat())
    submit(manager, form)
    assert manager.url == case_url, manager.locator("main").inner_text()
    assert_accessible(manager)
    # The handler sees it on the case, from their overview, and the case still works.
    handler.overview()
    open_case_from(page, "unassigned", "mine", reference)
    banner = page.locator(".notice--restriction")
    assert banner.count() == 1 and "Please email us only." in banner.inner_text()
    assert_accessible(page)

    first_review = banner.inner_text()
    later = today + dt.timedelta(days=180)
    go(manager, manager.locator("main a[href*='/safeguards']"))
    go(manager, manager.locator("main a[href*='/review']"))
    form = manager.locator("main form")
    form.locator("input[name=outcome][value=continue]").check()
    form.locator("textarea[name=review_outcome]").fill("Two more shouting calls since; it is still needed.")
    form.locator("input[name=next_review_on]").fill(later.isoformat())
    submit(manager, form)  # kept, not ended: nothing to confirm
    assert manager.url == case_url, manager.locator("main").inner_text()
    banner = manager.locator(".notice--restriction")
    assert banner.count() == 1 and banner.inner_text() != first_review  # a later review date
    assert says(banner.inner_text(), gettext("Review by %(due)s."))
    assert_accessible(manager)

    # The end of the day: the hazard is still open, and the complaint is answered.
    end = handler.overview()
    assert end["hazards"] == before["hazards"] + 1
    assert end["unacknowledged"] == before["unacknowledged"] - 1
    assert page.locator("html").get_attribute("lang") == language
