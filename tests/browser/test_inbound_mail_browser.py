"""The complaints mailbox and leavers in headless Chromium, in English and in Welsh, with axe on every page.

A resident's reply by email, sent over SMTP to ``learnloop mail-receiver``, appears on their case for staff and for
them; an admin closes a leaver's account and their complaint goes to a successor, after confirming.
"""

from __future__ import annotations

import re
import smtplib
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from typing import Any

import pytest

from tests.browser.conftest import ACCOUNTS, sign_in_page
from tests.browser.test_console_cases_browser import assert_accessible_copy, log_contact, press, region
from tests.browser.test_internal_notes_browser import open_complaint_as_staff, press_enter_on, resident_complains
from tests.browser.test_pages import assert_accessible
from tests.live_server import free_port, run_cli, stop

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PASSWORD = "mailbox test passphrase"  # throwaway accounts made for these tests
# Accounts made by the command line hash their password in full, which is slow on a busy machine.
SIGN_IN_TIMEOUT_MS = 30_000
# The mail server in front of the receiver, whose Authentication-Results headers the receiver believes.
TRUSTED_SERVER = "mx.learnloop.test"


def signed_in(new_page: NewPage, email: str, javascript: bool = False) -> Any:
    page = new_page(javascript=javascript)
    page.set_default_timeout(SIGN_IN_TIMEOUT_MS)
    sign_in_page(page, email, PASSWORD)
    return page


@pytest.fixture(scope="session")
def mail_receiver(live_server: tuple[str, dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """Run ``learnloop mail-receiver`` against the live server's database; give its port."""
    _url, environ = live_server
    port = free_port()
    log = tmp_path_factory.mktemp("mail-receiver") / "receiver.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "portal.cli", "mail-receiver", "--port", str(port)],
            env={**environ, "LEARNLOOP_INBOUND_AUTHSERV_IDS": TRUSTED_SERVER},
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"learnloop mail-receiver did not start:\n{log.read_text()}")
                    time.sleep(0.1)
            yield port
        finally:
            stop(process)


def send_reply(port: int, sender: str, subject: str, text: str, authenticated: bool = True) -> None:
    """Send a reply; ``authenticated``: as our own mail server passes on mail whose sender passed DMARC."""
    message = EmailMessage()
    if authenticated:
        domain = sender.rsplit("@", 1)[1]
        message["Authentication-Results"] = f"{TRUSTED_SERVER}; dmarc=pass header.from={domain}"
    message["From"] = sender
    message["To"] = "complaints@learnloop.test"
    message["Subject"] = subject
    message.set_content(text)
    with smtplib.SMTP("127.0.0.1", port, timeout=20) as client:
        client.send_message(message)


@pytest.mark.parametrize(("account", "language"), [("resident", "en"), ("welsh_resident", "cy")])
def test_a_reply_by_email_appears_on_its_case(
    new_page: NewPage, mail_receiver: int, account: str, language: str
) -> None:
    resident, case_path = resident_complains(new_page, account, f"The bins were not collected. {uuid.uuid4().hex}")
    reference = re.search(r"LL-\d{4}-\d{6}", resident.content()).group(0)  # type: ignore[union-attr]
    marker = f"Reply-{uuid.uuid4().hex[:10]}"

    send_reply(mail_receiver, ACCOUNTS[account], f"Re: {reference}", f"They still have not come. {marker}")

    staff = new_page(javascript=False)
    sign_in_page(staff, ACCOUNTS["staff"])
    open_complaint_as_staff(staff, case_path.rsplit("/", 1)[1], note=False)
    assert marker in staff.locator("main").inner_text()
    assert_accessible_copy(new_page, staff)

    assert resident.goto(case_path).status == 200
    assert resident.locator("html").get_attribute("lang") == language
    assert marker in resident.locator("main").inner_text()
    assert_accessible_copy(new_page, resident)


def test_a_reply_naming_someone_elses_case_does_not_appear_on_it(new_page: NewPage, mail_receiver: int) -> None:
    resident, case_path = resident_complains(new_page, "resident", f"The gate is stuck. {uuid.uuid4().hex}")
    reference = re.search(r"LL-\d{4}-\d{6}", resident.content()).group(0)  # type: ignore[union-attr]
    marker = f"Stranger-{uuid.uuid4().hex[:10]}"

    send_reply(mail_receiver, ACCOUNTS["welsh_resident"], f"Re: {reference}", f"Not my case. {marker}")

    assert resident.goto(case_path).status == 200
    assert marker not in resident.content()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_leaver_is_handed_over_in_one_step(
    new_page: NewPage, live_server: tuple[str, dict[str, str]], language: str
) -> None:
    _url, environ = live_server
    tag = uuid.uuid4().hex[:8]
    leaver_email, admin_email = f"leaver-{tag}@example.org", f"admin-{tag}@example.org"
    run_cli(environ, "users", "create", "--email", leaver_email, "--name", f"Leaver {tag}", "--role", "staff",
            "--password", PASSWORD)  # fmt: skip
    run_cli(environ, "users", "create", "--email", admin_email, "--name", f"Admin {tag}", "--role", "admin",
            "--password", PASSWORD)  # fmt: skip

    leaver = signed_in(new_page, leaver_email)
    log_contact(leaver, f"The stairwell light is out. {tag}", complaint=True)
    with leaver.expect_navigation():
        leaver.get_by_role("link", name=re.compile(r"^Go to complaint LL-")).click()
    complaint_path = re.sub(r"^https?://[^/]+", "", leaver.url)
    acknowledge = region(leaver, "Acknowledge the complaint")
    point = acknowledge.get_by_role("group", name="Point 1")
    point.get_by_label("What the complaint is about").fill("The stairwell light is out")
    point.get_by_label("The outcome they want").fill("The light fixed")
    acknowledge.get_by_label("What the resident wants to happen overall").fill("A safe stairwell")
    press(acknowledge, "Acknowledge")

    admin = signed_in(new_page, admin_email, javascript=True)  # axe runs in the page itself
    if language == "cy":
        with admin.expect_navigation():
            admin.locator("header").get_by_role("button", name="Cymraeg").click()
    admin.goto(f"/console/people?q={leaver_email}")
    assert admin.locator("html").get_attribute("lang") == language
    assert_accessible(admin)
    with admin.expect_navigation():
        admin.locator("main a[href$='/leave']").first.click()
    assert "/leave" in admin.url
    assert_accessible(admin)
    options = admin.locator("select[name=successor_id] option")
    successor = next(
        options.nth(i).get_attribute("value")
        for i in range(options.count())
        if ACCOUNTS["staff"] in options.nth(i).inner_text()
    )
    admin.locator("select[name=successor_id]").select_option(successor)
    press_enter_on(admin, admin.locator("main form button[type=submit]"))
    assert admin.locator("input[name=confirmed][value=yes]").count() == 1
    assert_accessible(admin)
    press_enter_on(admin, admin.locator("main form button[type=submit]"))
    assert admin.url.endswith("/console/people")
    assert admin.locator(".flashes").count() == 1
    assert_accessible(admin)

    leaver.goto("/console/")
    assert "/sign-in" in leaver.url
    assert admin.goto(complaint_path).status == 200
    assert "Jordan Lee" in admin.locator("main").inner_text()
    assert_accessible(admin)
