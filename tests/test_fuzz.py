"""Every schema-valid operation gets data or a typed error: operations generated from each role's schema.

hypothesis-graphql writes operations that pass validation against the schema a viewer is served. Each
is sent to /graphql with that viewer's token, and no answer may be a server error (HTTP 5xx) or an
``INTERNAL_ERROR``. The examples are derandomized, so a run is repeatable; ``make fuzz`` runs many
more (``LEARNLOOP_TEST_FUZZ_EXAMPLES``) with a fresh seed each time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from typing import Any

import graphql
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries

from backend.db import db
from tests import factories

#: Examples per role and kind of operation in `make test`; `make fuzz` raises it.
SCALE = int(os.environ.get("LEARNLOOP_TEST_FUZZ_EXAMPLES", "0") or 0)
RANDOM = SCALE > 0
QUERY_EXAMPLES = SCALE or 260
MUTATION_EXAMPLES = max(SCALE // 4, 60) if SCALE else 60
SIGNED_IN_ROLES = ("resident", "advocate", "panel_member", "staff", "manager", "admin")
WRITERS = SIGNED_IN_ROLES

SCALARS: dict[str, st.SearchStrategy[graphql.ValueNode]] = {
    # With an offset, as the DateTime scalar requires; a value without one is refused before anything runs.
    "DateTime": st.datetimes(
        min_value=dt.datetime(1900, 1, 1),
        max_value=dt.datetime(2100, 1, 1),
        timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=1)), dt.timezone(dt.timedelta(hours=-5))]),
    ).map(lambda value: nodes.String(value.isoformat())),
    "Date": st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)).map(
        lambda value: nodes.String(value.isoformat())
    ),
    "JSON": st.one_of(st.integers(-5, 5).map(nodes.Int), st.text(max_size=5).map(nodes.String)),
    "Decimal": st.decimals(min_value=-1000, max_value=1000, places=2).map(lambda value: nodes.String(str(value))),
    "Upload": st.just(graphql.NullValueNode()),
    # Mostly ids of rows that exist and page sizes within the limits, so that operations get past the
    # checks and run; now and then anything at all.
    "ID": st.one_of(
        st.integers(1, 40).map(lambda value: nodes.String(str(value))),
        st.integers(-(2**70), 2**70).map(lambda value: nodes.String(str(value))),
        st.text(max_size=8).map(nodes.String),
    ),
    "Int": st.one_of(st.integers(-1, 30), st.integers(-(2**31), 2**31 - 1)).map(nodes.Int),
    "String": st.one_of(
        st.sampled_from(["", "a", "tap", "2026", "LL-2026-000001", "-createdAt"]), st.text(max_size=30)
    ).map(nodes.String),
}


def examples(count: int) -> Callable[[Any], Any]:
    return settings(
        max_examples=count,
        derandomize=not RANDOM,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[phase for phase in settings.default.phases if phase.name != "explain"],
    )


@pytest.fixture
def world() -> dict[str, Any]:
    """A little of everything, so that lists, relations, cursors and aggregates have rows to work on."""
    resident = factories.make_user("resident", home=factories.make_home())
    advocate = factories.make_user("advocate")
    factories.make_representation(advocate, resident)
    handler = factories.make_staff()
    factories.responded_complaint(handler, resident=resident)
    factories.make_complaint(resident)
    factories.make_contact(resident)
    factories.make_contact(factories.make_user("resident", home=factories.make_home("scotland")))
    factories.make_service_area()
    factories.make_category()
    survey = factories.make_survey()
    factories.make_survey_question(survey)
    factories.make_survey_invitation(survey, user=resident)
    factories.make_survey_answer(factories.make_survey_response(survey))
    factories.make_delivery(user=resident)
    factories.make_portal_message(resident)
    factories.make_letter(resident)
    factories.make_preference(resident)
    factories.make_audit_event()
    return {"resident": resident, "advocate": advocate, "staff": handler}


def roles_of(role: str) -> frozenset[str]:
    """The roles of the person fuzzing as ``role``: panel members are residents too."""
    return frozenset({"resident", role}) if role == "panel_member" else frozenset({role})


def token_for(role: str, world: dict[str, Any]) -> str:
    user = world.get(role) or factories.make_user(*sorted(roles_of(role)))
    _token, plain = factories.make_token(user, "write")
    return plain


def schema_for(app: Any, roles: frozenset[str], writable: bool) -> graphql.GraphQLSchema:
    engine = app.extensions["learnloop.engine"]
    return engine.schema_for(roles, writable=writable)._schema


def server_failures(response: Any) -> list[Any]:
    """What in one answer is a server error: a 5xx, a body that isn't JSON, or an INTERNAL_ERROR."""
    if response.status_code >= 500:
        return [response.status_code, response.get_data(as_text=True)[:500]]
    body = json.loads(response.get_data(as_text=True))
    results = body if isinstance(body, list) else [body]
    return [
        error
        for result in results
        for error in result.get("errors") or ()
        if (error.get("extensions") or {}).get("code") == "INTERNAL_ERROR"
    ]


