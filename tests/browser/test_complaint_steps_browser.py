"""A stage-1 complaint that staff closed can still go to stage 2: staff close it in the console, and the
resident (in English, and in Welsh) asks for the next stage from their case page, with scripts off.

The stage-1 answer is given through the API with a staff token, as a tool would; every page is checked
by axe-core in a script-enabled copy that shares the person's cookies.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import ACCOUNTS, sign_in_page
from tests.browser.test_console_cases_browser import press as press_confirmed
from tests.browser.test_console_cases_browser import region
from tests.browser.test_pages import assert_accessible
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
Api = Callable[[str, dict[str, Any]], dict[str, Any]]

PERSON = "query ($email: String!) { people(where: {email: {eq: $email}}) { nodes { id } } }"
SUBMIT = """
mutation ($input: ContactSubmitInput!) {
  contactSubmit(input: $input) {
    __typename
    ... on ContactSubmitted { contact { id complaints { id } } }
  }
}
"""
ACKNOWLEDGE = """
mutation ($input: ComplaintAcknowledgeInput!) {
  complaintAcknowledge(input: $input) { __typename ... on ComplaintAcknowledged { complaint { points { id } } } }
}
"""
RESPOND = "mutation ($input: ComplaintRespondInput!) { complaintRespond(input: $input) { __typename } }"
COMPLAINT = "query ($id: ID!) { complaint(id: $id) { stage status } }"


@pytest.fixture(scope="module")
def api(live_server: tuple[str, dict[str, str]]) -> Api:
    """Run GraphQL on the live server with a staff member's write token."""
    base, environ = live_server
    printed = run_cli(environ, "tokens", "create", "--email", ACCOUNTS["staff"], "--scope", "write", "--name", "steps")
    secret = printed.strip().splitlines()[-1]

    def call(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(  # the local server we started
            f"{base}/graphql",
            data=json.dumps({"query": query, "variables": variables}).encode(),
            headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = json.load(response)
        assert "errors" not in body, body
        return body["data"]

    return call


def answered_at_stage_one(api: Api, account: str, words: str) -> tuple[str, str]:
    """A phoned-in complaint from the account's resident, acknowledged and answered; (contact id, complaint id)."""
    resident = api(PERSON, {"email": ACCOUNTS[account]})["people"]["nodes"][0]["id"]
    made = api(
        SUBMIT,
        {"input": {"channel": "phone", "description": words, "residentId": resident, "wantsToComplain": True}},
    )["contactSubmit"]
    assert made["__typename"] == "ContactSubmitted", made
    contact, complaint = made["contact"]["id"], made["contact"]["complaints"][0]["id"]
    acknowledged = api(
        ACKNOWLEDGE,
        {"input": {"id": complaint, "points": [{"text": words, "outcomeSought": "A fix"}], "outcomesSought": "A fix"}},
    )["complaintAcknowledge"]
    point = acknowledged["complaint"]["points"][0]["id"]
    decision = {"pointId": point, "decision": "not_upheld", "reasons": "The visit was booked in time."}
    answer = {"id": complaint, "decisions": [decision], "reasons": "We checked.", "nextSteps": "Ask for stage 2."}
    assert api(RESPOND, {"input": answer})["complaintRespond"]["__typename"] == "ComplaintResponded"
    return contact, complaint


def press(scope: Any, button: str) -> None:
    """Move focus to a button and press Enter, waiting for the page that answers."""
    target = scope.get_by_role("button", name=button, exact=True)
    target.focus()
    with target.page.expect_navigation():
        target.page.keyboard.press("Enter")


def assert_accessible_copy(new_page: NewPage, page: Any) -> None:
    copy = new_page(storage_state=page.context.storage_state())
    assert copy.goto(page.url).status == 200
    assert_accessible(copy)


def close_in_console(new_page: NewPage, complaint: str) -> None:
    page = new_page(javascript=False)
    sign_in_page(page, ACCOUNTS["staff"])
    page.goto(f"/console/complaints/{complaint}")
    assert_accessible_copy(new_page, page)
    section = region(page, "Close the complaint")
    section.get_by_label("The underlying cause").fill("The booking system lost the first visit.")
    section.get_by_label("The remedial action we are taking").fill("Bookings are now confirmed by text.")
    press_confirmed(section, "Close the complaint")
    assert page.get_by_text("The complaint is closed.").is_visible()
    # The resident may still ask for stage 2, so staff can record that request too.
    actions = page.get_by_role("navigation", name="Actions")
    assert actions.get_by_role("link", name="Take it to the next stage", exact=True).is_visible()
    assert_accessible_copy(new_page, page)


@pytest.mark.parametrize(
    ("account", "language", "words"),
    [
        ("resident", "en", "The gas engineer did not come on Tuesday."),
        ("welsh_resident", "cy", "Ni ddaeth y peiriannydd nwy ddydd Mawrth."),
    ],
)
def test_resident_escalates_a_stage_one_complaint_that_staff_closed(
    new_page: NewPage, api: Api, account: str, language: str, words: str
) -> None:
    contact, complaint = answered_at_stage_one(api, account, words)
    close_in_console(new_page, complaint)
    assert api(COMPLAINT, {"id": complaint})["complaint"] == {"stage": 1, "status": "closed"}

    page = new_page(javascript=False)
    sign_in_page(page, ACCOUNTS[account])
    page.goto(f"/cases/{contact}")
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible_copy(new_page, page)
    escalate = page.locator("section[aria-labelledby=escalate-heading]")
    assert escalate.is_visible()
    button = escalate.locator("button[type=submit]")
    assert re.search(r"\b2\b", button.inner_text())
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".flashes").is_visible()
    assert page.locator("section[aria-labelledby=escalate-heading]").count() == 0
    assert_accessible_copy(new_page, page)
    assert api(COMPLAINT, {"id": complaint})["complaint"] == {"stage": 2, "status": "received"}


def test_staff_take_an_answered_complaint_to_stage_two_after_checking_what_will_happen(
    new_page: NewPage, api: Api
) -> None:
    _contact, complaint = answered_at_stage_one(api, "resident", "The repair to the back door was left half done.")
    page = new_page()
    sign_in_page(page, ACCOUNTS["staff"])
    page.goto(f"/console/complaints/{complaint}")
    section = region(page, "Take it to the next stage")
    section.get_by_label("Their reason (optional)").fill("They phoned: the door still does not lock.")
    press(section, "Take it to the next stage")
    # Nothing has moved yet: the page says what will happen and asks again.
    assert page.get_by_role("heading", name="What will happen").is_visible()
    assert "They phoned: the door still does not lock." in page.locator("main dl.summary").last.inner_text()
    assert api(COMPLAINT, {"id": complaint})["complaint"] == {"stage": 1, "status": "responded"}
    assert_accessible(page)
    press(page.locator("main"), "Yes: Take it to the next stage")
    assert page.locator(".flashes").is_visible()
    assert api(COMPLAINT, {"id": complaint})["complaint"] == {"stage": 2, "status": "received"}
