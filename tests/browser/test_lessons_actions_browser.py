"""A SMART action from proposal to verification, in headless Chromium, in English and in Welsh: a member of staff
proposes an action for a lesson, a manager authorises it, the clock moves so it is overdue and the sweep runs, the
escalation shows in the delivery log, the owner records it done with evidence, another manager signs it off and
verifies it. axe checks every page on the way.

The live server has no worker and runs on the real clock, so the test runs the sweep itself in the server's
environment with the clock seam (``backend.timeutil.clock``) moved past the due date, and plans the deliveries of
the events it recorded. The lesson (another part of the lessons collector makes it through its own pages) is made
straight in the tables.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from backend.i18n import translations
from backend.timeutil import local_date
from tests.browser.conftest import sign_in_page
from tests.browser.test_pages import assert_accessible
from tests.browser.test_restricted_cases_browser import patient
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PASSWORD = "improvement actions passphrase"  # throwaway test accounts
PRELUDE = """
import sys, json, datetime
from portal.cli import _database, _settings
_database(_settings())
"""
SETUP = (
    PRELUDE
    + """
from backend.accounts.models import User
from backend.complaints.models import RoleDesignation
from backend.lessons.models import Lesson, LessonCause, RootCause
from backend.timeutil import local_date
tag, owner, line_manager, senior = sys.argv[1:5]
User.update(manager=User.get(User.email == line_manager).id).where(User.email == owner).execute()
RoleDesignation.create(role="senior_manager", person=User.get(User.email == senior).id, starts_on=local_date())
lesson = Lesson.create(
    reference=f"LS-{local_date().year}-{tag[:4]}", title=f"Repairs visits missed {tag}", status="analysed",
    identified_on=local_date(),
)
cause = RootCause.get_or_create(name="Process", parent=None)[0]
LessonCause.create(lesson=lesson.id, root_cause=cause.id, detail="No reminder before a visit.")
print(lesson.id)
"""
)
SWEEP_LATER = (
    PRELUDE
    + """
from backend import timeutil
from backend.events.models import OutboxEvent
from backend.lessons.action_messages import ACTION_EVENTS
from backend.lessons.escalation import sweep_actions
from backend.notifications.sending import send_delivery
from backend.notifications.services import plan_deliveries
later = timeutil.system_clock() + datetime.timedelta(days=int(sys.argv[1]))
timeutil.clock = lambda: later
told = sweep_actions()
assert told["overdue"] >= 1 and told["escalated"] >= 1 and told["digests"] >= 1, told
for event in OutboxEvent.select().where(OutboxEvent.name.in_([spec.name for spec in ACTION_EVENTS.specs])):
    for delivery_id in plan_deliveries(event):
        send_delivery(delivery_id)
"""
)
STATE = (
    PRELUDE
    + """
