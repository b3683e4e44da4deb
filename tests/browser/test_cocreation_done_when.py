"""Co-creation's "done when", end to end in headless Chromium, in Welsh, with axe on every page.

A Welsh-speaking resident of the test's own (so no demo account's language changes):

1. votes in the demo's open priority round;
2. follows a published change, which a manager then moves on twice: each move reaches her, in Welsh, by email;
3. is asked, weeks after the change is implemented (the server's clock seam moved on, as the lessons' done-when
   test does), whether it made a difference, and answers with one click in the email's link: the page opens with
   her answer chosen, nothing is counted until she presses send, and then it counts once;
4. comments on the change.

The complainant whose complaint is linked to the change is told "your complaint helped change this" when it is
implemented. Four more residents answer, so the public change page shows the share confirmed by residents; a visitor
sees it, her comment and the change's new status, and the public lists show the change.
"""

from __future__ import annotations

import email
import json
import subprocess
import sys
import uuid
from collections.abc import Callable
from email import policy
from pathlib import Path
from typing import Any

import pytest

from backend.cocreation.demo import OPEN_ROUND
from tests.browser.test_internal_notes_browser import press_enter_on
from tests.browser.test_lessons_log_browser import sign_in
from tests.browser.test_pages import assert_accessible
from tests.browser.test_restricted_cases_browser import patient

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PASSWORD = "co-creation done when passphrase"  # throwaway test accounts
WELSH_OPEN_ROUND = "Beth ddylen ni ei drwsio gyntaf y gaeaf hwn?"
PRELUDE = """
import sys, json, datetime
from portal.cli import _database, _settings
_database(_settings())
import backend.notifications.registry  # every event's messages and reactions
"""
# Two residents in Wales who read Welsh (one has complained), a change on the open round's first theme with the
# complaint behind it, published by the demo manager.
SETUP = (
    PRELUDE
    + """
from backend.accounts.models import Home, User
from backend.accounts.services import create_user
from backend.accounts.tokens import actor_for_user
from backend.cocreation import changes
from backend.context import SYSTEM
from tests import factories
tag, password = sys.argv[1], sys.argv[2]
home = Home.get(Home.reference == "RH-0101")
people = {}
for name in ("resident", "complainant", "one", "two", "three"):
    people[name] = create_user(
        SYSTEM, f"cocreation.{name}.{tag}@example.org", f"Co-creation {name} {tag}", ["resident"],
        password=password, home_id=home.id, locale="cy",
    )
complaint = factories.make_complaint(people["complainant"])
manager = actor_for_user(User.get(User.email == "manager@example.org"))
change = changes.create_change(manager, {
    "title": {"en": f"Repairs booked in one call {tag}", "cy": f"Trefnu atgyweiriadau mewn un alwad {tag}"},
    "what": {"en": "One call books the visit.", "cy": "Mae un alwad yn trefnu'r ymweliad."},
    "why": {"en": "You told us it took several calls.", "cy": "Dywedoch wrthym ei fod yn cymryd sawl galwad."},
    "easy_read": {"en": "One call is enough.", "cy": "Mae un alwad yn ddigon."},
})
print(json.dumps({"change_id": change.id, "reference": change.reference, "complaint": complaint.reference,
                  "contact": complaint.contact.reference,
                  "emails": {name: user.email for name, user in people.items()}}))
"""
)
LINK_AND_PUBLISH = (
    PRELUDE
    + """
from backend.accounts.models import User
from backend.accounts.tokens import actor_for_user
from backend.cocreation import changes
from backend.cocreation.models import PriorityRound, RoundTheme
change_id, contact, round_title = int(sys.argv[1]), sys.argv[2], sys.argv[3]
round_ = next(r for r in PriorityRound.select() if (r.title or {}).get("en") == round_title)
theme_id = RoundTheme.select().where(RoundTheme.round == round_.id).order_by(RoundTheme.position).first().theme_id
manager = actor_for_user(User.get(User.email == "manager@example.org"))
changes.set_links(manager, change_id, theme_ids=[theme_id], contact_references=[contact])
changes.publish_change(manager, change_id)
print(json.dumps({"theme_id": theme_id}))
"""
)
# Every event not yet dispatched is dispatched, as the worker would, until none is left (reactions make new ones).
DISPATCH = """
from tasks.queue import configure_queue
configure_queue(_settings(), immediate=True)
from backend.events.models import OutboxEvent
from tasks.dispatch import dispatch_event
for _ in range(10):
    waiting = [event.id for event in OutboxEvent.select(OutboxEvent.id).where(OutboxEvent.dispatched_at.is_null())]
    if not waiting:
        break
    for event_id in waiting:
        dispatch_event.call_local(event_id)
"""
MOVE = (
    PRELUDE
    + """
from backend.accounts.models import User
from backend.accounts.tokens import actor_for_user
from backend.cocreation import progress
change_id, status, percent = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
manager = actor_for_user(User.get(User.email == "manager@example.org"))
progress.move_change(manager, change_id, status=status, percent=percent,
                     note={"en": "We are on our way.", "cy": "Rydyn ni ar ein ffordd."})
"""
    + DISPATCH
    + """
from backend.notifications.models import Delivery
from backend.events.models import OutboxEvent
rows = (Delivery.select(Delivery, OutboxEvent).join(OutboxEvent, on=(Delivery.event == OutboxEvent.id))
        .where(OutboxEvent.name.startswith("cocreation.")))
print(json.dumps([{"event": row.event.name, "to": row.recipient_user_id, "channel": row.channel,
                   "subject": row.subject} for row in rows]))
"""
)
# Weeks later: the impact sweep asks the residents behind the change, their invitations are sent, and the resident's
# one-click link for "yes" is printed (what her email carries). Nothing is answered.
LATER = (
    PRELUDE
    + """
from backend import timeutil
from backend.accounts.models import User
from backend.cocreation import impact
from backend.cocreation.models import ImpactAsk
from backend.surveys import invitations
from backend.surveys.models import SurveyInvitation
change_id, resident = int(sys.argv[1]), sys.argv[2]
later = timeutil.system_clock() + datetime.timedelta(weeks=_settings().impact_survey_weeks, days=1)
timeutil.clock = lambda: later
impact.sweep_impact(later)
invitations.send_due_invitations(later)
user = User.get(User.email == resident)
ask = ImpactAsk.get(ImpactAsk.change == change_id, ImpactAsk.user == user.id)
invitation = SurveyInvitation.get_by_id(ask.invitation_id)
print(json.dumps({"status": invitation.status, "link": invitations.invitation_link(invitation, "yes")}))
"""
)
# The change's answers as counted, and four more residents' answers, so the public figure has five.
COUNTED = (
    PRELUDE
    + """
from backend.cocreation.models import Change, ImpactAsk
change = Change.get_by_id(int(sys.argv[1]))
print(json.dumps({"yes": change.impact_yes, "answered": ImpactAsk.select().where(ImpactAsk.change == change.id,
                  ImpactAsk.answer.is_null(False)).count()}))
"""
)
MORE_ANSWERS = (
    PRELUDE
    + """
from backend import timeutil
from backend.accounts.models import User
from backend.cocreation import impact
from backend.cocreation.models import Change, ImpactAsk
from backend.surveys import answers, invitations
from backend.surveys.models import SurveyInvitation
change = Change.get_by_id(int(sys.argv[1]))
question = impact.questions_of_impact_survey()[0]
now = timeutil.system_clock()
for email, answer in zip(sys.argv[2:], ("yes", "partly", "no", "yes")):
    person = User.get(User.email == email).id
    ask = impact.ask_about_change(change, person, now) or ImpactAsk.get(
        ImpactAsk.change == change.id, ImpactAsk.user == person
    )  # the complainant was asked by the sweep already
    invitation = SurveyInvitation.get_by_id(ask.invitation_id)
    if invitation.status == "pending":
        invitations.send_invitation(invitation, now, cap=False)
    answers.record_answers(SurveyInvitation.get_by_id(invitation.id), {question.id: answer}, "cy", final=True)
"""
    + DISPATCH
)


