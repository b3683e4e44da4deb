"""Digests, the landlord's pages and public success stories through real GraphQL text: staff assemble and submit,
another manager publishes, admins write pages, and anyone (signed in or not) reads what is published."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.lessons.models import SuccessStory
from tests import factories

PROBLEMS = "__typename ... on Problem { code message } ... on ValidationError { problems { field code message } }"
ASSEMBLE = (
    "mutation ($input: DigestAssembleInput!) { digestAssemble(input: $input) { "
    "... on DigestAssembled { digest { id status year quarter } } " + PROBLEMS + " } }"
)
UPDATE = (
    "mutation ($input: DigestUpdateInput!) { digestUpdate(input: $input) { "
    "... on DigestUpdated { digest { id introduction content } } " + PROBLEMS + " } }"
)
SUBMIT = (
    "mutation ($id: ID!) { digestSubmit(input: {id: $id}) { ... on DigestSubmitted { digest { status } } "
    + PROBLEMS
    + " } }"
)
PUBLISH = (
    "mutation ($id: ID!) { digestPublish(input: {id: $id}) { ... on DigestPublished { digest { status publishedAt } } "
    + PROBLEMS
    + " } }"
)
DIGESTS = "{ digests { nodes { year quarter status introduction content publishedAt } } }"
PAGE_SET = (
    "mutation ($input: LandlordPageSetInput!) { landlordPageSet(input: $input) { "
    "... on LandlordPageSet { landlordPage { kind locale title } } " + PROBLEMS + " } }"
)
PAGE_SHOWN = "query ($kind: String!, $locale: String) { landlordPageShown(kind: $kind, locale: $locale) { locale title builtIn } }"
STORIES = "{ publicStories { id title beforeFigure afterFigure media { url altText } } }"


def run(browser: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    return body["data"]


def _assemble(browser: Any) -> str:
    quarter = (dt.date.today().month - 1) // 3 + 1
    made = run(browser, ASSEMBLE, {"input": {"year": dt.date.today().year, "quarter": quarter}})["digestAssemble"]
    assert made["digest"]["status"] == "draft", made
    return made["digest"]["id"]


def test_staff_assemble_and_submit_then_another_manager_publishes(browser, signed_in) -> None:
    signed_in("staff")
    digest_id = _assemble(browser)
    updated = run(browser, UPDATE, {"input": {"id": digest_id, "introductions": [{"locale": "cy", "text": "Helo"}]}})
    assert updated["digestUpdate"]["digest"]["introduction"]["cy"] == "Helo"
    assert run(browser, SUBMIT, {"id": digest_id})["digestSubmit"]["digest"]["status"] == "submitted"
    browser.sign_out()
    signed_in("manager")
    published = run(browser, PUBLISH, {"id": digest_id})["digestPublish"]
    assert published["digest"]["status"] == "published" and published["digest"]["publishedAt"]


def test_digest_update_with_bad_input_lists_each_problem(browser, signed_in) -> None:
    signed_in("staff")
    digest_id = _assemble(browser)
    result = run(
        browser,
        UPDATE,
        {"input": {"id": digest_id, "introductions": [{"locale": "en", "text": "x" * 5001}], "storyIds": ["999999"]}},
    )["digestUpdate"]
    assert result["__typename"] == "ValidationError"
    assert {(p["field"], p["code"]) for p in result["problems"]} == {
        ("introductions[0].text", "too_long"),
        ("storyIds[0]", "not_found"),
    }


def test_anonymous_reader_sees_published_digests_only(browser) -> None:
    factories.make_digest(2026, 1, status="published", published_at=dt.datetime(2026, 4, 2, 9), content={"a": 1})
    factories.make_digest(2026, 2, introduction={"en": "A draft"})
    nodes = run(browser, DIGESTS)["digests"]["nodes"]
    assert [(node["year"], node["quarter"], node["status"]) for node in nodes] == [(2026, 1, "published")]


def test_staff_see_drafts_too(browser, signed_in) -> None:
    factories.make_digest(2026, 2, introduction={"en": "A draft"})
    signed_in("staff")
    assert [node["status"] for node in run(browser, DIGESTS)["digests"]["nodes"]] == ["draft"]


def test_anonymous_reader_cannot_assemble_or_see_who_drafted(browser) -> None:
    body = browser.graphql(ASSEMBLE, {"input": {"year": 2026, "quarter": 1}}).get_json()
    assert "errors" in body
    body = browser.graphql("{ digests { nodes { draftedBy { displayName } } } }").get_json()
    assert "errors" in body


def test_admin_sets_a_page_and_anyone_reads_it(browser, signed_in) -> None:
    signed_in("admin")
    written = run(
        browser, PAGE_SET, {"input": {"kind": "accessibility", "locale": "cy", "title": "Hygyrchedd", "body": "Testun"}}
    )["landlordPageSet"]
    assert written["landlordPage"] == {"kind": "accessibility", "locale": "cy", "title": "Hygyrchedd"}
    browser.sign_out()
    shown = run(browser, PAGE_SHOWN, {"kind": "accessibility", "locale": "cy"})["landlordPageShown"]
    assert shown == {"locale": "cy", "title": "Hygyrchedd", "builtIn": False}


def test_page_set_with_bad_input_lists_each_problem(browser, signed_in) -> None:
    signed_in("admin")
    result = run(browser, PAGE_SET, {"input": {"kind": "about", "locale": "xx", "title": "", "body": ""}})[
        "landlordPageSet"
    ]
    assert {(p["field"], p["code"]) for p in result["problems"]} == {
        ("kind", "invalid"),
        ("locale", "unsupported"),
        ("title", "required"),
        ("body", "required"),
    }


def test_page_set_is_not_in_a_managers_schema(browser, signed_in) -> None:
    signed_in("manager")
    body = browser.graphql(PAGE_SET, {"input": {"kind": "contact", "locale": "en", "title": "T", "body": "B"}})
    assert "errors" in body.get_json()


def test_page_shown_without_a_written_page_is_the_built_in_default(browser) -> None:
    shown = run(browser, PAGE_SHOWN, {"kind": "privacy"})["landlordPageShown"]
    assert shown["builtIn"] is True and shown["locale"] == "en"
    assert run(browser, PAGE_SHOWN, {"kind": "nothing"})["landlordPageShown"] is None


def test_public_stories_are_the_approved_ones_with_media(browser) -> None:
    approved = factories.make_story_media().story
    SuccessStory.update(status="approved", approved_at=dt.datetime(2026, 3, 1)).where(
        SuccessStory.id == approved.id
    ).execute()
    factories.make_success_story()  # a draft
    (story,) = run(browser, STORIES)["publicStories"]
    assert story["id"] == str(approved.id) and story["media"] == [
        {"url": "https://video.example.net/reminders", "altText": "A resident reads a reminder text."}
    ]
    assert run(browser, "query ($id: ID!) { publicStory(id: $id) { title } }", {"id": "x"})["publicStory"] is None