from backend.lessons.models import ImprovementAction
action = ImprovementAction.get_by_id(int(sys.argv[1]))
print(json.dumps({"status": action.status, "effect": action.effect, "escalated": bool(action.overdue_escalated_at)}))
"""
)


def script(environ: dict[str, str], code: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=environ, check=True, timeout=120, capture_output=True, text=True
    )
    return done.stdout.strip()


def person(environ: dict[str, str], role: str, tag: str, name: str) -> str:
    email = f"{name.lower()}-{tag}@example.org"
    run_cli(environ, "users", "create", "--email", email, "--name", f"{name} {tag}", "--role", role,
            "--password", PASSWORD)  # fmt: skip
    return email


def signed_in(new_page: NewPage, email: str, language: str) -> Any:
    page = patient(new_page())
    sign_in_page(page, email, PASSWORD)
    assert "/sign-in" not in page.url
    if language == "cy":
        with page.expect_navigation():
            page.get_by_role("button", name="Cymraeg").click()
        assert page.locator("html").get_attribute("lang") == "cy"
    return page


def go(page: Any, path: str) -> None:
    page.goto(path)
    assert page.locator("html").get_attribute("lang") in ("en", "cy")
    assert_accessible(page)


def submit(page: Any) -> None:
    button = page.locator("main form button[type=submit]").last
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_action_from_proposal_through_overdue_escalation_to_verification(
    new_page: NewPage, live_server: tuple[str, dict[str, str]], language: str
) -> None:
    environ = live_server[1]
    tag = uuid.uuid4().hex[:8]
    owner_email = person(environ, "staff", tag, "Owner")
    authoriser_email = person(environ, "manager", tag, "Authoriser")
    checker_email = person(environ, "manager", tag, "Checker")
    lesson_id = script(environ, SETUP, tag, owner_email, authoriser_email, checker_email)
    title = f"Text residents the day before a repair {tag}"

    # The owner proposes the action.
    owner = signed_in(new_page, owner_email, language)
    go(owner, f"/console/lessons/{lesson_id}/actions/new")
    form = owner.locator("main form")
    form.locator("input[name=title]").fill(title)
    form.locator("input[name=action_type][value=service_provision]").check()
    form.locator("input[name=due_on]").fill("2001-01-01")
    submit(owner)
    assert owner.get_by_role("alert").is_visible()  # a due date in the past is refused, and nothing typed is lost
    assert owner.locator("input[name=title]").input_value() == title
    assert_accessible(owner)
    form = owner.locator("main form")
    form.locator("textarea[name=measure]").fill("Missed repairs visits a month")
    form.locator("input[name=baseline]").fill("40")
    form.locator("input[name=target]").fill("10")
    form.locator("select[name=owner_id]").select_option(label=f"Owner {tag}")
    form.locator("select[name=cause_id]").select_option(index=1)
    form.locator("input[name=due_on]").fill((local_date() + dt.timedelta(days=3)).isoformat())
    submit(owner)
    match = re.search(r"/console/lessons/actions/(\d+)$", owner.url)
    assert match, owner.url
    action_id = match.group(1)
    assert_accessible(owner)

    # A manager finds it in the queue and authorises it.
    authoriser = signed_in(new_page, authoriser_email, language)
    go(authoriser, "/console/lessons/actions/awaiting-authorisation")
    assert authoriser.locator("main table").get_by_role("link", name=title).count() == 1
    go(authoriser, f"/console/lessons/actions/{action_id}/authorise")
    submit(authoriser)
    assert authoriser.url.endswith(f"/console/lessons/actions/{action_id}")
    assert_accessible(authoriser)

    # The owner starts it; the board shows it in progress.
    go(owner, f"/console/lessons/actions/{action_id}/start")
    submit(owner)
    go(owner, "/console/lessons/actions")
    assert owner.locator("#column-in_progress").locator("..").get_by_role("link", name=title).count() == 1
    go(owner, "/console/lessons/actions/mine")

    # Ten days later it is overdue: the sweep tells the owner, then their line manager, and the senior manager.
    script(environ, SWEEP_LATER, "10")
    go(authoriser, "/console/deliveries")
    log = authoriser.locator("main").inner_text()
    gettext = translations(language).gettext  # each person's messages are in their own language
    assert gettext("Action overdue in your team: %(action)s") % {"action": title} in log
    assert gettext("Action overdue: %(action)s") % {"action": title} in log
    assert json.loads(script(environ, STATE, action_id))["escalated"] is True

    # The owner records it done with evidence; another manager signs it off and verifies it.
    go(owner, f"/console/lessons/actions/{action_id}/complete")
    submit(owner)
    assert owner.get_by_role("alert").is_visible()  # at least one piece of evidence is needed
    assert_accessible(owner)
    owner.locator("textarea[name=text]").fill("Reminder texts went live for every repairs visit.")
    owner.locator("textarea[name=links]").fill("https://intranet.example.org/repairs/reminders")
    submit(owner)
    assert owner.url.endswith(f"/console/lessons/actions/{action_id}")
    assert owner.get_by_role("link", name="https://intranet.example.org/repairs/reminders").count() == 1

    checker = signed_in(new_page, checker_email, language)
    go(checker, "/console/lessons/actions/awaiting-sign-off")
    go(checker, f"/console/lessons/actions/{action_id}/sign-off")
    submit(checker)
    go(checker, "/console/lessons/actions/awaiting-verification")
    go(checker, f"/console/lessons/actions/{action_id}/verify")
    checker.locator("input[name=effect][value=addressed]").check()
    checker.locator("textarea[name=note]").fill("Missed visits fell from 40 to 8 a month.")
    submit(checker)
    assert checker.url.endswith(f"/console/lessons/actions/{action_id}")
    assert_accessible(checker)
    assert json.loads(script(environ, STATE, action_id)) == {
        "status": "verified",
        "effect": "addressed",
        "escalated": True,
    }
