"""Themes in headless Chromium with scripts off, in English and in Welsh: a member of staff creates a theme with its
name in every enabled language, confirms it as a suggested theme for a lesson, and sees the dashboard's trend table.
axe checks every page on the way.

The lessons log arrives with its own pages; until then the lesson is written straight into the server's database.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import sign_in_page
from tests.browser.test_console_cases_browser import assert_accessible_copy
from tests.browser.test_internal_notes_browser import press_enter_on
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PASSWORD = "theme keeper passphrase"  # a throwaway test account
# Signing in hashes a password and the lesson's page ranks every theme: allow for a busy machine.
SLOW_MS = 30_000
LOCALES = ("en", "cy", "ar", "bn", "pl", "ro", "so", "ur")


def add_lesson(environ: dict[str, str], title: str, early: str) -> int:
    """Write a lesson into the live server's database (SQLite, WAL: the server keeps serving); return its id."""
    path = environ["LEARNLOOP_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        cursor = connection.execute(
            "INSERT INTO lesson (reference, title, status, identified_on, early_lesson, event_summary, actions_taken, "
            "later_findings, referred_to_hr, end_reason, created_at, updated_at) VALUES (?, ?, 'identified', "
            "date('now'), ?, '', '', '', 0, '', datetime('now'), datetime('now'))",
            (f"LS-2026-{uuid.uuid4().int % 10**8:08d}", title, early),
        )
        return int(cursor.lastrowid or 0)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_staff_create_a_theme_confirm_it_for_a_lesson_and_see_the_trend(
    new_page: NewPage, live_server: tuple[str, dict[str, str]], language: str
) -> None:
    tag = uuid.uuid4().hex[:8]
    email = f"theme.keeper.{language}.{tag}@example.org"
    run_cli(live_server[1], "users", "create", "--email", email, "--name", "Theme Keeper", "--role", "staff",
            "--password", PASSWORD)  # fmt: skip
    page = new_page(javascript=False)
    page.context.set_default_timeout(SLOW_MS)
    sign_in_page(page, email, PASSWORD)
    if language == "cy":
        with page.expect_navigation():
            page.locator("header").get_by_role("button", name="Cymraeg").click()
        assert page.locator("html").get_attribute("lang") == "cy"

    # Create the theme with a name in every enabled language.
    page.goto("/console/lessons/themes/new")
    assert_accessible_copy(new_page, page)
    form = page.locator("main form")
    word = f"Gutter{tag}"
    form.locator("input[name=name]").fill(f"Gutters and drains {tag}")
    for locale in LOCALES:
        field = form.locator(f"input[name=text_{locale}_name]")
        assert field.get_attribute("lang") == locale
        field.fill(f"{word} {locale}")
    form.locator("textarea[name=text_en_description]").fill(f"Blocked gutters and overflowing drains, {word}.")
    press_enter_on(page, form.locator("button[type=submit]"))
    assert re.search(r"/console/lessons/themes/\d+$", page.url), page.url
    assert page.locator("#readiness").get_attribute("data-ready") == "yes"
    assert_accessible_copy(new_page, page)

    # The lesson's themes page suggests it; staff confirm it.
    lesson_id = add_lesson(live_server[1], f"Overflowing gutter {word}", f"The {word} gutter leaked into a flat.")
    page.goto(f"/console/lessons/{lesson_id}/themes")
    assert_accessible_copy(new_page, page)
    suggested = page.locator("main ul.suggestions li", has_text=f"Gutters and drains {tag}")
    assert suggested.count() == 1
    press_enter_on(page, suggested.locator("button[type=submit]"))
    assert page.url.endswith(f"/console/lessons/{lesson_id}/themes")
    linked = page.locator("[aria-labelledby=linked-heading] li", has_text=f"Gutters and drains {tag}")
    assert linked.count() == 1
    assert_accessible_copy(new_page, page)

    # The dashboard lists it with a chart and the chart's figures as a table.
    page.goto("/console/lessons/themes")
    assert page.get_by_role("link", name=f"Gutters and drains {tag}").count() == 1
    figure = page.locator("figure.chart", has_text=f"Gutters and drains {tag}")
    assert figure.locator("svg[role=img]").count() == 1
    figure.locator("details.chart-data summary").click()
    assert figure.locator("table tbody tr").count() == 12
    assert_accessible_copy(new_page, page)
