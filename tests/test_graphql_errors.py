"""/graphql: every error in a response's ``errors`` carries an ``extensions.code``, over HTTP and in-process."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from backend.context import Actor
from portal.errors import JSON_CODES, json_code
from schema.context import Context
from tests import factories
from tests.conftest import Browser


def bearer(plain: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plain}"}


def only_error(response: Any) -> dict[str, Any]:
    errors = response.json["errors"]
    assert len(errors) == 1, errors
    return errors[0]


@pytest.fixture
def write_token() -> str:
    return factories.make_token(factories.make_user("staff"), "write")[1]


def test_syntax_error_is_parse_failed(browser: Browser) -> None:
    error = only_error(browser.graphql("{ viewer { locale "))
    assert error["extensions"] == {"code": "GRAPHQL_PARSE_FAILED"}
    assert error["message"].startswith("Syntax Error")


def test_unknown_field_is_validation_failed(browser: Browser) -> None:
    error = only_error(browser.graphql("{ viewer { shoeSize } }"))
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}


def test_every_validation_error_has_a_code_even_when_validation_gives_up(browser: Browser) -> None:
    fields = " ".join(f"shoe{n}" for n in range(120))
    errors = browser.graphql("{ viewer { " + fields + " } }").json["errors"]
    assert "aborted" in errors[-1]["message"]
    assert {error["extensions"]["code"] for error in errors} == {"GRAPHQL_VALIDATION_FAILED"}


def test_too_deep_a_query_is_depth_limit_exceeded(browser: Browser, write_token: str, settings) -> None:
    # people > nodes > home > residents > home > ... one level past the limit, and cheap and valid otherwise.
    steps = ["people(first: 1)", "nodes"] + ["home", "residents(first: 1)"] * settings.graphql_max_depth
    levels = steps[: settings.graphql_max_depth + 1]
    query = "{ " + " { ".join(levels) + " { id }" + " }" * len(levels)
    response = browser.client.post("/graphql", json={"query": query}, headers=bearer(write_token))
    error = only_error(response)
    assert error["extensions"] == {"code": "DEPTH_LIMIT_EXCEEDED", "limit": settings.graphql_max_depth}
    assert "depth" in error["message"]


def test_too_many_aliases_is_alias_limit_exceeded(browser: Browser, settings) -> None:
    aliases = " ".join(f"a{n}: viewer {{ locale }}" for n in range(settings.graphql_max_aliases + 1))
    error = only_error(browser.graphql("{ " + aliases + " }"))
    assert error["extensions"] == {"code": "ALIAS_LIMIT_EXCEEDED", "limit": settings.graphql_max_aliases}


def test_aliases_up_to_the_limit_are_fine(browser: Browser, settings) -> None:
    aliases = " ".join(f"a{n}: viewer {{ locale }}" for n in range(settings.graphql_max_aliases))
    assert "errors" not in browser.graphql("{ " + aliases + " }").json


def test_too_long_a_document_is_token_limit_exceeded(browser: Browser, settings) -> None:
    query = "{ viewer { " + "locale " * (settings.graphql_max_tokens + 1) + "} }"
    error = only_error(browser.graphql(query))
    assert error["extensions"] == {"code": "TOKEN_LIMIT_EXCEEDED", "limit": settings.graphql_max_tokens}


def test_variable_of_the_wrong_type_is_bad_user_input(browser: Browser, write_token: str) -> None:
    query = "query ($first: Int!) { people(first: $first) { totalCount } }"
    response = browser.client.post(
        "/graphql", json={"query": query, "variables": {"first": "ten"}}, headers=bearer(write_token)
    )
    assert only_error(response)["extensions"] == {"code": "BAD_USER_INPUT"}


def test_mutation_with_a_read_token_is_read_only_token(browser: Browser) -> None:
    _token, plain = factories.make_token(factories.make_user("staff"), "read")
    mutation = 'mutation { viewerProfileUpdate(input: {locale: "cy"}) { __typename } }'
    response = browser.client.post("/graphql", json={"query": mutation}, headers=bearer(plain))
    error = only_error(response)
    assert error["extensions"] == {"code": "READ_ONLY_TOKEN"}
    assert "write access" in error["message"]


def test_read_only_token_message_is_in_the_viewers_language(browser: Browser) -> None:
    _token, plain = factories.make_token(factories.make_user("staff"), "read")
    mutation = "mutation ($input: ContactSubmitInput!) { contactSubmit(input: $input) { __typename } }"
    headers = {**bearer(plain), "Accept-Language": "cy"}
    response = browser.client.post("/graphql", json={"query": mutation, "variables": {"input": {}}}, headers=headers)
    assert only_error(response)["extensions"]["code"] == "READ_ONLY_TOKEN"


def test_query_with_a_read_token_is_not_refused(browser: Browser) -> None:
    _token, plain = factories.make_token(factories.make_user("staff"), "read")
    response = browser.client.post("/graphql", json={"query": "{ viewer { locale } }"}, headers=bearer(plain))
    assert "errors" not in response.json


def test_invalid_mutation_with_a_write_token_is_validation_failed(browser: Browser, write_token: str) -> None:
    mutation = 'mutation { viewerProfileUpdate(input: {shoeSize: "9"}) { __typename } }'
    response = browser.client.post("/graphql", json={"query": mutation}, headers=bearer(write_token))
    assert only_error(response)["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_existing_codes_are_kept(browser: Browser, write_token: str) -> None:
    response = browser.client.post(
        "/graphql", json={"query": "{ people(first: 100000) { totalCount } }"}, headers=bearer(write_token)
    )
    assert only_error(response)["extensions"]["code"] == "PAGE_SIZE"


def test_in_process_execution_gets_the_same_codes(app) -> None:
    engine = app.extensions["learnloop.engine"]
    schema = engine.schema_for(frozenset({"staff"}), writable=False)
    reader = Actor(user_id=1, roles=frozenset({"staff"}), token_id=1, scope="read")
    broken = schema.execute_sync("{ viewer { ", context_value=Context(actor=reader))
    assert broken.errors[0].extensions == {"code": "GRAPHQL_PARSE_FAILED"}
    refused = schema.execute_sync("mutation { x }", context_value=Context(actor=reader))
    assert [error.extensions for error in refused.errors] == [{"code": "READ_ONLY_TOKEN"}]


# --- The HTTP edge: every refusal has a code of its own, all of them documented -------------------

CODE_EMITTED = re.compile(
    r'(?:Refusal\(|_json_error\(\d+, |"code": |code=|_give_code\(\w+, |coded_rules\(\s*[^"]*?,\s*)"([A-Z][A-Z_]+)"'
)
EMITTING = ["portal", "schema"]


def emitted_codes() -> set[str]:
    """Every ``extensions.code`` the API can answer with, read from the code that sends it."""
    root = Path(__file__).resolve().parent.parent
    found = {code for package in EMITTING for path in (root / package).rglob("*.py") for code in
             CODE_EMITTED.findall(path.read_text())}  # fmt: skip
    return found | set(JSON_CODES.values()) | {json_code(500)}


def test_every_extensions_code_is_in_the_documented_table() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "api.md").read_text()
    table = set(re.findall(r"^\| `([A-Z][A-Z_]+)` \|", docs, re.MULTILINE))
    codes = emitted_codes()
    assert {"BAD_REQUEST", "DEPTH_LIMIT_EXCEEDED", "METHOD_NOT_ALLOWED", "INTERNAL_ERROR"} <= codes
    assert sorted(codes - table) == []


def test_several_operations_without_a_name_are_refused(client, write_token: str) -> None:
    query = "query A { viewer { locale } } query B { __typename }"
    response = client.post("/graphql", json={"query": query}, headers=bearer(write_token))
    assert response.status_code == 400
    assert only_error(response) == {
        "message": "Several operations were sent; say which with operationName.",
        "extensions": {"code": "BAD_REQUEST"},
    }
    named = client.post("/graphql", json={"query": query, "operationName": "B"}, headers=bearer(write_token))
    assert named.json == {"data": {"__typename": "Query"}}


def test_one_operation_needs_no_name(client, write_token: str) -> None:
    query = "query A { ...F } fragment F on Query { __typename }"
    response = client.post("/graphql", json={"query": query}, headers=bearer(write_token))
    assert response.json == {"data": {"__typename": "Query"}}


def test_a_method_graphql_does_not_take_is_method_not_allowed(client, write_token: str) -> None:
    response = client.put("/graphql", json={"query": "{ __typename }"}, headers=bearer(write_token))
    assert response.status_code == 405
    error = only_error(response)
    assert error["extensions"] == {"code": "METHOD_NOT_ALLOWED"}
    assert "PUT" in error["message"] and "POST" in error["message"]
    assert "POST" in response.headers["Allow"]


def test_get_with_a_token_and_no_query_asks_for_one(client, write_token: str) -> None:
    response = client.get("/graphql", headers=bearer(write_token))
    assert response.status_code == 400
    assert only_error(response) == {"message": "Send a query.", "extensions": {"code": "BAD_REQUEST"}}
