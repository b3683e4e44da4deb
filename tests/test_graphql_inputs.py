"""The size of what a request sends: filters, strings, variables and their cost, and Python work under the
time limit. Every refusal is a clear error (INPUT_TOO_LARGE), never a server error or minutes of CPU."""

from __future__ import annotations

import time
from typing import Any

import pytest

import backend.config
from backend import config
from backend.db import TimeLimitExceeded, check_deadline, count_statements, time_limit
from schema.engine import filters
from schema.limits import MAX_INPUT_DEPTH, MAX_INPUT_LIST, MAX_INPUT_STRING, MAX_INPUT_VALUES
from tests import factories
from tests.conftest import Browser

CONTACTS = "query($w: ContactWhere) { contacts(where: $w) { totalCount } }"


def override(monkeypatch: pytest.MonkeyPatch, **values: Any) -> None:
    monkeypatch.setattr(backend.config, "_current", config.current().with_overrides(**values))


def error_of(response: Any) -> dict[str, Any]:
    return response.json["errors"][0]


def any_of(count: int) -> dict[str, Any]:
    return {"or": [{"reference": {"contains": f"x{i}"}} for i in range(count)]}


@pytest.fixture
def resident(signed_in) -> Any:
    user = signed_in("resident", home=factories.make_home())
    factories.make_contact(user)
    return user


# --- where: flat SQL, bounded size --------------------------------------------------------------


def test_or_of_a_hundred_contains_is_answered(resident, browser: Browser) -> None:
    # 99 items are 199 entries, just inside the limit; SQLite once overflowed its parser stack here.
    response = browser.graphql(CONTACTS, {"w": {"or": [*any_of(98)["or"], {"reference": {"startsWith": "LL"}}]}})
    assert response.json == {"data": {"contacts": {"totalCount": 1}}}


def test_or_of_twenty_thousand_conditions_is_refused_at_once(resident, browser: Browser) -> None:
    started = time.monotonic()
    response = browser.graphql(CONTACTS, {"w": any_of(20_000)})
    assert time.monotonic() - started < 2
    assert response.status_code == 200
    assert error_of(response)["extensions"]["code"] == "INPUT_TOO_LARGE"


def test_where_with_more_entries_than_the_limit_is_input_too_large(resident, browser: Browser) -> None:
    response = browser.graphql(CONTACTS, {"w": any_of(150)})  # 301 entries
    error = error_of(response)
    assert error["extensions"] == {
        "code": "INPUT_TOO_LARGE",
        "path": "where",
        "maximum": filters.MAX_WHERE_ENTRIES,
    }
    assert str(filters.MAX_WHERE_ENTRIES) in error["message"]
    assert response.json["data"] is None


def test_where_nested_too_deeply_is_input_too_large(resident, browser: Browser) -> None:
    where: dict[str, Any] = {"reference": {"contains": "LL"}}
    for _ in range(filters.MAX_WHERE_DEPTH):
        where = {"not": where}
    error = error_of(browser.graphql(CONTACTS, {"w": where}))
    assert error["extensions"]["code"] == "INPUT_TOO_LARGE"
    assert error["extensions"]["maximum"] == filters.MAX_WHERE_DEPTH


def test_where_limits_apply_to_literals_and_relation_filters_too(resident, browser: Browser) -> None:
    conditions = ", ".join(f'{{reference: {{contains: "x{i}"}}}}' for i in range(110))
    literal = f"{{ complaints(where: {{contact: {{or: [{conditions}]}}}}) {{ totalCount }} }}"
    assert error_of(browser.graphql(literal))["extensions"]["code"] == "INPUT_TOO_LARGE"


def test_too_large_messages_go_through_the_viewers_translations(resident, browser: Browser, monkeypatch) -> None:
    """Both refusals are translated where they are made: the engine's by the request's gettext, the edge's by
    Flask-Babel's (the catalogues gain the new sentences when they are next extracted)."""
    from portal import graphql_view

    def marked(text: str, **params: Any) -> str:
        return "«" + (text % params if params else text) + "»"

    monkeypatch.setattr(graphql_view, "gettext", marked)
    monkeypatch.setattr(graphql_view.LearnloopGraphQLView, "get_context", _context_with(marked))
    engine_message = error_of(browser.graphql(CONTACTS, {"w": any_of(150)}))["message"]
    edge_message = error_of(browser.graphql(CONTACTS, {"w": any_of(20_000)}))["message"]
    assert engine_message.startswith("«where: this filter is too large") and "200" in engine_message
    assert edge_message.startswith("«A list in this request is too long")


