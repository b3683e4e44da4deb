"""The impact survey's one-click answer in a real browser, with axe on every page: a Welsh resident opens the "partly"
link from her email without JavaScript, finds the answer chosen and nothing recorded, presses send, and the answer is
counted on the change; an Arabic reader does the same at 320 px wide, right to left.

The change and the invitation are made in the live server's database by the test factories and the impact services,
in a process of their own, as are the checks of what was recorded.
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

from tests.browser.test_pages import assert_accessible

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
ROOT = Path(__file__).resolve().parent.parent.parent
PRELUDE = """
import datetime as dt, itertools, json, sys
from backend import config
from backend.config import load_settings
from backend.db import connection, init_database
from backend.timeutil import utcnow
from tests import factories

settings = load_settings()
config.set_current(settings)
init_database(settings.database_url, settings.instance_path)
tag = sys.argv[1]
factories._seq = itertools.count(int(tag, 16) % 10**9)
"""
SEED = (
    PRELUDE
    + """
from backend.cocreation import impact
from backend.surveys import invitations
from backend.surveys.models import SurveyInvitation
with connection():
    change = factories.make_change(
        reference=f"CH-2001-{tag}"[:20], status="implemented", percent=100,
        implemented_at=utcnow() - dt.timedelta(weeks=7),
        title={"en": f"Reminder texts {tag}", "cy": f"Negeseuon atgoffa {tag}"},
    )
    resident = factories.make_user("resident", email=f"impact.{tag}@example.org", locale=sys.argv[2])
    ask = impact.ask_about_change(change, resident.id, utcnow())
    invitation = SurveyInvitation.get_by_id(ask.invitation_id)
    invitations.send_invitation(invitation, utcnow(), cap=False)
    token = invitations.invitation_token(invitation)
print(json.dumps({"change": change.id, "token": token}))
"""
)
CHECK = (
    PRELUDE
    + """
from backend.cocreation.models import Change, ImpactAsk
with connection():
    change = Change.get_by_id(int(sys.argv[2]))
    ask = ImpactAsk.get(ImpactAsk.change == change.id)
print(json.dumps({"answer": ask.answer, "partly": change.impact_partly}))
"""
)


def run(environ: dict[str, str], script: str, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def answer_partly(new_page: NewPage, environ: dict[str, str], locale: str, **options: Any) -> None:
    """Open the "partly" link from the email as the invited person would, check it is chosen and not recorded, press
    send, and check it is counted. Axe runs on the pages in a page of its own with scripts on (axe is a script)."""
    tag = uuid.uuid4().hex[:8]
    made = run(environ, SEED, tag, locale)
    link = f"/s/{made['token']}?a=partly"
    page = new_page(**options)
    assert page.goto(link).status == 200
    assert page.locator("html").get_attribute("lang") == locale
    assert page.locator("input[type=radio][value=partly]").is_checked()
    checker = new_page(**{k: v for k, v in options.items() if k != "javascript"})
    checker.goto(link)
    assert_accessible(checker)
    assert run(environ, CHECK, tag, str(made["change"])) == {"answer": None, "partly": 0}

    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("input[type=radio]").count() == 0  # the thank-you page
    assert run(environ, CHECK, tag, str(made["change"])) == {"answer": "partly", "partly": 1}
    checker.goto(link.split("?")[0])  # the link again, after sending: the answer given is shown
    assert checker.locator("input[type=radio][value=partly]").is_checked()
    assert_accessible(checker)


def test_welsh_one_click_link_chooses_the_answer_and_send_counts_it_without_javascript(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    answer_partly(new_page, live_server[1], "cy", javascript=False)


def test_arabic_one_click_link_at_320px_reads_right_to_left(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    answer_partly(new_page, live_server[1], "ar", viewport={"width": 320, "height": 640})
