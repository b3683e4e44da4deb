"""Issue 13's "done when", end to end in headless Chromium, in English and in Welsh, with axe on every page.

1. A complaint is upheld through the product (its underlying cause recorded in the response). A case handler finds it
   among the upheld complaints without a lesson, captures a lesson from it, records the lesson's root cause and links
   it to a theme the lesson page then shows.
2. The handler proposes an action from the lesson page; a manager authorises it.
3. The action goes overdue: the live server runs on the real clock, so the test runs the action sweep and the month's
   QA in the server's environment with the clock seam (``backend.timeutil.clock``) moved past the due date, as
   tests/browser/test_lessons_actions_browser.py does. The escalation reaches the line manager's delivery log, and the
   month's QA report lists the action among the overdue items.
4. The handler records it done with evidence; another manager signs it off and verifies that it worked.
5. The manager counts the month again: the action has left the overdue items and counts done and effective. The
   member of staff involved in the complaint is named on it, briefed on the outcome, and acknowledges the briefing.

Every account is the test's own (made with the command line), so choosing Welsh changes no demo account; the demo
handler only answers the complaint, in English.
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

from backend.timeutil import local_date
from tests.browser.test_internal_notes_browser import press_enter_on
from tests.browser.test_lessons_log_browser import quick_path, sign_in, upheld_complaint
from tests.browser.test_pages import assert_accessible
from tests.browser.test_restricted_cases_browser import patient
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PASSWORD = "lessons done when passphrase"  # throwaway test accounts
LOCALES = ("en", "cy", "ar", "bn", "pl", "ro", "so", "ur")
PRELUDE = """
import sys, json, datetime
from portal.cli import _database, _settings
_database(_settings())
"""
# The owner's line manager, and a senior manager, whom an overdue action is escalated to.
MANAGERS = (
    PRELUDE
    + """
from backend.accounts.models import User
from backend.complaints.models import RoleDesignation
from backend.timeutil import local_date
owner, line_manager, senior = sys.argv[1:4]
User.update(manager=User.get(User.email == line_manager).id).where(User.email == owner).execute()
RoleDesignation.create(role="senior_manager", person=User.get(User.email == senior).id, starts_on=local_date())
"""
)
# Days later: the sweep tells the owner and escalates, its messages are delivered, and the month is counted.
LATER = (
    PRELUDE
    + """
from backend import timeutil
from backend.context import SYSTEM
from backend.events.models import OutboxEvent
from backend.lessons import qa
from backend.lessons.action_messages import ACTION_EVENTS
from backend.lessons.escalation import sweep_actions
from backend.lessons.models import ImprovementAction
from backend.notifications.sending import send_delivery
from backend.notifications.services import plan_deliveries
action_id, days, month = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
later = timeutil.system_clock() + datetime.timedelta(days=days)
timeutil.clock = lambda: later
sweep_actions()
for event in OutboxEvent.select().where(OutboxEvent.name.in_([spec.name for spec in ACTION_EVENTS.specs])):
    for delivery_id in plan_deliveries(event):
        send_delivery(delivery_id)
report = qa.compute_report(SYSTEM, month)
action = ImprovementAction.get_by_id(action_id)
print(json.dumps({"escalated": bool(action.overdue_escalated_at), "overdue": report.failing["overdue"]}))
"""
)
REPORT = (
    PRELUDE
    + """
from backend.lessons.models import ImprovementAction, QaReport
action = ImprovementAction.get_by_id(int(sys.argv[1]))
report = QaReport.get(QaReport.month == datetime.date.fromisoformat(sys.argv[2] + "-01"))
print(json.dumps({"status": action.status, "effect": action.effect, "failing": report.failing,
                  "on_time_due": report.on_time_due, "effective_due": report.effective_due}))
