"""Comments on changes through real GraphQL text: anonymously, as the commenter, as another resident and as staff."""

from __future__ import annotations

from typing import Any

import pytest

from backend.cocreation.models import ChangeComment
from tests import factories

PROBLEMS = "__typename ... on Problem { code message } ... on ValidationError { field problems { field code message } }"
LIST = """query ($reference: String!) {
  changeComments(where: {changeReference: {eq: $reference}, parentId: {isNull: true}}, first: 50) {
    nodes { id bodyPublic official status mine replies(first: 20) { bodyPublic official } }
  }
}"""
POST = (
    "mutation ($input: ChangeCommentPostInput!) { changeCommentPost(input: $input) { "
    "... on ChangeCommentPosted { changeComment { id status bodyPublic } } " + PROBLEMS + " } }"
)
REPLY = (
    "mutation ($input: ChangeCommentReplyInput!) { changeCommentReply(input: $input) { "
    "... on ChangeCommentReplied { changeComment { id official status } } " + PROBLEMS + " } }"
)
REPORT = (
    "mutation ($input: ChangeCommentReportInput!) { changeCommentReport(input: $input) { "
    "... on ChangeCommentReported { counted whyNot hidden } " + PROBLEMS + " } }"
)
DELETE = (
    "mutation ($input: ChangeCommentDeleteInput!) { changeCommentDelete(input: $input) { "
    "... on ChangeCommentDeleted { commentId } " + PROBLEMS + " } }"
)
MODERATE = (
    "mutation ($input: ChangeCommentModerateInput!) { changeCommentModerate(input: $input) { "
    "... on ChangeCommentModerated { changeComment { id status } } " + PROBLEMS + " } }"
)
MAKE_CONTACT = (
    "mutation ($input: ChangeCommentMakeContactInput!) { changeCommentMakeContact(input: $input) { "
    "... on ChangeCommentContactMade { changeComment { id contact { reference } complaintOfferedAt } } "
    + PROBLEMS
    + " } }"
)


