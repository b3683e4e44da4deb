"""Published themes, quotes and residents' suggestions through real GraphQL text: anonymously, as residents and as
staff and managers."""

from __future__ import annotations

from typing import Any

from backend.cocreation.models import ThemeSuggestion
from backend.lessons.models import ThemeText
from backend.lessons.themes import enabled_locales
from backend.timeutil import utcnow
from tests import factories

PROBLEMS = "__typename ... on Problem { code message } ... on ValidationError { field problems { field code message } }"
PUBLIC_THEMES = (
    "query ($locale: String) { publicThemes(locale: $locale) { id name { text locale } description { text locale } "
    "quotes { text locale } lastResult { votes voters } openRound changes { reference title { text } } } }"
)
PUBLIC_THEME = "query ($id: ID!) { publicTheme(id: $id) { id name { text } quotes { text } } }"
QUOTES = "{ themeQuotes { nodes { id text locale themeId } } }"
SUGGEST = (
    "mutation ($input: ThemeSuggestInput!) { themeSuggest(input: $input) { "
    "... on ResidentThemeSuggestionMade { residentThemeSuggestion { id title status locale } } " + PROBLEMS + " } }"
)
SUGGESTIONS = "{ residentThemeSuggestions { nodes { id title status reason } } }"
DECLINE = (
    "mutation ($input: ThemeSuggestionDeclineInput!) { themeSuggestionDecline(input: $input) { "
    "... on ResidentThemeSuggestionDeclined { residentThemeSuggestion { id status reason } } " + PROBLEMS + " } }"
)
PUBLISH = (
    "mutation ($input: ThemePublishInput!) { themePublish(input: $input) { "
    "... on ThemePublished { theme { id } } " + PROBLEMS + " } }"
)
PROPOSE = (
    "mutation ($input: ThemeQuoteProposeInput!) { themeQuotePropose(input: $input) { "
    "... on ThemeQuoteProposed { themeQuote { id text status } } " + PROBLEMS + " } }"
)
APPROVE = (
    "mutation ($input: ThemeQuoteInput!) { themeQuoteApprove(input: $input) { "
    "... on ThemeQuoteApproved { themeQuote { id status } } " + PROBLEMS + " } }"
)


def run(browser: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    return body["data"]


def test_anonymous_reads_only_published_themes_without_internal_names(browser) -> None:
    shown = factories.make_published_theme("Internal repairs name", locales=("en", "cy"))
    factories.make_theme("Unpublished theme")
    themes = run(browser, PUBLIC_THEMES, {"locale": "cy"})["publicThemes"]
    assert [t["id"] for t in themes] == [str(shown.id)]
    assert themes[0]["name"] == {"text": "Internal repairs name (cy)", "locale": "cy"}
    assert 'Internal repairs name"' not in str(themes) and "Unpublished" not in str(themes)


def test_anonymous_cannot_ask_for_a_public_themes_internal_name(browser) -> None:
    factories.make_published_theme()
    body = browser.graphql("{ publicThemes { name { text } internalName: name } }").get_json()
    assert body.get("errors")


def test_anonymous_reads_approved_quotes_of_published_themes_only(browser) -> None:
    theme = factories.make_published_theme()
    factories.make_theme_quote(theme, text="Approved.", status="approved", approved_at=utcnow())
    factories.make_theme_quote(theme, text="Proposed.")
    hidden = factories.make_theme("Not public")
    factories.make_theme_quote(hidden, text="Of a hidden theme.", status="approved", approved_at=utcnow())
    nodes = run(browser, QUOTES)["themeQuotes"]["nodes"]
    assert [n["text"] for n in nodes] == ["Approved."]


def test_anonymous_cannot_ask_for_a_quotes_source_contact(browser) -> None:
    factories.make_theme_quote(status="approved", approved_at=utcnow(), contact=factories.make_contact().id)
    body = browser.graphql("{ themeQuotes { nodes { text contact { id } } } }").get_json()
    assert body.get("errors")


def test_public_theme_of_an_unpublished_theme_is_null(browser) -> None:
    theme = factories.make_theme()
    assert run(browser, PUBLIC_THEME, {"id": str(theme.id)})["publicTheme"] is None


def test_resident_suggests_and_sees_only_their_own(browser, signed_in) -> None:
    factories.make_theme_suggestion(title="Someone else's")
    signed_in("resident")
    made = run(browser, SUGGEST, {"input": {"title": "Bins", "description": "Full.", "locale": "cy"}})["themeSuggest"]
    assert (made["residentThemeSuggestion"]["status"], made["residentThemeSuggestion"]["locale"]) == ("pending", "cy")
    nodes = run(browser, SUGGESTIONS)["residentThemeSuggestions"]["nodes"]
    assert [n["title"] for n in nodes] == ["Bins"]


def test_suggest_with_bad_input_lists_every_problem(browser, signed_in) -> None:
    signed_in("resident")
    result = run(browser, SUGGEST, {"input": {"title": "", "description": "x" * 2001}})["themeSuggest"]
    assert result["__typename"] == "ValidationError"
    assert [(p["field"], p["code"]) for p in result["problems"]] == [
        ("title", "required"),
        ("description", "too_long"),
    ]


def test_anonymous_cannot_suggest(browser) -> None:
    body = browser.graphql(SUGGEST, {"input": {"title": "Bins"}}).get_json()
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert ThemeSuggestion.select().count() == 0


def test_staff_decline_a_suggestion_with_a_reason(browser, signed_in) -> None:
    suggestion = factories.make_theme_suggestion()
    signed_in("staff")
    result = run(browser, DECLINE, {"input": {"id": str(suggestion.id), "reason": "Already covered."}})
    declined = result["themeSuggestionDecline"]["residentThemeSuggestion"]
    assert declined["reason"] == "Already covered."
    assert len(run(browser, SUGGESTIONS)["residentThemeSuggestions"]["nodes"]) == 1


def test_manager_publishes_a_ready_theme_and_an_unready_one_is_refused(browser, signed_in) -> None:
    ready = factories.make_theme()
    for locale in enabled_locales():
        ThemeText.create(theme=ready.id, locale=locale, name=f"Name {locale}")
    unready = factories.make_theme()
    signed_in("manager")
    assert run(browser, PUBLISH, {"input": {"id": str(ready.id)}})["themePublish"]["theme"]["id"]
    refused = run(browser, PUBLISH, {"input": {"id": str(unready.id)}})["themePublish"]
    assert refused["code"] == "theme_not_ready"


def test_staff_have_no_publish_mutation(browser, signed_in) -> None:
    signed_in("staff")
    body = browser.graphql(PUBLISH, {"input": {"id": "1"}}).get_json()
    assert body.get("errors")


def test_quote_proposed_by_staff_is_approved_by_a_manager(browser, signed_in) -> None:
    theme = factories.make_published_theme()
    signed_in("staff")
    proposed = run(
        browser, PROPOSE, {"input": {"themeId": str(theme.id), "locale": "en", "text": "Call me on 07700 900123."}}
    )["themeQuotePropose"]["themeQuote"]
    assert "07700" not in proposed["text"]
    browser.sign_out()
    signed_in("manager")
    approved = run(browser, APPROVE, {"input": {"id": proposed["id"]}})["themeQuoteApprove"]["themeQuote"]
    assert approved["id"] == proposed["id"]
    browser.sign_out()
    assert [n["text"] for n in run(browser, QUOTES)["themeQuotes"]["nodes"]] == [proposed["text"]]
