"""The scrutiny panels' whole path (issue 15, "Done when") in headless Chromium, with axe on every page visited.

The demo Residents' Scrutiny Panel reviews the complaints journey. Staff build its pack in the console from a sample
of closed cases and a lesson, and confirm each item's redaction. The chair annotates the redacted lesson and asks a
question, which staff answer in the console. The panel drafts findings with two recommendations and the chair signs
them off. A manager accepts one (an owner and a due date, which logs an action) and declines the other with a
reason, and records both approvals. One member of staff drafts the public summary, another manager publishes it,
and a visitor reads it at /scrutiny without signing in. On the way the bad inputs are tried through the pages: a
plain member's sign-off, a response without a reason, an acceptance without an owner or due date, and a member
opening an item of another panel's review. Screenshots of the key pages go to /tmp/journey.
"""

from __future__ import annotations

import datetime as dt
import pathlib
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
SHOTS = pathlib.Path("/tmp/journey")
# Closed complaints to sample, a lesson to copy, and another panel's review with a confirmed item the demo chair must
# not reach; prints the demo review's id and reference, the lesson's reference and the other item's id.
SEED = (
    "import datetime as dt, uuid\n"
    "from backend.config import load_settings, set_current\n"
    "settings = load_settings(); set_current(settings)\n"
    "from backend.db import init_database\n"
    "init_database(settings.database_url, settings.instance_path)\n"
    "from backend.complaints.models import Complaint\n"
    "from backend.lessons.models import Lesson\n"
    "from backend.panels.demo import PANEL_NAME, REVIEW_TOPIC\n"
    "from backend.panels.models import Panel, ScrutinyReview\n"
    "from backend.timeutil import utcnow\n"
    "from tests import factories\n"
    "tag = uuid.uuid4().hex[:6]\n"
    "for n in range(3):\n"
    "    complaint = factories.make_complaint()\n"
    "    Complaint.update(status='closed', closed_at=utcnow() - dt.timedelta(minutes=5)).where(\n"
    "        Complaint.id == complaint.id).execute()\n"
    "lesson = Lesson.create(reference=f'LS-1998-{tag}', title=f'Late stage 1 letters {tag}',\n"
    "    identified_on=dt.date.today())\n"
    "panel = Panel.get(Panel.name == PANEL_NAME)\n"
    "review = ScrutinyReview.get(ScrutinyReview.panel == panel.id, ScrutinyReview.topic == REVIEW_TOPIC)\n"
    "other = factories.make_scrutiny_review(factories.make_panel(f'Other panel {tag}'), reference=f'SR-O-{tag}')\n"
    "item = factories.make_pack_item(other, title='Not for the demo panel')\n"
    "print(review.id, review.reference, tag, item.id)\n"
)


def seed(environ: dict[str, str]) -> tuple[int, str, str, int]:
    done = subprocess.run([sys.executable, "-c", SEED], env=environ, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    review_id, reference, lesson, item_id = done.stdout.strip().splitlines()[-1].split()
    return int(review_id), reference, lesson, int(item_id)


def signed_in(new_page: NewPage, email: str) -> Any:
    page = patient(new_page)()
    page.set_viewport_size({"width": 1100, "height": 900})
    sign_in_page(page, email)
    return page


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def follow(page: Any, name: str, exact: bool = False) -> None:
    """Follow a link in the page's main content (or the console's navigation), then check the page with axe."""
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=exact).first.click()
    assert_accessible(page)


def main_text(page: Any) -> str:
    return str(page.locator("main").inner_text())


def recommendation(page: Any, number: int) -> Any:
    return page.locator("main section", has=page.get_by_role("heading", name=f"Recommendation {number}", exact=True))


def errors(page: Any) -> str:
    return str(page.locator(".error-summary, [role=alert]").first.inner_text())


