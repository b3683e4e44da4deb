"""Restricted cases in headless Chromium, in English and in Welsh, with axe on every page.

A manager records that a complaint names a member of staff (after a confirmation). That person then can't find
it in their queue, by its address, or through the API. The manager makes the case need-to-know; a colleague not
on its list gets "not there", and the manager reviews who has read the case.

Fields are found by their names, not their labels, so the same steps run whatever language the page is in.
"""

from __future__ import annotations

import json
import re
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import ACCOUNTS, sign_in_page
from tests.browser.test_console_cases_browser import log_contact
from tests.browser.test_pages import assert_accessible
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PASSWORD = "restricted cases passphrase"  # throwaway test accounts


def patient(page: Any) -> Any:
    """The page, waiting longer than the usual 5 s: signing in hashes a password, slow on a busy machine."""
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(30_000)
    return page


def press_enter_on(page: Any, button: Any) -> None:
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def speak(page: Any, language: str) -> None:
    """Switch the signed-in person's pages to Welsh (English is where they start)."""
    if language == "cy":
        with page.expect_navigation():
            page.locator("header").get_by_role("button", name="Cymraeg").click()
    assert page.locator("html").get_attribute("lang") == language


def api_as(base: str, environ: dict[str, str], email: str) -> Callable[[str, dict[str, Any]], dict[str, Any]]:
    printed = run_cli(environ, "tokens", "create", "--email", email, "--scope", "read", "--name", "restricted")
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


@pytest.mark.parametrize("language", ["en", "cy"])
def test_complaint_naming_staff_is_hidden_from_them_and_need_to_know_reads_are_reviewed(
    new_page: NewPage, live_server: tuple[str, dict[str, str]], language: str
) -> None:
    base, environ = live_server
    tag = uuid.uuid4().hex[:8]
    manager_email, named_email = f"restricted.manager.{tag}@example.org", f"restricted.named.{tag}@example.org"
    run_cli(environ, "users", "create", "--email", manager_email, "--name", f"Manager {tag}", "--role", "manager",
            "--password", PASSWORD)  # fmt: skip
    run_cli(environ, "users", "create", "--email", named_email, "--name", f"Officer {tag}", "--role", "staff",
            "--password", PASSWORD)  # fmt: skip

    staff = patient(new_page(javascript=False))
    sign_in_page(staff, ACCOUNTS["staff"])
    contact_path = log_contact(staff, f"The officer at the office shouted at me. {tag}", complaint=True)
    staff.locator("main a[href*='/console/complaints/']").first.click()
    complaint_path = re.sub(r"^https?://[^/]+", "", staff.url)
    reference = re.search(r"LL-\d{4}-\d{6}", staff.locator("h1").inner_text()).group(0)
    complaint_id = complaint_path.rsplit("/", 1)[1]

    # A manager records that the complaint names the officer, after a confirmation.
    manager = patient(new_page())
    sign_in_page(manager, manager_email, PASSWORD)
    speak(manager, language)
    manager.goto(complaint_path)
    assert_accessible(manager)
    with manager.expect_navigation():
        manager.locator(f"main a[href='{complaint_path}/staff']").click()
    assert_accessible(manager)
    form = manager.locator("main form")
    form.locator("select[name=person]").select_option(label=f"Officer {tag} ({named_email})")
    form.locator("input[name=part][value=subject]").check()
    form.locator("textarea[name=details]").fill("Was at the front desk")
    press_enter_on(manager, form.locator("button[type=submit]"))
    assert manager.locator("main form input[name=confirmed]").get_attribute("value") == "yes"
    assert_accessible(manager)
    press_enter_on(manager, manager.locator("main form button[type=submit]"))
    assert manager.url.endswith(complaint_path)
    manager.goto(f"{complaint_path}/staff")
    assert f"Officer {tag}" in manager.locator("main table").inner_text()

    # The officer can't find it: not in their queue, not by its address, not through the API.
    named = patient(new_page())
    sign_in_page(named, named_email, PASSWORD)
    speak(named, language)
    assert named.goto("/console/complaints?view=open").status == 200
    assert reference not in named.content()
    assert_accessible(named)
    # Nor by searching for it, by reference or by the resident's words, in the page or its CSV; a colleague finds it.
    for searcher, words, found in ((staff, tag, True), (named, reference, False), (named, tag, False)):
        searcher.goto("/console")
        searcher.get_by_role("searchbox").fill(words)
        with searcher.expect_navigation():
            searcher.keyboard.press("Enter")
        assert "/console/search" in searcher.url
        results = " ".join(searcher.locator("main table").all_inner_texts())
        assert (reference in results) is found, (words, found)
    assert_accessible(named)
    assert reference not in named.request.get(f"{base}/console/search.csv?q={reference}").text()
    for path in (complaint_path, contact_path, f"{complaint_path}/staff"):
        assert named.goto(path).status == 404
    assert_accessible(named)
    api = api_as(base, environ, named_email)
    found = api(
        """query ($reference: String!, $id: ID!) {
          complaints(where: {reference: {eq: $reference}}) { totalCount }
          contacts(where: {reference: {eq: $reference}}) { totalCount }
          complaint(id: $id) { id }
        }""",
        {"reference": reference, "id": complaint_id},
    )
    assert found == {"complaints": {"totalCount": 0}, "contacts": {"totalCount": 0}, "complaint": None}

    # The manager makes the case need-to-know: a colleague not on its list is told it is not there.
    manager.goto(complaint_path)
    with manager.expect_navigation():
        manager.locator("main a[href$='/need-to-know']").click()
    assert_accessible(manager)
    form = manager.locator("main form")
    form.locator("input[name=restrict-kind][value=safeguarding]").check()
    form.locator("textarea[name=restrict-reason]").fill("A child in the home may be at risk")
    press_enter_on(manager, form.locator("button[type=submit]"))
    assert manager.url.endswith(complaint_path)
    assert staff.goto(complaint_path).status == 404

    # Every read is logged, and the manager reviews them.
    manager.goto(contact_path + "/need-to-know")
    assert_accessible(manager)
    with manager.expect_navigation():
        manager.locator("main a[href$='/reads']").click()
    reads = manager.locator("main table").inner_text()
    assert "ConsoleComplaint" in reads and f"Manager {tag}" in reads
    assert_accessible(manager)
