"""Two-step sign-in and sign in by email in a real browser, by keyboard, each page checked by axe."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pyotp
import pytest

from tests.browser.conftest import ACCOUNTS, DEMO_PASSWORD
from tests.browser.test_pages import assert_accessible
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PASSWORD = "keyboard only passphrase"  # a throwaway test account
MAIL_WAIT_SECONDS = 30


def focus(page: Any, label: str) -> None:
    """Tab forward until the field labelled ``label`` has the focus, as a keyboard user would."""
    field = page.get_by_label(label)
    for _ in range(60):
        if field.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {label!r}")


def type_and_enter(page: Any, label: str, text: str) -> None:
    focus(page, label)
    page.keyboard.type(text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def sign_in_by_keyboard(page: Any, email: str, password: str) -> None:
    page.goto("/sign-in")
    focus(page, "Email address")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def press_button(page: Any, name: str, within: str = "main") -> None:
    button = page.locator(within).get_by_role("button", name=name)
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_enrol_a_second_factor_and_sign_in_with_it_by_keyboard(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    _url, environ = live_server
    email = "two.step@example.org"
    run_cli(
        environ,
        "users",
        "create",
        "--email",
        email,
        "--name",
        "Tegan Stepney",
        "--role",
        "staff",
        "--password",
        PASSWORD,
    )
    page = new_page()  # the pages have no scripts; axe needs them to run its checks
    sign_in_by_keyboard(page, email, PASSWORD)
    page.goto("/account")
    with page.expect_navigation():
        page.get_by_role("link", name="Set up two-step sign-in").click()
    assert page.get_by_role("img", name=re.compile("QR code")).is_visible()
    assert_accessible(page)
    key = page.locator("#second-factor-key").inner_text().replace(" ", "")
    totp = pyotp.TOTP(key)
    focus(page, "Your password")
    page.keyboard.type(PASSWORD)
    type_and_enter(page, "Code from the app", totp.now())
    assert page.get_by_role("heading", name="Two-step sign-in is on").is_visible()
    assert page.locator("#recovery-codes li").count() == 10
    assert_accessible(page)
    press_button(page, "Sign out", within="header")

    sign_in_by_keyboard(page, email, PASSWORD)
    assert page.url.endswith("/sign-in/code")
    assert_accessible(page)
    # The code just used may not be used again; the next step's code is accepted.
    type_and_enter(page, "Code", totp.at(time.time() + 30))
    assert page.url.endswith("/console/")
    assert page.get_by_role("button", name="Sign out").is_visible()


def emailed_link(environ: dict[str, str], to: str, base_url: str) -> str:
    """Run a queue worker until the sign-in email for ``to`` arrives; return the link in it."""
    folder = Path(environ["LEARNLOOP_SMTP_URL"].removeprefix("file:"))
    worker = subprocess.Popen(
        [sys.executable, "-m", "portal.cli", "worker", "--no-periodic", "--workers", "1"],
        env=environ,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + MAIL_WAIT_SECONDS
        while time.monotonic() < deadline:
            for path in sorted(folder.glob("*.eml")):
                message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
                if message["To"] == to and message["Subject"] == "Your link to sign in":
                    text = message.get_body(preferencelist=("plain",)).get_content()
                    return re.search(r"(/sign-in/email/confirm\?token=\S+)", text).group(1)
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    raise AssertionError(f"no sign-in link reached {to}")


def test_sign_in_by_email_by_keyboard(new_page: NewPage, live_server: tuple[str, dict[str, str]]) -> None:
    base_url, environ = live_server
    page = new_page()  # the pages have no scripts; axe needs them to run its checks
    page.goto("/sign-in")
    with page.expect_navigation():
        page.get_by_role("link", name="Sign in with a link by email instead").click()
    assert_accessible(page)
    type_and_enter(page, "Email address", ACCOUNTS["panel_member"])
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert_accessible(page)
    page.goto(emailed_link(environ, ACCOUNTS["panel_member"], base_url))
    assert_accessible(page)
    press_button(page, "Sign in")
    assert page.get_by_role("button", name="Sign out").is_visible()
    page.goto(page.url)  # still signed in after a reload
    assert page.get_by_role("button", name="Sign out").is_visible()


@pytest.mark.parametrize(
    ("path", "account"),
    [("/console/representations", "staff"), ("/console/security", "admin"), ("/account/phone", "resident")],
)
def test_security_pages_have_no_axe_violations(new_page: NewPage, path: str, account: str) -> None:
    from tests.browser.conftest import sign_in_page

    page = new_page()
    sign_in_page(page, ACCOUNTS[account], DEMO_PASSWORD)
    assert page.goto(path).status == 200
    assert_accessible(page)
