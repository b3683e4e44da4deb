"""Priority rounds and votes through real GraphQL text: anonymous readers, residents voting and seeing only their own
votes, staff setting rounds up and reading turnout, and what each role's schema leaves out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.cocreation import ballots, rounds
from backend.cocreation.models import RevoteRequest, Vote
from backend.timeutil import utcnow
from tests import factories

PROBLEMS = "__typename ... on Problem { code message } ... on ValidationError { field problems { field code message } }"
ROUNDS = (
    "{ priorityRounds(first: 10) { nodes { id title phase budget ballot(first: 50) { themeId texts "
    "countedVotes countedVoters } } } }"
)
VOTES_SET = (
    "mutation ($input: VotesSetInput!) { votesSet(input: $input) { "
    "... on VotesSet { remaining priorityRound { id } } " + PROBLEMS + " } }"
)
ROUND_CREATE = (
    "mutation ($input: PriorityRoundCreateInput!) { priorityRoundCreate(input: $input) { "
    "... on PriorityRoundCreated { priorityRound { id status areas } } " + PROBLEMS + " } }"
)
PUBLISH = (
    "mutation ($input: PriorityRoundPublishInput!) { priorityRoundPublish(input: $input) { "
    "... on PriorityRoundPublished { priorityRound { status phase } } " + PROBLEMS + " } }"
)


def run(browser: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    return body["data"]


def test_anonymous_readers_see_published_rounds_not_drafts(browser: Any) -> None:
    published = factories.make_priority_round()
    factories.make_priority_round(status="draft")
    found = run(browser, ROUNDS)["priorityRounds"]["nodes"]
    assert [node["id"] for node in found] == [str(published.id)]
    ballot = found[0]["ballot"]
    assert found[0]["phase"] == "open" and len(ballot) == 2
    assert "name" in ballot[0]["texts"]["en"] and ballot[0]["countedVotes"] is None


def test_the_count_is_public_once_counted(browser: Any, clock_at: Any) -> None:
    voting = factories.make_priority_round()
    factories.make_vote(voting, dots=1)
    clock_at(voting.closes_at + dt.timedelta(minutes=1))
    ballots.count_closed_rounds()
    ballot = run(browser, ROUNDS)["priorityRounds"]["nodes"][0]["ballot"]
    assert sorted((node["countedVotes"], node["countedVoters"]) for node in ballot) == [(0, 0), (1, 1)]


def test_a_resident_votes_and_sees_only_their_own_votes(browser: Any, signed_in: Any) -> None:
    voting = factories.make_priority_round(budget=3, max_per_theme=2)
    first, second = rounds.ballot_ids(voting.id)
    factories.make_vote(voting, dots=1)  # someone else's
    signed_in("resident", home=factories.make_home())
    done = run(
        browser,
        VOTES_SET,
        {
            "input": {
                "roundId": str(voting.id),
                "votes": [{"themeId": str(first), "dots": 2}, {"themeId": str(second), "dots": 1}],
            }
        },
    )["votesSet"]
    assert done["remaining"] == 0, done
    mine = run(browser, "{ votes { nodes { themeId dots } } }")["votes"]["nodes"]
    assert sorted((node["themeId"], node["dots"]) for node in mine) == [(str(first), 2), (str(second), 1)]
    assert Vote.select().count() == 3


def test_votes_set_over_the_budget_is_a_typed_error(browser: Any, signed_in: Any) -> None:
    voting = factories.make_priority_round(budget=2, max_per_theme=2)
    first, second = rounds.ballot_ids(voting.id)
    signed_in("resident", home=factories.make_home())
    result = run(
        browser,
        VOTES_SET,
        {
            "input": {
                "roundId": str(voting.id),
                "votes": [{"themeId": str(first), "dots": 2}, {"themeId": str(second), "dots": 1}],
            }
        },
    )["votesSet"]
    assert result["__typename"] == "ValidationError" and result["problems"][0]["code"] == "over_budget"
    assert not Vote.select().exists()


def test_voting_state_says_why_a_signed_out_reader_may_not_vote(browser: Any) -> None:
    voting = factories.make_priority_round()
    query = "query ($id: ID!) { priorityRoundVoting(roundId: $id) { budget remaining ineligible } }"
    state = run(browser, query, {"id": str(voting.id)})["priorityRoundVoting"]
    assert state == {"budget": 3, "remaining": 3, "ineligible": "sign_in"}


def test_staff_set_up_a_round_and_a_manager_publishes_it(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    themes = [str(factories.make_published_theme().id) for _ in range(2)]
    now = utcnow().replace(tzinfo=dt.UTC)
    made = run(
        browser,
        ROUND_CREATE,
        {
            "input": {
                "title": [{"locale": "en", "text": "What first?"}],
                "opensAt": (now + dt.timedelta(days=1)).isoformat(),
                "closesAt": (now + dt.timedelta(days=8)).isoformat(),
                "themeIds": themes,
                "areas": ["cf10"],
            }
        },
    )["priorityRoundCreate"]
    assert made["priorityRound"]["status"] == "draft" and made["priorityRound"]["areas"] == ["CF10"], made
    published = run(browser, PUBLISH, {"input": {"id": made["priorityRound"]["id"]}})["priorityRoundPublish"]
    assert published["priorityRound"] == {"status": "published", "phase": "upcoming"}


def test_staff_read_turnout_but_never_who_voted(browser: Any, signed_in: Any) -> None:
    voting = factories.make_priority_round()
    factories.make_vote(voting, dots=2)
    signed_in("staff")
    query = "query ($id: ID!) { priorityRoundTurnout(roundId: $id) { voters homes dots } }"
    assert run(browser, query, {"id": str(voting.id)})["priorityRoundTurnout"] == {"voters": 1, "homes": 1, "dots": 2}
    body = browser.graphql("{ votes { nodes { dots } } }").get_json()
    assert "errors" in body  # staff have no Vote list at all


def test_staff_mutations_are_absent_from_residents_schema(browser: Any, signed_in: Any) -> None:
    signed_in("resident")
    names = {
        field["name"]
        for field in run(browser, "{ __schema { mutationType { fields { name } } } }")["__schema"]["mutationType"][
            "fields"
        ]
    }
    assert "votesSet" in names
    assert not names & {"priorityRoundCreate", "priorityRoundUpdate", "priorityRoundPublish", "priorityRoundCancel"}


# --- The public pages, which read and vote through the API ---------------------------------------------------------


def test_the_rounds_page_lists_open_upcoming_and_closed_rounds(client: Any) -> None:
    factories.make_priority_round(title={"en": "Open round"})
    factories.make_priority_round(
        title={"en": "Later round"}, opens_at=utcnow() + dt.timedelta(days=3), closes_at=utcnow() + dt.timedelta(days=9)
    )
    factories.make_priority_round(title={"en": "Draft round"}, status="draft")
    page = client.get("/rounds").get_data(as_text=True)
    assert "Open round" in page and "Later round" in page and "Draft round" not in page


def test_a_signed_out_reader_sees_the_ballot_and_a_sign_in_link(client: Any) -> None:
    voting = factories.make_priority_round()
    page = client.get(f"/rounds/{voting.id}").get_data(as_text=True)
    assert "Sign in to vote" in page and '<form method="post" novalidate>' not in page


def test_a_draft_round_page_is_not_there(client: Any) -> None:
    assert client.get(f"/rounds/{factories.make_priority_round(status='draft').id}").status_code == 404


def test_a_resident_votes_on_the_page(browser: Any, signed_in: Any) -> None:
    voting = factories.make_priority_round(budget=3, max_per_theme=3)
    first, second = rounds.ballot_ids(voting.id)
    signed_in("resident", home=factories.make_home())
    page = browser.client.get(f"/rounds/{voting.id}").get_data(as_text=True)
    assert "You have 3 votes left of 3." in page
    response = browser.submit(f"/rounds/{voting.id}", {f"theme_{first}": "2", f"theme_{second}": "1"})
    assert response.status_code == 302
    assert sorted(Vote.select(Vote.dots).tuples()) == [(1,), (2,)]


def test_votes_over_the_budget_keep_what_was_typed(browser: Any, signed_in: Any) -> None:
    voting = factories.make_priority_round(budget=3, max_per_theme=3)
    first, second = rounds.ballot_ids(voting.id)
    signed_in("resident", home=factories.make_home())
    page = browser.submit(f"/rounds/{voting.id}", {f"theme_{first}": "3", f"theme_{second}": "2"}).get_data(
        as_text=True
    )
    assert "There is a problem" in page and 'value="3"' in page and 'value="2"' in page
    assert not Vote.select().exists()


def test_a_voter_asked_to_vote_again_sees_why(browser: Any, signed_in: Any) -> None:
    voting = factories.make_priority_round()
    person = signed_in("resident", home=factories.make_home())
    merged, into = factories.make_published_theme("Damp"), factories.make_published_theme("Repairs")
    RevoteRequest.create(round=voting.id, voter=person.id, theme=merged.id, merged_into=into.id, dots=1)
    page = browser.client.get(f"/rounds/{voting.id}").get_data(as_text=True)
    assert "Your vote for <span>Damp (en)</span> was given back to you" in page
    assert "became part of <span>Repairs (en)</span>" in page


def test_the_results_show_once_counted(client: Any, clock_at: Any) -> None:
    voting = factories.make_priority_round()
    factories.make_vote(voting, dots=1)
    clock_at(voting.closes_at + dt.timedelta(minutes=1))
    assert "Themes ranked by votes" not in client.get(f"/rounds/{voting.id}").get_data(as_text=True)
    ballots.count_closed_rounds()
    assert "Themes ranked by votes" in client.get(f"/rounds/{voting.id}").get_data(as_text=True)


# --- The console ----------------------------------------------------------------------------------------------------


def test_a_manager_sets_up_publishes_and_cancels_a_round_in_the_console(browser: Any, signed_in: Any) -> None:
    signed_in("manager")
    themes = [factories.make_published_theme() for _ in range(2)]
    opens = (utcnow() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    closes = (utcnow() + dt.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "title_en": "What first?",
        "title_cy": "Beth gyntaf?",
        "opens_at": opens,
        "closes_at": closes,
        "budget": "3",
        "max_per_theme": "3",
        "budget_unit": "resident",
        "areas": "cf10\nLS1",
        "theme_ids": [str(theme.id) for theme in themes],
    }
    response = browser.submit("/console/co-creation/rounds/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    page = browser.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "What first?" in page and "CF10, LS1" in page
    round_id = response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    browser.submit(
        f"/console/co-creation/rounds/{round_id}/publish", {}, page=f"/console/co-creation/rounds/{round_id}"
    )
    assert "Published: not open yet" in browser.client.get(f"/console/co-creation/rounds/{round_id}").get_data(
        as_text=True
    )
    browser.submit(f"/console/co-creation/rounds/{round_id}/cancel", {"reason": "Wrong dates."})
    assert "Cancelled" in browser.client.get(f"/console/co-creation/rounds/{round_id}").get_data(as_text=True)


def test_the_console_form_keeps_what_was_typed_on_a_problem(browser: Any, signed_in: Any) -> None:
    signed_in("staff")
    factories.make_published_theme()
    data = {"title_en": "Keep me", "opens_at": "2030-01-02T10:00", "closes_at": "2030-01-01T10:00", "budget": "3"}
    data |= {"max_per_theme": "1", "budget_unit": "resident", "areas": "NOT A DISTRICT"}
    page = browser.submit("/console/co-creation/rounds/new", data).get_data(as_text=True)
    assert "There is a problem" in page and "Keep me" in page and "NOT A DISTRICT" in page
    assert "Voting must close after it opens." in page


def test_staff_see_turnout_not_voters_in_the_console(browser: Any, signed_in: Any) -> None:
    voting = factories.make_priority_round()
    vote = factories.make_vote(voting, dots=2)
    signed_in("staff")
    page = browser.client.get(f"/console/co-creation/rounds/{voting.id}").get_data(as_text=True)
    assert "1 residents from 1 homes have used 2 votes." in page
    assert vote.voter.display_name not in page
