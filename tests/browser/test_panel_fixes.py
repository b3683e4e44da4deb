"""A panel member's annotation holding one very long word wraps on a 320px screen rather than widening the page."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import ACCOUNTS, sign_in_page
from tests.browser.test_pages import assert_accessible
from tests.browser.test_update_intervals_browser import patient

pytestmark = pytest.mark.browser

NewPage = Callable[..., Any]
SEED = (
    "import datetime as dt, random\n"
    "from backend.config import load_settings, set_current\n"
    "settings = load_settings(); set_current(settings)\n"
    "from backend.db import init_database\n"
    "init_database(settings.database_url, settings.instance_path)\n"
    "from backend.accounts.models import User\n"
    "from tests import factories\n"
    "panel = factories.make_panel()\n"
    "person = User.get(User.email == 'panel@example.org')\n"
    "factories.make_panel_membership(panel, person)\n"
    "review = factories.make_scrutiny_review(panel, reference=f'SR-1998-{random.randrange(1000, 9999)}')\n"
    "from backend.lessons.models import Lesson\n"
    "n = random.randrange(1000, 9999)\n"
    "lesson = Lesson.create(reference=f'LS-1998-{n}', title='Repairs missed', identified_on=dt.date.today())\n"
    "item = factories.make_pack_item(review, kind='lesson', lesson=lesson.id, url='', title='Lesson: late repairs')\n"
    "factories.make_lesson_annotation(item, lesson=lesson.id, author=person.id, comment='a' * 5000)\n"
    "print(review.id, item.id)\n"
)


def test_a_very_long_word_in_an_annotation_wraps_at_320px(
    new_page: NewPage, live_server: tuple[str, dict[str, str]]
) -> None:
    url, environ = live_server
    done = subprocess.run([sys.executable, "-c", SEED], env=environ, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    review_id, item_id = done.stdout.strip().splitlines()[-1].split()
    page = patient(new_page)()
    sign_in_page(page, ACCOUNTS["panel_member"])
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{url}/panel/reviews/{review_id}/items/{item_id}/annotations")
    assert "aaaaaaaaaa" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
