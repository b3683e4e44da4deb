"""Two-step sign-in on a phone-sized screen (the key and the recovery codes stay readable, and the codes
survive switching language), making new recovery codes, and an admin's reset, which asks first."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pyotp
import pytest

from tests.browser.conftest import ACCOUNTS, sign_in_page
from tests.browser.test_pages import assert_accessible
from tests.browser.test_sign_in_security_browser import focus, press_button, type_and_enter
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PASSWORD = "narrow screen passphrase"  # a throwaway test account
PHONE = {"width": 390, "height": 844}
# For each visible character inside an element, in order: the character and the top of its line.
CHARACTER_LINES = """
element => {
  const found = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      if (!node.data[i].trim()) continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      found.push([node.data[i], Math.round(range.getBoundingClientRect().top)]);
    }
  }
  return found;
}
"""


def lines_of(locator: Any) -> list[tuple[str, int]]:
    return [(char, top) for char, top in locator.evaluate(CHARACTER_LINES)]


def broken_groups(locator: Any, size: int) -> list[str]:
    """The groups of ``size`` characters (ignoring spaces) that are split across two lines."""
    found = lines_of(locator)
    groups = [found[i : i + size] for i in range(0, len(found), size)]
    return ["".join(char for char, _top in group) for group in groups if len({top for _char, top in group}) > 1]


def test_key_and_recovery_codes_never_break_inside_a_group_on_a_phone(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    _url, environ = live_server
    email = "narrow.phone@example.org"
    run_cli(
        environ, "users", "create", "--email", email, "--name", "Narrow", "--role", "resident", "--password", PASSWORD
    )
    page = new_page(viewport=PHONE)
    sign_in_page(page, email, PASSWORD)
    page.goto("/account/second-factor")
    key = page.locator("#second-factor-key")
    assert len(lines_of(key)) == 32 and len({top for _char, top in lines_of(key)}) > 1  # it does wrap, at 390px
    assert broken_groups(key, 4) == []
    link = page.get_by_role("link", name="Add to an authenticator app on this device")
    assert link.get_attribute("href").startswith("otpauth://totp/")
    totp = pyotp.TOTP(key.inner_text().replace(" ", "").replace("\n", ""))
    focus(page, "Your password")
    page.keyboard.type(PASSWORD)
    type_and_enter(page, "Code from the app", totp.now())
    codes = page.locator("#recovery-codes code")
    assert codes.count() == 10
    for index in range(10):
        assert broken_groups(codes.nth(index), 16) == [], codes.nth(index).inner_text()
    lefts = {round(codes.nth(i).bounding_box()["x"]) for i in range(10)}
    tops = [codes.nth(i).bounding_box()["y"] for i in range(10)]
    assert len(lefts) == 1 and tops == sorted(set(tops))  # one column, one code a line
    assert_accessible(page)

    shown = codes.all_inner_texts()
    with page.expect_navigation():
        page.locator("header").get_by_role("button", name="Cymraeg").click()
    assert page.url.endswith("/account/second-factor/codes")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.locator("#recovery-codes code").all_inner_texts() == shown


def enrol_on_page(page: Any, environ: dict[str, str], email: str) -> pyotp.TOTP:
    """Create a resident, sign them in on ``page`` and set up their authenticator; return it."""
    run_cli(
        environ,
        "users",
        "create",
        "--email",
        email,
        "--name",
        "Kept Codes",
        "--role",
        "resident",
        "--password",
        PASSWORD,
    )
    sign_in_page(page, email, PASSWORD)
    page.goto("/account/second-factor")
    totp = pyotp.TOTP(page.locator("#second-factor-key").inner_text().replace(" ", "").replace("\n", ""))
    focus(page, "Your password")
    page.keyboard.type(PASSWORD)
    type_and_enter(page, "Code from the app", totp.now())
    return totp


def test_new_recovery_codes_and_an_admin_reset_by_keyboard(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    _url, environ = live_server
    email = "kept.codes@example.org"
    page = new_page()
    totp = enrol_on_page(page, environ, email)
    press_button(page, "I have saved my codes")
    page.goto("/account/second-factor")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Make new recovery codes").click()
    assert_accessible(page)
    focus(page, "Your password")
    page.keyboard.type(PASSWORD)
    type_and_enter(page, "Code", totp.at(time.time() + 30))
    assert page.get_by_role("heading", name="New recovery codes").is_visible()
    assert page.locator("#recovery-codes code").count() == 10

    admin = new_page()
    sign_in_page(admin, ACCOUNTS["admin"])
    admin.goto("/console/security")
    type_and_enter(admin, "Email address", email)
    assert admin.get_by_role("heading", name="Reset two-step sign-in for Kept Codes?").is_visible()
    assert_accessible(admin)
    with admin.expect_navigation():
        admin.get_by_role("link", name="Cancel").click()
    assert admin.url.endswith("/console/security")
    type_and_enter(admin, "Email address", email)
    press_button(admin, "Reset two-step sign-in")
    assert admin.get_by_text("Two-step sign-in is reset.").is_visible()