"""
)


def script(environ: dict[str, str], code: str, *args: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=environ, timeout=120, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else None


def person(environ: dict[str, str], role: str, tag: str, name: str) -> str:
    email = f"done.{name.lower()}.{tag}@example.org"
    run_cli(environ, "users", "create", "--email", email, "--name", f"{name} {tag}", "--role", role,
            "--password", PASSWORD)  # fmt: skip
    return email


def signed_in(new_page: NewPage, email: str, language: str) -> Any:
    page = patient(new_page())
    sign_in(page, email, PASSWORD)
    if language == "cy":
        with page.expect_navigation():
            page.locator("header").get_by_role("button", name="Cymraeg").click()
    assert page.locator("html").get_attribute("lang") == language
    return page


def go(page: Any, path: str) -> None:
    assert page.goto(path).status == 200, path
    assert_accessible(page)


def submit(page: Any) -> None:
    press_enter_on(page, page.locator("main form button[type=submit]").last)
    assert_accessible(page)


def path_of(page: Any) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def option_for(select: Any, text: str) -> str:
    return select.locator("option", has_text=text).first.get_attribute("value")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_an_upheld_complaint_becomes_a_lesson_an_action_done_late_verified_and_reported(
    new_page: NewPage, live_server: tuple[str, dict[str, str]], language: str
) -> None:
    environ = live_server[1]
    tag = uuid.uuid4().hex[:8]
    word = f"Boiler{tag}"
    handler_email = person(environ, "staff", tag, "Handler")
    authoriser_email = person(environ, "manager", tag, "Authoriser")
    checker_email = person(environ, "manager", tag, "Checker")
    involved_email = person(environ, "staff", tag, "Involved")
    script(environ, MANAGERS, handler_email, authoriser_email, checker_email)
    complaint_path = upheld_complaint(new_page)
    complaint_id = complaint_path.rsplit("/", 1)[1]

    # 1. The handler makes a theme, captures a lesson from the upheld complaint, records its root cause, links it.
    handler = signed_in(new_page, handler_email, language)
    go(handler, "/console/lessons/themes/new")
    form = handler.locator("main form")
    form.locator("input[name=name]").fill(f"Boilers {tag}")
    for locale in LOCALES:
        form.locator(f"input[name=text_{locale}_name]").fill(f"{word} {locale}")
    form.locator("textarea[name=text_en_description]").fill(f"Boilers that fail again and again, {word}.")
    submit(handler)
    theme_path = path_of(handler)
    assert re.fullmatch(r"/console/lessons/themes/\d+", theme_path), theme_path

    quick = quick_path(handler, complaint_id)
    assert quick.count() == 1
    assert_accessible(handler)
    with handler.expect_navigation():
        quick.click()
    assert_accessible(handler)
    form = handler.locator("main form")
    assert form.locator("input[name=source_kind][value=complaint]").is_checked()
    form.locator("input[name=title]").fill(f"Repeat {word} repairs are not reviewed together")
    form.locator("textarea[name=early_lesson]").fill(f"The same {word} fault was repaired three times.")
    submit(handler)
    lesson_path = path_of(handler)
    assert re.fullmatch(r"/console/lessons/\d+", lesson_path), lesson_path
    assert quick_path(handler, complaint_id).count() == 0  # it has left the upheld complaints without a lesson

    go(handler, f"{lesson_path}/causes/new")
    cause = handler.locator("main form")
    cause.locator("select[name=root_cause]").select_option(index=1)
    cause.locator("textarea[name=detail]").fill("Each repair is booked alone; nothing links repeat visits.")
    submit(handler)
    assert handler.url.endswith(lesson_path)

    go(handler, f"{lesson_path}/themes")
    suggested = handler.locator("main ul.suggestions li", has_text=f"Boilers {tag}")
    assert suggested.count() == 1
    press_enter_on(handler, suggested.locator("button[type=submit]"))
    assert_accessible(handler)
    go(handler, lesson_path)
    assert handler.locator(f"main a[href$='{theme_path}']").count() == 1

    # With its root cause and theme recorded, the handler moves the lesson to "analysed": a manager authorises its
    # actions only then.
    go(handler, f"{lesson_path}/status")
    handler.locator("main form input[name=status][value=analysed]").check()
    submit(handler)
    assert handler.url.endswith(lesson_path)
    assert_accessible(handler)

    # 2. The handler proposes an action from the lesson page; a manager authorises it.
    propose = handler.locator(f"#actions a[href$='{lesson_path}/actions/new']")
    assert propose.count() == 1
    with handler.expect_navigation():
        propose.click()
    assert_accessible(handler)
    today = local_date()
    month_last = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    due = min(today + dt.timedelta(days=3), month_last)
    month = due.strftime("%Y-%m")
    title = f"Review every third {word} repair {tag}"
    form = handler.locator("main form")
    form.locator("input[name=title]").fill(title)
    form.locator("input[name=action_type][value=service_provision]").check()
    form.locator("textarea[name=measure]").fill("Boilers repaired three times a quarter")
    form.locator("input[name=baseline]").fill("12")
    form.locator("input[name=target]").fill("3")
    owner = form.locator("select[name=owner_id]")
    owner.select_option(option_for(owner, f"Handler {tag}"))
    form.locator("select[name=cause_id]").select_option(index=1)
    form.locator("input[name=due_on]").fill(due.isoformat())
    submit(handler)
    match = re.search(r"/console/lessons/actions/(\d+)$", handler.url)
    assert match, handler.url
    action_id = match.group(1)
    assert handler.locator(f"main a[href$='{lesson_path}']").count() >= 1  # the action links back to its lesson

    authoriser = signed_in(new_page, authoriser_email, language)
    go(authoriser, f"/console/lessons/actions/{action_id}/authorise")
    submit(authoriser)
    assert authoriser.url.endswith(f"/console/lessons/actions/{action_id}")

    # 3. Ten days on it is overdue: the owner's line manager is told, and the month's QA lists it as overdue.
    later = script(environ, LATER, action_id, "10", month)
    assert later == {"escalated": True, "overdue": later["overdue"]} and int(action_id) in later["overdue"]
    go(authoriser, "/console/deliveries")
    assert title in authoriser.locator("main").inner_text()
    go(authoriser, f"/console/lessons/qa/{month}")
    assert authoriser.locator(f"#failing-overdue ~ ul a[href$='/console/lessons/actions/{action_id}']").count() == 1
    go(authoriser, lesson_path)
    assert (
        authoriser.locator(
            f"section[aria-labelledby=improvement-actions-heading] a[href$='/console/lessons/actions/{action_id}']"
        ).count()
        == 1
    )

    # 4. The owner starts it and records it done with evidence; another manager signs it off and verifies it worked.
    go(handler, f"/console/lessons/actions/{action_id}/start")
    submit(handler)
    go(handler, f"/console/lessons/actions/{action_id}/complete")
    handler.locator("textarea[name=text]").fill("A third repair to a boiler now books a surveyor's review.")
    handler.locator("textarea[name=links]").fill("https://intranet.example.org/repairs/third-visit-review")
    submit(handler)
    assert handler.url.endswith(f"/console/lessons/actions/{action_id}")
    checker = signed_in(new_page, checker_email, language)
    go(checker, f"/console/lessons/actions/{action_id}/sign-off")
    submit(checker)
    go(checker, f"/console/lessons/actions/{action_id}/verify")
    checker.locator("input[name=effect][value=addressed]").check()
    checker.locator("textarea[name=note]").fill("Third repairs fell from 12 to 2 a quarter.")
    submit(checker)
    assert checker.url.endswith(f"/console/lessons/actions/{action_id}")

    # 5. The month counted again: the action is no longer overdue, and counts done on time and effective.
    go(authoriser, "/console/lessons/qa/compute")
    authoriser.locator("input[name=month]").fill(month)
    submit(authoriser)
    assert authoriser.url.endswith(f"/console/lessons/qa/{month}")
    assert authoriser.locator(f"main a[href$='/console/lessons/actions/{action_id}']").count() == 0
    report = script(environ, REPORT, action_id, month)
    assert (report["status"], report["effect"]) == ("verified", "addressed")
    assert all(int(action_id) not in report["failing"][key] for key in ("overdue", "on_time", "effective"))
    assert report["on_time_due"] >= 1 and report["effective_due"] >= 1

    # The member of staff involved in the complaint is named on it, told the outcome, and acknowledges it.
    go(authoriser, f"/console/complaints/{complaint_id}/staff")
    form = authoriser.locator("main form").last
    chosen = form.locator("select[name=person]")
    chosen.select_option(option_for(chosen, f"Involved {tag}"))
    form.locator("input[name=part][value=involved]").check()
    submit(authoriser)  # the confirmation
    submit(authoriser)
    go(authoriser, f"/console/lessons/briefings/new/{complaint_id}")
    form = authoriser.locator("main form")
    assert f"{word} repairs" in form.locator("textarea[name=summary]").input_value()
    form.get_by_label(re.compile(f"Involved {tag}")).check()
    submit(authoriser)
    assert authoriser.url.endswith("/console/lessons/briefings")

    involved = signed_in(new_page, involved_email, language)
    go(involved, "/console/lessons/briefings/mine")
    assert f"{word} repairs" in involved.locator("main").inner_text()
    press_enter_on(involved, involved.locator("main section form button[type=submit]"))
    assert involved.locator("main section form").count() == 0
    assert_accessible(involved)
