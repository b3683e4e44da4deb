"""Themes through real GraphQL text: create with texts, suggest and confirm a link, figures and weights, and
who may see and change them."""

from __future__ import annotations

from typing import Any

import pytest

from backend.lessons import themes
from backend.lessons.models import ContactTheme, LessonTheme, PriorityWeight
from tests import factories
from tests.factories import actor_of

PROBLEMS = "__typename ... on Problem { code message } ... on ValidationError { field problems { field code message } }"
CREATE = (
    "mutation ($input: ThemeCreateInput!) { themeCreate(input: $input) { "
    "... on ThemeCreated { theme { id name readyForResidents texts { locale name } } } " + PROBLEMS + " } }"
)
LINK = (
    "mutation ($input: LessonThemeInput!) { lessonThemeLink(input: $input) { "
    "... on LessonThemeLinked { lessonTheme { id lesson { id } theme { name } linkedBy { id } } } " + PROBLEMS + " } }"
)
CONTACT_LINK = "mutation ($input: ContactThemeInput!) { contactThemeLink(input: $input) { " + PROBLEMS + " } }"
SUGGEST = "query ($id: ID!) { themeSuggestions(lessonId: $id) { themeId name score } }"
THEMES = (
    "{ themes { nodes { name residentsAffected complaintCount upheldComplaintCount impact votes priorityScore "
    "lessonsCount trend { month contacts complaints upheldComplaints } } } }"
)
WEIGHTS = (
    "mutation ($input: PriorityWeightsSetInput!) { priorityWeightsSet(input: $input) { "
    "... on PriorityWeightsSet { impact votes } " + PROBLEMS + " } }"
)


