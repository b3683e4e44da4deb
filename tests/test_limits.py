"""Request limits on /graphql: query cost, batches, rate limits per token and address, and the time limit."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from graphql import build_schema, parse
from peewee import OperationalError

import backend.config
from backend import config
from backend.config import ConfigError, load_settings
from backend.context import ANONYMOUS, Actor
from backend.db import TimeLimitExceeded, db, is_postgres, time_limit
from backend.ratelimit.models import RateLimitWindow
from backend.ratelimit.services import hit, sweep_rate_limit_windows, window_bounds
from portal.graphql_view import client_network
from schema.limits import DEFAULT_PAGE_SIZE, cost_limit, operation_cost, query_cost
from tests import factories
from tests.conftest import Browser

VIEWER = "{ viewer { email roles locale } }"  # costs 3
NOON = dt.datetime(2026, 3, 2, 12, 0, 10)

SDL = """
type Query {
  me: Person
  people: [Person!]!
  users(first: Int, after: String): PersonConnection!
  feed(first: Int = 10): [Post!]!
  search(text: String!): [Result!]!
}
type PersonConnection { edges: [PersonEdge!]! nodes: [Person!]! pageInfo: PageInfo! totalCount: Int! }
type PersonEdge { cursor: String! node: Person! }
type PageInfo { hasNextPage: Boolean! }
type Person { name: String tags: [String!]! friends(first: Int): [Person!]! posts: [Post!]! }
type Post { title: String author: Person }
union Result = Person | Post
"""
SCHEMA = build_schema(SDL)


def cost(query: str, variables: dict[str, Any] | None = None, operation_name: str | None = None) -> int:
    return operation_cost(SCHEMA, parse(query), operation_name, variables)


def override(monkeypatch: pytest.MonkeyPatch, **values: Any) -> None:
    monkeypatch.setattr(backend.config, "_current", config.current().with_overrides(**values))


def bearer(plain: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plain}"}


def error_of(response: Any) -> dict[str, Any]:
    return response.json["errors"][0]


@pytest.fixture
def fixed_clock(clock_at: Any) -> None:
    """Keep every request in one rate-limit window, so a minute boundary can't split a test."""
    clock_at(NOON)


# --- Cost: the pure calculation ---------------------------------------------------------------


def test_operation_cost_counts_each_scalar_and_object_once() -> None:
    assert cost("{ me { name __typename } }") == 2


def test_operation_cost_counts_a_list_of_scalars_once() -> None:
    assert cost("{ me { tags } }") == 1


def test_operation_cost_uses_the_default_page_size_for_a_list_without_first() -> None:
    assert cost("{ people { name } }") == DEFAULT_PAGE_SIZE


def test_operation_cost_uses_the_declared_default_of_first() -> None:
    assert cost("{ feed { title } }") == 10


def test_operation_cost_multiplies_page_sizes_along_a_path() -> None:
    assert cost("{ people { name friends(first: 4) { name posts { title } } } }") == 25 + 25 * 4 * (1 + 25)


def test_operation_cost_lets_a_connection_first_size_its_edges_and_nodes() -> None:
    query = "{ users(first: 10) { edges { cursor node { name } } nodes { name } totalCount pageInfo { hasNextPage } } }"
    assert cost(query) == 10 * 2 + 10 + 1 + 1


@pytest.mark.parametrize(
    ("variables", "expected"),
    [({"n": 7}, 7), ({}, 4), ({"n": None}, 25), ({"n": "lots"}, 25), ({"n": True}, 25)],
)
def test_operation_cost_reads_first_from_variables(variables: dict[str, Any], expected: int) -> None:
    assert cost("query($n: Int = 4) { people { friends(first: $n) { name } } }", variables) == 25 * expected


def test_operation_cost_without_a_variable_default_falls_back_to_the_page_size() -> None:
    assert cost("query($n: Int) { users(first: $n) { nodes { name } } }") == 25


def test_operation_cost_treats_first_zero_or_less_as_one() -> None:
    assert cost("{ users(first: -5) { nodes { name } } }") == 1


