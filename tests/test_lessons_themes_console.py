"""The console's theme pages: the dashboard with its formula and trend tables, the CSV, creating a theme with a name
per enabled language, the weights page, and confirming a suggested theme for a lesson."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from backend.complaints.models import Contact
from backend.lessons import themes
from backend.lessons.models import ContactTheme, LessonTheme, PriorityWeight, Theme, ThemeText
from tests import factories
from tests.factories import actor_of


def every_language(name: str) -> dict[str, str]:
    return {f"text_{locale}_name": f"{name} {locale}" for locale in themes.enabled_locales()}


def test_dashboard_shows_the_formula_score_and_trend_table(browser, signed_in) -> None:
    user = signed_in("staff")
    theme = themes.create_theme(actor_of(user), "Damp and mould")
    themes.link_contact(actor_of(user), factories.make_contact().id, theme.id)
    page = browser.client.get("/console/lessons/themes").get_data(as_text=True)
    assert "Priority score = residents affected × 1 + upheld complaints × 1" in page
    assert "Damp and mould: contacts linked per month" in page
    assert "1 contacts, 0 complaints, 0 upheld" in page
    assert f"/console/lessons/themes/{theme.id}" in page


def test_dashboard_csv_lists_every_theme_with_its_figures(browser, signed_in) -> None:
    user = signed_in("staff")
    themes.create_theme(actor_of(user), "=Formula")
    response = browser.client.get("/console/lessons/themes.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["Theme", "Status"]
    assert rows[1][:3] == ["'=Formula", "In use", "No"]


def test_new_theme_form_has_a_labelled_name_per_language(browser, signed_in) -> None:
    signed_in("staff")
    page = browser.client.get("/console/lessons/themes/new").get_data(as_text=True)
    assert 'lang="cy"' in page and "Name residents see in Cymraeg" in page
    assert page.count("Name residents see in") == len(themes.enabled_locales())


def test_new_theme_is_created_with_every_language_and_ready(browser, signed_in) -> None:
    signed_in("staff")
    response = browser.submit("/console/lessons/themes/new", {"name": "Repairs", **every_language("Repairs")})
    theme = Theme.get(Theme.name == "Repairs")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/console/lessons/themes/{theme.id}")
    assert ThemeText.select().where(ThemeText.theme == theme.id).count() == len(themes.enabled_locales())
    assert "Ready for residents" in browser.client.get(f"/console/lessons/themes/{theme.id}").get_data(as_text=True)


def test_new_theme_with_a_description_but_no_name_keeps_what_was_typed(browser, signed_in) -> None:
    signed_in("staff")
    response = browser.submit(
        "/console/lessons/themes/new", {"name": "Repairs", "text_cy_description": "Disgrifiad heb enw"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Give a name in this language too" in page and "Disgrifiad heb enw" in page
    assert not Theme.select().exists()


def test_weights_page_lets_managers_change_the_weights(browser, signed_in) -> None:
    signed_in("staff", "manager")
    data = {"residents_affected": "2", "upheld_complaints": "3", "impact": "0.5", "votes": "1"}
    response = browser.submit("/console/lessons/themes/weights", data)
    assert response.status_code == 302
    assert PriorityWeight.get(PriorityWeight.factor == "impact").weight == 0.5


def test_weights_page_shows_staff_the_weights_without_a_form(browser, signed_in) -> None:
    signed_in("staff")
    page = browser.client.get("/console/lessons/themes/weights").get_data(as_text=True)
    assert "Residents affected" in page and "Save the weights" not in page
    response = browser.submit("/console/lessons/themes/weights", {"impact": "5"})
    assert response.status_code == 403


def test_lesson_themes_page_confirms_a_suggested_theme(browser, signed_in) -> None:
    user = signed_in("staff")
    theme = themes.create_theme(actor_of(user), "Damp and mould")
    lesson = factories.make_lesson("Mould in the bathroom came back")
    url = f"/console/lessons/{lesson.id}/themes"
    assert "Link to Damp and mould" in browser.client.get(url).get_data(as_text=True)
    response = browser.submit(url, {"theme_id": str(theme.id), "action": "link"})
    assert response.status_code == 302
    assert LessonTheme.get(LessonTheme.lesson == lesson.id).theme_id == theme.id
    page = browser.client.get(url).get_data(as_text=True)
    assert "Unlink Damp and mould" in page and "Link to Damp and mould" not in page


def test_lesson_themes_page_for_a_lesson_not_there_is_404(browser, signed_in) -> None:
    signed_in("staff")
    assert browser.client.get("/console/lessons/999999/themes").status_code == 404


def test_merge_page_is_for_managers_only(browser, signed_in) -> None:
    user = signed_in("staff")
    theme = themes.create_theme(actor_of(user), "Leaks")
    assert browser.client.get(f"/console/lessons/themes/{theme.id}/merge").status_code == 403


def test_merge_page_moves_the_theme(browser, signed_in) -> None:
    user = signed_in("staff", "manager")
    source, target = themes.create_theme(actor_of(user), "Leaks"), themes.create_theme(actor_of(user), "Damp")
    response = browser.submit(f"/console/lessons/themes/{source.id}/merge", {"into": str(target.id)})
    assert response.status_code == 302
    assert Theme.get_by_id(source.id).merged_into_id == target.id


def test_residents_cannot_open_the_themes_dashboard(browser, signed_in) -> None:
    signed_in("resident")
    assert browser.client.get("/console/lessons/themes").status_code in (302, 403, 404)


def test_archive_page_archives_the_theme(browser, signed_in) -> None:
    user = signed_in("staff", "manager")
    theme = themes.create_theme(actor_of(user), "Leaks")
    response = browser.submit(f"/console/lessons/themes/{theme.id}/archive", {})
    assert response.status_code == 302
    assert Theme.get_by_id(theme.id).archived_at is not None


def test_contact_link_page_links_a_contact_by_its_reference(browser, signed_in) -> None:
    user = signed_in("staff")
    theme, contact = themes.create_theme(actor_of(user), "Leaks"), factories.make_contact()
    response = browser.submit(f"/console/lessons/themes/{theme.id}/contacts/new", {"reference": contact.reference})
    assert response.status_code == 302
    assert contact.reference in browser.client.get(f"/console/lessons/themes/{theme.id}").get_data(as_text=True)


def test_contact_link_page_answers_a_hidden_case_like_no_contact(browser, signed_in) -> None:
    user = signed_in("staff")
    complaint = factories.make_complaint_staff(person=user).complaint
    contact = Contact.get_by_id(complaint.contact_id)
    theme = themes.create_theme(actor_of(user), "Conduct")
    response = browser.submit(f"/console/lessons/themes/{theme.id}/contacts/new", {"reference": contact.reference})
    assert response.status_code == 400
    assert "There is no contact with this reference that you can see." in response.get_data(as_text=True)
    assert not ContactTheme.select().exists()


def test_new_theme_with_a_name_taken_says_a_theme_has_it(browser, signed_in) -> None:
    signed_in("staff")
    factories.make_theme("Damp and mould")
    response = browser.submit("/console/lessons/themes/new", {"name": "damp and mould"})
    assert response.status_code == 400
    assert "A theme with this name already exists" in response.get_data(as_text=True)


def scored_theme(user: Any) -> Any:
    """A theme with one resident affected, scored with a weight of many decimals (1 x 1.23456 + 0 x the rest)."""
    theme = themes.create_theme(actor_of(user), "Damp and mould")
    themes.link_contact(actor_of(user), factories.make_contact().id, theme.id)
    PriorityWeight.update(weight=0).execute()
    PriorityWeight.update(weight=1.23456).where(PriorityWeight.factor == "residents_affected").execute()
    return theme


def test_dashboard_shows_the_priority_score_to_one_decimal_place(browser, signed_in) -> None:
    scored_theme(signed_in("staff"))
    page = browser.client.get("/console/lessons/themes").get_data(as_text=True)
    assert "<td>1.2</td>" in page and "<td>1.235</td>" not in page


def test_dashboard_csv_gives_the_priority_score_to_one_decimal_place(browser, signed_in) -> None:
    scored_theme(signed_in("staff"))
    text = browser.client.get("/console/lessons/themes.csv").get_data(as_text=True)
    row = next(r for r in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if r[0] == "Damp and mould")
    assert "1.2" in row and "1.23456" not in row


@pytest.mark.parametrize(("value", "shown"), [(12.0, 12), (12.34, 12.3), (0.06, 0.1), (None, None)])
def test_shown_score_rounds_to_one_place_or_a_whole_number(value: Any, shown: Any) -> None:
    from portal.console.lessons.themes import shown_score

    assert shown_score(value) == shown and type(shown_score(value)) is type(shown)


def test_weights_page_says_decimals_are_allowed(browser, signed_in) -> None:
    signed_in("staff", "manager")
    response = browser.submit("/console/lessons/themes/weights", {"residents_affected": "1000.5"})
    assert response.status_code == 400
    assert "decimals allowed" in response.get_data(as_text=True)


def test_weights_errors_name_each_weight(browser, signed_in) -> None:
    signed_in("staff", "manager")
    data = {"residents_affected": "-1", "upheld_complaints": "1001", "impact": "", "votes": "1"}
    page = browser.submit("/console/lessons/themes/weights", data).get_data(as_text=True)
    for name in ("Residents affected", "Upheld complaints", "Impact ratings"):
        assert f"{name}: give a weight from 0 to 1,000" in page
    assert "Residents&#39; votes: give a weight" not in page and "Residents' votes: give a weight" not in page


def test_weights_page_refuses_every_weight_zero_and_says_why(browser, signed_in) -> None:
    signed_in("staff", "manager")
    response = browser.submit("/console/lessons/themes/weights", dict.fromkeys(themes.FACTORS, "0"))
    assert response.status_code == 400
    assert "Give at least one weight above 0" in response.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["abc", "1,5", " "])
def test_weights_say_one_thing_for_a_value_that_is_not_a_number(browser, signed_in, typed: str) -> None:
    signed_in("staff", "manager")
    data = {"residents_affected": "1", "upheld_complaints": "1", "impact": typed, "votes": "1"}
    response = browser.submit("/console/lessons/themes/weights", data)
    page = response.get_data(as_text=True).replace("&#39;", "'")
    assert response.status_code == 400
    assert "Not a valid decimal value" not in page
    # One message for the field, naming it, linked once from the summary.
    assert page.count('href="#impact"') == 1
    said = [words for words in ("give the weight as a number", "give a weight from 0 to 1,000") if words in page]
    assert len(said) == 1 and "Impact ratings: give" in page