SENT: list[int] = [0]


def check(client: Any, query: str, headers: dict[str, str]) -> None:
    SENT[0] += 1
    response = client.post("/graphql", json={"query": query}, headers=headers)
    failures = server_failures(response)
    assert not failures, f"{query}\n-> {failures}"


def operations(schema: graphql.GraphQLSchema, make: Any, root: graphql.GraphQLObjectType) -> st.SearchStrategy[str]:
    """Operations that each start from one root field, picked evenly, so every field is reached."""
    each = {name: make(schema, fields=[name], custom_scalars=SCALARS, allow_x00=False) for name in sorted(root.fields)}
    return st.sampled_from(sorted(each)).flatmap(each.__getitem__)


def run_queries(app: Any, client: Any, roles: frozenset[str], headers: dict[str, str], count: int) -> None:
    schema = schema_for(app, roles, writable=False)

    @examples(count)
    @given(operations(schema, queries, schema.query_type))
    def one(query: str) -> None:
        check(client, query, headers)

    before = SENT[0]
    one()
    assert SENT[0] - before >= min(count, 50), "the generator produced almost nothing"


def run_mutations(app: Any, client: Any, roles: frozenset[str], headers: dict[str, str], count: int) -> None:
    schema = schema_for(app, roles, writable=True)

    @examples(count)
    @given(operations(schema, mutations, schema.mutation_type))
    def one(mutation: str) -> None:
        # Each mutation runs in a savepoint that is rolled back, so every example starts from the same rows.
        with db.atomic() as savepoint:
            check(client, mutation, headers)
            savepoint.rollback()

    before = SENT[0]
    one()
    assert SENT[0] - before >= min(count, 50), "the generator produced almost nothing"


@pytest.mark.usefixtures("no_rate_limits")
def test_fuzz_anonymous_queries_never_fail_on_the_server(app, client) -> None:
    run_queries(app, client, frozenset({"anonymous"}), {}, QUERY_EXAMPLES)


@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
@pytest.mark.usefixtures("no_rate_limits")
def test_fuzz_queries_never_fail_on_the_server(app, client, world, role: str) -> None:
    headers = {"Authorization": f"Bearer {token_for(role, world)}"}
    run_queries(app, client, roles_of(role), headers, QUERY_EXAMPLES)


@pytest.mark.parametrize("role", WRITERS)
@pytest.mark.usefixtures("no_rate_limits")
def test_fuzz_mutations_never_fail_on_the_server(app, client, world, role: str) -> None:
    headers = {"Authorization": f"Bearer {token_for(role, world)}"}
    run_mutations(app, client, roles_of(role), headers, MUTATION_EXAMPLES)


def test_aggregate_without_dimensions_answers_key_all(client) -> None:
    _token, plain = factories.make_token(factories.make_user("admin"), "read")
    query = "{ apiTokensAggregate { key { all } count } }"
    response = client.post("/graphql", json={"query": query}, headers={"Authorization": f"Bearer {plain}"})
    assert response.json == {"data": {"apiTokensAggregate": [{"key": {"all": None}, "count": 1}]}}