def _context_with(gettext: Any) -> Any:
    from schema.context import Context

    def get_context(self: Any, request: Any, response: Any) -> Context:
        from portal.security import current_actor

        return Context(actor=current_actor(), gettext=gettext, response=response)

    return get_context


def test_filter_following_more_relations_than_the_limit_is_input_too_large(signed_in, browser: Browser) -> None:
    # Three relations as an advocate: each brings its role filter, and SQLite's parser stack once overflowed.
    signed_in("advocate")
    chain: dict[str, Any] = {"and": []}
    for _ in range(2):
        chain = {"actions": {"none": {"complaint": chain}}}
    query = "query($w: ComplaintWhere) { complaints(where: $w) { totalCount } }"
    error = error_of(browser.graphql(query, {"w": chain}))
    assert error["extensions"] == {
        "code": "INPUT_TOO_LARGE",
        "path": "where.actions.complaint.actions",
        "maximum": filters.MAX_WHERE_RELATIONS,
    }


def where_types(schema: Any) -> list[tuple[str, Any]]:
    """Each list's name and its where type."""
    import graphql

    return [
        (name, graphql.get_nullable_type(field.args["where"].type))
        for name, field in schema.query_type.fields.items()
        if "where" in field.args and not name.endswith("Aggregate")
    ]


def relation_chains(where_type: Any, hops: int) -> list[dict[str, Any]]:
    """Every filter that follows ``hops`` relations from ``where_type`` (to-many ones through ``none``)."""
    import graphql

    if hops == 0:
        return [{"and": []}]
    found = []
    for name, field in where_type.fields.items():
        target = graphql.get_nullable_type(field.type)
        if name == "not" or not isinstance(target, graphql.GraphQLInputObjectType):
            continue
        if target.name.endswith("ListFilter"):
            inner = graphql.get_nullable_type(target.fields["none"].type)
            found += [{name: {"none": rest}} for rest in relation_chains(inner, hops - 1)]
        elif target.name.endswith("Where"):
            found += [{name: rest} for rest in relation_chains(target, hops - 1)]
    return found