def test_operation_cost_follows_fragments_and_inline_fragments() -> None:
    query = """
        fragment Name on Person { name }
        fragment WithFriends on Person { ...Name friends(first: 2) { ...Name } }
        { people { ...WithFriends } search(text: "x") { ... on Post { title } ... on Person { ...Name } } }
    """
    assert cost(query) == 25 * (1 + 2) + 25 * 2


def test_operation_cost_of_cyclic_fragments_terminates() -> None:
    assert cost("fragment A on Person { ...B } fragment B on Person { ...A name } { me { ...A } }") == 1


def test_operation_cost_of_a_fragment_bomb_is_worked_out_quickly() -> None:
    levels = 30
    fragments = " ".join(
        f"fragment F{n} on Person {{ a: friends(first: 2) {{ ...F{n + 1} }} b: friends(first: 2) {{ ...F{n + 1} }} }}"
        for n in range(levels)
    )
    query = fragments + f" fragment F{levels} on Person {{ name }} {{ me {{ ...F0 }} }}"
    started = time.monotonic()
    assert cost(query) == 4**levels
    assert time.monotonic() - started < 1


def test_operation_cost_counts_introspection_once() -> None:
    assert cost("{ __schema { types { name fields { name args { name } } } } }") == 1


def test_operation_cost_picks_the_named_operation() -> None:
    document = "query Small { me { name } } query Big { people { name } }"
    assert cost(document, operation_name="Small") == 1
    assert cost(document, operation_name="Big") == 25


@pytest.mark.parametrize("name", [None, "Missing"])
def test_operation_cost_is_zero_when_no_operation_would_run(name: str | None) -> None:
    assert cost("query A { me { name } } query B { me { name } }", operation_name=name) == 0


def test_operation_cost_of_unknown_fields_still_counts_their_leaves() -> None:
    assert cost("{ nothing { here(first: 3) { at all } } }") == 2


@pytest.mark.parametrize("text", ["{ viewer {", "", "query { " + "a " * 50 + "}"])
def test_query_cost_is_none_for_text_that_does_not_parse(text: str) -> None:
    assert query_cost(SCHEMA, text, max_tokens=40) is None


def test_cost_limit_gives_staff_roles_the_larger_allowance(settings) -> None:
    limits = settings.with_overrides(graphql_max_cost=10, graphql_max_cost_staff=100)
    assert cost_limit(ANONYMOUS, limits) == 10
    assert cost_limit(Actor(user_id=1, roles=frozenset({"resident", "panel_member"})), limits) == 10
    for role in ("staff", "manager", "admin"):
        assert cost_limit(Actor(user_id=1, roles=frozenset({role})), limits) == 100


# --- Cost: refused before it runs ---------------------------------------------------------------


def test_cost_over_the_limit_is_refused_and_names_limit_and_cost(signed_in, browser: Browser, monkeypatch) -> None:
    signed_in("resident")
    override(monkeypatch, graphql_max_cost=2)
    response = browser.graphql(VIEWER)
    assert response.status_code == 200
    error = error_of(response)
    assert error["extensions"] == {"code": "COST_LIMIT_EXCEEDED", "cost": 3, "limit": 2}
    assert "3" in error["message"] and "2" in error["message"]
    assert response.json.get("data") is None


def test_cost_at_the_limit_is_allowed(signed_in, browser: Browser, monkeypatch) -> None:
    user = signed_in("resident")
    override(monkeypatch, graphql_max_cost=3)
    assert browser.graphql(VIEWER).json["data"]["viewer"]["email"] == user.email


def test_cost_limit_applies_to_anonymous_visitors(browser: Browser, monkeypatch) -> None:
    override(monkeypatch, graphql_max_cost=1)
    assert error_of(browser.graphql(VIEWER))["extensions"]["code"] == "COST_LIMIT_EXCEEDED"


