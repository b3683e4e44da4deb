"""Following a change in headless Chromium with scripts off: the demo resident's one-click stop link asks, then
stops; a tampered link says so and changes nothing; the list of changes they follow. In English, Welsh and Arabic
(right to left), and at 320px wide; axe checks every page.

The link is made as the server makes it, with the instance's secret key, for a demo account and a published change it
follows, written straight into the server's database (a change's own pages arrive with the changes' work). The page
speaks the language of the account the link is for, as the message did.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from itsdangerous import URLSafeTimedSerializer

from backend.cocreation.followers import STOP_SALT
from tests.browser.conftest import sign_in_page
from tests.browser.test_pages import assert_accessible
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
RESIDENT = "resident@example.org"


def database(environ: dict[str, str]) -> str:
    return environ["LEARNLOOP_DATABASE_URL"].removeprefix("sqlite:///")


def followed_change(environ: dict[str, str], email: str = RESIDENT) -> tuple[int, int, str]:
    """The account's id, and a published change it follows (id, reference), written into the database."""
    with sqlite3.connect(database(environ)) as connection:
        (user_id,) = connection.execute("SELECT id FROM account WHERE email = ?", (email,)).fetchone()
        reference = f"CH-2099-{uuid.uuid4().int % 10**6:06d}"[:20]
        title = json.dumps({"en": "Reminder texts before repairs", "cy": "Negeseuon atgoffa cyn atgyweirio"})
        cursor = connection.execute(
            "INSERT INTO change (reference, title, what, why, easy_read, status, percent, published_at, impact_yes, "
            "impact_partly, impact_no, impact_dont_know, created_at, updated_at) VALUES (?, ?, '{}', '{}', '{}', "
            "'in_progress', 40, datetime('now'), 0, 0, 0, 0, datetime('now'), datetime('now'))",
            (reference, title),
        )
        change_id = int(cursor.lastrowid or 0)
        connection.execute(
            "INSERT INTO change_follow (change_id, user_id, following, source, created_at, updated_at) "
            "VALUES (?, ?, 1, 'pressed', datetime('now'), datetime('now'))",
            (change_id, user_id),
        )
    return int(user_id), change_id, reference


def following(environ: dict[str, str], user_id: int, change_id: int) -> bool:
    with sqlite3.connect(database(environ)) as connection:
        row = connection.execute(
            "SELECT following FROM change_follow WHERE user_id = ? AND change_id = ?", (user_id, change_id)
        ).fetchone()
    return bool(row and row[0])


def stop_link(environ: dict[str, str], user_id: int, change_id: int) -> str:
    secret = (Path(environ["LEARNLOOP_INSTANCE_PATH"]) / "secret_key").read_text().strip()
    token = URLSafeTimedSerializer(secret, salt=STOP_SALT).dumps({"uid": user_id, "change": change_id})
    return f"/changes/stop/{token}"


def account_for(environ: dict[str, str], language: str) -> str:
    """English: the demo resident; Welsh: the Welsh demo resident (their link speaks Welsh); Arabic: a new account
    with no language of its own, whose browser asks for Arabic."""
    if language == "en":
        return RESIDENT
    if language == "cy":
        return "preswylydd@example.org"
    email = f"follower.{uuid.uuid4().hex[:8]}@example.org"
    run_cli(environ, "users", "create", "--email", email, "--name", "Follower", "--role", "resident",
            "--password", "follower passphrase")  # fmt: skip
    return email


@pytest.mark.parametrize(
    ("language", "direction", "width"), [("en", "ltr", 1280), ("cy", "ltr", 1280), ("ar", "rtl", 320)]
)
def test_stop_link_asks_then_stops(
    new_page: NewPage, live_server: tuple[str, dict[str, str]], language: str, direction: str, width: int
) -> None:
    environ = live_server[1]
    user_id, change_id, reference = followed_change(environ, account_for(environ, language))
    browser_language = "ar" if language == "ar" else "en-GB"
    page = new_page(viewport={"width": width, "height": 800}, locale=browser_language)
    page.goto(stop_link(environ, user_id, change_id))
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("html").get_attribute("dir") == direction
    assert page.locator("main").get_by_text(reference).is_visible()
    assert_accessible(page)
    assert following(environ, user_id, change_id)  # opening the link stops nothing
    with page.expect_navigation():
        page.locator("main").get_by_role("button").click()
    assert not following(environ, user_id, change_id)
    assert page.locator("main").get_by_role("link").first.get_attribute("href") == f"/changes/{reference}"
    assert_accessible(page)
    if width == 320:
        assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("language", ["en", "cy", "ar"])
def test_tampered_stop_link_changes_nothing_and_says_so(
    new_page: NewPage, live_server: tuple[str, dict[str, str]], language: str
) -> None:
    environ = live_server[1]
    user_id, change_id, _reference = followed_change(environ)
    link = stop_link(environ, user_id, change_id)
    page = new_page(locale=language)
    response = page.goto(f"{link[:-4]}abcd")
    assert response is not None and response.status == 400
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("main form").count() == 0
    assert_accessible(page)
    assert following(environ, user_id, change_id)


def test_changes_you_follow_lists_the_demo_residents_change(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    _user_id, _change_id, reference = followed_change(live_server[1])
    page = new_page(viewport={"width": 320, "height": 800})
    sign_in_page(page, RESIDENT)
    page.goto("/changes/following")
    assert page.get_by_role("heading", level=1, name="Changes you follow").is_visible()
    assert page.locator("main").get_by_text(reference, exact=False).first.is_visible()
    assert_accessible(page)
