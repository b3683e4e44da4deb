"""Two-step sign-in on a phone-sized screen: the key and the recovery codes stay readable, and the codes
survive switching language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyotp
import pytest

from tests.browser.conftest import sign_in_page
from tests.browser.test_pages import assert_accessible
from tests.browser.test_sign_in_security_browser import type_and_enter
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PASSWORD = "narrow screen passphrase"  # noqa: S105 - a throwaway test account
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