def run(browser: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    return body["data"]


@pytest.fixture
def story() -> dict[str, Any]:
    change = factories.make_change()
    author = factories.make_user("resident", email="sam.author@example.net", home=factories.make_home())
    published = factories.make_change_comment(change, author, body="It helped.")
    held = factories.make_change_comment(
        change, author, body="Call 07700 900123", body_public="Call [phone number]", status="held"
    )
    hidden = factories.make_change_comment(change, author, body="Rude words", status="hidden")
    draft = factories.make_change(published_at=None)
    unpublished_change = factories.make_change_comment(draft, author, body="On a draft")
    return {
        "change": change,
        "author": author,
        "published": published,
        "held": held,
        "hidden": hidden,
        "draft": unpublished_change,
    }


def test_anonymous_reader_sees_only_published_comments_of_published_changes(browser, story) -> None:
    nodes = run(browser, LIST, {"reference": story["change"].reference})["changeComments"]["nodes"]
    assert [node["id"] for node in nodes] == [str(story["published"].id)]
    assert nodes[0]["mine"] is False
    draft = run(browser, LIST, {"reference": story["draft"].change.reference})["changeComments"]["nodes"]
    assert draft == []


@pytest.mark.parametrize("field", ["body", "author { email }", "heldReason", "reports"])
def test_anonymous_reader_cannot_ask_for_the_words_as_written_or_the_author(browser, story, field) -> None:
    body = browser.graphql(f"{{ changeComments {{ nodes {{ {field} }} }} }}").get_json()
    assert body.get("data") is None and "Cannot query field" in body["errors"][0]["message"]


def test_anonymous_reader_never_gets_the_held_words_or_the_authors_email(browser, story) -> None:
    text = browser.graphql("{ changeComments(first: 100) { nodes { id bodyPublic } } }").get_data(as_text=True)
    assert "07700" not in text and "[phone number]" not in text and "sam.author@example.net" not in text
    assert "Rude words" not in text


def test_resident_sees_their_own_held_comment_and_not_anothers(browser, signed_in, story) -> None:
    browser.sign_in(story["author"].email)
    nodes = run(browser, LIST, {"reference": story["change"].reference})["changeComments"]["nodes"]
    assert {node["status"] for node in nodes} == {"published", "held", "hidden"}
    assert all(node["mine"] for node in nodes)
    browser.sign_out()
    signed_in("resident")
    nodes = run(browser, LIST, {"reference": story["change"].reference})["changeComments"]["nodes"]
    assert [(node["status"], node["mine"]) for node in nodes] == [("published", False)]


def test_staff_see_every_comment_with_its_words_as_written(browser, signed_in, story) -> None:
    signed_in("staff")
    query = "{ changeComments(first: 100) { nodes { body heldReason author { email } } } }"
    nodes = run(browser, query)["changeComments"]["nodes"]
    assert {node["body"] for node in nodes} >= {"Call 07700 900123", "Rude words", "On a draft"}


def test_resident_posts_in_welsh_and_a_held_comment_is_only_theirs(browser, signed_in) -> None:
    change = factories.make_change()
    signed_in("resident")
    posted = run(browser, POST, {"input": {"reference": change.reference, "body": "Diolch, mae'n well."}})
    assert posted["changeCommentPost"]["changeComment"]["status"] == "published"
    row = ChangeComment.get_by_id(int(posted["changeCommentPost"]["changeComment"]["id"]))
    assert row.locale == "en"
    welsh = run(browser, POST, {"input": {"reference": change.reference, "body": "Eto", "locale": "cy"}})
    assert ChangeComment.get_by_id(int(welsh["changeCommentPost"]["changeComment"]["id"])).locale == "cy"


@pytest.mark.parametrize(("body", "code"), [("", "required"), ("x" * 2_001, "too_long")])
def test_post_with_a_bad_body_is_a_validation_error_at_body(browser, signed_in, body, code) -> None:
    change = factories.make_change()
    signed_in("resident")
    result = run(browser, POST, {"input": {"reference": change.reference, "body": body}})["changeCommentPost"]
    assert result["__typename"] == "ValidationError"
    assert [(p["field"], p["code"]) for p in result["problems"]] == [("body", code)]


def test_post_on_a_change_that_is_not_there_is_not_found(browser, signed_in) -> None:
    signed_in("resident")
    result = run(browser, POST, {"input": {"reference": "CH-1999-99", "body": "Hello"}})["changeCommentPost"]
    assert result["__typename"] == "NotFoundError"


def test_anonymous_schema_has_no_comment_mutations(browser) -> None:
    body = browser.graphql(POST, {"input": {"reference": "CH-1", "body": "x"}}).get_json()
    assert body.get("data") is None


def test_report_own_comment_says_it_did_not_count(browser, story) -> None:
    browser.sign_in(story["author"].email)
    result = run(browser, REPORT, {"input": {"commentId": str(story["published"].id)}})["changeCommentReport"]
    assert (result["counted"], result["whyNot"]) == (False, "own")


def test_delete_someone_elses_comment_is_not_found_like_one_not_there(browser, signed_in, story) -> None:
    signed_in("resident")
    theirs = run(browser, DELETE, {"input": {"commentId": str(story["published"].id)}})["changeCommentDelete"]
    missing = run(browser, DELETE, {"input": {"commentId": "999999"}})["changeCommentDelete"]
    assert theirs == missing and theirs["__typename"] == "NotFoundError"


def test_staff_reply_moderate_and_make_contact(browser, signed_in, story) -> None:
    signed_in("staff")
    reply = run(browser, REPLY, {"input": {"commentId": str(story["published"].id), "body": "Thank you."}})
    assert reply["changeCommentReply"]["changeComment"]["official"] is True
    moderated = run(
        browser,
        MODERATE,
        {"input": {"commentId": str(story["held"].id), "action": "publish", "reason": "Redacted properly."}},
    )["changeCommentModerate"]
    assert moderated["changeComment"]["status"] == "published"
    made = run(browser, MAKE_CONTACT, {"input": {"commentId": str(story["published"].id), "reason": "Unhappy"}})
    assert "changeComment" in made["changeCommentMakeContact"], made
    comment = made["changeCommentMakeContact"]["changeComment"]
    assert comment["contact"]["reference"].startswith("LL-") and comment["complaintOfferedAt"]


def test_moderate_without_a_reason_is_a_validation_error_at_reason(browser, signed_in, story) -> None:
    signed_in("staff")
    result = run(browser, MODERATE, {"input": {"commentId": str(story["held"].id), "action": "remove", "reason": " "}})[
        "changeCommentModerate"
    ]
    assert [(p["field"], p["code"]) for p in result["problems"]] == [("reason", "required")]


def test_residents_schema_has_no_moderation(browser, signed_in, story) -> None:
    signed_in("resident")
    body = browser.graphql(
        MODERATE, {"input": {"commentId": str(story["held"].id), "action": "publish", "reason": "x"}}
    ).get_json()
    assert body.get("data") is None


def test_make_contact_for_a_resident_without_a_home_asks_for_the_nation(browser, signed_in) -> None:
    row = factories.make_change_comment(factories.make_change(), factories.make_user("resident"))
    signed_in("staff")
    variables = {"input": {"commentId": str(row.id), "reason": "Unhappy"}}
    refused = run(browser, MAKE_CONTACT, variables)["changeCommentMakeContact"]
    assert [p["field"] for p in refused["problems"]] == ["nation"]
    variables["input"]["nation"] = "scotland"
    made = run(browser, MAKE_CONTACT, variables)["changeCommentMakeContact"]
    assert made["changeComment"]["contact"]["reference"].startswith("LL-")