def run(browser: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    return body["data"]


def texts_for_every_language() -> list[dict[str, str]]:
    return [{"locale": locale, "name": f"Repairs {locale}", "description": ""} for locale in themes.enabled_locales()]


def test_staff_create_a_theme_ready_for_residents(browser, signed_in) -> None:
    signed_in("staff")
    data = run(browser, CREATE, {"input": {"name": "Repairs", "texts": texts_for_every_language()}})
    theme = data["themeCreate"]["theme"]
    assert (theme["name"], theme["readyForResidents"]) == ("Repairs", True)
    assert len(theme["texts"]) == len(themes.enabled_locales())


def test_theme_create_with_bad_texts_names_each_problem(browser, signed_in) -> None:
    signed_in("staff")
    texts = [{"locale": "xx", "name": "A"}, {"locale": "en", "name": "x" * 101}]
    result = run(browser, CREATE, {"input": {"name": "", "texts": texts}})["themeCreate"]
    fields = {p["field"] for p in result["problems"]}
    assert result["__typename"] == "ValidationError"
    assert fields == {"name", "texts[0].locale", "texts[1].name"}


def test_staff_confirm_a_suggested_theme_for_a_lesson(browser, signed_in) -> None:
    user = signed_in("staff")
    damp = themes.create_theme(actor_of(user), "Damp and mould", [themes.TextInput("en", "Damp", "Mould and damp")])
    themes.create_theme(actor_of(user), "Parking")
    lesson = factories.make_lesson("Mould returned in the bathroom", early_lesson="Damp survey was not done")
    suggestions = run(browser, SUGGEST, {"id": str(lesson.id)})["themeSuggestions"]
    assert [s["name"] for s in suggestions] == ["Damp and mould"]
    linked = run(browser, LINK, {"input": {"lessonId": str(lesson.id), "themeId": suggestions[0]["themeId"]}})
    assert linked["lessonThemeLink"]["lessonTheme"]["theme"]["name"] == "Damp and mould"
    assert LessonTheme.get(LessonTheme.lesson == lesson.id).theme_id == damp.id


def test_lesson_theme_link_to_a_theme_not_there_is_refused(browser, signed_in) -> None:
    signed_in("staff")
    lesson = factories.make_lesson()
    result = run(browser, LINK, {"input": {"lessonId": str(lesson.id), "themeId": "nope"}})["lessonThemeLink"]
    assert (result["__typename"], result["field"]) == ("ValidationError", "themeId")


def test_contact_theme_link_for_a_hidden_case_answers_like_not_there(browser, signed_in) -> None:
    user = signed_in("staff")
    complaint = factories.make_complaint_staff(person=user).complaint
    theme = themes.create_theme(actor_of(factories.make_staff()), "Conduct")
    hidden = run(browser, CONTACT_LINK, {"input": {"contactId": str(complaint.contact_id), "themeId": str(theme.id)}})
    missing = run(browser, CONTACT_LINK, {"input": {"contactId": "999999", "themeId": str(theme.id)}})
    assert hidden["contactThemeLink"] == missing["contactThemeLink"]
    assert hidden["contactThemeLink"]["__typename"] == "NotFoundError"
    assert not ContactTheme.select().exists()


def test_themes_show_figures_trend_and_score(browser, signed_in) -> None:
    user = signed_in("staff")
    theme = themes.create_theme(actor_of(user), "Repairs")
    themes.link_contact(actor_of(user), factories.responded_complaint().contact_id, theme.id)
    themes.link_lesson(actor_of(user), factories.make_lesson(business_impact=2, resident_impact=3).id, theme.id)
    node = run(browser, THEMES)["themes"]["nodes"][0]
    figures = (node["residentsAffected"], node["complaintCount"], node["upheldComplaintCount"], node["impact"])
    assert figures == (1, 1, 1, 5)
    assert (node["votes"], node["priorityScore"], node["lessonsCount"]) == (0, 7.0, 1)
    assert len(node["trend"]) == 12
    assert node["trend"][-1] == {**node["trend"][-1], "contacts": 1, "complaints": 1, "upheldComplaints": 1}


def test_managers_set_the_priority_weights(browser, signed_in) -> None:
    signed_in("staff", "manager")
    data = run(browser, WEIGHTS, {"input": {"impact": 3, "votes": 0.5}})["priorityWeightsSet"]
    assert (data["impact"], data["votes"]) == (3.0, 0.5)
    assert PriorityWeight.get(PriorityWeight.factor == "impact").weight == 3.0


def test_staff_who_are_not_managers_have_no_weights_archive_or_merge(browser, signed_in) -> None:
    signed_in("staff")
    for name, given in (("priorityWeightsSet", "impact: 3"), ("themeArchive", 'id: "1"'), ("themeMerge", 'id: "1"')):
        body = browser.graphql(f"mutation {{ {name}(input: {{{given}}}) {{ __typename }} }}").get_json()
        assert body.get("data") is None
        assert f"Cannot query field '{name}'" in body["errors"][0]["message"]
    assert not PriorityWeight.select().where(PriorityWeight.factor == "impact", PriorityWeight.weight == 3.0).exists()


@pytest.mark.parametrize("roles", [("resident",), ("panel_member",)])
def test_non_staff_see_no_themes_and_no_suggestions(browser, signed_in, roles: tuple) -> None:
    themes.create_theme(actor_of(factories.make_staff()), "Damp and mould")
    lesson = factories.make_lesson("Mould")
    signed_in(*roles)
    body = browser.graphql("{ themes { nodes { name } } }").get_json()
    assert "errors" in body and not (body.get("data") or {}).get("themes")
    body = browser.graphql(SUGGEST, {"id": str(lesson.id)}).get_json()
    assert body.get("data") is None and "Cannot query field 'themeSuggestions'" in body["errors"][0]["message"]


def test_resident_token_sees_no_themes(client) -> None:
    themes.create_theme(actor_of(factories.make_staff()), "Damp and mould")
    _, plain = factories.make_token(factories.make_user("resident"))
    body = client.post(
        "/graphql", json={"query": "{ themes { nodes { name } } }"}, headers={"Authorization": f"Bearer {plain}"}
    ).get_json()
    assert "errors" in body and not (body.get("data") or {}).get("themes")


UPDATE = (
    "mutation ($input: ThemeUpdateInput!) { themeUpdate(input: $input) { "
    "... on ThemeUpdated { theme { name readyForResidents texts { locale name description } } } " + PROBLEMS + " } }"
)


def _theme_ready(browser: Any) -> str:
    return run(browser, CREATE, {"input": {"name": "Lifts", "texts": texts_for_every_language()}})["themeCreate"][
        "theme"
    ]["id"]


def test_renaming_a_theme_keeps_its_resident_facing_texts(browser, signed_in) -> None:
    signed_in("staff")
    theme_id = _theme_ready(browser)
    theme = run(browser, UPDATE, {"input": {"id": theme_id, "name": "Lifts and stairs"}})["themeUpdate"]["theme"]
    assert (theme["name"], theme["readyForResidents"]) == ("Lifts and stairs", True)
    assert {t["locale"]: t["name"] for t in theme["texts"]} == {
        locale: f"Repairs {locale}" for locale in themes.enabled_locales()
    }


def test_theme_update_changes_only_the_languages_given_and_blank_removes_one(browser, signed_in) -> None:
    signed_in("staff")
    theme_id = _theme_ready(browser)
    texts = [{"locale": "en", "name": "Lifts", "description": "Lifts that break down."}, {"locale": "cy"}]
    theme = run(browser, UPDATE, {"input": {"id": theme_id, "texts": texts}})["themeUpdate"]["theme"]
    by_locale = {t["locale"]: (t["name"], t["description"]) for t in theme["texts"]}
    assert theme["name"] == "Lifts" and "cy" not in by_locale and not theme["readyForResidents"]
    assert by_locale["en"] == ("Lifts", "Lifts that break down.")
    assert len(by_locale) == len(themes.enabled_locales()) - 1


def test_theme_update_with_a_null_name_is_refused(browser, signed_in) -> None:
    signed_in("staff")
    theme_id = _theme_ready(browser)
    result = run(browser, UPDATE, {"input": {"id": theme_id, "name": None}})["themeUpdate"]
    assert result["__typename"] == "ValidationError"
    assert [(p["field"], p["code"]) for p in result["problems"]] == [("name", "required")]


def test_priority_weights_set_with_nothing_given_is_refused(browser, signed_in) -> None:
    signed_in("staff", "manager")
    result = run(browser, WEIGHTS, {"input": {}})["priorityWeightsSet"]
    assert result["__typename"] == "ValidationError"
    assert [(p["field"], p["code"], p["message"]) for p in result["problems"]] == [
        ("weights", "none_given", "Give at least one weight to change.")
    ]
