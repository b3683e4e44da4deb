"""A scrutiny review from lesson review to the public page, in headless Chromium, with axe on every page.

The demo panel member chairs a panel reviewing the complaints journey, with a lesson in its pack. They annotate the
lesson and ask a question, which staff answer in the console. They draft two recommendations and sign them off. A
manager accepts one (which logs an action) and declines the other with a reason, and records both approvals; the
manager drafts the public summary and an admin publishes it. A visitor reads the report without signing in.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import ACCOUNTS, sign_in_page
from tests.browser.test_pages import assert_accessible, submit
from tests.browser.test_update_intervals_browser import patient

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
SEED = (
    "import datetime as dt, random\n"
    "from backend.config import load_settings, set_current\n"
    "settings = load_settings(); set_current(settings)\n"
    "from backend.db import init_database\n"
    "init_database(settings.database_url, settings.instance_path)\n"
    "from backend.accounts.models import User\n"
    "from tests import factories\n"
    "panel = factories.make_panel()\n"
    "factories.make_panel_support(panel, User.get(User.email == 'staff@example.org'))\n"
    "factories.make_panel_membership(panel, User.get(User.email == 'panel@example.org'), role='chair')\n"
    "review = factories.make_scrutiny_review(panel, reference=f'SR-1999-{random.randrange(1000, 9999)}')\n"
    "from backend.lessons.models import Lesson\n"
    "n = random.randrange(1000, 9999)\n"
    "lesson = Lesson.create(reference=f'LS-1999-{n}', title='Repairs missed', identified_on=dt.date.today())\n"
    "item = factories.make_pack_item(review, kind='lesson', lesson=lesson.id, url='', title='Lesson: late repairs')\n"
    "print(review.id, review.reference, item.id)\n"
)


def seed(environ: dict[str, str]) -> tuple[int, str, int]:
    done = subprocess.run([sys.executable, "-c", SEED], env=environ, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    review_id, reference, item_id = done.stdout.strip().splitlines()[-1].split()
    return int(review_id), reference, int(item_id)


def signed_in(new_page: NewPage, account: str) -> Any:
    page = patient(new_page)()
    sign_in_page(page, ACCOUNTS[account])
    return page


def recommendation(page: Any, number: int) -> Any:
    return page.locator("main section", has=page.get_by_role("heading", name=f"Recommendation {number}", exact=True))


def test_a_review_goes_from_lesson_review_to_the_public_page(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    url, environ = live_server
    review_id, reference, item_id = seed(environ)

    member = signed_in(new_page, "panel_member")
    member.goto(f"{url}/panel/reviews/{review_id}/items/{item_id}/annotations")
    assert_accessible(member)
    member.get_by_label("Your comment").fill("The actions change the letters but not the missed appointments.")
    member.get_by_label("The actions partly address the root cause").check()
    submit(member, "Save the annotation")
    assert "missed appointments" in member.locator("main").inner_text()

    member.goto(f"{url}/panel/reviews/{review_id}/questions")
    member.get_by_label("Your question").fill("How many stage 1 responses were late last year?")
    submit(member, "Ask the question")
    assert_accessible(member)

    staff = signed_in(new_page, "staff")
    staff.goto(f"{url}/console/panels/questions")
    assert_accessible(staff)
    question = staff.locator("main section", has_text="How many stage 1 responses were late last year?")
    question.get_by_label("Answer").fill("Twelve of 140.")
    with staff.expect_navigation():
        question.get_by_role("button", name="Send the answer").click()
    member.goto(f"{url}/panel/reviews/{review_id}/questions")
    assert "Twelve of 140." in member.locator("main").inner_text()

    member.goto(f"{url}/panel/reviews/{review_id}/findings")
    member.get_by_label("Summary").fill("The journey is clear but the letters are long.")
    member.get_by_label("Findings", exact=True).fill("Letters run to four pages.")
    member.get_by_label("Recommendations").fill("Shorten the stage 1 letter.\nPublish the expected times.")
    submit(member, "Save as a new version")
    assert_accessible(member)
    member.get_by_label("The panel agrees this version is its report").check()
    submit(member, "Sign off")
    assert "Recommendation 2" in member.locator("main").inner_text()
    assert_accessible(member)

    manager = signed_in(new_page, "manager")
    manager.goto(f"{url}/console/panels/reviews/{review_id}/findings")
    assert_accessible(manager)
    first = recommendation(manager, 1)
    first.get_by_label("Accepted", exact=True).check()
    first.get_by_label("Reason").fill("We agree: a two-page letter by June.")
    first.get_by_label("Who owns the actions (accepted or partly accepted)").select_option(index=1)
    first.get_by_label("When the actions are due").fill((dt.date.today() + dt.timedelta(days=60)).isoformat())
    with manager.expect_navigation():
        first.get_by_role("button", name="Record the response").click()
    second = recommendation(manager, 2)
    second.get_by_label("Not accepted", exact=True).check()
    second.get_by_label("Reason").fill("Times depend on each case; we publish our targets instead.")
    with manager.expect_navigation():
        second.get_by_role("button", name="Record the response").click()
    assert "Planned" in recommendation(manager, 1).inner_text()
    for number in (1, 2):
        section = recommendation(manager, number)
        section.get_by_label("Date the approval body approved the response").fill(dt.date.today().isoformat())
        with manager.expect_navigation():
            section.get_by_role("button", name="Record the approval").click()
    manager.get_by_label("Public summary").fill(
        "The panel reviewed the complaints journey and made two recommendations."
    )
    submit(manager, "Save the summary")
    assert_accessible(manager)

    admin = signed_in(new_page, "admin")
    admin.goto(f"{url}/console/panels/reviews/{review_id}/findings")
    submit(admin, "Publish the report")

    visitor = new_page()
    visitor.goto(f"{url}/scrutiny")
    assert_accessible(visitor)
    visitor.goto(f"{url}/scrutiny/{reference}")
    text = visitor.locator("main").inner_text()
    assert "Times depend on each case" in text and "Planned" in text
    assert_accessible(visitor)
    visitor.set_viewport_size({"width": 320, "height": 640})
    assert_accessible(visitor)
