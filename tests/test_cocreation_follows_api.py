"""Following changes through the API: changeFollow and changeUnfollow, changeFollowing, changesFollowed, and the
ChangeFollow rows, which only their owner sees."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories

FOLLOW = """mutation($input: ChangeFollowInput!) { changeFollow(input: $input) {
  __typename ... on ChangeFollowed { changeFollow { following source changeReference } }
  ... on NotFoundError { message } ... on NotAllowedError { code } } }"""
UNFOLLOW = """mutation($input: ChangeFollowInput!) { changeUnfollow(input: $input) {
  __typename ... on ChangeUnfollowed { changeFollow { following source } } } }"""
FOLLOWING = """query($reference: String!) { changeFollowing(reference: $reference) {
  reference title titleLocale status percent following reasons } }"""
FOLLOWED = "{ changesFollowed { reference following reasons } }"
ROWS = "{ changeFollows { nodes { changeReference following userId } } }"


def run(browser: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    return body["data"]


def test_resident_follows_then_stops_following_a_change(browser: Any, signed_in: Any) -> None:
    signed_in("resident")
    change = factories.make_change()
    followed = run(browser, FOLLOW, {"input": {"changeId": str(change.id)}})["changeFollow"]
    assert followed == {
        "__typename": "ChangeFollowed",
        "changeFollow": {"following": True, "source": "pressed", "changeReference": change.reference},
    }
    state = run(browser, FOLLOWING, {"reference": change.reference})["changeFollowing"]
    assert (state["following"], state["reasons"], state["status"]) == (True, ["pressed"], "in_progress")
    stopped = run(browser, UNFOLLOW, {"input": {"changeId": str(change.id)}})["changeUnfollow"]
    assert stopped["changeFollow"]["following"] is False
    assert run(browser, FOLLOWING, {"reference": change.reference})["changeFollowing"]["following"] is False


@pytest.mark.parametrize("change_id", ["unpublished", "999999999", "not-a-number"])
def test_follow_an_unknown_or_unpublished_change_is_not_found(browser: Any, signed_in: Any, change_id: str) -> None:
    signed_in("resident")
    if change_id == "unpublished":
        change_id = str(factories.make_change(published_at=None).id)
    result = run(browser, FOLLOW, {"input": {"changeId": change_id}})["changeFollow"]
    assert result["__typename"] == "NotFoundError"


def test_visitor_cannot_follow_but_can_ask(browser: Any) -> None:
    change = factories.make_change()
    body = browser.graphql(FOLLOW, {"input": {"changeId": str(change.id)}}).get_json()
    assert body["data"] is None and body["errors"]  # a visitor's schema has no mutations to follow
    state = run(browser, FOLLOWING, {"reference": change.reference})["changeFollowing"]
    assert (state["following"], state["reasons"]) == (False, [])
    assert run(browser, FOLLOWED)["changesFollowed"] == []


def test_change_following_says_a_voter_follows_and_why(browser: Any, signed_in: Any) -> None:
    voter = signed_in("resident", home=factories.make_home())
    change = factories.make_change(title={"en": "Reminder texts", "cy": "Negeseuon atgoffa"})
    theme = factories.make_published_theme()
    factories.make_change_theme(change, theme)
    factories.make_vote(factories.make_priority_round(themes=[theme]), theme, voter)
    state = run(browser, FOLLOWING, {"reference": change.reference})["changeFollowing"]
    assert (state["following"], state["reasons"], state["title"]) == (True, ["voter"], "Reminder texts")
    assert run(browser, FOLLOWED)["changesFollowed"] == [
        {"reference": change.reference, "following": True, "reasons": ["voter"]}
    ]


def test_change_following_of_an_unpublished_change_is_null(browser: Any) -> None:
    change = factories.make_change(published_at=None)
    assert run(browser, FOLLOWING, {"reference": change.reference})["changeFollowing"] is None


def test_a_person_sees_only_their_own_follow_rows(browser: Any, signed_in: Any) -> None:
    change = factories.make_change()
    factories.make_change_follow(change, factories.make_user())
    me = signed_in("resident")
    factories.make_change_follow(change, me, following=False)
    rows = run(browser, ROWS)["changeFollows"]["nodes"]
    assert rows == [{"changeReference": change.reference, "following": False, "userId": str(me.id)}]


def test_staff_see_every_follow_row(browser: Any, signed_in: Any) -> None:
    row = factories.make_change_follow(factories.make_change(), factories.make_user())
    signed_in("staff")
    nodes = run(browser, ROWS)["changeFollows"]["nodes"]
    assert {"changeReference": row.change.reference, "following": True, "userId": str(row.user_id)} in nodes


# --- The pages -----------------------------------------------------------------------------------------------------


def test_stop_page_asks_then_stops_with_its_csrf_token(browser: Any) -> None:
    from backend.cocreation import followers

    change, person = factories.make_change(), factories.make_user()
    factories.make_change_follow(change, person)
    url = f"/changes/stop/{followers.stop_token(person.id, change.id)}"
    page = browser.client.get(url)
    assert page.status_code == 200 and "Do you want to stop messages about this change?" in page.get_data(as_text=True)
    assert followers.follower_ids(change.id) == [person.id]  # opening the link stops nothing
    assert browser.client.post(url).status_code == 400  # no CSRF token: refused
    assert followers.follower_ids(change.id) == [person.id]
    done = browser.submit(url, {})
    assert "Done. We will not send you messages about this change" in done.get_data(as_text=True)
    assert followers.follower_ids(change.id) == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_stop_page_with_a_tampered_link_changes_nothing_and_says_so(browser: Any, method: str) -> None:
    from backend.cocreation import followers

    change, person = factories.make_change(), factories.make_user()
    factories.make_change_follow(change, person)
    token = followers.stop_token(person.id, change.id)
    tampered = f"/changes/stop/{token[:-3]}xyz"
    if method == "get":
        response = browser.client.get(tampered)
    else:
        response = browser.submit(tampered, {}, page=f"/changes/stop/{token}")
    assert response.status_code == 400
    assert "This link is not valid" in response.get_data(as_text=True)
    assert followers.follower_ids(change.id) == [person.id]


def test_follow_and_stop_buttons_go_back_to_the_change_with_a_message(browser: Any, signed_in: Any) -> None:
    from backend.cocreation import followers

    me = signed_in("resident")
    change = factories.make_change()
    followed = browser.submit(f"/changes/{change.reference}/follow", {}, page="/changes/following")
    assert followed.status_code == 302 and followed.headers["Location"].endswith(f"/changes/{change.reference}")
    assert followers.follower_ids(change.id) == [me.id]
    listing = browser.client.get("/changes/following").get_data(as_text=True)
    assert change.reference in listing and "you chose to follow it" in listing
    browser.submit(f"/changes/{change.reference}/unfollow", {}, page="/changes/following")
    assert followers.follower_ids(change.id) == []


def test_follow_button_for_an_unknown_change_is_not_found(browser: Any, signed_in: Any) -> None:
    signed_in("resident")
    response = browser.submit("/changes/CH-1999-99/follow", {}, page="/changes/following")
    assert response.status_code == 404


def test_follow_button_asks_a_visitor_to_sign_in(browser: Any) -> None:
    change = factories.make_change()
    response = browser.submit(f"/changes/{change.reference}/follow", {}, page="/sign-in")
    assert response.status_code == 302 and "sign-in" in response.headers["Location"]


def test_follow_part_of_the_change_page_for_a_visitor_and_a_follower(app: Any, signed_in: Any, browser: Any) -> None:
    from flask import render_template_string

    from portal.cocreation.follows import change_page_part

    change = factories.make_change()
    page = '{% include "cocreation/changes/_follow.html" %}'
    with app.test_request_context(f"/changes/{change.reference}"):
        part = change_page_part({"reference": change.reference})
        assert (part["signed_in"], part["following"]) == (False, False)
        assert "Sign in to follow this change" in render_template_string(page, follow=part)
