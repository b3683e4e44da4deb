"""No mutation tells a resident or an advocate whether a row they may not see exists.

The test walks every mutation in the resident's and the advocate's schemas, finds every ID in its
input (nested ones too), and sends each mutation twice: once naming a row that exists but is
someone else's, once naming an id that nothing has. The two answers must be the same. A mutation
or ID field without a case below fails the test, so new ones are covered as they are added.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import graphql
import pytest

from backend.accounts.models import User
from tests import factories

MISSING = str(10**9)


@dataclass(frozen=True)
class Case:
    """How to send one mutation with an id at ``path``, and how to make a row the viewer may not see."""

    base: Callable[[User], dict[str, Any]]
    hidden: Callable[[User], Any]


def _someone_elses_complaint(_viewer: User) -> Any:
    return factories.responded_complaint().id


def _contact(_viewer: User) -> dict[str, Any]:
    return {"channel": "portal", "description": "The hall light has failed."}


def _draft_round() -> Any:
    return factories.make_priority_round(status="draft")


def _ballot(_viewer: User) -> dict[str, Any]:
    """Votes in an open round that anyone may vote in, on one theme to be named."""
    return {"roundId": str(factories.make_priority_round().id), "votes": [{"themeId": "", "dots": 1}]}


def _held_comment() -> Any:
    """Someone else's comment that a moderator has not yet published."""
    return factories.make_change_comment(status="held", body_public="")


CASES: dict[tuple[str, str], Case] = {
    ("complaintEscalate", "id"): Case(lambda _v: {}, _someone_elses_complaint),
    ("complaintWithdraw", "id"): Case(lambda _v: {}, lambda _v: factories.make_complaint().id),
    ("complaintAddInformation", "id"): Case(lambda _v: {"body": "More"}, lambda _v: factories.make_complaint().id),
    ("contactSubmit", "residentId"): Case(_contact, lambda _v: factories.make_user("resident").id),
    ("contactSubmit", "homeId"): Case(_contact, lambda _v: factories.make_home().id),
    ("contactSubmit", "relatedRequestId"): Case(_contact, lambda _v: factories.make_contact().id),
    ("contactSubmit", "serviceAreaId"): Case(_contact, lambda _v: factories.make_service_area().id),
    ("contactSubmit", "categoryId"): Case(_contact, lambda _v: factories.make_category().id),
    ("apiTokenRevoke", "id"): Case(lambda _v: {}, lambda _v: factories.make_token(factories.make_user())[0].id),
    ("votesSet", "roundId"): Case(lambda _v: {"votes": []}, lambda _v: _draft_round().id),
    ("votesSet", "votes.0.themeId"): Case(_ballot, lambda _v: factories.make_theme().id),
    ("changeFollow", "changeId"): Case(lambda _v: {}, lambda _v: factories.make_change(published_at=None).id),
    ("changeUnfollow", "changeId"): Case(lambda _v: {}, lambda _v: factories.make_change(published_at=None).id),
    ("changeCommentReply", "commentId"): Case(lambda _v: {"body": "Same here."}, lambda _v: _held_comment().id),
    ("changeCommentReport", "commentId"): Case(lambda _v: {}, lambda _v: _held_comment().id),
    ("changeCommentDelete", "commentId"): Case(lambda _v: {}, lambda _v: factories.make_change_comment().id),
}


def id_paths(input_type: Any, prefix: str = "") -> Iterator[str]:
    """Every path to an ID in an input type, with ``0`` for a list's first item."""
    named = graphql.get_nullable_type(input_type)
    if isinstance(named, graphql.GraphQLList):
        yield from id_paths(named.of_type, f"{prefix}0.")
        return
    if isinstance(named, graphql.GraphQLInputObjectType):
        for name, field in named.fields.items():
            yield from id_paths(field.type, f"{prefix}{name}.")
        return
    if named is graphql.GraphQLID:
        yield prefix.rstrip(".")


def mutations_with_ids(app: Any, role: str) -> list[tuple[str, str]]:
    schema = app.extensions["learnloop.engine"].schema_for(frozenset({role}), writable=True)._schema
    found = []
    for name, field in schema.mutation_type.fields.items():
        for argument in field.args.values():
            found.extend((name, path) for path in id_paths(argument.type))
    return sorted(found)


def put(target: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    *steps, last = path.split(".")
    place: Any = target
    for step in steps:
        place = place[int(step)] if isinstance(place, list) else place[step]
    place[int(last) if isinstance(place, list) else last] = value
    return target


def answer(client: Any, token: str, mutation: str, data: dict[str, Any]) -> dict[str, Any]:
    """What the viewer learns: the result's type and its error fields (not the new row, which differs)."""
    query = f"mutation($input: {input_name(mutation)}!) {{ {mutation}(input: $input) {{ __typename "
    query += "... on NotFoundError { message } ... on NotAllowedError { message } "
    query += "... on ValidationError { field code message } ... on ConflictError { code message } } }"
    response = client.post(
        "/graphql", json={"query": query, "variables": {"input": data}}, headers={"Authorization": f"Bearer {token}"}
    )
    assert "errors" not in response.json, response.json
    return response.json["data"][mutation]


def input_name(mutation: str) -> str:
    special = {"complaintEscalate": "ComplaintEscalateInput", "complaintWithdraw": "ComplaintReasonInput"}
    special |= {"complaintAddInformation": "ComplaintMessageInput", "apiTokenRevoke": "ApiTokenRevokeInput"}
    special |= {"changeUnfollow": "ChangeFollowInput"}
    return special.get(mutation, mutation[:1].upper() + mutation[1:] + "Input")


def viewer_for(role: str) -> User:
    viewer = factories.make_user(role, home=factories.make_home())
    if role == "advocate":
        factories.make_representation(viewer, factories.make_user("resident"))
    return viewer


# Votes are a resident's own: an advocate acts for a resident on their cases, not in their place in a round.
RESIDENTS_ONLY = {"votesSet"}


def cases_for(role: str) -> set[tuple[str, str]]:
    return {pair for pair in CASES if role == "resident" or pair[0] not in RESIDENTS_ONLY}


@pytest.mark.parametrize("role", ["resident", "advocate"])
def test_every_mutation_taking_an_id_has_a_case(app, role: str) -> None:
    assert set(mutations_with_ids(app, role)) == cases_for(role), "add a Case for each new mutation or ID field"


PAIRS = sorted({(role, pair) for role in ("resident", "advocate") for pair in cases_for(role)})


@pytest.mark.parametrize(
    ("role", "pair"),
    [pytest.param(role, pair, id=f"{role}-{pair[0]}-{pair[1]}") for role, pair in PAIRS],
)
def test_hidden_and_missing_ids_get_the_same_answer(app, client, role: str, pair: tuple[str, str]) -> None:
    mutation, path = pair
    case = CASES[pair]
    viewer = viewer_for(role)
    _token, plain = factories.make_token(viewer, "write")
    hidden = answer(client, plain, mutation, put(case.base(viewer), path, str(case.hidden(viewer))))
    missing = answer(client, plain, mutation, put(case.base(viewer), path, MISSING))
    assert hidden == missing