def script(environ: dict[str, str], code: str, *args: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=environ, timeout=180, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else None


def go(page: Any, path: str) -> None:
    assert page.goto(path).status == 200, path
    assert_accessible(page)


def mail_to(environ: dict[str, str], address: str) -> list[str]:
    """The bodies of the emails sent to ``address``, from the server's mail folder, oldest first."""
    folder = Path(environ["LEARNLOOP_SMTP_URL"].removeprefix("file:"))
    bodies = []
    for path in sorted(folder.glob("*"), key=lambda p: p.stat().st_mtime):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if address in str(message["To"]):
            part = message.get_body(preferencelist=("plain",))
            bodies.append(f"{message['Subject']}\n{part.get_content() if part else ''}")
    return bodies


def test_a_welsh_resident_votes_follows_answers_with_one_click_and_comments(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    environ = live_server[1]
    tag = uuid.uuid4().hex[:6]
    made = script(environ, SETUP, tag, PASSWORD)
    emails, reference, change_id = made["emails"], made["reference"], str(made["change_id"])
    script(environ, LINK_AND_PUBLISH, change_id, made["contact"], OPEN_ROUND)

    page = patient(new_page())
    sign_in(page, emails["resident"], PASSWORD)
    assert page.locator("html").get_attribute("lang") == "cy"

    # 1. She votes in the open round, in Welsh.
    go(page, "/rounds")
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=WELSH_OPEN_ROUND).click()
    assert_accessible(page)
    votes = page.locator("main form input[inputmode=numeric], main form input[type=number]")
    votes.nth(1).fill("1")  # not the change's theme: she follows the change by pressing "follow" below
    press_enter_on(page, page.locator("main form button[type=submit]").last)
    assert_accessible(page)
    assert not page.locator(".error-summary").is_visible()
    assert votes.nth(1).input_value() == "1"

    # 2. She follows the change, and hears of each move it makes.
    go(page, f"/changes/{reference}")
    follow = page.locator("section.change-follow")
    assert follow.locator("form[action$='/unfollow']").count() == 0
    press_enter_on(page, follow.locator("form[action$='/follow'] button"))
    assert_accessible(page)
    assert page.locator("section.change-follow form[action$='/unfollow']").count() == 1
    moved = script(environ, MOVE, change_id, "in_progress", "50")
    assert any(row["event"] == "cocreation.change_progress" for row in moved)
    moved = script(environ, MOVE, change_id, "implemented", "100")
    helped = [row for row in moved if row["event"] == "cocreation.complaint_helped"]
    assert helped, moved  # the complainant is told their complaint helped change this
    her_mail = mail_to(environ, emails["resident"])
    assert len([body for body in her_mail if f"Trefnu atgyweiriadau mewn un alwad {tag}" in body]) >= 2
    complainant_mail = mail_to(environ, emails["complainant"])
    assert any(made["complaint"] in body and tag in body for body in complainant_mail)

    # 3. Weeks later she is asked whether it made a difference, and answers with one click.
    asked = script(environ, LATER, change_id, emails["resident"])
    assert asked["status"] == "sent"
    link = asked["link"].split("://", 1)[1].split("/", 1)[1]
    go(page, "/" + link)
    chosen = page.locator("main input[type=radio][value=yes]")
    assert chosen.is_checked()
    assert script(environ, COUNTED, change_id) == {"yes": 0, "answered": 0}  # opening the link counts nothing
    press_enter_on(page, page.locator("main form button[type=submit]").last)
    assert_accessible(page)
    assert script(environ, COUNTED, change_id) == {"yes": 1, "answered": 1}
    go(page, "/" + link)  # opening it again changes nothing
    assert script(environ, COUNTED, change_id) == {"yes": 1, "answered": 1}

    # 4. She comments on the change.
    go(page, f"/changes/{reference}")
    words = f"Un alwad oedd ei hangen, diolch yn fawr. Nodyn {uuid.uuid4().hex[:6]}."  # not her name's tag
    page.locator("main form.comment-form textarea").fill(words)
    press_enter_on(page, page.locator("main form.comment-form button[type=submit]"))
    assert_accessible(page)

    # Four more residents answer; a visitor sees the new figures, her comment and the change in the lists.
    script(environ, MORE_ANSWERS, change_id, emails["complainant"], emails["one"], emails["two"], emails["three"])
    visitor = patient(new_page())
    go(visitor, f"/changes/{reference}")
    main = visitor.locator("main")
    assert "%" in main.inner_text()  # five answered: the share confirmed by residents is shown
    assert words in main.inner_text()
    for path in ("/changes", "/you-said-we-did", "/themes", "/rounds"):
        go(visitor, path)
    go(visitor, "/changes")
    assert visitor.locator("main").get_by_role("link", name=f"Repairs booked in one call {tag}").is_visible()