def nesting(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((nesting(item) for item in value.values()), default=0)
    if isinstance(value, list):
        return max((nesting(item) for item in value), default=0)
    return 0


@pytest.mark.parametrize("role", ["resident", "advocate", "staff"])
def test_every_filter_within_the_limits_runs(app, client, role: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The deepest filters the limits allow, for every list: as many relations as allowed, wrapped in not and or
    to the depth limit. None may fail in the database (SQLite's parser stack is the tightest bound)."""
    # Hundreds of requests in a few seconds are the point here, not the rate limit.
    relaxed = config.current().with_overrides(rate_limit_per_minute_ip=0, rate_limit_per_minute_token=0)
    monkeypatch.setattr(backend.config, "_current", relaxed)
    _token, plain = factories.make_token(factories.make_user(role), "read")
    schema = app.extensions["learnloop.engine"].schema_for(frozenset({role}), writable=False)._schema
    failures = []
    for name, where_type in where_types(schema):
        for chain in relation_chains(where_type, filters.MAX_WHERE_RELATIONS):
            for _ in range((filters.MAX_WHERE_DEPTH - nesting(chain)) // 2):
                chain = {"not": {"or": [chain]}}
            query = f"query($w: {where_type.name}) {{ {name}(where: $w, first: 0) {{ totalCount }} }}"
            response = client.post(
                "/graphql",
                json={"query": query, "variables": {"w": chain}},
                headers={"Authorization": f"Bearer {plain}"},
            )
            if "errors" in response.json:
                failures.append((name, chain, response.json["errors"][0]["extensions"]))
    assert failures == []


def test_in_list_longer_than_its_limit_is_refused_before_its_values_are_read(resident, browser: Browser) -> None:
    values = ["1"] * (filters.MAX_IN_LIST + 1)
    error = error_of(browser.graphql(CONTACTS, {"w": {"id": {"in": values}}}))
    assert error["extensions"]["code"] in ("BAD_FILTER", "INPUT_TOO_LARGE")


# --- every input: strings, lists, values, nesting -------------------------------------------


@pytest.mark.parametrize(
    ("variables", "kind", "limit"),
    [
        ({"s": "x" * (MAX_INPUT_STRING + 1)}, "string", MAX_INPUT_STRING),
        ({"w": {"id": {"in": ["1"] * (MAX_INPUT_LIST + 1)}}}, "list", MAX_INPUT_LIST),
        ({"w": {"and": [{"id": {"in": ["1"] * 400}}] * 6}}, "values", MAX_INPUT_VALUES),
    ],
)
def test_oversized_variables_are_input_too_large(resident, browser: Browser, variables, kind, limit) -> None:
    query = "query($w: ContactWhere, $s: String) { contacts(where: $w, search: $s) { totalCount } }"
    response = browser.graphql(query, variables)
    error = error_of(response)
    assert error["extensions"] == {"code": "INPUT_TOO_LARGE", "kind": kind, "limit": limit}
    assert f"{limit:,}" in error["message"]


def test_deeply_nested_variables_are_input_too_large(resident, browser: Browser) -> None:
    nested: Any = "x"
    for _ in range(MAX_INPUT_DEPTH + 5):
        nested = [nested]
    response = browser.graphql("query($x: [String]) { viewer { email } }", {"x": nested})
    assert response.status_code == 200
    assert error_of(response)["extensions"] == {"code": "INPUT_TOO_LARGE", "kind": "depth", "limit": MAX_INPUT_DEPTH}


def test_long_string_literal_in_the_document_is_input_too_large(resident, browser: Browser) -> None:
    query = '{ contacts(search: "%s") { totalCount } }' % ("x" * (MAX_INPUT_STRING + 1))
    assert error_of(browser.graphql(query))["extensions"]["kind"] == "string"


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (CONTACTS, {"w": {"reference": {"startsWith": "LL\x00"}}}),
        ('{ contacts(where: {reference: {contains: "\\u0000"}}) { totalCount } }', {}),
        (
            "mutation($i: ContactSubmitInput!) { contactSubmit(input: $i) { __typename } }",
            {"i": {"channel": "portal", "description": "Damp\x00"}},
        ),
    ],
)
def test_text_with_a_nul_character_is_refused(resident, browser: Browser, query: str, variables) -> None:
    """PostgreSQL can neither store nor compare NUL, so it once made a server error there; now both refuse it."""
    from backend.complaints.models import Contact

    before = Contact.select().count()
    response = browser.graphql(query, variables)
    assert response.status_code == 200
    error = error_of(response)
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}
    assert "NUL" in error["message"]
    assert Contact.select().count() == before


def test_registered_operation_variables_are_bounded_too(signed_in, browser: Browser) -> None:
    from portal.operations import registry

    signed_in("staff")
    operation = next(op for op in registry().values() if "$where" in op.document or "$w:" in op.document)
    variable = "where" if "$where" in operation.document else "w"
    payload = {
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": operation.sha256}},
        "variables": {variable: any_of(20_000)},
    }
    response = browser.client.post("/graphql", json=payload)
    assert error_of(response)["extensions"]["code"] == "INPUT_TOO_LARGE"


# --- cost counts variables, as the executor coerces them ------------------------------------


def test_cost_counts_the_values_inside_variables(resident, browser: Browser, monkeypatch) -> None:
    override(monkeypatch, graphql_max_cost=50)
    response = browser.graphql(CONTACTS, {"w": {"id": {"in": [str(n) for n in range(100)]}}})
    error = error_of(response)
    assert error["extensions"] == {"code": "COST_LIMIT_EXCEEDED", "cost": 1 + 2 + 100, "limit": 50}


def test_float_page_size_is_costed_as_the_integer_it_becomes(resident, browser: Browser) -> None:
    query = "query($f: Int) { contacts(first: $f) { totalCount nodes { id messages(first: $f) { id } } } }"
    for value in (100, 100.0):
        error = error_of(browser.graphql(query, {"f": value}))
        assert error["extensions"] == {"code": "COST_LIMIT_EXCEEDED", "cost": 1 + 100 + 100 * 100, "limit": 5000}


# --- the time limit covers Python work --------------------------------------------------------


def test_check_deadline_raises_once_the_block_has_run_out() -> None:
    check_deadline()  # outside a block: nothing to check
    with time_limit(10_000):
        check_deadline()
    with pytest.raises(TimeLimitExceeded), time_limit(1) as limit:
        time.sleep(0.01)
        check_deadline()
    assert limit.exceeded


def test_time_limit_stops_compiling_a_filter_before_its_sql_runs(resident, browser: Browser, monkeypatch) -> None:
    override(monkeypatch, graphql_time_limit_ms=50)
    original = filters.scalar_condition

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.02)
        return original(*args, **kwargs)

    monkeypatch.setattr(filters, "scalar_condition", slow)
    with count_statements() as statements:
        response = browser.graphql(CONTACTS, {"w": any_of(20)})
    assert error_of(response)["extensions"] == {"code": "TIME_LIMIT_EXCEEDED", "limitMs": 50}
    assert not [sql for sql in statements if 'FROM "contact"' in sql]