def test_cost_limit_refuses_a_mutation_before_it_changes_anything(signed_in, browser: Browser, monkeypatch) -> None:
    user = signed_in("resident")
    override(monkeypatch, graphql_max_cost=1)
    mutation = (
        'mutation { viewerProfileUpdate(input: {displayName: "Changed"}) { __typename ... on Viewer { email } } }'
    )
    assert error_of(browser.graphql(mutation))["extensions"]["code"] == "COST_LIMIT_EXCEEDED"
    from backend.accounts.models import User

    assert User.get_by_id(user.id).display_name != "Changed"


@pytest.mark.parametrize(("first", "allowed"), [(10, True), (50, False)])
def test_staff_token_cost_uses_first_from_variables(browser: Browser, monkeypatch, first: int, allowed: bool) -> None:
    _token, plain = factories.make_token(factories.make_user("staff"), "read")
    override(monkeypatch, graphql_max_cost=1, graphql_max_cost_staff=40)
    query = "query($n: Int) { people(first: $n) { nodes { email } } }"
    response = browser.client.post("/graphql", json={"query": query, "variables": {"n": first}}, headers=bearer(plain))
    if allowed:
        assert "errors" not in response.json
        assert isinstance(response.json["data"]["people"]["nodes"], list)
    else:
        assert error_of(response)["extensions"] == {"code": "COST_LIMIT_EXCEEDED", "cost": 50, "limit": 40}


def test_signed_in_staff_get_the_staff_allowance(signed_in, browser: Browser, monkeypatch) -> None:
    signed_in("manager")
    override(monkeypatch, graphql_max_cost=1, graphql_max_cost_staff=3)
    assert "errors" not in browser.graphql(VIEWER).json


def test_cost_message_is_in_the_viewers_language(signed_in, browser: Browser, monkeypatch) -> None:
    signed_in("resident", locale="cy")
    override(monkeypatch, graphql_max_cost=1)
    message = error_of(browser.graphql(VIEWER))["message"]
    assert "cost" not in message and "3" in message and "1" in message


# --- Batches and malformed bodies ---------------------------------------------------------------


def test_batch_is_refused_while_batching_is_off(browser: Browser) -> None:
    response = browser.client.post("/graphql", json=[{"query": VIEWER}])
    assert response.status_code == 400
    assert error_of(response)["extensions"] == {"code": "BATCH_LIMIT_EXCEEDED", "limit": 1, "size": 1}


def test_batch_within_the_limit_runs_each_operation(signed_in, browser: Browser, monkeypatch) -> None:
    user = signed_in("resident")
    override(monkeypatch, graphql_max_batch=2)
    response = browser.client.post(
        "/graphql", json=[{"query": VIEWER}, {"query": "query Loc { viewer { locale } }", "operationName": "Loc"}]
    )
    assert response.status_code == 200
    first, second = response.json
    assert first["data"]["viewer"]["email"] == user.email
    assert second["data"]["viewer"]["locale"] == "en"


def test_batch_over_the_limit_names_the_limit(browser: Browser, monkeypatch) -> None:
    override(monkeypatch, graphql_max_batch=2)
    response = browser.client.post("/graphql", json=[{"query": VIEWER}] * 3)
    assert response.status_code == 400
    error = error_of(response)
    assert error["extensions"] == {"code": "BATCH_LIMIT_EXCEEDED", "limit": 2, "size": 3}
    assert "2" in error["message"]


