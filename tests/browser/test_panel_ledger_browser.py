"""The involvement ledger and the letters-and-leaflets review in a real browser, with axe on every page, at 320px
wide for the member: a member proposes wording for a letter, the chair approves it, a manager adopts it and records
the completed review, a second manager approves the reward, and the member sees it on My involvement with the
benefits note and opts out of rewards.

The rows other slices' pages would make (the panel, its memberships, a published review with a meeting attended, a
review of letters and leaflets with a document under review) are made in the live server's database by the test
factories, in a process of their own.
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
PASSWORD = "ledger test passphrase"  # throwaway test accounts
SIGN_IN_TIMEOUT_MS = 30_000
ROOT = Path(__file__).resolve().parent.parent.parent
SEED = """
import datetime as dt, itertools, json, sys
from backend import config
from backend.config import load_settings
from backend.accounts.models import User
from backend.db import connection, init_database
from backend.timeutil import utcnow
from tests import factories

settings = load_settings()
config.set_current(settings)
init_database(settings.database_url, settings.instance_path)
tag = sys.argv[1]
factories._seq = itertools.count(int(tag, 16) % 10**9)
with connection():
    member = User.get(User.email == f"ledger.member.{tag}@example.org")
    chair = User.get(User.email == f"ledger.chair.{tag}@example.org")
    panel = factories.make_panel(f"Panel {tag}", reward_pence=2500, reward_rule="A £25 voucher per review")
    mine = factories.make_panel_membership(panel, member)
    factories.make_panel_membership(panel, chair, role="chair")
    done = factories.make_scrutiny_review(panel, status="published", published_at=utcnow(), topic=f"Repairs {tag}")
    meeting = factories.make_panel_meeting(done, starts_at=utcnow() - dt.timedelta(days=20))
    factories.make_panel_attendance(meeting, member)
    letters = factories.make_scrutiny_review(panel, kind="documents", topic=f"Our letters {tag}")
    document = factories.make_review_document(letters, title=f"Acknowledgement email {tag}")
print(json.dumps({"membership": mine.id, "review": done.id, "letters": letters.id, "document": document.id}))
"""


def seed(environ: dict[str, str], tag: str) -> dict[str, Any]:
    """Accounts of their own (two managers, a member and the chair), and the panel rows they act on."""
    for roles, who in ((("manager",), "manager"), (("manager",), "approver")):
        run_cli(environ, "users", "create", "--email", f"ledger.{who}.{tag}@example.org", "--name",
                f"Ledger {who.title()} {tag}", *[a for r in roles for a in ("--role", r)], "--password", PASSWORD)  # fmt: skip
    for who in ("member", "chair"):
        run_cli(environ, "users", "create", "--email", f"ledger.{who}.{tag}@example.org", "--name",
                f"Ledger {who.title()} {tag}", "--role", "resident", "--role", "panel_member", "--password", PASSWORD)  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", SEED, tag],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def signed_in(new_page: NewPage, email: str, **options: Any) -> Any:
    page = new_page(**options)
    page.set_default_timeout(SIGN_IN_TIMEOUT_MS)
    sign_in_page(page, email, PASSWORD)
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    return page


def visit(page: Any, path: str) -> None:
    assert page.goto(path).status == 200, path
    assert_accessible(page)


def test_members_propose_the_panel_approves_staff_adopt_and_reward(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    tag = uuid.uuid4().hex[:8]
    made = seed(live_server[1], tag)
    phone = {"viewport": {"width": 320, "height": 640}}

    # A member proposes clearer wording for the acknowledgement email, on a phone (320px wide).
    member = signed_in(new_page, f"ledger.member.{tag}@example.org", **phone)
    visit(member, "/panel/documents")
    visit(member, f"/panel/reviews/{made['letters']}/documents")
    form = member.locator(f"main form[action$='/documents/{made['document']}/propose']")
    form.locator("textarea").fill("Dear {{ name }}, thank you. We have your complaint {{ reference }}.")
    press_enter_on(member, form.locator("button[type=submit]"))
    assert "thank you. We have your complaint" in member.locator("main").inner_text()
    assert_accessible(member)

    # A placeholder the message does not have is refused by the field, with the error summary.
    form = member.locator(f"main form[action$='/documents/{made['document']}/propose']")
    form.locator("textarea").fill("Dear {{ nickname }}")
    press_enter_on(member, form.locator("button[type=submit]"))
    assert "nickname" in member.locator(".error-summary").inner_text()
    assert_accessible(member)

    # The chair approves it for the panel.
    chair = signed_in(new_page, f"ledger.chair.{tag}@example.org")
    visit(chair, f"/panel/reviews/{made['letters']}/documents")
    press_enter_on(chair, chair.locator("main form[action$='/approve'] button").first)
    assert "Approved by the panel" in chair.locator("main").inner_text()
    assert_accessible(chair)

    # A manager adopts it, and records the completed review: the members are thanked and rewards proposed.
    manager = signed_in(new_page, f"ledger.manager.{tag}@example.org")
    visit(manager, "/console/panels/documents")
    visit(manager, f"/console/panels/reviews/{made['letters']}/documents")
    press_enter_on(manager, manager.locator("main form[action$='/adopt'] button").first)
    assert "Adopted" in manager.locator("main").inner_text()
    assert_accessible(manager)
    visit(manager, "/console/panels/ledger")
    press_enter_on(manager, manager.locator(f"main form[action$='/record/review/{made['review']}'] button"))
    assert_accessible(manager)
    visit(manager, f"/console/panels/ledger/members/{made['membership']}")
    assert "Universal Credit" in manager.locator("main").inner_text()

    # A second manager approves the member's reward (the first recorded it, so may not).
    approver = signed_in(new_page, f"ledger.approver.{tag}@example.org")
    visit(approver, "/console/panels/rewards")
    row = approver.locator("main tr", has_text=f"Ledger Member {tag}")
    press_enter_on(approver, row.locator("button"))
    assert approver.locator("main tr", has_text=f"Ledger Member {tag}").count() == 0
    assert_accessible(approver)

    # The member sees their record, the benefits note, and opts out of rewards.
    visit(member, "/panel/involvement")
    text = member.locator("main").inner_text()
    assert "£25.00" in text and "Universal Credit" in text and "Letter or leaflet reviewed" in text
    press_enter_on(member, member.locator("main form[action$='/rewards'] button").first)
    assert "Opt back in to rewards" in member.locator("main").inner_text()
    assert_accessible(member)
