"""Equality monitoring and the board's signals in headless Chromium, by keyboard, with axe on every page.

A resident finds the equality questions on their account page, is stopped until they tick consent, saves answers
and withdraws them again. Staff record a resident's answers on a contact with consent, and the contact page says
only that they are recorded. A manager reads the equality breakdowns and imports signals from a CSV file: a file with
a bad row is refused with the row named, and a good one is listed.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import sign_in_page
from tests.browser.test_internal_notes_browser import press_enter_on
from tests.browser.test_pages import assert_accessible
from tests.browser.test_update_intervals_browser import patient
from tests.live_server import run_cli

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
PASSWORD = "equality monitoring passphrase"  # a throwaway test account
# A contact of the demo resident, and a service area to import signals for: prints the contact's id.
SET_UP = (
    "from backend.config import load_settings, set_current\n"
    "settings = load_settings(); set_current(settings)\n"
    "from backend.db import init_database\n"
    "init_database(settings.database_url, settings.instance_path)\n"
    "from backend.accounts.models import User\n"
    "from backend.complaints.models import ServiceArea\n"
    "from tests.factories import make_contact\n"
    "ServiceArea.get_or_create(name='Equality browser area')\n"
    "print(make_contact(User.get(User.email == 'resident@example.org')).id)\n"
)


def set_up(environ: dict[str, str]) -> int:
    done = subprocess.run([sys.executable, "-c", SET_UP], env=environ, capture_output=True, text=True, check=True)
    return int(done.stdout.strip().splitlines()[-1])


def own_account(environ: dict[str, str], role: str) -> str:
    email = f"equality.{uuid.uuid4().hex[:8]}@example.org"
    run_cli(environ, "users", "create", "--email", email, "--name", "Equality Tester", "--role", role,
            "--password", PASSWORD)  # fmt: skip
    return email


def test_a_resident_gives_and_withdraws_equality_answers(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    url, environ = live_server
    page = patient(new_page)()
    sign_in_page(page, own_account(environ, "resident"), PASSWORD)
    page.goto(url + "/account")
    assert page.locator("#equality-heading").count() == 1
    assert_accessible(page)
    link = page.locator("main a[href$='/account/equality']")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "only to check that our complaints service treats everyone fairly" in page.locator("main").inner_text()
    assert_accessible(page)

    page.locator("select[name=sex]").select_option("female")
    press_enter_on(page, page.locator("main form[action$='/account/equality'] button[type=submit]"))
    assert page.locator(".error-summary").get_attribute("role") == "alert"
    assert page.locator("select[name=sex]").input_value() == "female"
    assert_accessible(page)

    page.locator("input[name=consent]").check()
    page.locator("select[name=ethnic_group]").select_option("white_irish")
    press_enter_on(page, page.locator("main form[action$='/account/equality'] button[type=submit]"))
    assert page.url.split("#")[0].endswith("/account")
    assert "You gave your answers with your consent" in page.locator("#equality-heading ~ p").last.inner_text()
    assert_accessible(page)

    page.goto(url + "/account/equality")
    assert page.locator("select[name=ethnic_group]").input_value() == "white_irish"
    press_enter_on(page, page.locator("main form[action$='/account/equality/withdraw'] button"))
    assert page.locator(".flashes").count() == 1
    assert "You have not given any answers." in page.locator("main").inner_text()
    assert_accessible(page)


def test_staff_record_answers_on_a_contact_and_see_only_that_they_are_recorded(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    url, environ = live_server
    contact_id = set_up(environ)
    page = patient(new_page)()
    sign_in_page(page, own_account(environ, "staff"), PASSWORD)
    page.goto(url + f"/console/contacts/{contact_id}")
    assert "Not recorded." in page.locator("#equality-heading ~ p").first.inner_text()
    page.locator(f"main a[href$='/console/contacts/{contact_id}/equality']").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    press_enter_on(page, page.locator("main form button[type=submit]").first)
    assert page.locator(".error-summary").get_attribute("role") == "alert"
    assert_accessible(page)
    page.locator("input[name=consent_given_by][value=resident]").check()
    page.locator("input[name=consent_method][value=verbal]").check()
    page.locator("input[name=consent_given_on]").fill("2025-05-01")
    page.locator("select[name=religion]").select_option("buddhist")
    press_enter_on(page, page.locator("main form button[type=submit]").first)
    assert page.url.endswith(f"/console/contacts/{contact_id}")
    status = page.locator("#equality-heading ~ p").first.inner_text()
    assert "Recorded, with consent given spoken" in status and "Buddhist" not in page.locator("main").inner_text()
    assert_accessible(page)


def test_a_manager_reads_the_breakdowns_and_imports_signals(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    url, environ = live_server
    set_up(environ)
    page = patient(new_page)()
    sign_in_page(page, own_account(environ, "manager"), PASSWORD)
    page.goto(url + "/console/reports/equality?period=2025/26")
    assert page.locator("main table caption").count() == 13
    assert_accessible(page)
    page.goto(url + "/console/reports/equality?period=2025/27")
    assert page.locator("#period-error").count() == 1
    assert_accessible(page)

    page.goto(url + "/console/reports/signals/import")
    assert_accessible(page)
    bad = b"month,service_area,kind,count\n2025-04,Nowhere,damp_mould,3\n"
    page.locator("input[name=file]").set_input_files({"name": "signals.csv", "mimeType": "text/csv", "buffer": bad})
    page.locator("input[name=source]").fill("Legal team log")
    press_enter_on(page, page.locator("main form button[type=submit]"))
    assert "Row 2: there is no service area called “Nowhere”" in page.locator("main").inner_text()
    assert_accessible(page)
    good = b"month,service_area,kind,count\n2025-04,Equality browser area,damp_mould,3\n"
    page.locator("input[name=file]").set_input_files({"name": "signals.csv", "mimeType": "text/csv", "buffer": good})
    page.locator("input[name=source]").fill("Legal team log")
    press_enter_on(page, page.locator("main form button[type=submit]"))
    assert page.url.split("?")[0].endswith("/console/reports/signals")
    page.goto(url + "/console/reports/signals?period=2025-04")
    assert (
        "Equality browser area"
        in page.locator("#months-caption ~ tbody, table:has(#months-caption)").first.inner_text()
    )
    assert_accessible(page)