def test_batch_checks_the_cost_of_each_operation(browser: Browser, monkeypatch) -> None:
    override(monkeypatch, graphql_max_batch=2, graphql_max_cost=1)
    cheap, dear = browser.client.post("/graphql", json=[{"query": "{ viewer { locale } }"}, {"query": VIEWER}]).json
    assert cheap["data"]["viewer"]["locale"] == "en"
    assert dear["errors"][0]["extensions"]["code"] == "COST_LIMIT_EXCEEDED"


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        '"a string"',
        "42",
        "null",
        "[]",
        "[1]",
        '{"query": 5}',
        '{"query": "{ viewer { locale } }", "variables": []}',
        '{"query": "{ viewer { locale } }", "operationName": 1}',
        '{"query": "{ viewer { locale } }", "extensions": "x"}',
        "{}",
        '{"query": ""}',
        "\xff\xfe",
    ],
)
def test_malformed_bodies_get_a_json_400(browser: Browser, monkeypatch, body: str) -> None:
    override(monkeypatch, graphql_max_batch=5)
    response = browser.client.post("/graphql", data=body, content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize(
    "query_string",
    [{"query": VIEWER, "variables": "{nope"}, {"extensions": "[", "query": VIEWER}],
)
def test_malformed_get_parameters_get_a_json_400(browser: Browser, query_string: dict[str, str]) -> None:
    response = browser.client.get("/graphql", query_string=query_string)
    assert response.status_code == 400
    assert error_of(response)["extensions"]["code"] == "BAD_REQUEST"


def test_syntax_errors_are_reported_by_graphql_not_the_cost_check(browser: Browser) -> None:
    response = browser.graphql("{ viewer { locale ")
    assert response.status_code == 200
    assert "Syntax Error" in error_of(response)["message"]


# --- Rate limits: the counters ----------------------------------------------------------------


def test_hit_allows_up_to_the_limit_then_says_how_long_to_wait() -> None:
    assert [hit("k", 3, 60, now=NOON) for _ in range(3)] == [None, None, None]
    assert hit("k", 3, 60, now=NOON) == 50  # the window that holds 12:00:10 ends at 12:01:00


def test_hit_counts_each_key_separately() -> None:
    assert hit("a", 1, 60, now=NOON) is None
    assert hit("b", 1, 60, now=NOON) is None
    assert hit("a", 1, 60, now=NOON) is not None


def test_hit_starts_afresh_in_the_next_window() -> None:
    assert hit("k", 1, 60, now=NOON) is None
    assert hit("k", 1, 60, now=NOON + dt.timedelta(seconds=30)) is not None
    assert hit("k", 1, 60, now=NOON + dt.timedelta(seconds=50)) is None


def test_hit_counts_the_amount_given() -> None:
    assert hit("k", 5, 60, amount=5, now=NOON) is None
    assert hit("k", 5, 60, amount=1, now=NOON) is not None


def test_hit_with_a_zero_limit_counts_nothing() -> None:
    assert hit("k", 0, 60, now=NOON) is None
    assert RateLimitWindow.select().count() == 0


def test_hit_stores_the_key_only_as_a_hash() -> None:
    hit("ip:203.0.113.9", 5, 60, now=NOON)
    row = RateLimitWindow.get()
    assert "203.0.113.9" not in row.key_hash and len(row.key_hash) == 64
    assert (row.window_start, row.expires_at, row.hits) == (*window_bounds(NOON, 60), 1)


def test_sweep_deletes_only_windows_that_have_ended() -> None:
    hit("old", 5, 60, now=NOON - dt.timedelta(minutes=5))
    hit("current", 5, 60, now=NOON)
    assert sweep_rate_limit_windows(now=NOON) == 1
    assert RateLimitWindow.select().count() == 1


# --- Rate limits: /graphql --------------------------------------------------------------------


@pytest.mark.usefixtures("fixed_clock")
def test_address_over_its_limit_gets_429_with_retry_after(browser: Browser, monkeypatch) -> None:
    override(monkeypatch, rate_limit_per_minute_ip=2)
    assert [browser.graphql(VIEWER).status_code for _ in range(2)] == [200, 200]
    response = browser.graphql(VIEWER)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "50"
    assert error_of(response)["extensions"] == {"code": "RATE_LIMITED", "retryAfter": 50, "limit": 2}
    assert "2" in error_of(response)["message"] and "50" in error_of(response)["message"]


@pytest.mark.usefixtures("fixed_clock")
def test_rate_limit_counts_addresses_separately(browser: Browser, monkeypatch) -> None:
    override(monkeypatch, rate_limit_per_minute_ip=1)
    here, there = {"REMOTE_ADDR": "198.51.100.1"}, {"REMOTE_ADDR": "198.51.100.2"}
    assert browser.graphql(VIEWER, environ_base=here).status_code == 200
    assert browser.graphql(VIEWER, environ_base=there).status_code == 200
    assert browser.graphql(VIEWER, environ_base=here).status_code == 429


@pytest.mark.usefixtures("fixed_clock")
def test_rate_limit_applies_to_graphiql_and_signed_in_sessions(signed_in, browser: Browser, monkeypatch):
    signed_in("staff")
    override(monkeypatch, rate_limit_per_minute_ip=1)
    assert browser.client.get("/graphql", headers={"Accept": "text/html"}).status_code == 200
    assert browser.client.get("/graphql", headers={"Accept": "text/html"}).status_code == 429


@pytest.mark.usefixtures("fixed_clock")
def test_rate_limit_leaves_pages_alone(browser: Browser, monkeypatch) -> None:
    override(monkeypatch, rate_limit_per_minute_ip=1)
    assert [browser.client.get("/sign-in").status_code for _ in range(3)] == [200, 200, 200]


@pytest.mark.usefixtures("fixed_clock")
def test_token_over_its_limit_gets_429_and_other_tokens_do_not(browser: Browser, monkeypatch) -> None:
    override(monkeypatch, rate_limit_per_minute_token=1, rate_limit_per_minute_ip=1)
    _first, plain = factories.make_token()
    _second, other = factories.make_token()
    post = browser.client.post
    assert post("/graphql", json={"query": VIEWER}, headers=bearer(plain)).status_code == 200
    refused = post("/graphql", json={"query": VIEWER}, headers=bearer(plain))
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "50"
    # Both tokens come from the same address; a token's requests count against the token only.
    assert post("/graphql", json={"query": VIEWER}, headers=bearer(other)).status_code == 200


@pytest.mark.usefixtures("fixed_clock")
def test_unknown_tokens_count_against_the_address(browser: Browser, monkeypatch) -> None:
    override(monkeypatch, rate_limit_per_minute_ip=2)
    headers = bearer("llt_guess")
    statuses = [browser.client.post("/graphql", json={"query": VIEWER}, headers=headers).status_code for _ in range(3)]
    assert statuses == [401, 401, 429]


@pytest.mark.usefixtures("fixed_clock")
def test_a_batch_counts_once_per_operation(browser: Browser, monkeypatch) -> None:
    override(monkeypatch, rate_limit_per_minute_ip=3, graphql_max_batch=3)
    assert browser.client.post("/graphql", json=[{"query": VIEWER}] * 2).status_code == 200
    assert browser.client.post("/graphql", json=[{"query": VIEWER}] * 2).status_code == 429


@pytest.mark.usefixtures("fixed_clock")
def test_zero_switches_the_rate_limits_off(browser: Browser, monkeypatch) -> None:
    override(monkeypatch, rate_limit_per_minute_ip=0, rate_limit_per_minute_token=0)
    _token, plain = factories.make_token()
    for _ in range(3):
        assert browser.graphql(VIEWER).status_code == 200
        assert browser.client.post("/graphql", json={"query": VIEWER}, headers=bearer(plain)).status_code == 200
    assert RateLimitWindow.select().count() == 0


@pytest.mark.usefixtures("fixed_clock")
def test_rate_limit_message_is_in_the_viewers_language(browser: Browser, monkeypatch) -> None:
    override(monkeypatch, rate_limit_per_minute_ip=1)
    browser.graphql(VIEWER)
    message = error_of(browser.graphql(VIEWER, headers={"Accept-Language": "cy"}))["message"]
    assert "Too many requests" not in message and "50" in message


def test_rate_limit_lets_requests_through_when_its_counters_fail(browser: Browser, monkeypatch, caplog) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr("portal.graphql_view.hit", broken)
    assert browser.graphql(VIEWER).status_code == 200
    assert any("rate-limit counters unavailable" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        (None, "unknown"),
        ("not-an-address", "not-an-address"),
    ],
)
def test_client_network_groups_ipv6_by_64(address: str | None, key: str) -> None:
    assert client_network(address) == key


