"""Staff sharing in the console, in English and Welsh, with axe on every page: a manager records a team meeting
that discussed a lesson, briefs the subject of a complaint on its outcome and the lessons drawn, the subject
acknowledges it, and the manager approves a success story someone else wrote.

The rows that other slices' pages would make (a lesson drawn from an answered complaint, a submitted story) are
made in the live server's database by the test factories, in a process of their own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ACTION_TIMEOUT_MS, sign_in_page
from tests.browser.test_internal_notes_browser import press_enter_on
from tests.browser.test_pages import assert_accessible
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PASSWORD = "sharing test passphrase"  # throwaway test accounts
SIGN_IN_TIMEOUT_MS = 30_000
ROOT = Path(__file__).resolve().parent.parent.parent
SEED = """
import itertools, json, sys
from backend import config
from backend.config import load_settings
from backend.accounts.models import User
from backend.db import connection, init_database
from backend.complaints import restricted
from backend.lessons import stories
from tests import factories
from tests.factories import actor_of

settings = load_settings()
config.set_current(settings)
init_database(settings.database_url, settings.instance_path)
tag, language = sys.argv[1], sys.argv[2]
factories._seq = itertools.count(int(tag, 16) % 10**9)
with connection():
    manager = User.get(User.email == f"share.manager.{tag}@example.org")
    subject = User.get(User.email == f"share.subject.{tag}@example.org")
    author = factories.make_user("staff", email=f"share.author.{tag}@example.org")
    handler = factories.make_user("staff", email=f"share.handler.{tag}@example.org")
    complaint = factories.responded_complaint(handler)
    restricted.name_staff(actor_of(handler), complaint.id, subject.id, "subject", "Took the call")
    lesson = factories.make_lesson(title=f"Check the diary {tag}", team="Repairs team")
    factories.make_lesson_source(lesson, complaint)
    story = stories.draft_story(actor_of(author), f"Fewer missed visits {tag}", "Reminders work.", "30%", "5%")
    stories.submit_story(actor_of(author), story.id)
print(json.dumps({"manager": manager.email, "subject": subject.email, "subject_id": subject.id,
                  "complaint": complaint.id, "lesson": lesson.id, "reference": lesson.reference,
                  "story": story.id}))
"""


def seed(environ: dict[str, str], tag: str, language: str) -> dict[str, Any]:
    """Accounts of their own (a manager, and the staff member a complaint is about), and the rows they act on."""
    for role, who in (("manager", "manager"), ("staff", "subject")):
        run_cli(environ, "users", "create", "--email", f"share.{who}.{tag}@example.org", "--name",
                f"Share {who.title()} {tag}", "--role", role, "--password", PASSWORD)  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", SEED, tag, language],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def signed_in(new_page: NewPage, email: str, language: str) -> Any:
    page = new_page()
    # Checking a new account's password is slow by design, and slower on a busy machine.
    page.set_default_timeout(SIGN_IN_TIMEOUT_MS)
    sign_in_page(page, email, PASSWORD)
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    if page.locator("html").get_attribute("lang") != language:
        with page.expect_navigation():
            page.locator("header").get_by_role("button", name="Cymraeg").click()
    assert page.locator("html").get_attribute("lang") == language
    return page


def visit(page: Any, path: str) -> None:
    assert page.goto(path).status == 200, path
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_record_meeting_brief_staff_and_approve_a_story(
    new_page: NewPage, live_server: tuple[str, dict[str, str]], language: str
) -> None:
    tag = uuid.uuid4().hex[:8]
    made = seed(live_server[1], tag, language)
    manager = signed_in(new_page, made["manager"], language)

    # A team meeting that discussed the lesson.
    visit(manager, "/console/lessons/meetings")
    visit(manager, "/console/lessons/meetings/new")
    form = manager.locator("main form")
    form.locator("input[name=kind][value=team]").check()
    form.locator("input[name=title]").fill(f"Repairs huddle {tag}")
    press_enter_on(manager, form.locator("button[type=submit]"))
    assert "/console/lessons/meetings/" in manager.url
    assert_accessible(manager)
    meeting_path = manager.url.split("127.0.0.1", 1)[1].split("/", 1)[1]
    visit(manager, f"/{meeting_path}/agenda/new")
    form = manager.locator("main form")
    form.locator("input[name=title]").fill("Missed appointments")
    form.locator("select[name=lesson]").select_option(str(made["lesson"]))
    press_enter_on(manager, form.locator("button[type=submit]"))
    assert made["reference"] in manager.locator("main ol").inner_text()
    assert_accessible(manager)

    # A briefing to the complaint's subject, its summary started from the outcome and the lesson.
    visit(manager, f"/console/lessons/briefings/new/{made['complaint']}")
    form = manager.locator("main form")
    assert f"Check the diary {tag}" in form.locator("textarea[name=summary]").input_value()
    form.locator(f"input[name=person][value='{made['subject_id']}']").check()
    press_enter_on(manager, form.locator("button[type=submit]"))
    assert manager.url.endswith("/console/lessons/briefings")
    assert_accessible(manager)

    # The subject reads it and acknowledges it; the case itself stays hidden from them.
    subject = signed_in(new_page, made["subject"], language)
    visit(subject, "/console/lessons/briefings/mine")
    assert f"Check the diary {tag}" in subject.locator("main").inner_text()
    assert subject.locator("main a[href*='/console/complaints/']").count() == 0
    press_enter_on(subject, subject.locator("main section form button[type=submit]"))
    assert subject.locator("main section form").count() == 0
    assert_accessible(subject)

    # The manager approves the story someone else wrote.
    visit(manager, f"/console/lessons/stories/{made['story']}")
    approve = manager.locator(f"main form[action$='/lessons/stories/{made['story']}/approve'] button")
    press_enter_on(manager, approve)
    assert manager.locator(f"main form[action$='/lessons/stories/{made['story']}/approve']").count() == 0
    assert_accessible(manager)
    visit(manager, "/console/lessons/stories")