def test_the_demo_panel_reviews_the_complaints_journey_from_pack_to_public_page(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    url, environ = live_server
    review_id, reference, lesson_tag, other_item = seed(environ)

    # (2) Staff build the pack in the console, by links from the console's navigation.
    staff = signed_in(new_page, ACCOUNTS["staff"])
    staff.goto(f"{url}/console")
    follow(staff, "Scrutiny panels")
    follow(staff, "Residents' Scrutiny Panel")
    follow(staff, "The complaints journey")
    shot(staff, "console-review")
    follow(staff, "Build the evidence pack and answer the panel's requests")
    follow(staff, "A sample of closed cases")
    staff.get_by_label("Closed in").fill(dt.date.today().strftime("%Y-%m"))
    staff.get_by_label("How many cases").fill("2")
    submit(staff, "Draw the sample")
    assert_accessible(staff)
    follow(staff, "A lesson")
    option = staff.locator("main option", has_text=lesson_tag).inner_text()
    staff.get_by_label("Lesson", exact=True).select_option(label=option)
    submit(staff, "Add it")
    assert_accessible(staff)
    shot(staff, "console-pack")
    for title in ("Case 1", "Case 2", lesson_tag):
        follow(staff, title)
        if title == "Case 1":
            shot(staff, "console-case-item")
        submit(staff, "Confirm: nobody can be identified")
        assert_accessible(staff)
        follow(staff, "Back to the evidence pack")

    # (3) The chair reads the pack, annotates the redacted lesson and asks a question, all by links from /panel.
    chair = signed_in(new_page, ACCOUNTS["panel_member"])
    chair.goto(f"{url}/panel")
    assert_accessible(chair)
    follow(chair, reference)
    shot(chair, "panel-review")
    follow(chair, "The evidence pack")
    follow(chair, "Case 1")
    text = main_text(chair)
    assert "[staff member]" in text or "Case 1" in text
    shot(chair, "panel-case")
    follow(chair, "Back to the evidence pack")
    follow(chair, lesson_tag)
    shot(chair, "panel-lesson")
    follow(chair, "Annotate this lesson")
    chair.get_by_label("Your comment").fill("The actions change the letters but not the missed appointments.")
    chair.get_by_label("The actions partly address the root cause").check()
    submit(chair, "Save the annotation")
    assert_accessible(chair)
    assert "missed appointments" in main_text(chair)
    shot(chair, "panel-annotations")
    follow(chair, "Back to the lesson")
    follow(chair, "Ask staff a question")
    chair.get_by_label("Your question").fill("How many stage 1 responses were late last year?")
    submit(chair, "Ask the question")
    assert_accessible(chair)

    # Another panel's item, by its address: not found, as if it were not there.
    for path in (f"/panel/items/{other_item}", f"/panel/reviews/{review_id}/items/{other_item}/annotations"):
        response = chair.goto(url + path)
        assert response is not None and response.status == 404, path

    # Staff answer in the console, reached from the panels' list.
    staff.goto(f"{url}/console")
    follow(staff, "Scrutiny panels")
    follow(staff, "Panel questions to answer")
    question = staff.locator("main section", has_text="How many stage 1 responses were late last year?")
    question.get_by_label("Answer").fill("Twelve of 140.")
    with staff.expect_navigation():
        question.get_by_role("button", name="Send the answer").click()
    assert_accessible(staff)
    # Staff can enter a member's words given on paper, about the confirmed lesson.
    staff.goto(f"{url}/console/panels/reviews/{review_id}")
    follow(staff, "Findings, responses and publication")
    follow(staff, "Enter a member's words given on paper or by phone")
    assert staff.locator("main option", has_text=lesson_tag).count() == 1
    chair.goto(f"{url}/panel/reviews/{review_id}")
    follow(chair, "Questions to staff, and asking one")
    assert "Twelve of 140." in main_text(chair)

    # (4) The panel drafts findings with two recommendations; a plain member may not sign off, the chair does.
    follow(chair, "Back to the review")
    follow(chair, "The panel's findings and recommendations, and the landlord's responses")
    chair.get_by_label("Summary").fill("The journey is clear but the letters are long.")
    chair.get_by_label("Findings", exact=True).fill("Letters run to four pages.")
    chair.get_by_label("Recommendations").fill("Shorten the stage 1 letter.\nPublish the expected times.")
    submit(chair, "Save as a new version")
    assert_accessible(chair)
    shot(chair, "panel-findings-draft")

    plain = signed_in(new_page, "panel.three@example.org")
    plain.goto(f"{url}/panel/reviews/{review_id}/findings")
    assert_accessible(plain)
    sign_off = 'form[action$="/sign-off"]'
    assert plain.locator(sign_off).count() == 0
    chair_form = chair.locator(sign_off)
    action = chair_form.get_attribute("action")
    with plain.expect_navigation():  # the form the chair has, sent by a plain member: refused
        plain.evaluate(
            """action => {
                const form = document.createElement('form');
                form.method = 'post';
                form.action = action;
                const token = document.querySelector('input[name=csrf_token]').cloneNode();
                form.appendChild(token);
                document.body.appendChild(form);
                form.submit();
            }""",
            action,
        )
    chair.reload()
    assert chair.locator(sign_off).count() == 1, "a plain member's sign-off went through"

    chair.get_by_label("The panel agrees this version is its report").check()
    submit(chair, "Sign off")
    assert "Recommendation 2" in main_text(chair)
    assert_accessible(chair)
    shot(chair, "panel-findings-signed")

    # (5) A manager answers: bad inputs first, then one accepted (owner, due date: an action) and one declined.
    manager = signed_in(new_page, ACCOUNTS["manager"])
    manager.goto(f"{url}/console/panels/reviews/{review_id}")
    follow(manager, "Findings, responses and publication")
    first = recommendation(manager, 1)
    first.get_by_label("Accepted", exact=True).check()
    first.get_by_label("Reason").fill("We agree: a two-page letter by June.")
    with manager.expect_navigation():
        first.get_by_role("button", name="Record the response").click()
    assert_accessible(manager)
    refused = errors(manager)  # no owner or due date: refused, with what was typed kept
    assert "owns the actions" in refused and "due" in refused, refused
    assert recommendation(manager, 1).get_by_label("Reason").input_value() == "We agree: a two-page letter by June."
    manager.locator(".error-summary a").first.click()
    assert manager.evaluate("document.activeElement.id") == manager.locator("main select").first.get_attribute("id")
    shot(manager, "console-acceptance-refused")
    second = recommendation(manager, 2)
    second.get_by_label("Not accepted", exact=True).check()
    with manager.expect_navigation():
        second.get_by_role("button", name="Record the response").click()
    assert_accessible(manager)
    assert "reason" in errors(manager).lower()  # no reason: refused
    manager.goto(f"{url}/console/panels/reviews/{review_id}/findings")
    assert recommendation(manager, 2).get_by_role("button", name="Record the response").count() == 1

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
    assert_accessible(manager)
    shot(manager, "console-responses")
    # The action is in the lessons log.
    manager.goto(f"{url}/console/lessons/actions")
    assert_accessible(manager)
    assert "Shorten the stage 1 letter." in main_text(manager)

    # (6) One member of staff drafts the summary, another manager publishes; the public reads it without sign-in.
    staff.goto(f"{url}/console/panels/reviews/{review_id}/findings")
    staff.get_by_label("Public summary").fill("The panel reviewed the complaints journey and made two recommendations.")
    submit(staff, "Save the summary")
    assert_accessible(staff)
    admin = signed_in(new_page, ACCOUNTS["admin"])
    admin.goto(f"{url}/console/panels/reviews/{review_id}/findings")
    submit(admin, "Publish the report")
    assert_accessible(admin)

    visitor = new_page()
    visitor.goto(f"{url}/scrutiny")
    assert_accessible(visitor)
    shot(visitor, "public-list")
    with visitor.expect_navigation():
        visitor.locator("main li", has_text=reference).get_by_role("link").click()
    assert_accessible(visitor)
    text = main_text(visitor)
    for expected in ("made two recommendations", "Times depend on each case", "Planned"):
        assert expected in text, f"{expected!r} is not on {visitor.url}:\n{text}"
    shot(visitor, "public-report")
    visitor.set_viewport_size({"width": 320, "height": 640})
    assert_accessible(visitor)
    shot(visitor, "public-report-320")
    chair.set_viewport_size({"width": 320, "height": 640})
    chair.goto(f"{url}/panel/reviews/{review_id}/findings")
    assert_accessible(chair)
    assert chair.evaluate("document.documentElement.scrollWidth") <= 320
    shot(chair, "panel-findings-320")