@pytest.mark.usefixtures("fixed_clock")
def test_trusted_proxy_count_takes_the_client_from_x_forwarded_for(other_app, monkeypatch) -> None:
    app = other_app(trusted_proxies=1, rate_limit_per_minute_ip=1)
    client = app.test_client()
    with db.obj.connection_context():

        def ask(forwarded_for: str) -> int:
            headers = {"X-Forwarded-For": forwarded_for}
            return client.post("/graphql", json={"query": VIEWER}, headers=headers).status_code

        assert ask("198.51.100.1") == 200
        assert ask("198.51.100.2") == 200
        assert ask("198.51.100.1") == 429


@pytest.mark.usefixtures("fixed_clock")
def test_without_trusted_proxies_x_forwarded_for_is_ignored(browser: Browser, monkeypatch) -> None:
    override(monkeypatch, rate_limit_per_minute_ip=1)
    assert browser.graphql(VIEWER, headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 200
    assert browser.graphql(VIEWER, headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 429


# --- Time limit ---------------------------------------------------------------------------------


def slow_sql() -> str:
    if is_postgres():
        return "SELECT pg_sleep(10)"
    return "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000000000) SELECT count(*) FROM n"


def medium_sql() -> str:
    """Takes a few tens of milliseconds: longer than the tiny limits below, far shorter than a second."""
    if is_postgres():
        return "SELECT pg_sleep(0.05)"
    return "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 100000) SELECT count(*) FROM n"


def statement_timeout() -> str:
    return db.execute_sql("SHOW statement_timeout").fetchone()[0]


def test_time_limit_stops_a_slow_statement() -> None:
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded) as raised, time_limit(100) as limit:
        db.execute_sql(slow_sql()).fetchone()
    assert time.monotonic() - started < 3
    assert raised.value.limit_ms == 100 and isinstance(raised.value.__cause__, OperationalError)
    assert limit.exceeded


def test_time_limit_lets_quick_statements_finish() -> None:
    with time_limit(5000) as limit:
        assert db.execute_sql("SELECT 1").fetchone()[0] == 1
    assert not limit.exceeded


def test_time_limit_is_removed_after_the_block() -> None:
    before = statement_timeout() if is_postgres() else None
    with pytest.raises(TimeLimitExceeded), time_limit(1):
        db.execute_sql(slow_sql()).fetchone()
    db.execute_sql(medium_sql()).fetchone()  # would be stopped if the limit had outlived its block
    if is_postgres():
        assert statement_timeout() == before


def test_time_limit_of_zero_means_no_limit() -> None:
    with time_limit(0) as limit:
        db.execute_sql(medium_sql()).fetchone()
    assert not limit.exceeded


def test_inner_time_limit_never_outlives_the_outer_one() -> None:
    with pytest.raises(TimeLimitExceeded), time_limit(100), time_limit(60_000):
        db.execute_sql(slow_sql()).fetchone()


def test_time_limit_leaves_the_surrounding_transaction_usable() -> None:
    factories.make_landlord("Before")
    with pytest.raises(TimeLimitExceeded), time_limit(50):
        db.execute_sql(slow_sql()).fetchone()
    from backend.accounts.models import Landlord

    assert Landlord.select().where(Landlord.name == "Before").count() == 1


def test_graphql_request_over_the_time_limit_gets_a_time_limit_error(signed_in, browser: Browser, monkeypatch) -> None:
    signed_in("resident")
    override(monkeypatch, graphql_time_limit_ms=100)

    def slow_update(*_args: Any, **_kwargs: Any) -> None:
        db.execute_sql(slow_sql()).fetchone()

    monkeypatch.setattr("backend.accounts.services.update_profile", slow_update)
    mutation = 'mutation { viewerProfileUpdate(input: {displayName: "Slow"}) { __typename } }'
    started = time.monotonic()
    response = browser.graphql(mutation)
    assert time.monotonic() - started < 3
    assert response.status_code == 200
    error = error_of(response)
    assert error["extensions"] == {"code": "TIME_LIMIT_EXCEEDED", "limitMs": 100}
    assert "100" in error["message"]
    assert browser.graphql(VIEWER).json["data"]["viewer"]["locale"] == "en"  # the connection still works


def test_time_limit_does_not_touch_quick_requests_or_their_errors(signed_in, browser: Browser, monkeypatch) -> None:
    signed_in("resident")
    override(monkeypatch, graphql_time_limit_ms=5000)
    result = browser.graphql('mutation { viewerProfileUpdate(input: {locale: "tlh"}) { __typename } }')
    assert result.json["data"]["viewerProfileUpdate"]["__typename"] == "ValidationError"


# --- Settings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "raw"),
    [
        ("LEARNLOOP_GRAPHQL_MAX_COST", "lots"),
        ("LEARNLOOP_GRAPHQL_MAX_COST", "0"),
        ("LEARNLOOP_GRAPHQL_MAX_COST_STAFF", "-1"),
        ("LEARNLOOP_GRAPHQL_MAX_BATCH", "0"),
        ("LEARNLOOP_GRAPHQL_TIME_LIMIT_MS", "5s"),
        ("LEARNLOOP_GRAPHQL_TIME_LIMIT_MS", "-1"),
        ("LEARNLOOP_RATE_LIMIT_PER_MINUTE_TOKEN", "many"),
        ("LEARNLOOP_RATE_LIMIT_PER_MINUTE_IP", "-5"),
        ("LEARNLOOP_TRUSTED_PROXIES", "yes"),
        ("LEARNLOOP_GRAPHQL_COOKIE_PERSISTED_ONLY", "maybe"),
    ],
)
def test_malformed_limit_settings_name_the_variable(tmp_path, variable: str, raw: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(environ={"LEARNLOOP_INSTANCE_PATH": str(tmp_path), variable: raw}, secret_key="k" * 32)
    assert raised.value.variable == variable


def test_limit_settings_have_documented_defaults(tmp_path) -> None:
    settings = load_settings(environ={"LEARNLOOP_INSTANCE_PATH": str(tmp_path)}, secret_key="k" * 32)
    assert (settings.graphql_max_cost, settings.graphql_max_cost_staff, settings.graphql_max_batch) == (5000, 50000, 1)
    assert (settings.rate_limit_per_minute_token, settings.rate_limit_per_minute_ip) == (600, 300)
    assert (settings.graphql_time_limit_ms, settings.trusted_proxies) == (5000, 0)
    assert settings.graphql_cookie_persisted_only is False


def test_limit_settings_are_read_from_the_environment(tmp_path) -> None:
    environ = {
        "LEARNLOOP_INSTANCE_PATH": str(tmp_path),
        "LEARNLOOP_GRAPHQL_MAX_COST": "100",
        "LEARNLOOP_GRAPHQL_MAX_COST_STAFF": "1000",
        "LEARNLOOP_GRAPHQL_MAX_BATCH": "5",
        "LEARNLOOP_GRAPHQL_TIME_LIMIT_MS": "0",
        "LEARNLOOP_RATE_LIMIT_PER_MINUTE_TOKEN": "0",
        "LEARNLOOP_RATE_LIMIT_PER_MINUTE_IP": "20",
        "LEARNLOOP_TRUSTED_PROXIES": "2",
        "LEARNLOOP_GRAPHQL_COOKIE_PERSISTED_ONLY": "on",
    }
    settings = load_settings(environ=environ, secret_key="k" * 32)
    assert (settings.graphql_max_cost, settings.graphql_max_cost_staff, settings.graphql_max_batch) == (100, 1000, 5)
    assert (settings.graphql_time_limit_ms, settings.rate_limit_per_minute_token) == (0, 0)
    assert (settings.rate_limit_per_minute_ip, settings.trusted_proxies) == (20, 2)
    assert settings.graphql_cookie_persisted_only is True
